/**
 * Exact natural-number arithmetic on numeric literal types, done digit by digit on their decimal strings.
 *
 * Every operator returns `number` when an operand is `number` (unknown), so an unknown never turns into a wrong
 * literal. Operands are non-negative integer literals; results are exact far beyond 10^12 (products are computed on
 * digit strings, not tuple lengths, so there is no 9999 ceiling).
 *
 * Cost notes (TypeScript counts "instantiations"; a deep conditional type costs several per step): the digit steps
 * use the generated lookup tables in `digitTables.ts`, keyed by short template strings, and fold carries into the
 * looked-up value; strings are reversed four characters per step; division by a one-digit divisor runs left to right
 * without reversing; `+0`, `×0`, `×1`, `÷1` and equal operands are answered without digit work.
 * @module
 */
import type {
  AddTable,
  CarryOf,
  CompareResult,
  CompareTable,
  Digit,
  DigitOf,
  DivDigitQuotient,
  DivDigitRemainder,
  HighDigit,
  LowDigit,
  MulTable,
  SubTable,
} from './digitTables.js'

/**
 * Reverses a string: `Reverse<'123'>` is `'321'`. Digits are processed least-significant first.
 * @category Advanced
 */
export type Reverse<S extends string, Acc extends string = ''> = S extends `${infer A}${infer B}${infer C}${infer D}${infer R}`
  ? R extends Digit | ''
    ? `${R}${D}${C}${B}${A}${Acc}`
    : Reverse<R, `${D}${C}${B}${A}${Acc}`>
  : S extends `${infer A}${infer B}${infer C}`
    ? `${C}${B}${A}${Acc}`
    : `${S}${Acc}`

/**
 * Parses a decimal string into its numeric literal type: `ToNumber<'42'>` is `42`.
 * @category Advanced
 */
export type ToNumber<S extends string> = S extends `${infer N extends number}` ? N : never

/**
 * True when `T` is the wide `number` type (an unknown dim), false for literals.
 * @category Advanced
 */
export type IsUnknown<T> = number extends T ? true : false

/**
 * True for a non-negative integer literal such as `224`; false for `number`, negatives, fractions and unions.
 * @category Advanced
 */
export type IsNatural<T> = [T] extends [number] ? ([T] extends [never] ? false : NaturalPair<T & number, 0>) : false

/**
 * `true` when both operands are single non-negative integer literals. `${bigint}` rejects `number`, fractions and
 * exponent notation; the distributive `P` with the `[Whole] extends [P]` test rejects unions.
 */
type NaturalPair<A extends number, B extends number, P extends string = `${A},${B}`> = P extends `${bigint},${bigint}`
  ? [`${A},${B}`] extends [P]
    ? P extends `-${string}` | `${string},-${string}`
      ? false
      : true
    : false
  : false

/** Drops leading zeros, keeping a lone `'0'`. */
type StripZeros<S extends string> = S extends `0${infer R}` ? (R extends '' ? '0' : StripZeros<R>) : S

// ---------------------------------------------------------------------------------------------------------------
// Addition and subtraction on reversed digit strings (least significant first). `K` is the previous encoded digit
// (its carry/borrow feeds the next lookup); the result is prepended, so it comes out in normal order.

/** Sum of reversed digit strings, in normal order. */
type AddDigits<A extends string, B extends string, K extends string = '', Acc extends string = ''> =
  A extends `${infer a}${infer ar}`
    ? B extends `${infer b}${infer br}`
      ? AddDigits<ar, br, AddTable[`${K}${a}${b}`], `${DigitOf[K]}${Acc}`>
      : AddDigits<ar, '', AddTable[`${K}${a}0`], `${DigitOf[K]}${Acc}`>
    : B extends `${infer b}${infer br}`
      ? AddDigits<'', br, AddTable[`${K}0${b}`], `${DigitOf[K]}${Acc}`>
      : `${CarryOf[K]}${DigitOf[K]}${Acc}`

