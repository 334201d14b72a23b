/**
 * Compiling a traced {@link Graph} into a runnable model on TensorFlow.js: parameter state, PyTorch-style
 * initialisation, a validated forward pass and state_dict import/export.
 *
 * Public tensors are NCHW (as PyTorch); the model runs in NHWC internally (TensorFlow.js's fast layout), transposing
 * once at the input. Parameters are kept in the internal layout (HWIO conv weights, `[in, out]` linear weights; see
 * {@link ./layout.js}) and converted only by {@link CompiledModel.toStateDict}/{@link CompiledModel.fromStateDict}.
 * @module
 */
import * as tf from '@tensorflow/tfjs'
import type { Graph, ParamSpec } from '../graph/ir.js'
import { isStatistic, numel, stateDictSpecs, trainableParams } from '../graph/ir.js'
import { validateGraph } from '../graph/validate.js'
import { ShapeError } from '../shape/errors.js'
import { formatShape, isNamed } from '../shape/dim.js'
import { initialValue, type InitScheme } from './init.js'
import { plan, type PlanOptions, type RunContext, type TensorMap } from './interpreter.js'
import { internalShape, pytorchShape, toInternal, toNchw, toNhwc, toPyTorch } from './layout.js'

export type { TensorMap } from './interpreter.js'

/**
 * The tensors of a model: trainable parameters and BatchNorm running statistics, by state_dict name.
 * @category Running
 */
export interface ModelState {
  /** Trainable parameters, keyed by PyTorch state_dict name, in the internal layout. */
  readonly params: TensorMap
  /** BatchNorm `running_mean`/`running_var` by state_dict name. */
  readonly stats: TensorMap
}

/**
 * Options of one forward pass.
 * @category Running
 */
export interface ForwardOptions {
  /** Training mode: BatchNorm uses (and updates) batch statistics, dropout is active. */
  readonly training: boolean
  /** Dropout seed (default 0); the same seed gives the same masks. */
  readonly seed?: number
}

/**
 * The result of a forward pass.
 * @category Running
 */
export interface ForwardResult {
  /** The output in public layout (`[N, classes]` logits for classifiers, NCHW if 4-D). */
  readonly output: tf.Tensor
  /**
   * Running statistics after the pass: new tensors in training (the caller disposes the old ones and owns these;
   * they survive an enclosing `tf.tidy`), `state.stats` itself in eval.
   */
  readonly stats: TensorMap
}

/**
 * A tensor of a state_dict in PyTorch layout.
 * @category Running
 */
export interface StateDictTensor {
  readonly shape: number[]
  readonly data: Float32Array
}

/**
 * A graph made runnable.
 * @category Running
 */
export interface CompiledModel {
  /** The graph this model runs. */
  readonly graph: Graph
  /** Trainable parameters in the order used for gradients and optimizer state. */
  readonly trainable: readonly ParamSpec[]
  /** A fresh state with PyTorch's default initialisation (or `scheme`'s: {@link InitScheme}), deterministic per seed. */
  init(seed: number, scheme?: InitScheme): ModelState
  /**
   * Runs the graph on `x` (NCHW float32, validated against the graph input; any batch size). Throws a
   * {@link ShapeError} naming the expected and actual shapes for a wrong input.
   */
  forward(state: ModelState, x: tf.Tensor, options: ForwardOptions): ForwardResult
  /**
   * The state as a PyTorch state_dict (names, PyTorch layouts, state_dict order), read synchronously: cpu, wasm and
   * tfjs-node only. WebGPU cannot read tensors synchronously in Node, so there it throws a {@link StateError} saying
   * to use {@link CompiledModel.readStateDict}.
   */
  toStateDict(state: ModelState): Map<string, StateDictTensor>
  /** The same state_dict as {@link CompiledModel.toStateDict}, read asynchronously: works on every backend (webgpu too). */
  readStateDict(state: ModelState): Promise<Map<string, StateDictTensor>>
  /** A state from PyTorch-layout values (e.g. from `matchStateDict`); throws if a tensor is missing or mis-sized. */
  fromStateDict(tensors: ReadonlyMap<string, Float32Array>): ModelState
  /** Disposes every tensor of a state. */
  dispose(state: ModelState): void
}

