// Over 400 lines on purpose: the training loop, the epoch and evaluation loops every engine shares, the tfjs step and
// its evaluation share state types and read as one unit.
/**
 * The training loop: one optimizer step per mini-batch ({@link trainStep}), an epoch over a split ({@link trainEpoch}),
 * evaluation ({@link evaluate}) and several epochs with evaluation and a per-epoch hook ({@link fit}).
 *
 * Tensors are owned explicitly: a function that takes a {@link TrainingState} consumes it (disposes what it replaces)
 * and returns a new one; on an error it disposes everything it holds. A run is reproducible from its seed: weights are
 * initialised from `seed`, epoch `e` visits the images in the order `(seed, e)` fixes, and the dropout masks of global
 * step `s` are drawn from `(seed, s)`. A run resumed from a checkpoint after epoch `k` therefore takes exactly the
 * steps of an uninterrupted run.
 *
 * @module
 */
import * as tf from '@tensorflow/tfjs'
import { batches, numBatches } from '../data/batches.js'
import type { Split } from '../data/fashionMnist.js'
import { epochSeed, type Normalization } from '../data/transforms.js'
import type { InitScheme } from '../runtime/init.js'
import type { CompiledModel, ModelState, TensorMap } from '../runtime/model.js'
import { correctCount, softmaxCrossEntropy } from './loss.js'
import { applyStep, disposeOptimizerState, makeOptimizer, type OptimizerConfig, type OptimizerState } from './optimizers.js'
import type { BatchProgress, EpochMetrics } from './progress.js'
import { learningRate, type Schedule } from './schedules.js'

// ---------------------------------------------------------------------------------------------------------------------
// model
// ---------------------------------------------------------------------------------------------------------------------

/**
 * How to train: everything that decides the numbers a run produces (and is therefore saved in checkpoints).
 *
 * @category Training
 */
export interface TrainOptions {
  /** Total number of epochs. */
  readonly epochs: number
  readonly batchSize: number
  readonly optimizer: OptimizerConfig
  /** Default: constant rate. */
  readonly schedule?: Schedule
  /** Seeds weight initialisation, shuffling and dropout. */
  readonly seed: number
  /** How conv and linear weights start (default `pytorch`; `xavier` as d2l's `train_ch6`). */
  readonly init?: InitScheme
  /** Side length images are resized to (default: no resize, 28). */
  readonly resize?: number
  /** Pixel normalisation (default: Fashion-MNIST mean/std). */
  readonly normalize?: Normalization
  /** Train on the first `limitTrain` training images only. */
  readonly limitTrain?: number
  /** Evaluate on the first `limitTest` test images only. */
  readonly limitTest?: number
}

/**
 * Everything that changes during training.
 *
 * @category Training
 */
export interface TrainingState {
  readonly model: ModelState
  readonly optimizer: OptimizerState
  /** Completed epochs. */
  readonly epoch: number
  /** Metrics of the completed epochs. */
  readonly history: readonly EpochMetrics[]
}

/**
 * Thrown when the training loss becomes NaN or infinite; the step that produced it is not applied.
 *
 * @category Training
 */
export class NonFiniteLossError extends Error {
  override readonly name = 'NonFiniteLossError'
  /**
   * @param epoch 1-based epoch
   * @param batch 1-based batch within the epoch
   * @param loss the offending value
   */
  constructor(
    readonly epoch: number,
    readonly batch: number,
    readonly loss: number,
  ) {
    super(
      `training diverged: the loss is ${loss} at epoch ${epoch}, batch ${batch}; ` +
        'try a smaller learning rate (--lr) or another optimizer',
    )
  }
}

/**
 * Thrown by {@link trainEpoch} and {@link fit} when {@link TrainHooks.shouldStop} asked to stop: between two optimizer
 * steps, after disposing the training state (the epoch in progress is lost; checkpoints are written after epochs).
 *
 * @category Training
 */
export class TrainingStopped extends Error {
  override readonly name = 'TrainingStopped'
  /**
   * @param epoch 1-based epoch that was in progress
   * @param batch batches of it already done
   */
  constructor(
    readonly epoch: number,
    readonly batch: number,
  ) {
    super(`training stopped at epoch ${epoch} after ${batch} batch(es)`)
  }
}

