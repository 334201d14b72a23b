/**
 * Tensor layouts: the public one (PyTorch's NCHW activations, OIHW conv weights, `[out, in]` linear weights) and the
 * internal one the interpreter runs in (TensorFlow.js's fast NHWC activations, HWIO conv weights, `[in, out]` linear
 * weights). Weights are converted once, when a model state is created or exported; activations are transposed once
 * at the input boundary (and back at the output if it is 4-D).
 *
 * Flatten: PyTorch flattens `[N, C, H, W]` in C-major order. When every consumer of a flatten is a linear layer, the
 * interpreter flattens the NHWC tensor as is and stores those linear layers' weights with their input rows permuted
 * to NHWC order ({@link ParamLayout} `linearAfterNhwcFlatten`), so PyTorch weights load unchanged and no transpose is
 * run per batch. Otherwise the flatten transposes back to NCHW before reshaping.
 * @module
 */
import * as tf from '@tensorflow/tfjs'

/**
 * How one parameter is stored internally, relative to its PyTorch layout.
 * - `same`: identical (biases, BatchNorm vectors);
 * - `convHwio`: OIHW `[O, I, kh, kw]` → HWIO `[kh, kw, I, O]`;
 * - `depthwise`: `[C, 1, kh, kw]` → `[kh, kw, C, 1]` (tfjs depthwise filter, multiplier 1);
 * - `linear`: `[out, in]` → `[in, out]`;
 * - `linearAfterNhwcFlatten`: `[out, C·H·W]` (NCHW feature order) → `[H·W·C, out]` (NHWC feature order).
 * @category Advanced
 */
export type ParamLayout =
  | { readonly kind: 'same' }
  | { readonly kind: 'convHwio' }
  | { readonly kind: 'depthwise' }
  | { readonly kind: 'linear' }
  | { readonly kind: 'linearAfterNhwcFlatten'; readonly chw: readonly [number, number, number] }

/**
 * The internal shape of a parameter with PyTorch shape `shape` stored in `layout`.
 * @category Advanced
 */
export function internalShape(layout: ParamLayout, shape: readonly number[]): number[] {
  switch (layout.kind) {
    case 'same':
      return [...shape]
    case 'convHwio':
      return [shape[2], shape[3], shape[1], shape[0]]
    case 'depthwise':
      return [shape[2], shape[3], shape[0], 1]
    case 'linear':
    case 'linearAfterNhwcFlatten':
      return [shape[1], shape[0]]
  }
}

/**
 * The PyTorch shape of a parameter whose internal tensor has shape `internal` (inverse of {@link internalShape}); a
 * shape of the wrong rank for the layout is returned as is.
 * @example
 * ```ts
 * pytorchShape({ kind: 'linear' }, [84, 5]) // [5, 84]
 * ```
 * @category Advanced
 */
export function pytorchShape(layout: ParamLayout, internal: readonly number[]): number[] {
  const s = internal
  switch (layout.kind) {
    case 'same':
      return [...s]
    case 'convHwio':
      return s.length === 4 ? [s[3], s[2], s[0], s[1]] : [...s]
    case 'depthwise':
      return s.length === 4 ? [s[2], s[3], s[0], s[1]] : [...s]
    case 'linear':
    case 'linearAfterNhwcFlatten':
      return s.length === 2 ? [s[1], s[0]] : [...s]
  }
}

/**
 * Index map of a layout: `internal[i] = pytorch[source[i]]`. `undefined` for the identity (`same`).
 */
function sourceIndex(layout: ParamLayout, shape: readonly number[]): Int32Array | undefined {
  switch (layout.kind) {
    case 'same':
      return undefined
    case 'convHwio':
    case 'depthwise': {
      // Both store [kh, kw, I·O] with O fastest; depthwise has I = 1, O = C, so its [kh, kw, C, 1] order is the same.
      const [o, ci, kh, kw] = shape
      const src = new Int32Array(o * ci * kh * kw)
      let i = 0
      for (let h = 0; h < kh; h++)
        for (let w = 0; w < kw; w++)
          for (let c = 0; c < ci; c++) for (let k = 0; k < o; k++) src[i++] = ((k * ci + c) * kh + h) * kw + w
      return src
    }
    case 'linear': {
      const [out, inF] = shape
      const src = new Int32Array(out * inF)
      let i = 0
      for (let j = 0; j < inF; j++) for (let k = 0; k < out; k++) src[i++] = k * inF + j
      return src
    }
    case 'linearAfterNhwcFlatten': {
      const [out, inF] = shape
      const [c, h, w] = layout.chw
      const src = new Int32Array(out * inF)
      let i = 0
      // Internal row j enumerates (y, x, ch) with ch fastest; its PyTorch column is ch·H·W + y·W + x.
      for (let y = 0; y < h; y++)
        for (let x = 0; x < w; x++)
          for (let ch = 0; ch < c; ch++) {
            const col = (ch * h + y) * w + x
            for (let k = 0; k < out; k++) src[i++] = k * inF + col
          }
      return src
    }
  }
}

/**
 * Converts PyTorch-layout values to the internal layout.
 * @example
 * ```ts
 * toInternal({ kind: 'linear' }, [2, 3], Float32Array.of(1, 2, 3, 4, 5, 6)) // [1, 4, 2, 5, 3, 6] ([3, 2])
 * ```
 * @category Advanced
 */
export function toInternal(layout: ParamLayout, shape: readonly number[], data: Float32Array): Float32Array {
  const src = sourceIndex(layout, shape)
  if (src === undefined) return data
  const out = new Float32Array(data.length)
  for (let i = 0; i < src.length; i++) out[i] = data[src[i]]
  return out
}

/**
 * Converts internal-layout values back to PyTorch's layout (inverse of {@link toInternal}).
 * @category Advanced
 */
export function toPyTorch(layout: ParamLayout, shape: readonly number[], data: Float32Array): Float32Array {
  const src = sourceIndex(layout, shape)
  if (src === undefined) return data
  const out = new Float32Array(data.length)
  for (let i = 0; i < src.length; i++) out[src[i]] = data[i]
  return out
}

/**
 * NCHW → NHWC (rank-4 tensors; other ranks are returned as is).
 * @category Advanced
 */
export function toNhwc(x: tf.Tensor): tf.Tensor {
  return x.rank === 4 ? tf.transpose(x, [0, 2, 3, 1]) : x
}

/**
 * NHWC → NCHW (rank-4 tensors; other ranks are returned as is).
 * @category Advanced
 */
export function toNchw(x: tf.Tensor): tf.Tensor {
  return x.rank === 4 ? tf.transpose(x, [0, 3, 1, 2]) : x
}
