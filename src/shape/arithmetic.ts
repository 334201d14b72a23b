/**
 * Exact natural-number arithmetic on numeric literal types, done digit by digit on their decimal strings.
 *
 * Every operator returns `number` when an operand is `number` (unknown), so an unknown never turns into a wrong
 * literal. Operands are non-negative integer literals; results are exact up to and beyond 10^9 (products are
 * computed on digit strings, not tuple lengths, so there is no 9999 ceiling).
 * @module
 */
import type { AddDigit, AddDigitCarry, Digit, MulDigit, SubDigit, SubDigitBorrow } from './digitTables.js'

/** Reverses a string: `Reverse<'123'>` is `'321'`. Digits are processed least-significant first. */
export type Reverse<S extends string, Acc extends string = ''> = S extends `${infer H}${infer R}` ? Reverse<R, `${H}${Acc}`> : Acc

/** Parses a decimal string into its numeric literal type: `ToNumber<'42'>` is `42`. */
export type ToNumber<S extends string> = S extends `${infer N extends number}` ? N : never

/** Drops leading zeros, keeping a lone `'0'`. */
type StripZeros<S extends string> = S extends `0${infer R}` ? (R extends '' ? '0' : StripZeros<R>) : S

/** True when `T` is the wide `number` type (an unknown dim), false for literals. */
export type IsUnknown<T> = number extends T ? true : false

/** True for a non-negative integer literal such as `224`; false for `number`, negatives, fractions and unions. */
export type IsNatural<T> = [T] extends [number]
  ? number extends T
    ? false
    : IsUnion<T> extends true
      ? false
      : `${T}` extends `-${string}` | `${string}.${string}` | `${string}e${string}`
        ? false
        : true
  : false

type IsUnion<T, U = T> = T extends unknown ? ([U] extends [T] ? false : true) : never

// ---------------------------------------------------------------------------------------------------------------
// Addition on reversed digit strings (least significant digit first); the accumulator is reversed as well.

type AddTable<C extends string> = C extends '1' ? AddDigitCarry : AddDigit

type AddReversed<A extends string, B extends string, C extends string = '0', Acc extends string = ''> =
  A extends `${infer a extends Digit}${infer ar}`
    ? B extends `${infer b extends Digit}${infer br}`
      ? AddStep<AddTable<C>[a][b], ar, br, Acc>
      : AddStep<AddTable<C>[a]['0'], ar, '', Acc>
    : B extends `${infer b extends Digit}${infer br}`
      ? AddStep<AddTable<C>['0'][b], '', br, Acc>
      : C extends '1'
        ? `${Acc}1`
        : Acc

type AddStep<R, ar extends string, br extends string, Acc extends string> = R extends [
  infer c extends string,
  infer d extends string,
]
  ? AddReversed<ar, br, c, `${Acc}${d}`>
  : never

// Subtraction on reversed digit strings, A ≥ B.
type SubTable<B extends string> = B extends '1' ? SubDigitBorrow : SubDigit

type SubReversed<A extends string, B extends string, Bw extends string = '0', Acc extends string = ''> =
  A extends `${infer a extends Digit}${infer ar}`
    ? B extends `${infer b extends Digit}${infer br}`
      ? SubStep<SubTable<Bw>[a][b], ar, br, Acc>
      : SubStep<SubTable<Bw>[a]['0'], ar, '', Acc>
    : Acc

type SubStep<R, ar extends string, br extends string, Acc extends string> = R extends [
  infer w extends string,
  infer d extends string,
]
  ? SubReversed<ar, br, w, `${Acc}${d}`>
  : never

// Comparison of normal-order digit strings without leading zeros.
type CompareLength<A extends string, B extends string> = A extends `${string}${infer ar}`
  ? B extends `${string}${infer br}`
    ? CompareLength<ar, br>
    : 'gt'
  : B extends ''
    ? 'eq'
    : 'lt'

type CompareDigits<A extends string, B extends string> = A extends `${infer a extends Digit}${infer ar}`
  ? B extends `${infer b extends Digit}${infer br}`
    ? a extends b
      ? CompareDigits<ar, br>
      : SubDigit[a][b][0] extends '1'
        ? 'lt'
        : 'gt'
    : 'gt'
  : 'eq'

type CompareStrings<A extends string, B extends string> =
  CompareLength<A, B> extends infer L ? (L extends 'eq' ? CompareDigits<A, B> : L) : never

/** Normal-order digit-string subtraction, A ≥ B, without leading zeros. */
type SubStrings<A extends string, B extends string> = StripZeros<Reverse<SubReversed<Reverse<A>, Reverse<B>>>>

