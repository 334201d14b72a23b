/**
 * ResNet: the seed's `Residual` block (and a narrow ResNet built from it for 28×28 images, a shapesafe addition),
 * and torchvision's `resnet18`…`resnet152` with their BasicBlock/Bottleneck stage tables and state_dict names.
 * @module
 */
import { flow, pipe } from 'fp-ts/lib/function.js'
import type { Multiply } from '../shape/arithmetic.js'
import { prod } from '../shape/product.js'
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
import { add } from '../layers/merge.js'
import { relu } from '../layers/elementwise.js'
import { checkNetOptions, expectChannelsAndMinSize, type AdaptiveNet, type ExpectChannelsAndMinSize, type NetOptions } from './netInput.js'

// ---------------------------------------------------------------------------------------------------------------
// The seed's Residual block

/**
 * The seed's `Residual(input_channels, num_channels, use_1x1conv=False, strides=1)` with an identity shortcut: conv1
 * 3×3/p1, bn1, ReLU, conv2 3×3/p1, bn2, add the input, ReLU. The input must already have `numChannels` channels.
 * (State-dict order differs from PyTorch's, which registers conv1, conv2, conv3, bn1, bn2; names are the same.)
 *
 * Shape rule: `[N, C, H, W] → [N, C, H, W]` with C = `numChannels`.
 * @example
 * ```ts
 * pipe(input([N, 64, 56, 56]), residualBlock(64)) // Tensor<[N, 64, 56, 56]>
 * ```
 * @category Nets
 */
export function residualBlock<const Out extends number>(numChannels: Out) {
  return <B extends Dim, H extends Dim, W extends Dim>(x: Tensor<[B, Out, H, W]>) => {
    const y = pipe(
      x,
      named('conv1', conv2d({ out: numChannels, kernel: 3, padding: 1 })), named('bn1', batchNorm2d()), relu,
      named('conv2', conv2d({ out: numChannels, kernel: 3, padding: 1 })), named('bn2', batchNorm2d()),
    )
    return relu(add(y, x))
  }
}

/**
 * The seed's `Residual(input_channels, num_channels, use_1x1conv=True, strides)`: as {@link residualBlock}, with conv1 at
 * stride `strides` and the shortcut a 1×1 conv `conv3` at the same stride, so channels and size may change.
 *
 * Shape rule: `[N, C, H, W] → [N, numChannels, ⌊(H−1)/s⌋+1, ⌊(W−1)/s⌋+1]`.
 * @example
 * ```ts
 * pipe(input([N, 64, 56, 56]), residualBlock1x1(128, 2)) // Tensor<[N, 128, 28, 28]>
 * ```
 * @category Nets
 */
export function residualBlock1x1<const Out extends number, const St extends number = 1>(numChannels: Out, strides: St = 1 as St): ResidualBlock1x1<Out, St> {
  return residual1x1Layers(numChannels, strides)
}

/** The layers of {@link residualBlock1x1}. */
function residual1x1Layers<const Out extends number, const St extends number>(numChannels: Out, strides: St) {
  return <S extends Shape4>(x: Tensor<S>) => {
    const y = pipe(
      x,
      named('conv1', conv2d({ out: numChannels, kernel: 3, padding: 1, stride: strides })), named('bn1', batchNorm2d()), relu,
      named('conv2', conv2d({ out: numChannels, kernel: 3, padding: 1 })), named('bn2', batchNorm2d()),
    )
    return relu(add(y, named('conv3', conv2d({ out: numChannels, kernel: 1, stride: strides }))(x)))
  }
}

/**
 * A {@link residualBlock1x1} with `Out` channels at stride `St`: `[N, C, H, W] → [N, Out, ⌊(H−1)/St⌋+1, ⌊(W−1)/St⌋+1]`
 * (the type its layers infer; both paths are checked to agree where it is applied).
 * @example
 * ```ts
 * const block: ResidualBlock1x1<128, 2> = residualBlock1x1(128, 2)
 * const y = pipe(input([N, 64, 56, 56]), block)
 * //    ^? Tensor<[N, 128, 28, 28]>
 * ```
 * @category Nets
 */
