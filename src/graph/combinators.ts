/**
 * Combinators for the classic blocks: module scopes, residual connections, parallel branches (Inception) and dense
 * connectivity (DenseNet). Each returns an ordinary layer function, so blocks compose with `pipe` and `flow`.
 * @module
 */
import type { Add, Multiply } from '../shape/arithmetic.js'
import type { Dim, Shape, Shape4 } from '../shape/dim.js'
import type { FormatDim, FormatShape, ShapeCheckFailed } from '../shape/format.js'
import { formatDim, formatShape, sameDim } from '../shape/dim.js'
import { ShapeError } from '../shape/errors.js'
import { add, concat, type Agreed, type AgreedRule, type DifferKey, type FailTable, type ShapesAgree, type SumDims } from './merge.js'
import type { FailKey } from '../shape/verdict.js'
import type { Tensor } from './tensor.js'
import type { InvalidDim } from '../shape/window.js'
import { tracerOf } from './tensor.js'

/**
 * Runs `block` as a named child module, so its layers' paths (and state_dict names) are prefixed with `name`, like a
 * PyTorch submodule attribute. Types pass through unchanged.
 * @example
 * ```ts
 * const layer1 = scope('layer1', flow(basicBlock(64), basicBlock(64))) // weights: layer1.0.conv1.weight, ...
 * ```
 * @category Combinators
 */
export function scope<F extends Layerlike>(name: string, block: F): Same<F> {
  return ((x: Tensor) => tracerOf(x).within(name, () => block(x))) as unknown as Same<F>
}

/**
 * Gives a single layer an explicit module name (`named('relu', relu)`), instead of the next index.
 * @example
 * ```ts
 * declare const x: Tensor<[N, 64, 112, 112]>
 * pipe(x, named('relu', relu), named('maxpool', maxPool2d({ kernel: 3, stride: 2, padding: 1 })))
 * ```
 * @category Combinators
 */
export function named<F extends Layerlike>(name: string, layer: F): Same<F> {
  return ((x: Tensor) => tracerOf(x).withNextName(name, () => layer(x))) as unknown as Same<F>
}

/**
 * A residual connection: `x ↦ main(x) + shortcut(x)` (shortcut defaults to the identity, and then `main` must keep
 * its input's shape). Both paths must produce the same shape. The check is made where the block is applied (with
 * the input's sizes), so a residual of generic `flow`s stays generic; a mismatch reads
 * `residual: main path gives [N,8,4,4], shortcut gives [N,8,8,8]`.
 *
 * Shape rule: `S → main(S)`, requiring `shortcut(S) = main(S)`.
 * @example
 * ```ts
 * const block = residual(flow(conv2d({ out: 64, kernel: 3, padding: 1 }), batchNorm2d(), relu))
 * ```
 * @category Combinators
 */
export function residual<S extends Shape, A extends Shape, B extends Shape>(
  main: (x: Tensor<S>) => Tensor<A>,
  shortcut: (x: Tensor<S>) => Tensor<B>,
): (x: Tensor<S> & PathsAgree<A, B, 'shortcut'>) => Tensor<Agreed<A, B, PathsText<A, B, 'shortcut'>>>
export function residual<S extends Shape, A extends Shape, F extends Layerlike>(
  main: (x: Tensor<S>) => Tensor<A>,
  shortcut: F & ChoiceOnly<F>,
): (x: Tensor<S> & ShortcutGives<F, S, A>) => Tensor<ShortcutAgreed<F, S, A>>
export function residual<S extends Shape, A extends Shape>(main: (x: Tensor<S>) => Tensor<A>): (x: Tensor<S> & PathsAgree<A, S, 'input'>) => Tensor<Agreed<A, S, PathsText<A, S, 'input'>>>
export function residual(main: (x: Tensor) => Tensor, shortcut?: (x: Tensor) => Tensor): (x: Tensor) => Tensor {
  return (x) => {
    const a = main(x)
    const b = shortcut === undefined ? x : shortcut(x)
    // The types' verdict (PathsText), so that the trace and the compiler say the same words.
    const same = a.shape.length === b.shape.length && a.shape.every((d, i) => sameDim(d, b.shape[i]))
    if (!same) {
      const what = shortcut === undefined ? 'input' : 'shortcut'
      throw new ShapeError('residual', formatShape(a.shape), formatShape(b.shape), `residual: main path gives ${formatShape(a.shape)}, ${what} gives ${formatShape(b.shape)}`)
    }
    return add(a, b)
  }
}

