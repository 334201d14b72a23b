/**
 * `Conv2DBackpropInput` for the wasm backend as one XNNPACK convolution.
 *
 * tfjs-backend-wasm 4.22 computes the input gradient with a naive scalar loop (about
 * 3 GFLOP/s, the largest cost of a training step). The same values come from an
 * ordinary convolution, which XNNPACK runs several times faster:
 *
 * - rotate the filter by 180° and swap its input/output channel axes,
 * - pad dy by `dilatedFilterSize - 1 - padBefore` in front and, behind, by whatever makes
 *   the output as large as the forward input (this covers rows/columns the forward
 *   convolution dropped by flooring), cropping where that padding would be negative,
 * - with stride > 1, rather than inserting `stride - 1` zeros between dy's pixels (which
 *   wastes most multiplications on zeros), convolve unexpanded dy once with a filter
 *   holding every stride phase's taps and interleave the phases (`stridedInputGradient`).
 *
 * @module
 */
import * as tf from '@tensorflow/tfjs'
import { composeKernels, type ComposingBackend, type KernelComposer } from './compose.js'
import { transpose } from './transpose.js'
import { type ConvPadding, type DataFormat, convGeometry } from './convGeometry.js'
import { stridedInputGradient } from './stridedInputGradient.js'
import { transposedConvInput } from './transposedConvInput.js'

/**
 * Attributes of `Conv2DBackpropInput`.
 * No `dilations`: tfjs's conv2d gradient rejects dilation > 1, and the interpreter runs a dilated conv as a
 * plain one over a zero-dilated filter (src/runtime/ops/conv.ts).
 * @category Advanced
 */
export interface Conv2DBackpropInputAttributes {
  readonly inputShape: [number, number, number, number]
  readonly strides: number | [number, number]
  readonly pad: ConvPadding
  readonly dataFormat?: DataFormat
  readonly dimRoundingMode?: 'floor' | 'round' | 'ceil'
}

const NHWC_TO_NCHW = [0, 3, 1, 2]
const NCHW_TO_NHWC = [0, 2, 3, 1]

/**
 * Input gradient of a 2-D convolution, composed from wasm kernels (Reverse, Transpose,
 * Conv2D, Slice; with stride > 1 one convolution over stride phases, see
 * `stridedInputGradient`). Exposed for benchmarks and tests; normally used through
 * {@link conv2DBackpropInputWasmConfig}.
 *
 * @param composer - kernel runner and helpers bound to the wasm backend (see `composeKernels`)
 * @param dy - output gradient, in `attrs.dataFormat` layout
 * @param filter - forward filter `[kh, kw, inChannels, outChannels]`
 * @category Advanced
 */
export function conv2DBackpropInputComposed(
  composer: KernelComposer, dy: tf.TensorInfo, filter: tf.TensorInfo, attrs: Conv2DBackpropInputAttributes,
): tf.TensorInfo {
  const dataFormat = attrs.dataFormat ?? 'NHWC'
  const g = convGeometry({
    xShape: attrs.inputShape, filterShape: filter.shape, dyShape: dy.shape, strides: attrs.strides,
    dilations: 1, pad: attrs.pad, dimRoundingMode: attrs.dimRoundingMode,
    dataFormat, depthwise: false,
  })
  const { run } = composer
  const nchw = dataFormat === 'NCHW'
  const dyNHWC = nchw ? transpose(run, dy, NCHW_TO_NHWC) : dy
  if (g.strideHeight > 1 || g.strideWidth > 1) {
    const dx = stridedInputGradient(composer, dyNHWC, filter, g)
    return nchw ? transpose(run, dx, NHWC_TO_NCHW) : dx
  }
  const { input, pad } = transposedConvInput(run, dyNHWC, g)
  const nhwcShape = [g.batch, g.inHeight, g.inWidth, g.inChannels]
  if (input === undefined) {
    return run('Fill', {}, { shape: nchw ? NHWC_TO_NCHW.map((i) => nhwcShape[i]) : nhwcShape, value: 0, dtype: 'float32' })
  }
  const flipped = run('Reverse', { x: filter }, { dims: [0, 1] })
  const rotated = transpose(run, flipped, [0, 1, 3, 2])
  const dx = run('Conv2D', { x: input, filter: rotated }, {
    strides: [1, 1], pad, dilations: [g.dilationHeight, g.dilationWidth], dataFormat: 'NHWC',
  })
  return nchw ? transpose(run, dx, NHWC_TO_NCHW) : dx
}

/**
 * Kernel function of {@link conv2DBackpropInputWasmConfig}.
 * @category Advanced
 */
export const conv2DBackpropInputWasm: tf.KernelFunc = ({ inputs, backend, attrs }) => {
  const { dy, filter } = inputs
  if (dy === undefined || filter === undefined) throw new Error('Conv2DBackpropInput: missing input dy or filter')
  return composeKernels(backend as ComposingBackend, 'wasm', (composer) =>
    conv2DBackpropInputComposed(composer, dy, filter, attrs as unknown as Conv2DBackpropInputAttributes))
}

/**
 * `Conv2DBackpropInput` for 'wasm' as one XNNPACK convolution of dy with the rotated
 * filter (over stride phases when stride > 1); replaces the built-in naive loop (same
 * values within float rounding, much faster).
 * @category Advanced
 */
export const conv2DBackpropInputWasmConfig: tf.KernelConfig = {
  kernelName: tf.Conv2DBackpropInput,
  backendName: 'wasm',
  kernelFunc: conv2DBackpropInputWasm,
}
