/**
 * `Identity` and same-dtype `Cast` for the wasm backend without copying.
 *
 * tfjs-backend-wasm 4.22 copies the whole buffer for both. The engine calls `Identity` for every tensor a recorded
 * op saves for its gradient (`clone`), and the gradients of `mul`/`div` cast float32 inputs to float32, so a
 * training step copied hundreds of activation-sized buffers. Tensors are immutable, so the output can share the
 * input's buffer with one more reference (as wasm's own `Reshape` and the cpu backend's `Identity` do).
 *
 * @module
 */
import '@tensorflow/tfjs-backend-wasm'
import * as tf from '@tensorflow/tfjs'

/** The part of the wasm backend these kernels use. */
interface SharingBackend {
  incRef(dataId: object): void
}

const builtinCast = tf.getKernel(tf.Cast, 'wasm')
const builtinIdentity = tf.getKernel(tf.Identity, 'wasm')

/** Output sharing the input's buffer (one more reference on it). */
const share = (x: tf.TensorInfo, backend: unknown): tf.TensorInfo => {
  ;(backend as SharingBackend).incRef(x.dataId)
  return { dataId: x.dataId, shape: [...x.shape], dtype: x.dtype }
}

/**
 * Kernel function of {@link identityWasmConfig}.
 * @category Advanced
 */
export const identityWasm: tf.KernelFunc = (args) => {
  const { x } = args.inputs
  if (x === undefined) throw new Error('Identity: missing input x')
  if (x.dtype === 'string' || x.dtype === 'complex64') {
    if (builtinIdentity === undefined) throw new Error('Identity: no built-in wasm kernel')
    return builtinIdentity.kernelFunc(args)
  }
  return share(x, args.backend)
}

/**
 * Kernel function of {@link castWasmConfig}: shares the buffer when the dtype does not change.
 * @category Advanced
 */
export const castWasm: tf.KernelFunc = (args) => {
  const { x } = args.inputs
  if (x === undefined) throw new Error('Cast: missing input x')
  const dtype = (args.attrs as { dtype?: tf.DataType } | undefined)?.dtype
  if (dtype === x.dtype && dtype !== 'string' && dtype !== 'complex64') return share(x, args.backend)
  if (builtinCast === undefined) throw new Error('Cast: no built-in wasm kernel')
  return builtinCast.kernelFunc(args)
}

/**
 * `Identity` for 'wasm' sharing the input's buffer instead of copying it.
 * @category Advanced
 */
export const identityWasmConfig: tf.KernelConfig = {
  kernelName: tf.Identity,
  backendName: 'wasm',
  kernelFunc: identityWasm,
  ...(builtinIdentity?.setupFunc === undefined ? {} : { setupFunc: builtinIdentity.setupFunc }),
}

/**
 * `Cast` for 'wasm': shares the buffer for a same-dtype cast, otherwise runs the built-in kernel.
 * @category Advanced
 */
export const castWasmConfig: tf.KernelConfig = {
  kernelName: tf.Cast,
  backendName: 'wasm',
  kernelFunc: castWasm,
  ...(builtinCast?.setupFunc === undefined ? {} : { setupFunc: builtinCast.setupFunc }),
}
