/**
 * Learning-rate schedules: the rate for a given epoch and iteration, as a pure function of the schedule and the
 * position in training, so a resumed run gets exactly the rates of an uninterrupted one.
 *
 * @module
 */

/**
 * A learning-rate schedule.
 *
 * - `constant`: the base rate throughout.
 * - `step`: `base · gamma^⌊epoch / stepSize⌋` (PyTorch `StepLR` stepped once per epoch).
 * - `cosine`: `min + (base − min)·(1 + cos(π·t/T))/2` (PyTorch `CosineAnnealingLR` with `T_max = T`). With
 *   `per: 'iteration'` (the default) `t` counts optimizer steps from the start of training and `T` is the total number
 *   of steps, so the rate falls smoothly within each epoch; with `per: 'epoch'`, `t` is the epoch index (0-based) and
 *   `T` the number of epochs, so the rate is constant within an epoch (PyTorch's usual `scheduler.step()` per epoch).
 *
 * @category Training
 */
export type Schedule =
  | { readonly kind: 'constant' }
  | { readonly kind: 'step'; readonly stepSize: number; readonly gamma: number }
  | { readonly kind: 'cosine'; readonly per?: 'iteration' | 'epoch'; readonly minRate?: number }

/**
 * The name of a schedule kind.
 *
 * @category Training
 */
export type ScheduleName = Schedule['kind']

/**
 * Where training is: the current epoch (0-based), the iteration within it (0-based), iterations per epoch and total
 * epochs.
 *
 * @category Training
 */
export interface TrainingPosition {
  readonly epoch: number
  readonly iteration: number
  readonly iterationsPerEpoch: number
  readonly epochs: number
}

/**
 * The learning rate at `position` for base rate `baseRate`.
 *
 * @example
 * ```ts
 * const at = (epoch: number) => ({ epoch, iteration: 0, iterationsPerEpoch: 10, epochs: 4 })
 * learningRate({ kind: 'step', stepSize: 2, gamma: 0.1 }, 1, at(2)) // 0.1
 * learningRate({ kind: 'cosine', per: 'epoch' }, 1, at(2))          // 0.5
 * ```
 * @category Training
 */
export const learningRate = (schedule: Schedule, baseRate: number, position: TrainingPosition): number => {
  switch (schedule.kind) {
    case 'constant':
      return baseRate
    case 'step':
      return baseRate * schedule.gamma ** Math.floor(position.epoch / schedule.stepSize)
    case 'cosine': {
      const minRate = schedule.minRate ?? 0
      const [t, total] =
        schedule.per === 'epoch'
          ? [position.epoch, position.epochs]
          : [position.epoch * position.iterationsPerEpoch + position.iteration, position.epochs * position.iterationsPerEpoch]
      const progress = total <= 0 ? 0 : Math.min(1, t / total)
      return minRate + ((baseRate - minRate) * (1 + Math.cos(Math.PI * progress))) / 2
    }
  }
}

/**
 * Parses a schedule name from the command line with conventional parameters: `step` = ×0.1 every ⌈epochs/3⌉ epochs,
 * `cosine` = per-iteration cosine to zero.
 *
 * @example
 * ```ts
 * defaultSchedule('step', 9) // { kind: 'step', stepSize: 3, gamma: 0.1 }
 * ```
 * @category Training
 */
export const defaultSchedule = (name: ScheduleName, epochs: number): Schedule => {
  switch (name) {
    case 'constant':
      return { kind: 'constant' }
    case 'step':
      return { kind: 'step', stepSize: Math.max(1, Math.ceil(epochs / 3)), gamma: 0.1 }
    case 'cosine':
      return { kind: 'cosine', per: 'iteration' }
  }
}
