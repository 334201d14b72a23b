/**
 * Joining branches: channel concatenation (Inception, DenseNet) and elementwise addition (ResNet), their shape rules
 * and their ops. The combinators build on them; `shapesafe`'s layers re-export them.
 *
 * Two dims are compared with {@link DimVerdict}: literals by value, named and derived dims (`H`, `⌈H/2⌉`) by
 * their normal form, and sizes inside a generic block by the normal form of their chain of windows over the block's
 * input, so equal sizes are accepted however they are written and in either order. What cannot be decided inside a
 * block (sizes over different inputs) passes there; `residual`, `parallel` and `denseBlock` decide it where the
 * block is applied to numbers.
 * @module
 */
import type { Add } from '../shape/arithmetic.js'
import type { Dim, Named, Shape, Shape4 } from '../shape/dim.js'
import { formatShape, sameDim } from '../shape/dim.js'
import type { FormatDim, FormatShape, ShapeCheckFailed } from '../shape/format.js'
import type { FailKey } from '../shape/verdict.js'
import type { InvalidDim, WindowForm } from '../shape/window.js'
import type { Tensor } from './tensor.js'
import { concreteSize, emit, ShapeError } from './emit.js'

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
 * Each axis is its own verdict, so a pair that cannot be decided yet (inside a generic block) passes while a pair
 * that is known to differ still fails.
 * @category Advanced
 */
export type ConcatCheck<Ss extends readonly (readonly unknown[])[]> = Ss extends readonly [infer F extends readonly unknown[], ...infer R extends (readonly unknown[])[]]
  ? ConcatAgainst<F, R>
  : unknown

type ConcatAgainst<F extends readonly unknown[], R extends (readonly unknown[])[]> = R extends [infer X extends readonly unknown[], ...infer Rest extends (readonly unknown[])[]]
  ? ConcatAxis<'N', F[0], X[0]> & ConcatAxis<'H', F[2], X[2]> & ConcatAxis<'W', F[3], X[3]> & ConcatAgainst<F, Rest>
  : unknown

type ConcatAxis<Axis extends string, A, B> = ConcatTable<Axis, A, B>[DifferKey<A, B>]

/** The verdicts of {@link ConcatCheck}; the message is an interface member, so it is only built when the check fails. */
interface ConcatTable<Axis extends string, A, B> {
  readonly [n: number]: unknown
  readonly 0: ShapeCheckFailed<`concat: ${Axis} differs (${FormatDim<A>} vs ${FormatDim<B>})`>
}

/**
 * How two dims compare: `'same'` or `'differ'`, or left undecided (a deferred type) when that needs numbers.
 *
 * Literals compare by value, named and derived dims (`H`, `⌈H/2⌉`) by their normal form, `number` (unknown) agrees
 * with anything. Inside a generic block a size is a chain of windows over a dim of the block's input (`S[2]`); its
 * normal form (`WindowForm` in src/shape/window.ts: ⌊(S[2] + a)/s⌋ + 1) decides the comparison however the chain is written (two
 * stride-2 convs and one stride-4 conv with matching offsets are the same size; a stride-1 and a stride-2 path
 * differ). Sizes over different bases (`S[2]` against `S[3]`, or against a literal) stay undecided: the checks built
 * on this pass them inside the block, and decide them where the block is applied to numbers.
 * @category Combinators
 */
export type DimVerdict<A, B> = FormVerdict<WindowForm<A>, WindowForm<B>>

type FormVerdict<FA, FB> = Same<FA> extends Same<FB>
  ? 'same'
  : FA extends readonly [infer BA, infer AA, infer TA]
  ? FB extends readonly [infer BB, infer AB, infer TB]
    ? Same<BA> extends Same<BB>
      ? Same<[AA, TA]> extends Same<[AB, TB]>
        ? 'same'
        : 'differ'
      : IsUnknownDim<BA> extends true
        ? 'same'
        : IsUnknownDim<BB> extends true
          ? 'same'
          : 'differ'
    : never
  : never

/**
 * `0` (fail) when dims `A` and `B` are known to differ, `number` (pass) when equal, undecided otherwise.
 * @category Combinators
 */
