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

// ---------------------------------------------------------------------------------------------------------------------
// model
// ---------------------------------------------------------------------------------------------------------------------

/**
 * Tensors by parameter name (PyTorch `state_dict` name).
 *
 * @category model
 */
export type ParamTensors = ReadonlyMap<string, tf.Tensor>

/**
 * Optimizer state: the step count and, per slot (`momentum` for SGD, `m`/`v` for Adam), one tensor per parameter.
 *
 * @category model
 */
export interface OptimizerState {
  /** Number of steps taken. */
  readonly step: number
  /** Slot name → parameter name → tensor, same shape as the parameter. */
  readonly slots: ReadonlyMap<string, ParamTensors>
}

/**
 * Hyper-parameters of SGD (`torch.optim.SGD` with `dampening = 0`, `nesterov = False`).
 *
 * @category model
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
 * @category model
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
 * @category model
 */
export type OptimizerConfig = SgdConfig | AdamConfig

/**
 * The name of an optimizer.
 *
 * @category model
 */
export type OptimizerName = OptimizerConfig['name']

/**
 * An optimizer: creates its state and takes steps.
 *
 * @category model
 */
export interface Optimizer {
  readonly config: OptimizerConfig
  /** Slot names, in a fixed order (the checkpoint layout). */
  readonly slotNames: readonly string[]
  /** Fresh state for `params` (zero slots, step 0). */
  init(params: ParamTensors): OptimizerState
  /**
   * One update with learning rate `learningRate` (the schedule's value for this step; the configured rate is the base).
   * Every parameter of `params` needs a gradient in `grads`. Returns fresh tensors; nothing is disposed.
   */
  step(
    params: ParamTensors,
    grads: ParamTensors,
    state: OptimizerState,
    learningRate: number,
  ): { readonly params: ParamTensors; readonly state: OptimizerState }
}

// ---------------------------------------------------------------------------------------------------------------------
// helpers
// ---------------------------------------------------------------------------------------------------------------------

const zerosLikeAll = (params: ParamTensors): ParamTensors => new Map([...params].map(([n, p]) => [n, tf.zerosLike(p)]))

const gradientOf = (grads: ParamTensors, name: string): tf.Tensor => {
  const g = grads.get(name)
  if (g === undefined) throw new Error(`optimizer: no gradient for parameter "${name}"`)
  return g
}

const slotOf = (state: OptimizerState, slot: string, name: string): tf.Tensor => {
  const t = state.slots.get(slot)?.get(name)
  if (t === undefined) throw new Error(`optimizer: no "${slot}" state for parameter "${name}"`)
  return t
}

/**
 * Disposes every tensor of an optimizer state.
 *
 * @category utils
 */
export const disposeOptimizerState = (state: OptimizerState): void => {
  for (const slot of state.slots.values()) for (const t of slot.values()) t.dispose()
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
 * const opt = sgd({ name: 'sgd', learningRate: 0.1, momentum: 0.9, weightDecay: 5e-4 })
 * let state = opt.init(params)
 * const next = opt.step(params, grads, state, 0.1)
 * ```
 * @category constructors
 */
export const sgd = (config: SgdConfig): Optimizer => {
  const momentum = config.momentum ?? 0
  const weightDecay = config.weightDecay ?? 0
  return {
    config,
    slotNames: momentum === 0 ? [] : ['momentum'],
    init: (params) => ({ step: 0, slots: momentum === 0 ? new Map() : new Map([['momentum', zerosLikeAll(params)]]) }),
    step: (params, grads, state, learningRate) => {
      const nextParams = new Map<string, tf.Tensor>()
      const nextBuffers = new Map<string, tf.Tensor>()
      tf.tidy(() => {
        for (const [name, p] of params) {
          const g = gradientOf(grads, name)
          const d = weightDecay === 0 ? g : tf.add(g, tf.mul(p, weightDecay))
          let direction = d
          if (momentum !== 0) {
            direction = tf.add(tf.mul(slotOf(state, 'momentum', name), momentum), d)
            nextBuffers.set(name, tf.keep(direction.clone()))
          }
          nextParams.set(name, tf.keep(tf.sub(p, tf.mul(direction, learningRate))))
        }
      })
      return {
        params: nextParams,
        state: { step: state.step + 1, slots: momentum === 0 ? new Map() : new Map([['momentum', nextBuffers]]) },
      }
    },
  }
}

/**
 * Adam, PyTorch semantics (`torch.optim.Adam`, weight decay as L2 added to the gradient):
 * `g += wd·p; m = β1·m + (1−β1)·g; v = β2·v + (1−β2)·g²; p −= lr/(1−β1ᵗ) · m / (√v/√(1−β2ᵗ) + ε)`.
 *
 * @example
 * ```ts
 * const opt = adam({ name: 'adam', learningRate: 1e-3 })
 * ```
 * @category constructors
 */
export const adam = (config: AdamConfig): Optimizer => {
  const beta1 = config.beta1 ?? 0.9
  const beta2 = config.beta2 ?? 0.999
  const epsilon = config.epsilon ?? 1e-8
  const weightDecay = config.weightDecay ?? 0
  return {
    config,
    slotNames: ['m', 'v'],
    init: (params) => ({ step: 0, slots: new Map([['m', zerosLikeAll(params)], ['v', zerosLikeAll(params)]]) }),
    step: (params, grads, state, learningRate) => {
      const t = state.step + 1
      const stepSize = learningRate / (1 - beta1 ** t)
      const correction2Sqrt = Math.sqrt(1 - beta2 ** t)
      const nextParams = new Map<string, tf.Tensor>()
      const nextM = new Map<string, tf.Tensor>()
      const nextV = new Map<string, tf.Tensor>()
      tf.tidy(() => {
        for (const [name, p] of params) {
          const g0 = gradientOf(grads, name)
          const g = weightDecay === 0 ? g0 : tf.add(g0, tf.mul(p, weightDecay))
          const m = tf.add(tf.mul(slotOf(state, 'm', name), beta1), tf.mul(g, 1 - beta1))
          const v = tf.add(tf.mul(slotOf(state, 'v', name), beta2), tf.mul(tf.square(g), 1 - beta2))
          const denominator = tf.add(tf.div(tf.sqrt(v), correction2Sqrt), epsilon)
          nextParams.set(name, tf.keep(tf.sub(p, tf.mul(tf.div(m, denominator), stepSize))))
          nextM.set(name, tf.keep(m))
          nextV.set(name, tf.keep(v))
        }
      })
      return { params: nextParams, state: { step: t, slots: new Map([['m', nextM], ['v', nextV]]) } }
    },
  }
}

/**
 * The optimizer for a configuration.
 *
 * @example
 * ```ts
 * makeOptimizer({ name: 'adam', learningRate: 1e-3 }).slotNames // ['m', 'v']
 * ```
 * @category constructors
 */
export const makeOptimizer = (config: OptimizerConfig): Optimizer => (config.name === 'sgd' ? sgd(config) : adam(config))
