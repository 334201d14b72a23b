/**
 * Type-level option checks shared by layers: each yields `unknown` when fine or a {@link ShapeCheckFailed} message.
 * @module
 */
import type { Compare, Modulo } from '../shape/arithmetic.js'
import type { FormatDim, FormatShape, ShapeCheckFailed } from '../shape/format.js'
import type { FailKey, Verdict } from '../shape/verdict.js'
import type { IsNatural } from '../shape/arithmetic.js'
import type { Dim } from '../shape/dim.js'
import type { InvalidDim, Negate, PairOf, SignedAdd } from '../shape/window.js'
import type { PyTorchOptionNames } from './layer.js'

/**
 * Fails when a number-or-pair option is not a positive integer on either axis — 0, negative or fractional (`kernel: 0`,
 * `stride: [2, -1]`, `kernel: 2.5`) — with the verdict `positiveInts` throws at run time (`conv2d: kernel must be a
 * positive integer, got 2.5`). A plain `number` and undecidable (generic) values pass: see {@link IntegerOption}.
 * (Padding, which may be 0, is checked with {@link IntegerKey} and {@link NotNaturalText} inside the layers' padding
 * checks.)
 * @category Advanced
 */
export type PositiveOption<V, Layer extends string, Name extends string> = IntegerOption<V, Layer, Name, 'a positive integer', NotPositiveText>

/**
 * The check behind {@link PositiveOption}: the literal (each literal of a pair) is printed
 * (`${V}`, as the run-time message prints it: `-1`, `2.5`, `1e-7`) and matched against `Bad`. Looked up in a table keyed
 * by that match rather than decided by a plain conditional: a value that is a block's type parameter
 * (`conv2d({ out: c, kernel: k })`) or a wrapper's (`<const O extends Conv2dOptions>(o: O) => conv2d(o)`) leaves the
 * key a deferred conditional whose constraint (`'bad' | string`) reads the string index signature, so it passes and is
 * decided where the numbers are known (a wrapper's options where the wrapper is called, as the layer carries the check:
 * `Conv2dWrappedCheck`; a block's value by the layer when it is created). A plain `number` passes too (its `${V}`
 * matches no pattern), and so does a value that is not a number (`'same'` padding, an absent option).
 * @category Advanced
 */
export type IntegerOption<V, Layer extends string, Name extends string, Rule extends string, Bad extends string> = IntegerTable<
  V,
  `${Layer}: ${Name} must be ${Rule}`,
  Bad
>[IntegerKey<V, Bad>]

/**
 * `'bad'` when the literal `V`, or either literal of the pair `V`, prints as one of `Bad`; else `string`. One
 * conditional per option (a pair is read in place, not through `PairOf`): a layer's options are related to its
 * parameter type several times while a call is inferred, so each type here is counted many times per layer.
 * @category Advanced
 */
export type IntegerKey<V, Bad extends string> = V extends number
  ? `${V}` extends Bad
    ? 'bad'
    : string
  : V extends readonly [infer A extends number, infer B extends number]
    ? `${A}` extends Bad
      ? 'bad'
      : `${B}` extends Bad
        ? 'bad'
        : string
    : string

/**
 * The literal of `V` that {@link IntegerKey} refused: `V` itself, or the first refused literal of a pair.
 * @category Advanced
 */
export type BadAxis<V, Bad extends string> = V extends readonly [infer A extends number, infer B extends number] ? (`${A}` extends Bad ? A : B) : V & number

/**
 * How a literal that is not a non-negative integer prints: negative, a decimal fraction, or a small exponent form.
 * @category Advanced
 */
export type NotNaturalText = `-${string}` | `${string}.${string}` | `${string}e-${string}`

/**
 * How a literal that is not a positive integer prints: {@link NotNaturalText}, or 0.
 * @category Advanced
 */
export type NotPositiveText = '0' | NotNaturalText

/** Entry `bad` is the verdict, made only when looked up (interface members are lazy). */
interface IntegerTable<V, Message extends string, Bad extends string> {
  readonly [key: string]: unknown
  readonly bad: ShapeCheckFailed<`${Message}, got ${BadAxis<V, Bad>}`>
}

/**
 * Fails when `dropout`'s `p` is a literal outside [0, 1) (`1`, `1.5`, `-0.1`), with the verdict the layer throws at run
 * time: `dropout: p must be in [0, 1), got 1.5`. A literal is in range when it prints as `0`, `0.…` or a small exponent
 * form (`1e-7`) without a sign. A plain `number` and a block's type parameter pass, as in {@link IntegerOption}.
 * @category Advanced
 */
export type ProbabilityOption<P, Layer extends string> = ProbabilityTable<P, Layer>[ProbabilityKey<P>]

type ProbabilityKey<P> = number extends P
  ? string
  : `${P & number}` extends `-${string}`
    ? 'bad'
    : `${P & number}` extends '0' | `0.${string}` | `${string}e-${string}`
      ? string
      : 'bad'

interface ProbabilityTable<P, Layer extends string> {
  readonly [key: string]: unknown
  readonly bad: ShapeCheckFailed<`${Layer}: p must be in [0, 1), got ${P & number}`>
}

