/**
 * Mini-batches of a dataset split as NCHW float tensors, built one at a time.
 *
 * Images stay `uint8` in memory (60000 Fashion-MNIST images are 47 MB); each batch is converted
 * to float, normalised and, if asked, resized only when it is produced, so resizing to 224×224
 * costs one batch of memory, not the whole split.
 *
 * @module
 */
import * as tf from '@tensorflow/tfjs'
import { DataError } from './errors.js'
import type { Split } from './fashionMnist.js'
import {
  FASHION_MNIST_STATS,
  gatherPixels,
  resizeBilinearNCHW,
  shuffledIndices,
  type Normalization,
} from './transforms.js'

/**
 * Options of {@link batches}.
 *
 * @category Data
 */
export interface BatchOptions {
  /** Images per batch (positive integer). */
  readonly batchSize: number
  /** Run seed for the shuffle; default `0`. */
  readonly seed?: number
  /** Epoch number; with `seed` it fixes the order, so every epoch differs and every run repeats. Default `0`. */
  readonly epoch?: number
  /** Visit images in a seeded random order (default `true`) or in file order. */
  readonly shuffle?: boolean
  /** Output side length `S`: images are bilinearly resized from 28×28 to S×S per batch. Default: no resize. */
  readonly resize?: number
  /** Pixel normalisation; default {@link FASHION_MNIST_STATS}. Use `'scale'` for plain `[0, 1]`. */
  readonly normalize?: Normalization
  /**
   * Use only the first `limit` images of the split, in the file's original order (before any
   * shuffle). The subset is therefore the same for every seed and epoch, so runs with different
   * seeds or models train on identical data; only the order within it changes. Fashion-MNIST's
   * files are already in random class order, so a prefix is close to class-balanced.
   */
  readonly limit?: number
  /** Drop a final batch smaller than `batchSize` (default `false`). */
  readonly dropLast?: boolean
}

/**
 * One mini-batch. The caller owns both tensors and must dispose them.
 *
 * @category Data
 */
export interface Batch {
  /** Images, NCHW `[b, 1, S, S]`, float32. */
  readonly x: tf.Tensor4D
  /** Class labels `[b]`, int32. */
  readonly y: tf.Tensor1D
  /** Positions of these images in the split, in batch order. */
  readonly indices: Uint32Array
}

const invalid = (message: string): DataError => new DataError('invalid-options', `batches: ${message}`)

const checkInteger = (name: string, value: number | undefined, min: number): void => {
  if (value !== undefined && (!Number.isInteger(value) || value < min)) {
    throw invalid(`${name} must be an integer ≥ ${min}, got ${String(value)}`)
  }
}

const validate = (opts: BatchOptions): void => {
  checkInteger('batchSize', opts.batchSize, 1)
  checkInteger('limit', opts.limit, 0)
  checkInteger('resize', opts.resize, 1)
  checkInteger('epoch', opts.epoch, 0)
  if (opts.seed !== undefined && !Number.isFinite(opts.seed)) throw invalid(`seed must be a number, got ${opts.seed}`)
  const n = opts.normalize
  if (n !== undefined && n !== 'scale' && !(Number.isFinite(n.mean) && Number.isFinite(n.std) && n.std > 0)) {
    throw invalid(`normalize needs a finite mean and a positive std, got ${JSON.stringify(n)}`)
  }
}

const usedCount = (count: number, limit: number | undefined): number =>
  limit === undefined ? count : Math.min(limit, count)

/**
 * The split positions visited in one epoch, in order: the first `limit` images (or all), shuffled
 * by `(seed, epoch)` when `shuffle` is on.
 *
 * @example
 * ```ts
 * epochOrder(10, { batchSize: 4, seed: 1, epoch: 0, limit: 6 }) // a permutation of 0..5
 * ```
 * @category Data
 */
export const epochOrder = (count: number, opts: BatchOptions): Uint32Array => {
  validate(opts)
  const n = usedCount(count, opts.limit)
  if (opts.shuffle === false) return Uint32Array.from({ length: n }, (_, i) => i)
  return shuffledIndices(n, opts.seed ?? 0, opts.epoch ?? 0)
}

/**
 * How many batches {@link batches} yields for these options.
 *
 * @example
 * ```ts
 * numBatches({ count: 60000 }, { batchSize: 256 })                 // 235
 * numBatches({ count: 60000 }, { batchSize: 256, dropLast: true }) // 234
 * ```
 * @category Data
 */
export const numBatches = (split: Pick<Split, 'count'>, opts: BatchOptions): number => {
  validate(opts)
  const n = usedCount(split.count, opts.limit)
  return opts.dropLast === true ? Math.floor(n / opts.batchSize) : Math.ceil(n / opts.batchSize)
}

/**
 * Mini-batches of `split` for one epoch, as a lazy iterable: each step gathers `batchSize` images,
 * converts them to float32 with the chosen normalisation, resizes them if asked and yields
 * `{ x: [b, 1, S, S] float32, y: [b] int32 }`. Iterating again restarts the same epoch (same
 * order). The caller disposes each batch's tensors. Options are checked eagerly and a bad one
 * throws a {@link DataError} (`invalid-options`).
 *
 * @example
 * ```ts
 * declare const ds: Dataset
 * declare const epoch: number
 * for (const { x, y } of batches(ds.train, { batchSize: 128, seed: 7, epoch, resize: 224 })) {
 *   // x: [128, 1, 224, 224]
 *   tf.dispose([x, y])
 * }
 * ```
 * @category Data
 */
export const batches = (split: Split, opts: BatchOptions): Iterable<Batch> => {
  validate(opts)
  const normalization = opts.normalize ?? FASHION_MNIST_STATS
  const pixels = split.height * split.width
  const size = opts.resize ?? split.height
  return {
    *[Symbol.iterator]() {
      const order = epochOrder(split.count, opts)
      const total = numBatches(split, opts)
      for (let b = 0; b < total; b++) {
        const indices = order.slice(b * opts.batchSize, Math.min((b + 1) * opts.batchSize, order.length))
        const data = gatherPixels(split.images, indices, pixels, normalization)
        const labels = Int32Array.from(indices, (i) => split.labels[i])
        const x = tf.tidy(() => {
          const raw = tf.tensor4d(data, [indices.length, 1, split.height, split.width], 'float32')
          return resizeBilinearNCHW(raw, [size, size])
        })
        const y = tf.tensor1d(labels, 'int32')
        yield { x, y, indices }
      }
    },
  }
}
