/**
 * Batch normalisation over the channels of an image batch.
 * @module
 */
import type { Shape, Shape4 } from '../shape/dim.js'
import type { Tensor } from '../graph/tensor.js'
import type { ParamSpec } from '../graph/ir.js'
import type { ExpectDim, KnownOptionKeys, LiteralOption, OptionNames, PendingCheck, RankFitsIn } from './checks.js'
import { checkOptionKeys, concreteSize, defineLayer, emit, expectRank, LayerOptionsError, positiveInts, ShapeError, type LayerInfo } from './layer.js'

/**
 * Options of {@link batchNorm2d}, as PyTorch's `nn.BatchNorm2d`.
 * @category Layers
 */
export interface BatchNorm2dOptions {
  /** Number of channels; optional, checked against the incoming C when given (`nn.BatchNorm2d(64)`). */
  readonly features?: number
  /** Added to the variance for stability, default 1e-5. */
  readonly eps?: number
  /** Weight of the new batch statistic in the running average, default 0.1 (PyTorch's convention). */
  readonly momentum?: number
  /** Module name in the state_dict; default: the next index in the enclosing scope. */
  readonly name?: string
}

/**
 * The keys of {@link BatchNorm2dOptions} and `BatchNorm1dOptions`, checked at run time (a misspelt key throws) and at
 * compile time ({@link ValidBatchNormOptions}).
 * @category Advanced
 */
export const batchNormOptionKeys = ['features', 'eps', 'momentum', 'name'] as const satisfies readonly (keyof BatchNorm2dOptions)[]

/**
 * A configured BatchNorm layer: shape-preserving on `[N, C, H, W]`, checking C against `features`.
 * @category Layers
 */
export interface BatchNorm2d<F> extends LayerInfo<'batchNorm2d', BatchNorm2dOptions> {
  <S extends Shape & RankFitsIn<S[0], S[1], S[2], S[3], 4, 'batchNorm2d'> & ExpectDim<S[1], F, 'batchNorm2d', 'channels'>>(x: Tensor<S>): Tensor<[PendingCheck<S[0], S[1], F, 'batchNorm2d', 'channels'>, S[1], S[2], S[3]]>
}

/**
 * The options {@link batchNorm2d} (`Layer` `'batchNorm2d'`) and `batchNorm1d` accept: the options as written (`O`,
 * `features` kept literal), refused with the verdict the layer throws when it is made for an unknown key, with the
 * keys as written `K` (the layer infers them): `batchNorm2d: unknown option 'num_features' (did you mean
 * 'features'?); its options are features, eps, momentum, name`; for a `features` literal that is not a positive
 * integer (`batchNorm2d: features must be a positive integer, got 0`); and for a plain `number` features, which would
 * switch its check off (write a literal, or omit it). A wrapper whose options are its own type parameter
 * (`<const O extends BatchNorm2dOptions>(o: O) => batchNorm2d(o)`) compiles: these checks cannot be decided on `O`,
 * and the layer makes them when it is created; type its parameter as `ValidBatchNormOptions<O, 'batchNorm2d'>` to
 * have them where it is called.
 * @category Layers
 */
export type ValidBatchNormOptions<O extends BatchNorm2dOptions, Layer extends 'batchNorm2d' | 'batchNorm1d', K extends PropertyKey = keyof O> = OptionNames<K> &
  KnownOptionKeys<K, typeof batchNormOptionKeys, Layer> &
  O &
  LiteralOption<FeaturesOption<O>, Layer, 'features', `omit features to take the ${BatchNormAxis[Layer]} from the input`>

/** What a BatchNorm's `features` counts, by layer. */
interface BatchNormAxis {
  readonly batchNorm2d: 'channels'
  readonly batchNorm1d: 'features'
}

/**
 * The `features` option as written: its literal, or a block's type parameter itself; `never` when absent (the
 * channels are taken from the input).
 * @category Advanced
 */
export type FeaturesOption<O> = O extends { readonly features: infer F extends number } ? F : never

/**
 * Batch normalisation: y = γ·(x − μ)/√(σ² + ε) + β per channel, with batch statistics while training (updating the
 * running ones) and running statistics in eval.
 *
 * Shape rule: `[N, C, H, W] → [N, C, H, W]`; with `features` given, C must equal it
 * (else `batchNorm2d: expected 64 channels, got 32`). Parameters `weight`, `bias`; state `running_mean`, `running_var`.
 *
 * PyTorch: `nn.BatchNorm2d(num_features, eps, momentum)`; here `features` (optional), `eps`, `momentum`.
 *
 * Errors: [channels](../../docs/errors.md#batchnorm-declared-for-other-channels), [wrong rank](../../docs/errors.md#a-layer-given-the-wrong-rank).
 * @example
 * ```ts
 * pipe(input([N, 64, 56, 56]), batchNorm2d({ features: 64 })) // Tensor<[N, 64, 56, 56]>
 * ```
 * @category Layers
 */
export function batchNorm2d<const O extends BatchNorm2dOptions = {}, K extends PropertyKey = keyof O>(
  options?: ValidBatchNormOptions<O, 'batchNorm2d', K>,
): BatchNorm2d<FeaturesOption<O>> {
  const { eps, momentum, features, name } = batchNormSettings('batchNorm2d', options ?? {})
  const layer = (x: Tensor<Shape4>) => {
    expectRank('batchNorm2d', x.shape, 4, 'input [N, C, H, W]')
    const c = concreteSize('batchNorm2d', x.shape[1], 'channel count')
    if (features !== undefined && features !== c) throw new ShapeError('batchNorm2d', `${features} channels`, `${c}`)
    return emit([x], { kind: 'batchNorm2d', features: c, eps, momentum }, x.shape, { name, params: (path) => batchNormParams(path, c) })
  }
  return defineLayer('batchNorm2d', (options ?? {}) as BatchNorm2dOptions, layer) as unknown as BatchNorm2d<FeaturesOption<O>>
}

/**
 * Checks and defaults of the options BatchNorm layers share (`eps` 1e-5, `momentum` 0.1), as PyTorch's.
 * @category Advanced
 */
export function batchNormSettings(layer: string, options: BatchNorm2dOptions): { eps: number; momentum: number; features: number | undefined; name: string | undefined } {
  checkOptionKeys(layer, options, batchNormOptionKeys)
  if (options.features !== undefined) positiveInts(layer, 'features', [options.features])
  const eps = options.eps ?? 1e-5
  const momentum = options.momentum ?? 0.1
  if (!(eps > 0)) throw new LayerOptionsError(`${layer}: eps must be positive, got ${eps}`)
  if (!(momentum >= 0 && momentum <= 1)) throw new LayerOptionsError(`${layer}: momentum must be in [0, 1], got ${momentum}`)
  return { eps, momentum, features: options.features, name: options.name }
}

/**
 * The parameters and state of a BatchNorm over `c` features, named as PyTorch's state_dict.
 * @category Advanced
 */
export function batchNormParams(path: string, c: number): ParamSpec[] {
  return [
    { name: `${path}.weight`, shape: [c], role: 'bnWeight', fanIn: c },
    { name: `${path}.bias`, shape: [c], role: 'bnBias', fanIn: c },
    { name: `${path}.running_mean`, shape: [c], role: 'runningMean', fanIn: c },
    { name: `${path}.running_var`, shape: [c], role: 'runningVar', fanIn: c },
  ]
}