/**
 * Fails when `Channels` (a literal) is not divisible by `Groups` (a literal): `conv2d`'s `out` when it is created,
 * and its input's channels in the layer's input constraint (`conv2d: input channels 16 not divisible by groups 32`).
 * Looked up by a flag so that channels or groups that are a block's type parameter (a depthwise conv, `groups: c`,
 * or a generic block's `S[1]`) pass instead of leaving a deferred conditional that no argument satisfies; with
 * numbers the layer checks it when it is created, and the input's channels are checked where the block is applied.
 * @category Advanced
 */
export type DivisibleOption<Channels, Groups, Layer extends string, What extends string> = DivisibleTable<Channels, Groups, Layer, What>[
  DivisibleFlag<Channels, Groups>
]

/** Entry 0 is the verdict, made only when looked up (interface members are lazy). */
interface DivisibleTable<Channels, Groups, Layer extends string, What extends string> {
  readonly [n: number]: unknown
  readonly 0: ShapeCheckFailed<`${Layer}: ${What} ${Channels & number} not divisible by groups ${Groups & number}`>
}

/**
 * 0 when both are literals and not divisible, 1 when divisible, `number` when either is not a literal; deferred on a
 * type parameter its constraint is `0 | 1 | number`, i.e. `number`.
 */
type DivisibleFlag<Channels, Groups> = [Groups] extends [1 | undefined]
  ? 1
  : [Channels, Groups] extends [infer C extends number, infer G extends number]
  ? Modulo<C, G> extends 0
    ? 1
    : number extends Modulo<C, G>
      ? number
      : 0
  : number

/**
 * `'bad'` when a pool's kernel and padding are known numbers or pairs, so that the pool's options lookup (see
 * `Pool2dOptionsCheck`, with {@link PlainOptionTable}) reads its entry `bad`, {@link HalfKernelVerdict}; `string`
 * (passes) otherwise. Deferred on a type parameter (a block's kernel or padding): its constraint is `string`, which
 * reads the passing index signature, instead of leaving a deferred conditional that no argument satisfies; the
 * layer's run-time check makes it when the block is applied.
 * @category Advanced
 */
export type KnownWindowKey<K, P> = [K, P] extends [number | readonly [number, number], number | readonly [number, number] | undefined] ? 'bad' : string

/**
 * Fails when a pool's padding is not a non-negative integer (`maxPool2d: padding must be a non-negative integer, got
 * -1`) or is more than half the kernel on either axis (PyTorch rejects it for pooling), on literal kernel and padding;
 * `unknown` otherwise. Made only when the pool's options lookup reads it (interface members are lazy).
 * @category Advanced
 */
export type HalfKernelVerdict<K, P, Layer extends string> = IntegerKey<P, NotNaturalText> extends 'bad'
  ? ShapeCheckFailed<`${Layer}: padding must be a non-negative integer, got ${BadAxis<P, NotNaturalText>}`>
  : PairOf<K, 1> extends [infer KH extends number, infer KW extends number]
  ? PairOf<P, 0> extends [infer PH extends number, infer PW extends number]
    ? Compare<Twice<PH>, KH> extends 'gt'
      ? ShapeCheckFailed<`${Layer}: padding ${PH} is more than half the kernel ${KH}`>
      : Compare<Twice<PW>, KW> extends 'gt'
        ? ShapeCheckFailed<`${Layer}: padding ${PW} is more than half the kernel ${KW}`>
        : unknown
    : unknown
  : unknown

type Twice<X extends number> = import('../shape/arithmetic.js').Multiply<X, 2>

/**
 * `unknown` when dim `Actual` may equal `Expected`, else the message `<layer>: expected <n> <what>, got <m>`.
 *
 * Decided with {@link Verdict}: the same type parameter on both sides (`conv2d({ out: c })` then
 * `batchNorm2d({ features: c })` in a block generic over `c`) is equal; two different type parameters cannot be
 * compared yet and pass here, to be compared with numbers where the block is used (its layers then carry literals).
 * @category Advanced
 */
export type ExpectDim<Actual, Expected, Layer extends string, What extends string> = ExpectTable<Actual, Expected, Layer, What>[
  NoOptionOrSame<Actual, Expected> extends true ? number : FailKey<DimsDiffer<Actual, Expected>> & number
]

/**
 * `true` when there is nothing to check: no option (`Expected` is `never`) or the very same type as the input's
 * (`C` against `C`, the same literal); `false` for two different literals; undecided otherwise. Decided also when
 * either side is a block's type parameter: `Same<Expected>` is then compared with `Same<Actual>` and `Same<never>`,
 * each invariant, so it is true only for the same type (where `[Expected] extends [never]` would stay deferred on a
 * type parameter — `batchNorm2d({ features: c })`, `conv2d({ in: c })` after `out: c` — and leave the layer's result
 * an undecided conditional in a block that is correct as written). Unlike `Same<Actual | Expected>` against
 * `Same<Actual>`, it never relates a literal to a generic `Actual` (a flattened size is `number` to TypeScript, so
 * `256` would count as the same and the check would be dropped).
 * @category Advanced
 */