/**
 * The check of {@link residual} for a shortcut that is not one generic function, such as a choice between two
 * (`use1x1 ? conv2d({ out: c, kernel: 1 }) : identity`, the seed's Residual), which TypeScript cannot infer one output
 * shape from: made where the block is applied, by relating every member of `F` to a layer from the input `S` to the
 * main path's `A` ({@link LayerGives}); a member that does not give `A` is named by its kind: `residual: shortcut
 * identity does not give the main path's [N,128,14,14] on [N,64,28,28]`. While `S` or `A` still hold a type parameter
 * (`residual(…)` inside a hand-written generic function) it passes, and the result carries the verdict
 * ({@link ShortcutAgreed}) to where the function is applied.
 * @category Advanced
 */
export type ShortcutGives<F, S extends Shape, A extends Shape> = ShortcutTable<F, S, A>[ShortcutKey<F, S, A>]

/**
 * `unknown` when `F` is a union (a shortcut chosen by a flag), else `never`: a single function, generic or not, keeps
 * {@link residual}'s first overload, whose verdict names both shapes (TypeScript tries overloads with its stricter
 * subtype relation first, where this one would otherwise take some single shortcuts). A union fails the first
 * overload where TypeScript cannot infer one shape for its members (a conv and the identity inside a generic block) or
 * where they differ, and is then checked here, member by member.
 * @category Advanced
 */
export type ChoiceOnly<F> = IsUnion<F> extends true ? unknown : never

/**
 * `true` when `F` is a union of two or more types (each member is not all of `F`), else `false`.
 * @category Advanced
 */
export type IsUnion<F, All = F> = F extends unknown ? ([All] extends [F] ? false : true) : never

/**
 * The key of {@link ShortcutGives}: `0` when a member of `F` does not give `A` on `S`, `number` when all do, a deferred
 * key (passes) while undecided.
 * @category Advanced
 */
export type ShortcutKey<F, S extends Shape, A extends Shape> = ShapesDecided<[...S, ...A]> extends true ? FailKey<LayerGives<F, Layer<S, A>> extends 'gives' ? false : true> : number

/**
 * `true` when no dim of `Ds` is a type parameter or a size still deferred on one; otherwise left undecided (a
 * conditional on a generic dim is deferred), so that the checks built on it wait for numbers.
 * @category Advanced
 */
export type ShapesDecided<Ds extends readonly unknown[]> = Ds extends readonly [infer D, ...infer R] ? (D extends unknown ? ShapesDecided<R> : never) : true

/**
 * The verdicts of {@link ShortcutGives}; the message is an interface member, built only when the check fails.
 * @category Advanced
 */
export interface ShortcutTable<F, S extends Shape, A extends Shape> extends FailTable {
  readonly 0: ShapeCheckFailed<ShortcutText<F, S, A>['text']>
}

/**
 * The verdict of {@link ShortcutGives} as text, one per member that does not give the main path's shape.
 * @category Advanced
 */
export interface ShortcutText<F, S extends Shape, A extends Shape> {
  readonly text: `residual: shortcut ${FailingMembers<F, S, A>}does not give the main path's ${FormatShape<A>} on ${FormatShape<S>}`
}

/**
 * `identity ` for each member of `F` (by its layer kind) that does not give `A` on `S`; `` for an unnamed function.
 * @category Advanced
 */
export type FailingMembers<F, S extends Shape, A extends Shape> = F extends unknown
  ? LayerGives<F, Layer<S, A>> extends 'gives'
    ? never
    : F extends { readonly kind: infer K extends string }
      ? `${K} `
      : ''
  : never

/**
 * The shape {@link residual} gives with a shortcut checked by {@link ShortcutGives}: the main path's `A`, whose batch
 * dim carries the verdict while it is undecided (inside a hand-written generic function), so that it is reported
 * where that function is applied (the next consumer), as {@link Agreed} does for a plain shortcut.
 * @category Advanced
 */
export type ShortcutAgreed<F, S extends Shape, A extends Shape> = {
  [K in keyof A]: K extends '0' ? (ShortcutVerdict<F, S, A> & AgreedRule<A[K], A[K], ShortcutText<F, S, A>>)['out'] : A[K]
}

/**
 * {@link ShortcutGives} as a dim verdict: `'same'`, `'differ'`, or undecided (deferred) while it cannot be decided.
 * @category Advanced
 */
export type ShortcutVerdict<F, S extends Shape, A extends Shape> = ShapesDecided<[...S, ...A]> extends true ? (LayerGives<F, Layer<S, A>> extends 'gives' ? 'same' : 'differ') : 'same' | 'differ'

/**
 * The check of {@link residual}, made where the block is applied (so a block generic in its input is checked with
 * the input's sizes): `residual: main path gives [N,8,4,4], shortcut gives [N,8,8,8]`.
 * @category Advanced
 */
