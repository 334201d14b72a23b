/**
 * LeNet-5 as in d2l (the seed's predecessor chapter): sigmoid activations and average pooling, for 28×28 images.
 * @module
 */
import { pipe } from 'fp-ts/lib/function.js'
import type { Dim, Shape4 } from '../shape/dim.js'
import type { Tensor } from '../graph/tensor.js'
import { conv2d } from '../layers/conv2d.js'
import { avgPool2d } from '../layers/pool2d.js'
import { flatten } from '../layers/flatten.js'
import { linear } from '../layers/linear.js'
import { sigmoid } from '../layers/elementwise.js'
import { expectInput, type ExpectInput, type NetOptions } from './netInput.js'

/**
 * LeNet-5 (d2l): `nn.Sequential(Conv2d(1, 6, 5, padding=2), Sigmoid(), AvgPool2d(2, 2), Conv2d(6, 16, 5), Sigmoid(),
 * AvgPool2d(2, 2), Flatten(), Linear(400, 120), Sigmoid(), Linear(120, 84), Sigmoid(), Linear(84, 10))`.
 * Its first Linear fixes the input to `[N, C, 28, 28]`; any other size is a compile error.
 * @example
 * ```ts
 * const y = pipe(input([N, 1, 28, 28]), lenet()) // Tensor<[N, 10]>
 * ```
 */
export function lenet<const K extends number = 10, const C extends number = 1>(options: NetOptions<K, C> = {}) {
  const classes = (options.classes ?? 10) as K
  const inChannels = (options.inChannels ?? 1) as C
  const body = <B extends Dim>(x: Tensor<[B, C, 28, 28]>) =>
    pipe(
      x,
      conv2d({ out: 6, kernel: 5, padding: 2 }), sigmoid,
      avgPool2d({ kernel: 2, stride: 2 }),
      conv2d({ out: 16, kernel: 5 }), sigmoid,
      avgPool2d({ kernel: 2, stride: 2 }),
      flatten,
      linear({ in: 400, out: 120 }) /* 16 * 5 * 5 */, sigmoid,
      linear({ in: 120, out: 84 }), sigmoid,
      linear({ in: 84, out: classes }),
    )
  return <S extends Shape4>(x: Tensor<S> & ExpectInput<S, C, 28, 28, 'lenet'>): Tensor<[S[0], K]> =>
    body(expectInput(x, [inChannels, 28, 28], 'lenet'))
}
