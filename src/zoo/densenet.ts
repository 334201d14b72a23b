/**
 * DenseNet-BC as torchvision builds it: dense blocks of bottleneck dense layers joined by channel concatenation,
 * transition layers that halve channels and size, and the variants `densenet121`/`161`/`169`/`201`.
 * @module
 */
import { pipe } from 'fp-ts/lib/function.js'
import type { FloorDivide } from '../shape/arithmetic.js'
import { prod } from '../shape/product.js'
import type { Shape4 } from '../shape/dim.js'
import { isNamed } from '../shape/dim.js'
import type { Tensor } from '../graph/tensor.js'
import { denseBlock, named, scope, type DenseBlock } from '../graph/combinators.js'
import { conv2d, type Conv2dOptions } from '../layers/conv2d.js'
import { avgPool2d, maxPool2d } from '../layers/pool2d.js'
import { adaptiveAvgPool2d } from '../layers/adaptivePool2d.js'
import { batchNorm2d } from '../layers/batchNorm2d.js'
import { flatten } from '../layers/flatten.js'
import { linear } from '../layers/linear.js'
import { relu } from '../layers/elementwise.js'
import { ShapeError } from '../shape/errors.js'
import { checkNetOptions, expectChannelsAndMinSize, type AdaptiveNet, type ExpectChannelsAndMinSize, type NetOptions } from './netInput.js'

/**
 * torchvision's `_DenseLayer(num_input_features, growth_rate, bn_size)`: norm1, relu1, conv1 1×1 to
 * `bnSize·growth` channels, norm2, relu2, conv2 3×3/p1 to `growth` channels (the concatenation is done by the block).
 *
 * Shape rule: `[N, C, H, W] → [N, growth, H, W]`.
 * @example
 * ```ts
 * pipe(input([N, 64, 56, 56]), denseLayer(32)) // Tensor<[N, 32, 56, 56]>
 * ```
 * @category Nets
 */
export function denseLayer<const G extends number, const B extends number = 4>(growth: G, bnSize: B = 4 as B) {
  return <S extends Shape4>(x: Tensor<S>) =>
    pipe(
      x,
      named('norm1', batchNorm2d()), named('relu1', relu),
      named('conv1', conv2d({ out: prod(bnSize, growth), kernel: 1, bias: false })),
      named('norm2', batchNorm2d()), named('relu2', relu),
      named('conv2', conv2d({ out: growth, kernel: 3, padding: 1, bias: false })),
    )
}

/**
 * torchvision's `_DenseBlock(num_layers, num_input_features, bn_size, growth_rate)`: `layers` dense layers
 * `denselayer1`…, each fed the concatenation of the block input and all previous layers' outputs.
 *
 * Shape rule: `[N, C, H, W] → [N, C + layers·growth, H, W]`.
 * @example
 * ```ts
 * pipe(input([N, 64, 56, 56]), denseNetBlock(6, 32)) // Tensor<[N, 256, 56, 56]>
 * ```
 * @category Nets
 */
export function denseNetBlock<const L extends number, const G extends number>(layers: L, growth: G, bnSize = 4): DenseNetBlock<L, G> {
  return denseBlock({ layers, growth }, () => denseLayer(growth, bnSize), (i) => `denselayer${i + 1}`)
}

/**
 * A {@link denseNetBlock} of `L` layers with growth `G`: `[N, C, H, W] → [N, C + L·G, H, W]` ({@link denseBlock}'s type
 * for {@link denseLayer}s; each layer is checked where the block is applied).
 * @example
 * ```ts
 * const block: DenseNetBlock<6, 32> = denseNetBlock(6, 32)
 * const y = pipe(input([N, 64, 56, 56]), block)
 * //    ^? Tensor<[N, 256, 56, 56]>
 * ```
 * @category Nets
 */
export type DenseNetBlock<L extends number, G extends number> = DenseBlock<L, G, ReturnType<typeof denseLayer<G>>>

/** `⌊C/2⌋` of a tensor's channel count, with its literal type (`num_features // 2`). */
function halfChannels<S extends Shape4>(x: Tensor<S>): FloorDivide<S[1] & number, 2> {
  const c = x.shape[1]
  if (isNamed(c)) throw new ShapeError('transition', 'a concrete channel count', `symbolic ${c.dimName}`)
  // The runtime ⌊c/2⌋ and the type-level FloorDivide agree by construction; the zoo tests trace every transition.
  return Math.floor(c / 2) as FloorDivide<S[1] & number, 2>
}

/**
 * torchvision's `_Transition(num_features, num_features // 2)`: norm, relu, conv 1×1 to half the channels, pool
 * (2×2/s2 average).
 *
 * Shape rule: `[N, C, H, W] → [N, ⌊C/2⌋, ⌊H/2⌋, ⌊W/2⌋]`.
 * @example
 * ```ts
 * pipe(input([N, 256, 56, 56]), transition()) // Tensor<[N, 128, 28, 28]>
 * ```
 * @category Nets
 */
export function transition() {
  return <S extends Shape4>(x: Tensor<S>) =>
    pipe(
      x,
      named('norm', batchNorm2d()), named('relu', relu),
      named('conv', conv2d({ out: halfChannels(x), kernel: 1, bias: false })),
      named('pool', avgPool2d({ kernel: 2, stride: 2 })),
    )
}