export type PathsAgree<A extends Shape, B extends Shape, What extends string> = ShapesAgree<A, B, PathsTable<A, B, What>>

/** The verdicts of {@link PathsAgree}; the message is an interface member, so it is only built when the check fails. */
export interface PathsTable<A extends Shape, B extends Shape, What extends string> extends FailTable {
  readonly 0: ShapeCheckFailed<PathsText<A, B, What>['text']>
}

/**
 * The verdict of {@link PathsAgree} as text, also carried by its result where it is decided later ({@link Agreed}).
 * Exported so that a generic block built with `residual` can be exported from a package with declarations.
 * @category Advanced
 */
export interface PathsText<A extends Shape, B extends Shape, What extends string> {
  readonly text: `residual: main path gives ${FormatShape<A>}, ${What} gives ${FormatShape<B>}`
}

/**
 * The check of {@link parallel} for branch number `Branch` against the first, made where the block is applied:
 * both must give `[N, C, H, W]` ({@link BranchRank}), and N, H and W must agree (`parallel: branch 2 gives H 6, branch 1
 * gives 8`).
 * @category Advanced
 */
export type BranchAgrees<F extends Shape, X extends Shape, Branch extends number> = BranchRank<F, 1> &
  BranchRank<X, Branch> &
  BranchAxis<F, X, 2, 'H', Branch> &
  BranchAxis<F, X, 3, 'W', Branch> &
  BranchAxis<F, X, 0, 'N', Branch>

type BranchAxis<F extends Shape, X extends Shape, Axis extends 0 | 2 | 3, Name extends string, Branch extends number> = BranchTable<
  F,
  X,
  Axis,
  Name,
  Branch
>[DifferKey<AxisOf<F, Axis>, AxisOf<X, Axis>>]

/** Dim `Axis` of a 4-D shape; ``number` (agrees with anything) for another rank, which {@link BranchRank} reports. */
type AxisOf<S extends Shape, Axis extends 0 | 2 | 3> = S['length'] extends 4 ? S[Axis] : number

/**
 * The verdicts of {@link BranchAgrees}; the message is only built when the check fails. A dim that carries a verdict
 * (a later branch's first conv given the wrong channels, checked in its batch dim) gives that verdict.
 */
interface BranchTable<F extends Shape, X extends Shape, Axis extends 0 | 2 | 3, Name extends string, Branch extends number> {
  readonly [n: number]: unknown
  readonly 0: ShapeCheckFailed<
    AxisOf<X, Axis> extends InvalidDim<infer Carried>
      ? `${Carried} (in parallel's branch ${Branch})`
      : `parallel: branch ${Branch} gives ${Name} ${FormatDim<AxisOf<X, Axis>>}, branch 1 gives ${FormatDim<AxisOf<F, Axis>>}`
  >
}

/**
 * The rank check of {@link parallel}'s branch number `Branch`, made where the block is applied: branches are joined
 * along channels, so each must give `[N, C, H, W]` (`parallel: branch 2 gives [N,128]; branches are concatenated along
 * channels, so each must give [N, C, H, W] (flatten after the block)`). Keyed by the branch's rank, which TypeScript
 * reads through a generic shape's constraint: a branch that flattens a block's `S` is refused where the block is
 * written. A shape of unknown rank passes (the trace checks it).
 * @category Advanced
 */
export type BranchRank<X extends Shape, Branch extends number> = BranchRankTable<X, Branch>[X['length']]

/** The verdicts of {@link BranchRank}: every rank but 4, up to 6, fails; the message is only built when it does. */
interface BranchRankTable<X extends Shape, Branch extends number> {
  readonly [n: number]: unknown
  readonly 0: ShapeCheckFailed<`parallel: branch ${Branch} gives ${FormatShape<X>}; branches are concatenated along channels, so each must give [N, C, H, W] (flatten after the block)`>
  readonly 1: ShapeCheckFailed<`parallel: branch ${Branch} gives ${FormatShape<X>}; branches are concatenated along channels, so each must give [N, C, H, W] (flatten after the block)`>
  readonly 2: ShapeCheckFailed<`parallel: branch ${Branch} gives ${FormatShape<X>}; branches are concatenated along channels, so each must give [N, C, H, W] (flatten after the block)`>
  readonly 3: ShapeCheckFailed<`parallel: branch ${Branch} gives ${FormatShape<X>}; branches are concatenated along channels, so each must give [N, C, H, W] (flatten after the block)`>
  readonly 5: ShapeCheckFailed<`parallel: branch ${Branch} gives ${FormatShape<X>}; branches are concatenated along channels, so each must give [N, C, H, W] (flatten after the block)`>
  readonly 6: ShapeCheckFailed<`parallel: branch ${Branch} gives ${FormatShape<X>}; branches are concatenated along channels, so each must give [N, C, H, W] (flatten after the block)`>
}

