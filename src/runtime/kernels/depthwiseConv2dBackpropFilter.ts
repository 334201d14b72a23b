/**
 * `DepthwiseConv2dNativeBackpropFilter` for the wasm backend, which
 * tfjs-backend-wasm 4.22 lacks (so gradients of depthwise convolutions throw there).
 *
 * `dW[kh, kw, c, j] = Σ_{n, oh, ow} xpad[n, oh·s + kh·d, ow·s + kw·d, c] · dy[n, oh, ow, c·m + j]`
 * is a single depthwise convolution once the batch is folded into the channels:
 * x becomes one image `[1, H, W, N·C]` and dy the depthwise filter `[Ho, Wo, N·C, m]`,
 * convolved with dilation = forward stride and stride = forward dilation. The result
 * `[1, KH', KW', N·C·m]` is cropped to the filter size and summed over the batch.
 *
 * @module
 */
import * as tf from '@tensorflow/tfjs'
import { composeKernels, type ComposingBackend, type KernelRunner } from './compose.js'
import { transpose } from './transpose.js'
import {
  type ConvPadding, convGeometry, explicitPadding, filterGradientPadding, heightAxis, widthAxis,
} from './convGeometry.js'

/**
 * Attributes of `DepthwiseConv2dNativeBackpropFilter` (NHWC only, as in tfjs).
 * @category Advanced
 */
export interface DepthwiseConv2dBackpropFilterAttributes {
  readonly filterShape: [number, number, number, number]
  readonly strides: number | [number, number]
  /** tfjs's own attribute (its depthwise gradients pass it); honoured. */
  readonly dilations?: number | [number, number]
  readonly pad: ConvPadding
  readonly dimRoundingMode?: 'floor' | 'round' | 'ceil'
}

/**
 * Filter gradient of a depthwise convolution composed from wasm kernels (Transpose,
 * Reshape, DepthwiseConv2dNative, Slice, Sum).
 *
 * @param run - runner bound to the wasm backend (see `composeKernels`)
 * @param x - forward input `[N, H, W, C]`
 * @param dy - output gradient `[N, Ho, Wo, C·m]`
 * @category Advanced
 */
export function depthwiseConv2dBackpropFilterComposed(
  run: KernelRunner, x: tf.TensorInfo, dy: tf.TensorInfo, attrs: DepthwiseConv2dBackpropFilterAttributes,
): tf.TensorInfo {
  const g = convGeometry({
    xShape: x.shape, filterShape: attrs.filterShape, dyShape: dy.shape, strides: attrs.strides,
    dilations: attrs.dilations ?? 1, pad: attrs.pad, dimRoundingMode: attrs.dimRoundingMode,
    dataFormat: 'NHWC', depthwise: true,
  })
  const [n, c, m] = [g.batch, g.inChannels, attrs.filterShape[3]]
  const [kh, kw] = [g.filterHeight, g.filterWidth]
  const h = filterGradientPadding(heightAxis(g))
  const w = filterGradientPadding(widthAxis(g))
  const xT = transpose(run, x, [1, 2, 0, 3])
  const image = run('Reshape', { x: xT }, { shape: [1, g.inHeight, g.inWidth, n * c] })
  const dyT = transpose(run, dy, [1, 2, 0, 3])
  const dyFilter = run('Reshape', { x: dyT }, { shape: [g.outHeight, g.outWidth, n * c, m] })
  const full = run('DepthwiseConv2dNative', { x: image, filter: dyFilter }, {
    strides: [g.dilationHeight, g.dilationWidth],
    dilations: [g.strideHeight, g.strideWidth],
    pad: explicitPadding({ before: h.before, after: Math.max(0, h.after) }, { before: w.before, after: Math.max(0, w.after) }),
    dataFormat: 'NHWC',
  })
  const cropped = full.shape[1] === kh && full.shape[2] === kw
    ? full
    : run('Slice', { x: full }, { begin: [0, 0, 0, 0], size: [1, kh, kw, n * c * m] })
  const perImage = run('Reshape', { x: cropped }, { shape: [kh, kw, n, c * m] })
  const summed = run('Sum', { x: perImage }, { axis: [2], keepDims: false })
  return run('Reshape', { x: summed }, { shape: [kh, kw, c, m] })
}

/**
 * Kernel function of {@link depthwiseConv2dBackpropFilterWasmConfig}.
 * @category Advanced
 */
export const depthwiseConv2dBackpropFilterWasm: tf.KernelFunc = ({ inputs, backend, attrs }) => {
  const { x, dy } = inputs
  if (x === undefined || dy === undefined) throw new Error('DepthwiseConv2dNativeBackpropFilter: missing input x or dy')
  return composeKernels(backend as ComposingBackend, 'wasm', ({ run }) =>
    depthwiseConv2dBackpropFilterComposed(run, x, dy, attrs as unknown as DepthwiseConv2dBackpropFilterAttributes))
}

/**
 * `DepthwiseConv2dNativeBackpropFilter` for 'wasm' (missing from tfjs-backend-wasm
 * 4.22) as one depthwise convolution with the batch folded into the channels.
 * @category Advanced
 */
export const depthwiseConv2dBackpropFilterWasmConfig: tf.KernelConfig = {
  kernelName: tf.DepthwiseConv2dNativeBackpropFilter,
  backendName: 'wasm',
  kernelFunc: depthwiseConv2dBackpropFilterWasm,
}
