/**
 * Engines: what runs a compiled graph. A small interface so the TensorFlow.js backends (wasm, cpu, tfjs-node),
 * onnxruntime and a native libtorch engine plug in side by side: compile a graph, run it forward, take a training step
 * (where the engine can train), and move the weights in and out as a PyTorch state_dict.
 *
 * Tensors cross the interface as plain host arrays ({@link HostTensor}, NCHW float32 as in PyTorch), so an engine's
 * own tensors never leak into its callers. The optimizer configuration is a type parameter: the runtime does not know
 * optimizers (they live in `src/train`, which builds the tfjs engine's training step).
 * @module
 */
import * as tf from '@tensorflow/tfjs'
import type { Graph } from '../graph/ir.js'
import { ShapeError } from '../shape/errors.js'
import { formatShape, isNamed } from '../shape/dim.js'
import type { BackendInfo } from './backend.js'
import type { InitScheme } from './init.js'
import { adapterName } from './webgpu.js'
import { compile, type CompiledModel, type ModelState, type StateDictTensor } from './model.js'

/**
 * A tensor in host memory: NCHW (or `[N, features]`) float32 values in row-major order.
 * @category Running
 */
export interface HostTensor {
  readonly shape: readonly number[]
  readonly data: Float32Array
}

/**
 * The engines shapesafe knows; `libtorch` is the native engine (src/runtime/torch, built where libtorch is found).
 * @category Running
 */
export type EngineName = 'tfjs' | 'onnxruntime' | 'libtorch'

/**
 * Which engine runs a model and on what; shown in logs and with every `compare` row.
 * @category Running
 */
export interface EngineInfo {
  /** `tfjs`, `onnxruntime`, ... */
  readonly engine: EngineName
  /** The device and its configuration, e.g. `wasm, 2 threads`, `cpu`, `webgpu, NVIDIA H200`, `CPUExecutionProvider, 2 threads`. */
  readonly device: string
  /** One line for logs: the engine's package and device. */
  readonly description: string
}

/**
 * A labelled batch for a training step: NCHW images and their class indices.
 * @category Running
 */
export interface TrainBatch {
  readonly x: HostTensor
  readonly labels: Int32Array
}

/**
 * What one training step measured (before its update).
 * @category Running
 */
export interface StepOutcome {
  /** Mean loss of the batch. */
  readonly loss: number
  /** Correct predictions in the batch. */
  readonly correct: number
}

/**
 * A graph compiled by an engine, with its weights.
 * @category Running
 */
export interface EngineModel {
  readonly graph: Graph
  readonly info: EngineInfo
  /** Eval-mode forward pass (BatchNorm running statistics, no dropout); any batch size. */
  forward(x: HostTensor): Promise<HostTensor>
  /** The weights as a PyTorch state_dict (names, layouts and order of the graph's `stateDictSpecs`). */
  stateDict(): Promise<Map<string, StateDictTensor>>
  /** Replaces the weights from PyTorch-layout values (every tensor of the state_dict, e.g. from `matchStateDict`). */
  loadStateDict(tensors: ReadonlyMap<string, Float32Array>): Promise<void>
  /** Frees what the engine holds. */
  dispose(): void
}

/**
 * An optimizer's state as it crosses engines (and checkpoints): the steps taken and, per slot under shapesafe's slot
 * names (`momentum` for SGD; `m`, `v` for Adam), one tensor per trainable parameter in the parameter's PyTorch layout.
 * @category Running
 */
export interface EngineOptimizerState {
  readonly step: number
  readonly slots: ReadonlyMap<string, ReadonlyMap<string, StateDictTensor>>
}

/**
 * A model that can also train: one optimizer step per call (softmax cross-entropy on the batch).
 * @category Running
 */
export interface TrainableEngineModel extends EngineModel {
  /**
   * Forward in training mode (dropout masks drawn from the run's seed and the step number, so a resumed run draws
   * the masks an uninterrupted one would), loss, gradients, one update at `learningRate`.
   */
  trainStep(batch: TrainBatch, learningRate: number): Promise<StepOutcome>
  /** The optimizer's state (every slot of every trainable parameter). */
  optimizerState(): Promise<EngineOptimizerState>
  /** Replaces the optimizer's state (e.g. from a checkpoint, possibly written by another engine). */
  loadOptimizerState(state: EngineOptimizerState): Promise<void>
}

/**
 * Options of {@link Engine.compile}.
 * @category Running
 */
export interface EngineCompileOptions {
  /** Seed of PyTorch-style initialisation (the weights before any `loadStateDict`). */
  readonly seed: number
  /** How conv and linear weights start (default `pytorch`: PyTorch's layer defaults). */
  readonly init?: InitScheme
}

/**
 * An engine. `O` is the optimizer configuration its training accepts (`never` when it cannot train).
 * @example
 * ```ts
 * const engine = tfjsInferenceEngine(await selectBackend())
 * const graph = zoo.lenet.graph({ input: [1, 1, 28, 28], classes: 10 })
 * const model = await engine.compile(graph, { seed: 0 })
 * const y = await model.forward({ shape: [1, 1, 28, 28], data: new Float32Array(784) })
 * model.dispose()
 * ```
 * @category Running
 */
export interface Engine<O = never> {
  readonly info: EngineInfo
  /** Compiles a graph for inference, with freshly initialised weights. */
  compile(graph: Graph, options: EngineCompileOptions): Promise<EngineModel>
  /** Compiles a graph for training with the given optimizer; absent when the engine cannot train (onnxruntime). */
  readonly compileForTraining?: (graph: Graph, options: EngineCompileOptions & { readonly optimizer: O }) => Promise<TrainableEngineModel>
}

