/**
 * The sliding-window size rule shared by convolution and pooling, at type level and at run time.
 *
 * H_out = ⌊(H + 2p − d(k−1) − 1)/s⌋ + 1 (PyTorch's formula). At type level it is normalised to an offset
 * `off = 2p − d(k−1) − 1` computed once from the layer's literal options, so two layers with the same offset and
 * stride produce the *same type expression* for a generic H, which lets residual and concat checks pass inside
 * generic blocks.
 * @module
 */
import type { Add, Compare, FloorDivide, IsNatural, Multiply, Subtract } from './arithmetic.js'
import type { Dim, Named, Sym } from './dim.js'
import { isNamed } from './dim.js'

/**
 * A per-axis pair `[h, w]` from an option that is a number, a pair, or absent (then `Default`).
 * @category Advanced
 */
export type PairOf<V, Default extends number> = V extends readonly [infer A extends number, infer B extends number]
  ? [A, B]
  : V extends number
    ? [V, V]
    : [Default, Default]

/**
 * The offset `2p − d(k−1) − 1` of the window rule, a (possibly negative) literal.
 * @category Advanced
 */
export type WindowOffset<K extends number, P extends number, D extends number> = D extends 1
  ? Subtract<Multiply<2, P>, K> // d = 1 (the usual case): 2p − k, two operations instead of five
  : Subtract<Multiply<2, P>, Add<Multiply<D, Subtract<K, 1>>, 1>>

/**
 * A dim that cannot exist, with the reason. It is not a `Dim`, so handing it to the next layer is a compile error
 * that quotes the reason; hovering shows it too.
 * @category Shape types
 */
export interface InvalidDim<Reason extends string> {
  /** Why the size is invalid. */
  readonly '⛔': Reason
}

/**
 * Output size of a window op along one axis, from the input size `H`, the normalised offset `A` and the stride `T`:
 * ⌊(H + A)/T⌋ + 1. `V` is the layer's own offset 2p − d(k−1) − 1 (the window fits when H + V ≥ 0); in ceil mode
 * `A` is `V` plus min(T − 1, d(k−1) − p) (see {@link CeilOffset}), otherwise `A` = `V`. An output that cannot
 * exist is an {@link InvalidDim} naming the `Layer` (the layer's own input check reports it first, at that layer).
 *
 * - a literal `H` gives the literal size;
 * - `number` (unknown) gives `number`;
 * - a named dim (`dim('H')`) or a size already derived from one gives a {@link Sym} in normal form, composed:
 *   window(window(H, a, s), b, t) = window(H, a + s·(1 + b), s·t), so equal sizes get the identical type;
 * - a generic `H` (a dim of a generic block's input) stays the deferred `WindowSize<H, …>`, and two layers with the
 *   same normalised offset and stride give the identical type.
 *
 * Cost note: the formula sits behind a property lookup on `H & WindowRule<…>` rather than in a conditional type.
 * With a generic `H` that lookup is deferred as an indexed access, which TypeScript relates and infers from by its
 * parts (`H` and the rule), so passing a generic layer to `pipe` inside a generic block never makes it explore the
 * digit arithmetic (a conditional type alias would be probed structurally, tens of thousands of instantiations).
 * @category Shape types
 */
export type WindowSize<H, A extends number, T extends number, V extends number, Layer extends string> = (H & WindowRule<A, T, V, Layer>)['out']

/**
 * Output size of a window op along one axis, as conv and pool layers give it: the {@link Size} of the layer's input
 * dim, whose type argument is the layer's formula as a person reads it (`Size<S[2], "⌈H/2⌉">`), so that inside a
 * generic block a chain of layers shows as a chain of formulas (`Size<Size<S[2], "⌈H/2⌉">, "⌊H/2⌋ (maxPool2d needs
 * H ≥ 2)">`: each formula is in terms of its own input, named H or W by its axis) rather than as offsets and strides.
 * A generic stride (a block's type parameter) stays `WindowDim<S[2], …, St, …>` until the block is applied.
 *
 * Cost note: like {@link WindowSize} it is a property read, on `T & StrideRule<…>`, not a conditional type alias.
 * With a generic stride a conditional alias stays a deferred conditional that TypeScript relates by measuring the
 * alias's variance (instantiating the whole formula with marker types) and by exploring both branches against
 * `Dim`: about a third of the ResNet-152 pipeline's check, for its one stride-generic block. The deferred property
 * read is related by its parts instead, and the rule's parameters are declared invariant.
 * @category Advanced
 */