export type ResidualBlock1x1<Out extends number, St extends number = 1> = ReturnType<typeof residual1x1Layers<Out, St>>

/**
 * A narrow ResNet for 1×28×28 Fashion-MNIST built from the seed's Residual blocks (a shapesafe addition, for a fast
 * main job): `b1` = 3×3 conv 16 + BN + ReLU, then three stages of two Residual blocks (16, 32/s2, 64/s2), global
 * average pooling, `Flatten`, `Linear(64, classes)`; an `nn.Sequential` like d2l's ResNet. About 175k parameters.
 * @example
 * ```ts
 * pipe(input([N, 1, 28, 28]), resnetSmall()) // Tensor<[N, 10]>
 * ```
 * @category Nets
 */
export function resnetSmall<const K extends number = 10, const C extends number = 1>(options: NetOptions<K, C> = {}): AdaptiveNet<K, C, 1, 'resnet-small'> {
  checkNetOptions('resnet-small', options)
  const classes = (options.classes ?? 10) as K
  const inChannels = (options.inChannels ?? 1) as C
  const b1 = sequential(flow(conv2d({ out: 16, kernel: 3, padding: 1 }), batchNorm2d(), relu))
  const b2 = sequential(flow(sequential(residualBlock(16)), sequential(residualBlock(16))))
  const b3 = sequential(flow(sequential(residualBlock1x1(32, 2)), sequential(residualBlock(32))))
  const b4 = sequential(flow(sequential(residualBlock1x1(64, 2)), sequential(residualBlock(64))))
  return <S extends Shape4>(x: Tensor<S> & ExpectChannelsAndMinSize<S, C, 1, 'resnet-small'>): Tensor<[S[0], K]> => {
    expectChannelsAndMinSize(x, inChannels, 1, 'resnet-small')
    return pipe(x, b1, b2, b3, b4, adaptiveAvgPool2d({ output: 1 }), flatten, linear({ in: 64, out: classes }))
  }
}

// ---------------------------------------------------------------------------------------------------------------
// torchvision ResNet (v1.5: the stride of a Bottleneck is on its 3×3 conv)

/** torchvision's `BasicBlock.expansion`. */
const basicExpansion = 1
/** torchvision's `Bottleneck.expansion`. */
const bottleneckExpansion = 4

/**
 * torchvision's `BasicBlock(inplanes, planes)` without downsample: conv1 3×3, bn1, relu, conv2 3×3, bn2, add the
 * input, relu (the one `relu` module called twice). The input must have `planes` channels.
 * @example
 * ```ts
 * pipe(input([N, 64, 56, 56]), basicBlock(64)) // Tensor<[N, 64, 56, 56]>
 * ```
 * @category Nets
 */
export function basicBlock<const P extends number>(planes: P) {
  return <B extends Dim, H extends Dim, W extends Dim>(x: Tensor<[B, P, H, W]>) => {
    const out = pipe(
      x,
      named('conv1', conv2d({ out: planes, kernel: 3, padding: 1, bias: false })), named('bn1', batchNorm2d()), named('relu', relu),
      named('conv2', conv2d({ out: planes, kernel: 3, padding: 1, bias: false })), named('bn2', batchNorm2d()),
    )
    return named('relu', relu)(add(out, x))
  }
}

/**
 * torchvision's `BasicBlock(inplanes, planes, stride, downsample)` with `downsample` = 1×1 conv at `stride` + BN
 * (`downsample.0`, `downsample.1`), the first block of a stage that changes size or channels.
 * @example
 * ```ts
 * pipe(input([N, 64, 56, 56]), basicBlockDown(128, 2)) // Tensor<[N, 128, 28, 28]>
 * ```
 * @category Nets
 */
