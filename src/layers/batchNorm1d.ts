/**
 * Batch normalisation over the features of a `[N, F]` batch (after a Linear layer).
 * @module
 */
import type { Dim, Shape } from '../shape/dim.js'
import type { Tensor } from '../graph/tensor.js'
import type { ExpectDim, PendingCheck, ExpectRank, RankFitsIn } from './checks.js'
import { batchNormParams, batchNormSettings, type FeaturesOption, type ValidBatchNormOptions } from './batchNorm2d.js'
import { concreteSize, defineLayer, emit, expectRank, ShapeError, type LayerInfo } from './layer.js'

/**
 * Options of {@link batchNorm1d}, as PyTorch's `nn.BatchNorm1d`.
 * @category Layers
 */
export interface BatchNorm1dOptions {
  /** Number of features; optional, checked against the incoming F when given (`nn.BatchNorm1d(120)`). */
  readonly features?: number
  /** Added to the variance for stability, default 1e-5. */
  readonly eps?: number
  /** Weight of the new batch statistic in the running average, default 0.1 (PyTorch's convention). */
  readonly momentum?: number
  /** Module name in the state_dict; default: the next index in the enclosing scope. */
  readonly name?: string
}

/**
 * A configured BatchNorm1d layer: shape-preserving on `[N, F]`, checking F against `features`.
 * @category Layers
 */
export interface BatchNorm1d<F> extends LayerInfo<'batchNorm1d', BatchNorm1dOptions> {
  <S extends Shape & RankFitsIn<S[0], S[1], S[2], S[3], 2, 'batchNorm1d'> & ExpectDim<S[1], F, 'batchNorm1d', 'features'>>(x: Tensor<S> & ExpectRank<S, 2, 'batchNorm1d'>): Tensor<[PendingCheck<S[0], S[1], F, 'batchNorm1d', 'features'>, S[1]]>
}

/**
 * Batch normalisation of a `[N, F]` batch, as PyTorch's `nn.BatchNorm1d` on 2-D input (the BatchNorm LeNet normalises
 * after its Linear layers): y = γ·(x − μ)/√(σ² + ε) + β per feature, with batch statistics while training (updating
 * the running ones) and running statistics in eval. (`nn.BatchNorm1d`'s `[N, C, L]` form has no counterpart: no
 * shapesafe layer makes 3-D tensors.)
 *
 * Shape rule: `[N, F] → [N, F]`; with `features` given, F must equal it (else
 * `batchNorm1d: expected 120 features, got 84`). Parameters `weight`, `bias`; state `running_mean`, `running_var`.
 *
 * PyTorch: `nn.BatchNorm1d(num_features, eps, momentum)`; here `features` (optional), `eps`, `momentum`.
 *
 * Errors: [wrong rank](../../docs/errors.md#a-layer-given-the-wrong-rank).
 * @example
 * ```ts
 * pipe(input([N, 400]), linear({ in: 400, out: 120 }), batchNorm1d({ features: 120 }), sigmoid) // Tensor<[N, 120]>
 * ```
 * @category Layers
 */
export function batchNorm1d<const O extends BatchNorm1dOptions = {}, K extends PropertyKey = keyof O>(
  options?: ValidBatchNormOptions<O, 'batchNorm1d', K>,
): BatchNorm1d<FeaturesOption<O>> {
  const { eps, momentum, features, name } = batchNormSettings('batchNorm1d', options ?? {})
  const layer = (x: Tensor<[Dim, Dim]>) => {
    expectRank('batchNorm1d', x.shape, 2, 'input [N, features]')
    const f = concreteSize('batchNorm1d', x.shape[1], 'feature count')
    if (features !== undefined && features !== f) throw new ShapeError('batchNorm1d', `${features} features`, `${f}`)
    return emit([x], { kind: 'batchNorm1d', features: f, eps, momentum }, x.shape, { name, params: (path) => batchNormParams(path, f) })
  }
  return defineLayer('batchNorm1d', (options ?? {}) as BatchNorm1dOptions, layer) as unknown as BatchNorm1d<FeaturesOption<O>>
}
