import { pipe } from 'fp-ts/lib/function.js'
import { describe, expect, it } from 'vitest'
import { memoryIo } from '../src/cli/io.js'
import { summaryCommand } from '../src/cli/summary.js'
import { input } from '../src/graph/input.js'
import { formatSummary, summarize } from '../src/graph/summary.js'
import type { Tensor } from '../src/graph/tensor.js'
import { graphOf } from '../src/graph/trace.js'
import { N } from '../src/shape/dim.js'
import { alexnet, googlenet, inception, lenet, resnet18, transition, zoo } from '../src/zoo/index.js'

describe('summarize', () => {
  it('lists leaf layers with shapes and parameters', () => {
    const s = summarize(zoo.lenet.graph({ input: [1, 1, 28, 28], classes: 10 }), 'lenet')
    expect(s.input).toEqual([1, 1, 28, 28])
    expect(s.output).toEqual([1, 10])
    expect(s.params).toBe(61706)
    expect(s.layers.map((l) => l.kind)).toEqual([
      'conv2d', 'sigmoid', 'avgPool2d', 'conv2d', 'sigmoid', 'avgPool2d', 'flatten', 'linear', 'sigmoid', 'linear', 'sigmoid', 'linear',
    ])
    expect(s.layers[0]).toEqual({ path: '0', kind: 'conv2d', shape: [1, 6, 28, 28], params: 156, macs: 6 * 28 * 28 * 25, outputBytes: 6 * 28 * 28 * 4 })
    expect(s.layers[6]).toEqual({ path: '6', kind: 'flatten', shape: [1, 400], params: 0, macs: 0, outputBytes: 1600 })
    expect(s.macs).toBe(416520)
  })

  it('prints a symbolic batch as the given batch size', () => {
    const g = graphOf(pipe(input([N, 1, 28, 28]), lenet()))
    expect(summarize(g, 'lenet').output).toEqual([1, 10])
    expect(summarize(g, 'lenet', { batch: 32 }).layers[0].shape).toEqual([32, 6, 28, 28])
  })

  it('counts BatchNorm weights but not running statistics', () => {
    const s = summarize(zoo.resnet18.graph({ input: [1, 3, 224, 224], classes: 1000 }), 'resnet18')
    expect(s.layers.find((l) => l.path === 'bn1')?.params).toBe(128)
    expect(s.params).toBe(11689512)
  })
})

describe('formatSummary', () => {
  it('reads like the seed prints plus parameters and totals', () => {
    const text = formatSummary(summarize(zoo.alexnet.graph({ input: [1, 1, 224, 224], classes: 10 }), 'alexnet'))
    const lines = text.split('\n')
    expect(lines[0]).toBe('Model: alexnet    input [1, 1, 224, 224]')
    expect(text).toMatch(/^0\s+Conv2d\s+\[1, 96, 54, 54\]\s+11,712\s+33,872,256\s+1\.07 MiB$/m)
    expect(text).toMatch(/^2\s+MaxPool2d\s+\[1, 96, 26, 26\]\s+254 KiB$/m)
    expect(text).toMatch(/^13\s+Flatten\s+\[1, 6400\]\s+25\.0 KiB$/m)
    expect(text).toMatch(/^Forward MACs: 938,146,176 \(938 M\) for input \[1, 1, 224, 224\]$/m)
    expect(text).toMatch(/^Output shape: \[1, 10\]$/m)
    expect(text).toMatch(/^Total params: 46,764,746 \(8 parameterised layers, 21 layers\)$/m)
  })
})

describe('runtime shapes equal the type-level shapes', () => {
  it('alexnet, googlenet, resnet18 and blocks', () => {
    const a: Tensor<[N, 10]> = pipe(input([N, 1, 224, 224]), alexnet())
    const b: Tensor<[N, 7]> = pipe(input([N, 1, 96, 96]), googlenet({ classes: 7 }))
    const c: Tensor<[N, 10]> = pipe(input([N, 1, 96, 96]), resnet18({ inChannels: 1, classes: 10 }))
    const d: Tensor<[N, 256, 12, 12]> = pipe(input([N, 192, 12, 12]), inception(64, [96, 128], [16, 32], 32))
    const e: Tensor<[N, 128, 28, 28]> = pipe(input([N, 256, 56, 56]), transition())
    expect([a.shape, b.shape, c.shape, d.shape, e.shape]).toEqual([[N, 10], [N, 7], [N, 10], [N, 256, 12, 12], [N, 128, 28, 28]])
    const s = summarize(graphOf(d), 'inception')
    expect(s.output).toEqual([1, 256, 12, 12])
  })
})