export function basicBlockDown<const P extends number, const St extends number>(planes: P, stride: St): BasicBlockDown<P, St> {
  return basicBlockDownLayers(planes, stride)
}

/** The layers of {@link basicBlockDown}. */
function basicBlockDownLayers<const P extends number, const St extends number>(planes: P, stride: St) {
  return <S extends Shape4>(x: Tensor<S>) => {
    const out = pipe(
      x,
      named('conv1', conv2d({ out: planes, kernel: 3, padding: 1, stride, bias: false })), named('bn1', batchNorm2d()), named('relu', relu),
      named('conv2', conv2d({ out: planes, kernel: 3, padding: 1, bias: false })), named('bn2', batchNorm2d()),
    )
    return named('relu', relu)(add(out, downsample(planes, stride)(x)))
  }
}

/**
 * A {@link basicBlockDown} with `P` planes at stride `St`: `[N, C, H, W] → [N, P, ⌊(H−1)/St⌋+1, ⌊(W−1)/St⌋+1]` (the
 * type its layers infer).
 * @example
 * ```ts
 * const block: BasicBlockDown<128, 2> = basicBlockDown(128, 2)
 * const y = pipe(input([N, 64, 56, 56]), block)
 * //    ^? Tensor<[N, 128, 28, 28]>
 * ```
 * @category Nets
 */
export type BasicBlockDown<P extends number, St extends number> = ReturnType<typeof basicBlockDownLayers<P, St>>

/** torchvision's `downsample = nn.Sequential(conv1x1(inplanes, out, stride), norm_layer(out))`. */
function downsample<const Out extends number, const St extends number>(out: Out, stride: St) {
  return scope('downsample', flow(conv2d({ out, kernel: 1, stride, bias: false }), batchNorm2d()))
}

/**
 * torchvision's `Bottleneck(inplanes, planes)` without downsample: conv1 1×1 (planes), bn1, relu, conv2 3×3, bn2,
 * relu, conv3 1×1 (4·planes), bn3, add the input, relu. The input must have 4·`planes` channels.
 * @example
 * ```ts
 * pipe(input([N, 256, 56, 56]), bottleneck(64)) // Tensor<[N, 256, 56, 56]>
 * ```
 * @category Nets
 */
export function bottleneck<const P extends number>(planes: P) {
  const width = prod(planes, bottleneckExpansion)
  return <B extends Dim, H extends Dim, W extends Dim>(x: Tensor<[B, Multiply<P, 4>, H, W]>) => {
    const out = pipe(
      x,
      named('conv1', conv2d({ out: planes, kernel: 1, bias: false })), named('bn1', batchNorm2d()), named('relu', relu),
      named('conv2', conv2d({ out: planes, kernel: 3, padding: 1, bias: false })), named('bn2', batchNorm2d()), named('relu', relu),
      named('conv3', conv2d({ out: width, kernel: 1, bias: false })), named('bn3', batchNorm2d()),
    )
    return named('relu', relu)(add(out, x))
  }
}

/**
 * torchvision's `Bottleneck(inplanes, planes, stride, downsample)`: the stride on the 3×3 conv (ResNet v1.5) and a
 * 1×1/stride downsample to 4·`planes` channels.
 * @example
 * ```ts
 * pipe(input([N, 256, 56, 56]), bottleneckDown(128, 2)) // Tensor<[N, 512, 28, 28]>
 * ```
 * @category Nets
 */
export function bottleneckDown<const P extends number, const St extends number>(planes: P, stride: St): BottleneckDown<P, St> {
  return bottleneckDownLayers(planes, stride)
}

