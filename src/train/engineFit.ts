/**
 * Training on any engine that can train ({@link TrainableEngineModel}: the native libtorch engine, or the tfjs one
 * through the interface): the epoch loop ({@link runEpoch}) and evaluation ({@link evaluateBatches}) that
 * {@link fit} uses, with each step and forward pass handed to the engine as host arrays. Batches are made by the data
 * pipeline on TensorFlow.js.
 * @module
 */
import type * as tf from '@tensorflow/tfjs'
import type { Split } from '../data/fashionMnist.js'
import type { HostTensor, TrainableEngineModel } from '../runtime/engine.js'
import { epochMetrics, evaluateBatches, NonFiniteLossError, runEpoch, testOptions, type TrainHooks, type TrainOptions } from './fit.js'
import { crossEntropyOf } from './loss.js'
import type { EpochMetrics } from './progress.js'

/**
 * Where a run on an engine stands: completed epochs and their metrics.
 *
 * @category Training
 */
export interface EngineProgress {
  readonly epoch: number
  readonly history: readonly EpochMetrics[]
}

/**
 * Callbacks of {@link fitEngine}.
 *
 * @category Training
 */
export interface EngineFitHooks extends Pick<TrainHooks, 'onBatch' | 'shouldStop'> {
  /** After every epoch's evaluation (write checkpoints there). */
  readonly onEpoch?: (progress: EngineProgress, metrics: EpochMetrics) => void | Promise<void>
}

const hostOf = async (x: tf.Tensor): Promise<HostTensor> => ({ shape: [...x.shape], data: (await x.data()) as Float32Array })
const labelsOf = async (y: tf.Tensor): Promise<Int32Array> => Int32Array.from(await y.data())

/**
 * Trains `model` from `start` (fresh: `{ epoch: 0, history: [] }`, or a resumed run) until `options.epochs` epochs are
 * done, evaluating on `data.test` after each; returns the final progress. The engine model is not disposed.
 *
 * @example
 * ```ts
 * const graph = zoo.lenet.graph({ input: [1, 1, 28, 28], classes: 10 })
 * const options: TrainOptions = { epochs: 2, batchSize: 128, seed: 0, optimizer: { name: 'sgd', learningRate: 0.1, momentum: 0.9 } }
 * const model = await torchEngine().compileForTraining!(graph, { seed: options.seed, optimizer: options.optimizer })
 * const dataset = await loadDataset('fashion-mnist')()
 * if (dataset._tag === 'Right') console.log((await fitEngine(model, dataset.right, options, { epoch: 0, history: [] })).history)
 * ```
 * @category Training
 */
export const fitEngine = async (
  model: TrainableEngineModel,
  data: { readonly train: Split; readonly test: Split },
  options: TrainOptions,
  start: EngineProgress,
  hooks: EngineFitHooks = {},
): Promise<EngineProgress> => {
  let progress = start
  while (progress.epoch < options.epochs) {
    const started = performance.now()
    const stats = await runEpoch(
      data.train,
      options,
      progress.epoch,
      async (batch, where) => {
        const r = await model.trainStep({ x: await hostOf(batch.x), labels: await labelsOf(batch.y) }, where.learningRate)
        if (!Number.isFinite(r.loss)) throw new NonFiniteLossError(where.epoch + 1, where.iteration + 1, r.loss)
        return r
      },
      hooks,
    )
    const test = await evaluateBatches(data.test, testOptions(options), async ({ x, y }) => {
      const out = await model.forward(await hostOf(x))
      return crossEntropyOf(out.data, out.shape[1], await labelsOf(y))
    })
    const metrics = epochMetrics(progress.epoch, stats, test, started)
    progress = { epoch: progress.epoch + 1, history: [...progress.history, metrics] }
    await hooks.onEpoch?.(progress, metrics)
  }
  return progress
}