/**
 * The engine description of a tfjs backend: `tfjs` on `wasm, 2 threads`, `cpu`, `tensorflow`, ...
 * @example
 * ```ts
 * tfjsEngineInfo(await selectBackend()).device // 'wasm, 2 threads'
 * ```
 * @category Running
 */
export function tfjsEngineInfo(backend: BackendInfo): EngineInfo {
  const threads = backend.name === 'wasm' && backend.threads !== undefined ? `, ${backend.threads} thread${backend.threads === 1 ? '' : 's'}` : ''
  const adapter = backend.adapter === undefined ? '' : `, ${adapterName(backend.adapter)}`
  const device = `${backend.name}${backend.gpu && backend.name !== 'webgpu' ? ' (GPU)' : ''}${threads}${adapter}`
  return { engine: 'tfjs', device, description: `tfjs on ${backend.description}` }
}

/**
 * Checks a host tensor against the graph's input as `validateInput` does (same rank, same dims except the
 * batch, as many values as the shape says); throws a {@link ShapeError} naming the expected and actual shapes.
 * @example
 * ```ts
 * const graph = zoo.lenet.graph({ input: [1, 1, 28, 28], classes: 10 })
 * validateHostInput(graph, { shape: [8, 1, 28, 28], data: new Float32Array(8 * 784) }) // ok: any batch size
 * ```
 * @category Running
 */
export function validateHostInput(graph: Graph, x: HostTensor): void {
  const expected = graph.input.shape
  const expectedText = `a float32 tensor of shape ${formatShape(expected)} (any batch size)`
  const actual = x.shape
  const ok =
    actual.length === expected.length &&
    actual[0] >= 1 &&
    expected.every((d, i) => i === 0 || isNamed(d) || d === actual[i]) &&
    x.data.length === actual.reduce((a, b) => a * b, 1)
  if (!ok) {
    throw new ShapeError('model input', expectedText, formatShape(actual), `model input: expected ${expectedText}, got float32 ${formatShape(actual)} with ${x.data.length} values`)
  }
}

/**
 * Copies a host tensor into a tfjs tensor (the caller disposes it).
 * @example
 * ```ts
 * import { toTfTensor } from 'shapesafe/runtime'
 * const t = toTfTensor({ shape: [1, 1, 28, 28], data: new Float32Array(784) })
 * t.shape // [1, 1, 28, 28]
 * t.dispose()
 * ```
 * @category Running
 */
export const toTfTensor = (x: HostTensor): tf.Tensor => tf.tensor(x.data, [...x.shape], 'float32')

/**
 * Reads a tfjs tensor back to the host (async: backends such as WebGPU cannot read synchronously).
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs'
 * import { fromTfTensor } from 'shapesafe/runtime'
 * const t = tf.ones([2, 3])
 * const host = await fromTfTensor(t) // { shape: [2, 3], data: Float32Array [1, 1, 1, 1, 1, 1] }
 * t.dispose()
 * ```
 * @category Running
 */
export const fromTfTensor = async (t: tf.Tensor): Promise<HostTensor> => ({ shape: [...t.shape], data: Float32Array.from((await t.data()) as Float32Array) })

/**
 * A tfjs {@link EngineModel} around a {@link CompiledModel} and its state; `holder.state` is replaced by
 * `loadStateDict` (and by a training step, for the training engine built in `src/train`).
 * @example
 * ```ts
 * import { zoo } from 'shapesafe'
 * import { compile, selectBackend, tfjsEngineInfo, tfjsEngineModel } from 'shapesafe/runtime'
 * const model = compile(zoo.lenet.graph({ input: [1, 1, 28, 28], classes: 10 }))
 * const engineModel = tfjsEngineModel(model, { state: model.init(0) }, tfjsEngineInfo(await selectBackend()))
 * const y = await engineModel.forward({ shape: [1, 1, 28, 28], data: new Float32Array(784) }) // y.shape: [1, 10]
 * engineModel.dispose()
 * ```
 * @category Running
 */
export function tfjsEngineModel(model: CompiledModel, holder: { state: ModelState }, info: EngineInfo): EngineModel {
  return {
    graph: model.graph,
    info,
    forward: async (x) => {
      const input = toTfTensor(x)
      try {
        const { output } = model.forward(holder.state, input, { training: false })
        const out = await fromTfTensor(output)
        output.dispose()
        return out
      } finally {
        input.dispose()
      }
    },
    stateDict: () => model.readStateDict(holder.state),
    loadStateDict: async (tensors) => {
      const next = model.fromStateDict(tensors)
      model.dispose(holder.state)
      holder.state = next
    },
    dispose: () => model.dispose(holder.state),
  }
}

/**
 * The tfjs engine for inference on the current backend (training: `tfjsEngine` in `shapesafe/train`).
 * @example
 * ```ts
 * const engine = tfjsInferenceEngine(await selectBackend({ backend: 'wasm' }))
 * engine.info.device // 'wasm, 1 thread'
 * ```
 * @category Running
 */
export function tfjsInferenceEngine(backend: BackendInfo): Engine {
  const info = tfjsEngineInfo(backend)
  return {
    info,
    compile: async (graph, options) => {
      const model = compile(graph)
      return tfjsEngineModel(model, { state: model.init(options.seed, options.init) }, info)
    },
  }
}