export type WindowDim<H, A extends number, T extends number, V extends number, Layer extends string> = (T & StrideRule<H, A, V, Layer>)['out']

/**
 * The size of a window whose normalised offset is −1 (a "same" window: 3×3 with padding 1, 1×1, a 3×3 pool with
 * padding 1) at stride `T`: the input's own dim `H` at stride 1, so that size-preserving layers add nothing to a
 * generic block's types, else {@link WindowDim}. A block's generic stride shows as `SameAtStride1<S[2], St, …>`.
 * @category Advanced
 */
export type SameAtStride1<H, T extends number, V extends number, Layer extends string> = T extends 1 ? H : WindowDim<H, -1, T, V, Layer>

/**
 * The rule behind {@link WindowDim} as an object type: `(T & StrideRule<H, A, V, Layer>)['out']` is the output size
 * for the stride `T` (read back from the polymorphic `this`): the readable {@link Size} when the offset and stride are
 * literals and `H` is a dim of a block's input, {@link WindowSize} otherwise.
 * @category Advanced
 */
export interface StrideRule<in out H, in out A extends number, in out V extends number, in out Layer extends string> {
  /** The output size for the stride intersected with this rule. */
  readonly out: this extends (infer T extends number) & StrideRule<H, A, V, Layer>
    ? Co<`${A}|${T}|${V}`> extends Co<`${bigint}|${bigint}|${bigint}`>
      ? Inv<H> extends Inv<(infer _ extends IndexedSize)[infer K extends number]>
        ? Size<H, LayerFormula<AxisName<K>, SignedAdd<A, T>, T, Negate<V>, Layer>>
        : WindowSize<H, A, T, V, Layer>
      : WindowSize<H, A, T, V, Layer>
    : never
}

/**
 * The text of one window layer ⌊(L + C)/T⌋ over its input `L` (C = a + s), and what it needs when a window needs more
 * than one cell of input: `⌊H/2⌋ (maxPool2d needs H ≥ 2)`.
 */
type LayerFormula<L extends string, C extends number, T extends number, Need extends number, Layer extends string> = `${Need}` extends `-${string}`
  ? SymText<L, C, T>
  : Need extends 0 | 1
    ? SymText<L, C, T>
    : `${SymText<L, C, T>} (${Layer} needs ${L} ≥ ${Need})`

/** `[formula, what the layer needs]` of a {@link Size}'s text. */
type SplitSize<F extends string> = F extends `${infer Formula} (${infer Needs})` ? [Formula, Needs] : [F, '']

/** `[a, s]` of a formula written by {@link SymText} (⌊(H + a)/s⌋ + 1 = ⌊(H + c)/s⌋ with c = a + s). */
type FormOfText<F extends string> = CsOfText<F> extends [infer C extends number, infer T extends number] ? [SignedAdd<C, Negate<T>>, T] : never

/** `[c, s]` of a formula ⌊(H + c)/s⌋ written by {@link SymText}. */
type CsOfText<F extends string> = F extends `⌊(${string}+${infer C extends number})/${infer T extends number}⌋`
  ? [C, T]
  : F extends `⌊(${string}−${infer C extends number})/${infer T extends number}⌋`
    ? [Negate<C>, T]
    : F extends `⌈${string}/${infer T extends number}⌉`
      ? [Subtract<T, 1>, T]
      : F extends `⌊${string}/${infer T extends number}⌋`
        ? [0, T]
        : F extends `${string}+${infer C extends number}`
          ? [C, 1]
          : F extends `${string}−${infer C extends number}`
            ? [Negate<C>, 1]
            : [0, 1]