describe('shapesafe summary', () => {
  it('--json prints exactly one JSON object', async () => {
    const io = memoryIo()
    expect(await summaryCommand(['lenet', '--json'], io)).toBe(0)
    const out = io.out()
    expect(out.trim().split('\n')).toHaveLength(1)
    const json = JSON.parse(out)
    expect(Object.keys(json)).toEqual(['model', 'input', 'output', 'params', 'macs', 'activationBytes', 'training', 'layers'])
    expect(json).toMatchObject({ model: 'lenet', input: [1, 1, 28, 28], output: [1, 10], params: 61706, macs: 416520 })
    expect(json.layers[0]).toEqual({ path: '0', kind: 'conv2d', shape: [1, 6, 28, 28], params: 156, macs: 117600, outputBytes: 18816 })
    expect(json.training).toMatchObject({ batch: 1, optimizer: 'adam', weightsBytes: 61706 * 4, optimizerBytes: 2 * 61706 * 4 })
  })

  it('--batch replaces N: MACs and sizes for the whole batch, training memory for that batch and --optimizer', async () => {
    const one = memoryIo()
    const eight = memoryIo()
    expect(await summaryCommand(['vgg11', '--json', '--optimizer', 'sgd'], one)).toBe(0)
    expect(await summaryCommand(['vgg11', '--json', '--batch', '8', '--input', '2,1,224,224', '--optimizer', 'adam'], eight)).toBe(0)
    const [a, b] = [JSON.parse(one.out()), JSON.parse(eight.out())]
    expect(b.input).toEqual([8, 1, 224, 224])
    expect(b.macs).toBe(8 * a.macs)
    expect(b.layers[0].macs).toBe(8 * a.layers[0].macs)
    expect(b.activationBytes).toBe(8 * a.activationBytes)
    expect(b.training).toMatchObject({ batch: 8, optimizer: 'adam', optimizerBytes: 2 * a.training.optimizerBytes })
    expect(b.training.wasmBytes).toBeGreaterThan(2 ** 32)
    const table = memoryIo()
    expect(await summaryCommand(['vgg11', '--batch', '8', '--optimizer', 'adam'], table)).toBe(0)
    expect(table.out()).toMatch(/^On wasm: ≈ 4\.\d+ GiB of heap; does not fit in its 4 GiB$/m)
    const bad = memoryIo()
    expect(await summaryCommand(['vgg11', '--batch', '0'], bad)).toBe(2)
  })

  it('takes --input and --classes', async () => {
    const io = memoryIo()
    expect(await summaryCommand(['resnet18', '--input', '2,1,96,96', '--classes', '10', '--json'], io)).toBe(0)
    const json = JSON.parse(io.out())
    expect(json.input).toEqual([2, 1, 96, 96])
    expect(json.output).toEqual([2, 10])
    expect(json.params).toBe(11175370)
  })

  it('prints the table by default', async () => {
    const io = memoryIo()
    expect(await summaryCommand(['googlenet'], io)).toBe(0)
    expect(io.out()).toMatch(/^2\.0\.p1_1\s+Conv2d\s+\[1, 64, 12, 12\]\s+12,352\s+1,769,472\s+36\.0 KiB$/m)
    expect(io.out()).toMatch(/^Training step \(batch 1, adam\): ≈ [\d.]+ MiB at its peak/m)
  })

  it('unknown model: suggestions on stderr, exit 2', async () => {
    const io = memoryIo()
    expect(await summaryCommand(['alexnt'], io)).toBe(2)
    expect(io.out()).toBe('')
    expect(io.err()).toMatch(/unknown model 'alexnt'; did you mean alexnet/)
  })

  it('impossible input: readable message, exit 1', async () => {
    const io = memoryIo()
    expect(await summaryCommand(['alexnet', '--input', '1,1,20,20'], io)).toBe(1)
    expect(io.err()).toContain('alexnet: expected input [N,1,224,224], got [1,1,20,20]')
    expect(io.err()).not.toMatch(/\n\s+at /)
  })

  it('bad flags: exit 2', async () => {
    for (const argv of [['lenet', '--input', '1,28,28'], ['lenet', '--clases', '3'], []]) {
      const io = memoryIo()
      expect(await summaryCommand(argv, io)).toBe(2)
      expect(io.err()).not.toBe('')
    }
  })
})
