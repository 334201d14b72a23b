/**
 * Pre-flight checks of `train`, `compare` and `run`: before anything runs, the predicted memory of the job against
 * what the backend can hold (a refusal naming the figure and what would fit), and an estimated time per epoch.
 * Everything comes from the graph's shapes (graph/cost.ts, runtime/memoryModel.ts); nothing is allocated.
 * @module
 */
import { formatBytes } from '../graph/cost.js'
import type { Graph } from '../graph/ir.js'
import {
  backendMemory,
  backendNeeds,
  inferenceMemory,
  trainingMemory,
  trainingSecondsPerImage,
  trainingSpeedOf,
  type BackendMemory,
  type TrainingSpeed,
  type MemoryOptimizer,
} from '../runtime/memoryModel.js'
import type { OptimizerConfig } from '../train/optimizers.js'
import type { ZooEntry } from '../zoo/registry.js'
import { trainSplitImages } from '../data/fashionMnist.js'
import { CliError, type CliIo } from './io.js'
import type { TrainJob } from './train.js'

/** What a training pre-flight needs to know about a job. */
export interface TrainingPreflight {
  readonly modelName: string
  readonly entry: Pick<ZooEntry, 'graph'>
  /** `[1, C, H, W]`: the training input with any batch (the batch is `batchSize`). */
  readonly input: readonly number[]
  readonly classes: number
  /** The net's first Linear sized to the input (`--fit-classifier`). */
  readonly fitClassifier?: boolean
  readonly batchSize: number
  readonly optimizer: OptimizerConfig
  /** Images per epoch. */
  readonly images: number
}

/** The graph option of a job with a fitted classifier (none otherwise, so every zoo entry takes it). */
const fitted = (job: TrainingPreflight): { readonly fitClassifier?: true } => (job.fitClassifier === true ? { fitClassifier: true } : {})

/** The memory-model name of an optimizer configuration. */
const memoryOptimizer = (o: OptimizerConfig): MemoryOptimizer => (o.name === 'adam' ? 'adam' : (o.momentum ?? 0) === 0 ? 'sgd-no-momentum' : 'sgd')

/** Bytes the backend needs for one training step of the job at `batch` with `optimizer`. */
function trainingNeeds(job: TrainingPreflight, backend: BackendMemory, batch: number, optimizer: MemoryOptimizer): number {
  const [, c, h, w] = job.input
  const graph = job.entry.graph({ input: [batch, c, h, w], classes: job.classes, ...fitted(job) })
  const weightDecay = (job.optimizer.weightDecay ?? 0) > 0
  return backendNeeds(trainingMemory(graph, { optimizer, weightDecay }), backend)
}

/** The largest batch below `from` (halving) that fits with `optimizer`, with its need. */
function largestFitting(job: TrainingPreflight, backend: BackendMemory, limit: number, from: number, optimizer: MemoryOptimizer) {
  for (let b = from; b >= 1; b = b === 1 ? 0 : Math.max(1, Math.floor(b / 2))) {
    const needs = trainingNeeds(job, backend, b, optimizer)
    if (needs <= limit) return { batch: b, needs }
  }
  return undefined
}

/**
 * Checks that one training step of `job` fits the backend, and estimates the time of an epoch. Throws a
 * {@link CliError} (exit 1) when it does not fit, naming the figure and what would fit:
 * `vgg11, batch 8, adam: needs ≈ 4.3 GiB, the wasm heap holds 4 GiB; batch 4 needs ≈ 3.5 GiB; batch 8 with sgd needs ≈ 3.8 GiB`.
 * Returns the lines to show before the run starts (memory, and the time per epoch where the backend's speed is known).
 * On the libtorch engine (`torch-cpu`, `torch-cuda`) only the time: the memory model describes the TensorFlow.js
 * interpreter.
 *
 * @example
 * ```ts
 * const lines = preflightTraining({ modelName: 'lenet', entry: zoo.lenet, input: [1, 1, 28, 28], classes: 10,
 *   batchSize: 128, optimizer: { name: 'adam', learningRate: 1e-3 }, images: 60000 }, 'wasm')
 * ```
 */
