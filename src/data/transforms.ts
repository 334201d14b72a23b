/**
 * Deterministic shuffling, pixel normalisation and bilinear resizing for image datasets.
 *
 * @module
 */
import * as tf from '@tensorflow/tfjs'
import { DataError } from './errors.js'
import { mulberry32Uint } from '../util/random.js'

// ---------------------------------------------------------------------------------------------
// Random numbers
// ---------------------------------------------------------------------------------------------

/**
 * mulberry32: a tiny 32-bit-state PRNG (Tommy Ettinger's public-domain design). Fast, good enough
 * statistically for shuffling, and, unlike `Math.random`, reproducible from its seed on every
 * platform. Returns floats in `[0, 1)`.
 *
 * @example
 * ```ts
 * const rand = mulberry32(42)
 * rand() // always the same first value for seed 42
 * ```
 * @category Data
 */
export const mulberry32 = (seed: number): (() => number) => {
  const next = mulberry32Uint(seed)
  return () => next() / 4294967296
}

/**
 * Derives the PRNG seed for one epoch from a run seed: the two numbers are combined with the
 * golden-ratio constant and passed through MurmurHash3's 32-bit finaliser, so neighbouring
 * `(seed, epoch)` pairs give unrelated streams.
 *
 * @example
 * ```ts
 * epochSeed(0, 1) !== epochSeed(1, 0) // true
 * ```
 * @category Data
 */
export const epochSeed = (seed: number, epoch: number): number => {
  let h = (seed >>> 0) ^ Math.imul((epoch >>> 0) + 1, 0x9e3779b9)
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b)
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35)
  return (h ^ (h >>> 16)) >>> 0
}

/**
 * A permutation of `0..n-1` (Fisher–Yates with {@link mulberry32} seeded by
 * {@link epochSeed}`(seed, epoch)`). Same arguments, same permutation.
 *
 * @example
 * ```ts
 * shuffledIndices(5, 42, 0) // e.g. Uint32Array [3, 0, 4, 1, 2], identical on every run
 * ```
 * @category Data
 */
export const shuffledIndices = (n: number, seed: number, epoch = 0): Uint32Array => {
  const out = new Uint32Array(n)
  for (let i = 0; i < n; i++) out[i] = i
  const rand = mulberry32(epochSeed(seed, epoch))
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1))
    const t = out[i]
    out[i] = out[j]
    out[j] = t
  }
  return out
}

// ---------------------------------------------------------------------------------------------
// Normalisation
// ---------------------------------------------------------------------------------------------

/**
 * Mean and standard deviation of pixel values after scaling to `[0, 1]`.
 *
 * @category Data
 */
export interface NormalizeStats {
  /** Mean pixel value, in `[0, 1]` units. */
  readonly mean: number
  /** Standard deviation of pixel values, in `[0, 1]` units; positive. */
  readonly std: number
}

/**
 * How to turn `uint8` pixels into floats: `'scale'` maps to `[0, 1]` (`p / 255`, like torchvision's
 * `ToTensor`); a {@link NormalizeStats} additionally standardises (`(p / 255 - mean) / std`, like
 * `ToTensor` followed by `Normalize(mean, std)`).
 *
 * @category Data
 */
export type Normalization = 'scale' | NormalizeStats

/**
 * Pixel statistics of the Fashion-MNIST training set (60000 images); the default normalisation.
 *
 * @category Data
 */
export const FASHION_MNIST_STATS: NormalizeStats = { mean: 0.286, std: 0.353 }

/**
 * Pixel statistics of the MNIST training set (the customary 0.1307 / 0.3081).
 *
 * @category Data
 */
export const MNIST_STATS: NormalizeStats = { mean: 0.1307, std: 0.3081 }

/**
 * The float value of every possible byte under a normalisation (a 256-entry lookup table).
 *
 * @example
 * ```ts
 * pixelTable('scale')[255] // 1
 * ```
 * @category Data
 */
export const pixelTable = (normalization: Normalization): Float32Array => {
  const table = new Float32Array(256)
  for (let p = 0; p < 256; p++) {
    const v = p / 255
    table[p] = normalization === 'scale' ? v : (v - normalization.mean) / normalization.std
  }
  return table
}

/**
 * Copies the images at `indices` out of a packed `uint8` image array into a new float array,
 * normalised. `pixelsPerImage` is `height · width · channels`.
 *
 * @example
 * ```ts
 * declare const split: Split
 * const x = gatherPixels(split.images, [5, 2], 28 * 28, 'scale') // 2·784 floats in [0, 1]
 * ```
 * @category Data
 */
export const gatherPixels = (
  images: Uint8Array,
  indices: ArrayLike<number>,
  pixelsPerImage: number,
  normalization: Normalization,
): Float32Array => {
  const table = pixelTable(normalization)
  const out = new Float32Array(indices.length * pixelsPerImage)
  for (let k = 0; k < indices.length; k++) {
    const src = indices[k] * pixelsPerImage
    const dst = k * pixelsPerImage
    for (let p = 0; p < pixelsPerImage; p++) out[dst + p] = table[images[src + p]]
  }
  return out
}

// ---------------------------------------------------------------------------------------------
// Resizing
// ---------------------------------------------------------------------------------------------

/**
 * Bilinear resize of an NCHW batch to `size × size` (or `[height, width]`), with half-pixel
 * centres (`tf.image.resizeBilinear(x, size, false, true)`). This samples the source at
 * `(dst + 0.5) · in/out − 0.5`, clamped to the image, i.e. exactly PyTorch's
 * `F.interpolate(x, size, mode='bilinear', align_corners=False)` (checked against a PyTorch golden
 * in the tests; without antialiasing, so downsampling also matches). Returns `x` itself when the
 * size is unchanged.
 *
 * @example
 * ```ts
 * const big = resizeBilinearNCHW(tf.zeros([8, 1, 28, 28]) as tf.Tensor4D, 224) // [8, 1, 224, 224]
 * ```
 * @category Data
 */
export const resizeBilinearNCHW = (x: tf.Tensor4D, size: number | readonly [number, number]): tf.Tensor4D => {
  const [h, w] = typeof size === 'number' ? [size, size] : size
  for (const d of [h, w]) {
    if (!Number.isInteger(d) || d < 1) {
      throw new DataError('invalid-options', `resize: size must be a positive integer, got ${String(size)}`)
    }
  }
  const [n, c, inH, inW] = x.shape
  if (inH === h && inW === w) return x
  return tf.tidy(() => {
    // With one channel NCHW and NHWC have the same memory layout, so a reshape replaces two transposes.
    const nhwc = c === 1 ? tf.reshape(x, [n, inH, inW, 1]) : tf.transpose(x, [0, 2, 3, 1])
    const resized = tf.image.resizeBilinear(nhwc as tf.Tensor4D, [h, w], false, true)
    return c === 1 ? tf.reshape(resized, [n, 1, h, w]) : tf.transpose(resized, [0, 3, 1, 2])
  }) as tf.Tensor4D
}
