/**
 * Flattening all dims after the batch into one feature dim.
 * @module
 */
import type { Product } from '../shape/product.js'
import type { Dim, Shape } from '../shape/dim.js'
import { formatShape, isNamed } from '../shape/dim.js'
import type { FlattenFitsIn } from './checks.js'
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
  <S extends Shape & FlattenFitsIn<S[0], S[1], S[2], S[3]>>(x: Tensor<S>): Tensor<Flattened<S>>
}

/**
 * Flattens `[N, C, H, W]` to `[N, C·H·W]` in PyTorch's (C, H, W) order, so PyTorch linear weights load unchanged.
 *
 * Shape rule: `[N, d1, …, dk] → [N, d1·…·dk]`. The dims after the batch must be numbers: over a named size
 * (`input([N, 16, H, W])`) the features would not be a number, so the types and the trace both refuse it
 * (`flatten: features of [N,16,H,W] depend on symbolic sizes — give the input concrete sizes, or pool to a fixed
 * size first (adaptiveAvgPool2d)`).
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
  if (x.shape.slice(1).some(isNamed)) {
    const shape = formatShape(x.shape)
    throw new ShapeError('flatten', 'concrete dims after the batch', shape, `flatten: features of ${shape} depend on symbolic sizes — give the input concrete sizes, or pool to a fixed size first (adaptiveAvgPool2d)`)
  }
  const features = x.shape.slice(1).reduce<number>((acc, d) => acc * (d as number), 1)
  return emit([x], { kind: 'flatten' }, [x.shape[0], features])
}) as unknown as Flatten
