/**
 * Type-level option checks shared by layers: each yields `unknown` when fine or a {@link ShapeCheckFailed} message.
 * @module
 */
import type { Compare, Modulo } from '../shape/arithmetic.js'
import type { DimsAgree, FormatDim, ShapeCheckFailed } from '../shape/format.js'
import type { PairOf } from '../shape/window.js'

/**
 * Lookup whose entry 0 is the failure: indexing it with a literal 0 fails, any other literal passes, and a generic
 * index passes too (TypeScript relates against the index signature), so generic blocks stay checkable.
 */
interface NonZeroTable<Message extends string> {
  readonly [n: number]: unknown
  readonly 0: ShapeCheckFailed<Message>
}

/** Fails when a number-or-pair option is 0 on either axis; undecidable (generic) values pass. */
export type PositiveOption<V, Layer extends string, Name extends string> = NonZeroTable<`${Layer}: ${Name} must be at least 1, got 0`>[PairOf<V, 1>[0]] &
  NonZeroTable<`${Layer}: ${Name} must be at least 1, got 0`>[PairOf<V, 1>[1]]

/** Fails when `Channels` (a literal) is not divisible by `Groups`. */
export type DivisibleBy<Channels, Groups, Layer extends string, What extends string> = Groups extends 1
  ? unknown
  : Channels extends number
  ? Groups extends number
    ? Modulo<Channels, Groups> extends 0 | (number extends Modulo<Channels, Groups> ? number : never)
      ? unknown
      : ShapeCheckFailed<`${Layer}: ${What} ${Channels} not divisible by groups ${Groups}`>
    : unknown
  : unknown

/** Fails when padding is more than half the kernel on either axis (PyTorch rejects it for pooling). */
export type PaddingAtMostHalfKernel<K, P, Layer extends string> = PairOf<K, 1> extends [infer KH extends number, infer KW extends number]
  ? PairOf<P, 0> extends [infer PH extends number, infer PW extends number]
    ? Compare<Twice<PH>, KH> extends 'gt'
      ? ShapeCheckFailed<`${Layer}: padding ${PH} is more than half the kernel ${KH}`>
      : Compare<Twice<PW>, KW> extends 'gt'
        ? ShapeCheckFailed<`${Layer}: padding ${PW} is more than half the kernel ${KW}`>
        : unknown
    : unknown
  : unknown

type Twice<X extends number> = import('../shape/arithmetic.js').Multiply<X, 2>

/** `unknown` when dim `Actual` may equal `Expected`, else the message `<layer>: expected <n> <what>, got <m>`. */
export type ExpectDim<Actual, Expected, Layer extends string, What extends string> = [Expected] extends [never]
  ? unknown
  : DimsAgree<Actual, Expected> extends true
    ? unknown
    : ShapeCheckFailed<`${Layer}: expected ${FormatDim<Expected>} ${What}, got ${FormatDim<Actual>}`>
