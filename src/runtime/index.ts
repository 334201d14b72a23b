/**
 * `shapesafe/runtime`: runs a traced `Graph` on TensorFlow.js — the interpreter, backend selection, PyTorch-style
 * initialisation, and weights I/O (safetensors, state_dict matching, checkpoints).
 * @example
 * ```ts
 * import { compile, selectBackend } from 'shapesafe/runtime'
 * import { zoo } from 'shapesafe'
 * await selectBackend()
 * const model = compile(zoo.lenet.graph({ input: [1, 1, 28, 28], classes: 10 }))
 * const state = model.init(0)
 * ```
 * @module
 */
export * from './model.js'
export type { PlanOptions } from './interpreter.js'
export * from './backend.js'
export { initialValue } from './init.js'
export * from './safetensors.js'
export * from './stateDict.js'
export * from './checkpoint.js'
export * from './atomicWrite.js'
export { registerWasmTrainingKernels, unregisterWasmTrainingKernels } from './kernels/index.js'
export * from './wasmThreads.js'
export * from './engine.js'
export * from './onnxruntime.js'
export * from '../io/onnx.js'
