/**
 * LeNet-5 as in d2l (the seed's predecessor chapter): sigmoid activations and average pooling, for 28×28 images; and
 * d2l's BatchNorm LeNet, the same net with batch normalisation after each convolution and hidden Linear.
 * @module
 */
import { pipe } from 'fp-ts/lib/function.js'
import type { Dim, Shape4 } from '../shape/dim.js'
import type { Tensor } from '../graph/tensor.js'
import { conv2d } from '../layers/conv2d.js'
import { avgPool2d } from '../layers/pool2d.js'
import { flatten } from '../layers/flatten.js'
import { linear } from '../layers/linear.js'
import { batchNorm1d } from '../layers/batchNorm1d.js'
import { batchNorm2d } from '../layers/batchNorm2d.js'
import { sigmoid } from '../layers/elementwise.js'
import { prod } from '../shape/product.js'
import { checkNetOptions, expectChannels, type ExpectClassifierFits, type FeaturesOf, type NetOptions } from './netInput.js'

/** LeNet's layers before its classifier, up to `Flatten` (in-channels come from the input). */
const lenetFeatures = <S extends Shape4>(x: Tensor<S>) =>
  pipe(
    x,
    conv2d({ out: 6, kernel: 5, padding: 2 }), sigmoid,
    avgPool2d({ kernel: 2, stride: 2 }),
    conv2d({ out: 16, kernel: 5 }), sigmoid,
    avgPool2d({ kernel: 2, stride: 2 }),
    flatten,
  )

/**
 * The input check of `lenet()`: `C` channels, and a size its layers turn into the 400 features its first Linear
 * takes (else that Linear's verdict, e.g. `linear: expected 400 input features, got …`).
 * @category Nets
 */
export type LeNetFits<S extends Shape4, C> = [S] extends [Shape4] // (a conditional, so errors print the alias's name)
  ? ExpectClassifierFits<S, C, FeaturesOf<ReturnType<typeof lenetFeatures<S>>>, 400, 'lenet'>
  : never

/**
 * LeNet-5 (d2l): `nn.Sequential(Conv2d(1, 6, 5, padding=2), Sigmoid(), AvgPool2d(2, 2), Conv2d(6, 16, 5), Sigmoid(),
 * AvgPool2d(2, 2), Flatten(), Linear(16 * 5 * 5, 120), Sigmoid(), Linear(120, 84), Sigmoid(), Linear(84, 10))`.
 * It takes every input its layers take: its first Linear needs 400 features, which 28×28 up to 31×31 give; any
 * other size is the compile error `linear: expected 400 input features, got 576` (at 32×32), and the same at run time.
 * @example
 * ```ts
 * const y = pipe(input([N, 1, 28, 28]), lenet()) // Tensor<[N, 10]>
 * ```
 * @category Nets
 */
export function lenet<const K extends number = 10, const C extends number = 1>(options: NetOptions<K, C> = {}) {
  checkNetOptions('lenet', options)
  const classes = (options.classes ?? 10) as K
  const inChannels = (options.inChannels ?? 1) as C
  const classifier = <B extends Dim>(x: Tensor<[B, number]>) =>
    pipe(
      x,
      linear({ in: prod(16, 5, 5), out: 120 }), sigmoid,
      linear({ in: 120, out: 84 }), sigmoid,
      linear({ in: 84, out: classes }),
    )
  return <S extends Shape4>(
    x: Tensor<S> & LeNetFits<S, C>,
  ): Tensor<[S[0], K]> => {
    expectChannels(x, inChannels, 'lenet')
    return classifier(lenetFeatures(x))
  }
}

/** The BatchNorm LeNet's layers before its classifier, up to `Flatten` (in-channels come from the input). */
const lenetBnFeatures = <S extends Shape4>(x: Tensor<S>) =>
  pipe(
    x,
    conv2d({ out: 6, kernel: 5 }), batchNorm2d({ features: 6 }), sigmoid,
    avgPool2d({ kernel: 2, stride: 2 }),
    conv2d({ out: 16, kernel: 5 }), batchNorm2d({ features: 16 }), sigmoid,
    avgPool2d({ kernel: 2, stride: 2 }),
    flatten,
  )

/**
 * The input check of `lenetBn()`: `C` channels, and a size its layers turn into the 256 features its first Linear
 * takes (else that Linear's verdict, e.g. `linear: expected 256 input features, got …`).
 * @category Nets
 */
export type LeNetBnFits<S extends Shape4, C> = [S] extends [Shape4] // (a conditional, so errors print the alias's name)
  ? ExpectClassifierFits<S, C, FeaturesOf<ReturnType<typeof lenetBnFeatures<S>>>, 256, 'lenet-bn'>
  : never

/**
 * LeNet with batch normalisation (d2l §8.5, the concise version): `nn.Sequential(Conv2d(1, 6, 5), BatchNorm2d(6),
 * Sigmoid(), AvgPool2d(2, 2), Conv2d(6, 16, 5), BatchNorm2d(16), Sigmoid(), AvgPool2d(2, 2), Flatten(),
 * Linear(256, 120), BatchNorm1d(120), Sigmoid(), Linear(120, 84), BatchNorm1d(84), Sigmoid(), Linear(84, 10))`
 * (state_dict `0.weight` … `15.bias`). Unlike {@link lenet} its first convolution has no padding, so 28×28 makes a
 * 16×4×4 map: its first Linear needs 256 features, which 28×28 up to 31×31 give; any other size is the compile error
 * `linear: expected 256 input features, got 400` (at 32×32), and the same at run time.
 * @example
 * ```ts
 * const y = pipe(input([N, 1, 28, 28]), lenetBn()) // Tensor<[N, 10]>
 * ```
 * @category Nets
 */
export function lenetBn<const K extends number = 10, const C extends number = 1>(options: NetOptions<K, C> = {}) {
  checkNetOptions('lenet-bn', options)
  const classes = (options.classes ?? 10) as K
  const inChannels = (options.inChannels ?? 1) as C
  const classifier = <B extends Dim>(x: Tensor<[B, number]>) =>
    pipe(
      x,
      linear({ in: prod(16, 4, 4), out: 120 }), batchNorm1d({ features: 120 }), sigmoid,
      linear({ in: 120, out: 84 }), batchNorm1d({ features: 84 }), sigmoid,
      linear({ in: 84, out: classes }),
    )
  return <S extends Shape4>(
    x: Tensor<S> & LeNetBnFits<S, C>,
  ): Tensor<[S[0], K]> => {
    expectChannels(x, inChannels, 'lenet-bn')
    return classifier(lenetBnFeatures(x))
  }
}
