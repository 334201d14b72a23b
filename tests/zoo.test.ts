import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { pipe } from 'fp-ts/lib/function.js'
import * as E from 'fp-ts/lib/Either.js'
import { describe, expect, it } from 'vitest'
import { input } from '../src/graph/input.js'
import { stateDictSpecs } from '../src/graph/ir.js'
import { summarize } from '../src/graph/summary.js'
import { graphOf } from '../src/graph/trace.js'
import { ShapeError } from '../src/layers/layer.js'
import { N } from '../src/shape/dim.js'
import { alexnet, densenet121, lenetBn, lookupModel, modelNames, resnet50, zoo, type ModelName } from '../src/zoo/index.js'

const goldenDir = fileURLToPath(new URL('./goldens/zoo/', import.meta.url))

interface Golden {
  model: string
  input: [number, number, number, number]
  classes: number
  output: number[]
  params: number
  layers: { path: string; kind: string; shape: number[]; params: number }[]
  state_dict: [string, number[]][]
}

const index: { id: string; model: string; input: [number, number, number, number]; classes: number }[] = JSON.parse(
  readFileSync(`${goldenDir}index.json`, 'utf8'),
)

describe('zoo matches PyTorch (tests/goldens/zoo)', () => {
  it('has a reference for every seed and torchvision model', () => {
    const covered = new Set(index.map((r) => r.model))
    for (const name of modelNames) if (!name.endsWith('-small')) expect(covered, name).toContain(name)
  })

  for (const ref of index) {
    it(ref.id, () => {
      const golden: Golden = JSON.parse(readFileSync(`${goldenDir}${ref.id}.json`, 'utf8'))
      const graph = zoo[ref.model as ModelName].graph({ input: ref.input, classes: ref.classes })
      const summary = summarize(graph, ref.model)
      expect(summary.output).toEqual(golden.output)
      expect(summary.params).toBe(golden.params)
      expect(stateDictSpecs(graph).map((p) => [p.name, [...p.shape]])).toEqual(golden.state_dict)

      // PyTorch's hooks see leaf modules only; match each event, in order, to the next of our layers with its path.
      const matched = new Set<number>()
      let next = 0
      for (const event of golden.layers) {
        const at = summary.layers.findIndex((l, i) => i >= next && l.path === event.path)
        expect(at, `PyTorch layer ${event.path} (${event.kind}) not found after position ${next}`).toBeGreaterThanOrEqual(0)
        const ours = summary.layers[at]
        expect({ path: ours.path, kind: ours.kind, shape: ours.shape, params: ours.params }).toEqual(event)
        matched.add(at)
        next = at + 1
      }
      const unmatched = summary.layers.filter((l, i) => l.params > 0 && !matched.has(i)).map((l) => l.path)
      expect(unmatched).toEqual([])
    })
  }
})

describe('shapesafe additions', () => {
  it.each(['resnet-small', 'nin-small'] as const)('%s runs on 28×28 with 10 classes', (name) => {
    const s = summarize(zoo[name].graph({ input: [2, 1, 28, 28], classes: 10 }), name)
    expect(s.output).toEqual([2, 10])
    expect(s.params).toBeGreaterThan(10_000)
    expect(s.params).toBeLessThan(400_000)
  })

  it('resnet-small uses the seed Residual names', () => {
    const names = stateDictSpecs(zoo['resnet-small'].graph({ input: [1, 1, 28, 28], classes: 10 })).map((p) => p.name)
    expect(names).toContain('1.0.conv1.weight')
    expect(names).toContain('2.0.conv3.weight')
    expect(names).toContain('2.0.bn2.running_var')
    expect(names.at(-1)).toBe('6.bias')
  })
})

