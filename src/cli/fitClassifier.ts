/**
 * `--fit-classifier`: the explicit opt-in that sizes the first Linear of the seed's AlexNet and VGGs to the input, so
 * they train and run at another `--resize` on purpose (a variant with other parameters than the seed's). Shared by
 * `train`, `compare`, `run`, `summary` and `export`.
 * @module
 */
import type { ZooEntry } from '../zoo/registry.js'
import { fitClassifierNets } from '../zoo/registry.js'
import { booleanFlag } from './args.js'
import { CliError } from './io.js'

/**
 * The flag.
 *
 * @category flags
 */
export const fitClassifierFlag = booleanFlag(
  "alexnet, vgg11…vgg19 at another size: the first Linear takes its width from the input (a variant with other parameters than the seed's)",
)

/**
 * A usage error when `--fit-classifier` is given for a model that does not take it, naming those that do.
 *
 * @category resolution
 */
export const requireFitClassifierTaken = (modelName: string, entry: Pick<ZooEntry, 'takesFitClassifier'>, flags: { readonly 'fit-classifier'?: boolean }): void => {
  if (flags['fit-classifier'] === true && !entry.takesFitClassifier)
    throw new CliError(
      `--fit-classifier applies to the nets whose first Linear has a fixed width (${fitClassifierNets().join(', ')}), not ${modelName}; drop the flag`,
      2,
    )
}

/**
 * A model's name as tables, plots and progress lines show it: `alexnet`, or `alexnet (--fit-classifier)` for the
 * variant whose first Linear was sized to the input.
 *
 * @category formatting
 */
export const runLabel = (r: { readonly model: string; readonly fitClassifier?: boolean }): string =>
  r.fitClassifier === true ? `${r.model} (--fit-classifier)` : r.model

/**
 * The hint appended to a "cannot take input" message: names the flag when `entry` would take `input` with its first
 * Linear sized to it; else ''.
 *
 * @category formatting
 */
export const fitClassifierHint = (entry: ZooEntry, input: readonly [number, number, number, number], classes: number): string => {
  if (!entry.takesFitClassifier) return ''
  try {
    entry.graph({ input, classes, fitClassifier: true })
  } catch {
    return ''
  }
  return ` (add --fit-classifier to size its first Linear to this input: a variant with other parameters than the seed's)`
}
