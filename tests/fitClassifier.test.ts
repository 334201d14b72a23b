/**
 * `fitClassifier` / `--fit-classifier`: the seed's AlexNet and VGGs with their first Linear sized to the input, an
 * explicit opt-in to train them at another size. Without it the classifier's own verdict stays and names the flag;
 * with it the run records the variant (results, JSON, checkpoints) and a resume rebuilds the same net.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pipe } from 'fp-ts/lib/function.js'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { memoryIo } from '../src/cli/io.js'
import { main } from '../src/cli/main.js'
import { input } from '../src/graph/input.js'
import { stateDictSpecs } from '../src/graph/ir.js'
import { summarize } from '../src/graph/summary.js'
import { LayerOptionsError } from '../src/shape/errors.js'
import { N } from '../src/shape/dim.js'
import { alexnet, fitClassifierNets, modelNames, vgg11, zoo } from '../src/zoo/index.js'

describe('fitClassifier in the zoo', () => {
  it('sizes the first Linear of alexnet and vgg11…19 to the input, with the seed net’s names', () => {
    const seed = stateDictSpecs(zoo.alexnet.graph({ input: [1, 1, 224, 224], classes: 10 }))
    const small = stateDictSpecs(zoo.alexnet.graph({ input: [1, 1, 96, 96], classes: 10, fitClassifier: true }))
    expect(small.map((s) => s.name)).toEqual(seed.map((s) => s.name))
    expect(small.find((s) => s.name === '14.weight')?.shape).toEqual([4096, 256])
    expect(seed.find((s) => s.name === '14.weight')?.shape).toEqual([4096, 6400])
    // At the seed's size the fitted net is the seed's net.
    expect(stateDictSpecs(zoo.alexnet.graph({ input: [1, 1, 224, 224], classes: 10, fitClassifier: true }))).toEqual(seed)
    for (const [name, width] of [['vgg11', 2048], ['vgg13', 2048], ['vgg16', 2048], ['vgg19', 2048]] as const) {
      const g = zoo[name].graph({ input: [1, 1, 64, 64], classes: 10, fitClassifier: true })
      expect(summarize(g, name).output).toEqual([1, 10])
      const first = g.nodes.find((n) => n.op.kind === 'linear')!
      expect(first.op.kind === 'linear' && first.op.inFeatures, name).toBe(width)
    }
  })

  it('is taken by alexnet and the seed VGGs only; the others refuse it, naming those that take it', () => {
    expect(fitClassifierNets()).toEqual(['alexnet', 'vgg11', 'vgg13', 'vgg16', 'vgg19'])
    for (const name of modelNames) {
      if (fitClassifierNets().includes(name)) continue
      const [, c, h, w] = zoo[name].defaultInput
      expect(() => zoo[name].graph({ input: [1, c, h, w], classes: 10, fitClassifier: true }), name).toThrow(LayerOptionsError)
      expect(() => zoo[name].graph({ input: [1, c, h, w], classes: 10, fitClassifier: true }), name).toThrow(
        `${name} has no fitClassifier option: only the nets whose first Linear has a fixed width take it (alexnet, vgg11, vgg13, vgg16, vgg19)`,
      )
    }
  })

  it('without it the classifier verdict stays; a too-small input fails either way', () => {
    expect(() => zoo.alexnet.graph({ input: [1, 1, 96, 96], classes: 10 })).toThrow('linear: expected 6400 input features, got 256')
    expect(() => zoo.vgg11.graph({ input: [1, 1, 64, 64], classes: 10, fitClassifier: false })).toThrow('linear: expected 25088 input features, got 2048')
    expect(() => zoo.alexnet.graph({ input: [1, 1, 64, 64], classes: 10, fitClassifier: true })).toThrow('maxPool2d: expected kernel 3×3 to fit the padded input')
    expect(() => zoo.vgg11.graph({ input: [1, 1, 16, 16], classes: 10, fitClassifier: true })).toThrow(/maxPool2d/)
  })

  it('the factories check the option and keep the batch symbolic', () => {
    expect(pipe(input([N, 1, 96, 96]), alexnet({ fitClassifier: true })).shape).toEqual([N, 10])
    expect(pipe(input([N, 3, 64, 64]), vgg11({ fitClassifier: true, inChannels: 3, classes: 5 })).shape).toEqual([N, 5])
    expect(() => alexnet({ fitClassifier: 'yes' as never })).toThrow('alexnet: fitClassifier must be true or false, got "yes"')
    expect(() => alexnet({ fit: true } as never)).toThrow(/alexnet: unknown option 'fit'/)
  })
})

describe('--fit-classifier on the command line', () => {
  let dir: string
  const tiny = ['--limit-train', '16', '--limit-test', '8', '--batch-size', '8', '--optimizer', 'sgd', '--backend', 'wasm']
  const run = async (argv: string[]) => {
    const io = memoryIo()
    const code = await main(argv, io)
    return { code, out: io.out(), err: io.err() }
  }
  const lastJson = (out: string) => JSON.parse(out.trimEnd().split('\n').at(-1)!) as Record<string, unknown>
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'shapesafe-fit-'))
  })
  afterAll(() => {
    rmSync(dir, { recursive: true, force: true })
  })

  it('without the flag, the error stays and names the flag; the flag on a net without a fixed classifier is refused', async () => {
    const refused = await run(['train', 'alexnet', '--resize', '96', '--epochs', '1', ...tiny])
    expect(refused.code).toBe(2)
    expect(refused.err).toContain('alexnet cannot take input [1, 1, 96, 96]: linear: expected 6400 input features, got 256; add --fit-classifier')
    expect(refused.err).toContain('Linear(256, 4096)')
    const tooSmall = await run(['train', 'alexnet', '--resize', '64', '--epochs', '1', ...tiny])
    expect(tooSmall.code).toBe(2)
    expect(tooSmall.err).not.toContain('--fit-classifier')
    const lenet = await run(['train', 'lenet', '--fit-classifier', '--epochs', '1', ...tiny])
    expect(lenet.code).toBe(2)
    expect(lenet.err).toContain('--fit-classifier applies to the nets whose first Linear has a fixed width (alexnet, vgg11, vgg13, vgg16, vgg19), not lenet')
    const summary = await run(['summary', 'vgg11', '--input', '1,1,64,64'])
    expect(summary.code).toBe(1)
    expect(summary.err).toContain('linear: expected 25088 input features, got 2048 (add --fit-classifier')
    const fitted = await run(['summary', 'vgg11', '--input', '1,1,64,64', '--fit-classifier', '--json'])
    expect(fitted.code).toBe(0)
    expect(lastJson(fitted.out).output).toEqual([1, 10])
  })

  it('train records the variant in its JSON and checkpoint; resume rebuilds the same net and refuses to change it', async () => {
    const ckpt = join(dir, 'alexnet96')
    const first = await run(['train', 'alexnet', '--resize', '96', '--fit-classifier', '--epochs', '1', '--checkpoint', ckpt, '--json', ...tiny])
    expect(first.err).toBe('')
    expect(first.code).toBe(0)
    expect(lastJson(first.out)).toMatchObject({ model: 'alexnet', epochs: 1, fit_classifier: true })
    const meta = JSON.parse(readFileSync(`${ckpt}.json`, 'utf8')).meta
    expect(meta.modelOptions).toEqual({ input: [1, 1, 96, 96], classes: 10, fitClassifier: true })

    // Resumed without the flag: the checkpoint says which net it is.
    const resumed = await run(['train', 'alexnet', '--checkpoint', ckpt, '--resume', '--epochs', '2', '--json', '--backend', 'wasm'])
    expect(resumed.err).toBe('')
    expect(resumed.code).toBe(0)
    expect(lastJson(resumed.out)).toMatchObject({ epochs: 2, fit_classifier: true })
    expect(JSON.parse(readFileSync(`${ckpt}.json`, 'utf8')).meta.modelOptions.fitClassifier).toBe(true)
    const again = await run(['train', 'alexnet', '--checkpoint', ckpt, '--resume', '--epochs', '3', '--fit-classifier', '--json', '--backend', 'wasm'])
    expect(again.err).toBe('')
    expect(again.code).toBe(0)
  }, 300_000)

  it('a checkpoint of the seed net refuses --fit-classifier on resume', async () => {
    const ckpt = join(dir, 'vgg-seed')
    // A seed-size run is too heavy for a unit test; the refusal comes before any training, from the run info alone.
    const first = await run(['train', 'lenet', '--epochs', '1', '--checkpoint', ckpt, ...tiny])
    expect(first.code, first.err).toBe(0)
    const lenet = await run(['train', 'lenet', '--checkpoint', ckpt, '--resume', '--epochs', '2', '--fit-classifier'])
    expect(lenet.code).toBe(2)
    expect(lenet.err).toContain('--fit-classifier applies to')
    // The same checkpoint read as an alexnet run's info: renamed model, so the fixed-setting check speaks.
    const meta = JSON.parse(readFileSync(`${ckpt}.json`, 'utf8'))
    meta.meta.model = 'alexnet'
    const { writeFileSync } = await import('node:fs')
    writeFileSync(`${ckpt}.json`, JSON.stringify(meta))
    const refused = await run(['train', 'alexnet', '--checkpoint', ckpt, '--resume', '--epochs', '2', '--fit-classifier'])
    expect(refused.code).toBe(2)
    expect(refused.err).toContain(`cannot resume with --fit-classifier: ${ckpt} was trained without it`)
  }, 120_000)

  it('compare labels the variant in the table, the plots and results.json; nets without a fixed classifier train as they are', async () => {
    const out = join(dir, 'cmp')
    const io = memoryIo()
    const code = await main(['compare', 'nin-small', 'alexnet', '--resize', '96', '--fit-classifier', '--epochs', '1', ...tiny, '--out', out], io)
    expect(io.err()).toBe('')
    expect(code).toBe(0)
    const table = readFileSync(join(out, 'results.md'), 'utf8')
    expect(table).toMatch(/\| nin-small \| 1×96×96 \|/)
    expect(table).toMatch(/\| alexnet \(--fit-classifier\) \| 1×96×96 \| 21,598,922 \|/)
    expect(readFileSync(join(out, 'accuracy.svg'), 'utf8')).toContain('>alexnet (--fit-classifier)</text>')
    const report = JSON.parse(readFileSync(join(out, 'results.json'), 'utf8'))
    expect(report.results.map((r: { model: string; fitClassifier?: boolean }) => [r.model, r.fitClassifier])).toEqual([['nin-small', undefined], ['alexnet', true]])
  }, 300_000)
})
