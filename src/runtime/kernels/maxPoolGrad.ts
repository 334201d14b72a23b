/**
 * `MaxPoolGrad` for the wasm backend, right for windows whose values are all negative.
 *
 * tfjs-backend-wasm 4.22's `MaxPoolGrad` drops the gradient of windows whose values are all negative. This kernel
 * runs the built-in one on the input and output shifted by the same constant `1 − min(input)`, so that every value is
 * ≥ 1: each window keeps its argmax, so the routed gradient is the one PyTorch (and the cpu backend) computes.
 *
 * @module
 */
import '@tensorflow/tfjs-backend-wasm'
import * as tf from '@tensorflow/tfjs'
import { composeKernels, type ComposingBackend } from './compose.js'

const builtinMaxPoolGrad = tf.getKernel(tf.MaxPoolGrad, 'wasm')

/**
 * Kernel function of {@link maxPoolGradWasmConfig}.
 * @category Advanced
 */
export const maxPoolGradWasm: tf.KernelFunc = (args) => {
  const { dy, input, output } = args.inputs
  if (dy === undefined || input === undefined || output === undefined) throw new Error('MaxPoolGrad: missing dy, input or output')
  if (builtinMaxPoolGrad === undefined) throw new Error('MaxPoolGrad: no built-in wasm kernel')
  const backend = args.backend as ComposingBackend
  // The shift 1 − min(input), then input and output shifted by it (each owned here until the built-in kernel ran).
  const shift = composeKernels(backend, 'wasm', ({ run, constant }) =>
    run('Sub', { a: constant(Float32Array.of(1), []), b: run('Min', { x: input }, { axis: input.shape.map((_, i) => i), keepDims: false }) }),
  )
  const shifted: tf.TensorInfo[] = []
  try {
    for (const t of [input, output]) shifted.push(composeKernels(backend, 'wasm', ({ run }) => run('Add', { a: t, b: shift })))
    return builtinMaxPoolGrad.kernelFunc({ ...args, inputs: { dy, input: shifted[0], output: shifted[1] } })
  } finally {
    for (const t of [shift, ...shifted]) backend.disposeData(t.dataId)
  }
}

/**
 * `MaxPoolGrad` for 'wasm': the built-in kernel on inputs shifted to be positive (see the module comment).
 * @category Advanced
 */
export const maxPoolGradWasmConfig: tf.KernelConfig = {
  kernelName: tf.MaxPoolGrad,
  backendName: 'wasm',
  kernelFunc: maxPoolGradWasm,
  ...(builtinMaxPoolGrad?.setupFunc === undefined ? {} : { setupFunc: builtinMaxPoolGrad.setupFunc }),
}