/**
 * Callbacks of {@link trainEpoch} and {@link fit}.
 *
 * @category Training
 */
export interface TrainHooks {
  /** After every optimizer step. */
  readonly onBatch?: (progress: BatchProgress) => void
  /** After every epoch's evaluation, with the new state (e.g. to write a checkpoint). Must not dispose it. */
  readonly onEpoch?: (state: TrainingState, metrics: EpochMetrics) => void | Promise<void>
  /** Asked before every optimizer step; `true` stops training with {@link TrainingStopped} (e.g. on Ctrl-C). */
  readonly shouldStop?: () => boolean
}

// ---------------------------------------------------------------------------------------------------------------------
// state
// ---------------------------------------------------------------------------------------------------------------------

/**
 * A fresh training state: weights initialised from `options.seed`, zero optimizer state, no epochs done.
 *
 * @example
 * ```ts
 * declare const graph: Graph
 * const state = initialTrainingState(compile(graph), { epochs: 2, batchSize: 128, seed: 0, optimizer: { name: 'adam', learningRate: 1e-3 } })
 * ```
 * @category Training
 */
export const initialTrainingState = (model: CompiledModel, options: TrainOptions): TrainingState => {
  const modelState = model.init(options.seed, options.init)
  return { model: modelState, optimizer: makeOptimizer(options.optimizer).init(modelState.params), epoch: 0, history: [] }
}

/**
 * Disposes every tensor of a training state.
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs'
 * import { zoo } from 'shapesafe'
 * import { compile } from 'shapesafe/runtime'
 * import { disposeTrainingState, initialTrainingState } from 'shapesafe/train'
 * const model = compile(zoo.lenet.graph({ input: [1, 1, 28, 28], classes: 10 }))
 * const before = tf.memory().numTensors
 * const state = initialTrainingState(model, { epochs: 1, batchSize: 128, seed: 0, optimizer: { name: 'adam', learningRate: 1e-3 } })
 * disposeTrainingState(model, state)
 * tf.memory().numTensors === before // true: weights, BatchNorm statistics and Adam's slots are gone
 * ```
 * @category Training
 */
export const disposeTrainingState = (model: CompiledModel, state: TrainingState): void => {
  model.dispose(state.model)
  disposeOptimizerState(state.optimizer)
}

/** Disposes the tensors of `old` that `next` does not hold. */
const disposeReplaced = (old: TensorMap, next: TensorMap): void => {
  for (const [name, t] of old) if (next.get(name) !== t) t.dispose()
}

/**
 * The dropout seed of global step `step` of a run seeded `seed` (a stream separate from the shuffle's).
 *
 * @example
 * ```ts
 * dropoutSeed(0, 1) !== dropoutSeed(0, 2) // true
 * ```
 * @category Training
 */
export const dropoutSeed = (seed: number, step: number): number => epochSeed(epochSeed(seed, 0x0d50), step)

// ---------------------------------------------------------------------------------------------------------------------
// steps and epochs
// ---------------------------------------------------------------------------------------------------------------------

/**
 * Result of one {@link trainStep}.
 *
 * @category Training
 */
export interface StepResult {
  readonly state: TrainingState
  /** Mean loss of the batch (before the update). */
  readonly loss: number
  /** Correct predictions in the batch (before the update). */
  readonly correct: number
}

/**
 * One optimizer step on a batch: forward in training mode (batch statistics, dropout seeded by the global step),
 * softmax cross-entropy, gradients of the trainable parameters (in `model.trainable` order), update. Consumes
 * `state`. A non-finite loss disposes everything and throws {@link NonFiniteLossError} (with `epoch`/`batch` from
 * `where`). Does not dispose `x` or `y`.
 *
 * @example
 * ```ts
 * import { batches, type Dataset } from 'shapesafe/data'
 * import type { CompiledModel } from 'shapesafe/runtime'
 * import { initialTrainingState, trainStep, type TrainOptions } from 'shapesafe/train'
 * declare const model: CompiledModel
 * declare const dataset: Dataset
 * const options: TrainOptions = { epochs: 1, batchSize: 128, seed: 0, optimizer: { name: 'sgd', learningRate: 0.1, momentum: 0.9 } }
 * let state = initialTrainingState(model, options)
 * let iteration = 0
 * for (const { x, y } of batches(dataset.train, { batchSize: 128, seed: 0, epoch: 0, limit: 1280 })) {
 *   const step = await trainStep(model, state, { x, y }, options, { epoch: 0, iteration: iteration++, iterationsPerEpoch: 10 })
 *   state = step.state
 *   console.log(step.loss, step.correct / 128) // 2.30 0.09 at first, falling
 *   x.dispose()
 *   y.dispose()
 * }
 * ```
 * @category Training
 */