export type NoOptionOrSame<Actual, Expected> = Same<Expected> extends Same<Actual> | Same<never> ? true : false

/**
 * The verdict of {@link ExpectDim}: a member, so its text is built only when read, with the sizes known then (a
 * reusable `flow` whose first layer is `conv2d({ in: 3 })`, applied to a 1-channel input, reads `got 1`, not the
 * block's generic `C`). Exported so that a generic block built with these layers can be exported from a package with
 * declarations.
 * @category Advanced
 */
export interface ExpectTable<Actual, Expected, Layer extends string, What extends string> {
  readonly [n: number]: unknown
  readonly 0: ShapeCheckFailed<`${Layer}: expected ${FormatDim<Expected>} ${What}, got ${FormatDim<Actual>}`>
}

/**
 * `true` when dims `A` and `B` are known to differ: two different literals, a literal and a name, two different
 * names or derived formulas. `false` when they are the same type (also the same type parameter) or either is
 * unknown (`number`). Stays generic (undecided) when a type parameter meets anything but itself.
 * @category Advanced
 */
export type DimsDiffer<A, B> = Same<A> extends Same<B> ? false : IsUnknownDim<A> extends true ? false : IsUnknownDim<B> extends true ? false : true

/**
 * An invariant wrapper: `Same<A> extends Same<B>` is true for identical types (type parameters included), false for
 * different non-generic ones, and undecided otherwise. (Unlike `[A] extends [B]`, it is not deferred merely
 * because `A` is a type parameter.)
 * @category Advanced
 */
export interface Same<in out T> {
  readonly same: T
}

/**
 * `true` for an unknown size: `number`, or `Dim` itself (what a layer's input reads as when its check has already
 * failed and TypeScript falls back to the constraint: no second verdict with a made-up `got ${string}`).
 */
type IsUnknownDim<D> = number extends D ? ([D] extends [Dim] ? true : false) : false

/**
 * True when a window with offset `V` = 2p − d(k−1) − 1 does not fit an input of literal size `H` (H + V < 0).
 * @category Advanced
 */
export type Misfit<H, V extends number> = [H] extends [number] ? (IsNatural<H> extends true ? (`${SignedAdd<H, V>}` extends `-${string}` ? true : false) : false) : false

/**
 * The verdict text of `WindowFits`.
 * @category Advanced
 */
export type FitMessage<Layer extends string, H, V extends number> =
  `${Layer}: kernel larger than padded input (input ${FormatDim<H>}, dilated kernel exceeds padded input by ${Negate<SignedAdd<H & number, V>>})`

/**
 * `WindowFits` in the form a layer's input constraint needs (`<S extends Shape4 & WindowFitsIn<…>>`): the
 * message is computed only when the verdict fails (an interface member is resolved lazily), so the constraint is
 * not circular. In the constraint rather than as an intersection on the parameter, the check leaves the layer an
 * ordinary generic function: a `flow` starting with it keeps its type parameter inside `parallel`/`residual`.
 * @category Advanced
 */
export type WindowFitsIn<H, V extends number, Layer extends string> = FitTable<Layer, H, V>[FailKey<Misfit<H, V>> & number]

interface FitTable<Layer extends string, H, V extends number> {
  readonly [n: number]: unknown
  readonly 0: ShapeCheckFailed<FitMessage<Layer, H, V>>
}

/**
 * Fails when an option that a check compares against (`batchNorm2d`'s and `batchNorm1d`'s `features`) has the wide
 * type `number`, as `32 * 2` does: such a value would switch the check off without a word. The verdict says how to
 * keep the check (a literal, or `prod(16, 5, 5)`) or how to leave it to the input (omit the option). A literal that is
 * not a positive integer (0, negative, a fraction) fails with the verdict the layer throws when it is made
 * (`batchNorm2d: features must be a positive integer, got 0`), not with a channel comparison later. Positive integer
 * literals, an absent option and a generic block's type parameter (decided at the block's use) pass. (The options of the layers
 * whose options are one type parameter get {@link PlainNumberOption}, which also knows the explicit opt-out.)
 *
 * `V` is the option as written, `never` when absent. An indexed lookup rather than a plain conditional: with a type
 * parameter `V` (a generic block's, or a wrapper's options `O`) the key stays a deferred conditional whose constraint
 * (`'wide' | 'bad' | string`) reads the string index signature, so generic blocks and wrappers are not rejected.
 * @category Advanced
 */
export type LiteralOption<V, Layer extends string, Name extends string, Instead extends string> = WideNumberTable<
  V,
  `${Layer}: ${Name}`,
  `is a plain number, which turns its check off — write a literal or prod(16, 5, 5) to keep the check, or ${Instead}`
>[[V] extends [never] ? string : number extends V ? 'wide' : IntegerKey<V, NotPositiveText>]

/**
 * The verdicts of {@link LiteralOption}: `wide` (a plain `number`) and `bad`, a literal that is not a positive integer
 * (`batchNorm2d: features must be a positive integer, got 0`, the text `positiveInts` throws when the layer is made).
 */
