/**
 * `Conv2DBackpropFilter` for the wasm backend, which tfjs-backend-wasm 4.22 lacks
 * (so `tf.grad` through `tf.conv2d` throws there).
 *
 * The filter gradient `dW[kh, kw, ci, co] = Σ_{n, oh, ow} xpad[n, oh·s + kh·d, ow·s + kw·d, ci] · dy[n, oh, ow, co]`
 * is itself a convolution: take x transposed to `[Cin, H, W, N]` as a batch of Cin
 * images with N channels and dy transposed to `[Ho, Wo, N, Cout]` as the filter,
 * convolve with dilation = forward stride and stride = forward dilation, using the
 * forward leading padding. That yields `[Cin, KH', KW', Cout]` with `KH' ≥ KH`;
 * crop to the filter size and transpose to `[KH, KW, Cin, Cout]`. 1×1 filters (NiN,
 * GoogLeNet, ResNet shortcuts) instead use one matrix product, which XNNPACK runs faster.
 *
 * @module
 */
import * as tf from '@tensorflow/tfjs'
import { composeKernels, type ComposingBackend, type KernelRunner } from './compose.js'
import { transpose } from './transpose.js'
import {
  type ConvGeometry, type ConvPadding, type DataFormat, convGeometry, explicitPadding, filterGradientPadding, heightAxis, widthAxis,
} from './convGeometry.js'

/**
 * Attributes of `Conv2DBackpropFilter`.
 * No `dilations`: tfjs's conv2d gradient rejects dilation > 1, and the interpreter runs a dilated conv as a
 * plain one over a zero-dilated filter (src/runtime/ops/conv.ts).
 * @category Advanced
 */
export interface Conv2DBackpropFilterAttributes {
  readonly filterShape: [number, number, number, number]
  readonly strides: number | [number, number]
  readonly pad: ConvPadding
  readonly dataFormat?: DataFormat
  readonly dimRoundingMode?: 'floor' | 'round' | 'ceil'
}

/**
 * Filter gradient of a 2-D convolution, composed from wasm kernels (Transpose,
 * Conv2D, Slice). Exposed for benchmarks and tests; normally used through
 * {@link conv2DBackpropFilterWasmConfig}.
 *
 * @param run - runner bound to the wasm backend (see `composeKernels`)
 * @param x - forward input, in `attrs.dataFormat` layout
 * @param dy - output gradient, in `attrs.dataFormat` layout
 * @category Advanced
 */
export function conv2DBackpropFilterComposed(
  run: KernelRunner, x: tf.TensorInfo, dy: tf.TensorInfo, attrs: Conv2DBackpropFilterAttributes,
): tf.TensorInfo {
  const dataFormat = attrs.dataFormat ?? 'NHWC'
  const g = convGeometry({
    xShape: x.shape, filterShape: attrs.filterShape, dyShape: dy.shape, strides: attrs.strides,
    dilations: 1, pad: attrs.pad, dimRoundingMode: attrs.dimRoundingMode,
    dataFormat, depthwise: false,
  })
  if (dataFormat === 'NHWC' && g.filterHeight === 1 && g.filterWidth === 1 && g.padTop === 0 && g.padLeft === 0) {
    return pointwiseFilterGradient(run, x, dy, g)
  }
  const h = filterGradientPadding(heightAxis(g))
  const w = filterGradientPadding(widthAxis(g))
  // x: [N,H,W,Cin] -> [Cin,H,W,N];  dy: [N,Ho,Wo,Cout] -> [Ho,Wo,N,Cout]
  // (from NCHW: x [N,Cin,H,W] -> [Cin,H,W,N];  dy [N,Cout,Ho,Wo] -> [Ho,Wo,N,Cout])
  const images = transpose(run, x, dataFormat === 'NCHW' ? [1, 2, 3, 0] : [3, 1, 2, 0])
  const dyFilter = transpose(run, dy, dataFormat === 'NCHW' ? [2, 3, 0, 1] : [1, 2, 0, 3])
  const full = run('Conv2D', { x: images, filter: dyFilter }, {
    strides: [g.dilationHeight, g.dilationWidth],
    dilations: [g.strideHeight, g.strideWidth],
    pad: explicitPadding({ before: h.before, after: Math.max(0, h.after) }, { before: w.before, after: Math.max(0, w.after) }),
    dataFormat: 'NHWC',
  })
  const [cin, kh, kw, cout] = [g.inChannels, g.filterHeight, g.filterWidth, g.outChannels]
  const cropped = full.shape[1] === kh && full.shape[2] === kw
    ? full
    : run('Slice', { x: full }, { begin: [0, 0, 0, 0], size: [cin, kh, kw, cout] })
  return transpose(run, cropped, [1, 2, 0, 3])
}

