/**
 * Dimensions: a literal size (`224`), a named symbolic dim (the batch `N`, or one you declare), or `number` (unknown).
 * @module
 */

/**
 * A named symbolic dimension. Declare your own as an interface so editors show its name:
 * @example
 * ```ts
 * import { dim, type Named } from 'shapesafe'
 * interface T extends Named<'T'> {}
 * const T = dim<T>('T')
 * ```
 */
export interface Named<Name extends string = string> {
  /** The dim's name, shown in shapes and messages. */
  readonly dimName: Name
}

/** The symbolic batch dimension, as in PyTorch's `N × C × H × W`. */
export interface N extends Named<'N'> {}

/** One dimension of a shape: a size literal, a {@link Named} dim, or `number` when unknown. */
export type Dim = number | Named

/** A shape: a tuple of dims, NCHW for images. */
export type Shape = Dim[]

/** A 4-D image batch shape `[N, C, H, W]`. */
export type Shape4 = [Dim, Dim, Dim, Dim]

/**
 * Creates the runtime value of a named dim.
 * @example
 * ```ts
 * interface B extends Named<'B'> {}
 * const B = dim<B>('B')
 * ```
 */
export function dim<D extends Named>(name: D['dimName']): D {
  return Object.freeze({ dimName: name }) as D
}

/** The batch dim's runtime value, used as `input([N, 1, 28, 28])`. */
export const N: N = dim<N>('N')

/** True when a runtime dim is a {@link Named} dim. */
export function isNamed(d: unknown): d is Named {
  return typeof d === 'object' && d !== null && typeof (d as Named).dimName === 'string'
}

/** Formats a runtime dim as in messages: `N`, `224`. */
export function formatDim(d: Dim): string {
  return isNamed(d) ? d.dimName : String(d)
}

/** Formats a runtime shape as in messages: `[N,64,56,56]`. */
export function formatShape(s: readonly Dim[]): string {
  return `[${s.map(formatDim).join(',')}]`
}

/** Two runtime dims are the same dim (equal sizes, or the same name). */
export function sameDim(a: Dim, b: Dim): boolean {
  return isNamed(a) || isNamed(b) ? isNamed(a) && isNamed(b) && a.dimName === b.dimName : a === b
}