interface WideNumberTable<V, Option extends string, Wide extends string> {
  readonly [key: string]: unknown
  readonly wide: ShapeCheckFailed<`${Option} ${Wide}`>
  readonly bad: ShapeCheckFailed<`${Option} must be a positive integer, got ${V & number}`>
}

/**
 * Fails when an option that fixes a size has the wide type `number` (`boolean` for `ceilMode`): an options object in a
 * variable without `as const`, a `let`, a computed `16 * 5 * 5`. Such a value switches off every check after the
 * layer without a word: a size (`out`, `kernel`, `stride`, `padding`, `dilation`, `output`) makes the shapes after it
 * `number`, a checked option (`in`) turns its own check off. The verdict names the option and says how to keep the
 * check (a literal, `prod(16, 5, 5)`, `as const`, a wrapper's `const`) and how to opt out explicitly: options typed as
 * the layer's own interface (`const o: Conv2dOptions = …`, `conv2d<Conv2dOptions>(…)`; `Interface` assignable to `O`)
 * pass and give the widened shapes they ask for. Literals, absent options and a generic block's or a `const`
 * wrapper's type parameters pass (decided where the block is applied).
 *
 * `Keys` are the options the verdict names, in the order it looks for the first plain one; `Checked` is the one a check
 * compares against (`in`), whose verdict says how to leave it to the input (`Omit`). `Flag` adds a value that counts as
 * plain (a pool's wide `ceilMode`, see {@link PlainBoolean}).
 * @category Advanced
 */
export type PlainNumberOption<O, Interface, Keys extends readonly string[], Layer extends string, OptOut extends string, Checked extends string = never, Omit extends string = never, Flag = never> =
  PlainOptionTable<O, Keys, Layer, OptOut, Checked, Omit>[PlainOptionKey<O, Interface, string, Flag>]

/**
 * The key of a layer's options lookup: `'plain'` (the verdict of {@link PlainNumberOption}) when a value of options
 * `O` is a plain `number` (or `Flag` is) and `O` is not the layer's `Interface` (the explicit opt-out), else `Else` —
 * the key of the layer's other option checks folded into the same lookup (`conv2d`'s padding: `'same'` with a stride,
 * `'bad'` for a padding that is not a non-negative integer; a pool's padding, {@link KnownWindowKey}; `linear`'s
 * `in` that is not a positive integer), so that the checks add one conditional to a layer's options and not a lookup
 * each (each costs about as much per layer in a net's type check). One comparison of all values at once; a layer with
 * pair options passes {@link PairElements} of its values as `Flag`, so that a pair with one plain element
 * (`kernel: [3, k]`) is caught too. With a type parameter in `O` (a block's, a `const` wrapper's) it stays a deferred
 * conditional whose constraint, `string`, reads the passing index signature (so a plain value beside a type parameter,
 * `conv2d({ out: c, kernel: k })`, passes).
 * @category Advanced
 */
export type PlainOptionKey<O, Interface, Else extends string = string, Flag = never> = number extends O[keyof O] | Flag
  ? Interface extends O
    ? Else
    : 'plain'
  : Else

/**
 * The elements of the pair values among `V` (`[3, k]` gives `3 | number`), as the `Flag` of {@link PlainOptionKey} for
 * a layer with pair options: a pair with one plain element (`kernel: [3, k]`, `k: number`) switches the shapes after
 * the layer off as a plain `number` does, and gets the same verdict. `never` for a number or an absent option.
 * @category Advanced
 */
export type PairElements<V> = V extends readonly [infer A, infer B] ? A | B : never

/**
 * `number` (counted as plain by {@link PlainOptionKey}) for a flag that is the wide `boolean`, as the `ceilMode` of an
 * options object not `as const`: it would silently give the floor-mode size.
 * @category Advanced
 */
export type PlainBoolean<V> = boolean extends V ? number : never

/**
 * The options lookup of a layer, keyed by {@link PlainOptionKey}: entry `plain` is the verdict of
 * {@link PlainNumberOption}, any other string passes. A layer whose other option checks share the lookup extends it
 * with their entries (`conv2d`: `same` and `bad`; the pools: `bad`; `linear`: `bad`). Entries are built only when
 * looked up (interface members are lazy).
 * @category Advanced
 */
export interface PlainOptionTable<O, Keys extends readonly string[], Layer extends string, OptOut extends string, Checked extends string = never, Omit extends string = never> {
  readonly [key: string]: unknown
  readonly plain: ShapeCheckFailed<PlainNumberMessage<Layer, FirstPlainKey<O, Keys>, OptOut, Checked, Omit>>
}

/** The first of `Keys` whose value in `O` is plain. */
type FirstPlainKey<O, Keys extends readonly string[]> = Keys extends readonly [infer K extends string, ...infer Rest extends readonly string[]]
  ? K extends keyof O
    ? number extends O[K] | (K extends 'ceilMode' ? PlainBoolean<O[K]> : never) | PairElements<O[K]>
      ? K
      : FirstPlainKey<O, Rest>
    : FirstPlainKey<O, Rest>
  : 'an option'

