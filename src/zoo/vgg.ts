/**
 * VGG: the seed's `vgg_block`/`vgg(conv_arch)` (VGG-11/13/16/19 for 1×224×224 images), and torchvision's
 * `vgg11_bn`…`vgg19_bn` built from the same stage tables with BatchNorm.
 * @module
 */
import { pipe } from 'fp-ts/lib/function.js'
import type { Dim, Shape4 } from '../shape/dim.js'
import type { Tensor } from '../graph/tensor.js'
import { named, scope } from '../graph/combinators.js'
import { sequential } from '../graph/sequential.js'
import { conv2d } from '../layers/conv2d.js'
import { maxPool2d } from '../layers/pool2d.js'
import { adaptiveAvgPool2d } from '../layers/adaptivePool2d.js'
import { batchNorm2d } from '../layers/batchNorm2d.js'
import { flatten } from '../layers/flatten.js'
import { linear } from '../layers/linear.js'
import { dropout, relu } from '../layers/elementwise.js'
import { LayerOptionsError } from '../shape/errors.js'
import type { Multiply } from '../shape/arithmetic.js'
import { prod } from '../shape/product.js'
import {
  checkFixedClassifierOptions,
  checkNetOptions,
  expectChannels,
  expectChannelsAndMinSize,
  type ClassifierWidth,
  type ExpectChannelsAndMinSize,
  type ExpectClassifierFits,
  type FeaturesOf,
  type FixedClassifierOptions,
  type AdaptiveNet,
  type NetOptions,
} from './netInput.js'

/**
 * One VGG stage: `[num_convs, out_channels]`.
 * @category Nets
 */
export type VggStage = readonly [convs: number, channels: number]

/**
 * The five stages of a VGG, the seed's `conv_arch`.
 * @category Nets
 */
export type VggArch = readonly [VggStage, VggStage, VggStage, VggStage, VggStage]

/**
 * The seed's `conv_arch_11` (VGG-11, configuration A).
 * @category Nets
 */
export const convArch11 = [[1, 64], [1, 128], [2, 256], [2, 512], [2, 512]] as const
/**
 * The seed's `conv_arch_13` (VGG-13, configuration B).
 * @category Nets
 */
export const convArch13 = [[2, 64], [2, 128], [2, 256], [2, 512], [2, 512]] as const
/**
 * The seed's `conv_arch_16` (VGG-16, configuration D).
 * @category Nets
 */
export const convArch16 = [[2, 64], [2, 128], [3, 256], [3, 512], [3, 512]] as const
/**
 * The seed's `conv_arch_19` (VGG-19, configuration E).
 * @category Nets
 */
export const convArch19 = [[2, 64], [2, 128], [4, 256], [4, 512], [4, 512]] as const

/**
 * The convolutions and pooling of one VGG stage, as the layers of the enclosing scope: `convs` × (3×3/p1 conv
 * [+ BatchNorm] + ReLU), then a 2×2/s2 max-pool.
 */
function vggLayers<const Out extends number>(convs: number, out: Out, batchNorm: boolean) {
  if (!Number.isInteger(convs) || convs < 1) throw new LayerOptionsError(`vggBlock: num_convs must be at least 1, got ${convs}`)
  const convUnit = <S extends Shape4>(x: Tensor<S>) => {
    const y = conv2d({ out, kernel: 3, padding: 1 })(x)
    return relu(batchNorm ? batchNorm2d()(y) : y)
  }
  return <S extends Shape4>(x: Tensor<S>) => {
    let y = convUnit(x)
    for (let i = 1; i < convs; i++) y = convUnit(y)
    return maxPool2d({ kernel: 2, stride: 2 })(y)
  }
}

/**
 * The seed's `vgg_block(num_convs, in_channels, out_channels)`: an `nn.Sequential` of `convs` (`num_convs`) 3×3/p1 convs with
 * ReLU and a 2×2/s2 max-pool (in-channels come from the input).
 *
 * Shape rule: `[N, C, H, W] → [N, out, ⌊H/2⌋, ⌊W/2⌋]`.
 * @example
 * ```ts
 * pipe(input([N, 1, 224, 224]), vggBlock(2, 64)) // Tensor<[N, 64, 112, 112]>, weights 0.0.weight, 0.2.weight
 * ```
 * @category Nets
 */
export function vggBlock<const Out extends number>(convs: number, out: Out): VggBlock<Out> {
  return sequential(vggLayers(convs, out, false))
}

/**
 * A {@link vggBlock} with `Out` channels: `[N, C, H, W] → [N, Out, ⌊H/2⌋, ⌊W/2⌋]` (the type its layers infer; the
 * pool needs H, W ≥ 2).
 * @example
 * ```ts
 * const block: VggBlock<64> = vggBlock(2, 64)
 * const y = pipe(input([N, 1, 224, 224]), block)
 * //    ^? Tensor<[N, 64, 112, 112]>
 * ```
 * @category Nets
 */
export type VggBlock<Out extends number> = ReturnType<typeof vggLayers<Out>>