/**
 * Parallel branches joined by channel concatenation, as an Inception block. Each branch must keep N, H and W; the
 * check is made where the block is applied, so a block of generic `flow`s stays generic, and a branch that changes
 * H is named: `parallel: branch 2 gives H 6, branch 1 gives 8`.
 *
 * Shape rule: `[N, C, H, W] → [N, C1+…+Ck, H, W]`.
 * @example
 * ```ts
 * // GoogLeNet's inception (3a): 64 + 128 + 32 + 32 = 256 channels
 * const branch1 = flow(conv2d({ out: 64, kernel: 1 }), relu)
 * const branch2 = flow(conv2d({ out: 96, kernel: 1 }), relu, conv2d({ out: 128, kernel: 3, padding: 1 }), relu)
 * const branch3 = flow(conv2d({ out: 16, kernel: 1 }), relu, conv2d({ out: 32, kernel: 5, padding: 2 }), relu)
 * const branch4 = flow(maxPool2d({ kernel: 3, stride: 1, padding: 1 }), conv2d({ out: 32, kernel: 1 }), relu)
 * const block = parallel(branch1, branch2, branch3, branch4)
 * const y: Tensor<[N, 256, 28, 28]> = pipe(input([N, 192, 28, 28]), block)
 * ```
 * @category Combinators
 */
