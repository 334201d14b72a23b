/**
 * `shapesafe/io`: file formats without TensorFlow.js — safetensors encoding and decoding, ONNX export, checkpoints that never tear, atomic writes, and matching a file's
 * tensors against the parameters a model expects (PyTorch `state_dict` names), all or nothing.
 * @example
 * ```ts
 * import { encodeSafetensors, decodeSafetensors } from 'shapesafe/io'
 * const bytes = encodeSafetensors({ w: { shape: [2], data: new Float32Array([1, 2]) } })
 * const file = decodeSafetensors(bytes)
 * ```
 * @module shapesafe/io
 */
export * from './safetensors.js'
export * from './stateDict.js'
export * from './checkpoint.js'
export * from './atomicWrite.js'
export * from './writable.js'
export * from './pytorch.js'
export * from './onnx.js'
