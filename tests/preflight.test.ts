// Pre-flight of train/compare/run: a job whose predicted memory exceeds the backend is refused before anything runs,
// with the figure and what would fit; the others get their memory and epoch time.
import { describe, expect, it } from 'vitest'
import { compareCommand } from '../src/cli/compare.js'
import { memoryIo } from '../src/cli/io.js'
import { formatDuration, preflightInference, preflightTraining, type TrainingPreflight } from '../src/cli/preflight.js'
import { runGraph } from '../src/cli/run.js'
import { trainCommand } from '../src/cli/train.js'
import { CliError } from '../src/cli/io.js'
import { zoo, type ModelName } from '../src/zoo/registry.js'
import {
  CPU_TRAINING_SPEED, TORCH_CPU_TRAINING_SPEED, trainingSecondsPerImage, trainingSpeedOf, WASM_TRAINING_SPEED, type TrainingSpeed,
} from '../src/runtime/memoryModel.js'

const job = (model: ModelName, batchSize: number, optimizer: 'sgd' | 'adam', input?: number[]): TrainingPreflight => ({
  modelName: model,
  entry: zoo[model],
  input: input ?? [1, ...zoo[model].fashionInput],
  classes: 10,
  batchSize,
  optimizer: optimizer === 'sgd' ? { name: 'sgd', learningRate: 0.01, momentum: 0.9 } : { name: 'adam', learningRate: 1e-3 },
  images: 60000,
})

const refusal = (f: () => unknown): string => {
  try {
    f()
  } catch (e) {
    expect(e).toBeInstanceOf(CliError)
    expect((e as CliError).exitCode).toBe(1)
    return (e as CliError).message
  }
  throw new Error('expected a refusal')
}

describe('preflightTraining', () => {
  it('refuses VGG-11 with Adam at batch 8 on wasm (it aborts out of heap) and says what fits', () => {
    const message = refusal(() => preflightTraining(job('vgg11', 8, 'adam'), 'wasm'))
    expect(message).toMatch(/^vgg11, batch 8, adam: needs ≈ 4\.\d+ GiB, the wasm heap holds 4 GiB; /)
    expect(message).toMatch(/; batch 4 needs ≈ 3\.\d+ GiB; batch 8 with sgd needs ≈ 3\.\d+ GiB$/)
  })

  it('refuses VGG-16 with Adam at batch 8 (the issue\'s example)', () => {
    const message = refusal(() => preflightTraining(job('vgg16', 8, 'adam'), 'wasm'))
    expect(message).toMatch(/^vgg16, batch 8, adam: needs ≈ 5\.\d+ GiB, the wasm heap holds 4 GiB; batch 4 needs .*; batch 4 with sgd needs ≈ [23]\.\d+ GiB$/)
  })

  it("refuses the seed's AlexNet at a batch past the heap, and lets the largest batch it names run", () => {
    const message = refusal(() => preflightTraining(job('alexnet', 1024, 'adam'), 'wasm'))
    const m = /^alexnet, batch 1024, adam: needs ≈ [\d.]+ GiB, the wasm heap holds 4 GiB; batch (\d+) needs ≈ [\d.]+ [MG]iB; batch (\d+) with sgd needs ≈ [\d.]+ [MG]iB$/.exec(message)
    expect(m).not.toBeNull()
    expect(preflightTraining(job('alexnet', Number(m![1]), 'adam'), 'wasm')[0]).toMatch(/^memory: alexnet, batch \d+, adam needs/)
    expect(preflightTraining(job('alexnet', Number(m![2]), 'sgd'), 'wasm')[0]).toMatch(/^memory: alexnet, batch \d+, sgd needs/)
    // Its default batch (32) fits.
    expect(preflightTraining(job('alexnet', 32, 'adam'), 'wasm')[0]).toMatch(/^memory: alexnet, batch 32, adam needs ≈ [\d.]+ [MG]iB of 4\.00 GiB/)
  })

  it('an SGD refusal suggests only a smaller batch', () => {
    const message = refusal(() => preflightTraining(job('vgg11', 16, 'sgd'), 'wasm'))
    expect(message).toMatch(/^vgg11, batch 16, sgd: needs .*; batch 8 needs ≈ 3\.\d+ GiB$/)
    expect(message).not.toContain('with sgd')
  })

  it('says when not even batch 1 fits', () => {
    const message = refusal(() => preflightTraining(job('vgg19_bn', 1, 'adam', [1, 3, 1024, 1024]), 'wasm'))
    expect(message).toMatch(/even batch 1 does not fit .*--backend tensorflow/)
  })

  it('lets the measured configurations that ran through, with memory and epoch time', () => {
    for (const [model, batch, optimizer] of [['vgg11', 4, 'sgd'], ['vgg11', 4, 'adam'], ['vgg11', 8, 'sgd'], ['resnet18', 32, 'adam'], ['densenet121', 16, 'adam'], ['lenet', 128, 'adam']] as const) {
      const lines = preflightTraining(job(model, batch, optimizer), 'wasm')
      expect(lines[0]).toMatch(new RegExp(`^memory: ${model}, batch ${batch}, ${optimizer} needs ≈ [\\d.]+ [MG]iB of 4\\.00 GiB \\(predicted\\)$`))
      expect(lines[1]).toMatch(/^time: ≈ .* per epoch of 60000 images on wasm \(estimated from the MACs\)$/)
    }
  })

  it('has no limit and no speed for the tensorflow backend', () => {
    const lines = preflightTraining(job('vgg19_bn', 64, 'adam', [1, 3, 224, 224]), 'tensorflow')
    expect(lines).toHaveLength(1)
    expect(lines[0]).toMatch(/needs ≈ [\d.]+ GiB \(predicted\)$/)
  })

  it('estimates the epoch time on cpu and on the libtorch engine from the MACs and each one\'s measured speed', () => {
    // seconds per image = 3·MACs / (multiply-adds per second) + activation bytes / (bytes per second), × 60000 images.
    const epoch = (model: ModelName, speed: TrainingSpeed) =>
      trainingSecondsPerImage(zoo[model].graph({ input: [1, ...zoo[model].fashionInput], classes: 10 }), speed) * 60000
    const cpu = preflightTraining(job('resnet-small', 128, 'adam'), 'cpu')
    expect(cpu).toHaveLength(2)
    expect(cpu[0]).toMatch(/^memory: resnet-small, batch 128, adam needs ≈ [\d.]+ MiB \(predicted\)$/)
    expect(cpu[1]).toBe(`time: ≈ ${formatDuration(epoch('resnet-small', CPU_TRAINING_SPEED))} per epoch of 60000 images on cpu (estimated from the MACs)`)
    // libtorch manages its own memory: the time only.
    const torch = preflightTraining(job('resnet18', 32, 'adam'), 'torch-cpu')
    expect(torch).toEqual([`time: ≈ ${formatDuration(epoch('resnet18', TORCH_CPU_TRAINING_SPEED))} per epoch of 60000 images on torch-cpu (estimated from the MACs)`])
    // Never measured: no line rather than a guess; and nothing refused on libtorch, even past the wasm heap.
    expect(preflightTraining(job('vgg16', 64, 'adam'), 'torch-cuda')).toEqual([])
    // The engines' order: libtorch faster than wasm, wasm faster than the JavaScript cpu backend, for every zoo net.
    for (const model of ['lenet', 'nin-small', 'resnet18', 'vgg11'] as const) {
      expect(epoch(model, TORCH_CPU_TRAINING_SPEED)).toBeLessThan(epoch(model, WASM_TRAINING_SPEED))
      expect(epoch(model, WASM_TRAINING_SPEED)).toBeLessThan(epoch(model, CPU_TRAINING_SPEED))
    }
    expect(trainingSpeedOf('tensorflow')).toBeUndefined()
  })

  it('formats durations', () => {
    expect(formatDuration(0.2)).toBe('< 1 s')
    expect(formatDuration(42)).toBe('42 s')
    expect(formatDuration(720)).toBe('12 min')
    expect(formatDuration(3.5 * 3600)).toBe('3.5 h')
    expect(formatDuration(4.2 * 86400)).toBe('4.2 days')
  })
})