export const trainStep = async (
  model: CompiledModel,
  state: TrainingState,
  batch: LabelledBatch,
  options: TrainOptions,
  where: StepIndex,
): Promise<StepResult> => {
  const names = model.trainable.map((p) => p.name)
  const current = names.map((name) => {
    const t = state.model.params.get(name)
    if (t === undefined) throw new Error(`training state has no parameter "${name}"`)
    return t
  })
  let newStats: TensorMap = state.model.stats
  let correctTensor: tf.Scalar | undefined
  const seed = dropoutSeed(options.seed, state.optimizer.step)
  let value: tf.Scalar
  let grads: tf.Tensor[]
  try {
    ;({ value, grads } = tf.valueAndGrads((...params: tf.Tensor[]): tf.Scalar => {
      const forwardState: ModelState = { params: new Map(names.map((n, i) => [n, params[i]])), stats: state.model.stats }
      const { output, stats } = model.forward(forwardState, batch.x, { training: true, seed })
      for (const t of stats.values()) tf.keep(t)
      newStats = stats
      correctTensor = tf.keep(correctCount(output, batch.y))
      return softmaxCrossEntropy(output, batch.y)
    })(current))
  } catch (e) {
    disposeReplaced(newStats, state.model.stats)
    correctTensor?.dispose()
    disposeTrainingState(model, state)
    throw e
  }
  const loss = (await value.data())[0]
  const correct = (await correctTensor!.data())[0]
  value.dispose()
  correctTensor!.dispose()
  if (!Number.isFinite(loss)) {
    tf.dispose(grads)
    disposeReplaced(newStats, state.model.stats)
    disposeTrainingState(model, state)
    throw new NonFiniteLossError(where.epoch + 1, where.iteration + 1, loss)
  }
  const optimizer = makeOptimizer(options.optimizer)
  const rate = learningRate(options.schedule ?? { kind: 'constant' }, options.optimizer.learningRate, {
    ...where,
    epochs: options.epochs,
  })
  // Frees the gradients, old weights and old optimizer state parameter by parameter (the peak memory of large nets).
  const trainableParams = new Map(names.map((n, i) => [n, current[i]]))
  const next = applyStep(optimizer, trainableParams, new Map(names.map((n, i) => [n, grads[i]])), state.optimizer, rate)
  const params = new Map(state.model.params)
  for (const [name, t] of next.params) params.set(name, t)
  disposeReplaced(state.model.stats, newStats)
  return {
    state: { ...state, model: { params, stats: newStats }, optimizer: next.state },
    loss,
    correct,
  }
}

/**
 * Result of {@link trainEpoch}.
 *
 * @category Training
 */
export interface EpochResult {
  readonly state: TrainingState
  /** Mean training loss over the epoch's images. */
  readonly loss: number
  readonly accuracy: number
  readonly images: number
  /** Seconds spent in the epoch (batching and steps). */
  readonly seconds: number
  /** Learning rate of the last step. */
  readonly learningRate: number
}

/**
 * Where a step sits in its run, and the learning rate the schedule gives it.
 *
 * @category Training
 */
export interface StepPosition extends StepIndex {
  readonly learningRate: number
}

/**
 * Which step of a run a batch is: its epoch, its place in the epoch and the epoch's length (what
 * {@link trainStep} seeds dropout and the schedule by).
 *
 * @category Training
 */
export interface StepIndex {
  /** 0-based epoch. */
  readonly epoch: number
  /** 0-based step within the epoch. */
  readonly iteration: number
  readonly iterationsPerEpoch: number
}

/**
 * A batch of images `x` and their labels `y`, as {@link trainStep} and {@link evaluateBatches} take it
 * (`batches` in `shapesafe/data` yields it, with the images' indices).
 *
 * @category Training
 */
