/**
 * Network in Network as in the seed: NiN blocks (a conv then two 1×1 convs, each with ReLU), no fully connected
 * layer, global average pooling to one logit per class.
 * @module
 */
import { pipe } from 'fp-ts/lib/function.js'
import type { Shape4 } from '../shape/dim.js'
import type { Tensor } from '../graph/tensor.js'
import { sequential } from '../graph/sequential.js'
import { conv2d } from '../layers/conv2d.js'
import { maxPool2d } from '../layers/pool2d.js'
import { adaptiveAvgPool2d } from '../layers/adaptivePool2d.js'
import { flatten } from '../layers/flatten.js'
import { dropout, relu } from '../layers/elementwise.js'
import { batchNorm2d } from '../layers/batchNorm2d.js'
import { checkNetOptions, expectChannelsAndMinSize, type ExpectChannelsAndMinSize, type NetOptions } from './netInput.js'

/**
 * The seed's `nin_block(in_channels, out_channels, kernel_size, strides, padding)`: an `nn.Sequential` of the conv,
 * ReLU, 1×1 conv, ReLU, 1×1 conv, ReLU (in-channels come from the input).
 *
 * Shape rule: `[N, C, H, W] → [N, out, H_out, W_out]` with the first conv's size rule.
 * @example
 * ```ts
 * pipe(input([N, 1, 224, 224]), ninBlock(96, 11, 4, 0)) // Tensor<[N, 96, 54, 54]>
 * ```
 * @category Nets
 */
export function ninBlock<const Out extends number, const K extends number, const St extends number, const P extends number>(
  out: Out,
  kernel: K,
  strides: St,
  padding: P,
): NinBlock<Out, K, St, P> {
  return sequential(ninLayers(out, kernel, strides, padding))
}

/** The layers of {@link ninBlock}: the conv, ReLU, 1×1 conv, ReLU, 1×1 conv, ReLU. */
function ninLayers<const Out extends number, const K extends number, const St extends number, const P extends number>(out: Out, kernel: K, strides: St, padding: P) {
  return <S extends Shape4>(x: Tensor<S>) =>
    pipe(
      x,
      conv2d({ out, kernel, stride: strides, padding }), relu,
      conv2d({ out, kernel: 1 }), relu,
      conv2d({ out, kernel: 1 }), relu,
    )
}

/**
 * A {@link ninBlock} with `Out` channels and the first conv's kernel `K`, stride `St`, padding `P`:
 * `[N, C, H, W] → [N, Out, H_out, W_out]` (the type its layers infer).
 * @example
 * ```ts
 * const block: NinBlock<96, 11, 4, 0> = ninBlock(96, 11, 4, 0)
 * const y = pipe(input([N, 1, 224, 224]), block)
 * //    ^? Tensor<[N, 96, 54, 54]>
 * ```
 * @category Nets
 */
export type NinBlock<Out extends number, K extends number, St extends number, P extends number> = ReturnType<typeof ninLayers<Out, K, St, P>>

/**
 * The seed's NiN: four NiN blocks with max-pooling between, dropout, a final block with one channel per class, global
 * average pooling and `Flatten`. Any input from 67×67 up works (the pooling adapts); default input 1×224×224.
 * @example
 * ```ts
 * pipe(input([N, 1, 224, 224]), nin()) // Tensor<[N, 10]>
 * ```
 * @category Nets
 */
export function nin<const K extends number = 10, const C extends number = 1>(options: NetOptions<K, C> = {}) {
  checkNetOptions('nin', options)
  const classes = (options.classes ?? 10) as K
  const inChannels = (options.inChannels ?? 1) as C
  return <S extends Shape4>(x: Tensor<S> & ExpectChannelsAndMinSize<S, C, 67, 'nin'>): Tensor<[S[0], K]> => {
    expectChannelsAndMinSize(x, inChannels, 67, 'nin')
    return pipe(
      x,
      ninBlock(96, 11, 4, 0),
      maxPool2d({ kernel: 3, stride: 2 }),
      ninBlock(256, 5, 1, 2),
      maxPool2d({ kernel: 3, stride: 2 }),
      ninBlock(384, 3, 1, 1),
      maxPool2d({ kernel: 3, stride: 2 }),
      dropout({ p: 0.5 }),
      ninBlock(classes, 3, 1, 1),
      adaptiveAvgPool2d({ output: 1 }),
      flatten,
    )
  }
}

/** A NiN block with BatchNorm after each conv (conv, BN, ReLU, 1×1 conv, BN, ReLU, 1×1 conv, BN, ReLU). */
function ninBlockBn<const Out extends number>(out: Out) {
  return sequential(<S extends Shape4>(x: Tensor<S>) =>
    pipe(
      x,
      conv2d({ out, kernel: 3, padding: 1, bias: false }), batchNorm2d(), relu,
      conv2d({ out, kernel: 1, bias: false }), batchNorm2d(), relu,
      conv2d({ out, kernel: 1, bias: false }), batchNorm2d(), relu,
    ),
  )
}

/**
 * A small NiN for 1×28×28 Fashion-MNIST (a shapesafe addition, for a fast main job): NiN blocks of 32 and 64 channels
 * (3×3/p1 then two 1×1 convs, each followed by BatchNorm and ReLU — without BatchNorm a NiN this small barely moves in
 * one short epoch) with 2×2 max-pooling, dropout, a final block with one channel per class, global average pooling.
 * @example
 * ```ts
 * pipe(input([N, 1, 28, 28]), ninSmall()) // Tensor<[N, 10]>
 * ```
 * @category Nets
 */
export function ninSmall<const K extends number = 10, const C extends number = 1>(options: NetOptions<K, C> = {}) {
  checkNetOptions('nin-small', options)
  const classes = (options.classes ?? 10) as K
  const inChannels = (options.inChannels ?? 1) as C
  return <S extends Shape4>(x: Tensor<S> & ExpectChannelsAndMinSize<S, C, 4, 'nin-small'>): Tensor<[S[0], K]> => {
    expectChannelsAndMinSize(x, inChannels, 4, 'nin-small')
    return pipe(
      x,
      ninBlockBn(32),
      maxPool2d({ kernel: 2, stride: 2 }),
      ninBlockBn(64),
      maxPool2d({ kernel: 2, stride: 2 }),
      dropout({ p: 0.5 }),
      ninBlockBn(classes),
      adaptiveAvgPool2d({ output: 1 }),
      flatten,
    )
  }
}
