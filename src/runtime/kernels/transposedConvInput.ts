/**
 * Turning dy into the input of an ordinary stride-1 convolution that computes a
 * transposed convolution (the input gradient of a forward convolution): zeros are
 * inserted between dy's pixels according to the forward stride, and the padding of
 * that convolution is made non-negative by cropping dy where it would be negative.
 *
 * @module
 */
import * as tf from '@tensorflow/tfjs'
import type { KernelRunner } from './compose.js'
import {
  type AxisPadding, type ConvGeometry, type ExplicitPadding,
  explicitPadding, heightAxis, inputGradientPadding, widthAxis,
} from './convGeometry.js'

/**
 * dy prepared for the transposed convolution, and the padding to convolve it with.
 * @category Advanced
 */
export interface TransposedConvInput {
  /** NHWC tensor, or `undefined` when no element of dy reaches the input gradient. */
  readonly input: tf.TensorInfo | undefined
  readonly pad: ExplicitPadding
}

/** Splits `stride - 1` inserted zeros into some before and the rest after each element. */
const splitZeros = (p: AxisPadding, stride: number): [number, number] => {
  const before = Math.min(Math.max(p.before, 0), stride - 1)
  return [before, stride - 1 - before]
}

/**
 * Inserts `stride - 1` zeros between dy's pixels (NHWC) and returns it with the
 * non-negative padding for a stride-1 convolution (dilation = forward dilation) with
 * the 180°-rotated filter, whose output is exactly the forward input's height × width.
 *
 * Each pixel is followed (and, when the leading padding allows, preceded) by its zeros,
 * which a single PadV2 on a 6-D view produces; the trailing zeros replace part of the
 * padding the convolution would otherwise add. Negative padding is applied as a crop.
 *
 * @example
 * ```ts
 * declare const run: KernelRunner, dy: tf.TensorInfo, geometry: ConvGeometry
 * declare const rotated: tf.TensorInfo, dilations: [number, number] // the filter turned by 180°, the forward dilations
 * const prepared = transposedConvInput(run, dy, geometry)
 * if (prepared.input !== undefined) {
 *   const dx = run('Conv2D', { x: prepared.input, filter: rotated }, { strides: 1, pad: prepared.pad, dilations, dataFormat: 'NHWC' })
 * }
 * ```
 * @category Advanced
 */
export function transposedConvInput(run: KernelRunner, dy: tf.TensorInfo, g: ConvGeometry): TransposedConvInput {
  const h = inputGradientPadding(heightAxis(g))
  const w = inputGradientPadding(widthAxis(g))
  const [n, ho, wo, c] = dy.shape
  const [zh0, zh1] = splitZeros(h, g.strideHeight)
  const [zw0, zw1] = splitZeros(w, g.strideWidth)
  let input = dy
  if (g.strideHeight > 1 || g.strideWidth > 1) {
    const view = run('Reshape', { x: dy }, { shape: [n, ho, 1, wo, 1, c] })
    const padded = run('PadV2', { x: view }, {
      paddings: [[0, 0], [0, 0], [zh0, zh1], [0, 0], [zw0, zw1], [0, 0]], constantValue: 0,
    })
    input = run('Reshape', { x: padded }, { shape: [n, ho * g.strideHeight, wo * g.strideWidth, c] })
  }
  const top = h.before - zh0
  const bottom = h.after - zh1
  const left = w.before - zw0
  const right = w.after - zw1
  const cropTop = Math.max(0, -top)
  const cropBottom = Math.max(0, -bottom)
  const cropLeft = Math.max(0, -left)
  const cropRight = Math.max(0, -right)
  const pad = explicitPadding(
    { before: Math.max(0, top), after: Math.max(0, bottom) },
    { before: Math.max(0, left), after: Math.max(0, right) })
  if (cropTop + cropBottom + cropLeft + cropRight === 0) return { input, pad }
  const keepH = input.shape[1] - cropTop - cropBottom
  const keepW = input.shape[2] - cropLeft - cropRight
  if (keepH <= 0 || keepW <= 0) return { input: undefined, pad }
  const cropped = run('Slice', { x: input }, { begin: [0, cropTop, cropLeft, 0], size: [n, keepH, keepW, c] })
  return { input: cropped, pad }
}