/**
 * The verdict text of {@link PlainNumberOption}: for a size, `conv2d: out is a plain number, so the shapes after this
 * layer are not checked — …`; for a checked option, `linear: in is a plain number, which turns its check off — …`.
 * @category Advanced
 */
export type PlainNumberMessage<Layer extends string, Key extends string, OptOut extends string, Checked extends string, Omit extends string> = Key extends Checked
  ? `${Layer}: ${Key} is a plain number, which turns its check off — write a literal or prod(16, 5, 5) to keep the check, or ${Omit}`
  : `${Layer}: ${Key} is a plain ${Key extends 'ceilMode' ? 'boolean' : 'number'}, so the shapes after this layer are not checked — write a literal (as const on an options object in a variable, const on a wrapper's type parameter, prod(16, 5, 5) for a product), or type the options as ${OptOut} to opt out`

/**
 * `unknown` when shape `S` has the rank a layer takes (2: `[N, features]`, 4: `[N, C, H, W]`), else the verdict
 * `linear: expects [N, features], got [N,16,5,5] — flatten first` (`conv2d: expects [N, C, H, W], got [N,400] — …`).
 *
 * Keyed by `S['length']`, so it is decided wherever the rank is known: a concrete shape, and also a generic block's
 * `S extends Shape4` (TypeScript relates the lookup through the constraint's length 4: a block that feeds its 4-D
 * input to `linear` is refused where it is written). A shape of unknown rank (`Shape`) passes; the run-time trace
 * checks it. The message is an interface member, built only when the check fails.
 * @category Advanced
 */
export type ExpectRank<S extends readonly unknown[], R extends 2 | 4, Layer extends string> = RankTable<S, R, Layer>[S['length']]

/**
 * {@link ExpectRank} in the form a layer's input constraint needs (`<S extends Shape4Tuple & RankFitsIn<S[0], S[1], S[2],
 * S[3], 4, 'conv2d'>>`): the rank is read from which of `S[1]`, `S[2]`, `S[3]` exist (only dims are passed, never `S` itself, so
 * a generic `flow` or `parallel` branch built on the layer keeps its type parameter), through conditional
 * types that stay deferred inside the constraint, as {@link WindowFitsIn} does (indexing by `S['length']` there is a
 * circular constraint). In the constraint, the check comes before TypeScript's own tuple-length message and travels
 * with the layer's type parameter into the functions `flow` and the combinators build from it.
 * @category Advanced
 */
export type RankFitsIn<D0, D1, D2, D3, R extends 2 | 4, Layer extends string> = RankTable<LeadingDims<[D0, D1, D2, D3]>, R, Layer>[RankKey<D1, D2, D3, R> & number]

/**
 * `unknown` when the dims after the batch (`S[1]`, `S[2]`, `S[3]`) are numbers, else the verdict of `flatten`
 * over symbolic sizes: `flatten: features of [N,16,H,W] depend on symbolic sizes — …`. The features of such a shape
 * are not a number (no layer after it could have fixed weights), and the run-time trace refuses it with the same
 * text. In the input constraint, as {@link RankFitsIn}; a generic block's dims pass and are decided where it is
 * applied.
 * @category Advanced
 */
export type FlattenFitsIn<D0, D1, D2, D3> = FlattenTable<LeadingDims<[D0, D1, D2, D3]>>[FailKey<SymbolicAfterBatch<D1, D2, D3>> & number]

type SymbolicAfterBatch<D1, D2, D3> = [D1] extends [number | undefined]
  ? [D2] extends [number | undefined]
    ? [D3] extends [number | undefined]
      ? false
      : true
    : true
  : true

interface FlattenTable<S> {
  readonly [n: number]: unknown
  readonly 0: ShapeCheckFailed<FlattenMessage<ShapeText<S>>>
}

/**
 * The verdict text of {@link FlattenFitsIn} (the run-time trace builds the same text).
 * @category Advanced
 */
export type FlattenMessage<Shape extends string> =
  `flatten: features of ${Shape} depend on symbolic sizes — give the input concrete sizes, or pool to a fixed size first (adaptiveAvgPool2d)`

/** The dims of `[S[0], S[1], S[2], S[3]]` up to the first missing one: the shape itself for ranks up to 4. */
type LeadingDims<Ds extends readonly unknown[]> = Ds extends readonly [...infer Init, infer Last] ? ([Last] extends [undefined] ? LeadingDims<Init> : Ds) : Ds

/** The rank found from `S[1]`, `S[2]`, `S[3]` when it is not `R` (3 stands for 3 and more), else `number` (passes). */
type RankKey<D1, D2, D3, R extends number> = [D1] extends [undefined]
  ? 1
  : [D2] extends [undefined]
    ? R extends 2 ? number : 2
    : [D3] extends [undefined]
      ? 3
      : R extends 2 ? 4 : number

type RankTable<S, R extends 2 | 4, Layer extends string> = R extends 2 ? MatrixRankTable<S, Layer> : ImageRankTable<S, Layer>

