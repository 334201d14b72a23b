// The static cost model: MACs against torchvision's published figures and PyTorch hook counts, the seed AlexNet's
// per-layer figures by hand, and the training-memory model's parts.
import fs from 'node:fs'
import { describe, expect, it } from 'vitest'
import { FLOAT32_BYTES, formatBytes, formatMacs, graphCost, nodeCosts, nodeMacs } from '../src/graph/cost.js'
import { input } from '../src/graph/input.js'
import { numel, stateDictSpecs } from '../src/graph/ir.js'
import { graphOf } from '../src/graph/trace.js'
import { summarize } from '../src/graph/summary.js'
import { conv2d } from '../src/layers/conv2d.js'
import { linear } from '../src/layers/linear.js'
import { inferenceMemory, trainingMemory, wasmHeapFor } from '../src/runtime/memoryModel.js'
import { N } from '../src/shape/dim.js'
import { zoo, type ModelName } from '../src/zoo/registry.js'

const torchvision = JSON.parse(fs.readFileSync(new URL('./fixtures/torchvision-gflops.json', import.meta.url), 'utf8')) as {
  input: [number, number, number, number]
  classes: number
  gflops: Record<string, number>
}
const hooks = JSON.parse(fs.readFileSync(new URL('./goldens/macs.json', import.meta.url), 'utf8')) as {
  cases: { model: ModelName; input: [number, number, number, number]; classes: number; macs: number; layers: Record<string, number> }[]
}