// Multiplication: A (reversed) times one digit, then shift-and-add over B's digits.
type MulByDigit<A extends string, b extends Digit, C extends Digit = '0', Acc extends string = ''> =
  A extends `${infer a extends Digit}${infer ar}`
    ? MulStep<MulDigit[a][b], C, ar, b, Acc>
    : C extends '0'
      ? Acc
      : `${Acc}${C}`

type MulStep<P, C extends Digit, ar extends string, b extends Digit, Acc extends string> = P extends [
  infer pc extends Digit,
  infer pd extends Digit,
]
  ? AddDigit[pd][C] extends [infer c2 extends string, infer d extends string]
    ? MulByDigit<ar, b, c2 extends '1' ? AddDigit[pc]['1'][1] : pc, `${Acc}${d}`>
    : never
  : never

type MulReversed<A extends string, B extends string, Shift extends string = '', Acc extends string = '0'> =
  B extends `${infer b extends Digit}${infer br}`
    ? MulReversed<A, br, `${Shift}0`, b extends '0' ? Acc : AddReversed<Acc, `${Shift}${MulByDigit<A, b>}`>>
    : Acc

// Long division on normal-order strings: returns [quotient, remainder].
type DivLoop<A extends string, B extends string, Rem extends string, Q extends string> =
  A extends `${infer d}${infer ar}` ? DivDigit<StripZeros<`${Rem}${d}`>, B, '0', ar, Q> : [StripZeros<Q>, Rem]

type DivDigit<R extends string, B extends string, q extends Digit, ar extends string, Q extends string> =
  CompareStrings<R, B> extends 'lt' ? DivLoop<ar, B, R, `${Q}${q}`> : DivDigit<SubStrings<R, B>, B, AddDigit[q]['1'][1], ar, Q>

// ---------------------------------------------------------------------------------------------------------------

/** `A + B` for natural literals, e.g. `Add<25000, 88>` is `25088`; `number` if either is unknown. */
export type Add<A extends number, B extends number> = IsNatural<A> extends true
  ? IsNatural<B> extends true
    ? ToNumber<Reverse<AddReversed<Reverse<`${A}`>, Reverse<`${B}`>>>>
    : number
  : number

/**
 * `A − B` for natural literals. A negative result is the negative literal (`Subtract<3, 5>` is `-2`), so callers can
 * test it; `number` if either is unknown.
 */
export type Subtract<A extends number, B extends number> = IsNatural<A> extends true
  ? IsNatural<B> extends true
    ? CompareStrings<`${A}`, `${B}`> extends 'lt'
      ? ToNumber<`-${SubStrings<`${B}`, `${A}`>}`>
      : ToNumber<SubStrings<`${A}`, `${B}`>>
    : number
  : number

/** `A · B` for natural literals, exact past 10^9: `Multiply<4096, 25088>` is `102760448`. */
export type Multiply<A extends number, B extends number> = IsNatural<A> extends true
  ? IsNatural<B> extends true
    ? ToNumber<StripZeros<Reverse<MulReversed<Reverse<`${A}`>, Reverse<`${B}`>>>>>
    : number
  : number

/** `⌊A / B⌋` for natural literals (`B` > 0); `number` if either is unknown or `B` is 0. */
export type FloorDivide<A extends number, B extends number> = IsNatural<A> extends true
  ? IsNatural<B> extends true
    ? B extends 0
      ? number
      : DivLoop<`${A}`, `${B}`, '', ''> extends [infer Q extends string, string] ? ToNumber<Q> : never
    : number
  : number

/** `A mod B` for natural literals (`B` > 0); `number` if unknown. */
export type Modulo<A extends number, B extends number> = IsNatural<A> extends true
  ? IsNatural<B> extends true
    ? B extends 0
      ? number
      : DivLoop<`${A}`, `${B}`, '', ''> extends [string, infer R extends string] ? ToNumber<R> : never
    : number
  : number

/** Three-way comparison of natural literals: `'lt' | 'eq' | 'gt'`, or `'unknown'` if either is `number`. */
export type Compare<A extends number, B extends number> = IsNatural<A> extends true
  ? IsNatural<B> extends true
    ? CompareStrings<`${A}`, `${B}`>
    : 'unknown'
  : 'unknown'

/** True when `A < B` for literals; `false` when unknown (unknown never produces a verdict). */
export type LessThan<A extends number, B extends number> = Compare<A, B> extends 'lt' ? true : false

/** True when `A` is a negative integer literal (as produced by {@link Subtract}). */
export type IsNegative<A extends number> = `${A}` extends `-${string}` ? true : false