/** The layers of {@link bottleneckDown}. */
function bottleneckDownLayers<const P extends number, const St extends number>(planes: P, stride: St) {
  const width = prod(planes, bottleneckExpansion)
  return <S extends Shape4>(x: Tensor<S>) => {
    const out = pipe(
      x,
      named('conv1', conv2d({ out: planes, kernel: 1, bias: false })), named('bn1', batchNorm2d()), named('relu', relu),
      named('conv2', conv2d({ out: planes, kernel: 3, padding: 1, stride, bias: false })), named('bn2', batchNorm2d()), named('relu', relu),
      named('conv3', conv2d({ out: width, kernel: 1, bias: false })), named('bn3', batchNorm2d()),
    )
    return named('relu', relu)(add(out, downsample(width, stride)(x)))
  }
}

/**
 * A {@link bottleneckDown} with `P` planes at stride `St`: `[N, C, H, W] → [N, 4·P, ⌊(H−1)/St⌋+1, ⌊(W−1)/St⌋+1]`
 * (the type its layers infer).
 * @example
 * ```ts
 * const block: BottleneckDown<128, 2> = bottleneckDown(128, 2)
 * const y = pipe(input([N, 256, 56, 56]), block)
 * //    ^? Tensor<[N, 512, 28, 28]>
 * ```
 * @category Nets
 */
export type BottleneckDown<P extends number, St extends number> = ReturnType<typeof bottleneckDownLayers<P, St>>

/**
 * torchvision's `_make_layer`: the first block (which may downsample), then `blocks − 1` blocks that keep the shape,
 * each the next numbered child (`layer2.0`, `layer2.1`, …).
 * @example
 * ```ts
 * const layer2 = scope('layer2', stage(basicBlockDown(128, 2), basicBlock(128), 2))
 * ```
 * @category Nets
 */
export function stage<S extends Shape4, T extends Shape4>(
  first: (x: Tensor<S>) => Tensor<T>,
  rest: (x: Tensor<T>) => Tensor<T>,
  blocks: number,
): (x: Tensor<S>) => Tensor<T> {
  return (x) => {
    let y = sequential(first)(x)
    for (let i = 1; i < blocks; i++) y = sequential(rest)(y)
    return y
  }
}

/**
 * A ResNet's blocks per stage, torchvision's `layers` argument (`[3, 4, 6, 3]` for ResNet-50).
 * @category Nets
 */
export type ResNetLayers = readonly [number, number, number, number]

/** torchvision's stem: conv1 7×7/s2/p3, bn1, relu, maxpool 3×3/s2/p1. */
const stem = flow(
  named('conv1', conv2d({ out: 64, kernel: 7, stride: 2, padding: 3, bias: false })),
  named('bn1', batchNorm2d()),
  named('relu', relu),
  named('maxpool', maxPool2d({ kernel: 3, stride: 2, padding: 1 })),
)

/**
 * torchvision's `ResNet(BasicBlock, layers)` (ResNet-18/34). Default 3 channels, 1000 classes; any input from 1×1 up.
 * @example
 * ```ts
 * pipe(input([N, 3, 224, 224]), resnetBasic([2, 2, 2, 2])) // Tensor<[N, 1000]>
 * ```
 * @category Nets
 */
export function resnetBasic<const K extends number = 1000, const C extends number = 3>(layers: ResNetLayers, options: NetOptions<K, C> = {}, name = 'resnet'): AdaptiveNet<K, C, 1, 'resnet'> {
  checkNetOptions(name, options)
  const classes = (options.classes ?? 1000) as K
  const inChannels = (options.inChannels ?? 3) as C
  const body = flow(
    stem,
    scope('layer1', stage(basicBlock(64), basicBlock(64), layers[0])),
    scope('layer2', stage(basicBlockDown(128, 2), basicBlock(128), layers[1])),
    scope('layer3', stage(basicBlockDown(256, 2), basicBlock(256), layers[2])),
    scope('layer4', stage(basicBlockDown(512, 2), basicBlock(512), layers[3])),
    named('avgpool', adaptiveAvgPool2d({ output: 1 })),
    named('flatten', flatten),
    named('fc', linear({ in: prod(512, basicExpansion), out: classes })),
  )
  return <S extends Shape4>(x: Tensor<S> & ExpectChannelsAndMinSize<S, C, 1, 'resnet'>): Tensor<[S[0], K]> => {
    expectChannelsAndMinSize(x, inChannels, 1, name)
    return body(x)
  }
}