/**
 * The output size of one window layer for the input size `H`, the layer's rule being the text `F` of its formula
 * (`⌈H/2⌉`, `⌊(H+1)/4⌋`, `H−2`; H or W is the input along that axis), followed by what it needs when a window needs
 * more than one cell (`⌊H/2⌋ (maxPool2d needs H ≥ 2)`). The text is the rule, in a form that editors print as it is:
 * applied to a literal it is the literal size, or the {@link InvalidDim} `maxPool2d: kernel larger than padded input
 * (input 1, …)` when the window does not fit; to a named dim (`dim('H')`) the derived dim ({@link SymOf}); to a
 * size of a generic block it stays deferred and prints as `Size<Size<S[2], "⌈H/2⌉">, "⌊H/2⌋ (…)">`, read back into
 * normal form by `WindowForm` wherever sizes are compared.
 *
 * Like {@link WindowSize}, a property read on `H & SizeRule<F>`, so that TypeScript defers it as an indexed access.
 * @category Shape types
 */
export type Size<H, F extends string> = (H & SizeRule<F>)['out']

/**
 * The rule of a {@link Size} as an object type: `(H & SizeRule<F>)['out']` is the size for the input size `H`.
 * @category Advanced
 */
export interface SizeRule<in out F extends string> {
  /** The size for the input size intersected with this rule. */
  readonly out: this extends infer H & SizeRule<F> ? (unknown extends H ? number & SizeAlone<F> : SizeOf<H, F>) : never
  /** The formula and what the layer needs, read back by `WindowForm` (named as `WindowRule`'s, so that one pattern
   * reads both). */
  readonly rule: F
  /** (Lets `WindowForm` match a size and a block input's dim `S[2]` with one pattern.) */
  readonly [k: number]: unknown
}

/**
 * The `out` of a {@link SizeRule} read without an input size (see `RuleAlone`: it must differ for different rules).
 * @category Advanced
 */
export interface SizeAlone<in out F extends string> {
  /** (Not `rule`: a literal property shared with {@link SizeRule} would reduce `Size<Size<…>, …>` to `never`.) */
  readonly sizeAlone: F
}

/** A {@link Size} for a non-generic input size `H`. */
type SizeOf<H, F extends string> = H extends number
  ? IsNatural<H> extends true
    ? SplitSize<F> extends [infer Formula extends string, infer Needs extends string]
      ? CsOfText<Formula> extends [infer C extends number, infer T extends number]
        ? Needs extends `${infer Layer} needs ${string} ≥ ${infer Need extends number}`
          ? Compare<H, Need> extends 'lt'
            ? InvalidDim<`${Layer}: kernel larger than padded input (input ${H}, dilated kernel exceeds padded input by ${Subtract<Need, H>})`>
            : FloorDivide<SignedAdd<H, C> & number, T>
          : FloorDivide<SignedAdd<H, C> & number, T>
        : never
      : never
    : number
  : H extends Named
    ? FormOfText<SplitSize<F>[0]> extends [infer A extends number, infer T extends number]
      ? WindowSizeOf<H, A, T, A, ''>
      : never
    : number

/**
 * The window rule of one layer axis as an object type: `(H & WindowRule<…>)['out']` is the output size for input
 * size `H` (read back from the polymorphic `this`). Its parameters are declared invariant (`in out`) so TypeScript
 * never measures their variance by exploring the formula. Use {@link WindowSize} rather than this directly.
 * @category Advanced
 */
export interface WindowRule<in out A extends number, in out T extends number, in out V extends number, in out Layer extends string> {
  /** The output size for the input size intersected with this rule. */
  readonly out: this extends infer H & WindowRule<A, T, V, Layer>
    ? unknown extends H
      ? number & RuleAlone<A, T, V, Layer>
      : WindowSizeOf<H, A, T, V, Layer>
    : never
  /** The rule's parameters, read back by {@link WindowForm} inside generic blocks. */
  readonly rule: readonly [A, T, V, Layer]
  /** (Lets {@link WindowForm} match a window and a block input's dim `S[2]` with one pattern.) */
  readonly [k: number]: unknown
}

/**
 * The rule's `out` read without an input size. TypeScript reads `(H & Rule)['out']` as `H['out'] & Rule['out']`
 * when it relates two sizes of a generic block, so this must differ for different rules (a plain `number` made
 * every two windows of the same depth assignable to each other: a 2×2/s2 pool passed for a 3×3/s2/p1 conv). It
 * stays a `number` (a size's constraint is read through it).
 */
