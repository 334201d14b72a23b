/**
 * The sliding-window size rule shared by convolution and pooling, at type level and at run time.
 *
 * H_out = ⌊(H + 2p − d(k−1) − 1)/s⌋ + 1 (PyTorch's formula). At type level it is normalised to an offset
 * `off = 2p − d(k−1) − 1` computed once from the layer's literal options, so two layers with the same offset and
 * stride produce the *same type expression* for a generic H, which lets residual and concat checks pass inside
 * generic blocks.
 * @module
 */
import type { Add, FloorDivide, IsNatural, Multiply, Subtract } from './arithmetic.js'

/** A per-axis pair `[h, w]` from an option that is a number, a pair, or absent (then `Default`). */
export type PairOf<V, Default extends number> = V extends readonly [infer A extends number, infer B extends number]
  ? [A, B]
  : V extends number
    ? [V, V]
    : [Default, Default]

/** The offset `2p − d(k−1) − 1` of the window rule, a (possibly negative) literal. */
export type WindowOffset<K extends number, P extends number, D extends number> = D extends 1
  ? Subtract<Multiply<2, P>, K> // d = 1 (the usual case): 2p − k, two operations instead of five
  : Subtract<Multiply<2, P>, Add<Multiply<D, Subtract<K, 1>>, 1>>

/**
 * A dim that cannot exist, with the reason. It is not a `Dim`, so handing it to the next layer is a compile error
 * that quotes the reason; hovering shows it too.
 */
export interface InvalidDim<Reason extends string> {
  /** Why the size is invalid. */
  readonly '⛔': Reason
}

/**
 * Output size of a window op along one axis, from the input size `H`, the offset `Off` and the stride `S`:
 * `⌊(H + Off)/S⌋ + 1`, or with `Ceil` `⌈(H + Off)/S⌉ + 1` minus one if the last window would start in the right
 * padding (PyTorch's ceil-mode rule, which needs the padding `P`). `number` in, `number` out.
 * An output below 1 is an {@link InvalidDim} naming the `Layer`.
 *
 * For a literal `H` this is the literal size. For a generic `H` (a dim of a generic block's input) it stays the
 * deferred `WindowSize<H, Off, S, Layer>`, and two layers with the same offset and stride give the identical type.
 *
 * Cost note: the formula sits behind a property lookup on `H & WindowRule<…>` rather than in a conditional type.
 * With a generic `H` that lookup is deferred as an indexed access, which TypeScript relates and infers from by its
 * parts (`H` and the rule), so passing a generic layer to `pipe` inside a generic block never makes it explore the
 * digit arithmetic (a conditional type alias would be probed structurally, tens of thousands of instantiations).
 */
export type WindowSize<
  H,
  Off extends number,
  S extends number,
  Layer extends string,
  Ceil extends boolean = false,
  P extends number = 0,
> = (H & WindowRule<Off, S, Layer, Ceil, P>)['out']

/**
 * The window rule of one layer axis as an object type: `(H & WindowRule<…>)['out']` is the output size for input
 * size `H` (read back from the polymorphic `this`). Its parameters are declared invariant (`in out`) so TypeScript
 * never measures their variance by exploring the formula. Use {@link WindowSize} rather than this directly.
 */
export interface WindowRule<
  in out Off extends number,
  in out S extends number,
  in out Layer extends string,
  in out Ceil extends boolean,
  in out P extends number,
> {
  /** The output size for the input size intersected with this rule. */
  readonly out: this extends infer H & WindowRule<Off, S, Layer, Ceil, P> ? WindowSizeOf<H, Off, S, Layer, Ceil, P> : never
}

/** The formula behind {@link WindowSize}, for a concrete `H`. */
type WindowSizeOf<H, Off extends number, S extends number, Layer extends string, Ceil extends boolean, P extends number> =
  H extends number
    ? IsNatural<H> extends true
      ? SignedAdd<H, Off> extends infer Span extends number // Span = H + Off
        ? `${Span}` extends `-${infer Short extends number}`
          ? InvalidDim<`${Layer}: kernel larger than padded input (input ${H}, dilated kernel exceeds padded input by ${Short})`>
          : Ceil extends true
            ? CeilWindow<Span, S, H, P>
            : Add<FloorDivide<Span, S>, 1>
        : never
      : number
    : number

/** `H + Off` for a natural `H` and a literal `Off` that may be negative. */
export type SignedAdd<H extends number, Off extends number> = `${Off}` extends `-${infer Abs extends number}`
  ? Subtract<H, Abs>
  : Add<H, Off>

/** ⌈span/s⌉ + 1, less one when that last window starts at or beyond H + P. */
type CeilWindow<Span extends number, S extends number, H extends number, P extends number> =
  Add<FloorDivide<Add<Span, Subtract<S, 1>>, S>, 1> extends infer Out extends number
    ? Multiply<Subtract<Out, 1>, S> extends infer Start extends number
      ? Subtract<Start, Add<H, P>> extends infer Excess extends number
        ? `${Excess}` extends `-${string}`
          ? Out
          : Subtract<Out, 1>
        : never
      : never
    : never

/** −x for a literal that may be negative: `Negate<-11>` is `11`, `Negate<3>` is `-3`. */
export type Negate<X extends number> = `${X}` extends `-${infer Abs extends number}`
  ? Abs
  : X extends 0
    ? 0
    : `-${X}` extends `${infer Neg extends number}`
      ? Neg
      : never

/**
 * Runtime twin of {@link WindowSize}: the output size along one axis, or a negative/zero number when no window fits.
 */
export function windowSize(h: number, kernel: number, stride: number, padding: number, dilation: number, ceilMode: boolean): number {
  const span = h + 2 * padding - dilation * (kernel - 1) - 1
  if (span < 0) return 0
  if (!ceilMode) return Math.floor(span / stride) + 1
  let out = Math.ceil(span / stride) + 1
  if ((out - 1) * stride >= h + padding) out -= 1
  return out
}

/**
 * Cells past the padded input (bottom/right) that the last window reads: 0 in floor mode; in ceil mode the last
 * window may start inside the padded input and run past its end. Follows from {@link windowSize}.
 */
export function windowOverhang(h: number, kernel: number, stride: number, padding: number, dilation: number, ceilMode: boolean): number {
  const out = windowSize(h, kernel, stride, padding, dilation, ceilMode)
  return Math.max(0, (out - 1) * stride + dilation * (kernel - 1) + 1 - (h + 2 * padding))
}
