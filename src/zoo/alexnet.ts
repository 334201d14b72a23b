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
import { checkFixedClassifierOptions, expectChannels, type ClassifierWidth, type ExpectClassifierFits, type FeaturesOf, type FixedClassifierOptions } from './netInput.js'

/** The seed's AlexNet up to its `Flatten` (in-channels come from the input). */
const alexnetFeatures = <S extends Shape4>(x: Tensor<S>) =>
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
  )

/**
 * The input check of `alexnet()`: `C` channels, and a size its layers turn into the 6400 features its first Linear
 * takes (else that Linear's verdict, e.g. `linear: expected 6400 input features, got …`); with `fitClassifier: true`
 * (`Fit`) any size its layers take.
 * @category Nets
 */
export type AlexNetFits<S extends Shape4, C, Fit extends boolean = false> = [S] extends [Shape4] // (a conditional, so errors print the alias's name)
  ? ExpectClassifierFits<S, C, FeaturesOf<ReturnType<typeof alexnetFeatures<S>>>, ClassifierWidth<Fit, FeaturesOf<ReturnType<typeof alexnetFeatures<S>>>, 6400>, 'alexnet'>
  : never

/**
 * The seed's AlexNet (`alexnet(options)`): `[N, C, H, W] → [N, K]` for every size its layers turn into the 6400
 * features of its first Linear (any size they take with `fitClassifier: true`, `Fit`), checked where it is applied by
 * {@link AlexNetFits}.
 * @example
 * ```ts
 * const net: AlexNet<10, 1> = alexnet()
 * const y = pipe(input([N, 1, 224, 224]), net)
 * //    ^? Tensor<[N, 10]>
 * ```
 * @category Nets
 */
export type AlexNet<K extends number, C, Fit extends boolean = false> = <S extends Shape4>(x: Tensor<S> & AlexNetFits<S, C, Fit>) => Tensor<[S[0], K]>

/**
 * The seed's `net_AlexNet`, layer for layer (state_dict `0.weight` … `20.bias`). It takes every input its layers
 * take: `Linear(6400, 4096)` needs a 5×5 map, which inputs from 193×193 to 224×224 give (the seed's 224 and also
 * 223); on `[N, 1, 225, 225]` it is the compile error `linear: expected 6400 input features, got 9216`, and the same
 * ShapeError when traced. With `fitClassifier: true` that Linear takes its width from the input instead, so the net
 * trains at another size on purpose (at 96×96 `Linear(256, 4096)`: a variant with other parameters than the seed's).
 * @example
 * ```ts
 * const y = pipe(input([N, 1, 224, 224]), alexnet()) // Tensor<[N, 10]>
 * const small = pipe(input([N, 1, 96, 96]), alexnet({ fitClassifier: true })) // Tensor<[N, 10]>, Linear(256, 4096)
 * ```
 * @category Nets
 */
export function alexnet<const K extends number = 10, const C extends number = 1, const Fit extends boolean = false>(
  options: FixedClassifierOptions<K, C, Fit> = {},
): AlexNet<K, C, Fit> {
  const fit = checkFixedClassifierOptions('alexnet', options)
  const classes = (options.classes ?? 10) as K
  const inChannels = (options.inChannels ?? 1) as C
  // nn.Linear(6400, 4096), or sized to the input with fitClassifier: the compile-time check is the parameter type
  // below (AlexNetFits), the layer makes the same check when traced.
  const width = (fit ? undefined : 6400) as never
  const classifier = <B extends Dim>(x: Tensor<[B, number]>) =>
    pipe(
      x,
      linear({ in: width, out: 4096 }), relu,
      dropout({ p: 0.5 }),
      linear({ in: 4096, out: 4096 }), relu,
      dropout({ p: 0.5 }),
      linear({ in: 4096, out: classes }),
    )
  return <S extends Shape4>(
    x: Tensor<S> & AlexNetFits<S, C, Fit>,
  ): Tensor<[S[0], K]> => {
    expectChannels(x, inChannels, 'alexnet')
    return classifier(alexnetFeatures(x))
  }
}