export function preflightTraining(job: TrainingPreflight, backendName: string): string[] {
  // The memory model describes the TensorFlow.js interpreter; libtorch manages its own memory: time only.
  if (backendName.startsWith('torch')) return timeLines(job, backendName, trainingSpeedOf(backendName))
  const backend = backendMemory(backendName)
  const optimizer = memoryOptimizer(job.optimizer)
  const needs = trainingNeeds(job, backend, job.batchSize, optimizer)
  const what = `${job.modelName}, batch ${job.batchSize}, ${job.optimizer.name}`
  if (backend.limit !== undefined && needs > backend.limit) {
    const options: string[] = []
    const smaller = job.batchSize > 1 ? largestFitting(job, backend, backend.limit, Math.floor(job.batchSize / 2), optimizer) : undefined
    if (smaller !== undefined) options.push(`batch ${smaller.batch} needs ≈ ${formatBytes(smaller.needs)}`)
    if (optimizer !== 'sgd' && optimizer !== 'sgd-no-momentum') {
      const sgd = largestFitting(job, backend, backend.limit, job.batchSize, 'sgd')
      if (sgd !== undefined) options.push(`batch ${sgd.batch} with sgd needs ≈ ${formatBytes(sgd.needs)}`)
    }
    const fits =
      options.length > 0
        ? options.join('; ')
        : `even batch 1 does not fit (≈ ${formatBytes(trainingNeeds(job, backend, 1, 'sgd-no-momentum'))} with plain sgd): ` +
          'use the tensorflow backend (--backend tensorflow) or a smaller input (--resize)'
    throw new CliError(`${what}: needs ≈ ${formatBytes(needs)}, ${backend.limitText}; ${fits}`, 1)
  }
  return [
    `memory: ${what} needs ≈ ${formatBytes(needs)}${backend.limit === undefined ? '' : ` of ${formatBytes(backend.limit)}`} (predicted)`,
    ...timeLines(job, backendName, backend.speed),
  ]
}

/** The estimated time of an epoch at the engine's measured speed; none where no speed was measured. */
function timeLines(job: TrainingPreflight, engineName: string, speed: TrainingSpeed | undefined): string[] {
  if (speed === undefined) return []
  const [, c, h, w] = job.input
  const epoch = trainingSecondsPerImage(job.entry.graph({ input: [1, c, h, w], classes: job.classes, ...fitted(job) }), speed) * job.images
  return [`time: ${epoch < 1 ? '' : '≈ '}${formatDuration(epoch)} per epoch of ${job.images} images on ${engineName} (estimated from the MACs)`]
}

/**
 * Checks that an inference pass of `graph` fits the backend; throws a {@link CliError} naming the figure when it does
 * not, with the largest batch that fits (`input [512, 3, 224, 224]: needs ≈ 4.6 GiB, the wasm heap holds 4 GiB;
 * batch 256 needs ≈ 2.4 GiB`). The activations scale with the batch; the weights and their packed copies do not.
 *
 * @example
 * ```ts
 * preflightInference(zoo.resnet18.graph({ input: [1, 3, 224, 224], classes: 1000 }), 'wasm')
 * ```
 */
export function preflightInference(graph: Graph, backendName: string): void {
  const backend = backendMemory(backendName)
  if (backend.limit === undefined) return
  const shape = graph.input.shape.map((d) => (typeof d === 'number' ? d : 1))
  const batch = shape[0]
  const memory = inferenceMemory(graph)
  const needs = memory.peak * backend.overhead
  if (needs <= backend.limit) return
  const fixed = memory.fixed * backend.overhead
  const perImage = (memory.activations * backend.overhead) / batch
  const fits = Math.floor((backend.limit - fixed) / perImage)
  const fit =
    fits >= 1 ? `; batch ${Math.min(fits, batch - 1)} needs ≈ ${formatBytes(fixed + perImage * Math.min(fits, batch - 1))}` : '; not even one image fits'
  throw new CliError(`input [${shape.join(', ')}]: needs ≈ ${formatBytes(needs)}, ${backend.limitText}${fit}`, 1)
}

/**
 * The pre-flight of `shapesafe train` and `compare`: checks every job before any starts (throws the refusal of the
 * first that does not fit) and, unless `quiet`, prints each job's predicted memory and epoch time on stdout, before
 * the job's own description.
 *
 * @example
 * ```ts
 * declare const jobs: Parameters<typeof preflightTrainJobs>[0] // e.g. [resolveTrainJob('vgg11', findModel('vgg11'), {})]
 * declare const io: Parameters<typeof preflightTrainJobs>[2]
 * preflightTrainJobs(jobs, 'wasm', io, false) // prints "memory: …" and "time: …", or throws the refusal
 * ```
 */
export function preflightTrainJobs(jobs: readonly TrainJob[], backendName: string, io: CliIo, quiet: boolean): void {
  const lines = jobs.flatMap((job) =>
    preflightTraining(
      {
        modelName: job.modelName,
        entry: job.entry,
        input: job.identity.modelOptions.input,
        classes: job.identity.modelOptions.classes,
        fitClassifier: job.identity.modelOptions.fitClassifier === true,
        batchSize: job.options.batchSize,
        optimizer: job.options.optimizer,
        images: Math.min(job.options.limitTrain ?? trainSplitImages, trainSplitImages),
      },
      backendName,
    ).map((line) => `${jobs.length > 1 ? `${job.modelName}: ` : ''}${line}\n`),
  )
  // Printed once every job has passed, so a refusal is the only output.
  if (!quiet) io.stdout(lines.join(''))
}

/** `42 s`, `12 min`, `3.5 h`, `4.2 days`. */
export function formatDuration(seconds: number): string {
  if (seconds < 1) return '< 1 s'
  if (seconds < 90) return `${seconds.toFixed(0)} s`
  if (seconds < 5400) return `${(seconds / 60).toFixed(0)} min`
  if (seconds < 2 * 86400) return `${(seconds / 3600).toFixed(1)} h`
  return `${(seconds / 86400).toFixed(1)} days`
}