/** The seed's VGG up to its `Flatten`: the five {@link vggBlock}s of `convArch` (in-channels come from the input). */
function vggFeatures<const A extends VggArch, S extends Shape4>(convArch: A, x: Tensor<S>) {
  const [b1, b2, b3, b4, b5] = convArch
  return pipe(
    x,
    vggBlock(b1[0], b1[1] as A[0][1]), vggBlock(b2[0], b2[1] as A[1][1]), vggBlock(b3[0], b3[1] as A[2][1]),
    vggBlock(b4[0], b4[1] as A[3][1]), vggBlock(b5[0], b5[1] as A[4][1]),
    flatten,
  )
}

/**
 * The input check of `vgg(convArch)`: `C` channels, and a size its blocks turn into the `channels·7·7` features of
 * its first Linear (else `linear: expected 25088 input features, got …`); with `fitClassifier: true` (`Fit`) any
 * size its blocks take.
 * @category Nets
 */
export type VggFits<S extends Shape4, C, A extends VggArch, Fit extends boolean = false> = [S] extends [Shape4] // (a conditional, so errors print the alias's name)
  ? ExpectClassifierFits<S, C, FeaturesOf<ReturnType<typeof vggFeatures<A, S>>>, ClassifierWidth<Fit, FeaturesOf<ReturnType<typeof vggFeatures<A, S>>>, Multiply<A[4][1], 49>>, 'vgg'>
  : never

/**
 * A VGG of the seed's kind built from the stage table `A` (`vgg(convArch)`): `[N, C, H, W] → [N, K]` for every size its
 * blocks turn into the `A[4][1]·7·7` features of its first Linear, checked where it is applied by {@link VggFits}.
 * @example
 * ```ts
 * const net: VggNet<10, 1, typeof convArch11> = vgg11()
 * const y = pipe(input([N, 1, 224, 224]), net)
 * //    ^? Tensor<[N, 10]>
 * ```
 * @category Nets
 */
export type VggNet<K extends number, C, A extends VggArch, Fit extends boolean = false> = <S extends Shape4>(x: Tensor<S> & VggFits<S, C, A, Fit>) => Tensor<[S[0], K]>

/**
 * The seed's `vgg(conv_arch)`: five {@link vggBlock}s, `Flatten`, and the classifier
 * `Linear(out_channels·7·7, 4096)`, ReLU, Dropout(0.5), `Linear(4096, 4096)`, ReLU, Dropout(0.5), `Linear(4096, classes)`.
 * It takes every input its layers take: the 7×7 map the first Linear needs comes from 224×224 up to 255×255; any
 * other size is the compile error `linear: expected 25088 input features, got 18432` (at 223×223), and the same when
 * traced. With a literal `conv_arch` (`convArch11`…) the check is at compile time; with one typed `number` it is
 * made when traced. With `fitClassifier: true` the first Linear takes its width from the input instead, so the net
 * trains at another size on purpose (VGG-11 at 64×64: `Linear(2048, 4096)`, other parameters than the seed's).
 * @example
 * ```ts
 * const net = vgg(convArch11)
 * const y = pipe(input([N, 1, 224, 224]), net) // Tensor<[N, 10]>
 * const small = pipe(input([N, 1, 64, 64]), vgg(convArch11, { fitClassifier: true })) // Tensor<[N, 10]>, Linear(2048, 4096)
 * ```
 * @category Nets
 */
export function vgg<const A extends VggArch, const K extends number = 10, const C extends number = 1, const Fit extends boolean = false>(
  convArch: A,
  options: FixedClassifierOptions<K, C, Fit> = {},
): VggNet<K, C, A, Fit> {
  const fit = checkFixedClassifierOptions('vgg', options)
  const classes = (options.classes ?? 10) as K
  const inChannels = (options.inChannels ?? 1) as C
  // nn.Linear(out_channels * 7 * 7, 4096), or sized to the input with fitClassifier: the compile-time check is the
  // parameter type below (the width depends on the generic arch, which the classifier's own type cannot decide); the
  // layer makes the same check when traced.
  const width = (fit ? undefined : prod(convArch[4][1], 7, 7)) as never
  const classifier = <B extends Dim>(x: Tensor<[B, number]>) =>
    pipe(
      x,
      linear({ in: width, out: 4096 }), relu, dropout({ p: 0.5 }),
      linear({ in: 4096, out: 4096 }), relu, dropout({ p: 0.5 }),
      linear({ in: 4096, out: classes }),
    )
  return <S extends Shape4>(
    x: Tensor<S> & VggFits<S, C, A, Fit>,
  ): Tensor<[S[0], K]> => {
    expectChannels(x, inChannels, 'vgg')
    return classifier(vggFeatures(convArch, x))
  }
}

/**
 * The seed's `net_vgg11 = vgg(conv_arch_11)`. @example `pipe(input([N, 1, 224, 224]), vgg11())`
 * @category Nets
 */
export const vgg11 = <const K extends number = 10, const C extends number = 1, const Fit extends boolean = false>(
  options: FixedClassifierOptions<K, C, Fit> = {},
): VggNet<K, C, typeof convArch11, Fit> =>
  vgg(convArch11, options)