describe('forward MACs', () => {
  it.each(Object.entries(torchvision.gflops))("%s matches torchvision's published GFLOPS within 1 %%", (model, gflops) => {
    const { macs } = graphCost(zoo[model as ModelName].graph({ input: torchvision.input, classes: torchvision.classes }))
    expect(Math.abs(macs / 1e9 / gflops - 1)).toBeLessThan(0.01)
    // _ops has three decimals: the exact count rounds to it.
    expect(Math.abs(macs / 1e9 - gflops)).toBeLessThanOrEqual(0.0005 + 1e-9)
  })

  it.each(hooks.cases.map((c) => [`${c.model} ${c.input.join('×')}`, c] as const))('%s equals PyTorch hook counts layer by layer', (_, c) => {
    const graph = zoo[c.model].graph({ input: c.input, classes: c.classes })
    const costs = nodeCosts(graph)
    const ours = Object.fromEntries(graph.nodes.filter((n) => costs[n.id].macs > 0).map((n) => [n.path, costs[n.id].macs]))
    expect(ours).toEqual(c.layers)
    expect(graphCost(graph).macs).toBe(c.macs)
  })

  it("the seed AlexNet's layers, by hand", () => {
    const s = summarize(zoo.alexnet.graph({ input: [1, 1, 224, 224], classes: 10 }), 'alexnet')
    const layer = (path: string) => s.layers.find((l) => l.path === path)!
    // Conv2d(1, 96, 11, stride 4, padding 1) → 96×54×54, each output 1·11·11 taps.
    expect(layer('0')).toMatchObject({ macs: 96 * 54 * 54 * 11 * 11, params: 96 * 121 + 96, outputBytes: 96 * 54 * 54 * 4 })
    expect(layer('3')).toMatchObject({ macs: 256 * 26 * 26 * 96 * 25, params: 256 * 96 * 25 + 256, outputBytes: 256 * 26 * 26 * 4 })
    expect(layer('6').macs).toBe(384 * 12 * 12 * 256 * 9)
    expect(layer('8').macs).toBe(384 * 12 * 12 * 384 * 9)
    expect(layer('10').macs).toBe(256 * 12 * 12 * 384 * 9)
    expect(layer('14')).toMatchObject({ macs: 6400 * 4096, params: 6400 * 4096 + 4096, outputBytes: 4096 * 4 })
    expect(layer('17').macs).toBe(4096 * 4096)
    expect(layer('20').macs).toBe(4096 * 10)
    for (const p of ['1', '2', '12', '13', '15', '16']) expect(layer(p).macs).toBe(0)
    expect(s.macs).toBe(938146176)
    expect(s.activationBytes).toBe(s.layers.reduce((a, l) => a + l.outputBytes, 0))
  })

  it("the seed AlexNet's layers at batch 8 and at its smallest input (193×193), by hand", () => {
    const at = (input: [number, number, number, number]) => {
      const s = summarize(zoo.alexnet.graph({ input, classes: 10 }), 'alexnet')
      return { s, layer: (path: string) => s.layers.find((l) => l.path === path)! }
    }
    const one = at([1, 1, 224, 224])
    const eight = at([8, 1, 224, 224])
    // MACs and output bytes count the whole batch; parameters do not.
    for (const l of one.s.layers) {
      expect(eight.layer(l.path)).toMatchObject({ macs: 8 * l.macs, outputBytes: 8 * l.outputBytes, params: l.params })
    }
    // 193×193: conv1 ⌊(193 + 2 − 11)/4⌋ + 1 = 47, pool 23, conv2 23, pool 11, conv3–5 11, pool 5: the same 6400
    // features, so the Linears are unchanged.
    const small = at([1, 1, 193, 193])
    expect(small.layer('0')).toMatchObject({ macs: 96 * 47 * 47 * 121, params: 96 * 121 + 96, outputBytes: 96 * 47 * 47 * 4 })
    expect(small.layer('3').macs).toBe(256 * 23 * 23 * 96 * 25)
    expect(small.layer('6').macs).toBe(384 * 11 * 11 * 256 * 9)
    expect(small.layer('14')).toMatchObject({ macs: 6400 * 4096, params: 6400 * 4096 + 4096 })
    expect(small.s.params).toBe(one.s.params)
  })

  it('scales with the batch, concrete or symbolic, and counts grouped and strided convs', () => {
    const at1 = graphCost(zoo.resnet18.graph({ input: [1, 3, 224, 224], classes: 1000 })).macs
    expect(graphCost(zoo.resnet18.graph({ input: [8, 3, 224, 224], classes: 1000 })).macs).toBe(8 * at1)
    const g = graphOf(linear({ in: 12, out: 5 })(input([N, 12])))
    expect(graphCost(g).macs).toBe(60)
    expect(graphCost(g, 32).macs).toBe(32 * 60)
    expect(nodeCosts(g, 32)[g.output.id].outputBytes).toBe(32 * 5 * FLOAT32_BYTES)
    const grouped = graphOf(conv2d({ out: 8, kernel: 3, groups: 4, stride: 2, padding: 1 })(input([N, 8, 10, 10])))
    expect(nodeMacs(grouped.output, 2)).toBe(2 * 8 * 5 * 5 * (8 / 4) * 9)
  })

  it('formats figures', () => {
    expect(formatMacs(1_814_073_344)).toBe('1.81 G')
    expect(formatMacs(938_146_176)).toBe('938 M')
    expect(formatMacs(500)).toBe('500')
    expect(formatBytes(5.36 * 2 ** 30)).toBe('5.36 GiB')
    expect(formatBytes(40)).toBe('40 B')
  })
})

