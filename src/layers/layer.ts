/**
 * What every layer shares: a layer is a function from a traced tensor to a traced tensor, carrying its kind and
 * options as data so the same value can be inspected and interpreted at run time.
 * @module
 */
import { LayerOptionsError, ShapeError } from '../shape/errors.js'

export { LayerOptionsError, ShapeError }
export { concreteSize, emit, expectRank } from '../graph/emit.js'

/** The data a layer value carries besides being callable. */
export interface LayerInfo<K extends string = string, O = unknown> {
  /** The layer kind, e.g. `'conv2d'`. */
  readonly kind: K
  /** The options the layer was configured with. */
  readonly options: O
}

/** Attaches kind and options to a layer function. */
export function defineLayer<F extends (...args: never[]) => unknown, K extends string, O>(kind: K, options: O, fn: F): F & LayerInfo<K, O> {
  return Object.assign(fn, { kind, options: Object.freeze(options) })
}

/** Normalises a number-or-pair option to a pair. */
export function pair(v: number | readonly [number, number] | undefined, fallback: number): readonly [number, number] {
  if (v === undefined) return [fallback, fallback]
  return typeof v === 'number' ? [v, v] : [v[0], v[1]]
}

/** Checks a positive-integer option at layer creation. */
export function positiveInts(layer: string, name: string, values: readonly number[]): void {
  for (const v of values) {
    if (!Number.isInteger(v) || v < 1) throw new LayerOptionsError(`${layer}: ${name} must be a positive integer, got ${v}`)
  }
}

/** Checks a non-negative-integer option at layer creation. */
export function naturalInts(layer: string, name: string, values: readonly number[]): void {
  for (const v of values) {
    if (!Number.isInteger(v) || v < 0) throw new LayerOptionsError(`${layer}: ${name} must be a non-negative integer, got ${v}`)
  }
}
