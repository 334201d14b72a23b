/**
 * AlexNet as in the seed: five convolutions, three max-pools, two dropout-regularised hidden Linears, for
 * 1×224×224 Fashion-MNIST images.
 * @module
 */
import { pipe } from 'fp-ts/lib/function.js'
import type { Dim, Shape4 } from '../shape/dim.js'
import type { Tensor } from '../graph/tensor.js'
import { conv2d } from '../layers/conv2d.js'
import { maxPool2d } from '../layers/pool2d.js'
import { flatten } from '../layers/flatten.js'
import { linear } from '../layers/linear.js'
import { dropout, relu } from '../layers/elementwise.js'
import { expectInput, type ExpectInput, type NetOptions } from './netInput.js'

/**
 * The seed's `net_AlexNet`, layer for layer (state_dict `0.weight` … `20.bias`). `Linear(6400, 4096)` fixes the input
 * to `[N, C, 224, 224]`: `alexnet()` on `[N, 1, 225, 225]` is the compile error
 * `alexnet: expected input [N,1,224,224], got [N,1,225,225]`.
 * @example
 * ```ts
 * const y = pipe(input([N, 1, 224, 224]), alexnet()) // Tensor<[N, 10]>
 * ```
 */
export function alexnet<const K extends number = 10, const C extends number = 1>(options: NetOptions<K, C> = {}) {
  const classes = (options.classes ?? 10) as K
  const inChannels = (options.inChannels ?? 1) as C
  const body = <B extends Dim>(x: Tensor<[B, C, 224, 224]>) =>
    pipe(
      pipe(
        x,
        conv2d({ out: 96, kernel: 11, stride: 4, padding: 1 }), relu,
        maxPool2d({ kernel: 3, stride: 2 }),
        conv2d({ out: 256, kernel: 5, padding: 2 }), relu,
        maxPool2d({ kernel: 3, stride: 2 }),
        conv2d({ out: 384, kernel: 3, padding: 1 }), relu,
        conv2d({ out: 384, kernel: 3, padding: 1 }), relu,
        conv2d({ out: 256, kernel: 3, padding: 1 }), relu,
        maxPool2d({ kernel: 3, stride: 2 }),
        flatten,
      ),
      linear({ in: 6400, out: 4096 }), relu,
      dropout({ p: 0.5 }),
      linear({ in: 4096, out: 4096 }), relu,
      dropout({ p: 0.5 }),
      linear({ in: 4096, out: classes }),
    )
  return <S extends Shape4>(x: Tensor<S> & ExpectInput<S, C, 224, 224, 'alexnet'>): Tensor<[S[0], K]> =>
    body(expectInput(x, [inChannels, 224, 224], 'alexnet'))
}