/**
 * The seed's `net_vgg13 = vgg(conv_arch_13)`. @example `pipe(input([N, 1, 224, 224]), vgg13())`
 * @category Nets
 */
export const vgg13 = <const K extends number = 10, const C extends number = 1, const Fit extends boolean = false>(
  options: FixedClassifierOptions<K, C, Fit> = {},
): VggNet<K, C, typeof convArch13, Fit> =>
  vgg(convArch13, options)
/**
 * The seed's `net_vgg16 = vgg(conv_arch_16)`. @example `pipe(input([N, 1, 224, 224]), vgg16())`
 * @category Nets
 */
export const vgg16 = <const K extends number = 10, const C extends number = 1, const Fit extends boolean = false>(
  options: FixedClassifierOptions<K, C, Fit> = {},
): VggNet<K, C, typeof convArch16, Fit> =>
  vgg(convArch16, options)
/**
 * The seed's `net_vgg19 = vgg(conv_arch_19)`. @example `pipe(input([N, 1, 224, 224]), vgg19())`
 * @category Nets
 */
export const vgg19 = <const K extends number = 10, const C extends number = 1, const Fit extends boolean = false>(
  options: FixedClassifierOptions<K, C, Fit> = {},
): VggNet<K, C, typeof convArch19, Fit> =>
  vgg(convArch19, options)

// ---------------------------------------------------------------------------------------------------------------
// torchvision's VGG with BatchNorm: features.N (conv, bn, relu, …, maxpool), avgpool (adaptive 7×7), classifier.0/3/6.

/**
 * A VGG stage table whose last stage has 512 channels, as torchvision's classifier `Linear(512 * 7 * 7, 4096)` assumes.
 * @category Nets
 */
export type TorchvisionVggArch = readonly [VggStage, VggStage, VggStage, VggStage, readonly [convs: number, channels: 512]]

/**
 * torchvision's `VGG(make_layers(cfg, batch_norm=True))`: the stages flat in `features`, adaptive average pooling to
 * 7×7 (so any input of at least 32×32 works), and the dropout classifier. Default 3 channels, 1000 classes.
 * @example
 * ```ts
 * pipe(input([N, 3, 224, 224]), vggBn(convArch16)) // Tensor<[N, 1000]>, weights features.0.weight … classifier.6.bias
 * ```
 * @category Nets
 */
export function vggBn<const K extends number = 1000, const C extends number = 3>(convArch: TorchvisionVggArch, options: NetOptions<K, C> = {}, name = 'vgg_bn'): AdaptiveNet<K, C, 32, 'vgg_bn'> {
  checkNetOptions(name, options)
  const classes = (options.classes ?? 1000) as K
  const inChannels = (options.inChannels ?? 3) as C
  const [b1, b2, b3, b4, b5] = convArch
  const stage = <const Out extends number>([convs, out]: readonly [number, Out]) => vggLayers(convs, out, true)
  const features = <S extends Shape4>(x: Tensor<S>) => pipe(x, stage(b1), stage(b2), stage(b3), stage(b4), stage(b5))
  const classifier = <B extends Dim>(x: Tensor<[B, 25088]>) =>
    pipe(
      x,
      linear({ in: 25088, out: 4096 }), relu, dropout({ p: 0.5 }), // 512 * 7 * 7
      linear({ in: 4096, out: 4096 }), relu, dropout({ p: 0.5 }),
      linear({ in: 4096, out: classes }),
    )
  return <S extends Shape4>(x: Tensor<S> & ExpectChannelsAndMinSize<S, C, 32, 'vgg_bn'>): Tensor<[S[0], K]> => {
    expectChannelsAndMinSize(x, inChannels, 32, name)
    const y = pipe(
      x,
      scope('features', features),
      named('avgpool', adaptiveAvgPool2d({ output: 7 })),
      named('flatten', flatten),
      scope('classifier', classifier),
    )
    return y
  }
}

/**
 * torchvision's `vgg11_bn`. @example `pipe(input([N, 3, 224, 224]), vgg11Bn())`
 * @category Nets
 */
export const vgg11Bn = <const K extends number = 1000, const C extends number = 3>(options: NetOptions<K, C> = {}) => vggBn(convArch11, options, 'vgg11_bn')
/**
 * torchvision's `vgg13_bn`. @example `pipe(input([N, 3, 224, 224]), vgg13Bn())`
 * @category Nets
 */
export const vgg13Bn = <const K extends number = 1000, const C extends number = 3>(options: NetOptions<K, C> = {}) => vggBn(convArch13, options, 'vgg13_bn')
/**
 * torchvision's `vgg16_bn`. @example `pipe(input([N, 3, 224, 224]), vgg16Bn())`
 * @category Nets
 */
export const vgg16Bn = <const K extends number = 1000, const C extends number = 3>(options: NetOptions<K, C> = {}) => vggBn(convArch16, options, 'vgg16_bn')
/**
 * torchvision's `vgg19_bn`. @example `pipe(input([N, 3, 224, 224]), vgg19Bn())`
 * @category Nets
 */
export const vgg19Bn = <const K extends number = 1000, const C extends number = 3>(options: NetOptions<K, C> = {}) => vggBn(convArch19, options, 'vgg19_bn')