interface RuleAlone<in out A extends number, in out T extends number, in out V extends number, in out Layer extends string> {
  readonly window: readonly [A, T, V, Layer]
}

/**
 * Wrappers that make `Co<X> extends Co<P>` decided at once even when `X` holds a generic block's type parameter
 * (a bare `X extends P` would be deferred). Inference through an indexed access needs the invariant one.
 */
interface Co<out X> {
  readonly co: X
}
interface Inv<in out X> {
  readonly inv: X
}

/**
 * The normal form `[Base, A, T]` of a size inside a generic block: a chain of windows over one generic size `Base`
 * (a dim of the block's input, `S[2]`) equals ⌊(Base + A)/T⌋ + 1, composed as in {@link WindowSize}
 * (window(window(H, a, s), b, t) = window(H, a + s·(1 + b), s·t)); a size that is not a window is `[itself, −1, 1]`.
 * Two chains over the same `Base` are equal for every size exactly when their forms are equal, so `add`, `concat`
 * and the combinators decide them inside the block however the chains are written. Only true outcomes are decided
 * eagerly by TypeScript here: a size that matches no window stays an undecided (deferred) form.
 * @category Advanced
 */
export type WindowForm<X> = Inv<X> extends Inv<(infer O extends IndexedSize)[infer K extends number | 'out']>
  ? K extends 'out'
    ? Co<O> extends Co<{ readonly rule: infer R }>
      ? R extends readonly [infer A extends number, infer T extends number, infer V extends number, infer L extends string]
        ? Inv<O> extends Inv<infer H & WindowRule<A, T, V, L>>
          ? ComposeForm<WindowForm<H>, A, T>
          : [X, -1, 1]
        : R extends string
          ? Inv<O> extends Inv<infer H & SizeRule<R>>
            ? FormOfText<SplitSize<R>[0]> extends [infer A extends number, infer T extends number]
              ? ComposeForm<WindowForm<H>, A, T>
              : [X, -1, 1]
            : [X, -1, 1]
          : [X, -1, 1]
      : [X, -1, 1]
    : [X, -1, 1]
  : [X, -1, 1]

/** What a size inside a generic block is read from: a window (`(H & WindowRule<…>)['out']`) or a shape (`S[2]`). */
interface IndexedSize {
  readonly [k: number]: unknown
  readonly out?: unknown
}

/**
 * A size inside a generic block as text, for messages: `H`, `⌈H/2⌉`, `⌊(W+1)/4⌋` (H and W name the block input's
 * dims `S[2]`, `S[3]`); `Else` when it is not a window chain over such a dim (also once the block is applied to
 * numbers: a message built inside the block is instantiated there, so it must fall back to the plain text).
 * @category Advanced
 */
export type GenericDimText<X, Else extends string> = WindowForm<X> extends [infer B, infer A extends number, infer T extends number]
  ? Inv<B> extends Inv<(infer _ extends IndexedSize)[infer K extends number]>
    ? [A, T] extends [-1, 1]
      ? AxisName<K>
      : number extends A | T
        ? '?'
        : SymText<AxisName<K>, SignedAdd<A, T>, T>
    : Else
  : Else

type AxisName<K extends number> = K extends 0 ? 'N' : K extends 1 ? 'C' : K extends 2 ? 'H' : K extends 3 ? 'W' : `S[${K}]`

/** The form of window(⌊(B + A0)/T0⌋ + 1, A, T). */
type ComposeForm<F, A extends number, T extends number> = F extends readonly [infer B, infer A0 extends number, infer T0 extends number]
  ? [B, SignedAdd<A0, SignedMultiply<T0, SignedAdd<A, 1>>>, Multiply<T0, T>]
  : never

