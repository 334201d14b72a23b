/**
 * `Sum` over leading axes for the wasm backend as one global average pooling.
 *
 * tfjs-backend-wasm 4.22 reduces only innermost axes: a sum over `[0, 1, 2]` of an NHWC tensor (a bias or
 * BatchNorm gradient, any broadcast gradient over the batch) first transposes the whole tensor. Viewed as
 * `[1, A, B, C]` (A·B = M, the product of the reduced axes) the same sum is M times an A×B average pool, which
 * XNNPACK runs channel-vectorised in one pass, several times faster than transpose + sum (and no less accurate:
 * measured against float64 sums of 10⁵ values). Other reductions run the built-in kernel. (A product with a row of
 * ones is no faster: XNNPACK repacks the fresh right-hand matrix on every call.)
 *
 * @module
 */
import '@tensorflow/tfjs-backend-wasm'
import * as tf from '@tensorflow/tfjs'
import { composeKernels, type ComposingBackend } from './compose.js'

const builtinSum = tf.getKernel(tf.Sum, 'wasm')

/**
 * The number of leading axes `axis` names (as a sorted prefix `0 … k−1` of a rank-`rank` tensor), or 0 when it is
 * not such a prefix or covers every axis.
 * @example
 * ```ts
 * leadingAxes([2, 0, 1], 4) // 3
 * leadingAxes([1, 2], 4) // 0
 * ```
 * @category Advanced
 */
export function leadingAxes(axis: number | readonly number[] | null | undefined, rank: number): number {
  if (axis === null || axis === undefined) return 0
  const axes = [...new Set((typeof axis === 'number' ? [axis] : axis).map((a) => (a < 0 ? a + rank : a)))].sort((a, b) => a - b)
  if (axes.length === 0 || axes.length >= rank) return 0
  return axes.every((a, i) => a === i) ? axes.length : 0
}

/**
 * Kernel function of {@link leadingAxesSumWasmConfig}.
 * @category Advanced
 */
export const leadingAxesSumWasm: tf.KernelFunc = (args) => {
  const { x } = args.inputs
  if (x === undefined) throw new Error('Sum: missing input x')
  const { axis, keepDims } = args.attrs as unknown as { axis: number | number[] | null; keepDims: boolean }
  const k = x.dtype === 'float32' ? leadingAxes(axis, x.shape.length) : 0
  const m = x.shape.slice(0, k).reduce((a, b) => a * b, 1)
  if (k === 0 || m < 2) {
    if (builtinSum === undefined) throw new Error('Sum: no built-in wasm kernel')
    return builtinSum.kernelFunc(args)
  }
  const inner = x.shape.slice(k)
  const c = inner.reduce((a, b) => a * b, 1)
  const a = k === 1 ? 1 : x.shape[0]
  const b = m / a
  return composeKernels(args.backend as ComposingBackend, 'wasm', ({ run, constant }) => {
    const image = run('Reshape', { x }, { shape: [1, a, b, c] })
    const average = run('AvgPool', { x: image }, { filterSize: [a, b], strides: [1, 1], pad: 'valid' })
    const total = run('Multiply', { a: average, b: constant(Float32Array.of(m), []) })
    return run('Reshape', { x: total }, { shape: keepDims ? [...x.shape.slice(0, k).map(() => 1), ...inner] : inner })
  })
}

/**
 * `Sum` for 'wasm': reductions over leading axes as one average pooling, others built in.
 * @category Advanced
 */
export const leadingAxesSumWasmConfig: tf.KernelConfig = {
  kernelName: tf.Sum,
  backendName: 'wasm',
  kernelFunc: leadingAxesSumWasm,
  ...(builtinSum?.setupFunc === undefined ? {} : { setupFunc: builtinSum.setupFunc }),
}
