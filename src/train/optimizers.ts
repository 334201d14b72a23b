/**
 * Optimizers as pure functions over tensor maps, with PyTorch's update rules, so a run here and a run of
 * `torch.optim.SGD`/`torch.optim.Adam` from the same weights and gradients take the same steps.
 *
 * An optimizer never mutates: {@link Optimizer.step} returns new parameter tensors and a new state, and the caller
 * disposes the old ones (every returned tensor is fresh, so disposing all old tensors is always safe).
 *
 * @module
 */
import * as tf from '@tensorflow/tfjs'
import type { TensorMap } from '../runtime/model.js'

// ---------------------------------------------------------------------------------------------------------------------
// model
// ---------------------------------------------------------------------------------------------------------------------

/**
 * Tensors by parameter name (PyTorch `state_dict` name): the runtime's {@link TensorMap}.
 *
 * @deprecated Use `TensorMap` (from `shapesafe/runtime`); this alias stays for existing imports.
 * @category Training
 */
export type ParamTensors = TensorMap

/**
 * Optimizer state: the step count and, per slot (`momentum` for SGD, `m`/`v` for Adam), one tensor per parameter.
 *
 * @category Training
 */
export interface OptimizerState {
  /** Number of steps taken. */
  readonly step: number
  /** Slot name → parameter name → tensor, same shape as the parameter. */
  readonly slots: ReadonlyMap<string, TensorMap>
}

/**
 * Hyper-parameters of SGD (`torch.optim.SGD` with `dampening = 0`, `nesterov = False`).
 *
 * @category Training
 */
export interface SgdConfig {
  readonly name: 'sgd'
  readonly learningRate: number
  /** Momentum factor μ (default 0). */
  readonly momentum?: number
  /** L2 penalty added to the gradient (default 0). */
  readonly weightDecay?: number
}

/**
 * Hyper-parameters of Adam (`torch.optim.Adam`, `amsgrad = False`).
 *
 * @category Training
 */
export interface AdamConfig {
  readonly name: 'adam'
  readonly learningRate: number
  /** Default 0.9. */
  readonly beta1?: number
  /** Default 0.999. */
  readonly beta2?: number
  /** Default 1e-8. */
  readonly epsilon?: number
  /** L2 penalty added to the gradient (default 0; classic Adam, not AdamW). */
  readonly weightDecay?: number
}

/**
 * Any optimizer configuration.
 *
 * @category Training
 */
export type OptimizerConfig = SgdConfig | AdamConfig

/**
 * The name of an optimizer.
 *
 * @category Training
 */
export type OptimizerName = OptimizerConfig['name']

/**
 * The learning rate and step number of one update.
 *
 * @category Training
 */
export interface UpdateHyper {
  /** Learning rate of this step (the schedule's value; the configured rate is the base). */
  readonly learningRate: number
  /** 1-based number of this step (Adam's bias correction uses it). */
  readonly step: number
}

/**
 * A parameter's new value and optimizer slots after one update.
 *
 * @category Training
 */
export interface ParameterUpdate {
  readonly param: tf.Tensor
  /** One tensor per slot, in {@link Optimizer.slotNames} order. */
  readonly slots: readonly tf.Tensor[]
}

/**
 * An optimizer: creates its state and takes steps.
 *
 * @category Training
 */
export interface Optimizer {
  readonly config: OptimizerConfig
  /** Slot names, in a fixed order (the checkpoint layout). */
  readonly slotNames: readonly string[]
  /** Fresh state for `params` (zero slots, step 0). */
  init(params: TensorMap): OptimizerState
  /**
   * Updates one parameter. **Consumes** `grad` and `slots` (each is disposed as soon as the update no longer needs it,
   * and so are the update's own intermediates), so a large parameter's update needs little more memory than its
   * state; `param` is not disposed. Returns fresh tensors.
   */
  updateParameter(
    param: tf.Tensor,
    grad: tf.Tensor,
    slots: readonly tf.Tensor[],
    hyper: UpdateHyper,
  ): ParameterUpdate
  /**
   * One update with learning rate `learningRate` (the schedule's value for this step; the configured rate is the base).
   * Every parameter of `params` needs a gradient in `grads`. Returns fresh tensors; nothing is disposed (see
   * {@link applyStep} for the memory-frugal form that consumes its inputs).
   */
  step(
    params: TensorMap,
    grads: TensorMap,
    state: OptimizerState,
    learningRate: number,
  ): { readonly params: TensorMap; readonly state: OptimizerState }
}

// ---------------------------------------------------------------------------------------------------------------------
// helpers
// ---------------------------------------------------------------------------------------------------------------------

const zerosLikeAll = (params: TensorMap): TensorMap => new Map([...params].map(([n, p]) => [n, tf.zerosLike(p)]))

const gradientOf = (grads: TensorMap, name: string): tf.Tensor => {
  const g = grads.get(name)
  if (g === undefined) throw new Error(`optimizer: no gradient for parameter "${name}"`)
  return g
}