/** The formula behind {@link WindowSize}, for a non-generic `H`. */
type WindowSizeOf<H, A extends number, T extends number, V extends number, Layer extends string> = H extends number
  ? IsNatural<H> extends true
    ? SignedAdd<H, V> extends infer Fit extends number
      ? `${Fit}` extends `-${infer Short extends number}`
        ? InvalidDim<`${Layer}: kernel larger than padded input (input ${H}, dilated kernel exceeds padded input by ${Short})`>
        : Add<FloorDivide<SignedAdd<H, A> & number, T>, 1>
      : never
    : number
  : H extends Sym<string, infer Base extends string, infer A0 extends number, infer T0 extends number>
    ? SymOf<Base, SignedAdd<A0, SignedMultiply<T0, SignedAdd<A, 1>>>, Multiply<T0, T>>
    : H extends Named<infer Base extends string>
      ? SymOf<Base, A, T>
      : number

/**
 * The derived dim ⌊(Base + A)/T⌋ + 1 with its readable formula; `A = −1, T = 1` is the base itself. `number` if the
 * arithmetic is not literal.
 * @category Shape types
 */
export type SymOf<Base extends string, A extends number, T extends number> = number extends A | T
  ? number
  : [A, T] extends [-1, 1]
    ? Named<Base>
    : Sym<SymText<Base, SignedAdd<A, T>, T>, Base, A, T>

/** ⌊(B + C)/T⌋ written readably (C = A + T): `H+2`, `H−1`, `⌊H/2⌋`, `⌈H/2⌉`, `⌊(H+1)/4⌋`, `⌊(H−3)/4⌋`. */
type SymText<B extends string, C extends number, T extends number> = T extends 1
  ? `${B}${SignedText<C>}`
  : C extends 0
    ? `⌊${B}/${T}⌋`
    : [C] extends [Subtract<T, 1>]
      ? `⌈${B}/${T}⌉`
      : `⌊(${B}${SignedText<C>})/${T}⌋`

/** `+3`, `−2` (U+2212), or nothing for 0. */
type SignedText<C extends number> = C extends 0 ? '' : `${C}` extends `-${infer Abs}` ? `−${Abs}` : `+${C}`

/**
 * The normalised offset of a ceil-mode window: PyTorch rounds ⌈(H + V)/T⌉ + 1 and drops the last window when it
 * would start at or beyond H + P; both together equal ⌊(H + V + min(T − 1, D(K−1) − P))/T⌋ + 1 for every H with
 * H + V ≥ 0 (given P ≤ K/2, which pooling requires). `V` = 2P − D(K−1) − 1.
 * @category Shape types
 */
export type CeilOffset<V extends number, T extends number, K extends number, P extends number, D extends number = 1> = SignedAdd<
  V,
  Min<Subtract<T, 1>, Subtract<Multiply<D, Subtract<K, 1>>, P>>
>

type Min<X extends number, Y extends number> = `${X}` extends `-${string}`
  ? X
  : `${Y}` extends `-${string}`
    ? Y
    : Compare<X, Y> extends 'gt'
      ? Y
      : X

/**
 * `X + Y` for integer literals of either sign.
 * @category Advanced
 */
export type SignedAdd<X extends number, Y extends number> = `${X}` extends `-${infer AX extends number}`
  ? `${Y}` extends `-${infer AY extends number}`
    ? Negate<Add<AX, AY>>
    : Subtract<Y, AX>
  : `${Y}` extends `-${infer AY extends number}`
    ? Subtract<X, AY>
    : Add<X, Y>

/**
 * `N · Y` for a natural `N` and an integer literal `Y` of either sign.
 * @category Advanced
 */
export type SignedMultiply<N extends number, Y extends number> = `${Y}` extends `-${infer AY extends number}` ? Negate<Multiply<N, AY>> : Multiply<N, Y>

/**
 * −x for a literal that may be negative: `Negate<-11>` is `11`, `Negate<3>` is `-3`.
 * @category Advanced
 */
export type Negate<X extends number> = `${X}` extends `-${infer Abs extends number}`
  ? Abs
  : X extends 0
    ? 0
    : `-${X}` extends `${infer Neg extends number}`
      ? Neg
      : never

