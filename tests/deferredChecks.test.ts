/**
 * The run-time trace agrees with the compile-time verdicts of type-tests/negative/deferred.ts (issue 11): flatten
 * over symbolic sizes is refused with the same text as the type, and a reusable head used with the wrong width
 * throws where it is applied (the types carry the ⛔ to every consumer: graphOf, trace, add, the next layer).
 */
import { readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { flow } from 'fp-ts/lib/function.js'
import { describe, expect, it } from 'vitest'
import { adaptiveAvgPool2d, add, batchNorm1d, batchNorm2d, concat, conv2d, denseBlock, dim, dropout, flatten, globalAvgPool2d, graphOf, identity, input, linear, maxPool2d, N, parallel, pipe, relu, residual, ShapeError, sigmoid, trace, type Named, type Shape4, type Tensor } from '../src/index.js'

interface H extends Named<'H'> {}
interface W extends Named<'W'> {}
const H = dim<H>('H')
const W = dim<W>('W')

const fixture = readFileSync(resolve(import.meta.dirname, '..', 'type-tests', 'negative', 'deferred.ts'), 'utf8')

/** The ShapeError a traced call throws (fails the test when it does not throw one). */
function shapeErrorOf(run: () => unknown): ShapeError {
  try {
    run()
  } catch (e) {
    expect(e).toBeInstanceOf(ShapeError)
    return e as ShapeError
  }
  throw new Error('expected a ShapeError')
}

describe('flatten over symbolic sizes: types and trace give the same verdict', () => {
  const cases = [
    { shape: '[N,16,H,W]', run: () => pipe(input([N, 16, H, W]), flatten) },
    { shape: '[N,16,4,W]', run: () => pipe(input([N, 16, 4, W]), relu, flatten) },
    { shape: '[N,8,⌈H/2⌉,⌈W/2⌉]', run: () => pipe(input([N, 3, H, W]), conv2d({ out: 8, kernel: 3, stride: 2, padding: 1 }), relu, flatten) },
  ]
  for (const c of cases) {
    it(`refuses ${c.shape}`, () => {
      const e = shapeErrorOf(c.run)
      expect(e.layer).toBe('flatten')
      expect(e.message).toBe(`flatten: features of ${c.shape} depend on symbolic sizes — give the input concrete sizes, or pool to a fixed size first (adaptiveAvgPool2d)`)
      expect(fixture).toContain(`// error: flatten: features of ${c.shape} depend on symbolic sizes`)
    })
  }

  it('accepts the named dims pooled to a fixed size first, and concrete sizes', () => {
    expect(pipe(input([N, 16, H, W]), adaptiveAvgPool2d({ output: 1 }), flatten, linear({ in: 16, out: 10 })).shape).toEqual([N, 10])
    expect(pipe(input([N, 16, 4, 4]), flatten).shape).toEqual([N, 256])
  })
})

describe('a reusable head used with the wrong width', () => {
  const head = flow(flatten, linear({ in: 256, out: 10 }))
  it('throws where it is applied, with the verdict the types give to graphOf and trace', () => {
    const text = 'linear: expected 256 input features, got 400'
    expect(fixture).toContain(`graphOf(wrong) // error: ${text}`)
    expect(shapeErrorOf(() => pipe(input([N, 16, 5, 5]), head)).message).toBe(text)
    expect(shapeErrorOf(() => trace(head as never, [N, 16, 5, 5])).message).toBe(text)
    expect(graphOf(pipe(input([N, 16, 4, 4]), head)).output.shape).toEqual([N, 10])
  })
})

describe('the battery cases the types leave to the trace (type-tests/negative/battery.ts) throw where they are traced', () => {
  const battery = readFileSync(resolve(import.meta.dirname, '..', 'type-tests', 'negative', 'battery.ts'), 'utf8')
  const cases: { name: string; text: string; run: () => unknown }[] = [
    { name: 'm17: a head used last with the wrong width', text: 'linear: expected 256 input features, got 400', run: () => pipe(input([N, 16, 5, 5]), flow(flatten, linear({ in: 256, out: 10 }))) },
    {
      name: 'm27: generic against concrete in a plain add',
      text: 'add: [N,8,16,16] vs [N,8,8,8]',
      run: () => add(pipe(input([N, 3, 16, 16]), conv2d({ out: 8, kernel: 3, padding: 1 })), input([N, 8, 8, 8]) as never),
    },
    { name: "m29: linear's rank after relu in a flow", text: 'linear: expects [N, features], got [N,512,7,7] — flatten first', run: () => pipe(input([N, 512, 7, 7]), flow(relu, linear({ out: 10 }))) },
  ]
  for (const c of cases) {
    it(c.name, () => {
      expect(battery).toContain(`export const ${c.name.split(':')[0]} =`)
      expect(shapeErrorOf(c.run).message).toContain(c.text)
    })
  }
})

describe('a check after a reusable block’s first layer, undecided where written', () => {
  // The blocks of type-tests/negative/deferred.ts: the types carry the verdict in the batch dim to where the block
  // is applied with numbers; the trace throws the same text there.
  const convBn = (c: number) => flow(conv2d({ out: c, kernel: 3, padding: 1 }), batchNorm2d({ features: 64 }))
  const convIn = (c: number) => flow(conv2d({ out: c, kernel: 3, padding: 1 }), relu, conv2d({ in: 64, out: 8, kernel: 1 }))
  const mlp = flow(flatten, linear({ in: 256, out: 20 }), relu, linear({ out: 10 }))
  const fcBn = (f: number) => flow(linear({ out: f }), batchNorm1d({ features: 120 }), relu)
  const cases = [
    { text: 'batchNorm2d: expected 64 channels, got 128', marker: 'convBnGraph', block: convBn(128), ok: convBn(64), shape: [N, 3, 8, 8] },
    { text: 'conv2d: expected 64 input channels, got 32', marker: 'convInGraph', block: convIn(32), ok: convIn(64), shape: [N, 3, 8, 8] },
    { text: 'linear: expected 256 input features, got 400', marker: 'mlpGraph', block: mlp, ok: undefined, shape: [N, 16, 5, 5] },
    { text: 'batchNorm1d: expected 120 features, got 84', marker: 'fcBnGraph', block: fcBn(84), ok: fcBn(120), shape: [N, 400] },
  ]
  for (const c of cases) {
    it(`${c.marker}: ${c.text}`, () => {
      expect(fixture).toMatch(new RegExp(`export const ${c.marker} = .*// error: ${c.text}\\n`))
      const e = shapeErrorOf(() => trace(c.block as never, c.shape as never))
      expect(e.message).toBe(c.text)
      if (c.ok !== undefined) expect(() => trace(c.ok as never, c.shape as never)).not.toThrow()
    })
  }
})

describe('a plain add in a generic function: the verdict the types carry out (type-tests/negative/flows.ts) is the one the trace gives', () => {
  const flows = readFileSync(resolve(import.meta.dirname, '..', 'type-tests', 'negative', 'flows.ts'), 'utf8')
  const twoInputs = <A extends Shape4, B extends Shape4>(a: Tensor<A>, b: Tensor<B>) => add(a, b)
  const plainAdd = <S extends Shape4>(x: Tensor<S>) => add(pipe(x, conv2d({ out: 8, kernel: 3, padding: 1 })), input([N, 8, 8, 8]))
  const cases: { text: string; run: () => unknown }[] = [
    { text: 'add: [N,8,8,8] vs [N,8,4,4]', run: () => twoInputs(input([N, 8, 8, 8]), input([N, 8, 4, 4])) },
    { text: 'add: [N,8,16,16] vs [N,8,8,8]', run: () => pipe(input([N, 3, 16, 16]), plainAdd) },
  ]
  for (const c of cases) {
    it(c.text, () => {
      expect(flows).toContain(`// error: ${c.text}`)
      expect(shapeErrorOf(c.run).message).toBe(c.text)
    })
  }
  it('equal shapes pass, in either order', () => {
    const x = input([N, 8, 8, 8])
    const y = pipe(x, relu)
    expect(twoInputs(x, y).shape).toEqual([N, 8, 8, 8])
    expect(twoInputs(y, x).shape).toEqual([N, 8, 8, 8])
  })
})

describe('joins in hand-written generic blocks and of different ranks (type-tests/negative/joins.ts): the trace gives the verdict the types give', () => {
  const joins = readFileSync(resolve(import.meta.dirname, '..', 'type-tests', 'negative', 'joins.ts'), 'utf8')
  const inputFirst = <S extends Shape4>(x: Tensor<S>) => pipe(add(x, pipe(x, conv2d({ out: 64, kernel: 3, padding: 1 }))), relu)
  const pathFirst = <S extends Shape4>(x: Tensor<S>) => pipe(add(pipe(x, conv2d({ out: 64, kernel: 3, padding: 1 })), x), relu)
  const bnTwo = <C extends number, D extends number>(c: C, d: D) => <S extends Shape4>(x: Tensor<S>) =>
    pipe(add(pipe(x, conv2d({ out: c, kernel: 3, padding: 1 }), batchNorm2d({ features: d }), relu), x), relu)
  const addPooled = <S extends Shape4>(x: Tensor<S>) => add(x, pipe(x, adaptiveAvgPool2d({ output: 1 }), flatten))
  const x4 = () => input([N, 16, 8, 8])
  const cases: { text: string; run: () => unknown }[] = [
    { text: 'add: [N,32,8,8] vs [N,64,8,8]', run: () => pipe(input([N, 32, 8, 8]), inputFirst) },
    { text: 'add: [N,64,8,8] vs [N,32,8,8]', run: () => pipe(input([N, 32, 8, 8]), pathFirst) },
    { text: 'batchNorm2d: expected 32 channels, got 64', run: () => pipe(input([N, 64, 8, 8]), bnTwo(64, 32 as number)) },
    { text: 'concat: expects [N, C, H, W] tensors, got [N,16,8,8] and [N,1024]', run: () => concat(x4(), pipe(x4(), flatten) as never) },
    { text: 'concat: expects [N, C, H, W] tensors, got [N,1024] and [N,16,8,8]', run: () => concat(pipe(x4(), flatten) as never, x4()) },
    { text: 'concat: expects [N, C, H, W] tensors, got [N,16,8,8], [N,16,8,8] and [N,1024]', run: () => concat(x4(), x4(), pipe(x4(), flatten) as never) },
    { text: 'concat: expects [N, C, H, W] tensors, got [N,10] and [N,20]', run: () => concat(input([N, 10]) as never, input([N, 20]) as never) },
    { text: 'add: [N,16,8,8] vs [N,1024]', run: () => add(x4(), pipe(x4(), flatten) as never) },
    { text: 'add: [N,16,1,1] vs [N,16]', run: () => pipe(input([N, 16, 1, 1]), addPooled) },
  ]
  for (const c of cases) {
    it(c.text, () => {
      expect(joins).toContain(`// error: ${c.text}`)
      expect(shapeErrorOf(c.run).message).toBe(c.text)
    })
  }
  it('equal sizes pass, in either order', () => {
    expect(pipe(input([N, 64, 8, 8]), inputFirst).shape).toEqual([N, 64, 8, 8])
    expect(pipe(input([N, 64, 8, 8]), pathFirst).shape).toEqual([N, 64, 8, 8])
    expect(pipe(input([N, 64, 8, 8]), bnTwo(64, 64)).shape).toEqual([N, 64, 8, 8])
  })
})

describe('stand-alone flows that start with a rank-polymorphic layer run with the shapes their types give', () => {
  it('relu then conv, pool, batchNorm2d; dropout then linear', () => {
    expect(pipe(input([N, 8, 8, 8]), flow(relu, conv2d({ out: 8, kernel: 3, padding: 1 }))).shape).toEqual([N, 8, 8, 8])
    expect(pipe(input([N, 8, 8, 8]), flow(relu, maxPool2d({ kernel: 2 }))).shape).toEqual([N, 8, 4, 4])
    expect(pipe(input([N, 8, 8, 8]), flow(relu, batchNorm2d({ features: 8 }))).shape).toEqual([N, 8, 8, 8])
    expect(pipe(input([N, 64]), flow(dropout({ p: 0.5 }), linear({ out: 10 }))).shape).toEqual([N, 10])
  })
  it('the wrong rank the composed type cannot see is refused by the trace at the layer', () => {
    expect(shapeErrorOf(() => pipe(input([N, 16]) as never, flow(relu, conv2d({ out: 8, kernel: 3, padding: 1 })))).layer).toBe('conv2d')
  })
})

describe('denseBlock: a layer that does not give growth channels at its input’s N, H, W (type-tests/negative/dense.ts)', () => {
  const dense = readFileSync(resolve(import.meta.dirname, '..', 'type-tests', 'negative', 'dense.ts'), 'utf8')
  const unpadded = () => flow(batchNorm2d(), relu, conv2d({ out: 32, kernel: 3 }))
  const cases: { marker: string; text: string; gives: string; run: () => unknown }[] = [
    {
      marker: 'flowBad',
      text: "denseBlock: each layer must give [N,32,56,56] (growth 32 at its input's N, H, W) on [N,64,56,56]",
      gives: '[N,32,54,54]',
      run: () => pipe(input([N, 64, 56, 56]), denseBlock({ layers: 4, growth: 32 }, unpadded)),
    },
    {
      marker: 'stridedBad',
      text: "denseBlock: each layer must give [N,16,8,8] (growth 16 at its input's N, H, W) on [N,64,8,8]",
      gives: '[N,16,4,4]',
      run: () => pipe(input([N, 64, 8, 8]), denseBlock({ layers: 2, growth: 16 }, () => flow(relu, conv2d({ out: 16, kernel: 3, stride: 2, padding: 1 })))),
    },
    {
      marker: 'poolBad',
      text: "denseBlock: each layer must give [N,16,8,8] (growth 16 at its input's N, H, W) on [N,64,8,8]",
      gives: '[N,16,4,4]',
      run: () => pipe(input([N, 64, 8, 8]), denseBlock({ layers: 2, growth: 16 }, () => flow(conv2d({ out: 16, kernel: 1 }), maxPool2d({ kernel: 2 })))),
    },
    {
      marker: 'channelsBad',
      text: "denseBlock: each layer must give [N,32,8,8] (growth 32 at its input's N, H, W) on [N,64,8,8]",
      gives: '[N,16,8,8]',
      run: () => pipe(input([N, 64, 8, 8]), denseBlock({ layers: 2, growth: 32 }, () => flow(conv2d({ out: 16, kernel: 3, padding: 1 }), relu))),
    },
    {
      marker: 'nestedLastBad',
      text: "denseBlock: each layer must give [N,32,56,56] (growth 32 at its input's N, H, W) on [N,64,56,56]",
      gives: '[N,32,54,54]',
      run: () => pipe(input([N, 3, 56, 56]), flow(conv2d({ out: 64, kernel: 3, padding: 1 }), denseBlock({ layers: 2, growth: 32 }, unpadded))),
    },
  ]
  for (const c of cases) {
    it(`${c.marker}: the trace throws the types' verdict and says what the layer gave`, () => {
      expect(dense).toMatch(new RegExp(`export const ${c.marker} = .*// error: ${c.text.replace(/[[\]()]/g, '\\$&')}\n`))
      const e = shapeErrorOf(c.run)
      expect(e.layer).toBe('denseBlock')
      expect(e.message).toBe(`${c.text} — layer 1 gives ${c.gives}`)
    })
  }
  it('a padded layer runs with the shape the types give', () => {
    expect(pipe(input([N, 64, 56, 56]), denseBlock({ layers: 4, growth: 32 }, () => flow(batchNorm2d(), relu, conv2d({ out: 32, kernel: 3, padding: 1 })))).shape).toEqual([N, 192, 56, 56])
  })
})

describe('checks left to the trace (type-tests/negative/left-to-trace.ts): the trace throws at the layer', () => {
  const fixtureText = readFileSync(resolve(import.meta.dirname, '..', 'type-tests', 'negative', 'left-to-trace.ts'), 'utf8')
  const reluHead = flow(relu, conv2d({ out: 8, kernel: 7 }), adaptiveAvgPool2d({ output: 1 }), flatten)
  const poolHead = flow(conv2d({ out: 8, kernel: 3, padding: 1 }), maxPool2d({ kernel: 7 }), adaptiveAvgPool2d({ output: 1 }), flatten, linear({ out: 10 }))
  const flatHead = flow(conv2d({ out: 8, kernel: 3, padding: 1 }), maxPool2d({ kernel: 7 }), flatten)
  const fnHead = <S extends Shape4>(x: Tensor<S>) => pipe(x, conv2d({ out: 8, kernel: 7 }), globalAvgPool2d, flatten)
  const cases: { marker: string; layer: string; text: string; run: () => unknown }[] = [
    { marker: 'windowThenGap', layer: 'conv2d', text: 'conv2d: expected kernel 7×7 to fit the padded input, got [N,3,5,5] padded by 0,0', run: () => pipe(input([N, 3, 5, 5]), reluHead) },
    { marker: 'windowThenGapLinear', layer: 'maxPool2d', text: 'maxPool2d: expected kernel 7×7 to fit the padded input, got [N,8,5,5] padded by 0,0', run: () => pipe(input([N, 3, 5, 5]), poolHead) },
    { marker: 'windowThenFlatten', layer: 'maxPool2d', text: 'maxPool2d: expected kernel 7×7 to fit the padded input, got [N,8,5,5] padded by 0,0', run: () => pipe(input([N, 3, 5, 5]), flatHead) },
    { marker: 'windowThenGapFn', layer: 'conv2d', text: 'conv2d: expected kernel 7×7 to fit the padded input, got [N,3,5,5] padded by 0,0', run: () => pipe(input([N, 3, 5, 5]), fnHead) },
    // the rank: the same text as the types give where they check it (the `inline` and `layerFirst` lines)
    {
      marker: 'convAfterRelu',
      layer: 'conv2d',
      text: 'conv2d: expects [N, C, H, W], got [N,16] — it needs an image batch; flatten and linear belong after the convolutions and pools',
      run: () => pipe(input([N, 16]) as never, flow(relu, conv2d({ out: 8, kernel: 3, padding: 1 }))),
    },
    { marker: 'bnAfterRelu', layer: 'batchNorm2d', text: 'batchNorm2d: expects [N, C, H, W], got [N,16] — use batchNorm1d on [N, features]', run: () => pipe(input([N, 16]) as never, flow(relu, batchNorm2d())) },
    { marker: 'linearAfterRelu', layer: 'linear', text: 'linear: expects [N, features], got [N,16,5,5] — flatten first', run: () => pipe(input([N, 16, 5, 5]), flow(relu, linear({ out: 10 }))) },
  ]
  for (const c of cases) {
    it(`${c.marker}: ${c.text}`, () => {
      expect(fixtureText).toMatch(new RegExp(`export const ${c.marker} = .*// compiles`))
      const e = shapeErrorOf(c.run)
      expect(e.layer).toBe(c.layer)
      expect(e.message).toBe(c.text)
    })
  }
  it('the rank verdict of the trace is the one the types give inline', () => {
    expect(fixtureText).toContain('// error: linear: expects [N, features], got [N,16,5,5] — flatten first')
    expect(pipe(input([N, 3, 9, 9]), reluHead).shape).toEqual([N, 8])
  })
})

describe('checks carried one after another (type-tests/negative/chained.ts): the trace throws the verdict the types give', () => {
  const chained = readFileSync(resolve(import.meta.dirname, '..', 'type-tests', 'negative', 'chained.ts'), 'utf8')
  const lenetHead = flow(conv2d({ in: 1, out: 16, kernel: 5 }), flatten, linear({ in: 400, out: 120 }), sigmoid)
  const convBn = (c: number) => flow(conv2d({ in: 3, out: c, kernel: 3 }), batchNorm2d({ features: 8 }), relu)
  const branches = parallel(flow(conv2d({ in: 8, out: 4, kernel: 1 })), flow(conv2d({ out: 4, kernel: 1 }), relu))
  const secondIn = parallel(flow(conv2d({ out: 4, kernel: 1 })), flow(relu, conv2d({ in: 8, out: 4, kernel: 1 })))
  const res = residual(flow(conv2d({ in: 8, out: 8, kernel: 3, padding: 1 }), relu), flow(conv2d({ in: 8, out: 8, kernel: 1 })))
  const seedResidual = (i: number, c: number, strides: number) => (x: Tensor<Shape4>) => {
    const y1 = pipe(x, conv2d({ in: i, out: c, kernel: 3, padding: 1, stride: strides }), batchNorm2d({ features: c }), relu)
    const y2 = pipe(y1, conv2d({ in: c, out: c, kernel: 3, padding: 1 }), batchNorm2d({ features: c }))
    return pipe(add(y2, pipe(x, conv2d({ in: i, out: c, kernel: 1, stride: strides }))), relu)
  }
  const run = (block: unknown, shape: readonly unknown[]) => pipe(input(shape as never) as Tensor, block as (x: Tensor) => Tensor)
  const wrong = [
    { text: 'conv2d: expected 1 input channels, got 2', block: lenetHead, shape: [N, 2, 9, 9] },
    { text: 'linear: expected 400 input features, got 1024', block: lenetHead, shape: [N, 1, 12, 12] },
    { text: 'batchNorm2d: expected 8 channels, got 16', block: convBn(16), shape: [N, 3, 10, 10] },
    { text: 'conv2d: expected 3 input channels, got 4', block: convBn(8), shape: [N, 4, 10, 10] },
    { text: 'conv2d: expected 8 input channels, got 6', block: branches, shape: [N, 6, 5, 5] },
    { text: 'conv2d: expected 8 input channels, got 6', block: secondIn, shape: [N, 6, 5, 5], typeText: "conv2d: expected 8 input channels, got 6 (in parallel's branch 2)" },
    { text: 'conv2d: expected 8 input channels, got 4', block: res, shape: [N, 4, 5, 5] },
    { text: 'conv2d: expected 3 input channels, got 4', block: seedResidual(3, 6, 2), shape: [N, 4, 96, 96] },
  ]
  for (const c of wrong) {
    it(`throws ${c.text} for ${JSON.stringify(c.shape.slice(1))}`, () => {
      expect(chained).toContain(`// error: ${c.typeText ?? c.text}`)
      expect(shapeErrorOf(() => run(c.block, c.shape)).message).toBe(c.text)
    })
  }
  it('runs the correct programs with the shapes their types give', () => {
    expect(run(lenetHead, [N, 1, 9, 9]).shape).toEqual([N, 120])
    expect(run(convBn(8), [N, 3, 10, 10]).shape).toEqual([N, 8, 8, 8])
    expect(run(convBn(8), [N, 3, 6, 6]).shape).toEqual([N, 8, 4, 4])
    expect(run(branches, [N, 8, 5, 5]).shape).toEqual([N, 8, 5, 5])
    expect(run(secondIn, [N, 8, 2, 2]).shape).toEqual([N, 8, 2, 2])
    expect(run(res, [N, 8, 5, 5]).shape).toEqual([N, 8, 5, 5])
    expect(run(seedResidual(3, 6, 2), [N, 3, 96, 96]).shape).toEqual([N, 6, 48, 48])
    expect(run(seedResidual(3, 6, 2), [N, 3, 6, 6]).shape).toEqual([N, 6, 3, 3])
    expect(trace(lenetHead as never, [1, 1, 9, 9]).output.shape).toEqual([1, 120])
  })
})

describe('choices and two-input joins (type-tests/negative/choices.ts): the trace runs the choice made and refuses a mismatch', () => {
  const choices = readFileSync(resolve(import.meta.dirname, '..', 'type-tests', 'negative', 'choices.ts'), 'utf8')
  const residualBlock = <const C extends number>(c: C, use1x1: boolean) =>
    residual(flow(conv2d({ out: c, kernel: 3, padding: 1 }), relu, conv2d({ out: c, kernel: 3, padding: 1 })), use1x1 ? conv2d({ out: c, kernel: 1 }) : identity)
  it('the seed’s Residual with either shortcut runs with the shape its type gives', () => {
    expect(pipe(input([N, 64, 28, 28]), residualBlock(64, false)).shape).toEqual([N, 64, 28, 28])
    expect(pipe(input([N, 32, 7, 7]), residualBlock(32, true), residualBlock(32, false)).shape).toEqual([N, 32, 7, 7])
  })
  it('the identity chosen against other channels is refused where traced (the types refuse every choice that disagrees)', () => {
    expect(choices).toContain("// error: residual: shortcut identity does not give the main path's [N,64,28,28] on [N,32,28,28]")
    expect(shapeErrorOf(() => pipe(input([N, 32, 28, 28]), residualBlock(64, false) as never)).message).toBe('residual: main path gives [N,64,28,28], shortcut gives [N,32,28,28]')
  })
  it('a sum of two inputs of different sizes is refused where traced', () => {
    expect(choices).toContain('// error: add: [N,8,4,4] vs [N,8,2,2]')
    const merge = <A extends Shape4, B extends Shape4>(a: Tensor<A>, b: Tensor<B>) => pipe(add(a, b), relu)
    expect(shapeErrorOf(() => merge(input([N, 8, 4, 4]), input([N, 8, 2, 2]))).message).toBe('add: [N,8,4,4] vs [N,8,2,2]')
  })
  it('a traced network has one input: equal sizes from two inputs are refused by the trace (docs/custom-blocks.md), one input twice is not', () => {
    const merge = <A extends Shape4, B extends Shape4>(a: Tensor<A>, b: Tensor<B>) => pipe(add(a, b), relu)
    expect(shapeErrorOf(() => merge(input([N, 8, 4, 4]), input([N, 8, 4, 4]))).message).toBe('add: expected tensors traced from the same input, got tensors from different inputs')
    const x = input([N, 8, 4, 4])
    expect(merge(x, pipe(x, relu)).shape).toEqual([N, 8, 4, 4])
  })
})

describe('a parallel branch chosen by a flag (type-tests/negative/choices.ts): the trace runs the member chosen and refuses one that disagrees in the words of the types', () => {
  const choices = readFileSync(resolve(import.meta.dirname, '..', 'type-tests', 'negative', 'choices.ts'), 'utf8')
  const run = (block: unknown, shape: readonly unknown[]) => pipe(input(shape as never) as Tensor, block as (x: Tensor) => Tensor)
  const verdictOf = (line: string) => {
    const at = choices.indexOf(line)
    expect(at).toBeGreaterThan(-1)
    return choices.slice(choices.indexOf('// error: ', at) + '// error: '.length, choices.indexOf('\n', at))
  }
  const cases = [
    // [fixture line, the block with each member chosen in turn, input, the member that disagrees]
    { line: 'export const branchChoice =', members: [true, false], make: (f: boolean) => parallel(flow(conv2d({ out: 4, kernel: 1 })), f ? conv2d({ out: 4, kernel: 1 }) : conv2d({ out: 4, kernel: 3 })), shape: [N, 8, 8, 8], ok: [N, 8, 8, 8] },
    { line: 'export const branchChoiceGeneric =', members: [true, false], make: (f: boolean) => parallel(flow(conv2d({ out: 4, kernel: 1 })), f ? conv2d({ out: 4, kernel: 1 }) : conv2d({ out: 4, kernel: 3 })), shape: [N, 8, 8, 8], ok: [N, 8, 8, 8] },
    { line: 'export const branchChoicePool =', members: [true, false], make: (f: boolean) => parallel(flow(conv2d({ out: 4, kernel: 1 })), f ? identity : maxPool2d({ kernel: 2 })), shape: [N, 8, 8, 8], ok: [N, 12, 8, 8] },
    { line: 'export const branchChoiceFirst =', members: [true, false], make: (f: boolean) => parallel(f ? conv2d({ out: 4, kernel: 1 }) : conv2d({ out: 4, kernel: 3 }), flow(conv2d({ out: 4, kernel: 1 }))), shape: [N, 8, 8, 8], ok: [N, 8, 8, 8] },
  ]
  for (const c of cases) {
    it(c.line, () => {
      const verdict = verdictOf(c.line)
      expect(run(c.make(true), c.shape).shape).toEqual(c.ok)
      const e = shapeErrorOf(() => run(c.make(false), c.shape))
      expect(e.layer).toBe('parallel')
      expect(e.message).toContain(verdict)
    })
  }
  it('a choice between members of different channels runs the member chosen (the types refuse the choice)', () => {
    expect(choices).toContain('// error: parallel: branch 3 members give different channels on [N,3,8,8]; each choice must give one shape')
    const two = (f: boolean) => parallel(flow(conv2d({ out: 4, kernel: 1 })), f ? relu : identity, f ? maxPool2d({ kernel: 3, stride: 1, padding: 1 }) : conv2d({ out: 2, kernel: 1 }))
    expect(run(two(true), [N, 3, 8, 8]).shape).toEqual([N, 10, 8, 8])
    expect(run(two(false), [N, 3, 8, 8]).shape).toEqual([N, 9, 8, 8])
  })
})

describe("parallel's branches (type-tests/negative/joins.ts): the trace gives the verdicts of the types", () => {
  const joins = readFileSync(resolve(import.meta.dirname, '..', 'type-tests', 'negative', 'joins.ts'), 'utf8')
  const run = (block: unknown, shape: readonly unknown[]) => pipe(input(shape as never) as Tensor, block as (x: Tensor) => Tensor)
  const cases = [
    { block: parallel(flow(conv2d({ out: 8, kernel: 1 })), flow(conv2d({ out: 8, kernel: 1 }), flatten)), branch: 2 },
    { block: parallel(flow(conv2d({ out: 8, kernel: 1 }), flatten), conv2d({ out: 8, kernel: 1 }), relu), branch: 1 },
    { block: parallel(relu, relu, relu, flatten), branch: 4 },
  ]
  for (const c of cases) {
    it(`a branch of rank 2 (branch ${c.branch})`, () => {
      const text = `parallel: branch ${c.branch} gives [N,128]; branches are concatenated along channels, so each must give [N, C, H, W] (flatten after the block)`
      expect(joins).toContain(`// error: parallel: branch ${c.branch} gives [N,128]; bran`)
      const e = shapeErrorOf(() => run(c.block, [N, 8, 4, 4]))
      expect(e.layer).toBe('parallel')
      expect(e.message.startsWith(`${text} (as a choice: parallel: branch ${c.branch} member `)).toBe(true)
    })
  }
  it('a branch that changes H, and one that keeps it', () => {
    const e = shapeErrorOf(() => run(parallel(conv2d({ out: 8, kernel: 1 }), conv2d({ out: 8, kernel: 3 })), [N, 3, 8, 8]))
    expect(e.message).toBe(
      "parallel: branch 2 gives H 6, branch 1 gives 8 (as a choice: parallel: branch 2 member conv2d does not give branch 1's N, H and W ([N,8,8,8]) on [N,3,8,8]; parallel: branch 1 member conv2d does not give branch 2's N, H and W ([N,8,6,6]) on [N,3,8,8])",
    )
    expect(run(parallel(relu, conv2d({ out: 8, kernel: 3, padding: 1 }), relu), [N, 8, 4, 4]).shape).toEqual([N, 24, 4, 4])
  })
})

describe("residual's trace throws the types' verdict (type-tests/negative/merge.ts)", () => {
  const merge = readFileSync(resolve(import.meta.dirname, '..', 'type-tests', 'negative', 'merge.ts'), 'utf8')
  const stage = (stride: number) => residual(flow(conv2d({ out: 8, kernel: 3, stride, padding: 1 }), relu), conv2d({ out: 8, kernel: 1 }))
  const cases = [
    { block: residual(conv2d({ out: 128, kernel: 3, stride: 2, padding: 1 }), conv2d({ out: 128, kernel: 1 })), shape: [N, 64, 56, 56], text: 'residual: main path gives [N,128,28,28], shortcut gives [N,128,56,56]' },
    { block: residual(conv2d({ out: 64, kernel: 3, padding: 1 })), shape: [N, 3, 8, 8], text: 'residual: main path gives [N,64,8,8], input gives [N,3,8,8]' },
    { block: residual(flow(conv2d({ out: 16, kernel: 3, padding: 1 }), relu)), shape: [N, 8, 8, 8], text: 'residual: main path gives [N,16,8,8], input gives [N,8,8,8]' },
    { block: stage(2), shape: [N, 8, 8, 8], text: 'residual: main path gives [N,8,4,4], shortcut gives [N,8,8,8]' },
  ]
  for (const c of cases) {
    it(c.text, () => {
      expect(merge).toContain(`// error: ${c.text}`)
      expect(shapeErrorOf(() => pipe(input(c.shape as never) as Tensor, c.block as unknown as (x: Tensor) => Tensor)).message).toBe(c.text)
    })
  }
  it('a residual whose paths agree traces, at stride 1 as at every size', () => {
    expect(pipe(input([N, 8, 8, 8]) as Tensor, stage(1) as unknown as (x: Tensor) => Tensor).shape).toEqual([N, 8, 8, 8])
    expect(pipe(input([N, 8, 5, 5]) as Tensor, residual(flow(conv2d({ out: 8, kernel: 3, padding: 1 }), relu)) as unknown as (x: Tensor) => Tensor).shape).toEqual([N, 8, 5, 5])
  })
})
