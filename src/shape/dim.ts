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
 * @category Shape types
 */
export interface Named<Name extends string = string> {
  /** The dim's name, shown in shapes and messages. */
  readonly dimName: Name
}

/**
 * The symbolic batch dimension, as in PyTorch's `N × C × H × W`.
 * @category Shape types
 */
export interface N extends Named<'N'> {}

/**
 * One dimension of a shape: a size literal, a {@link Named} dim, or `number` when unknown.
 * @category Shape types
 */
export type Dim = number | Named

/**
 * A shape: a tuple of dims, NCHW for images.
 * @category Shape types
 */
export type Shape = Dim[]

/**
 * A 4-D image batch shape `[N, C, H, W]`: the constraint of generic blocks (`<S extends Shape4>`).
 *
 * Reading `S[2]` gives a {@link Dim}; *writing* one is typed `never`. That is deliberate: TypeScript accepts any value
 * of an indexed access's constraint where `S[2]` is expected (for a tuple `[Dim, Dim, Dim, Dim]` that is every
 * `Dim`), so inside a generic block a strided path's size was assignable to the input's `S[2]` in one direction
 * and `add(a, b)` accepted what `add(b, a)` rejected. With write type `never`, a generic `S[2]` only ever equals
 * itself, in either order.
 * @category Shape types
 */
export interface Shape4 extends Array<Dim> {
  /** The batch N. */
  get 0(): Dim
  /** Writing is typed `never` (see above). */
  set 0(d: never)
  /** The channels C. */
  get 1(): Dim
  /** Writing is typed `never` (see above). */
  set 1(d: never)
  /** The height H. */
  get 2(): Dim
  /** Writing is typed `never` (see above). */
  set 2(d: never)
  /** The width W. */
  get 3(): Dim
  /** Writing is typed `never` (see above). */
  set 3(d: never)
  readonly length: 4
}

/**
 * The plain 4-D tuple that layers use as their input constraint. Checking a concrete shape against it is cheap (a
 * tuple against a tuple); the write guard of {@link Shape4} matters where users declare generic blocks, and a
 * user's `S extends Shape4` passes into layers unchanged.
 * @category Shape types
 */
export type Shape4Tuple = [Dim, Dim, Dim, Dim]

/**
 * A size derived from a named dim by conv/pool windows, in normal form: ⌊(Base + A)/T⌋ + 1 for integers A and
 * T ≥ 1 (PyTorch's window rule, composed). `Text` is the readable formula shown in hovers and messages
 * (`⌈H/2⌉`, `⌊(H−1)/4⌋`, `H−2`); it is canonical, so two derived dims are the same size for every value of the
 * base exactly when their texts (equivalently their `form`s) are equal.
 * @category Shape types
 */
export interface Sym<Text extends string = string, Base extends string = string, A extends number = number, T extends number = number>
  extends Named<Text> {
  /** The normal form `[base name, A, T]`. */
  readonly form: readonly [Base, A, T]
}

/**
 * Creates the runtime value of a named dim: `dim('H')` is a `Named<'H'>`; with an interface of its own
 * (`interface B extends Named<'B'> {}`, `dim<B>('B')`) hovers print the dim as `B` rather than `Named<"B">`.
 * @example
 * ```ts
 * const H = dim('H')
 * interface B extends Named<'B'> {}
 * const B = dim<B>('B')
 * const y = pipe(input([B, 3, H, H]), conv2d({ out: 8, kernel: 3, stride: 2, padding: 1 }))
 * //    ^? Tensor<[B, 8, Sym<"⌈H/2⌉", "H", -1, 2>, Sym<"⌈H/2⌉", "H", -1, 2>]>
 * ```
 * @category Shape types
 */
export function dim<const Name extends string>(name: Name): Named<Name>
export function dim<D extends Named>(name: D['dimName']): D
export function dim(name: string): Named {
  return Object.freeze({ dimName: name })
}

/**
 * The batch dim's runtime value, used as `input([N, 1, 28, 28])`.
 * @category Shape types
 */
export const N: N = dim<N>('N')

/**
 * True when a runtime dim is a {@link Named} dim.

 * @example
 * ```ts
 * import { isNamed, N } from 'shapesafe'
 * isNamed(N) // true
 * isNamed(28) // false
 * ```
 * @category Shape types
 */
export function isNamed(d: unknown): d is Named {
  return typeof d === 'object' && d !== null && typeof (d as Named).dimName === 'string'
}

/**
 * Formats a runtime dim as in messages: `N`, `224`.

 * @example
 * ```ts
 * import { formatDim, N } from 'shapesafe'
 * formatDim(N) // 'N'
 * formatDim(224) // '224'
 * ```
 * @category Shape types
 */
export function formatDim(d: Dim): string {
  return isNamed(d) ? d.dimName : String(d)
}

/**
 * Formats a runtime shape as in messages: `[N,64,56,56]`.

 * @example
 * ```ts
 * import { formatShape, N } from 'shapesafe'
 * formatShape([N, 64, 56, 56]) // '[N,64,56,56]'
 * ```
 * @category Shape types
 */
export function formatShape(s: readonly Dim[]): string {
  return `[${s.map(formatDim).join(',')}]`
}

/**
 * Two runtime dims are the same dim (equal sizes, or the same name).

 * @example
 * ```ts
 * import { dim, N, sameDim, type Named } from 'shapesafe'
 * interface B extends Named<'B'> {}
 * const B = dim<B>('B')
 * sameDim(N, N) // true
 * sameDim(N, B) // false
 * sameDim(N, 8) // false: a named dim is never a size
 * ```
 * @category Shape types
 */
export function sameDim(a: Dim, b: Dim): boolean {
  return isNamed(a) || isNamed(b) ? isNamed(a) && isNamed(b) && a.dimName === b.dimName : a === b
}
