/**
 * Verdicts that wait for numbers: a check on a generic block's type parameters cannot be decided when the block is
 * written, so it must pass there and be decided where the block is applied. A conditional type cannot do that (a
 * value is assignable to an undecided conditional only if it fits both branches), an indexed access can.
 * @module
 */
import type { ShapeCheckFailed } from './format.js'

/**
 * A check's verdict from a key: `0` fails with `Message`, any other number passes. A key that is still generic
 * (a check on a block's type parameters) passes, because TypeScript relates a value to `Table[K]` through `K`'s
 * constraint (`number`, the index signature): checks that cannot be decided yet never fail on the spot.
 * @category Advanced
 */
export type Verdict<Message extends string, Key extends number> = VerdictTable<Message>[Key & number]

interface VerdictTable<Message extends string> {
  readonly [n: number]: unknown
  readonly 0: ShapeCheckFailed<Message>
}

/**
 * `0` when `Failed` is `true`, else `number` (a generic `Failed` leaves a key whose constraint is `number`).
 * @category Advanced
 */
export type FailKey<Failed> = [Failed] extends [true] ? 0 : number
