/**
 * Benchmark of the wasm convolution-gradient kernels: the built-in (naive loop)
 * `Conv2DBackpropInput` of tfjs-backend-wasm against the XNNPACK composition installed by
 * `registerWasmTrainingKernels`, plus the composed `Conv2DBackpropFilter`.
 *
 * Not wired into a CLI; call {@link benchmarkWasmConvGradients} from a bench entry point.
 *
 * @module
 */
import '@tensorflow/tfjs-backend-wasm'
import * as tf from '@tensorflow/tfjs'
import { builtinWasmKernel, registerWasmTrainingKernels } from '../src/runtime/kernels/index.js'

/** One convolution layer to time (NHWC, square images and kernels). */
export interface ConvGradientBenchOptions {
  readonly batch: number
  readonly size: number
  readonly inChannels: number
  readonly outChannels: number
  readonly kernel: number
  readonly stride: number
  readonly pad: 'same' | 'valid'
  /** Timed runs per kernel; the median is reported. */
  readonly repeats: number
}

/** Median milliseconds per call and the achieved GFLOP/s for each kernel. */
export interface ConvGradientBenchResult {
  readonly options: ConvGradientBenchOptions
  /** Multiply-adds × 2 of one gradient (same for input and filter). */
  readonly gflop: number
  readonly builtinInputMs: number
  readonly composedInputMs: number
  readonly composedFilterMs: number
  /** Largest |built-in − composed| input gradient relative to the largest |built-in| value. */
  readonly inputRelativeDifference: number
}

/** A ResNet-18-like 3×3 layer: batch 32, 24×24, 128 → 128 channels, stride 1. */
export const RESNET_LAYER: ConvGradientBenchOptions = {
  batch: 32, size: 24, inChannels: 128, outChannels: 128, kernel: 3, stride: 1, pad: 'same', repeats: 5,
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]

function time(repeats: number, f: () => void): number {
  f() // warm-up (operator creation, heap growth)
  const ms: number[] = []
  for (let i = 0; i < repeats; i++) {
    const t0 = performance.now()
    f()
    ms.push(performance.now() - t0)
  }
  return median(ms)
}

/**
 * Times the built-in and composed wasm input-gradient kernels and the composed filter
 * kernel for one layer. Switches the active backend to 'wasm' and installs the training
 * kernels (idempotent).
 *
 * @example
 * ```ts
 * const r = await benchmarkWasmConvGradients(RESNET_LAYER)
 * console.log(`${r.builtinInputMs} ms → ${r.composedInputMs} ms`)
 * ```
 */
export async function benchmarkWasmConvGradients(
  options: ConvGradientBenchOptions = RESNET_LAYER,
): Promise<ConvGradientBenchResult> {
  registerWasmTrainingKernels()
  await tf.setBackend('wasm')
  const builtin = builtinWasmKernel(tf.Conv2DBackpropInput)
  if (builtin === undefined) throw new Error('benchmark: the built-in wasm Conv2DBackpropInput was not found')
  const { batch, size, inChannels, outChannels, kernel, stride, pad, repeats } = options
  const xShape: [number, number, number, number] = [batch, size, size, inChannels]
  const filterShape: [number, number, number, number] = [kernel, kernel, inChannels, outChannels]
  const x = tf.randomUniform(xShape, -1, 1) as tf.Tensor4D
  const filter = tf.randomUniform(filterShape, -1, 1) as tf.Tensor4D
  const outSize = pad === 'same' ? Math.ceil(size / stride) : Math.ceil((size - kernel + 1) / stride)
  const dy = tf.randomUniform([batch, outSize, outSize, outChannels], -1, 1) as tf.Tensor4D
  const backend = tf.backend()
  const inputAttrs = { strides: stride, pad, dataFormat: 'NHWC', inputShape: xShape }
  try {
    const runBuiltin = (): tf.TensorInfo => builtin.kernelFunc({ inputs: { dy, filter }, backend, attrs: inputAttrs }) as tf.TensorInfo
    const builtinMs = time(repeats, () => backend.disposeData(runBuiltin().dataId))
    const composedMs = time(repeats, () => tf.dispose(tf.engine().runKernel(tf.Conv2DBackpropInput, { dy, filter }, inputAttrs)))
    const filterMs = time(repeats, () => tf.dispose(tf.engine().runKernel(tf.Conv2DBackpropFilter, { x, dy },
      { strides: stride, pad, dataFormat: 'NHWC', filterShape })))
    const reference = runBuiltin()
    const expected = backend.readSync(reference.dataId) as Float32Array
    const composed = tf.engine().runKernel(tf.Conv2DBackpropInput, { dy, filter }, inputAttrs) as tf.Tensor
    const actual = composed.dataSync()
    let err = 0
    let scale = 0
    for (let i = 0; i < expected.length; i++) {
      err = Math.max(err, Math.abs(expected[i] - actual[i]))
      scale = Math.max(scale, Math.abs(expected[i]))
    }
    backend.disposeData(reference.dataId)
    composed.dispose()
    return {
      options,
      gflop: (2 * batch * outSize * outSize * outChannels * kernel * kernel * inChannels) / 1e9,
      builtinInputMs: builtinMs,
      composedInputMs: composedMs,
      composedFilterMs: filterMs,
      inputRelativeDifference: err / Math.max(scale, 1e-12),
    }
  } finally {
    tf.dispose([x, filter, dy])
  }
}
