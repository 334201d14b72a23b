/**
 * What every layer shares: a layer is a function from a traced tensor to a traced tensor, carrying its kind and
 * options as data so the same value can be inspected and interpreted at run time.
 * @module
 */
import { LayerOptionsError, ShapeError } from '../shape/errors.js'

export { LayerOptionsError, ShapeError }
import { closestMatch } from '../util/editDistance.js'
export { concreteSize, emit, expectRank } from '../graph/emit.js'

/**
 * The data a layer value carries besides being callable.
 * @category Advanced
 */
export interface LayerInfo<K extends string = string, O = unknown> {
  /** The layer kind, e.g. `'conv2d'`. */
  readonly kind: K
  /** The options the layer was configured with. */
  readonly options: O
}

/**
 * Attaches kind and options to a layer function.
 * @category Advanced
 */
export function defineLayer<F extends (...args: never[]) => unknown, K extends string, O>(kind: K, options: O, fn: F): F & LayerInfo<K, O> {
  return Object.assign(fn, { kind, options: Object.freeze(options) })
}

/**
 * Normalises a number-or-pair option to a pair.
 * @category Advanced
 */
export function pair(v: number | readonly [number, number] | undefined, fallback: number): readonly [number, number] {
  if (v === undefined) return [fallback, fallback]
  return typeof v === 'number' ? [v, v] : [v[0], v[1]]
}

/**
 * Checks a positive-integer option at layer creation.
 * @category Advanced
 */
export function positiveInts(layer: string, name: string, values: readonly number[]): void {
  for (const v of values) {
    if (!Number.isInteger(v) || v < 1) throw new LayerOptionsError(`${layer}: ${name} must be a positive integer, got ${v}`)
  }
}

/**
 * Checks a non-negative-integer option at layer creation.
 * @category Advanced
 */
export function naturalInts(layer: string, name: string, values: readonly number[]): void {
  for (const v of values) {
    if (!Number.isInteger(v) || v < 0) throw new LayerOptionsError(`${layer}: ${name} must be a non-negative integer, got ${v}`)
  }
}

/** PyTorch's (and TensorFlow.js layers') argument names that shapesafe spells differently, for "did you mean" (`kernel_size` → `kernel`, `rate` → `p`). */
const pytorchNameTable = {
  kernel_size: 'kernel',
  in_channels: 'in',
  out_channels: 'out',
  in_features: 'in',
  out_features: 'out',
  num_features: 'features',
  output_size: 'output',
  num_classes: 'classes',
  ceil_mode: 'ceilMode',
  count_include_pad: 'countIncludePad',
  strides: 'stride',
  // TensorFlow.js layers (Keras) names, which users of the runtime's engine write too: `rate` would otherwise be
  // closest to `name`.
  rate: 'p',
  filters: 'out',
  kernelSize: 'kernel',
  poolSize: 'kernel',
  units: 'out',
  useBias: 'bias',
} as const

/**
 * {@link pytorchNameTable}'s names as a type: the compile-time check of unknown option keys (`KnownOptionKeys` in
 * src/layers/checks.ts) gives the same hint as {@link checkOptionKeys}.
 */
export type PyTorchOptionNames = typeof pytorchNameTable

const pytorchNames: Readonly<Record<string, string>> = pytorchNameTable

const squash = (key: string) => key.toLowerCase().replace(/_/g, '')

/**
 * Throws a {@link LayerOptionsError} naming the layer, the key and the closest valid key when `options` has a key the
 * layer does not know: a misspelt option is a type error in TypeScript, but JavaScript callers (and `as any`) would
 * otherwise get the default silently (`kernel_size: 11` → a 1×1 kernel); then, when one of `required` is missing,
 * `<layer>: <key> is required` (the compile-time verdicts of `KnownOptionKeys`, in the same order).
 * @example
 * ```ts
 * checkOptionKeys('conv2d', { out: 8, kernel_size: 3 }, ['out', 'kernel']) // conv2d: unknown option 'kernel_size' (did you mean 'kernel'?) …
 * ```
 * @category Advanced
 */
export function checkOptionKeys(layer: string, options: object, known: readonly string[], required: readonly string[] = []): void {
  if (typeof options !== 'object' || options === null) throw new LayerOptionsError(`${layer}: options must be an object, got ${String(options)}`)
  for (const key of Object.keys(options)) {
    if (known.includes(key)) continue
    const alias = pytorchNames[key]
    const squashed = known.map(squash)
    const near = closestMatch(squash(key), squashed)
    const guess = alias !== undefined && known.includes(alias) ? alias : near === undefined ? undefined : known[squashed.indexOf(near)]
    const suggestion = guess === undefined ? '' : ` (did you mean '${guess}'?)`
    throw new LayerOptionsError(`${layer}: unknown option '${key}'${suggestion}; its options are ${known.join(', ')}`)
  }
  for (const key of required) {
    if ((options as Record<string, unknown>)[key] === undefined) throw new LayerOptionsError(`${layer}: ${key} is required`)
  }
}
