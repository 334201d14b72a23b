/**
 * Training kernels for the tfjs 'wasm' backend.
 *
 * tfjs-backend-wasm 4.22 can run a CNN forward pass fast (XNNPACK) but not train it well:
 *
 * - `Conv2DBackpropFilter` is missing, so `tf.grad` through `tf.conv2d` throws on wasm.
 *   {@link conv2DBackpropFilterWasmConfig} composes it from a wasm convolution.
 * - `Conv2DBackpropInput` exists but is a naive scalar loop (most of a ResNet training
 *   step). {@link conv2DBackpropInputWasmConfig} computes the same values with one XNNPACK
 *   convolution and replaces it.
 * - `DepthwiseConv2dNativeBackpropFilter` / `…BackpropInput` are missing, so depthwise
 *   convolutions cannot be trained on wasm. {@link depthwiseConv2dBackpropFilterWasmConfig}
 *   and {@link depthwiseConv2dBackpropInputWasmConfig} compose them from wasm kernels.
 * - `Identity` and same-dtype `Cast` copy whole buffers (the engine clones every tensor a recorded op
 *   saves for its gradient). {@link identityWasmConfig} and {@link castWasmConfig} share the buffer.
 * - `Sum` over leading axes (bias and BatchNorm gradients) transposes first.
 *   {@link leadingAxesSumWasmConfig} runs it as one average pooling.
 * - `MaxPoolGrad` drops the gradient of windows whose values are all negative.
 *   {@link maxPoolGradWasmConfig} runs it on values shifted to be positive.
 *
 * @module
 */
import '@tensorflow/tfjs-backend-wasm'
import * as tf from '@tensorflow/tfjs'
import { conv2DBackpropFilterWasmConfig } from './conv2dBackpropFilter.js'
import { conv2DBackpropInputWasmConfig } from './conv2dBackpropInput.js'
import { depthwiseConv2dBackpropFilterWasmConfig } from './depthwiseConv2dBackpropFilter.js'
import { depthwiseConv2dBackpropInputWasmConfig } from './depthwiseConv2dBackpropInput.js'
import { leadingAxesSumWasmConfig } from './leadingAxesSum.js'
import { maxPoolGradWasmConfig } from './maxPoolGrad.js'
import { castWasmConfig, identityWasmConfig } from './sharedCopy.js'

export { conv2DBackpropFilterComposed, conv2DBackpropFilterWasmConfig } from './conv2dBackpropFilter.js'
export type { Conv2DBackpropFilterAttributes } from './conv2dBackpropFilter.js'
export { conv2DBackpropInputComposed, conv2DBackpropInputWasmConfig } from './conv2dBackpropInput.js'
export type { Conv2DBackpropInputAttributes } from './conv2dBackpropInput.js'
export { depthwiseConv2dBackpropFilterComposed, depthwiseConv2dBackpropFilterWasmConfig } from './depthwiseConv2dBackpropFilter.js'
export type { DepthwiseConv2dBackpropFilterAttributes } from './depthwiseConv2dBackpropFilter.js'
export { depthwiseConv2dBackpropInputComposed, depthwiseConv2dBackpropInputWasmConfig } from './depthwiseConv2dBackpropInput.js'
export type { DepthwiseConv2dBackpropInputAttributes } from './depthwiseConv2dBackpropInput.js'
export { leadingAxes, leadingAxesSumWasmConfig } from './leadingAxesSum.js'
export { maxPoolGradWasmConfig } from './maxPoolGrad.js'
export { castWasmConfig, identityWasmConfig } from './sharedCopy.js'
export { composeKernels, MissingKernelError } from './compose.js'
export type { ComposingBackend, KernelRunner } from './compose.js'
export { ConvShapeError } from './convGeometry.js'

/**
 * The kernels {@link registerWasmTrainingKernels} installs for the 'wasm' backend.
 * @category Advanced
 */
export const wasmTrainingKernelConfigs: readonly tf.KernelConfig[] = [
  conv2DBackpropFilterWasmConfig,
  conv2DBackpropInputWasmConfig,
  depthwiseConv2dBackpropFilterWasmConfig,
  depthwiseConv2dBackpropInputWasmConfig,
  identityWasmConfig,
  castWasmConfig,
  leadingAxesSumWasmConfig,
  maxPoolGradWasmConfig,
]

/** Built-in wasm kernels replaced by {@link registerWasmTrainingKernels}, by kernel name. */
const replaced = new Map<string, tf.KernelConfig>()

/**
 * Installs the training kernels for the 'wasm' backend: adds the missing gradient
 * kernels and replaces the built-in (slow) `Conv2DBackpropInput`. Idempotent: kernels
 * already installed are left alone, so calling it again does nothing and logs nothing.
 * Can be called before or after `tf.setBackend('wasm')`.
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs'
 * import { registerWasmTrainingKernels } from 'shapesafe/runtime'
 * declare const x: tf.Tensor4D, w: tf.Tensor4D
 * registerWasmTrainingKernels()
 * await tf.setBackend('wasm')
 * const dW = tf.grad((w) => tf.conv2d(x, w as tf.Tensor4D, 1, 'same').sum())(w)
 * ```
 * @category Advanced
 */
export function registerWasmTrainingKernels(): void {
  for (const config of wasmTrainingKernelConfigs) {
    const current = tf.getKernel(config.kernelName, config.backendName)
    if (current === config) continue
    if (current != null) {
      if (!replaced.has(config.kernelName)) replaced.set(config.kernelName, current)
      tf.unregisterKernel(config.kernelName, config.backendName)
    }
    tf.registerKernel(config)
  }
}

/**
 * Removes the kernels installed by {@link registerWasmTrainingKernels} and restores the
 * built-in ones they replaced (for comparisons and benchmarks). Idempotent.
 *
 * @example
 * ```ts
 * unregisterWasmTrainingKernels() // back to stock tfjs-backend-wasm
 * ```
 * @category Advanced
 */
export function unregisterWasmTrainingKernels(): void {
  for (const config of wasmTrainingKernelConfigs) {
    if (tf.getKernel(config.kernelName, config.backendName) !== config) continue
    tf.unregisterKernel(config.kernelName, config.backendName)
    const original = replaced.get(config.kernelName)
    if (original !== undefined) {
      tf.registerKernel(original)
      setUp(original)
    }
  }
}

/**
 * The stock wasm kernel that {@link registerWasmTrainingKernels} replaced for
 * `kernelName` (set up for the live wasm backend), or `undefined` if none was replaced.
 * Useful to benchmark the built-in kernel against the replacement.
 * @category Advanced
 */
export function builtinWasmKernel(kernelName: string): tf.KernelConfig | undefined {
  const original = replaced.get(kernelName)
  if (original !== undefined) setUp(original)
  return original
}

/** Runs a kernel's setup for the wasm backend if that backend is already initialised. */
function setUp(config: tf.KernelConfig): void {
  const backend = tf.findBackend(config.backendName)
  if (backend != null && config.setupFunc != null) config.setupFunc(backend)
}