/**
 * torchvision's `ResNet(Bottleneck, layers)` (ResNet-50/101/152). Default 3 channels, 1000 classes; any input from 1×1 up.
 * @example
 * ```ts
 * pipe(input([N, 3, 224, 224]), resnetBottleneck([3, 4, 6, 3])) // Tensor<[N, 1000]>
 * ```
 * @category Nets
 */
export function resnetBottleneck<const K extends number = 1000, const C extends number = 3>(layers: ResNetLayers, options: NetOptions<K, C> = {}, name = 'resnet'): AdaptiveNet<K, C, 1, 'resnet'> {
  checkNetOptions(name, options)
  const classes = (options.classes ?? 1000) as K
  const inChannels = (options.inChannels ?? 3) as C
  const body = flow(
    stem,
    scope('layer1', stage(bottleneckDown(64, 1), bottleneck(64), layers[0])),
    scope('layer2', stage(bottleneckDown(128, 2), bottleneck(128), layers[1])),
    scope('layer3', stage(bottleneckDown(256, 2), bottleneck(256), layers[2])),
    scope('layer4', stage(bottleneckDown(512, 2), bottleneck(512), layers[3])),
    named('avgpool', adaptiveAvgPool2d({ output: 1 })),
    named('flatten', flatten),
    named('fc', linear({ in: prod(512, bottleneckExpansion), out: classes })),
  )
  return <S extends Shape4>(x: Tensor<S> & ExpectChannelsAndMinSize<S, C, 1, 'resnet'>): Tensor<[S[0], K]> => {
    expectChannelsAndMinSize(x, inChannels, 1, name)
    return body(x)
  }
}

/**
 * torchvision's `resnet18`: BasicBlock, `[2, 2, 2, 2]`. @example `pipe(input([N, 3, 224, 224]), resnet18())`
 * @category Nets
 */
export const resnet18 = <const K extends number = 1000, const C extends number = 3>(options: NetOptions<K, C> = {}) => resnetBasic([2, 2, 2, 2], options, 'resnet18')
/**
 * torchvision's `resnet34`: BasicBlock, `[3, 4, 6, 3]`. @example `pipe(input([N, 3, 224, 224]), resnet34())`
 * @category Nets
 */
export const resnet34 = <const K extends number = 1000, const C extends number = 3>(options: NetOptions<K, C> = {}) => resnetBasic([3, 4, 6, 3], options, 'resnet34')
/**
 * torchvision's `resnet50`: Bottleneck, `[3, 4, 6, 3]`. @example `pipe(input([N, 3, 224, 224]), resnet50({ classes: 10 }))`
 * @category Nets
 */
export const resnet50 = <const K extends number = 1000, const C extends number = 3>(options: NetOptions<K, C> = {}) => resnetBottleneck([3, 4, 6, 3], options, 'resnet50')
/**
 * torchvision's `resnet101`: Bottleneck, `[3, 4, 23, 3]`. @example `pipe(input([N, 3, 224, 224]), resnet101())`
 * @category Nets
 */
export const resnet101 = <const K extends number = 1000, const C extends number = 3>(options: NetOptions<K, C> = {}) => resnetBottleneck([3, 4, 23, 3], options, 'resnet101')
/**
 * torchvision's `resnet152`: Bottleneck, `[3, 8, 36, 3]`. @example `pipe(input([N, 3, 224, 224]), resnet152())`
 * @category Nets
 */
export const resnet152 = <const K extends number = 1000, const C extends number = 3>(options: NetOptions<K, C> = {}) => resnetBottleneck([3, 8, 36, 3], options, 'resnet152')
