/**
 * Flattening all dims after the batch into one feature dim.
 * @module
 */
import type { Multiply } from '../shape/arithmetic.js'
import type { Dim, Shape } from '../shape/dim.js'
import { isNamed } from '../shape/dim.js'
import type { Tensor } from '../graph/tensor.js'
import { defineLayer, emit, ShapeError, type LayerInfo } from './layer.js'

/**
 * Product of dims; `number` if any is unknown or named. `Product<[512, 7, 7]>` is `25088`. Trailing 1s are dropped
 * before multiplying, so a generic channel count survives a 1×1 map: `Product<[K, 1, 1]>` is `K`.
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

/** Output shape of {@link flatten}: `[N, C·H·W]`. */
export type Flattened<S extends Shape> = S extends [infer B, ...infer Rest] ? [B, Product<Rest>] : [Dim, number]

/** The flatten layer: `Tensor<[N, ...dims]>` → `Tensor<[N, product(dims)]>`. */
export interface Flatten extends LayerInfo<'flatten', {}> {
  <S extends Shape>(x: Tensor<S>): Tensor<Flattened<S>>
}

/**
 * Flattens `[N, C, H, W]` to `[N, C·H·W]` in PyTorch's (C, H, W) order, so PyTorch linear weights load unchanged.
 *
 * Shape rule: `[N, d1, …, dk] → [N, d1·…·dk]`.
 * @example
 * ```ts
 * pipe(input([N, 256, 5, 5]), flatten) // Tensor<[N, 6400]>
 * ```
 */
export const flatten: Flatten = defineLayer('flatten', {}, (x: Tensor) => {
  if (x.shape.length < 2) throw new ShapeError('flatten', 'a tensor of rank ≥ 2', `rank ${x.shape.length}`)
  const features = x.shape.slice(1).reduce<number>((acc, d: Dim) => {
    if (isNamed(d)) throw new ShapeError('flatten', 'concrete dims after the batch', `symbolic ${d.dimName}`)
    return acc * d
  }, 1)
  return emit([x], { kind: 'flatten' }, [x.shape[0], features])
}) as unknown as Flatten