/** Sum of reversed digit strings, reversed (for accumulating partial products). */
type AddDigitsReversed<A extends string, B extends string, K extends string = '', Acc extends string = ''> =
  A extends `${infer a}${infer ar}`
    ? B extends `${infer b}${infer br}`
      ? AddDigitsReversed<ar, br, AddTable[`${K}${a}${b}`], `${Acc}${DigitOf[K]}`>
      : AddDigitsReversed<ar, '', AddTable[`${K}${a}0`], `${Acc}${DigitOf[K]}`>
    : B extends `${infer b}${infer br}`
      ? AddDigitsReversed<'', br, AddTable[`${K}0${b}`], `${Acc}${DigitOf[K]}`>
      : `${Acc}${DigitOf[K]}${CarryOf[K]}`

/**
 * A − B on reversed digit strings, in normal order with leading zeros, prefixed by `'-'` when the result borrowed
 * out (A < B; the digits are then garbage and the caller computes B − A instead).
 */
type SubDigits<A extends string, B extends string, K extends string = '', Acc extends string = ''> =
  A extends `${infer a}${infer ar}`
    ? B extends `${infer b}${infer br}`
      ? SubDigits<ar, br, SubTable[`${K}${a}${b}`], `${DigitOf[K]}${Acc}`>
      : SubDigits<ar, '', SubTable[`${K}${a}0`], `${DigitOf[K]}${Acc}`>
    : B extends ''
      ? `${CarryOf[K] extends '' ? '' : '-'}${DigitOf[K]}${Acc}`
      : '-'

/** A − B for normal-order digit strings with A ≥ B, without leading zeros. */
type SubStrings<A extends string, B extends string> = StripZeros<SubDigits<Reverse<A>, Reverse<B>>>

// ---------------------------------------------------------------------------------------------------------------
// Comparison, most significant digit first, on normal-order strings without leading zeros.

type CompareDigits<A extends string, B extends string, S extends string = 'e'> = A extends `${infer a}${infer ar}`
  ? B extends `${infer b}${infer br}`
    ? CompareDigits<ar, br, CompareTable[`${S}${a}${b}`]>
    : 'gt'
  : B extends ''
    ? CompareResult[S]
    : 'lt'

/** 'lt' | 'eq' | 'gt' for normal-order digit strings without leading zeros. */
type CompareStrings<A extends string, B extends string> = A extends B ? 'eq' : CompareDigits<A, B>

// ---------------------------------------------------------------------------------------------------------------
// Multiplication: reversed A times one digit, then shift-and-add over the reversed digits of B.

/** Reversed A times digit `b`, reversed. `C` is the carry digit. */
type MulByDigit<A extends string, b extends string, C extends string = '0', Acc extends string = ''> =
  A extends `${infer a}${infer ar}`
    ? MulByDigitStep<ar, b, MulTable[`${C}${a}${b}`], Acc>
    : C extends '0'
      ? Acc
      : `${Acc}${C}`

type MulByDigitStep<ar extends string, b extends string, P extends string, Acc extends string> = MulByDigit<
  ar,
  b,
  HighDigit[P],
  `${Acc}${LowDigit[P]}`
>

/** Reversed product of reversed A and reversed B. */
type MulDigits<A extends string, B extends string, Shift extends string = '', Acc extends string = ''> =
  B extends `${infer b}${infer br}`
    ? MulDigits<A, br, `${Shift}0`, b extends '0' ? Acc : AddDigitsReversed<Acc, `${Shift}${MulByDigit<A, b>}`>>
    : Acc

/** Normal-order product of normal-order digit strings (neither is '0'). */
type MulStrings<A extends string, B extends string> = B extends Digit
  ? Reverse<MulByDigit<Reverse<A>, B>>
  : A extends Digit
    ? Reverse<MulByDigit<Reverse<B>, A>>
    : Reverse<MulDigits<Reverse<A>, Reverse<B>>>

// ---------------------------------------------------------------------------------------------------------------
// Division. A one-digit divisor runs left to right with the quotient/remainder tables; larger divisors use long
// division with repeated subtraction. Both return [quotient, remainder] as strings.

type DivBySmall<A extends string, b extends string, R extends string = '0', Q extends string = ''> =
  A extends `${infer d}${infer ar}`
    ? DivBySmall<ar, b, DivDigitRemainder[`${b}${R}${d}`], `${Q}${DivDigitQuotient[`${b}${R}${d}`]}`>
    : [Q extends `0${infer T extends `${Digit}${string}`}` ? T : Q, R]