/** The verdicts of {@link ExpectRank} for a layer on `[N, features]`: every other rank up to 6 fails. */
interface MatrixRankTable<S, Layer extends string> {
  readonly [n: number]: unknown
  readonly 0: ShapeCheckFailed<`${Layer}: expects [N, features], got ${ShapeText<S>}`>
  readonly 1: ShapeCheckFailed<`${Layer}: expects [N, features], got ${ShapeText<S>}`>
  readonly 3: ShapeCheckFailed<`${Layer}: expects [N, features], got ${ShapeText<S>}${MatrixHint<Layer>}`>
  readonly 4: ShapeCheckFailed<`${Layer}: expects [N, features], got ${ShapeText<S>}${MatrixHint<Layer>}`>
  readonly 5: ShapeCheckFailed<`${Layer}: expects [N, features], got ${ShapeText<S>}${MatrixHint<Layer>}`>
  readonly 6: ShapeCheckFailed<`${Layer}: expects [N, features], got ${ShapeText<S>}${MatrixHint<Layer>}`>
}

/** The verdicts of {@link ExpectRank} for a layer on `[N, C, H, W]`: every other rank up to 6 fails. */
interface ImageRankTable<S, Layer extends string> {
  readonly [n: number]: unknown
  readonly 0: ShapeCheckFailed<`${Layer}: expects [N, C, H, W], got ${ShapeText<S>}`>
  readonly 1: ShapeCheckFailed<`${Layer}: expects [N, C, H, W], got ${ShapeText<S>}`>
  readonly 2: ShapeCheckFailed<`${Layer}: expects [N, C, H, W], got ${ShapeText<S>}${ImageHint<Layer>}`>
  readonly 3: ShapeCheckFailed<`${Layer}: expects [N, C, H, W], got ${ShapeText<S>} — add the batch dim N in front`>
  readonly 5: ShapeCheckFailed<`${Layer}: expects [N, C, H, W], got ${ShapeText<S>}`>
  readonly 6: ShapeCheckFailed<`${Layer}: expects [N, C, H, W], got ${ShapeText<S>}`>
}

/** `S` printed as in the verdicts (`[N,16,5,5]`). */
type ShapeText<S> = S extends readonly unknown[] ? FormatShape<S> : 'a tensor'

/** What to do when a `[N, features]` layer gets an image batch. */
type MatrixHint<Layer extends string> = Layer extends 'batchNorm1d' ? ' — use batchNorm2d on [N, C, H, W]' : ' — flatten first'

/** What to do when an `[N, C, H, W]` layer gets `[N, features]` (it comes after flatten or linear). */
type ImageHint<Layer extends string> = Layer extends 'batchNorm2d'
  ? ' — use batchNorm1d on [N, features]'
  : ' — it needs an image batch; flatten and linear belong after the convolutions and pools'

/**
 * The batch dim `B` a layer gives after comparing `Actual` with an option `Expected` (`conv2d`'s `in`, `linear`'s
 * `in`, `batchNorm2d`'s `features`): `B` when there is no option or the two are known to be equal (the same literal,
 * the same type parameter), else `B` or an {@link InvalidDim} with the verdict, decided when the sizes are numbers.
 *
 * The layer's input check reports a difference of numbers at that layer. A difference undecided where the layer was
 * written — a block generic in its channels, `conv2d({ out: c })` then `batchNorm2d({ features: 64 })`, or any check
 * after the first layer of a reusable `flow`, whose type keeps only its first layer's input check — would otherwise
 * be dropped. Carried in the batch dim, which every later layer passes on unchanged, it reaches where the block is
 * applied to numbers, and the next layer, `add`/`concat`, `graphOf` and the trace report it
 * (`⛔ batchNorm2d: expected 64 channels, got 128`). An earlier `⛔` in `Actual` is passed on as it is.
 * @category Advanced
 */
export type PendingCheck<B, Actual, Expected, Layer extends string, What extends string> = NoOptionOrSame<Actual, Expected> extends true
  ? B
  : DimsDiffer<Actual, Expected> extends false
    ? B
    : (Actual & PendingCheckRule<B, Expected, Layer, What>)['out']

/**
 * The rule behind {@link PendingCheck}: a property read on `Actual & rule` (as {@link WindowSize}), so that it stays a
 * size while `Actual` is generic.
 * @category Advanced
 */
export interface PendingCheckRule<in out B, in out Expected, Layer extends string, What extends string> {
  /** `B`, `Actual` when it is an {@link InvalidDim}, or the verdict when it differs from `Expected`. */
  readonly out: this extends infer X & PendingCheckRule<B, Expected, Layer, What>
    ? unknown extends X
      ? B & Dim
      : X extends InvalidDim<string>
        ? X
        : DimsDiffer<X, Expected> extends true
          ? InvalidDim<`${Layer}: expected ${FormatDim<Expected>} ${What}, got ${FormatDim<X>}`>
          : B
    : never
}

/**
 * ` (did you mean 'kernel'?)` for a PyTorch name of one of the `Known` options, else for a likely typo of one of `Keys`
 * (the closest by edit distance, as `checkOptionKeys` finds it: {@link TypoHint}), else nothing.
 */
