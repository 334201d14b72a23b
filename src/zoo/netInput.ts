/**
 * Input checks of the zoo's networks: what a net accepts, as a compile-time check in its parameter type and as a
 * run-time check. A net accepts every input its own layers accept.
 * @module
 */
import type { Compare, IsNatural } from '../shape/arithmetic.js'
import type { Dim, Shape4 } from '../shape/dim.js'
import { formatShape, isNamed } from '../shape/dim.js'
import type { DimsAgree, FormatDim, FormatShape, ShapeCheckFailed } from '../shape/format.js'
import type { Tensor } from '../graph/tensor.js'
import { LayerOptionsError, ShapeError } from '../shape/errors.js'
import { checkOptionKeys } from '../layers/layer.js'
import type { ExpectDim } from '../layers/checks.js'

/**
 * Options every zoo factory takes.
 * @category Nets
 */
export interface NetOptions<K extends number = number, C extends number = number> {
  /** Number of classes (output features). */
  readonly classes?: K
  /** Input channels: 1 for Fashion-MNIST, 3 for RGB images. */
  readonly inChannels?: C
}

/**
 * Options of the nets whose classifier starts with a Linear of fixed width (the seed's AlexNet and VGGs): those of
 * every net, and `fitClassifier`.
 * @category Nets
 */
export interface FixedClassifierOptions<K extends number = number, C extends number = number, Fit extends boolean = boolean> extends NetOptions<K, C> {
  /**
   * `true`: the first Linear takes its width from the input (`nn.LazyLinear`'s way) instead of the seed's fixed
   * width, so the net trains at another input size on purpose (AlexNet at 96×96: `Linear(256, 4096)` instead of
   * `Linear(6400, 4096)`; other parameters than the seed's net). Default `false`: an input that does not give the
   * seed's width is refused (`linear: expected 6400 input features, got 256`).
   */
  readonly fitClassifier?: Fit
}

/**
 * The width the input check of a fixed-classifier net expects: the seed's `Fixed` without `fitClassifier`; with
 * `fitClassifier: true` whatever the layers make (`Features`), so only a too-small input fails; with a `boolean`
 * not known until run time, `number` (the width is checked when traced).
 * @category Nets
 */
export type ClassifierWidth<Fit extends boolean, Features, Fixed extends number> = [Fit] extends [false]
  ? Fixed
  : [Fit] extends [true]
    ? IsNatural<Features> extends true ? Features & number : 1
    : number

/**
 * The feature count `F` of a `Tensor<[N, F]>` (what a net's layers before its classifier make of its input).
 * @category Nets
 */
export type FeaturesOf<T> = T extends Tensor<[Dim, infer F extends Dim]> ? F : never

/**
 * The input check of a net whose classifier starts with a Linear of fixed width (LeNet, AlexNet, the seed's VGG):
 * `unknown` when `S` has `C` channels and the layers before the classifier (`Features`, the flattened width they
 * make of `S`) give it the `Expected` features it takes. Every size its layers accept passes (AlexNet at 223×223
 * still gives 6400 features); any other fails with the classifier's own verdict
 * (`linear: expected 6400 input features, got 9216` at 225×225), or, when a window no longer fits at all,
 * `alexnet: input [N,1,20,20] is too small for its windows`. Unknown (`number`) dims pass and are checked when traced.
 * @category Nets
 */
export type ExpectClassifierFits<S extends Shape4, C, Features, Expected extends number, Net extends string> =
  DimsAgree<S[1], C> extends true
    ? IsNatural<Expected> extends false
      ? unknown // a net configured with `number` sizes: checked when traced
      : IsNatural<Features> extends true
      ? ExpectDim<Features, Expected, 'linear', 'input features'>
      : [IsNatural<S[2]>, IsNatural<S[3]>] extends [true, true]
        ? ShapeCheckFailed<`${Net}: input ${FormatShape<S>} is too small for its windows`>
        : unknown
    : ShapeCheckFailed<`${Net}: expected input [${FormatDim<S[0]>},${FormatDim<C>},H,W], got ${FormatShape<S>}`>

/**
 * Throws a LayerOptionsError naming the net, the key and the closest valid key when `options` has a key a zoo
 * factory does not take (`lenet({ num_classes: 10 })`: did you mean 'classes'?), as layers do.
 * @category Advanced
 */