const slotsOf = (slotNames: readonly string[], state: OptimizerState, name: string): tf.Tensor[] =>
  slotNames.map((slot) => {
    const t = state.slots.get(slot)?.get(name)
    if (t === undefined) throw new Error(`optimizer: no "${slot}" state for parameter "${name}"`)
    return t
  })

/**
 * Returns `result` after disposing the tensors it was computed from (`used`), so the update of a 100-million-value
 * parameter holds at most a couple of temporaries at a time instead of every intermediate until the end of a `tf.tidy`.
 */
const consume = (result: tf.Tensor, ...used: tf.Tensor[]): tf.Tensor => {
  for (const t of used) if (t !== result) t.dispose()
  return result
}

/** The L2-penalised gradient `g + wd·p` (PyTorch's `weight_decay`); consumes `g` (returned as is when wd = 0). */
const withWeightDecay = (g: tf.Tensor, p: tf.Tensor, weightDecay: number): tf.Tensor => {
  if (weightDecay === 0) return g
  const decay = tf.mul(p, weightDecay)
  return consume(tf.add(g, decay), decay, g)
}

/** Runs `update` in a `tf.tidy` (which collects the scalar constants tfjs creates for plain numbers). */
const tidyUpdate = (update: () => ParameterUpdate): ParameterUpdate => {
  const kept: tf.Tensor[] = []
  const result = tf.tidy(() => {
    const u = update()
    kept.push(u.param, ...u.slots)
    return kept
  })
  return { param: result[0], slots: result.slice(1) }
}

/** Each parameter with its gradient and slots; throws (naming the parameter) before anything is computed. */
const inputsOf = (slotNames: readonly string[], params: TensorMap, grads: TensorMap, state: OptimizerState) =>
  [...params].map(([name, p]) => ({ name, p, g: gradientOf(grads, name), slots: slotsOf(slotNames, state, name) }))

/** Runs `update` over `inputs` in order, collecting the new parameters and slots. */
const updateAll = (
  optimizer: Optimizer,
  inputs: ReturnType<typeof inputsOf>,
  step: number,
  update: (input: ReturnType<typeof inputsOf>[number]) => ParameterUpdate,
): { readonly params: TensorMap; readonly state: OptimizerState } => {
  const nextParams = new Map<string, tf.Tensor>()
  const nextSlots = optimizer.slotNames.map(() => new Map<string, tf.Tensor>())
  for (const input of inputs) {
    const u = update(input)
    nextParams.set(input.name, u.param)
    u.slots.forEach((t, i) => nextSlots[i].set(input.name, t))
  }
  return { params: nextParams, state: { step, slots: new Map(optimizer.slotNames.map((s, i) => [s, nextSlots[i]])) } }
}

/** {@link Optimizer.step} from {@link Optimizer.updateParameter}: clones (cheap, shared data) what the update consumes. */
const pureStep = (
  optimizer: Optimizer,
  params: TensorMap,
  grads: TensorMap,
  state: OptimizerState,
  learningRate: number,
): { readonly params: TensorMap; readonly state: OptimizerState } => {
  const hyper = { learningRate, step: state.step + 1 }
  return updateAll(optimizer, inputsOf(optimizer.slotNames, params, grads, state), hyper.step, ({ p, g, slots }) =>
    optimizer.updateParameter(p, g.clone(), slots.map((t) => t.clone()), hyper),
  )
}

/**
 * Disposes every tensor of an optimizer state.
 *
 * @example
 * ```ts
 * import type { CompiledModel } from 'shapesafe/runtime'
 * import { disposeOptimizerState, makeOptimizer } from 'shapesafe/train'
 * declare const model: CompiledModel
 * const weights = model.init(0)
 * const adam = makeOptimizer({ name: 'adam', learningRate: 1e-3 }).init(weights.params) // two slots per parameter
 * disposeOptimizerState(adam)
 * model.dispose(weights)
 * ```
 * @category Training
 */
export const disposeOptimizerState = (state: OptimizerState): void => {
  for (const slot of state.slots.values()) for (const t of slot.values()) t.dispose()
}

/**
 * One optimizer step that **consumes** `params`, `grads` and `state`: parameter by parameter, each old value, gradient
 * and slot is disposed as soon as its replacement exists. The numbers equal {@link Optimizer.step}'s; the peak memory
 * is the live state plus one parameter's temporaries (what lets a 129-million-parameter VGG train inside the wasm
 * backend's 4 GB heap). Checks that every parameter has a gradient and its slots before anything is disposed. Tensors
 * of `grads` or `state` that belong to no parameter of `params` are disposed too.
 *
 * @example
 * ```ts
 * declare const params: TensorMap, grads: TensorMap, state: OptimizerState
 * const next = applyStep(makeOptimizer({ name: 'sgd', learningRate: 0.1, momentum: 0.9 }), params, grads, state, 0.1)
 * // params, grads and state are disposed; use next.params and next.state
 * ```
 * @category Training
 */
