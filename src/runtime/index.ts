/**
 * `shapesafe/runtime`: runs a traced `Graph` on TensorFlow.js — the interpreter, backend selection, PyTorch-style
 * initialisation, and checkpoints. The file formats (safetensors, state_dict matching) live in `shapesafe/io`; their
 * re-exports here are deprecated and kept so existing imports keep working.
 * @example
 * ```ts
 * import { compile, selectBackend } from 'shapesafe/runtime'
 * import { zoo } from 'shapesafe'
 * await selectBackend()
 * const model = compile(zoo.lenet.graph({ input: [1, 1, 28, 28], classes: 10 }))
 * const state = model.init(0)
 * ```
 * @module shapesafe/runtime
 */
export * from './model.js'
export type { PlanOptions } from './interpreter.js'
export * from './backend.js'
export { initialValue, initSchemes, fanOutOf, type InitScheme } from './init.js'
/** @deprecated Import the safetensors format from `shapesafe/io`; this re-export stays for existing imports. */
export * from '../io/safetensors.js'
/** @deprecated Import state_dict matching from `shapesafe/io`; this re-export stays for existing imports. */
export * from '../io/stateDict.js'
/** @deprecated Import checkpoints from `shapesafe/io`; this re-export stays for existing imports. */
export * from '../io/checkpoint.js'
/** @deprecated Import atomic writes from `shapesafe/io`; this re-export stays for existing imports. */
export * from '../io/atomicWrite.js'
export * from './memoryModel.js'
export { registerWasmTrainingKernels, unregisterWasmTrainingKernels } from './kernels/index.js'
export * from './wasmThreads.js'
export { adapterName, pinnedWebGpuPackages, probeWebGpu, WebGpuError, type WebGpuAdapterInfo, type WebGpuProbe } from './webgpu.js'
export * from './engine.js'
export * from './onnxruntime.js'
/** The native libtorch engine (optional; `npm run build:native`). */
export { setTorchThreads, seedTorch, torchAddonPath, torchStatus, TorchEngineError, TorchModel, type TorchModelOptions, type TorchOptimizerConfig, type TorchOptimizerState, type TorchStateDict, type TorchStatus } from './torch/engine.js'