export interface LabelledBatch {
  readonly x: tf.Tensor
  readonly y: tf.Tensor
}

/**
 * What {@link evaluateBatches}' `measure` returns for one batch: the summed loss and the correct predictions.
 *
 * @category Training
 */
export interface BatchMeasure {
  readonly lossSum: number
  readonly correct: number
}

/**
 * One optimizer step on a batch, on whichever engine trains: the loss (mean over the batch, before the update) and
 * the correct predictions. Must not dispose the batch.
 *
 * @category Training
 */
export type BatchStep = (
  batch: LabelledBatch,
  where: StepPosition,
) => Promise<{ readonly loss: number; readonly correct: number }>

/**
 * What an epoch of steps measured ({@link EpochResult} without the state).
 *
 * @category Training
 */
export type EpochStats = Omit<EpochResult, 'state'>

/**
 * The epoch loop every engine shares: the batches of epoch `epoch` (order fixed by `(options.seed, epoch)`, resize,
 * normalisation, `limitTrain`), the schedule's learning rate for each step, `step` on each batch, progress after each
 * step and the epoch's loss, accuracy, throughput and last rate. Batches are disposed here. A stop request
 * ({@link TrainHooks.shouldStop}) calls `onStop` (to free the engine's state) and throws {@link TrainingStopped}.
 *
 * @example
 * ```ts
 * import type { Dataset } from 'shapesafe/data'
 * import type { CompiledModel } from 'shapesafe/runtime'
 * import { initialTrainingState, runEpoch, trainStep, type TrainOptions } from 'shapesafe/train'
 * declare const model: CompiledModel
 * declare const dataset: Dataset
 * declare const options: TrainOptions
 * let state = initialTrainingState(model, options)
 * const stats = await runEpoch(dataset.train, options, 0, async (batch, where) => {
 *   const step = await trainStep(model, state, batch, options, where)
 *   state = step.state
 *   return step
 * })
 * stats.loss // mean training loss of epoch 0; also accuracy, images, seconds, learningRate
 * ```
 * @category Training
 */
export const runEpoch = async (
  split: Split,
  options: TrainOptions,
  epoch: number,
  step: BatchStep,
  hooks: Pick<TrainHooks, 'onBatch' | 'shouldStop'> = {},
  onStop: () => void = () => {},
): Promise<EpochStats> => {
  const batchOptions = {
    batchSize: options.batchSize,
    seed: options.seed,
    epoch,
    shuffle: true,
    ...(options.resize === undefined ? {} : { resize: options.resize }),
    ...(options.normalize === undefined ? {} : { normalize: options.normalize }),
    ...(options.limitTrain === undefined ? {} : { limit: options.limitTrain }),
  }
  const iterationsPerEpoch = numBatches(split, batchOptions)
  const rateAt = (iteration: number) =>
    learningRate(options.schedule ?? { kind: 'constant' }, options.optimizer.learningRate, {
      epoch,
      iteration,
      iterationsPerEpoch,
      epochs: options.epochs,
    })
  const started = performance.now()
  let lossSum = 0
  let correct = 0
  let images = 0
  let iteration = 0
  for (const batch of batches(split, batchOptions)) {
    const size = batch.indices.length
    if (hooks.shouldStop?.() === true) {
      tf.dispose([batch.x, batch.y])
      onStop()
      throw new TrainingStopped(epoch + 1, iteration)
    }
    try {
      const result = await step(batch, { epoch, iteration, iterationsPerEpoch, learningRate: rateAt(iteration) })
      lossSum += result.loss * size
      correct += result.correct
    } finally {
      tf.dispose([batch.x, batch.y])
    }
    images += size
    iteration++
    hooks.onBatch?.({
      epoch: epoch + 1,
      epochs: options.epochs,
      batch: iteration,
      batches: iterationsPerEpoch,
      loss: lossSum / images,
      accuracy: correct / images,
      images,
      seconds: (performance.now() - started) / 1000,
    })
  }
  return {
    loss: images === 0 ? NaN : lossSum / images,
    accuracy: images === 0 ? NaN : correct / images,
    images,
    seconds: (performance.now() - started) / 1000,
    learningRate: rateAt(Math.max(0, iterationsPerEpoch - 1)),
  }
}