export type DifferKey<A, B> = FailKey<DimVerdict<A, B> extends 'differ' ? true : false> & number

interface Same<in out T> {
  readonly same: T
}

type IsUnknownDim<D> = [D] extends [number] ? (number extends D ? true : false) : false

type ShapesOf<Ts extends readonly Tensor[]> = { [K in keyof Ts]: Ts[K] extends Tensor<infer S extends Shape4> ? S : never }
type ChannelsOf<Ts extends readonly Tensor[]> = { [K in keyof Ts]: Ts[K] extends Tensor<infer S extends Shape4> ? S[1] : never }

/**
 * Concatenates image tensors along channels (dim 1), as PyTorch's `torch.cat(xs, dim=1)` (cat). N, H and W must agree.
 *
 * Shape rule: `[N, C1, H, W] … [N, Ck, H, W] → [N, C1+…+Ck, H, W]`; an operand of another rank is an error naming
 * them all, e.g. `concat: expects [N, C, H, W] tensors, got [N,16,8,8] and [N,1024]`.
 * @example
 * ```ts
 * declare const a: Tensor<[N, 64, 28, 28]>
 * declare const b: Tensor<[N, 32, 28, 28]>
 * concat(a, b) // Tensor<[N, 96, 28, 28]>
 * ```
 * @category Combinators
 */