/**
 * 1×1 kernels without leading padding: `dW = xsᵀ · dy` with xs the input sampled at the
 * stride, as one XNNPACK matrix product (the convolution formulation would slide a
 * Ho×Wo "filter" with only N channels per tap, which XNNPACK runs poorly). Sampling at
 * the stride is a 6-D transpose that brings phase (0, 0) to the front plus a contiguous
 * slice (wasm's StridedSlice is a slow per-element loop).
 */
function pointwiseFilterGradient(run: KernelRunner, x: tf.TensorInfo, dy: tf.TensorInfo, g: ConvGeometry): tf.TensorInfo {
  const [n, ho, wo, cin, cout] = [g.batch, g.outHeight, g.outWidth, g.inChannels, g.outChannels]
  const [sh, sw] = [g.strideHeight, g.strideWidth]
  const m = n * ho * wo
  let columns: tf.TensorInfo
  if (sh === 1 && sw === 1 && ho === g.inHeight && wo === g.inWidth) {
    const rows = run('Reshape', { x }, { shape: [m, cin] })
    columns = transpose(run, rows, [1, 0])
  } else {
    // Make the input exactly (ho·sh) × (wo·sw): drop never-read rows/columns, pad with zeros.
    const [extraH, extraW] = [ho * sh - g.inHeight, wo * sw - g.inWidth]
    let fitted = x
    if (extraH < 0 || extraW < 0) {
      fitted = run('Slice', { x: fitted }, {
        begin: [0, 0, 0, 0], size: [n, Math.min(g.inHeight, ho * sh), Math.min(g.inWidth, wo * sw), cin],
      })
    }
    if (extraH > 0 || extraW > 0) {
      fitted = run('PadV2', { x: fitted }, {
        paddings: [[0, 0], [0, Math.max(0, extraH)], [0, Math.max(0, extraW)], [0, 0]], constantValue: 0,
      })
    }
    const phases = run('Reshape', { x: fitted }, { shape: [n, ho, sh, wo, sw, cin] })
    const phaseFirst = transpose(run, phases, [2, 4, 5, 0, 1, 3])
    columns = run('Slice', { x: phaseFirst }, { begin: [0, 0, 0, 0, 0, 0], size: [1, 1, cin, n, ho, wo] })
  }
  const a = run('Reshape', { x: columns }, { shape: [1, cin, m] })
  const b = run('Reshape', { x: dy }, { shape: [1, m, cout] })
  const product = run('BatchMatMul', { a, b }, { transposeA: false, transposeB: false })
  return run('Reshape', { x: product }, { shape: [1, 1, cin, cout] })
}

/**
 * Kernel function of {@link conv2DBackpropFilterWasmConfig}.
 * @category Advanced
 */
export const conv2DBackpropFilterWasm: tf.KernelFunc = ({ inputs, backend, attrs }) => {
  const { x, dy } = inputs
  if (x === undefined || dy === undefined) throw new Error('Conv2DBackpropFilter: missing input x or dy')
  return composeKernels(backend as ComposingBackend, 'wasm', ({ run }) =>
    conv2DBackpropFilterComposed(run, x, dy, attrs as unknown as Conv2DBackpropFilterAttributes))
}

/**
 * `Conv2DBackpropFilter` for 'wasm' (missing from tfjs-backend-wasm 4.22) as an
 * XNNPACK convolution of the transposed input with the transposed output gradient.
 * @category Advanced
 */
export const conv2DBackpropFilterWasmConfig: tf.KernelConfig = {
  kernelName: tf.Conv2DBackpropFilter,
  backendName: 'wasm',
  kernelFunc: conv2DBackpropFilterWasm,
}
