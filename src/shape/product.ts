/**
 * Products of sizes that keep their literal type: `prod(16, 5, 5)` is `400` to the compiler as well as at run time,
 * where `16 * 5 * 5` is only `number` (and an option typed `number` cannot be checked).
 * @module
 */
import type { Multiply } from './arithmetic.js'

/**
 * Product of dims; `number` if any is unknown or named. `Product<[512, 7, 7]>` is `25088`. Trailing 1s are dropped
 * before multiplying, so a generic channel count survives a 1×1 map: `Product<[K, 1, 1]>` is `K`.
 * @category Shape types
 */
export type Product<D extends readonly unknown[]> = D extends readonly [infer H extends number, ...infer R]
  ? R extends readonly []
    ? H
    : Product<R> extends infer P extends number
      ? P extends 1
        ? H
        : Multiply<H, P>
      : number
  : D extends readonly []
    ? 1
    : number

/**
 * The product of sizes with its literal type, for options the compiler checks: PyTorch's `nn.Linear(16 * 5 * 5, 120)`
 * is `linear({ in: prod(16, 5, 5), out: 120 })`, whose `in` has type `400` (a plain `16 * 5 * 5` has type `number`,
 * which would turn the check off, so the layer rejects it). Exact for products up to 2^53; factors are non-negative
 * integers.
 * @example
 * ```ts
 * import { prod } from 'shapesafe'
 * const features = prod(512, 7, 7) // 25088, of type 25088
 * ```
 * @category Shape types
 */
export function prod<const Ns extends readonly number[]>(...factors: Ns): Product<Ns> {
  let p = 1
  for (const f of factors) {
    if (!Number.isSafeInteger(f) || f < 0) throw new RangeError(`prod: factors must be non-negative integers, got ${f}`)
    p *= f
  }
  if (!Number.isSafeInteger(p)) throw new RangeError(`prod: ${factors.join(' · ')} exceeds 2^53 (not exact as a number)`)
  return p as Product<Ns>
}
