/**
 * Type-level formatting of dims and shapes for error messages, and the error types the checks produce.
 * @module
 */
import type { Dim, Named } from './dim.js'
import type { GenericDimText } from './window.js'

/**
 * A dim as text: `224`, `N`, `?` for unknown, and inside a generic block the size's formula over the block input's
 * dims (`H`, `⌈H/2⌉`; see `GenericDimText` in src/shape/window.ts).
 * @category Shape types
 */
export type FormatDim<D> = Inv<D> extends Inv<(infer _ extends IndexedSize)[infer _K extends number | 'out']>
  ? GenericDimText<D, PlainDimText<D>>
  : PlainDimText<D>

/** A literal, named or unknown dim as text. */
type PlainDimText<D> = D extends Named<infer Name> ? Name : D extends number ? (number extends D ? '?' : `${D}`) : '?'

/** An invariant wrapper, so that the test above is decided at once for a generic block's sizes. */
interface Inv<in out X> {
  readonly inv: X
}

/** What a size inside a generic block is read from (as in `GenericDimText` in src/shape/window.ts). */
interface IndexedSize {
  readonly [k: number]: unknown
  readonly out?: unknown
}

/**
 * A shape as text, as PyTorch users read it: `[N,64,56,56]`.
 * @category Shape types
 */
export type FormatShape<S extends readonly unknown[]> = `[${JoinDims<S>}]`

type JoinDims<S extends readonly unknown[]> = S extends readonly [infer H, ...infer R]
  ? R extends readonly []
    ? FormatDim<H>
    : `${FormatDim<H>},${JoinDims<R>}`
  : ''

/**
 * A compile-time shape error. The message is a property *name*, so tsc and editors print it verbatim:
 * `Property '"⛔ linear: expected 6400 input features, got 4096"' is missing in type ...`.
 * @category Shape types
 */
export type ShapeCheckFailed<Message extends string> = { readonly [K in `⛔ ${Message}`]: never }

/**
 * `unknown` when dims `A` and `B` may be equal (same literal, same name, or either unknown), else `false`.
 * @category Advanced
 */
export type DimsAgree<A, B> = [A] extends [B]
  ? [B] extends [A]
    ? true
    : IsUnknownDim<A> extends true
      ? true
      : IsUnknownDim<B>
  : IsUnknownDim<A> extends true
    ? true
    : IsUnknownDim<B>

type IsUnknownDim<D> = [D] extends [Dim] ? (number extends D ? true : false) : false