export function parallel<S extends Shape, R1 extends Shape, R2 extends Shape, F1, F2>(
  b1: Only<S, R1, F1>,
  b2: Only<S, R2, F2>,
): (x: Tensor<S> & BranchAgrees<R1, R2, 2>) => Tensor<[R1[0], SumDims<[R1[1], R2[1]]>, R1[2], R1[3]]>
export function parallel<S extends Shape, R1 extends Shape, R2 extends Shape, R3 extends Shape, F1, F2, F3>(
  b1: Only<S, R1, F1>,
  b2: Only<S, R2, F2>,
  b3: Only<S, R3, F3>,
): (x: Tensor<S> & BranchAgrees<R1, R2, 2> & BranchAgrees<R1, R3, 3>) => Tensor<[R1[0], SumDims<[R1[1], R2[1], R3[1]]>, R1[2], R1[3]]>
export function parallel<S extends Shape, R1 extends Shape, R2 extends Shape, R3 extends Shape, R4 extends Shape, F1, F2, F3, F4>(
  b1: Only<S, R1, F1>,
  b2: Only<S, R2, F2>,
  b3: Only<S, R3, F3>,
  b4: Only<S, R4, F4>,
): (
  x: Tensor<S> & BranchAgrees<R1, R2, 2> & BranchAgrees<R1, R3, 3> & BranchAgrees<R1, R4, 4>,
) => Tensor<[R1[0], SumDims<[R1[1], R2[1], R3[1], R4[1]]>, R1[2], R1[3]]>
export function parallel<S extends Shape, R1 extends Shape, F2 extends Layerlike>(
  b1: Layer<S, R1>,
  b2: F2 & AnyChoice<[F2]>,
): (x: Tensor<S> & ChoiceAgrees<F2, S, R1, 2>) => Tensor<[R1[0], SumDims<[R1[1], BranchChannels<F2, S, R1>]>, R1[2], R1[3]]>
export function parallel<S extends Shape, R1 extends Shape, F2 extends Layerlike, F3 extends Layerlike>(
  b1: Layer<S, R1>,
  b2: F2,
  b3: F3 & AnyChoice<[F2, F3]>,
): (
  x: Tensor<S> & ChoicesAgree<S, R1, [1, F2, F3]>,
) => Tensor<[R1[0], SumDims<[R1[1], ...ChannelsOf<S, R1, [F2, F3]>]>, R1[2], R1[3]]>
export function parallel<S extends Shape, R1 extends Shape, F2 extends Layerlike, F3 extends Layerlike, F4 extends Layerlike>(
  b1: Layer<S, R1>,
  b2: F2,
  b3: F3,
  b4: F4 & AnyChoice<[F2, F3, F4]>,
): (
  x: Tensor<S> & ChoicesAgree<S, R1, [1, F2, F3, F4]>,
) => Tensor<[R1[0], SumDims<[R1[1], ...ChannelsOf<S, R1, [F2, F3, F4]>]>, R1[2], R1[3]]>
export function parallel<S extends Shape, F1 extends Layerlike, R2 extends Shape, F2>(
  b1: F1 & AnyChoice<[F1]>,
  b2: Only<S, R2, F2>,
): (x: Tensor<S> & ChoiceAgrees<F1, S, R2, 1, 2>) => Tensor<[R2[0], SumDims<[BranchChannels<F1, S, R2>, R2[1]]>, R2[2], R2[3]]>
export function parallel<S extends Shape, F1 extends Layerlike, R2 extends Shape, F2, F3 extends Layerlike>(
  b1: F1 & AnyChoice<[F1]>,
  b2: Only<S, R2, F2>,
  b3: F3,
): (
  x: Tensor<S> & ChoicesAgree<S, R2, [F1, 2, F3]>,
) => Tensor<[R2[0], SumDims<[BranchChannels<F1, S, R2>, R2[1], ...ChannelsOf<S, R2, [F3]>]>, R2[2], R2[3]]>
export function parallel<S extends Shape, F1 extends Layerlike, R2 extends Shape, F2, F3 extends Layerlike, F4 extends Layerlike>(
  b1: F1 & AnyChoice<[F1]>,
  b2: Only<S, R2, F2>,
  b3: F3,
  b4: F4,
): (
  x: Tensor<S> & ChoicesAgree<S, R2, [F1, 2, F3, F4]>,
) => Tensor<[R2[0], SumDims<[BranchChannels<F1, S, R2>, R2[1], ...ChannelsOf<S, R2, [F3, F4]>]>, R2[2], R2[3]]>
export function parallel(...branches: Layerlike[]): Layerlike {
  return (x: Tensor<Shape4>) => {
    const outs = (branches as ((x: Tensor<Shape4>) => Tensor<Shape4>)[]).map((b) => b(x))
    // The types' verdicts, in the same words: each branch gives [N, C, H, W], with branch 1's N, H and W. The trace
    // cannot see whether a branch was a choice between layers (a union type), so a mismatch also carries the words the
    // types use for a member of a choice ({@link ChoiceAgrees}): the later branch against branch 1 and, for branch 2,
    // branch 1 against branch 2 (the reference when branch 1 is the choice).
    const asChoice = (i: number): string => {
      const member = (j: number, ref: number) =>
        `parallel: branch ${j + 1} member ${kindOf(branches[j])}does not give branch ${ref + 1}'s N, H and W (${formatShape(outs[ref]!.shape)}) on ${formatShape(x.shape)}`
      return ` (as a choice: ${i === 0 ? member(0, 1) : i === 1 ? `${member(1, 0)}; ${member(0, 1)}` : member(i, 0)})`
    }
    outs.forEach((out, i) => {
      const shape = out.shape as readonly Dim[]
      if (shape.length !== 4) {
        const text = `parallel: branch ${i + 1} gives ${formatShape(shape)}; branches are concatenated along channels, so each must give [N, C, H, W] (flatten after the block)`
        throw new ShapeError('parallel', '[N, C, H, W]', formatShape(shape), `${text}${asChoice(i)}`)
      }
      for (const [axis, name] of [[2, 'H'], [3, 'W'], [0, 'N']] as const) {
        const [first, own] = [outs[0]!.shape[axis]!, shape[axis]!]
        if (i > 0 && !sameDim(first, own)) {
          const text = `parallel: branch ${i + 1} gives ${name} ${formatDim(own)}, branch 1 gives ${formatDim(first)}`
          throw new ShapeError('parallel', `${name} ${formatDim(first)}`, `${name} ${formatDim(own)}`, `${text}${asChoice(i)}`)
        }
      }
    })
    return (concat as (...xs: Tensor<Shape4>[]) => Tensor<Shape4>)(...outs)
  }
}

/**
 * `unknown` when one of `Fs` is a union (a branch chosen by a flag, `flag ? relu : identity`), else `never`: only then
 * does {@link parallel} take its later branches whole and check them member by member ({@link ChoiceAgrees}); a block
 * of single functions keeps the overloads that infer each branch's shape.
 * @category Advanced
 */
export type AnyChoice<Fs extends readonly unknown[]> = true extends ChoiceIn<Fs> ? unknown : never

/**
 * `F` when it is not a union, else `never`: how {@link parallel}'s overloads that infer each branch's shape refuse a
 * branch chosen by a flag (whose shape TypeScript infers from one member), which the later overloads check member by
 * member ({@link ChoiceAgrees}). `F` is the branch as TypeScript instantiated it for the block's input, where two
 * members that give the same shape (`flag ? relu : identity`) are one type.
 * @category Advanced
 */
export type NoChoice<F> = F & (IsUnion<F> extends true ? never : unknown)

/**
 * A branch of {@link parallel}'s overloads that infer each branch's shape: a layer from `S` to `R`, refused when it is a
 * choice ({@link NoChoice} of `F`, the branch as TypeScript instantiated it).
 * @category Advanced
 */
export type Only<S extends Shape, R extends Shape, F> = Layer<S, R> & NoChoice<F>

