/**
 * `npm run bench -- memory [model] [--batch B] [--optimizer adam|sgd] [--steps K] [--backend B]`: the memory and time of training
 * steps of one zoo model at its Fashion-MNIST input size and `shapesafe train`'s configuration, on synthetic data. On wasm it reports the size of the wasm
 * heap after each step: the heap never shrinks, so its size is the high-water mark of everything the step allocated
 * (tensors, XNNPACK's packed weights, kernel scratch), which must stay under the 4 GB limit. One configuration per
 * process, for that reason.
 *
 * @module
 */
import * as tf from '@tensorflow/tfjs'
import { resolveTrainJob } from '../src/train/job.js'
import { numel } from '../src/graph/ir.js'
import { selectBackend } from '../src/runtime/backend.js'
import { compile } from '../src/runtime/model.js'
import { initialTrainingState, disposeTrainingState, trainStep } from '../src/train/fit.js'
import { lookupModel } from '../src/zoo/registry.js'

/** What to measure. */
export interface MemoryBenchOptions {
  readonly model: string
  /** Default: the model's default batch size. */
  readonly batch?: number
  readonly optimizer?: 'adam' | 'sgd'
  /** Training steps to run (default 4). */
  readonly steps?: number
  /** TensorFlow.js backend (default: the best available, as `selectBackend` picks it). */
  readonly backend?: string
}

/** One measured step. */
export interface MemoryStep {
  readonly step: number
  readonly seconds: number
  /** CPU time of the process during the step (user + system), seconds: the time on one free core. */
  readonly cpuSeconds: number
  /** wasm heap size after the step, MiB (undefined on other backends). */
  readonly heapMiB: number | undefined
  /** Bytes of live tensors after the step, MiB. */
  readonly tensorMiB: number
}

/** The result of {@link benchmarkTrainingMemory}. */
export interface MemoryBenchReport {
  readonly model: string
  readonly input: readonly [number, number, number]
  readonly batch: number
  readonly optimizer: 'adam' | 'sgd'
  readonly parameters: number
  readonly backend: string
  /** Heap and live tensors after initialisation (weights and optimizer state). */
  readonly initial: Omit<MemoryStep, 'step' | 'seconds' | 'cpuSeconds'>
  readonly steps: readonly MemoryStep[]
}

const MiB = 2 ** 20

/** The wasm heap's size in MiB, or undefined when the backend is not wasm. */
const heapMiB = (): number | undefined => {
  const heap = (tf.backend() as { wasm?: { HEAPU8?: Uint8Array } }).wasm?.HEAPU8
  return heap === undefined ? undefined : heap.length / MiB
}

/**
 * Trains `options.steps` steps of a zoo model on random images (labels 0…9 in turn) and records time and memory
 * after each.
 *
 * @example
 * ```ts
 * const report = await benchmarkTrainingMemory({ model: 'vgg11', batch: 4, optimizer: 'adam' })
 * ```
 */
export async function benchmarkTrainingMemory(options: MemoryBenchOptions): Promise<MemoryBenchReport> {
  const found = lookupModel(options.model)
  if (found._tag === 'Left') throw new Error(found.left)
  const entry = found.right
  const backend = await selectBackend(options.backend === undefined ? {} : { backend: options.backend })
  // The configuration `shapesafe train <model>` would use with these flags.
  const train = resolveTrainJob(entry.name, entry, {
    ...(options.batch === undefined ? {} : { batchSize: options.batch }),
    ...(options.optimizer === undefined ? {} : { optimizer: options.optimizer }),
  }).options
  const batch = train.batchSize
  const optimizer = train.optimizer.name
  const [c, h, w] = entry.fashionInput
  const model = compile(entry.graph({ input: [batch, c, h, w], classes: 10 }))
  let state = initialTrainingState(model, train)
  const initial = { heapMiB: heapMiB(), tensorMiB: tf.memory().numBytes / MiB }
  const steps: MemoryStep[] = []
  const count = options.steps ?? 4
  for (let i = 0; i < count; i++) {
    const x = tf.randomNormal([batch, c, h, w], 0, 1, 'float32', i)
    const y = tf.tensor1d(Array.from({ length: batch }, (_, k) => k % 10), 'int32')
    const started = performance.now()
    const cpu = process.cpuUsage()
    const result = await trainStep(model, state, { x, y }, train, { epoch: 0, iteration: i, iterationsPerEpoch: count })
    state = result.state
    tf.dispose([x, y])
    const used = process.cpuUsage(cpu)
    steps.push({ step: i + 1, seconds: (performance.now() - started) / 1000, cpuSeconds: (used.user + used.system) / 1e6, heapMiB: heapMiB(), tensorMiB: tf.memory().numBytes / MiB })
  }
  disposeTrainingState(model, state)
  const parameters = model.trainable.reduce((n, p) => n + numel(p.shape), 0)
  return { model: entry.name, input: [c, h, w], batch, optimizer, parameters, backend: backend.name, initial, steps }
}

/**
 * One markdown table row: model, input, batch, optimizer, parameters, heap after init, largest heap after a step,
 * median step seconds.
 *
 * @example
 * ```ts
 * formatMemoryRow(report) // '| vgg11 | 1×224×224 | 4 | adam | 128,806,154 | 1570 | 3719 | 20.3 |'
 * ```
 */
export function formatMemoryRow(r: MemoryBenchReport): string {
  const heaps = r.steps.map((s) => s.heapMiB ?? NaN)
  const seconds = [...r.steps.map((s) => s.seconds)].sort((a, b) => a - b)
  const median = seconds.length === 0 ? NaN : seconds[Math.floor(seconds.length / 2)]
  const mib = (v: number | undefined) => (v === undefined || Number.isNaN(v) ? 'n/a' : v.toFixed(0))
  return `| ${r.model} | ${r.input.join('×')} | ${r.batch} | ${r.optimizer} | ${r.parameters.toLocaleString('en-US')} | ${mib(r.initial.heapMiB)} | ${mib(Math.max(...heaps))} | ${median.toFixed(1)} |`
}
