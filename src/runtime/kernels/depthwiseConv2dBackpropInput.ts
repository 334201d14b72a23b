/**
 * `DepthwiseConv2dNativeBackpropInput` for the wasm backend, which
 * tfjs-backend-wasm 4.22 lacks.
 *
 * Per channel this is a transposed convolution: zeros are inserted between dy's pixels
 * by the forward stride and each of the `C·m` channels is convolved (depthwise, one
 * output per channel) with its 180°-rotated filter; the `m` channels that came from the
 * same input channel are then summed.
 *
 * @module
 */
import * as tf from '@tensorflow/tfjs'
import { composeKernels, type ComposingBackend, type KernelRunner } from './compose.js'
import { type ConvPadding, convGeometry } from './convGeometry.js'
import { transposedConvInput } from './transposedConvInput.js'

/**
 * Attributes of `DepthwiseConv2dNativeBackpropInput` (NHWC only, as in tfjs).
 * @category Advanced
 */
export interface DepthwiseConv2dBackpropInputAttributes {
  readonly inputShape: [number, number, number, number]
  readonly strides: number | [number, number]
  /** tfjs's own attribute (its depthwise gradients pass it); honoured. */
  readonly dilations?: number | [number, number]
  readonly pad: ConvPadding
  readonly dimRoundingMode?: 'floor' | 'round' | 'ceil'
}

/**
 * Input gradient of a depthwise convolution composed from wasm kernels (Reshape,
 * PadV2, Slice, Reverse, DepthwiseConv2dNative, Sum).
 *
 * @param run - runner bound to the wasm backend (see `composeKernels`)
 * @param dy - output gradient `[N, Ho, Wo, C·m]`
 * @param filter - forward filter `[kh, kw, C, m]`
 * @category Advanced
 */
export function depthwiseConv2dBackpropInputComposed(
  run: KernelRunner, dy: tf.TensorInfo, filter: tf.TensorInfo, attrs: DepthwiseConv2dBackpropInputAttributes,
): tf.TensorInfo {
  const g = convGeometry({
    xShape: attrs.inputShape, filterShape: filter.shape, dyShape: dy.shape, strides: attrs.strides,
    dilations: attrs.dilations ?? 1, pad: attrs.pad, dimRoundingMode: attrs.dimRoundingMode,
    dataFormat: 'NHWC', depthwise: true,
  })
  const [kh, kw, c, m] = filter.shape
  const { input, pad } = transposedConvInput(run, dy, g)
  if (input === undefined) {
    return run('Fill', {}, { shape: [g.batch, g.inHeight, g.inWidth, c], value: 0, dtype: 'float32' })
  }
  const flipped = run('Reverse', { x: filter }, { dims: [0, 1] })
  const perChannel = run('Reshape', { x: flipped }, { shape: [kh, kw, c * m, 1] })
  const dx = run('DepthwiseConv2dNative', { x: input, filter: perChannel }, {
    strides: [1, 1], pad, dilations: [g.dilationHeight, g.dilationWidth], dataFormat: 'NHWC',
  })
  if (m === 1) return dx
  const grouped = run('Reshape', { x: dx }, { shape: [g.batch, g.inHeight, g.inWidth, c, m] })
  return run('Sum', { x: grouped }, { axis: [4], keepDims: false })
}

/**
 * Kernel function of {@link depthwiseConv2dBackpropInputWasmConfig}.
 * @category Advanced
 */
export const depthwiseConv2dBackpropInputWasm: tf.KernelFunc = ({ inputs, backend, attrs }) => {
  const { dy, filter } = inputs
  if (dy === undefined || filter === undefined) throw new Error('DepthwiseConv2dNativeBackpropInput: missing input dy or filter')
  return composeKernels(backend as ComposingBackend, 'wasm', ({ run }) =>
    depthwiseConv2dBackpropInputComposed(run, dy, filter, attrs as unknown as DepthwiseConv2dBackpropInputAttributes))
}

/**
 * `DepthwiseConv2dNativeBackpropInput` for 'wasm' (missing from tfjs-backend-wasm 4.22)
 * as a depthwise convolution of zero-inserted dy with the rotated per-channel kernels.
 * @category Advanced
 */
export const depthwiseConv2dBackpropInputWasmConfig: tf.KernelConfig = {
  kernelName: tf.DepthwiseConv2dNativeBackpropInput,
  backendName: 'wasm',
  kernelFunc: depthwiseConv2dBackpropInputWasm,
}
