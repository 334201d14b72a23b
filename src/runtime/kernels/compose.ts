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

/** The part of a tfjs backend that composed kernels need: freeing intermediate data. */
export interface DisposingBackend {
  disposeData(dataId: object, force?: boolean): boolean
}

/**
 * Runs the kernel `kernelName` currently registered for the composing backend and
 * records its output as an intermediate to free (unless it is the value returned).
 */
export type KernelRunner = (
  kernelName: string,
  inputs: tf.NamedTensorInfoMap,
  attrs?: tf.NamedAttrMap,
) => tf.TensorInfo

/** Thrown when a composed kernel needs a kernel the backend has not registered. */
export class MissingKernelError extends Error {
  constructor(readonly kernelName: string, readonly backendName: string) {
    super(`Kernel '${kernelName}' is not registered for backend '${backendName}'; ` +
      `import '@tensorflow/tfjs-backend-wasm' before registering the training kernels.`)
    this.name = 'MissingKernelError'
  }
}

/**
 * Runs `body`, giving it a {@link KernelRunner} bound to `backend`, and frees every
 * tensor that the runner produced except the returned one (also when `body` throws).
 * Inputs passed into the body from outside are borrowed and never freed; the body must
 * return a tensor produced by the runner (use the `Identity` kernel to copy an input).
 *
 * @example
 * ```ts
 * const out = composeKernels(backend, 'wasm', (run) => {
 *   const t = run('Transpose', { x }, { perm: [3, 1, 2, 0] })
 *   return run('Reshape', { x: t }, { shape: [-1] })
 * }) // the transposed copy is freed, `out` is owned by the caller
 * ```
 */
export function composeKernels(
  backend: DisposingBackend,
  backendName: string,
  body: (run: KernelRunner) => tf.TensorInfo,
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
  let result: tf.TensorInfo | undefined
  try {
    result = body(run)
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