export const applyStep = (
  optimizer: Optimizer,
  params: TensorMap,
  grads: TensorMap,
  state: OptimizerState,
  learningRate: number,
): { readonly params: TensorMap; readonly state: OptimizerState } => {
  const hyper = { learningRate, step: state.step + 1 }
  const next = updateAll(optimizer, inputsOf(optimizer.slotNames, params, grads, state), hyper.step, ({ p, g, slots }) => {
    const u = optimizer.updateParameter(p, g, slots, hyper)
    if (u.param !== p) p.dispose()
    return u
  })
  const kept = new Set<tf.Tensor>([...next.params.values(), ...[...next.state.slots.values()].flatMap((m) => [...m.values()])])
  for (const t of [...grads.values(), ...[...state.slots.values()].flatMap((m) => [...m.values()])])
    if (!kept.has(t)) t.dispose()
  return next
}

// ---------------------------------------------------------------------------------------------------------------------
// optimizers
// ---------------------------------------------------------------------------------------------------------------------

/**
 * SGD with momentum and weight decay, PyTorch semantics:
 * `d = g + wd·p; buf = μ·buf + d; p −= lr·buf` (with μ = 0: `p −= lr·d`). The momentum buffer starts at zero, which
 * equals PyTorch's first-step `buf = d`.
 *
 * @example
 * ```ts
 * declare const params: TensorMap, grads: TensorMap
 * const opt = sgd({ name: 'sgd', learningRate: 0.1, momentum: 0.9, weightDecay: 5e-4 })
 * let state = opt.init(params)
 * const next = opt.step(params, grads, state, 0.1)
 * ```
 * @category Training
 */
export const sgd = (config: SgdConfig): Optimizer => {
  const momentum = config.momentum ?? 0
  const weightDecay = config.weightDecay ?? 0
  const self: Optimizer = {
    config,
    slotNames: momentum === 0 ? [] : ['momentum'],
    init: (params) => ({ step: 0, slots: momentum === 0 ? new Map() : new Map([['momentum', zerosLikeAll(params)]]) }),
    updateParameter: (p, g, slots, { learningRate }) =>
      tidyUpdate(() => {
        const d = withWeightDecay(g, p, weightDecay)
        let direction = d
        if (momentum !== 0) {
          const kept = tf.mul(slots[0], momentum)
          slots[0].dispose()
          direction = consume(tf.add(kept, d), kept, d)
        }
        const delta = tf.mul(direction, learningRate)
        const next = consume(tf.sub(p, delta), delta)
        if (momentum === 0) direction.dispose()
        return { param: next, slots: momentum === 0 ? [] : [direction] }
      }),
    step: (params, grads, state, learningRate) => pureStep(self, params, grads, state, learningRate),
  }
  return self
}

/**
 * Adam, PyTorch semantics (`torch.optim.Adam`, weight decay as L2 added to the gradient):
 * `g += wd·p; m = β1·m + (1−β1)·g; v = β2·v + (1−β2)·g²; p −= lr/(1−β1ᵗ) · m / (√v/√(1−β2ᵗ) + ε)`.
 *
 * @example
 * ```ts
 * const opt = adam({ name: 'adam', learningRate: 1e-3 })
 * ```
 * @category Training
 */
export const adam = (config: AdamConfig): Optimizer => {
  const beta1 = config.beta1 ?? 0.9
  const beta2 = config.beta2 ?? 0.999
  const epsilon = config.epsilon ?? 1e-8
  const weightDecay = config.weightDecay ?? 0
  const self: Optimizer = {
    config,
    slotNames: ['m', 'v'],
    init: (params) => ({ step: 0, slots: new Map([['m', zerosLikeAll(params)], ['v', zerosLikeAll(params)]]) }),
    updateParameter: (p, g0, [m0, v0], { learningRate, step }) =>
      tidyUpdate(() => {
        const stepSize = learningRate / (1 - beta1 ** step)
        const correction2Sqrt = Math.sqrt(1 - beta2 ** step)
        const g = withWeightDecay(g0, p, weightDecay)
        const m1 = consume(tf.mul(m0, beta1), m0)
        const g1 = tf.mul(g, 1 - beta1)
        const m = consume(tf.add(m1, g1), m1, g1)
        const g2 = consume(tf.square(g), g)
        const v2 = consume(tf.mul(v0, beta2), v0)
        const g2Scaled = consume(tf.mul(g2, 1 - beta2), g2)
        const v = consume(tf.add(v2, g2Scaled), v2, g2Scaled)
        const root = tf.sqrt(v)
        const corrected = consume(tf.div(root, correction2Sqrt), root)
        const denominator = consume(tf.add(corrected, epsilon), corrected)
        const ratio = consume(tf.div(m, denominator), denominator)
        const delta = consume(tf.mul(ratio, stepSize), ratio)
        const next = consume(tf.sub(p, delta), delta)
        return { param: next, slots: [m, v] }
      }),
    step: (params, grads, state, learningRate) => pureStep(self, params, grads, state, learningRate),
  }
  return self
}

/**
 * The optimizer for a configuration.
 *
 * @example
 * ```ts
 * makeOptimizer({ name: 'adam', learningRate: 1e-3 }).slotNames // ['m', 'v']
 * ```
 * @category Training
 */
export const makeOptimizer = (config: OptimizerConfig): Optimizer => (config.name === 'sgd' ? sgd(config) : adam(config))