type DivLong<A extends string, B extends string, Rem extends string, Q extends string> = A extends `${infer d}${infer ar}`
  ? DivLongDigit<StripZeros<`${Rem}${d}`>, B, 0, ar, Q>
  : [StripZeros<Q>, Rem]

type DivLongDigit<R extends string, B extends string, q extends number, ar extends string, Q extends string> =
  CompareStrings<R, B> extends 'lt'
    ? DivLong<ar, B, R, `${Q}${q}`>
    : DivLongDigit<SubStrings<R, B>, B, [1, 2, 3, 4, 5, 6, 7, 8, 9, 10][q], ar, Q>

type DivStrings<A extends string, B extends string> = B extends Digit ? DivBySmall<A, B> : DivLong<A, B, '', ''>

// ---------------------------------------------------------------------------------------------------------------

/**
 * `A + B` for natural literals, e.g. `Add<25000, 88>` is `25088`; `number` if either is unknown.
 * @category Shape types
 */
export type Add<A extends number, B extends number> =
  NaturalPair<A, B> extends true
    ? B extends 0
      ? A
      : A extends 0
        ? B
        : ToNumber<AddDigits<Reverse<`${A}`>, Reverse<`${B}`>>>
    : number

/**
 * `A − B` for natural literals. A negative result is the negative literal (`Subtract<3, 5>` is `-2`), so callers can
 * test it; `number` if either is unknown.
 * @category Shape types
 */
export type Subtract<A extends number, B extends number> =
  NaturalPair<A, B> extends true
    ? B extends 0
      ? A
      : [A] extends [B]
        ? 0
        : SubDigits<Reverse<`${A}`>, Reverse<`${B}`>> extends `${infer D}`
          ? D extends `-${string}`
            ? ToNumber<`-${StripZeros<SubDigits<Reverse<`${B}`>, Reverse<`${A}`>>>}`>
            : ToNumber<StripZeros<D>>
          : never
    : number

/**
 * `A · B` for natural literals, exact past 10^9: `Multiply<4096, 25088>` is `102760448`.
 * @category Shape types
 */
export type Multiply<A extends number, B extends number> =
  NaturalPair<A, B> extends true
    ? A extends 0
      ? 0
      : B extends 0
        ? 0
        : A extends 1
          ? B
          : B extends 1
            ? A
            : ToNumber<MulStrings<`${A}`, `${B}`>>
    : number

/**
 * `⌊A / B⌋` for natural literals (`B` > 0); `number` if either is unknown or `B` is 0.
 * @category Shape types
 */
export type FloorDivide<A extends number, B extends number> =
  NaturalPair<A, B> extends true
    ? B extends 0
      ? number
      : B extends 1
        ? A
        : DivStrings<`${A}`, `${B}`> extends [infer Q extends string, string]
          ? ToNumber<Q>
          : never
    : number

/**
 * `A mod B` for natural literals (`B` > 0); `number` if unknown.
 * @category Shape types
 */
export type Modulo<A extends number, B extends number> =
  NaturalPair<A, B> extends true
    ? B extends 0
      ? number
      : B extends 1
        ? 0
        : DivStrings<`${A}`, `${B}`> extends [string, infer R extends string]
          ? ToNumber<R>
          : never
    : number

/**
 * Three-way comparison of natural literals: `'lt' | 'eq' | 'gt'`, or `'unknown'` if either is `number`.
 * @category Shape types
 */
export type Compare<A extends number, B extends number> =
  NaturalPair<A, B> extends true ? CompareStrings<`${A}`, `${B}`> : 'unknown'

/**
 * True when `A < B` for literals; `false` when unknown (unknown never produces a verdict).
 * @category Advanced
 */
export type LessThan<A extends number, B extends number> = Compare<A, B> extends 'lt' ? true : false

/**
 * True when `A` is a negative integer literal (as produced by {@link Subtract}).
 * @category Advanced
 */
export type IsNegative<A extends number> = `${A}` extends `-${string}` ? true : false
