/**
 * Geometry of a forward 2-D convolution as seen by its gradient kernels: sizes,
 * strides, dilations, the padding actually applied before the first row/column,
 * and the paddings of the convolutions that compute the gradients.
 *
 * @module
 */
import * as tf from '@tensorflow/tfjs'
import { pair } from '../../layers/layer.js'

/**
 * Layout of a 4-D activation tensor, as tfjs kernels name it.
 * @category Advanced
 */
export type DataFormat = 'NHWC' | 'NCHW'

/**
 * tfjs explicit padding: one `[before, after]` pair per axis of a 4-D tensor.
 * @category Advanced
 */
export type ExplicitPadding = [[number, number], [number, number], [number, number], [number, number]]

/**
 * Every padding a tfjs convolution kernel accepts.
 * @category Advanced
 */
export type ConvPadding = 'valid' | 'same' | number | ExplicitPadding

/**
 * Shape, stride, dilation and leading padding of a forward convolution (NHWC view).
 * @category Advanced
 */
export interface ConvGeometry {
  readonly batch: number
  readonly inHeight: number
  readonly inWidth: number
  readonly inChannels: number
  readonly outHeight: number
  readonly outWidth: number
  readonly outChannels: number
  readonly filterHeight: number
  readonly filterWidth: number
  readonly strideHeight: number
  readonly strideWidth: number
  readonly dilationHeight: number
  readonly dilationWidth: number
  /** Zero rows added above the input by the forward convolution. */
  readonly padTop: number
  /** Zero columns added left of the input by the forward convolution. */
  readonly padLeft: number
}

/**
 * What {@link convGeometry} needs to know about the forward convolution.
 * @category Advanced
 */
export interface ConvDescription {
  /** Input shape in `dataFormat` order. */
  readonly xShape: readonly number[]
  /** Filter shape `[kh, kw, inChannels, outChannels or channelMultiplier]`. */
  readonly filterShape: readonly number[]
  /** Shape of the output gradient in `dataFormat` order. */
  readonly dyShape: readonly number[]
  readonly strides: number | readonly [number, number]
  readonly dilations: number | readonly [number, number]
  readonly pad: ConvPadding
  readonly dimRoundingMode?: 'floor' | 'round' | 'ceil'
  readonly dataFormat: DataFormat
  readonly depthwise: boolean
}

/**
 * Thrown when a gradient kernel receives shapes that do not fit the forward convolution.
 * @category Advanced
 */
export class ConvShapeError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'ConvShapeError'
  }
}

/**
 * Computes the forward geometry with tfjs's own rules (so 'same', numeric padding and
 * rounding modes agree with the cpu backend). Batch and channels of `dyShape` must match;
 * its height and width are taken as given (tfjs may lose the rounding mode on the way).
 *
 * @example
 * ```ts
 * const g = convGeometry({ xShape: [2, 9, 9, 3], filterShape: [3, 3, 3, 4], dyShape: [2, 5, 5, 4],
 *   strides: 2, dilations: 1, pad: 'same', dataFormat: 'NHWC', depthwise: false })
 * g.padTop // 1
 * ```
 * @category Advanced
 */
export function convGeometry(d: ConvDescription): ConvGeometry {
  if (d.xShape.length !== 4 || d.filterShape.length !== 4 || d.dyShape.length !== 4) {
    throw new ConvShapeError(`conv gradient: expected rank-4 x, filter and dy, got shapes ` +
      `[${d.xShape}], [${d.filterShape}], [${d.dyShape}]`)
  }
  const info = tf.backend_util.computeConv2DInfo(
    [...d.xShape] as [number, number, number, number],
    [...d.filterShape] as [number, number, number, number],
    [...pair(d.strides, 1)] as [number, number], [...pair(d.dilations, 1)] as [number, number], d.pad as 'same', d.dimRoundingMode, d.depthwise,
    d.dataFormat === 'NCHW' ? 'channelsFirst' : 'channelsLast')
  const dyHW = d.dataFormat === 'NCHW' ? [d.dyShape[2], d.dyShape[3]] : [d.dyShape[1], d.dyShape[2]]
  const dyC = d.dataFormat === 'NCHW' ? d.dyShape[1] : d.dyShape[3]
  if (dyC !== info.outChannels || d.dyShape[0] !== info.batchSize || dyHW[0] < 1 || dyHW[1] < 1) {
    throw new ConvShapeError(`conv gradient: dy has shape [${d.dyShape}] but the forward convolution of ` +
      `x [${d.xShape}] with filter [${d.filterShape}] produces ${info.batchSize}×${info.outHeight}×` +
      `${info.outWidth}×${info.outChannels} (${d.dataFormat})`)
  }
  return {
    batch: info.batchSize,
    inHeight: info.inHeight,
    inWidth: info.inWidth,
    inChannels: info.inChannels,
    // dy's own size: tfjs's conv2d gradient drops `dimRoundingMode`, so with 'ceil' the
    // recomputed size can be one short; output position o still reads rows o·s + k·d − padTop.
    outHeight: dyHW[0],
    outWidth: dyHW[1],
    outChannels: info.outChannels,
    filterHeight: info.filterHeight,
    filterWidth: info.filterWidth,
    strideHeight: info.strideHeight,
    strideWidth: info.strideWidth,
    dilationHeight: info.dilationHeight,
    dilationWidth: info.dilationWidth,
    padTop: info.padInfo.top,
    padLeft: info.padInfo.left,
  }
}