describe('training memory model', () => {
  const vgg = (batch: number) => zoo.vgg11.graph({ input: [batch, 1, 224, 224], classes: 10 })

  it('weights, gradients and one or two optimizer slots per parameter', () => {
    const params = 128806154 * 4
    const sgd = trainingMemory(vgg(4), { optimizer: 'sgd' })
    const adam = trainingMemory(vgg(4), { optimizer: 'adam' })
    expect(sgd.weights).toBe(params)
    expect(sgd.gradients).toBe(params)
    expect(sgd.optimizerState).toBe(params)
    expect(adam.optimizerState).toBe(2 * params)
    expect(trainingMemory(vgg(4), { optimizer: 'sgd-no-momentum' }).optimizerState).toBe(0)
    expect(adam.peak).toBeGreaterThan(sgd.peak)
  })

  it('activations kept for backward grow with the batch; the weights do not', () => {
    const [a, b] = [trainingMemory(vgg(2), { optimizer: 'sgd' }), trainingMemory(vgg(4), { optimizer: 'sgd' })]
    expect(b.activations).toBeCloseTo(2 * a.activations, -3)
    expect(b.backward).toBeCloseTo(2 * a.backward, -3)
    expect(b.weights).toBe(a.weights)
  })

  it("VGG's peak is the optimizer step at a small batch and the backward pass at a large one", () => {
    expect(trainingMemory(vgg(2), { optimizer: 'sgd' }).peakAt).toBe('optimizer')
    expect(trainingMemory(vgg(16), { optimizer: 'sgd' }).peakAt).toBe('backward')
  })

  it('weight decay adds a temporary of the largest parameter to the optimizer step', () => {
    const plain = trainingMemory(vgg(2), { optimizer: 'sgd' })
    const decayed = trainingMemory(vgg(2), { optimizer: 'sgd', weightDecay: true })
    expect(decayed.peak - plain.peak).toBe(25088 * 4096 * 4)
  })

  it("XNNPACK's caches: packed weights (output channels padded to 8) and one image's indirection buffer, whatever the batch", () => {
    const lenet = (batch: number) => trainingMemory(zoo.lenet.graph({ input: [batch, 1, 28, 28], classes: 10 }), { optimizer: 'sgd' })
    // conv1 5×5 1→6 (packs 8) on 28×28, conv2 5×5 6→16 on 10×10: packed weights + 25 pointers per output pixel of
    // one image; the Linears (batch > 5: their products pack the weights) 400→120, 120→84 (packs 88), 84→10 (packs 16).
    const conv = 25 * 1 * 8 * 4 + 28 * 28 * 25 * 4 + (25 * 6 * 16 * 4 + 10 * 10 * 25 * 4)
    const linears = (400 * 120 + 120 * 88 + 84 * 16) * 4
    expect(lenet(128).caches).toBe(conv + linears)
    expect(lenet(2048).caches).toBe(lenet(128).caches)
  })

  it("the filter gradient's transient: x and dy transposed, dy packed with its channels padded to 8", () => {
    const m = trainingMemory(zoo.lenet.graph({ input: [2048, 1, 28, 28], classes: 10 }), { optimizer: 'sgd' })
    // The first layer's: x [2048, 1, 28, 28], dy [2048, 6, 28, 28] (packed as 8), and 28·28 taps for 5·5 outputs.
    const x = 2048 * 28 * 28 * 4
    const dy = 6 * x
    expect(m.transient).toBe(x + dy + (dy * 8) / 6 + 25 * 28 * 28 * 4)
  })

  it('a symbolic batch takes the given value', () => {
    const g = graphOf(linear({ in: 100, out: 10 })(input([N, 100])))
    expect(trainingMemory(g, { optimizer: 'sgd', batch: 64 }).activations).toBeGreaterThan(trainingMemory(g, { optimizer: 'sgd', batch: 8 }).activations)
  })

  it('inference: weights and packed copies are fixed, activations scale with the batch', () => {
    const r = (b: number) => inferenceMemory(zoo.resnet18.graph({ input: [b, 3, 224, 224], classes: 1000 }))
    expect(r(4).fixed).toBe(r(1).fixed)
    expect(r(4).activations).toBe(4 * r(1).activations)
    // Every state tensor, and a packed copy of each conv and linear weight.
    const specs = stateDictSpecs(zoo.resnet18.graph({ input: [1, 3, 224, 224], classes: 1000 }))
    const sum = (ps: typeof specs) => ps.reduce((a, p) => a + numel(p.shape), 0) * 4
    expect(r(1).fixed).toBe(sum(specs) + sum(specs.filter((p) => p.role === 'weight')))
    expect(r(1).peak).toBe(r(1).fixed + r(1).activations)
  })

  it("wasm heap sizes follow Emscripten's growth steps", () => {
    const MiB = 2 ** 20
    expect(wasmHeapFor(0)).toBe(16 * MiB)
    expect(wasmHeapFor(10 * MiB)).toBe(16 * MiB)
    const small = wasmHeapFor(22 * MiB)
    expect(small / MiB).toBeGreaterThan(22)
    expect(small / MiB).toBeLessThan(24)
    const big = wasmHeapFor(3300 * MiB)
    expect(big).toBeGreaterThanOrEqual(3300 * MiB)
    expect(big - 3300 * MiB).toBeLessThanOrEqual(96 * MiB)
  })
})