/**
 * Runtime twin of {@link WindowSize}: the output size along one axis, or a negative/zero number when no window fits.

 * @example
 * ```ts
 * import { windowSize } from 'shapesafe'
 * // h, kernel, stride, padding, dilation, ceilMode
 * windowSize(224, 7, 2, 3, 1, false) // 112: ResNet's stem conv
 * windowSize(112, 3, 2, 1, 1, false) // 56: its max pool
 * windowSize(2, 5, 1, 0, 1, false) // 0: no 5-wide window fits in 2
 * ```
 * @category Shape types
 */
export function windowSize(h: number, kernel: number, stride: number, padding: number, dilation: number, ceilMode: boolean): number {
  const offset = 2 * padding - dilation * (kernel - 1) - 1
  // Ceil mode: ⌈(h + offset)/s⌉ + 1, less one if the last window starts at or beyond h + padding, is this normal form
  // (and PyTorch keeps a last window that hangs over the input while one output remains).
  const a = ceilMode ? offset + Math.min(stride - 1, dilation * (kernel - 1) - padding) : offset
  if (h + a < 0) return 0
  return Math.floor((h + a) / stride) + 1
}

/**
 * Runtime twin of {@link WindowSize} for any dim: a literal gives {@link windowSize}; a named dim (`dim('H')`) or a
 * size derived from one gives the derived dim in normal form ⌊(Base + A)/T⌋ + 1 with the same readable name as its
 * type (`⌈H/2⌉`, `H−2`), so the trace of a pipeline over named dims agrees with its types (merges compare names).
 * A window that may not fit a named dim is not an error here, as in the types: it is decided with numbers.
 * @category Advanced
 */
export function windowDim(d: Dim, kernel: number, stride: number, padding: number, dilation: number, ceilMode: boolean): Dim {
  if (!isNamed(d)) return windowSize(d, kernel, stride, padding, dilation, ceilMode)
  const offset = 2 * padding - dilation * (kernel - 1) - 1
  const a = ceilMode ? offset + Math.min(stride - 1, dilation * (kernel - 1) - padding) : offset
  const [base, a0, t0] = formOf(d)
  return derivedDim(base, a0 + t0 * (a + 1), t0 * stride)
}

/** The normal form `[base, A, T]` of a runtime named or derived dim. */
function formOf(d: Named): readonly [string, number, number] {
  const form = (d as Partial<Sym>).form
  return form === undefined ? [d.dimName, -1, 1] : form
}

/** The dim ⌊(base + A)/T⌋ + 1, named as its type {@link SymOf} names it. */
function derivedDim(base: string, a: number, t: number): Named {
  if (a === -1 && t === 1) return Object.freeze({ dimName: base })
  const c = a + t
  const signed = (n: number) => (n === 0 ? '' : n < 0 ? `−${-n}` : `+${n}`)
  const text = t === 1 ? `${base}${signed(c)}` : c === 0 ? `⌊${base}/${t}⌋` : c === t - 1 ? `⌈${base}/${t}⌉` : `⌊(${base}${signed(c)})/${t}⌋`
  return Object.freeze({ dimName: text, form: Object.freeze([base, a, t] as const) }) as Sym
}

/**
 * Cells past the padded input (bottom/right) that the last window reads: 0 in floor mode; in ceil mode the last
 * window may start inside the padded input and run past its end. Follows from {@link windowSize}.
 * @category Advanced
 */
export function windowOverhang(h: number, kernel: number, stride: number, padding: number, dilation: number, ceilMode: boolean): number {
  const out = windowSize(h, kernel, stride, padding, dilation, ceilMode)
  return Math.max(0, (out - 1) * stride + dilation * (kernel - 1) + 1 - (h + 2 * padding))
}

/**
 * PyTorch's adaptive-pool averaging matrix `[out, size]`: row i averages input cells ⌊i·size/out⌋ … ⌈(i+1)·size/out⌉ − 1
 * (the run-time lowering and the ONNX export both use it).
 * @category Advanced
 */
export function adaptiveBins(size: number, out: number): Float32Array {
  const m = new Float32Array(out * size)
  for (let i = 0; i < out; i++) {
    const start = Math.floor((i * size) / out)
    const end = Math.ceil(((i + 1) * size) / out)
    for (let j = start; j < end; j++) m[i * size + j] = 1 / (end - start)
  }
  return m
}