type PyTorchHint<K, Keys extends readonly string[]> = K extends keyof PyTorchOptionNames
  ? PyTorchOptionNames[K] extends Keys[number]
    ? ` (did you mean '${PyTorchOptionNames[K]}'?)`
    : TypoHint<K & string, Keys>
  : TypoHint<K & string, Keys>

/**
 * ` (did you mean 'padding'?)` when key `K` is a likely typo of one of `Keys`, as `closestMatch` decides at run time:
 * names compared lower-case without `_`, the first key at the least Levenshtein distance, taken when that distance is at
 * most 2 or a third of the key's length. Built only for a verdict (an unknown key), never for correct options.
 */
type TypoHint<K extends string, Keys extends readonly string[]> = ClosestKey<Chars<Squash<K>>, Keys, never, Counter<TypoLimit<Chars<Squash<K>>>>> extends infer Best extends string
  ? [Best] extends [never]
    ? ''
    : ` (did you mean '${Best}'?)`
  : ''

/** The key of `Keys` closest to `Word` (its characters) within `Limit` + 1 edits (a counter), `Best` so far. */
type ClosestKey<Word extends string[], Keys extends readonly string[], Best, Bound extends unknown[]> = Keys extends readonly [
  infer Key extends string,
  ...infer Rest extends readonly string[],
]
  ? EditCounter<Word, Chars<Squash<Key>>> extends infer D extends unknown[]
    ? Bound extends [...D, unknown, ...unknown[]]
      ? ClosestKey<Word, Rest, Key, D>
      : ClosestKey<Word, Rest, Best, Bound>
    : never
  : Best

/** How `checkOptionKeys` compares names: lower-case, without underscores. */
type Squash<S extends string> = Lowercase<S> extends `${infer A}_${infer B}` ? Squash<`${A}${B}`> : Lowercase<S>

/** The characters of `S`. */
type Chars<S extends string, Acc extends string[] = []> = S extends `${infer C}${infer R}` ? Chars<R, [...Acc, C]> : Acc

/** A counter of `N` (a tuple of that length). */
type Counter<N extends number, Acc extends unknown[] = []> = Acc['length'] extends N ? Acc : Counter<N, [...Acc, 0]>

/** One more than the largest distance taken for a typo of a word of these characters: max(2, ⌊length/3⌋) + 1. */
type TypoLimit<Word extends unknown[]> = Third<Word> extends infer T extends unknown[] ? (T extends [unknown, unknown, unknown, ...unknown[]] ? [...T, 0]['length'] : 3) : 3

/** ⌊length/3⌋ of a tuple, as a tuple. */
type Third<T extends unknown[], Acc extends unknown[] = []> = T extends [unknown, unknown, unknown, ...infer R] ? Third<R, [...Acc, 0]> : Acc

/** The Levenshtein distance of two character lists, as a counter: the last of the last row of the usual table. */
type EditCounter<A extends string[], B extends string[]> = LastOf<EditRows<A, B, FirstRow<B>>>

type EditRows<A extends string[], B extends string[], Prev extends unknown[][]> = A extends [infer Ai extends string, ...infer Rest extends string[]]
  ? EditRows<Rest, B, EditRow<Ai, B, Prev, [[...Prev[0], 0]]>>
  : Prev

/** Row i of the table from row i − 1 (`Prev`, read two cells at a time) and the cells of row i so far (`Cur`). */
type EditRow<Ai extends string, B extends string[], Prev extends unknown[][], Cur extends unknown[][]> = B extends [
  infer Bj extends string,
  ...infer BRest extends string[],
]
  ? Prev extends [infer Diagonal extends unknown[], infer Above extends unknown[], ...infer PRest extends unknown[][]]
    ? EditRow<Ai, BRest, [Above, ...PRest], [...Cur, Least<Least<[...Above, 0], [...LastOf<Cur>, 0]>, Ai extends Bj ? Diagonal : [...Diagonal, 0]>]>
    : Cur
  : Cur

/** Row 0 of the table: 0, 1, …, |B|. */
type FirstRow<B extends unknown[], Acc extends unknown[][] = [[]]> = B extends [unknown, ...infer R] ? FirstRow<R, [...Acc, [...LastOf<Acc>, 0]]> : Acc

type LastOf<T extends unknown[][]> = T extends [...unknown[], infer L extends unknown[]] ? L : []

/** The shorter of two counters. */
type Least<X extends unknown[], Y extends unknown[]> = X extends [...Y, ...unknown[]] ? Y : X

/**
 * Refuses an option the layer does not have — misspelt (`dilaton`), PyTorch's name (`kernel_size`) or another layer's
 * (`dilation` on a pool) — with the verdict `checkOptionKeys` throws at run time:
 * `conv2d: unknown option 'kernel_size' (did you mean 'kernel'?); its options are out, kernel, …`; with no unknown key,
 * refuses a missing `Required` key (`conv2d: kernel is required`). `K` is the keys as written (a layer infers it with
 * {@link OptionNames}, so the check is made even when the options do not fit the layer's type, as when PyTorch's
 * `kernel_size` stands for the required `kernel`), or `keyof O` of options `O` inferred as the layer's type. `Keys` is
 * the layer's run-time list of option keys (the one `checkOptionKeys` is given). Nothing wrong: `unknown` (one
 * comparison of the key unions, so a net's hundreds of layers stay within the type-check budget); the message is built
 * only for a wrong key.
 * @category Advanced
 */