export function checkNetOptions(net: string, options: NetOptions): void {
  checkOptionKeys(net, options, ['classes', 'inChannels'] satisfies (keyof NetOptions)[])
}

/**
 * Throws a LayerOptionsError naming the net unless `options` are valid {@link FixedClassifierOptions}
 * (`fitClassifier`, when given, a boolean); returns whether the classifier is fitted to the input.
 * @category Advanced
 */
export function checkFixedClassifierOptions(net: string, options: FixedClassifierOptions): boolean {
  checkOptionKeys(net, options, ['classes', 'inChannels', 'fitClassifier'] satisfies (keyof FixedClassifierOptions)[])
  const fit = options.fitClassifier ?? false
  if (typeof fit !== 'boolean') throw new LayerOptionsError(`${net}: fitClassifier must be true or false, got ${JSON.stringify(fit)}`)
  return fit
}

/**
 * `unknown` when `S` has `C` channels and is at least `Min`×`Min` (a literal below `Min` fails:
 * `resnet18: expected input [N,3,H,W] with H, W ≥ 32, got [N,3,16,16]`); for nets whose head adapts to any size.
 * @category Nets
 */
export type ExpectChannelsAndMinSize<S extends Shape4, C, Min extends number, Net extends string> =
  DimsAgree<S[1], C> extends true
    ? TooSmall<S[2], Min> extends true
      ? SizeMismatch<S, C, Min, Net>
      : TooSmall<S[3], Min> extends true
        ? SizeMismatch<S, C, Min, Net>
        : unknown
    : SizeMismatch<S, C, Min, Net>

/**
 * A net whose head adapts to its input's size (adaptive average pooling, as torchvision's ResNets, DenseNets and
 * VGG-BN): `[N, C, H, W] → [N, K]` for every H, W ≥ `Min`, checked where it is applied by
 * {@link ExpectChannelsAndMinSize} (`resnet18: expected input [N,3,H,W] with H, W ≥ 1, got [N,1,32,32]`).
 * @example
 * ```ts
 * const net: AdaptiveNet<10, 3, 1, 'resnet18'> = resnet18({ classes: 10 })
 * const y = pipe(input([N, 3, 96, 96]), net)
 * //    ^? Tensor<[N, 10]>
 * ```
 * @category Nets
 */
export type AdaptiveNet<K extends number, C, Min extends number, Net extends string> = <S extends Shape4>(
  x: Tensor<S> & ExpectChannelsAndMinSize<S, C, Min, Net>,
) => Tensor<[S[0], K]>

type TooSmall<D, Min extends number> = D extends number ? (Compare<D, Min> extends 'lt' ? true : false) : false

type SizeMismatch<S extends Shape4, C, Min extends number, Net extends string> = ShapeCheckFailed<`${Net}: expected input [${FormatDim<
  S[0]
>},${FormatDim<C>},H,W] with H, W ≥ ${Min}, got ${FormatShape<S>}`>

/**
 * Run-time twin of the channel part of {@link ExpectClassifierFits}: throws a {@link ShapeError} naming the net when
 * `x` is not a 4-D batch with `channels` channels. (The sizes are checked by the net's own layers as it is traced:
 * `linear: expected 6400 input features, got 9216`.)
 * @category Advanced
 */
export function expectChannels(x: Tensor, channels: number, net: string): void {
  const s = x.shape
  if (s.length !== 4 || s[1] !== channels) {
    const expected = `input [N,${channels},H,W]`
    throw new ShapeError(net, expected, formatShape(s), `${net}: expected ${expected}, got ${formatShape(s)}`)
  }
}

/**
 * Run-time twin of {@link ExpectChannelsAndMinSize}: throws a {@link ShapeError} naming the net.
 * @category Advanced
 */
export function expectChannelsAndMinSize(x: Tensor, channels: number, min: number, net: string): void {
  const s = x.shape
  const ok = s.length === 4 && s[1] === channels && [s[2], s[3]].every((d) => !isNamed(d) && d >= min)
  if (!ok) {
    throw new ShapeError(
      net,
      `input [N,${channels},H,W] with H, W ≥ ${min}`,
      formatShape(s),
      `${net}: expected input [N,${channels},H,W] with H, W ≥ ${min}, got ${formatShape(s)}`,
    )
  }
}
