/**
 * Adaptive and global average pooling: pool to a fixed output size whatever the input size.
 * @module
 */
import type { Shape, Shape4 } from '../shape/dim.js'
import type { Tensor } from '../graph/tensor.js'
import type { PairOf } from '../shape/window.js'
import type { KnownOptionKeys, OptionNames, PairElements, PlainNumberOption, PositiveOption, RankFitsIn } from './checks.js'
import { checkOptionKeys, defineLayer, emit, expectRank, pair, positiveInts, type LayerInfo } from './layer.js'

/**
 * Options of {@link adaptiveAvgPool2d}.
 * @category Layers
 */
export interface AdaptiveAvgPool2dOptions {
  /** Output size, square or `[h, w]`. */
  readonly output: number | readonly [number, number]
  /** Module name in the state_dict; default: the next index in the enclosing scope. */
  readonly name?: string
}

/**
 * A configured adaptive pool: `Tensor<[N, C, H, W]>` → `Tensor<[N, C, OH, OW]>`.
 * @category Layers
 */
export interface AdaptiveAvgPool2d<OH extends number, OW extends number> extends LayerInfo<'adaptiveAvgPool2d', AdaptiveAvgPool2dOptions> {
  <S extends Shape & RankFitsIn<S[0], S[1], S[2], S[3], 4, 'adaptiveAvgPool2d'>>(x: Tensor<S>): Tensor<[S[0], S[1], OH, OW]>
}

/** The adaptive pool that options `O` configure: its output size as written, a number for both sides or a pair. */
type AdaptiveAvgPool2dOf<O extends AdaptiveAvgPool2dOptions> = AdaptiveAvgPool2d<PairOf<O['output'], 1>[0], PairOf<O['output'], 1>[1]>

/** The keys of {@link AdaptiveAvgPool2dOptions}, checked at run time and at compile time (`KnownOptionKeys`). */
const adaptiveAvgPool2dOptionKeys = ['output', 'name'] as const satisfies readonly (keyof AdaptiveAvgPool2dOptions)[]

/**
 * The options {@link adaptiveAvgPool2d} accepts: the options as written (`O`, kept literal), refused with the verdict
 * the layer throws when it is made for an unknown key, with the keys as written `K` (the layer infers them):
 * `adaptiveAvgPool2d: unknown option 'output_size' (did you mean 'output'?); its options are output, name`, then for
 * `output` missing; with `adaptiveAvgPool2d: output size must be a positive integer, got 0` for a 0 output size; and
 * for a plain `number` output size (also one element of a pair) unless the options are typed as
 * {@link AdaptiveAvgPool2dOptions} itself to opt out.
 * @category Layers
 */
export type ValidAdaptiveAvgPool2dOptions<O extends AdaptiveAvgPool2dOptions, K extends PropertyKey = keyof O> = OptionNames<K> &
  KnownOptionKeys<K, typeof adaptiveAvgPool2dOptionKeys, 'adaptiveAvgPool2d', 'output'> &
  O &
  PositiveOption<O['output'], 'adaptiveAvgPool2d', 'output size'> &
  PlainNumberOption<O, AdaptiveAvgPool2dOptions, ['output'], 'adaptiveAvgPool2d', 'AdaptiveAvgPool2dOptions', never, never, PairElements<O['output']>>

/**
 * Adaptive average pooling as PyTorch's `nn.AdaptiveAvgPool2d`: output cell i averages input rows
 * ⌊i·H/OH⌋ … ⌈(i+1)·H/OH⌉−1 (likewise columns).
 *
 * Shape rule: `[N, C, H, W] → [N, C, OH, OW]`.
 *
 * PyTorch: `nn.AdaptiveAvgPool2d(output_size)`; here `output`.
 *
 * Errors: [impossible options](../../docs/errors.md#impossible-layer-options), [wrong rank](../../docs/errors.md#a-layer-given-the-wrong-rank).
 * @example
 * ```ts
 * pipe(input([N, 512, 7, 7]), adaptiveAvgPool2d({ output: 1 })) // Tensor<[N, 512, 1, 1]>
 * ```
 * @category Layers
 */
export function adaptiveAvgPool2d<const O extends AdaptiveAvgPool2dOptions, K extends PropertyKey = keyof O>(
  options: ValidAdaptiveAvgPool2dOptions<O, K>,
): AdaptiveAvgPool2dOf<O> {
  checkOptionKeys('adaptiveAvgPool2d', options, adaptiveAvgPool2dOptionKeys, ['output'])
  const [oh, ow] = pair(options.output, 1)
  positiveInts('adaptiveAvgPool2d', 'output size', [oh, ow])
  const layer = (x: Tensor<Shape4>) => {
    expectRank('adaptiveAvgPool2d', x.shape, 4, 'input [N, C, H, W]')
    // Any H and W, named ones included (the output size is fixed), as in the types.
    return emit([x], { kind: 'adaptiveAvgPool2d', output: [oh, ow] }, [x.shape[0], x.shape[1], oh, ow], { name: options.name })
  }
  return defineLayer('adaptiveAvgPool2d', options as AdaptiveAvgPool2dOptions, layer) as unknown as AdaptiveAvgPool2dOf<O>
}

/**
 * Global average pooling: the mean over H and W (an adaptive pool to 1×1; reported as `adaptiveAvgPool2d`).
 *
 * Shape rule: `[N, C, H, W] → [N, C, 1, 1]`.
 *
 * PyTorch: `nn.AdaptiveAvgPool2d(1)` (or `x.mean((2, 3), keepdim=True)`); no parameters.
 *
 * Errors: [wrong rank](../../docs/errors.md#a-layer-given-the-wrong-rank).
 * @example
 * ```ts
 * const y = pipe(input([N, 1024, 3, 3]), globalAvgPool2d) // Tensor<[N, 1024, 1, 1]>
 * ```
 * @category Layers
 */
export const globalAvgPool2d: AdaptiveAvgPool2d<1, 1> = adaptiveAvgPool2d({ output: 1 })