/**
 * {@link ChoiceAgrees} for each branch of `Bs` taken whole, numbered by its place, against the reference branch whose
 * shape is `R` and whose place in `Bs` holds its number.
 * @category Advanced
 */
export type ChoicesAgree<S extends Shape, R extends Shape, Bs extends readonly unknown[]> = ChoicesFrom<S, R, Bs, RefOf<Bs>, []>

type RefOf<Bs extends readonly unknown[]> = Bs extends readonly [infer B, ...infer Rest] ? ([B] extends [number] ? B : RefOf<Rest>) : 1

type ChoicesFrom<S extends Shape, R extends Shape, Bs extends readonly unknown[], Ref extends number, Seen extends readonly unknown[]> = Bs extends readonly [
  infer B,
  ...infer Rest,
]
  ? ([B] extends [number] ? unknown : ChoiceAgrees<B, S, R, [...Seen, B]['length'], Ref>) & ChoicesFrom<S, R, Rest, Ref, [...Seen, B]>
  : unknown

/**
 * The channels of each branch of `Fs` taken whole ({@link BranchChannels}).
 * @category Advanced
 */
export type ChannelsOf<S extends Shape, R extends Shape, Fs extends readonly unknown[]> = { [K in keyof Fs]: BranchChannels<Fs[K], S, R> }

/** `true` for each member of `Fs` that is a union. */
type ChoiceIn<Fs extends readonly unknown[]> = Fs extends readonly [infer F, ...infer R] ? IsUnion<F> | ChoiceIn<R> : false

/**
 * The check of {@link parallel} for a later branch taken whole (`F`, a choice between layers or a single layer), made
 * where the block is applied: every member of `F` must give branch 1's N, H and W (`R`) at rank 4 on the input `S`
 * (`parallel: branch 2 member conv2d does not give branch 1's N, H and W ([N,4,8,8]) on [N,8,8,8]`), and all members
 * the same channels ({@link BranchChannels}; `parallel: branch 2 members give different channels on [N,8,8,8]`).
 * Decided by relating the whole branch to a layer from `S` ({@link LayerGives}), whose undecided outcome reads as a
 * failure. While `S` or `R` still hold a type parameter (inside a hand-written generic function) it passes.
 * @category Advanced
 */
export type ChoiceAgrees<F, S extends Shape, R extends Shape, Branch extends number, Ref extends number = 1> = ChoiceGate<F, S, R, Branch, Ref>[ShapesDecided<
  [...S, ...R]
> extends true
  ? 0
  : number]

/**
 * {@link ChoiceAgrees} by whether the shapes are decided: entry `0` is the check; any other number (the key while `S`
 * or `R` still hold a type parameter, whose constraint is `number`) passes.
 * @category Advanced
 */
export interface ChoiceGate<F, S extends Shape, R extends Shape, Branch extends number, Ref extends number> {
  readonly [n: number]: unknown
  readonly 0: ChoiceTable<F, S, R, Branch, Ref>[LayerGives<F, Layer<S, [R[0], number, R[2], R[3]]>>]
}

/**
 * The verdicts of {@link ChoiceAgrees}, keyed by whether every member gives `R`'s N, H and W; the channel check is
 * made only when they do. Each message is an interface member, built only when the check fails.
 * @category Advanced
 */
export interface ChoiceTable<F, S extends Shape, R extends Shape, Branch extends number, Ref extends number> {
  readonly gives: ChannelTable<F, S, Branch>[LayerGives<F, Layer<S, [R[0], OneChannel<BranchChannels<F, S, R>>, R[2], R[3]]>>]
  readonly differs: ShapeCheckFailed<`parallel: branch ${Branch} ${MembersText<F, S, R>}does not give branch ${Ref}'s N, H and W (${FormatShape<R>}) on ${FormatShape<S>}`>
}

/** The channel verdict of {@link ChoiceAgrees}. */
interface ChannelTable<F, S extends Shape, Branch extends number> {
  readonly gives: unknown
  readonly differs: ShapeCheckFailed<
    IsUnion<F> extends true
      ? `parallel: branch ${Branch} members give different channels on ${FormatShape<S>}; each choice must give one shape`
      : `parallel: branch ${Branch} gives channels its type does not state on ${FormatShape<S>}; beside a choice, a branch's channels must be its layer's out or its input's`
  >
}

/** `C` when it is one size, `never` (which no member gives) when the members give different channels or one's cannot be read. */
type OneChannel<C> = IsUnion<C> extends true ? never : C extends UnreadChannels ? never : C

/** The channels of a member {@link BranchChannels} cannot read: no number, so the check fails rather than passes. */
interface UnreadChannels {
  readonly '⛔ channels not stated in the type': true
}

