/**
 * What every layer shares: a layer is a function from a traced tensor to a traced tensor, carrying its kind and
 * options as data so the same value can be inspected and interpreted at run time.
 * @module
 */
import type { Dim } from '../shape/dim.js'
import { formatShape, isNamed } from '../shape/dim.js'
import type { Node, Op, ParamSpec } from '../graph/ir.js'
import { tensorOf, tracerOf, type Tensor } from '../graph/tensor.js'
import { LayerOptionsError, ShapeError } from '../shape/errors.js'

export { LayerOptionsError, ShapeError }

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

/** Records one node for a layer applied to `inputs` and returns its output tensor. */
export function emit(
  inputs: readonly Tensor[],
  op: Op,
  shape: readonly Dim[],
  opts: { readonly name?: string; readonly numbered?: boolean; readonly params?: (path: string) => readonly ParamSpec[] } = {},
): Tensor {
  const tracer = tracerOf(inputs[0])
  for (const t of inputs.slice(1)) {
    if (tracerOf(t) !== tracer) throw new ShapeError(op.kind, 'tensors traced from the same input', 'tensors from different inputs')
  }
  const path = opts.numbered === false && opts.name === undefined ? tracer.helperPath(op.kind) : tracer.childPath(opts.name)
  const nodes: Node[] = inputs.map((t) => t.node)
  const node = tracer.add(op, nodes, shape, path, opts.params?.(path) ?? [])
  return tensorOf(tracer, node)
}

/** Asserts a runtime shape has the given rank; throws a {@link ShapeError} naming the layer. */
export function expectRank(layer: string, shape: readonly Dim[], rank: number, what: string): void {
  if (shape.length !== rank) throw new ShapeError(layer, `a ${rank}-D ${what}`, `${formatShape(shape)}`)
}

/** A concrete spatial size from a runtime dim, or a {@link ShapeError}. */
export function concreteSize(layer: string, d: Dim, axis: string): number {
  if (isNamed(d)) throw new ShapeError(layer, `a concrete ${axis}`, `symbolic ${d.dimName}`)
  return d
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