/**
 * A model state that does not fit the graph it is used with: a tensor missing, disposed, of another dtype or of
 * another shape (e.g. the state of a 5-class model on a 10-class graph). Names the tensor, the expected and the
 * actual value; shapes are in PyTorch layout.
 * @category Running
 */
export class StateError extends Error {
  override readonly name = 'StateError'
  constructor(
    /** The state_dict name of the tensor. */
    readonly tensor: string,
    /** What the graph needs. */
    readonly expected: string,
    /** What the state has. */
    readonly actual: string,
  ) {
    super(`model state: ${tensor}: expected ${expected}, got ${actual}`)
  }
}

/**
 * Checks a runtime tensor against the graph's input: float32, same rank, same dims except the batch.
 * @example
 * ```ts
 * declare const graph: Graph
 * validateInput(graph, tf.zeros([8, 1, 28, 28])) // ok for an [N, 1, 28, 28] graph
 * ```
 * @category Running
 */
export function validateInput(graph: Graph, x: unknown): asserts x is tf.Tensor {
  const expected = graph.input.shape
  const expectedText = `a float32 tensor of shape ${formatShape(expected)} (any batch size)`
  if (!(x instanceof tf.Tensor)) {
    throw new ShapeError('model input', expectedText, x === null || typeof x !== 'object' ? String(x) : 'a non-tensor object')
  }
  if (x.isDisposed) throw new ShapeError('model input', expectedText, `a disposed tensor (shape ${formatShape(x.shape)})`)
  const actual = x.shape
  const fail = (): never => {
    throw new ShapeError(
      'model input',
      expectedText,
      `${x.dtype} ${formatShape(actual)}`,
      `model input: expected ${expectedText}, got ${x.dtype} ${formatShape(actual)}`,
    )
  }
  if (x.dtype !== 'float32' || actual.length !== expected.length || actual[0] < 1) fail()
  for (let i = 1; i < expected.length; i++) {
    const d = expected[i]
    if (!isNamed(d) && d !== actual[i]) fail()
  }
}

/**
 * Compiles a graph into a runnable model.
 * @example
 * ```ts
 * const model = compile(trace(lenet(), [N, 1, 28, 28]))
 * const state = model.init(0)
 * const { output } = model.forward(state, tf.zeros([8, 1, 28, 28]), { training: false }) // [8, 10]
 * model.dispose(state)
 * ```
 * @category Running
 */