describe('preflightInference', () => {
  it('refuses a batch that cannot fit and names the largest that does', () => {
    const graph = zoo.resnet152.graph({ input: [512, 3, 224, 224], classes: 1000 })
    const message = refusal(() => preflightInference(graph, 'wasm'))
    const m = /^input \[512, 3, 224, 224\]: needs ≈ ([\d.]+) GiB, the wasm heap holds 4 GiB; batch (\d+) needs ≈ ([\d.]+) GiB$/.exec(message)
    expect(m).not.toBeNull()
    expect(Number(m![3])).toBeLessThanOrEqual(4)
    expect(() => preflightInference(zoo.resnet152.graph({ input: [Number(m![2]), 3, 224, 224], classes: 1000 }), 'wasm')).not.toThrow()
    expect(() => preflightInference(zoo.resnet152.graph({ input: [Number(m![2]) + 1, 3, 224, 224], classes: 1000 }), 'wasm')).toThrow(CliError)
    expect(() => preflightInference(graph, 'tensorflow')).not.toThrow()
  })
})

describe('the commands stop before they start', () => {
  it('train: exit 1 with the refusal, before loading any data', async () => {
    const io = memoryIo()
    const code = await trainCommand(['vgg11', '--optimizer', 'adam', '--batch-size', '8', '--backend', 'wasm', '--data-dir', '/nonexistent'], io)
    expect(code).toBe(1)
    expect(io.err()).toMatch(/vgg11, batch 8, adam: needs ≈ 4\.\d+ GiB, the wasm heap holds 4 GiB/)
    expect(io.err()).not.toMatch(/nonexistent|\n\s+at /)
    expect(io.out()).toBe('')
  })

  it('compare: refuses the whole comparison before the first model trains', async () => {
    const io = memoryIo()
    const code = await compareCommand(['lenet', 'vgg16', '--optimizer', 'adam', '--batch-size', '8', '--backend', 'wasm', '--data-dir', '/nonexistent'], io)
    expect(code).toBe(1)
    expect(io.err()).toMatch(/vgg16, batch 8, adam: needs ≈ 5\.\d+ GiB/)
    expect(io.out()).not.toContain('lenet:')
  })

  it('run: refuses before reading the weights', async () => {
    const graph = zoo.resnet152.graph({ input: [512, 3, 224, 224], classes: 1000 })
    const files = { weights: '/nonexistent.safetensors', input: { shape: [512, 3, 224, 224], data: new Float32Array(0) }, output: '/tmp/never.safetensors', backend: 'wasm' }
    await expect(runGraph(graph, files, memoryIo())).rejects.toThrow(/input \[512, 3, 224, 224\]: needs ≈ .* the wasm heap holds 4 GiB/)
  })
})
