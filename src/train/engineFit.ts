/**
 * Training on any engine that can train ({@link TrainableEngineModel}: the native libtorch engine, or the tfjs one
 * through the interface): the epoch loop ({@link runEpoch}) and evaluation ({@link evaluateBatches}) that
 * {@link fit} uses, with each step and forward pass handed to the engine as host arrays. Batches are made by the data
 * pipeline on TensorFlow.js.
 * @module
 */
import type * as tf from '@tensorflow/tfjs'
import type { Split } from '../data/fashionMnist.js'
import type { Graph } from '../graph/ir.js'
import type { Engine, EngineModel, EngineName, HostTensor, TrainableEngineModel } from '../runtime/engine.js'
import {
  epochMetrics,
  evaluateBatches,
  NonFiniteLossError,
  runEpoch,
  testOptions,
  type EvaluateOptions,
  type Evaluation,
  type TrainHooks,
  type TrainOptions,
} from './fit.js'
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
 * Evaluates an engine's model on `split` with the evaluation loop every engine shares ({@link evaluateBatches}: file
 * order, the same batches, resize and normalisation), each batch's forward pass run by the engine. The model is not
 * disposed.
 *
 * @example
 * ```ts
 * const graph = zoo.lenet.graph({ input: [1, 1, 28, 28], classes: 10 })
 * const model = await tfjsInferenceEngine(await selectBackend()).compile(graph, { seed: 0 })
 * const dataset = await loadDataset('fashion-mnist')()
 * if (dataset._tag === 'Right') console.log((await evaluateEngine(model, dataset.right.test, { batchSize: 256 })).accuracy)
 * ```
 * @category Training
 */
export const evaluateEngine = (model: EngineModel, split: Split, options: EvaluateOptions): Promise<Evaluation> =>
  evaluateBatches(split, options, async ({ x, y }) => {
    const out = await model.forward(await hostOf(x))
    return crossEntropyOf(out.data, out.shape[1], await labelsOf(y))
  })

/**
 * An evaluation by another engine than the one that trained (`shapesafe train --eval-engine onnxruntime`): which
 * engine and device, and its test loss and accuracy.
 *
 * @category Training
 */
export interface EngineEvaluation {
  readonly engine: EngineName
  readonly device: string
  readonly testLoss: number
  readonly testAccuracy: number
  readonly images: number
}

/**
 * Evaluates trained weights (a PyTorch-layout state_dict of `graph`) on `split` with any inference {@link Engine}, e.g.
 * the exported ONNX model in onnxruntime: compiles the graph on the engine, loads the weights, runs
 * {@link evaluateEngine}, frees the engine's model.
 *
 * @example
 * ```ts
 * const graph = zoo.lenet.graph({ input: [1, 1, 28, 28], classes: 10 })
 * const trained = await tfjsEngine(await selectBackend()).compile(graph, { seed: 0 })
 * const weights = new Map([...(await trained.stateDict())].map(([name, t]) => [name, t.data]))
 * const dataset = await loadDataset('fashion-mnist')()
 * if (dataset._tag === 'Right') {
 *   const onnx = await evaluateWeights(await onnxruntimeEngine(), graph, weights, dataset.right.test, { batchSize: 256 })
 *   console.log(onnx.testAccuracy) // the tfjs evaluation's accuracy: the same predictions, up to float ties
 * }
 * ```
 * @category Training
 */
export const evaluateWeights = async (
  engine: Engine,
  graph: Graph,
  weights: ReadonlyMap<string, Float32Array>,
  split: Split,
  options: EvaluateOptions,
): Promise<EngineEvaluation> => {
  const model = await engine.compile(graph, { seed: 0 })
  try {
    await model.loadStateDict(weights)
    const result = await evaluateEngine(model, split, options)
    return { engine: engine.info.engine, device: engine.info.device, testLoss: result.loss, testAccuracy: result.accuracy, images: result.images }
  } finally {
    model.dispose()
  }
}

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
    const test = await evaluateEngine(model, data.test, testOptions(options))
    const metrics = epochMetrics(progress.epoch, stats, test, started)
    progress = { epoch: progress.epoch + 1, history: [...progress.history, metrics] }
    await hooks.onEpoch?.(progress, metrics)
  }
  return progress
}