/**
 * Trains one epoch (epoch index `state.epoch`) over `split`. Consumes `state`; the returned state still has
 * `epoch = state.epoch` (fit advances it after evaluation).
 *
 * @example
 * ```ts
 * import type { Dataset } from 'shapesafe/data'
 * import type { CompiledModel } from 'shapesafe/runtime'
 * import { initialTrainingState, trainEpoch, type TrainOptions } from 'shapesafe/train'
 * declare const model: CompiledModel
 * declare const dataset: Dataset
 * declare const options: TrainOptions
 * const { state, loss, accuracy, images } = await trainEpoch(model, initialTrainingState(model, options), dataset.train, options)
 * // loss 0.61, accuracy 0.78 over images 60000; state.epoch is still 0
 * ```
 * @category Training
 */
export const trainEpoch = async (
  model: CompiledModel,
  state: TrainingState,
  split: Split,
  options: TrainOptions,
  hooks: Pick<TrainHooks, 'onBatch' | 'shouldStop'> = {},
): Promise<EpochResult> => {
  let current = state
  const stats = await runEpoch(
    split,
    options,
    state.epoch,
    async (batch, where) => {
      const step = await trainStep(model, current, batch, options, where)
      current = step.state
      return step
    },
    hooks,
    () => disposeTrainingState(model, current),
  )
  return { state: current, ...stats }
}

/**
 * Loss and accuracy of a model on a split.
 *
 * @category Training
 */
export interface Evaluation {
  readonly loss: number
  readonly accuracy: number
  readonly images: number
}

/**
 * Evaluates `state` on `split` (in file order, inference mode: BatchNorm running statistics, no dropout). Does not
 * consume `state`.
 *
 * @example
 * ```ts
 * declare const model: CompiledModel, state: TrainingState, dataset: Dataset
 * const { accuracy } = await evaluate(model, state.model, dataset.test, { batchSize: 256 })
 * ```
 * @category Training
 */
export const evaluate = async (
  model: CompiledModel,
  state: ModelState,
  split: Split,
  options: EvaluateOptions,
): Promise<Evaluation> =>
  evaluateBatches(split, options, async ({ x, y }) => {
    const [loss, right] = tf.tidy(() => {
      const { output } = model.forward(state, x, { training: false })
      return [softmaxCrossEntropy(output, y), correctCount(output, y)]
    })
    const result = { lossSum: (await loss.data())[0] * x.shape[0], correct: (await right.data())[0] }
    tf.dispose([loss, right])
    return result
  })

/**
 * Options of an evaluation: the test split's batches.
 *
 * @category Training
 */
export interface EvaluateOptions {
  readonly batchSize: number
  readonly resize?: number
  readonly normalize?: Normalization
  readonly limit?: number
}

/**
 * The evaluation loop every engine shares: `split` in file order in batches, `measure` on each (the batch's summed
 * loss and correct count; it must not dispose the batch), the mean loss and accuracy.
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs'
 * import type { Dataset } from 'shapesafe/data'
 * import type { CompiledModel, ModelState } from 'shapesafe/runtime'
 * import { correctCount, evaluateBatches, softmaxCrossEntropy } from 'shapesafe/train'
 * declare const model: CompiledModel
 * declare const weights: ModelState
 * declare const dataset: Dataset
 * const test = await evaluateBatches(dataset.test, { batchSize: 256 }, async ({ x, y }) => {
 *   const [loss, right] = tf.tidy(() => {
 *     const { output } = model.forward(weights, x, { training: false })
 *     return [softmaxCrossEntropy(output, y), correctCount(output, y)]
 *   })
 *   const measured = { lossSum: (await loss.data())[0] * x.shape[0], correct: (await right.data())[0] }
 *   tf.dispose([loss, right])
 *   return measured
 * }) // { loss: 0.45, accuracy: 0.84, images: 10000 }
 * ```
 * @category Training
 */