export type KnownOptionKeys<K, Keys extends readonly string[], Layer extends string, Required extends string = never> = UnknownKeysTable<
  K,
  Keys,
  Layer,
  Required
>[[K] extends [Keys[number]] ? ([Required] extends [K] ? number : 1) : 0]

/**
 * The keys of the options as written, for a layer to infer as its type parameter `K`
 * (`options: OptionNames<K> & ValidConv2dOptions<O, K>`): inferred from the object literal even when `O` cannot be (a
 * required key misspelt), and naming every key there, so TypeScript's excess-property check gives way to
 * {@link KnownOptionKeys}' verdict.
 * @category Advanced
 */
export type OptionNames<K extends PropertyKey> = { readonly [P in K]?: unknown }

/**
 * The verdicts of {@link KnownOptionKeys} by key: `0` (an unknown key) requires each unknown key to have the verdict's
 * type, `1` (a required key missing) the verdict of each missing key; any other number passes. A lookup rather than a
 * conditional: options that are a wrapper's type parameter (`<const O extends Conv2dOptions>(o: O) => conv2d(o)`)
 * leave the key a deferred conditional whose constraint is `number`, so the wrapper is not refused; the keys are
 * checked where the wrapper is called ({@link WrappedOptionKeys}, carried in the layer's type; or at the wrapper's
 * parameter when it is typed `ValidConv2dOptions<O>`) and by `checkOptionKeys` when the layer is created. (`linear`
 * reads entry `0` from its own options lookup.)
 * @category Advanced
 */
export interface UnknownKeysTable<K, Keys extends readonly string[], Layer extends string, Required extends string = never> {
  readonly [n: number]: unknown
  readonly 0: {
    readonly [P in Exclude<K, Keys[number]> & PropertyKey]: ShapeCheckFailed<UnknownOptionMessage<P, Keys, Layer>>
  }
  readonly 1: ShapeCheckFailed<RequiredOptionMessage<K, Layer, Required>>
}

/**
 * The verdict text of an unknown option key `P`, one text per key of a union (one home for it: {@link KnownOptionKeys} and
 * {@link WrappedOptionKeys}): `conv2d: unknown option 'kernel_size' (did you mean 'kernel'?); its options are …`.
 * @category Advanced
 */
export type UnknownOptionMessage<P, Keys extends readonly string[], Layer extends string> = P extends string
  ? `${Layer}: unknown option '${P}'${PyTorchHint<P, Keys>}; its options are ${JoinNames<Keys>}`
  : never

/**
 * The verdict text of a missing required option (`conv2d: kernel is required`), for {@link KnownOptionKeys} and
 * {@link WrappedOptionKeys}.
 * @category Advanced
 */
export type RequiredOptionMessage<K, Layer extends string, Required extends string> = `${Layer}: ${Exclude<Required, K>} is required`

/**
 * {@link KnownOptionKeys} for options that reached the layer through a generic wrapper
 * (`<const O extends Conv2dOptions>(o: O) => conv2d(o)`): carried in the layer's configuration and read in its input
 * constraint, so that it is decided where the wrapper is called with literals and reported at that call, the stage of
 * `pipe`/`flow` that applies the layer. Each verdict is one `ShapeCheckFailed` (its text a property name, printed in
 * full), not the per-key object of {@link UnknownKeysTable}, which is made to be reported at the misspelt key of an
 * options literal. `K` is `keyof O`; known keys: `unknown`, made with one comparison of the key unions.
 * @category Advanced
 */
export type WrappedOptionKeys<K, Keys extends readonly string[], Layer extends string, Required extends string = never> = WrappedKeysTable<
  K,
  Keys,
  Layer,
  Required
>[[K] extends [Keys[number]] ? ([Required] extends [K] ? number : 1) : 0]

/** The verdicts of {@link WrappedOptionKeys}: entry `0` (unknown keys, one property each), `1` (a required key missing). */
interface WrappedKeysTable<K, Keys extends readonly string[], Layer extends string, Required extends string> {
  readonly [n: number]: unknown
  readonly 0: ShapeCheckFailed<UnknownOptionMessage<Exclude<K, Keys[number]>, Keys, Layer>>
  readonly 1: ShapeCheckFailed<RequiredOptionMessage<K, Layer, Required>>
}

/** `'a, b, c'` from `['a', 'b', 'c']`, as `checkOptionKeys` lists a layer's options. */
type JoinNames<Keys extends readonly string[]> = Keys extends readonly [infer First extends string, ...infer Rest extends readonly string[]]
  ? Rest extends readonly []
    ? First
    : `${First}, ${JoinNames<Rest>}`
  : string
