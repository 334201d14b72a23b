/**
 * Training defaults that hold for every model: the type of a model's defaults, the generic values and the default
 * rate of each optimizer. The per-model values live with the models, in the zoo's registry
 * (`trainDefaults(model)` in src/zoo/registry.ts), so the table is keyed by `ModelName` and this room never imports
 * the zoo.
 *
 * @module
 */
import type { OptimizerName } from './optimizers.js'

/**
 * Default hyper-parameters of one model.
 *
 * @category Training
 */
export interface TrainDefaults {
  readonly optimizer: OptimizerName
  readonly learningRate: number
  readonly batchSize: number
  readonly epochs: number
}

/**
 * Defaults for models whose zoo entry sets none (each model's overrides are in the zoo's registry).
 *
 * @category Training
 */
export const genericTrainDefaults: TrainDefaults = { optimizer: 'adam', learningRate: 1e-3, batchSize: 128, epochs: 2 }

/**
 * The default learning rate of an optimizer when `--optimizer` differs from the model's default one
 * (Adam 0.001, SGD with momentum 0.05).
 *
 * @category Training
 */
export const optimizerDefaultRates: Readonly<Record<OptimizerName, number>> = { adam: 1e-3, sgd: 0.05 }