/**
 * The smallest input side every DenseNet accepts, 29 (the stem quarters it, three transitions halve it): the `Min` of
 * its {@link AdaptiveNet} type.
 * @category Nets
 */
export const denseNetMinSize = 29

/**
 * A DenseNet's layers per dense block, torchvision's `block_config` (`[6, 12, 24, 16]` for DenseNet-121).
 * @category Nets
 */
export type DenseNetLayers = readonly [number, number, number, number]

/**
 * A DenseNet with `K` classes and `C` input channels: `[N, C, H, W] → [N, K]` for every H, W ≥ 29
 * ({@link denseNetMinSize}), checked where it is applied.
 * @example
 * ```ts
 * const net: DenseNet<10, 1> = densenet121({ classes: 10, inChannels: 1 })
 * const y = pipe(input([N, 1, 32, 32]), net)
 * //    ^? Tensor<[N, 10]>
 * ```
 * @category Nets
 */
export type DenseNet<K extends number, C> = AdaptiveNet<K, C, typeof denseNetMinSize, 'densenet'>

/**
 * torchvision's `DenseNet(growth_rate, block_config, num_init_features)`: `features` (conv0 7×7/s2/p3, norm0, relu0,
 * pool0 3×3/s2/p1, denseblock1, transition1, …, denseblock4, norm5), then ReLU, adaptive average pooling to 1×1,
 * flatten and the `classifier` Linear. Default 3 channels, 1000 classes.
 * @example
 * ```ts
 * pipe(input([N, 3, 224, 224]), densenet(32, [6, 12, 24, 16], 64)) // Tensor<[N, 1000]>
 * ```
 * @category Nets
 */
export function densenet<const K extends number = 1000, const C extends number = 3>(
  growth: number,
  blockConfig: DenseNetLayers,
  numInitFeatures: number,
  options: NetOptions<K, C> = {},
  name = 'densenet',
): DenseNet<K, C> {
  checkNetOptions(name, options)
  const classes = (options.classes ?? 1000) as K
  const inChannels = (options.inChannels ?? 3) as C
  const [l1, l2, l3, l4] = blockConfig
  const features = <S extends Shape4>(x: Tensor<S>) =>
    pipe(
      x,
      // numInitFeatures is a run-time number: the options are typed as Conv2dOptions to say so (the net's type is its
      // return type).
      named('conv0', conv2d<Conv2dOptions>({ out: numInitFeatures, kernel: 7, stride: 2, padding: 3, bias: false })),
      named('norm0', batchNorm2d()), named('relu0', relu),
      named('pool0', maxPool2d({ kernel: 3, stride: 2, padding: 1 })),
      scope('denseblock1', denseNetBlock(l1, growth)), scope('transition1', transition()),
      scope('denseblock2', denseNetBlock(l2, growth)), scope('transition2', transition()),
      scope('denseblock3', denseNetBlock(l3, growth)), scope('transition3', transition()),
      scope('denseblock4', denseNetBlock(l4, growth)),
      named('norm5', batchNorm2d()),
    )
  return <S extends Shape4>(x: Tensor<S> & ExpectChannelsAndMinSize<S, C, typeof denseNetMinSize, 'densenet'>): Tensor<[S[0], K]> => {
    expectChannelsAndMinSize(x, inChannels, denseNetMinSize, name)
    return pipe(
      x,
      scope('features', features),
      named('relu', relu),
      named('avgpool', adaptiveAvgPool2d({ output: 1 })),
      named('flatten', flatten),
      named('classifier', linear({ out: classes })),
    )
  }
}

/**
 * torchvision's `densenet121`: growth 32, `[6, 12, 24, 16]`, 64 initial features. @example `pipe(input([N, 3, 224, 224]), densenet121())`
 * @category Nets
 */
export const densenet121 = <const K extends number = 1000, const C extends number = 3>(options: NetOptions<K, C> = {}) =>
  densenet(32, [6, 12, 24, 16], 64, options, 'densenet121')
/**
 * torchvision's `densenet161`: growth 48, `[6, 12, 36, 24]`, 96 initial features. @example `pipe(input([N, 3, 224, 224]), densenet161())`
 * @category Nets
 */
export const densenet161 = <const K extends number = 1000, const C extends number = 3>(options: NetOptions<K, C> = {}) =>
  densenet(48, [6, 12, 36, 24], 96, options, 'densenet161')
/**
 * torchvision's `densenet169`: growth 32, `[6, 12, 32, 32]`, 64 initial features. @example `pipe(input([N, 3, 224, 224]), densenet169())`
 * @category Nets
 */
export const densenet169 = <const K extends number = 1000, const C extends number = 3>(options: NetOptions<K, C> = {}) =>
  densenet(32, [6, 12, 32, 32], 64, options, 'densenet169')
/**
 * torchvision's `densenet201`: growth 32, `[6, 12, 48, 32]`, 64 initial features. @example `pipe(input([N, 3, 224, 224]), densenet201())`
 * @category Nets
 */
export const densenet201 = <const K extends number = 1000, const C extends number = 3>(options: NetOptions<K, C> = {}) =>
  densenet(32, [6, 12, 48, 32], 64, options, 'densenet201')
