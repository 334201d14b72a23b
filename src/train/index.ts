/**
 * `shapesafe/train`: softmax cross-entropy, SGD and Adam with PyTorch semantics, learning-rate schedules, the
 * training loop with evaluation and checkpoints, and the training job behind `shapesafe train` and `compare`.
 * @example
 * ```ts
 * import { fit, adam } from 'shapesafe/train'
 * ```
 * @module shapesafe/train
 */
export * from './loss.js'
export * from './optimizers.js'
export * from './schedules.js'
export * from './fit.js'
export * from './progress.js'
export * from './defaults.js'
export * from './trainingCheckpoint.js'
export * from './job.js'
export * from './engine.js'
export * from './engineFit.js'
export * from './torchEngine.js'