describe('registry', () => {
  it('every entry traces at its default and its Fashion-MNIST input', () => {
    for (const name of modelNames) {
      const entry = zoo[name]
      expect(entry.name).toBe(name)
      expect(summarize(entry.graph({ input: entry.defaultInput, classes: entry.defaultClasses }), name).output).toEqual([1, entry.defaultClasses])
      const [c, h, w] = entry.fashionInput
      expect(summarize(entry.graph({ input: [1, c, h, w], classes: 10 }), name).output).toEqual([1, 10])
    }
  })

  it('lookupModel suggests close names', () => {
    expect(E.isRight(lookupModel('resnet50'))).toBe(true)
    const miss = lookupModel('resnet5')
    expect(E.isLeft(miss) && miss.left).toMatch(/unknown model 'resnet5'; did you mean .*resnet50/)
    const dash = lookupModel('resnet_small')
    expect(E.isLeft(dash) && dash.left).toMatch(/did you mean resnet-small/)
  })

  it('impossible inputs throw readable ShapeErrors', () => {
    expect(() => zoo.alexnet.graph({ input: [1, 1, 20, 20], classes: 10 })).toThrow(ShapeError)
    expect(() => zoo.alexnet.graph({ input: [1, 1, 225, 225], classes: 10 })).toThrow('linear: expected 6400 input features, got 9216')
    expect(() => alexnet()(input([1, 3, 224, 224]) as never)).toThrow('alexnet: expected input [N,1,H,W], got [1,3,224,224]')
    expect(() => zoo.densenet121.graph({ input: [1, 3, 16, 16], classes: 10 })).toThrow('densenet121: expected input [N,3,H,W] with H, W ≥ 29')
    expect(() => zoo.nin.graph({ input: [1, 1, 66, 66], classes: 10 })).toThrow(/nin: expected input/)
  })

  // Issue 12 §4: every size a net's own layers take works, and the others fail at the layer where the net stops
  // fitting. The same sizes are type-checked in type-tests/vitest/zoo.test-d.ts and type-tests/negative/zoo-sizes.ts.
  const fixedClassifier: readonly { name: ModelName; works: readonly [number, number][]; fails: readonly [[number, number], string][] }[] = [
    {
      name: 'alexnet',
      works: [[224, 224], [223, 223], [193, 193], [193, 224], [224, 193]],
      fails: [
        [[225, 225], 'linear: expected 6400 input features, got 9216'],
        [[192, 192], 'linear: expected 6400 input features, got 4096'],
        [[256, 224], 'linear: expected 6400 input features, got 7680'],
        [[20, 20], 'maxPool2d: expected kernel 3×3 to fit the padded input, got [1,256,1,1]'],
      ],
    },
    {
      name: 'lenet',
      works: [[28, 28], [31, 31], [28, 30]],
      fails: [
        [[32, 32], 'linear: expected 400 input features, got 576'],
        [[27, 27], 'linear: expected 400 input features, got 256'],
        [[4, 4], 'conv2d: expected kernel 5×5 to fit the padded input, got [1,6,2,2]'],
      ],
    },
    {
      name: 'lenet-bn',
      works: [[28, 28], [31, 31], [28, 30]],
      fails: [
        [[32, 32], 'linear: expected 256 input features, got 400'],
        [[27, 27], 'linear: expected 256 input features, got 144'],
        [[8, 8], 'conv2d: expected kernel 5×5 to fit the padded input, got [1,6,2,2]'],
      ],
    },
    {
      name: 'vgg11',
      works: [[224, 224], [255, 255], [240, 224]],
      fails: [
        [[223, 223], 'linear: expected 25088 input features, got 18432'],
        [[256, 256], 'linear: expected 25088 input features, got 32768'],
        [[96, 96], 'linear: expected 25088 input features, got 4608'],
      ],
    },
  ]
  it.each(fixedClassifier)('$name takes every size its layers take, and fails at the layer that stops fitting', ({ name, works, fails }) => {
    const c = zoo[name].defaultInput[1]
    for (const [h, w] of works) expect(summarize(zoo[name].graph({ input: [1, c, h, w], classes: 10 }), name).output).toEqual([1, 10])
    for (const [[h, w], message] of fails) {
      expect(() => zoo[name].graph({ input: [1, c, h, w], classes: 10 })).toThrow(ShapeError)
      expect(() => zoo[name].graph({ input: [1, c, h, w], classes: 10 })).toThrow(message)
    }
  })

  it('the minimum sizes in the input checks are tight', () => {
    for (const [name, min] of [['densenet121', 29], ['nin', 67], ['vgg11_bn', 32], ['nin-small', 4]] as const) {
      const c = zoo[name].defaultInput[1]
      expect(summarize(zoo[name].graph({ input: [1, c, min, min], classes: 10 }), name).output).toEqual([1, 10])
      expect(() => zoo[name].graph({ input: [1, c, min - 1, min - 1], classes: 10 })).toThrow(`${name}: expected input [N,${c},H,W] with H, W ≥ ${min}`)
    }
  })
})

