/**
 * Joining branches: channel concatenation (Inception, DenseNet) and elementwise addition (ResNet), their shape rules
 * and their ops. The combinators build on them; `shapesafe`'s layers re-export them.
 *
 * Two dims are compared with {@link DimVerdict}: literals by value, named and derived dims (`H`, `⌈H/2⌉`) by
 * their normal form, type parameters of a generic block by identity. Inside a generic block two sizes that are not
 * the same type expression cannot be proved equal by TypeScript; `add` and `concat` then report it on the spot
 * (`cannot prove equal inside a generic block`), while `residual`, `parallel` and `denseBlock` defer the check to
 * where the block is applied to numbers.
 * @module
 */
import type { Add } from '../shape/arithmetic.js'
import type { Dim, Named, Shape, Shape4 } from '../shape/dim.js'
import { formatShape, sameDim } from '../shape/dim.js'
import type { FormatDim, FormatShape, ShapeCheckFailed } from '../shape/format.js'
import type { Tensor } from './tensor.js'
import { concreteSize, emit, expectRank, ShapeError } from './emit.js'

/**
 * Sum of channel dims; `number` if any is unknown.
 * @category Advanced
 */
export type SumDims<Cs extends readonly unknown[], Acc extends number = 0> = Cs extends readonly [infer H, ...infer R]
  ? H extends number
    ? SumDims<R, Add<Acc, H>>
    : number
  : Acc

/**
 * `unknown` if all tensors agree on N, H and W, else the first disagreement, e.g. `concat: H differs (28 vs 14)`.
 * @category Advanced
 */
export type ConcatCheck<Ss extends readonly Shape4[]> = Ss extends readonly [infer F extends Shape4, ...infer R extends Shape4[]]
  ? ConcatAgainst<F, R>
  : unknown

type ConcatAgainst<F extends Shape4, R extends Shape4[]> = R extends [infer X extends Shape4, ...infer Rest extends Shape4[]]
  ? DimVerdict<F[0], X[0]> extends 'same'
    ? DimVerdict<F[2], X[2]> extends 'same'
      ? DimVerdict<F[3], X[3]> extends 'same'
        ? ConcatAgainst<F, Rest>
        : DimFailure<'concat', 'W', F[3], X[3]>
      : DimFailure<'concat', 'H', F[2], X[2]>
    : DimFailure<'concat', 'N', F[0], X[0]>
  : unknown

/**
 * How two dims compare: `'same'` (equal literals, the same name or formula, the same type parameter, or either
 * unknown), `'differ'` (known to differ), or `'unproven'` (a type parameter of a generic block against a different
 * expression: equal for some inputs perhaps, but not provably for all).
 * @category Combinators
 */
export type DimVerdict<A, B> = Same<A> extends Same<B>
  ? 'same'
  : IsUnknownDim<A> extends true
    ? 'same'
    : IsUnknownDim<B> extends true
      ? 'same'
      : Concrete<A> extends true
        ? Concrete<B> extends true
          ? 'differ'
          : 'unproven'
        : 'unproven'

/** The failure for a dim pair that is not `'same'`. */
type DimFailure<Op extends string, Axis extends string, A, B> = DimVerdict<A, B> extends 'differ'
  ? ShapeCheckFailed<`${Op}: ${Axis} differs (${FormatDim<A>} vs ${FormatDim<B>})`>
  : ShapeCheckFailed<`${Op}: ${Axis} cannot be proved equal inside a generic block (two different size formulas); use residual/parallel, which check it where the block is applied`>

/** A literal, `number` or a named/derived dim: not a type parameter. */
type Concrete<D> = [D] extends [number] ? true : [D] extends [Named] ? true : false

interface Same<in out T> {
  readonly same: T
}

type IsUnknownDim<D> = [D] extends [number] ? (number extends D ? true : false) : false

type ShapesOf<Ts extends readonly Tensor[]> = { [K in keyof Ts]: Ts[K] extends Tensor<infer S extends Shape4> ? S : never }
type ChannelsOf<Ts extends readonly Tensor[]> = { [K in keyof Ts]: Ts[K] extends Tensor<infer S extends Shape4> ? S[1] : never }

/**
 * Concatenates image tensors along channels (dim 1), as PyTorch's `torch.cat(xs, dim=1)` (cat). N, H and W must agree.
 *
 * Shape rule: `[N, C1, H, W] … [N, Ck, H, W] → [N, C1+…+Ck, H, W]`.
 * @example
 * ```ts
 * concat(a, b) // a: Tensor<[N, 64, 28, 28]>, b: Tensor<[N, 32, 28, 28]> → Tensor<[N, 96, 28, 28]>
 * ```
 * @category Combinators
 */