export function compile(graph: Graph, options: PlanOptions = {}): CompiledModel {
  validateGraph(graph)
  const { steps, layouts, uses } = plan(graph, options)
  const specs = stateDictSpecs(graph)
  const trainable = trainableParams(graph)
  const layoutOf = (name: string) => layouts.get(name) ?? { kind: 'same' as const }
  const inputId = graph.input.id
  const outputId = graph.output.id

  const expectedShapes = specs.map((spec) => internalShape(layoutOf(spec.name), spec.shape))

  const build = (valueOf: (spec: ParamSpec) => Float32Array): ModelState => {
    const params = new Map<string, tf.Tensor>()
    const stats = new Map<string, tf.Tensor>()
    try {
      specs.forEach((spec, i) => {
        const data = toInternal(layoutOf(spec.name), spec.shape, valueOf(spec))
        ;(isStatistic(spec) ? stats : params).set(spec.name, tf.tensor(data, expectedShapes[i], 'float32'))
      })
    } catch (e) {
      // Nothing half-made is left behind.
      tf.dispose([...params.values(), ...stats.values()])
      throw e
    }
    return { params, stats }
  }

  /** Checks that `state` holds every tensor of the graph, alive, float32 and of the right shape. */
  const validateState = (state: ModelState): void => {
    specs.forEach((spec, i) => {
      const t = state.params.get(spec.name) ?? state.stats.get(spec.name)
      const expected = `a float32 tensor ${formatShape(spec.shape)}`
      if (t === undefined) throw new StateError(spec.name, expected, 'no such tensor in the state')
      if (!(t instanceof tf.Tensor)) throw new StateError(spec.name, expected, 'a non-tensor value')
      if (t.isDisposed) throw new StateError(spec.name, expected, 'a disposed tensor')
      const want = expectedShapes[i]
      if (t.dtype !== 'float32' || t.shape.length !== want.length || t.shape.some((d, k) => d !== want[k])) {
        throw new StateError(spec.name, expected, `${t.dtype} ${formatShape(pytorchShape(layoutOf(spec.name), t.shape))}`)
      }
    })
  }

  const forward = (state: ModelState, x: tf.Tensor, opts: ForwardOptions): ForwardResult => {
    validateInput(graph, x)
    validateState(state)
    const newStats = new Map<string, tf.Tensor>()
    const ctx: RunContext = { training: opts.training, seed: opts.seed ?? 0, params: state.params, stats: state.stats, newStats }
    const output = tf.tidy(() => {
      const values: (tf.Tensor | undefined)[] = new Array(graph.nodes.length)
      const remaining = new Map<tf.Tensor, number>()
      const assign = (id: number, t: tf.Tensor) => {
        values[id] = t
        remaining.set(t, (remaining.get(t) ?? 0) + uses[id])
      }
      assign(inputId, toNhwc(x))
      for (const step of steps) {
        if (step.node.id === inputId) continue
        const args = step.inputs.map((i) => values[i]!)
        assign(step.node.id, step.run(args, ctx))
        // Free intermediates after their last use (the tape keeps what gradients need).
        for (const t of args) {
          const left = remaining.get(t)! - 1
          remaining.set(t, left)
          if (left === 0 && t !== x) t.dispose()
        }
      }
      return toNchw(values[outputId]!)
    })
    return { output, stats: opts.training ? newStats : state.stats }
  }

  const stateTensor = (state: ModelState, name: string): tf.Tensor => {
    const t = state.params.get(name) ?? state.stats.get(name)
    if (t === undefined) throw new Error(`toStateDict: the state has no tensor ${name}`)
    return t
  }
  const toDictTensor = (spec: ParamSpec, data: Float32Array): StateDictTensor => ({
    shape: [...spec.shape],
    data: toPyTorch(layoutOf(spec.name), spec.shape, data.slice()),
  })

  return {
    graph,
    trainable,
    init: (seed, scheme) => build((spec) => initialValue(spec, seed, scheme)),
    forward,
    toStateDict: (state) => {
      validateState(state)
      if (tf.getBackend() === 'webgpu') {
        throw new StateError('toStateDict', 'a backend that reads tensors synchronously (cpu, wasm, tensorflow)', 'webgpu, which reads only asynchronously in Node: use await model.readStateDict(state)')
      }
      return new Map(specs.map((spec) => [spec.name, toDictTensor(spec, stateTensor(state, spec.name).dataSync() as Float32Array)]))
    },
    readStateDict: async (state) => {
      validateState(state)
      // All reads are started before any is awaited: one round trip to the device, not one per tensor.
      const values = await Promise.all(specs.map((spec) => stateTensor(state, spec.name).data() as Promise<Float32Array>))
      return new Map(specs.map((spec, i) => [spec.name, toDictTensor(spec, values[i])]))
    },
    fromStateDict: (tensors) => {
      // Every value is checked before any tensor is made.
      for (const spec of specs) {
        const data = tensors.get(spec.name)
        if (data === undefined) throw new StateError(spec.name, `${numel(spec.shape)} values for ${formatShape(spec.shape)}`, 'no tensor of that name')
        if (data.length !== numel(spec.shape)) {
          throw new StateError(spec.name, `${numel(spec.shape)} values for ${formatShape(spec.shape)}`, `${data.length} values`)
        }
      }
      return build((spec) => tensors.get(spec.name)!)
    },
    dispose: (state) => {
      for (const t of state.params.values()) t.dispose()
      for (const t of state.stats.values()) t.dispose()
    },
  }
}