describe('lenet-bn (d2l §8.5)', () => {
  it("has d2l's layers in its state_dict order: BatchNorm after each conv and hidden Linear, 16×4×4 into the classifier", () => {
    const graph = zoo['lenet-bn'].graph({ input: [2, 1, 28, 28], classes: 10 })
    const specs = stateDictSpecs(graph).map((p) => [p.name, [...p.shape]])
    expect(specs.filter(([n]) => (n as string).endsWith('running_var'))).toEqual([['1.running_var', [6]], ['5.running_var', [16]], ['10.running_var', [120]], ['13.running_var', [84]]])
    expect(specs.find(([n]) => n === '9.weight')).toEqual(['9.weight', [120, 256]])
    expect(summarize(graph, 'lenet-bn').layers.filter((l) => l.kind.startsWith('batchNorm')).map((l) => l.kind)).toEqual(['batchNorm2d', 'batchNorm2d', 'batchNorm1d', 'batchNorm1d'])
  })

  it('checks its options and its input channels by its own name', () => {
    expect(() => lenetBn({ num_classes: 10 } as never)).toThrow(/lenet-bn/)
    expect(() => lenetBn()(input([1, 3, 28, 28]) as never)).toThrow('lenet-bn: expected input [N,1,H,W], got [1,3,28,28]')
    expect(pipe(input([N, 3, 28, 28]), lenetBn({ inChannels: 3, classes: 5 })).shape).toEqual([N, 5])
  })
})

describe('factories with a symbolic batch', () => {
  it('keep N symbolic and type the output', () => {
    const y = pipe(input([N, 3, 224, 224]), resnet50({ classes: 10 }))
    expect(y.shape).toEqual([N, 10])
    const g = graphOf(y)
    expect(g.nodes.find((n) => n.path === 'layer1.0.downsample.0')?.shape).toEqual([N, 256, 56, 56])
  })

  it('alexnet rejects a wrong input at trace time too', () => {
    const x = input([N, 1, 224, 224] as [N, number, number, number])
    expect(pipe(x, alexnet()).shape).toEqual([N, 10])
    expect(pipe(input([N, 1, 223, 223] as [N, number, number, number]), alexnet()).shape).toEqual([N, 10])
    expect(() => alexnet()(input([N, 1, 225, 225] as [N, number, number, number]))).toThrow('linear: expected 6400 input features, got 9216')
  })

  it('densenet121 with one input channel', () => {
    const y = pipe(input([N, 1, 96, 96]), densenet121({ inChannels: 1, classes: 10 }))
    expect(y.shape).toEqual([N, 10])
  })
})

describe('training defaults in the registry', () => {
  it('gives every model its defaults, the generic ones for names outside the zoo', async () => {
    const { trainDefaults, modelNames, zoo: registry } = await import('../src/zoo/registry.js')
    const generic = { optimizer: 'adam', learningRate: 1e-3, batchSize: 128, epochs: 2 }
    expect(trainDefaults('lenet')).toEqual({ ...generic, learningRate: 5e-3 })
    expect(trainDefaults('vgg16_bn')).toEqual({ ...generic, optimizer: 'sgd', learningRate: 0.01, batchSize: 4 })
    expect(trainDefaults('densenet201')).toEqual({ ...generic, batchSize: 16 })
    expect(trainDefaults('resnet152')).toEqual({ ...generic, batchSize: 32 })
    expect(trainDefaults('lenet-bn')).toEqual({ ...generic, optimizer: 'sgd', learningRate: 0.1, batchSize: 256 })
    expect(trainDefaults('nin-small')).toEqual(generic)
    expect(trainDefaults('not-a-model')).toEqual(generic)
    expect(trainDefaults('toString')).toEqual(generic)
    for (const m of modelNames) expect(registry[m].training, m).toEqual(trainDefaults(m))
  })
})
