/**
 * `shapesafe/data`: Fashion-MNIST and MNIST from IDX files (Debian's dataset-fashion-mnist, a directory, or a verified
 * download), seeded shuffling, resizing and batching.
 * @example
 * ```ts
 * import { loadDataset, batches } from 'shapesafe/data'
 * ```
 * @module shapesafe/data
 */
export * from './errors.js'
export * from './idx.js'
export * from './fashionMnist.js'
export * from './transforms.js'
export * from './batches.js'