export const evaluateBatches = async (
  split: Split,
  options: EvaluateOptions,
  measure: (batch: LabelledBatch) => Promise<BatchMeasure>,
): Promise<Evaluation> => {
  let lossSum = 0
  let correct = 0
  let images = 0
  const batchOptions = {
    batchSize: options.batchSize,
    shuffle: false,
    ...(options.resize === undefined ? {} : { resize: options.resize }),
    ...(options.normalize === undefined ? {} : { normalize: options.normalize }),
    ...(options.limit === undefined ? {} : { limit: options.limit }),
  }
  for (const { x, y, indices } of batches(split, batchOptions)) {
    try {
      const r = await measure({ x, y })
      lossSum += r.lossSum
      correct += r.correct
    } finally {
      tf.dispose([x, y])
    }
    images += indices.length
  }
  return { loss: images === 0 ? NaN : lossSum / images, accuracy: images === 0 ? NaN : correct / images, images }
}

/**
 * The evaluation options of a run: its batch size, resize and normalisation, and `limitTest`.
 *
 * @example
 * ```ts
 * import { testOptions } from 'shapesafe/train'
 * testOptions({ epochs: 10, batchSize: 128, seed: 0, optimizer: { name: 'adam', learningRate: 1e-3 }, resize: 32, limitTest: 1000 })
 * // { batchSize: 128, resize: 32, limit: 1000 }
 * ```
 * @category Training
 */
export const testOptions = (options: TrainOptions): EvaluateOptions => ({
  batchSize: options.batchSize,
  ...(options.resize === undefined ? {} : { resize: options.resize }),
  ...(options.normalize === undefined ? {} : { normalize: options.normalize }),
  ...(options.limitTest === undefined ? {} : { limit: options.limitTest }),
})

/**
 * The metrics of 0-based epoch `epoch` from its training stats and evaluation (`started`: `performance.now()` at its
 * start).
 *
 * @example
 * ```ts
 * import { epochMetrics, formatEpoch, type EpochStats, type Evaluation } from 'shapesafe/train'
 * declare const started: number // performance.now() when epoch 0 began
 * declare const stats: EpochStats // from runEpoch
 * declare const test: Evaluation // from evaluateBatches
 * const m = epochMetrics(0, stats, test, started) // { epoch: 1, trainLoss, trainAccuracy, testLoss, testAccuracy, imagesPerSecond, … }
 * console.log(formatEpoch(m, 10)) // 'epoch 1/10  train loss 0.6123  train acc 0.771  test loss 0.5010  test acc 0.812 …'
 * ```
 * @category Training
 */
export const epochMetrics = (epoch: number, stats: EpochStats, test: Evaluation, started: number): EpochMetrics => ({
  epoch: epoch + 1,
  trainLoss: stats.loss,
  trainAccuracy: stats.accuracy,
  testLoss: test.loss,
  testAccuracy: test.accuracy,
  imagesPerSecond: stats.seconds > 0 ? stats.images / stats.seconds : 0,
  trainSeconds: stats.seconds,
  seconds: (performance.now() - started) / 1000,
  learningRate: stats.learningRate,
})

/**
 * Trains from `state` (fresh or resumed) until `options.epochs` epochs are done, evaluating on `test` after each
 * epoch and calling `hooks.onEpoch` with the new state (write checkpoints there). Consumes `state` and returns the
 * final one (the caller disposes it). On any error everything is disposed and the error is rethrown.
 *
 * @example
 * ```ts
 * declare const model: CompiledModel, dataset: Dataset, options: TrainOptions
 * const final = await fit(model, dataset, options, initialTrainingState(model, options), {
 *   onEpoch: (s, m) => console.log(formatEpoch(m, options.epochs)),
 * })
 * disposeTrainingState(model, final)
 * ```
 * @category Training
 */
export const fit = async (
  model: CompiledModel,
  data: { readonly train: Split; readonly test: Split },
  options: TrainOptions,
  state: TrainingState,
  hooks: TrainHooks = {},
): Promise<TrainingState> => {
  let current = state
  while (current.epoch < options.epochs) {
    const started = performance.now()
    const epoch = await trainEpoch(model, current, data.train, options, hooks)
    current = epoch.state
    try {
      const test = await evaluate(model, current.model, data.test, testOptions(options))
      const metrics = epochMetrics(current.epoch, epoch, test, started)
      current = { ...current, epoch: current.epoch + 1, history: [...current.history, metrics] }
      await hooks.onEpoch?.(current, metrics)
    } catch (e) {
      disposeTrainingState(model, current)
      throw e
    }
  }
  return current
}