/** `member conv2d ` naming each member of a union `F` (by its layer kind) that does not give `R`'s N, H and W; `` for a single function. */
type MembersText<F, S extends Shape, R extends Shape> = IsUnion<F> extends true ? `member ${MemberKinds<MembersOff<F, S, R>>}` : ''

/** The members of `F` that do not give `R`'s N, H and W on `S`. */
type MembersOff<F, S extends Shape, R extends Shape> = F extends unknown ? (LayerGives<F, Layer<S, [R[0], number, R[2], R[3]]>> extends 'gives' ? never : F) : never

type MemberKinds<M> = M extends { readonly kind: infer K extends string } ? `${K} ` : M extends unknown ? '' : never

/**
 * The channels a branch `F` taken whole gives on `S` (the union of its members' channels): for each member, the
 * channels its signature states (a conv's `out`, a type parameter included) when it gives those at `R`'s N, H and W
 * on `S`, else the input's channels `S[1]` when it gives those (a shape-preserving layer), else `number`.
 * @category Advanced
 */
export type BranchChannels<F, S extends Shape, R extends Shape> = F extends unknown ? MemberChannels<F, S, R, StatedChannels<F>> : never

/** The channels member `F`'s (generic) signature states, read at its constraint: a literal or type parameter, or a wide `Dim`. */
type StatedChannels<F> = F extends (x: never) => Tensor<infer O extends Shape> ? O[1] : number

type MemberChannels<F, S extends Shape, R extends Shape, C> = number extends C
  ? InputChannels<F, S, R>
  : C extends Dim
    ? LayerGives<F, Layer<S, [R[0], C, R[2], R[3]]>> extends 'gives'
      ? C
      : InputChannels<F, S, R>
    : UnreadChannels

type InputChannels<F, S extends Shape, R extends Shape> = LayerGives<F, Layer<S, [R[0], S[1], R[2], R[3]]>> extends 'gives' ? S[1] : UnreadChannels

/** `conv2d ` for a layer function (its `kind`), `` for another function (a `flow`), as the types name a member. */
function kindOf(f: Layerlike | undefined): string {
  const kind = (f as { readonly kind?: unknown } | undefined)?.kind
  return typeof kind === 'string' ? `${kind} ` : ''
}

/**
 * A layer from `Tensor<S>` to `Tensor<R>`, as {@link parallel} takes each branch.
 * @example
 * ```ts
 * const branch: Layer<[N, 192, 28, 28], [N, 64, 28, 28]> = conv2d({ out: 64, kernel: 1 })
 * ```
 * @category Combinators
 */
export type Layer<S extends Shape, R extends Shape> = (x: Tensor<S>) => Tensor<R>

/**
 * The check of {@link denseBlock}, made where the block is applied: each dense layer must give `growth` channels at
 * its input's N, H and W (`denseBlock: each layer must give [N,8,8,8] (growth 8 at its input's N, H, W) on
 * [N,16,8,8]`). Decided by relating the (possibly generic) layer to a layer from the input to that shape
 * ({@link LayerGives}), so a `flow` whose conv shrinks H or W is refused as well as a hand-written function.
 * @category Advanced
 */
export type DenseLayerGives<F, S extends Shape4, G extends number> = DenseTable<S, G>[LayerGives<F, Layer<S, [S[0], G, S[2], S[3]]>>]

/**
 * `'gives'` when layer type `F` is assignable to `Target` (a layer from the block's input to the shape it must give),
 * else `'differs'`. Written as an `infer` with a constraint because TypeScript decides that constraint with a plain
 * assignability check, which instantiates a generic layer for the input: a conditional type `F extends Target` on a
 * layer composed by `flow` stays undecided forever (its type parameters come from `flow`'s inference, so the
 * permissive and restrictive instantiations of a conditional type disagree), and an undecided check used to pass.
 * When `F` fits, `X` is `F` and the outcome is decided (`Marker` is no function); when it does not, `X` is the
 * constraint, which contains `Marker`; a comparison left undecided reads through its constraint
 * (`'gives' | 'differs'`) in the verdict table (`DenseTable`), whose `'differs'` entry is the verdict, so it fails
 * rather than passes.
 * @category Advanced
 */
export type LayerGives<F, Target> = [F] extends [infer X extends Target | LayerMarker] ? (LayerMarker extends X ? 'differs' : 'gives') : 'differs'

/**
 * What {@link LayerGives} falls back to when a layer does not fit: no function type is assignable from it.
 * @category Advanced
 */
export interface LayerMarker {
  readonly '⛔ layer does not give the shape': true
}