/**
 * Padding along one axis; either side may be negative, meaning "crop that many".
 * @category Advanced
 */
export interface AxisPadding {
  readonly before: number
  readonly after: number
}

/**
 * One spatial axis of a forward convolution.
 * @category Advanced
 */
export interface ConvAxis {
  /** Input length. */
  readonly inSize: number
  /** Output length (length of dy along this axis). */
  readonly outSize: number
  /** Filter taps along this axis (the layer's window). */
  readonly filterSize: number
  readonly stride: number
  readonly dilation: number
  /** Padding before the first input element. */
  readonly padBefore: number
}

/**
 * Extent of a dilated filter: `(k - 1) * d + 1`.
 * @category Advanced
 */
export const dilatedFilterSize = (k: number, dilation: number): number => (k - 1) * dilation + 1

/**
 * Padding of dy, after inserting `stride - 1` zeros between its elements (length
 * `(outSize - 1) * stride + 1`), for the stride-1 convolution with the flipped filter
 * that yields the input gradient with exactly `inSize` elements. The far side also
 * accounts for input elements the forward convolution never read (flooring).
 *
 * @example
 * ```ts
 * inputGradientPadding({ inSize: 5, outSize: 2, filterSize: 3, stride: 2, dilation: 1, padBefore: 0 })
 * // { before: 2, after: 2 }
 * ```
 * @category Advanced
 */
export function inputGradientPadding(a: ConvAxis): AxisPadding {
  const before = dilatedFilterSize(a.filterSize, a.dilation) - 1 - a.padBefore
  const upsampled = (a.outSize - 1) * a.stride + 1
  return { before, after: a.inSize - upsampled + a.padBefore }
}

/**
 * Padding of the input for the convolution that yields the filter gradient, where dy
 * (dilated by the forward stride) slides over the input with the forward dilation as
 * stride: `before` is the forward leading padding, `after` gives exactly `filterSize` output
 * positions. A negative `after` means the convolution yields more positions, to be cropped.
 *
 * @example
 * ```ts
 * filterGradientPadding({ inSize: 6, outSize: 2, filterSize: 3, stride: 2, dilation: 1, padBefore: 0 })
 * // { before: 0, after: -1 }: crop one position
 * ```
 * @category Advanced
 */
export function filterGradientPadding(a: ConvAxis): AxisPadding {
  const upsampled = (a.outSize - 1) * a.stride + 1
  return { before: a.padBefore, after: (a.filterSize - 1) * a.dilation + upsampled - a.inSize - a.padBefore }
}

/**
 * The height axis of `g`.
 * @category Advanced
 */
export const heightAxis = (g: ConvGeometry): ConvAxis => ({
  inSize: g.inHeight, outSize: g.outHeight, filterSize: g.filterHeight,
  stride: g.strideHeight, dilation: g.dilationHeight, padBefore: g.padTop,
})

/**
 * The width axis of `g`.
 * @category Advanced
 */
export const widthAxis = (g: ConvGeometry): ConvAxis => ({
  inSize: g.inWidth, outSize: g.outWidth, filterSize: g.filterWidth,
  stride: g.strideWidth, dilation: g.dilationWidth, padBefore: g.padLeft,
})

/**
 * Explicit NHWC padding of the two spatial axes.
 * @category Advanced
 */
export const explicitPadding = (h: AxisPadding, w: AxisPadding): ExplicitPadding =>
  [[0, 0], [h.before, h.after], [w.before, w.after], [0, 0]]
