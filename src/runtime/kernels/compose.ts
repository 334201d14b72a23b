/**
 * Composing a backend kernel out of other kernels of the same backend.
 *
 * A kernel's `kernelFunc` must return a `TensorInfo` that the backend owns
 * exactly once, and must free everything else it allocated. {@link composeKernels}
 * runs a body that calls other registered kernels directly (no engine
 * bookkeeping, no gradient tape) and frees every intermediate result except
 * the one returned.
 *
 * @module
 */
import * as tf from '@tensorflow/tfjs'

/**
 * The part of a tfjs backend that composed kernels need: reading, writing and freeing data.
 * @category Advanced
 */
export interface ComposingBackend {
  disposeData(dataId: object, force?: boolean): boolean
  readSync(dataId: object): unknown
  write(values: Float32Array | Int32Array, shape: number[], dtype: tf.DataType): object
}

/**
 * Runs the kernel `kernelName` currently registered for the composing backend and
 * records its output as an intermediate to free (unless it is the value returned).
 * @category Advanced
 */
export type KernelRunner = (
  kernelName: string,
  inputs: tf.NamedTensorInfoMap,
  attrs?: tf.NamedAttrMap,
) => tf.TensorInfo

/**
 * Creates a float32 tensor on the composing backend from values computed in JavaScript
 * (small tensors such as rearranged filters) and records it as an intermediate to free.
 * @category Advanced
 */
export type ConstantMaker = (values: Float32Array, shape: number[]) => tf.TensorInfo

/**
 * Reads the float32 values of a tensor on the composing backend.
 * @category Advanced
 */
export type ValueReader = (t: tf.TensorInfo) => Float32Array

/**
 * What a composed kernel body receives.
 * @category Advanced
 */
export interface KernelComposer {
  readonly run: KernelRunner
  readonly constant: ConstantMaker
  readonly read: ValueReader
}

/**
 * Thrown when a composed kernel needs a kernel the backend has not registered.
 * @category Advanced
 */
export class MissingKernelError extends Error {
  constructor(readonly kernelName: string, readonly backendName: string) {
    super(`Kernel '${kernelName}' is not registered for backend '${backendName}'; ` +
      `import '@tensorflow/tfjs-backend-wasm' before registering the training kernels.`)
    this.name = 'MissingKernelError'
  }
}

/**
 * Runs `body`, giving it a {@link KernelRunner} bound to `backend` (plus helpers to make
 * and read small tensors), and frees every tensor that the runner or `constant` produced
 * except the returned one (also when `body` throws).
 * Inputs passed into the body from outside are borrowed and never freed; the body must
 * return a tensor produced by the runner (use the `Identity` kernel to copy an input).
 *
 * @example
 * ```ts
 * declare const backend: ComposingBackend
 * declare const x: tf.TensorInfo
 * const out = composeKernels(backend, 'wasm', ({ run }) => {
 *   const t = run('Transpose', { x }, { perm: [3, 1, 2, 0] })
 *   return run('Reshape', { x: t }, { shape: [-1] })
 * }) // the transposed copy is freed, `out` is owned by the caller
 * ```
 * @category Advanced
 */
export function composeKernels(
  backend: ComposingBackend,
  backendName: string,
  body: (composer: KernelComposer) => tf.TensorInfo,
): tf.TensorInfo {
  const produced: tf.TensorInfo[] = []
  const run: KernelRunner = (kernelName, inputs, attrs = {}) => {
    const config = tf.getKernel(kernelName, backendName)
    if (config == null) throw new MissingKernelError(kernelName, backendName)
    const out = config.kernelFunc({ inputs, backend, attrs })
    if (Array.isArray(out)) {
      out.forEach((t) => produced.push(t))
      throw new Error(`composeKernels: kernel '${kernelName}' returned several outputs; only single-output kernels are supported`)
    }
    produced.push(out)
    return out
  }
  const constant: ConstantMaker = (values, shape) => {
    const t: tf.TensorInfo = { dataId: backend.write(values, shape, 'float32'), shape, dtype: 'float32' }
    produced.push(t)
    return t
  }
  const read: ValueReader = (t) => {
    const values = backend.readSync(t.dataId)
    if (!(values instanceof Float32Array)) throw new Error('composeKernels: expected float32 data')
    return values
  }
  let result: tf.TensorInfo | undefined
  try {
    result = body({ run, constant, read })
    if (!produced.includes(result)) {
      throw new Error('composeKernels: the body must return a tensor produced by the kernel runner')
    }
    return result
  } finally {
    // Every produced TensorInfo holds one reference to its data (Reshape shares data and
    // increments its reference count), so freeing each object once is balanced.
    for (const t of produced) {
      if (t !== result) backend.disposeData(t.dataId)
    }
  }
}