/**
 * The verdict of {@link DenseLayerGives}. The message is an interface member, built only when the check fails where
 * the block is applied (built earlier, inside the generic signature, it would name the input's sizes `H`, `W`).
 */
interface DenseTable<S extends Shape4, G extends number> {
  readonly gives: unknown
  readonly differs: ShapeCheckFailed<DenseMessage<S, G>>
}

/** The verdict text of {@link DenseLayerGives} (the run-time trace starts its message with the same text). */
type DenseMessage<S extends Shape4, G extends number> = `denseBlock: each layer must give ${ExpectedDense<S, G>} (growth ${G} at its input's N, H, W) on ${FormatShape<S>}`

/**
 * The shape each dense layer must give, as text. Its dims are inferred from `S` itself, so that the text is written
 * where the block is applied, with the input's sizes (`[N,8,8,8]`); `S[2]` written inside the generic signature
 * would be read there, as the block input's `H`.
 */
type ExpectedDense<S extends Shape4, G extends number> = S extends readonly [infer B, unknown, infer H, infer W] ? FormatShape<[B, G, H, W]> : FormatShape<[S[0], G, S[2], S[3]]>

/**
 * Options of {@link denseBlock}.
 * @category Combinators
 */
export interface DenseBlockOptions<L extends number, G extends number> {
  /** Number of dense layers. */
  readonly layers: L
  /** Channels each layer adds (the growth rate k). */
  readonly growth: G
}

/**
 * The block {@link denseBlock} returns for `L` layers of type `F` with growth `G`: `[N, C, H, W] → [N, C + L·G, H, W]`,
 * each layer checked (`DenseLayerGives`) where the block is applied.
 * @category Combinators
 */
export type DenseBlock<L extends number, G extends number, F> = <S extends Shape4>(
  x: Tensor<S> & DenseLayerGives<F, S, G>,
) => Tensor<[S[0], Add<S[1] & number, Multiply<L, G>>, S[2], S[3]]>

/**
 * Dense connectivity (DenseNet): `x_{i+1} = concat(x_i, layer_i(x_i))` for `layers` layers, each producing `growth`
 * channels at the same H and W. Layer i runs as the named child `name(i)` (default: its index).
 *
 * Shape rule: `[N, C, H, W] → [N, C + layers·growth, H, W]`.
 * @typeParam L the number of layers
 * @typeParam G the growth: channels each layer adds
 * @typeParam F the layer type `layer` returns (checked against every input it will see where the block is used)
 * @example
 * ```ts
 * const block = denseBlock({ layers: 6, growth: 32 }, () => denseLayer(32), (i) => `denselayer${i + 1}`)
 * ```
 * @category Combinators
 */
export function denseBlock<const L extends number, const G extends number, F extends Layer<Shape4, Shape>>(
  options: DenseBlockOptions<L, G>,
  layer: (i: number) => F,
  name?: (i: number) => string,
): DenseBlock<L, G, F> {
  return ((x: Tensor<Shape4>) => {
    let acc = x
    for (let i = 0; i < options.layers; i++) {
      const ith = layer(i) as unknown as (x: Tensor<Shape4>) => Tensor
      const run = (t: Tensor<Shape4>) => tracerOf(t).within(name?.(i), () => ith(t))
      const out = run(acc) as Tensor<Shape4>
      const [b, , h, w] = acc.shape
      const expected = [b, options.growth, h, w]
      if (out.shape.length !== 4 || !expected.every((d, axis) => sameDim(d, out.shape[axis]))) {
        // The same text as the compile-time verdict (DenseLayerGives), then what layer i gave.
        const text = `denseBlock: each layer must give ${formatShape(expected)} (growth ${options.growth} at its input's N, H, W) on ${formatShape(acc.shape)}`
        throw new ShapeError('denseBlock', formatShape(expected), formatShape(out.shape), `${text} — layer ${i + 1} gives ${formatShape(out.shape)}`)
      }
      acc = concat(acc, out) as Tensor<Shape4>
    }
    return acc
  }) as never
}

/**
 * What {@link scope}, {@link sequential} and {@link named} accept: any layer function. Deliberately `Function`
 * rather than `(x: Tensor) => Tensor`: with a call-signature constraint TypeScript instantiates a generic layer
 * (`flatten`, `adaptiveAvgPool2d(...)`) with the constraint's `any` when the wrapper is used inside `pipe`.
 * @category Advanced
 */
// eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
export type Layerlike = Function

/**
 * `F` itself, written so that TypeScript does not infer `F` from the type the result is expected to have: inside
 * `pipe(x, named('flatten', flatten), next)` that inference would instantiate the generic layer before its input
 * is known (and lose its shape). Resolves to `F` for any concrete layer type.
 * @category Advanced
 */
export type Same<F> = F extends infer G ? G : never