export function concat<S extends Shape4, const Cs extends Dim[]>(
  first: Tensor<S>,
  ...rest: ConcatRest<S[0], Cs, S[2], S[3]>
): Tensor<[S[0], SumDims<[S[1], ...Cs]>, S[2], S[3]]>
export function concat<const Ts extends Tensor<Shape4>[]>(
  ...xs: Ts & ConcatCheck<ShapesOf<Ts>>
): Tensor<[ShapesOf<Ts>[0][0], SumDims<ChannelsOf<Ts>>, ShapesOf<Ts>[0][2], ShapesOf<Ts>[0][3]]>
export function concat<const Ts extends Tensor[]>(...xs: Ts & ConcatRanks<ShapesOfAny<Ts>>): Tensor<Shape4>
export function concat(...xs: Tensor[]): Tensor<Shape4> {
  if (xs.length === 0) throw new ShapeError('concat', 'at least one tensor', 'none')
  if (xs.some((x) => x.shape.length !== 4)) {
    const got = xs.map((x) => formatShape(x.shape))
    throw new ShapeError('concat', '[N, C, H, W] tensors', got.join(', '), concatRankMessage(got))
  }
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
 * The verdict of {@link ConcatRanks} as the run-time trace words it: `concat: expects [N, C, H, W] tensors, got
 * [N,16,8,8] and [N,1024]`.
 */
function concatRankMessage(shapes: readonly string[]): string {
  const list = shapes.length === 1 ? shapes[0] : `${shapes.slice(0, -1).join(', ')} and ${shapes[shapes.length - 1]}`
  return `concat: expects [N, C, H, W] tensors, got ${list}`
}

/**
 * The checks of {@link concat}'s last overload, which only a call the others refuse reaches: first the rank, `concat:
 * expects [N, C, H, W] tensors, got [N,16,8,8] and [N,1024]` (every operand, in order) when a shape is not 4-D (keyed
 * by each shape's `length`, so a generic block's `S extends Shape4` passes it), then the N, H and W checks of {@link
 * ConcatCheck}, so that the verdict of a refused call is the one this overload reports.
 * @category Advanced
 */
export type ConcatRanks<Ss extends readonly (readonly unknown[])[]> = ConcatRanksOf<Ss, Ss> & ConcatCheck<Ss>

type ConcatRanksOf<Ss extends readonly unknown[], All extends readonly unknown[]> = Ss extends readonly [infer F extends readonly unknown[], ...infer R]
  ? ConcatRankTable<All>[F['length']] & ConcatRanksOf<R, All>
  : unknown

/** The verdicts of {@link ConcatRanks} by rank: every rank but 4 (up to 6) fails; the message is built only when read. */
interface ConcatRankTable<Ss extends readonly unknown[]> {
  readonly [n: number]: unknown
  readonly 0: ShapeCheckFailed<ConcatRankText<Ss>>
  readonly 1: ShapeCheckFailed<ConcatRankText<Ss>>
  readonly 2: ShapeCheckFailed<ConcatRankText<Ss>>
  readonly 3: ShapeCheckFailed<ConcatRankText<Ss>>
  readonly 5: ShapeCheckFailed<ConcatRankText<Ss>>
  readonly 6: ShapeCheckFailed<ConcatRankText<Ss>>
}

type ConcatRankText<Ss extends readonly unknown[]> = `concat: expects [N, C, H, W] tensors, got ${ShapeList<Ss>}`

/** `[N,16,8,8] and [N,1024]`, `A, B and C`: the shapes as the verdicts print them. */
type ShapeList<Ss extends readonly unknown[]> = Ss extends readonly [infer F extends readonly unknown[]]
  ? FormatShape<F>
  : Ss extends readonly [infer F extends readonly unknown[], infer G extends readonly unknown[]]
    ? `${FormatShape<F>} and ${FormatShape<G>}`
    : Ss extends readonly [infer F extends readonly unknown[], ...infer R extends readonly unknown[]]
      ? `${FormatShape<F>}, ${ShapeList<R>}`
      : ''

/**
 * The shapes of tensors `Ts`, of any rank (the operands {@link concat}'s last overload checks).
 * @category Advanced
 */
export type ShapesOfAny<Ts extends readonly Tensor[]> = { [K in keyof Ts]: Ts[K] extends Tensor<infer S> ? S : never }

/**
 * The tensors {@link concat} joins after its first: one `[B, C, H, W]` per channel count `C` of `Cs`, at the first's
 * N, H and W (which are inferred from the first tensor only).
 * @category Advanced
 */
export type ConcatRest<B extends Dim, Cs extends readonly Dim[], H extends Dim, W extends Dim> = { [K in keyof Cs]: Tensor<[NoInfer<B>, Cs[K], NoInfer<H>, NoInfer<W>]> }

/**
 * `unknown` when shapes `A` and `B` are equal (or not yet decidable, inside a generic block), else
 * `add: [N,64,56,56] vs [N,128,28,28]`.
 * @category Combinators
 */
export type AddCheck<A extends Shape, B extends Shape> = ShapesAgree<A, B, AddTable<A, B>> &
  WhenTuple<A, AddCheckOn<A, DimsLike<A, B>, B>>[TupleKey<A>] &
  WhenTuple<B, AddCheckOn<DimsLike<B, A>, B, A>>[TupleKey<B>]

/**
 * `Check` when `X` is a tuple; with a type parameter the key stays a deferred conditional whose constraint (`'tuple' |
 * string`) reads the string index signature, and it passes (see `WhenTuples`).
 */
interface WhenTuple<X, Check> {
  readonly [key: string]: unknown
  readonly tuple: Check
}

type TupleKey<X> = [X] extends [readonly [] | readonly [unknown, ...unknown[]]] ? 'tuple' : string

/**
 * {@link AddCheck} where one operand is a tuple (`DA`, `DB` its dims and the other's, see {@link DimsLike}) and the
 * other may be a generic block's input `S`, read through its dims `S[0]`, `S[1]`, …: a dim known to differ fails where
 * the `add` is written (`add(pipe(x, conv2d({ out: 64, kernel: 3, padding: 1, stride: 2 })), x)`: `add:
 * [N,64,⌈H/2⌉,⌈W/2⌉] vs [N,C,H,W]`), an undecided one (the channels `S[1]` against 64) passes and is carried by the
 * result to where the block is applied. `Other` is the operand read through its dims: a rank other than the tuple's
 * fails, a rank still generic passes.
 * @category Advanced
 */
export type AddCheckOn<DA extends readonly unknown[], DB extends readonly unknown[], Other extends readonly unknown[]> = TuplesAgree<DA, DB, AddTable<DA, DB>> &
  AddTable<DA, DB>[FailKey<DA['length'] extends Other['length'] ? (Other['length'] extends DA['length'] ? false : true) : true>]

/**
 * The first dims of `X`, as many as the tuple `Like` has: `[X[0], X[1], X[2], X[3]]` for a 4-D `Like` (a block's
 * input `S` read through its dims; a tuple `X` gives its own dims, `undefined` past its end).
 * @category Advanced
 */
export type DimsLike<Like extends readonly unknown[], X extends readonly unknown[]> = Like['length'] extends 4
  ? [X[0], X[1], X[2], X[3]]
  : Like['length'] extends 2
    ? [X[0], X[1]]
    : Like['length'] extends 3
      ? [X[0], X[1], X[2]]
      : Like['length'] extends 1
        ? [X[0]]
        : Like['length'] extends 5
          ? [X[0], X[1], X[2], X[3], X[4]]
          : X

/** The verdict of {@link AddCheck}, built only when it fails. */
interface AddTable<A extends readonly unknown[], B extends readonly unknown[]> extends FailTable {
  readonly 0: ShapeCheckFailed<AddMessage<A, B>>
}

/**
 * The verdict of {@link AddCheck} as text (the run-time trace builds the same); a member, built only when read.
 * Exported so that a generic block built with `add` can be exported from a package with declarations.
 * @category Advanced
 */
export interface AddText<A extends readonly unknown[], B extends readonly unknown[]> {
  readonly text: AddMessage<A, B>
}

type AddMessage<A extends readonly unknown[], B extends readonly unknown[]> = `add: ${FormatShape<A>} vs ${FormatShape<B>}`

/**
 * A verdict table: entry 0 is the failure, any other key passes.
 * @category Combinators
 */
export interface FailTable {
  readonly [n: number]: unknown
  readonly 0: unknown
}

/**
 * `Table[0]` (the failure) when shapes `A` and `B` differ in rank or in a dim known to differ, else `unknown`; dims
 * that cannot be decided yet (inside a generic block) pass. One verdict per dim, so an undecided dim never hides a
 * differing one. A shape that is not yet a tuple (a function's type parameter, `<A extends Shape4, B extends
 * Shape4>(a: Tensor<A>, b: Tensor<B>) => add(a, b)`) passes: it is compared where it is a tuple (see {@link
 * Agreed}).
 * @category Combinators
 */
export type ShapesAgree<A extends readonly unknown[], B extends readonly unknown[], Table extends FailTable> = WhenTuples<TuplesAgree<A, B, Table>>[TuplesKey<A, B>]

/**
 * A lookup that is `Check` for two tuples and passes otherwise: with a shape that is a type parameter the key stays a
 * deferred conditional whose constraint (`'tuples' | string`) reads the string index signature, so the check passes
 * instead of failing on the spot (a conditional type would be refused: a value is assignable to an undecided
 * conditional only if it fits both branches).
 */
interface WhenTuples<Check> {
  readonly [key: string]: unknown
  readonly tuples: Check
}

type TuplesKey<A, B> = A extends readonly [] | readonly [unknown, ...unknown[]] ? (B extends readonly [] | readonly [unknown, ...unknown[]] ? 'tuples' : string) : string

type TuplesAgree<A extends readonly unknown[], B extends readonly unknown[], Table extends FailTable> = A extends readonly [infer a, ...infer ar]
  ? B extends readonly [infer b, ...infer br]
    ? Table[DifferKey<a, b>] & TuplesAgree<ar, br, Table>
    : Table[0]
  : B extends readonly []
    ? unknown
    : Table[0]

/**
 * The shape a join of `A` and `B` gives (`add`'s sum, `residual`'s output): `A`, except that each dim that cannot be
 * compared yet (inside a generic function: a size of its input against another tensor's, or two type parameters)
 * stays an {@link AgreedDim}, decided where the function is applied to numbers. Equal there, it is the dim; different,
 * it is a `⛔` dim with the join's verdict (`Message['text']`), which the next consumer (a layer, `add`, `graphOf`, `trace`)
 * reports. Dims that are decided already (equal forms, literals) are `A`'s own, so the types of generic blocks do
 * not change.
 * @category Combinators
 */
export type Agreed<A extends readonly unknown[], B extends readonly unknown[], Message extends { readonly text: string }> = A extends readonly [] | readonly [unknown, ...unknown[]]
  ? { [K in keyof A]: AgreedDim<A[K], B[K & keyof B], Message> }
  : A

/**
 * Dim `D` of a join's first operand, compared with `E`: `D` when equal, a `⛔` dim with `Message` when different,
 * and left as is (deferred) while that cannot be decided.
 *
 * Unless known to be equal, a property read on `DimVerdict<D, E> & AgreedRule<…>`, not a conditional with a `⛔`
 * branch: while the verdict is undecided (inside a generic block) it is then a size, so the block's next layer takes
 * it (`pipe(add(path, x), relu)`, `flow(residual(main), relu)`); a conditional with a `⛔` branch would be refused
 * there.
 * @category Combinators
 */
export type AgreedDim<D, E, Message extends { readonly text: string }> = DimVerdict<D, E> extends 'same' ? D : (DimVerdict<D, E> & AgreedRule<D, E, Message>)['out']

/**
 * The rule behind {@link AgreedDim}: `D`, or the `⛔` dim when the verdict it is read on is `'differ'` (an earlier `⛔`
 * in `D` or in the other operand's `E`, a check carried out of a block, is kept rather than replaced). While the verdict
 * is undecided TypeScript reads it through the verdict's constraint, which gives `D & Dim`: a size for the next layer,
 * also when `D` is itself an undecided check (`batchNorm2d({ features: d })` with `d` a type parameter).
 * @category Advanced
 */
export interface AgreedRule<in out D, in out E, in out Message extends { readonly text: string }> {
  /** `D`, or the `⛔` dim with `Message` when the dims differ. */
  readonly out: this extends infer V & AgreedRule<D, E, Message> ? (unknown extends V ? D & Dim : [V] extends ['differ'] ? EarlierVerdict<D, E, Message> : D) : never
}

/**
 * The shape {@link add} gives when its first operand is a tuple (a concrete shape, or a path computed inside a generic
 * block): {@link Agreed} over the first operand's dims, each compared with the second's ({@link AgreedDim}), and a
 * batch dim that carries the verdict of the whole shapes ({@link AgreedBatch}; also for a second operand of another
 * rank).
 * @category Advanced
 */
export type AgreedOnFirst<A extends readonly unknown[], B extends readonly unknown[], Message extends { readonly text: string }> = {
  [K in keyof A]: K extends '0' ? AgreedBatch<A, RankedAs<A, B, Message>, Message> : AgreedDim<A[K], RankedAs<A, B, Message>[K & keyof RankedAs<A, B, Message>], Message>
}

/**
 * The shape {@link add} gives when only its second operand is a tuple (`add(x, pipe(x, conv2d(…)))` inside a block
 * generic in `x`): the second operand's dims, each compared with the first's, so that the block's next layer takes the
 * sum and its result stays exact where the block is applied (equal: the sizes; different, or another rank: a `⛔` in
 * the batch dim and in each dim that differs, its operands in the order written): {@link AgreedOnFirst} with the
 * operands' roles swapped and the message kept. Neither a tuple (two type parameters): {@link Agreed}.
 * @category Advanced
 */
export type AgreedOnSecond<A extends readonly unknown[], B extends readonly unknown[], Message extends { readonly text: string }> = B extends
  | readonly []
  | readonly [unknown, ...unknown[]]
  ? AgreedOnFirst<B, A, Message>
  : AgreedByRank<A, B, Message>[A['length'] & number]

/**
 * What {@link AgreedOnSecond} gives while neither operand is a tuple (two type parameters, `<A extends Shape4, B extends
 * Shape4>(a: Tensor<A>, b: Tensor<B>) => pipe(add(a, b), relu)`): read by `A`'s rank, so that for a 4-D `A` the sum is
 * a 4-tuple of deferred dims, which the next layer of the function takes (its constraint, a shape, is met), instead of
 * a type that only a tuple could resolve (the layer would widen it to `Shape` and drop the check). Where the function
 * is applied both are tuples and {@link AgreedOnSecond} gives the exact shape or the verdict. Other ranks: {@link Agreed}
 * (a rank unknown inside the function reads as a plain `readonly unknown[]`, as before).
 * @category Advanced
 */
export interface AgreedByRank<A extends readonly unknown[], B extends readonly unknown[], Message extends { readonly text: string }> {
  readonly [rank: number]: readonly unknown[]
  readonly 1: Agreed<A, B, Message>
  readonly 2: Agreed<A, B, Message>
  readonly 3: Agreed<A, B, Message>
  readonly 4: [
    AgreedBatch<A, RankedAs<A, B, Message>, Message>,
    AgreedDim<A[1], RankedAs<A, B, Message>[1], Message>,
    AgreedDim<A[2], RankedAs<A, B, Message>[2], Message>,
    AgreedDim<A[3], RankedAs<A, B, Message>[3], Message>,
  ]
  readonly 5: Agreed<A, B, Message>
  readonly 6: Agreed<A, B, Message>
}

/**
 * The batch dim of a join: `A[0]` when the shapes agree, a `⛔` with the verdict when any dim differs (so that it reaches
 * the next consumer even when a later layer replaces the dim that differs: `conv2d` its channels, a pool its H and W),
 * undecided while that cannot be decided. An earlier `⛔` in the batch dim (a check carried out of a block) is kept.
 * Exported so that a generic block built with `add` can be exported from a package with declarations.
 * @category Advanced
 */
export type AgreedBatch<A extends readonly unknown[], B extends readonly unknown[], Message extends { readonly text: string }> = ShapesVerdict<A, B> extends 'same'
  ? A[0]
  : (ShapesVerdict<A, B> & AgreedRule<A[0], B[0 & keyof B], Message>)['out']

/**
 * `B` when it has the rank of `A` (or that is not known yet), else `⛔` dims with the verdict (which the batch dim of
 * {@link AgreedBatch} then carries).
 * Exported so that a generic block built with `add` can be exported from a package with declarations.
 * @category Advanced
 */
export type RankedAs<A extends readonly unknown[], B extends readonly unknown[], Message extends { readonly text: string }> = A['length'] extends B['length']
  ? B
  : readonly InvalidDim<Message['text']>[]

type EarlierVerdict<D, E, Message extends { readonly text: string }> = D extends InvalidDim<string> ? D : E extends InvalidDim<string> ? E : InvalidDim<Message['text']>

/**
 * {@link DimVerdict} over whole shapes: `'differ'` for different ranks or any differing dim.
 * @category Combinators
 */
export type ShapesVerdict<A extends readonly unknown[], B extends readonly unknown[]> = A extends readonly [infer a, ...infer ar]
  ? B extends readonly [infer b, ...infer br]
    ? DimVerdict<a, b> extends 'same'
      ? ShapesVerdict<ar, br>
      : 'differ'
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
 * declare const mainPath: Tensor<[N, 64, 56, 56]>
 * declare const shortcut: Tensor<[N, 64, 56, 56]>
 * add(mainPath, shortcut) // Tensor<[N, 64, 56, 56]>
 * ```
 * @category Combinators
 */
export function add<S extends Shape>(a: Tensor<S>, b: Tensor<NoInfer<S>>): Tensor<S>
export function add<A extends [Dim, ...Dim[]], B extends Shape>(a: Tensor<A>, b: Tensor<B> & AddCheckOn<A, DimsLike<A, B>, B>): Tensor<AgreedOnFirst<A, B, AddText<A, B>>>
export function add<A extends Shape, B extends Shape>(a: Tensor<A>, b: Tensor<B> & AddCheck<A, B>): Tensor<AgreedOnSecond<A, B, AddText<A, B>>>
export function add(a: Tensor, b: Tensor): Tensor {
  const same = a.shape.length === b.shape.length && a.shape.every((d, i) => sameDim(d, b.shape[i]))
  if (!same) throw new ShapeError('add', formatShape(a.shape), formatShape(b.shape), `add: ${formatShape(a.shape)} vs ${formatShape(b.shape)}`)
  return emit([a, b], { kind: 'add' }, a.shape, { numbered: false })
}
