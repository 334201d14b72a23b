/**
 * Training on the native libtorch engine ({@link TorchModel}): the same epochs, batches (order, resize,
 * normalisation), learning-rate schedule, evaluation and metrics as {@link fit}, with the forward pass, gradients and
 * optimizer step in libtorch. Batches are made by the data pipeline on TensorFlow.js and handed over as arrays.
 * @module
 */
import * as tf from '@tensorflow/tfjs'
import type { Split } from '../data/fashionMnist.js'
import { batches, numBatches } from '../data/batches.js'
import type { TorchModel } from '../runtime/torch/engine.js'
import { NonFiniteLossError, TrainingStopped, type TrainOptions } from './fit.js'
import type { BatchProgress, EpochMetrics } from './progress.js'
import { learningRate } from './schedules.js'

/**
 * Callbacks of {@link fitNative}.
 * @category Training
 */
export interface NativeFitHooks {
  /** After every optimizer step. */
  readonly onBatch?: (progress: BatchProgress) => void
  /** After every epoch's evaluation. */
  readonly onEpoch?: (metrics: EpochMetrics) => void | Promise<void>
  /** Asked before every step; `true` stops with {@link TrainingStopped}. */
  readonly shouldStop?: () => boolean
}

/** A batch's arrays, the tensors disposed. */
const arrays = (x: tf.Tensor, y: tf.Tensor): { data: Float32Array; shape: number[]; labels: Int32Array } => {
  const out = { data: x.dataSync() as Float32Array, shape: [...x.shape], labels: Int32Array.from(y.dataSync()) }
  tf.dispose([x, y])
  return out
}

/**
 * Mean softmax cross-entropy and correct count of logits `[b, k]` against labels.
 * @category Training
 */
export const crossEntropyOf = (logits: Float32Array, classes: number, labels: Int32Array): { lossSum: number; correct: number } => {
  let lossSum = 0
  let correct = 0
  for (let i = 0; i < labels.length; i++) {
    const row = logits.subarray(i * classes, (i + 1) * classes)
    let max = -Infinity
    let arg = 0
    for (let j = 0; j < classes; j++)
      if (row[j] > max) {
        max = row[j]
        arg = j
      }
    let sum = 0
    for (let j = 0; j < classes; j++) sum += Math.exp(row[j] - max)
    lossSum += Math.log(sum) + max - row[labels[i]]
    if (arg === labels[i]) correct++
  }
  return { lossSum, correct }
}

/**
 * Trains `model` from epoch `startEpoch` (completed epochs) to `options.epochs`, evaluating on `data.test` after each
 * epoch; returns the metrics of the epochs trained. libtorch's generator is seeded by the caller (dropout).
 * @category Training
 */
export const fitNative = async (
  model: TorchModel,
  data: { readonly train: Split; readonly test: Split },
  options: TrainOptions,
  startEpoch: number,
  hooks: NativeFitHooks = {},
): Promise<EpochMetrics[]> => {
  const common = {
    batchSize: options.batchSize,
    ...(options.resize === undefined ? {} : { resize: options.resize }),
    ...(options.normalize === undefined ? {} : { normalize: options.normalize }),
  }
  const history: EpochMetrics[] = []
  model.setOptimizer(options.optimizer)
  for (let epoch = startEpoch; epoch < options.epochs; epoch++) {
    const started = performance.now()
    const trainOptions = { ...common, seed: options.seed, epoch, shuffle: true, ...(options.limitTrain === undefined ? {} : { limit: options.limitTrain }) }
    const iterationsPerEpoch = numBatches(data.train, trainOptions)
    let lossSum = 0
    let correct = 0
    let images = 0
    let iteration = 0
    let rate = options.optimizer.learningRate
    for (const batch of batches(data.train, trainOptions)) {
      if (hooks.shouldStop?.() === true) {
        tf.dispose([batch.x, batch.y])
        throw new TrainingStopped(epoch + 1, iteration)
      }
      const b = arrays(batch.x, batch.y)
      rate = learningRate(options.schedule ?? { kind: 'constant' }, options.optimizer.learningRate, {
        epoch,
        iteration,
        iterationsPerEpoch,
        epochs: options.epochs,
      })
      const step = model.trainStep(b.data, b.shape, b.labels, rate)
      if (!Number.isFinite(step.loss)) throw new NonFiniteLossError(epoch + 1, iteration + 1, step.loss)
      lossSum += step.loss * b.labels.length
      correct += step.correct
      images += b.labels.length
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
    const trainSeconds = (performance.now() - started) / 1000
    const test = evaluateNative(model, data.test, { ...common, ...(options.limitTest === undefined ? {} : { limit: options.limitTest }) })
    const metrics: EpochMetrics = {
      epoch: epoch + 1,
      trainLoss: images === 0 ? NaN : lossSum / images,
      trainAccuracy: images === 0 ? NaN : correct / images,
      testLoss: test.loss,
      testAccuracy: test.accuracy,
      imagesPerSecond: trainSeconds > 0 ? images / trainSeconds : 0,
      trainSeconds,
      seconds: (performance.now() - started) / 1000,
      learningRate: rate,
    }
    history.push(metrics)
    await hooks.onEpoch?.(metrics)
  }
  return history
}

/**
 * Loss and accuracy of the native model on a split, in file order, inference mode.
 * @category Training
 */
export const evaluateNative = (
  model: TorchModel,
  split: Split,
  options: { readonly batchSize: number; readonly resize?: number; readonly normalize?: TrainOptions['normalize']; readonly limit?: number },
): { loss: number; accuracy: number; images: number } => {
  let lossSum = 0
  let correct = 0
  let images = 0
  for (const batch of batches(split, { ...options, shuffle: false })) {
    const b = arrays(batch.x, batch.y)
    const out = model.forward(b.data, b.shape)
    const r = crossEntropyOf(out.data, out.shape[1], b.labels)
    lossSum += r.lossSum
    correct += r.correct
    images += b.labels.length
  }
  return { loss: images === 0 ? NaN : lossSum / images, accuracy: images === 0 ? NaN : correct / images, images }
}