export function concat<B extends Dim, C0 extends Dim, H extends Dim, W extends Dim, const Cs extends Dim[]>(
  first: Tensor<[B, C0, H, W]>,
  ...rest: { [K in keyof Cs]: Tensor<[NoInfer<B>, Cs[K], NoInfer<H>, NoInfer<W>]> }
): Tensor<[B, SumDims<[C0, ...Cs]>, H, W]>
export function concat<const Ts extends Tensor<Shape4>[]>(
  ...xs: Ts & ConcatCheck<ShapesOf<Ts>>
): Tensor<[ShapesOf<Ts>[0][0], SumDims<ChannelsOf<Ts>>, ShapesOf<Ts>[0][2], ShapesOf<Ts>[0][3]]>
export function concat(...xs: Tensor<Shape4>[]): Tensor<Shape4> {
  if (xs.length === 0) throw new ShapeError('concat', 'at least one tensor', 'none')
  for (const x of xs) expectRank('concat', x.shape, 4, 'input [N, C, H, W]')
  const [f] = xs
  for (const x of xs.slice(1)) {
    for (const [axis, name] of [[0, 'N'], [2, 'H'], [3, 'W']] as const) {
      if (!sameDim(f.shape[axis], x.shape[axis])) {
        throw new ShapeError('concat', `equal ${name}`, `${formatShape(f.shape)} vs ${formatShape(x.shape)}`, `concat: ${name} differs (${formatShape(f.shape)} vs ${formatShape(x.shape)})`)
      }
    }
  }
  const channels = xs.reduce((sum, x) => sum + concreteSize('concat', x.shape[1], 'channel count'), 0)
  return emit(xs, { kind: 'concat' }, [f.shape[0], channels, f.shape[2], f.shape[3]], { numbered: false }) as Tensor<Shape4>
}

/**
 * `unknown` when shapes `A` and `B` are equal, else `add: [N,64,56,56] vs [N,128,28,28]`.
 * @category Combinators
 */
export type AddCheck<A extends Shape, B extends Shape> = ShapesVerdict<A, B> extends 'same'
  ? unknown
  : ShapesVerdict<A, B> extends 'differ'
    ? ShapeCheckFailed<`add: ${FormatShape<A>} vs ${FormatShape<B>}`>
    : ShapeCheckFailed<`add: ${FormatShape<A>} vs ${FormatShape<B>} cannot be proved equal inside a generic block (two different size formulas); use residual, which checks it where the block is applied`>

/**
 * {@link DimVerdict} over whole shapes: `'differ'` for different ranks or any differing dim.
 * @category Combinators
 */
export type ShapesVerdict<A extends readonly unknown[], B extends readonly unknown[]> = A extends readonly [infer a, ...infer ar]
  ? B extends readonly [infer b, ...infer br]
    ? DimVerdict<a, b> extends 'same'
      ? ShapesVerdict<ar, br>
      : DimVerdict<a, b> extends 'differ'
        ? 'differ'
        : ShapesVerdict<ar, br> extends 'differ'
          ? 'differ'
          : 'unproven'
    : 'differ'
  : B extends readonly []
    ? 'same'
    : 'differ'

/**
 * Elementwise sum of two tensors of equal shape: the residual connection.
 *
 * Shape rule: `S + S → S`; unequal shapes are an error, e.g. `add: [N,64,56,56] vs [N,128,28,28]`.
 * @example
 * ```ts
 * add(mainPath, shortcut) // both Tensor<[N, 64, 56, 56]>
 * ```
 * @category Combinators
 */
export function add<S extends Shape>(a: Tensor<S>, b: Tensor<NoInfer<S>>): Tensor<S>
export function add<A extends Shape, B extends Shape>(a: Tensor<A>, b: Tensor<B> & AddCheck<A, B>): Tensor<A>
export function add(a: Tensor, b: Tensor): Tensor {
  const same = a.shape.length === b.shape.length && a.shape.every((d, i) => sameDim(d, b.shape[i]))
  if (!same) throw new ShapeError('add', formatShape(a.shape), formatShape(b.shape), `add: ${formatShape(a.shape)} vs ${formatShape(b.shape)}`)
  return emit([a, b], { kind: 'add' }, a.shape, { numbered: false })
}
