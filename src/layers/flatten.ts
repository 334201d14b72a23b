/**
 * Flattening all dims after the batch into one feature dim.
 * @module
 */
import type { Product } from '../shape/product.js'
import type { Dim, Shape } from '../shape/dim.js'
import { isNamed } from '../shape/dim.js'
import type { Tensor } from '../graph/tensor.js'
import { defineLayer, emit, ShapeError, type LayerInfo } from './layer.js'

export type { Product }

/**
 * Output shape of {@link flatten}: `[N, C·H·W]`.
 * @category Advanced
 */
export type Flattened<S extends Shape> = S extends [infer B, ...infer Rest] ? [B, Product<Rest>] : [Dim, number]

/**
 * The flatten layer: `Tensor<[N, ...dims]>` → `Tensor<[N, product(dims)]>`.
 * @category Layers
 */
export interface Flatten extends LayerInfo<'flatten', {}> {
  <S extends Shape>(x: Tensor<S>): Tensor<Flattened<S>>
}

/**
 * Flattens `[N, C, H, W]` to `[N, C·H·W]` in PyTorch's (C, H, W) order, so PyTorch linear weights load unchanged.
 *
 * Shape rule: `[N, d1, …, dk] → [N, d1·…·dk]`.
 *
 * PyTorch: `nn.Flatten()` (`start_dim=1`).
 *
 * Errors: none of its own (it takes any rank); a layer after it that needs `[N, C, H, W]` is a
 * [wrong-rank error](../../docs/errors.md#a-layer-given-the-wrong-rank).
 * @example
 * ```ts
 * pipe(input([N, 256, 5, 5]), flatten) // Tensor<[N, 6400]>
 * ```
 * @category Layers
 */
export const flatten: Flatten = defineLayer('flatten', {}, (x: Tensor) => {
  if (x.shape.length < 2) throw new ShapeError('flatten', 'a tensor of rank ≥ 2', `rank ${x.shape.length}`)
  const features = x.shape.slice(1).reduce<number>((acc, d: Dim) => {
    if (isNamed(d)) throw new ShapeError('flatten', 'concrete dims after the batch', `symbolic ${d.dimName}`)
    return acc * d
  }, 1)
  return emit([x], { kind: 'flatten' }, [x.shape[0], features])
}) as unknown as Flatten
