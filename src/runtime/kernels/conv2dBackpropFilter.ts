/**
 * `Conv2DBackpropFilter` for the wasm backend, which tfjs-backend-wasm 4.22 lacks
 * (so `tf.grad` through `tf.conv2d` throws there).
 *
 * The filter gradient `dW[kh, kw, ci, co] = Σ_{n, oh, ow} xpad[n, oh·s + kh·d, ow·s + kw·d, ci] · dy[n, oh, ow, co]`
 * is itself a convolution: take x transposed to `[Cin, H, W, N]` as a batch of Cin
 * images with N channels and dy transposed to `[Ho, Wo, N, Cout]` as the filter,
 * convolve with dilation = forward stride and stride = forward dilation, using the
 * forward leading padding. That yields `[Cin, KH', KW', Cout]` with `KH' ≥ KH`;
 * crop to the kernel size and transpose to `[KH, KW, Cin, Cout]`.
 *
 * @module
 */
import * as tf from '@tensorflow/tfjs'
import { composeKernels, type DisposingBackend, type KernelRunner } from './compose.js'
import {
  type ConvPadding, type DataFormat, convGeometry, explicitPadding, filterGradientPadding, heightAxis, widthAxis,
} from './convGeometry.js'

/**
 * Attributes of `Conv2DBackpropFilter`. `dilations` is an extension (tfjs never passes
 * it because its conv2d gradient rejects dilation > 1); it is honoured when given.
 */
export interface Conv2DBackpropFilterAttributes {
  readonly filterShape: [number, number, number, number]
  readonly strides: number | [number, number]
  readonly pad: ConvPadding
  readonly dataFormat?: DataFormat
  readonly dimRoundingMode?: 'floor' | 'round' | 'ceil'
  readonly dilations?: number | [number, number]
}

/**
 * Filter gradient of a 2-D convolution, composed from wasm kernels (Transpose,
 * Conv2D, Slice). Exposed for benchmarks and tests; normally used through
 * {@link conv2DBackpropFilterWasmConfig}.
 *
 * @param run - runner bound to the wasm backend (see `composeKernels`)
 * @param x - forward input, in `attrs.dataFormat` layout
 * @param dy - output gradient, in `attrs.dataFormat` layout
 */
export function conv2DBackpropFilterComposed(
  run: KernelRunner, x: tf.TensorInfo, dy: tf.TensorInfo, attrs: Conv2DBackpropFilterAttributes,
): tf.TensorInfo {
  const dataFormat = attrs.dataFormat ?? 'NHWC'
  const g = convGeometry({
    xShape: x.shape, filterShape: attrs.filterShape, dyShape: dy.shape, strides: attrs.strides,
    dilations: attrs.dilations ?? 1, pad: attrs.pad, dimRoundingMode: attrs.dimRoundingMode,
    dataFormat, depthwise: false,
  })
  const h = filterGradientPadding(heightAxis(g))
  const w = filterGradientPadding(widthAxis(g))
  // x: [N,H,W,Cin] -> [Cin,H,W,N];  dy: [N,Ho,Wo,Cout] -> [Ho,Wo,N,Cout]
  // (from NCHW: x [N,Cin,H,W] -> [Cin,H,W,N];  dy [N,Cout,Ho,Wo] -> [Ho,Wo,N,Cout])
  const images = run('Transpose', { x }, { perm: dataFormat === 'NCHW' ? [1, 2, 3, 0] : [3, 1, 2, 0] })
  const kernel = run('Transpose', { x: dy }, { perm: dataFormat === 'NCHW' ? [2, 3, 0, 1] : [1, 2, 0, 3] })
  const full = run('Conv2D', { x: images, filter: kernel }, {
    strides: [g.dilationHeight, g.dilationWidth],
    dilations: [g.strideHeight, g.strideWidth],
    pad: explicitPadding({ before: h.before, after: Math.max(0, h.after) }, { before: w.before, after: Math.max(0, w.after) }),
    dataFormat: 'NHWC',
  })
  const [cin, kh, kw, cout] = [g.inChannels, g.filterHeight, g.filterWidth, g.outChannels]
  const cropped = full.shape[1] === kh && full.shape[2] === kw
    ? full
    : run('Slice', { x: full }, { begin: [0, 0, 0, 0], size: [cin, kh, kw, cout] })
  return run('Transpose', { x: cropped }, { perm: [1, 2, 0, 3] })
}

/** Kernel function of {@link conv2DBackpropFilterWasmConfig}. */
export const conv2DBackpropFilterWasm: tf.KernelFunc = ({ inputs, backend, attrs }) => {
  const { x, dy } = inputs
  if (x === undefined || dy === undefined) throw new Error('Conv2DBackpropFilter: missing input x or dy')
  return composeKernels(backend as DisposingBackend, 'wasm', (run) =>
    conv2DBackpropFilterComposed(run, x, dy, attrs as unknown as Conv2DBackpropFilterAttributes))
}

/**
 * `Conv2DBackpropFilter` for 'wasm' (missing from tfjs-backend-wasm 4.22) as an
 * XNNPACK convolution of the transposed input with the transposed output gradient.
 */
export const conv2DBackpropFilterWasmConfig: tf.KernelConfig = {
  kernelName: tf.Conv2DBackpropFilter,
  backendName: 'wasm',
  kernelFunc: conv2DBackpropFilterWasm,
}
