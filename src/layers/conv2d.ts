/**
 * 2-D convolution.
 * @module
 */
import type { Shape, Shape4 } from '../shape/dim.js'
import type { ShapeCheckFailed } from '../shape/format.js'
import { formatShape } from '../shape/dim.js'
import type { Tensor } from '../graph/tensor.js'
import type { PairOf, SameAtStride1, WindowDim, WindowOffset, WindowSize } from '../shape/window.js'
import { windowDim } from '../shape/window.js'
import type { BadAxis, DivisibleOption, ExpectDim, IntegerKey, KnownOptionKeys, NotNaturalText, OptionNames, PairElements, PendingCheck, PlainOptionKey, PlainOptionTable, PositiveOption, RankFitsIn, WindowFitsIn, WrappedOptionKeys } from './checks.js'
import { checkOptionKeys, concreteSize, defineLayer, emit, expectRank, LayerOptionsError, naturalInts, pair, positiveInts, ShapeError, type LayerInfo } from './layer.js'

/**
 * Options of {@link conv2d}, named as in PyTorch's `nn.Conv2d`.
 * @category Layers
 */
export interface Conv2dOptions {
  /** Output channels. */
  readonly out: number
  /** Kernel size, square or `[kh, kw]`. */
  readonly kernel: number | readonly [number, number]
  /** Stride, default 1. */
  readonly stride?: number | readonly [number, number]
  /** Zero padding per side, `[ph, pw]`, or `'same'` (stride 1 only: output size = input size). Default 0. */
  readonly padding?: number | readonly [number, number] | 'same'
  /** Dilation, default 1. */
  readonly dilation?: number | readonly [number, number]
  /** Channel groups, default 1 (`groups = in = out` is depthwise). */
  readonly groups?: number
  /** Learn an additive bias, default true. */
  readonly bias?: boolean
  /** Input channels; optional, checked against the incoming C when given. */
  readonly in?: number
  /** Module name in the state_dict (`conv1`); default: the next index in the enclosing scope. */
  readonly name?: string
}

/** The keys of {@link Conv2dOptions}, checked at run time (a misspelt key throws) and at compile time (`KnownOptionKeys`). */
const conv2dOptionKeys = ['out', 'kernel', 'stride', 'padding', 'dilation', 'groups', 'bias', 'in', 'name'] as const satisfies readonly (keyof Conv2dOptions)[]

/**
 * Static configuration of a conv after normalising its options: what the shape rule needs.
 * @category Advanced
 */
export interface ConvShapeConfig {
  out: number
  in: number
  offH: number
  offW: number
  strideH: number
  strideW: number
  padH: number
  padW: number
  groups: number
  /**
   * The option checks carried to where a generic wrapper is called ({@link Conv2dWrappedCheck}), read in the layer's
   * input constraint; `unknown` for options written at `conv2d` (checked there).
   */
  optionsCheck: unknown
}

type ConfigOf<O extends Conv2dOptions, K = keyof O> = {
  out: O['out']
  in: InOption<O>
  offH: AxisOffset<O['kernel'], O['padding'], O['dilation'], 0>
  offW: AxisOffset<O['kernel'], O['padding'], O['dilation'], 1>
  strideH: PairOf<O['stride'], 1>[0]
  strideW: PairOf<O['stride'], 1>[1]
  padH: AxisPadding<O['padding'], 0>
  padW: AxisPadding<O['padding'], 1>
  groups: O['groups'] extends number ? O['groups'] : 1
  optionsCheck: [keyof Conv2dOptions] extends [K] ? Conv2dWrappedCheck<O> : unknown
}

/**
 * The option checks of {@link conv2d} that a layer carries when its options reached `conv2d` through a generic
 * wrapper (`<const O extends Conv2dOptions>(o: O) => conv2d(o)`, or one that spreads them,
 * `conv2d({ ...o, padding: 1 })`): the keys (`WrappedOptionKeys`) and {@link Conv2dOptionsCheck}. There the
 * checks at `conv2d` pass undecided (the options are a type parameter); this, in the layer's configuration
 * ({@link ConvShapeConfig}'s `optionsCheck`) and read by its input constraint, is decided where the wrapper is
 * called with literals and reported where the wrapped layer is applied (its `pipe`/`flow` stage, the line of the
 * wrapper's call): `conv2d: unknown option 'paddding'; …`, a 0 kernel, a negative padding, `'same'` with a stride,
 * and the plain-number verdict for a wrapper whose type parameter is not `const` (TypeScript widens its literals).
 *
 * Options passed as a type parameter are told apart from options written at `conv2d` by their keys: TypeScript infers
 * the keys of a type parameter from its constraint, all of {@link Conv2dOptions}' keys, and those of a literal as
 * written. Literal options are not checked twice (their verdict is given at `conv2d`, once): the configuration holds
 * `unknown`.
 * @category Advanced
 */
export type Conv2dWrappedCheck<O extends Conv2dOptions> = WrappedOptionKeys<keyof O, typeof conv2dOptionKeys, 'conv2d', 'out' | 'kernel'> &
  Conv2dOptionsCheck<O>

// Each size is an alias of the option values (interned literals: `3`, `1`), not of the options object `O`, which is a
// new type each time TypeScript checks the call: instantiations are then shared between passes, calls and layers
// (ResNet-152's type check: 516 fewer).

/** The window offset along axis `I` from the kernel, padding and dilation options as written (−1 for `'same'`). */
type AxisOffset<K, P, D, I extends 0 | 1> = [P] extends ['same'] ? -1 : WindowOffset<PairOf<K, 1>[I], PairOf<P, 0>[I], PairOf<D, 1>[I]>

/** The zero padding along axis `I` from the padding option as written (0 for `'same'`, which the trace pads itself). */
type AxisPadding<P, I extends 0 | 1> = [P] extends ['same'] ? 0 : PairOf<P, 0>[I]

/**
 * The `in` option as written: its literal, or the block's type parameter itself (`conv2d({ in: c, … })` after
 * `conv2d({ out: c, … })` then compares `C` with `C`, which is equal, instead of with `C extends number ? C : never`,
 * which is undecided inside the block); `never` when absent.
 */
type InOption<O> = O extends { readonly in: infer I extends number } ? I : never

/**
 * Output size along one axis (offset `Off` = 2p − d(k−1) − 1, see {@link WindowSize}); an offset of −1 at stride 1
 * keeps the input's own dim (a "same" conv), so size-preserving layers add nothing to a generic block's types.
 * @category Advanced
 */
export type ConvDim<H, Off extends number, S extends number, Layer extends string> = Off extends -1
  ? SameAtStride1<H, S, Off, Layer>
  : WindowDim<H, Off, S, Off, Layer>

/**
 * Input checks of a conv on the input's channels `Channels` (`S[1]`): declared in-channels, and channels divisible by
 * groups. In the layer's input constraint, as {@link WindowFitsIn}: the checks travel with the layer's type parameter,
 * so a `flow` that starts with `conv2d({ in: 8, … })` (the seed's Inception and Residual take their in-channels) stays
 * an ordinary generic function inside `parallel` and `residual`; both are lookups that pass while undecided.
 * @category Advanced
 */
export type Conv2dInputCheck<Channels, C extends ConvShapeConfig> = ExpectDim<Channels, C['in'], 'conv2d', 'input channels'> &
  DivisibleOption<Channels, C['groups'], 'conv2d', 'input channels'>

/**
 * A configured conv layer: applies to `Tensor<[N, C, H, W]>` and returns `Tensor<[N, out, H_out, W_out]>`. The
 * kernel must fit the padded input (`conv2d: kernel larger than padded input …`, reported at this conv).
 * @category Layers
 */
export interface Conv2d<C extends ConvShapeConfig> extends LayerInfo<'conv2d', Conv2dOptions> {
  /**
   * The configuration the shape rule reads, as a type only (no such property at run time), held invariantly. It keeps
   * two convs with different options distinct types: without it TypeScript's subtype reduction of
   * `flag ? convA : convB` (which compares the generic call signatures erased, and the configurations by the variance
   * of their options, where `{ kernel: 1, stride: 2 }` is a subtype of `{ kernel: 1 }`) kept only one, so a residual's
   * or a branch's other choice went unchecked.
   */
  readonly '~config'?: (config: C) => C
  <S extends Shape & C['optionsCheck'] & RankFitsIn<S[0], S[1], S[2], S[3], 4, 'conv2d'> & WindowFitsIn<S[2], C['offH'], 'conv2d'> & WindowFitsIn<S[3], C['offW'], 'conv2d'> & Conv2dInputCheck<S[1], C>>(x: Tensor<S>): Tensor<[
    PendingCheck<S[0], S[1], C['in'], 'conv2d', 'input channels'>,
    C['out'],
    ConvDim<S[2], C['offH'], C['strideH'], 'conv2d'>,
    ConvDim<S[3], C['offW'], C['strideW'], 'conv2d'>,
  ]>
}

/**
 * Option checks decidable when the layer is created.
 * @category Advanced
 */
export type Conv2dOptionsCheck<O extends Conv2dOptions> = PositiveOption<O['kernel'], 'conv2d', 'kernel'> &
  PositiveOption<O['stride'], 'conv2d', 'stride'> &
  PositiveOption<O['dilation'], 'conv2d', 'dilation'> &
  PositiveOption<O['groups'], 'conv2d', 'groups'> &
  PositiveOption<O['out'], 'conv2d', 'out channels'> &
  ('groups' extends keyof O ? DivisibleOption<O['out'], O['groups'], 'conv2d', 'out channels'> : unknown) &
  Conv2dOptionsTable<O>[PlainOptionKey<O, Conv2dOptions, PaddingKey<O['padding'], O['stride']>, PairElements<O[keyof O]>>]

/**
 * The options {@link conv2d} accepts: {@link Conv2dOptions} as written (`O`, kept literal), refused with a verdict
 * when a check decidable at creation fails ({@link Conv2dOptionsCheck}: a 0 kernel, stride, dilation, groups or out;
 * out not divisible by groups; `'same'` padding with a stride; a plain `number` size or `in`, which would switch the
 * checks after it off, unless the options are typed as {@link Conv2dOptions} itself to opt out: see
 * `PlainNumberOption`).
 * @category Layers
 */
export type ValidConv2dOptions<O extends Conv2dOptions, K extends PropertyKey = keyof O> = OptionNames<K> &
  KnownOptionKeys<K, typeof conv2dOptionKeys, 'conv2d', 'out' | 'kernel'> &
  O &
  Conv2dOptionsCheck<O>

/**
 * The key of the padding checks, folded into the options lookup ({@link Conv2dOptionsTable}, keyed by
 * `PlainOptionKey`): `'same'` (its verdict) for `'same'` padding with a stride other than 1, `'bad'` for a padding
 * that is not a non-negative integer (`-1`, `[1, 0.5]`), `string` (passes) otherwise; one lookup for these and the
 * plain-number check, as every check here is counted several times per layer while a call is inferred. With a type
 * parameter for the padding or the stride (a block's parameter) or for the whole options (a wrapper's
 * `<const O extends Conv2dOptions>(o: O) => conv2d(o)`) the key stays a deferred conditional whose constraint is
 * `string`, so such a block or wrapper is not refused; the check is made where the options are written as literals
 * (a wrapper's where it is called: {@link Conv2dWrappedCheck}), and by the layer when it is created.
 */
type PaddingKey<P, Stride> = P extends number
  ? `${P}` extends NotNaturalText
    ? 'bad'
    : string
  : P extends 'same'
    ? PairOf<Stride, 1> extends [1, 1]
      ? string
      : 'same'
    : IntegerKey<P, NotNaturalText>

/**
 * The verdicts of conv2d's options lookup: `plain` (a plain `number` size or `in`, see `PlainNumberOption`), and those
 * of {@link PaddingKey}; made only when looked up (interface members are lazy).
 */
interface Conv2dOptionsTable<O extends Conv2dOptions>
  extends PlainOptionTable<O, ['out', 'kernel', 'stride', 'padding', 'dilation', 'groups', 'in'], 'conv2d', 'Conv2dOptions', 'in', 'omit in to take the channels from the input'> {
  readonly same: ShapeCheckFailed<"conv2d: padding 'same' needs stride 1">
  readonly bad: ShapeCheckFailed<`conv2d: padding must be a non-negative integer, got ${BadAxis<O['padding'], NotNaturalText>}`>
}

/**
 * 2-D convolution over `[N, C, H, W]`, as PyTorch's `nn.Conv2d` (in-channels are taken from the input).
 *
 * Shape rule: `[N, C, H, W] → [N, out, H_out, W_out]` with
 * H_out = ⌊(H + 2p − d(k−1) − 1)/s⌋ + 1 (likewise W); `padding: 'same'` keeps H and W (stride 1).
 * Parameters: `weight` `[out, C/groups, kh, kw]`, `bias` `[out]`.
 *
 * PyTorch: `nn.Conv2d(in_channels, out_channels, kernel_size, stride, padding, dilation, groups, bias)`; here `in`
 * (optional), `out`, `kernel`, `stride`, `padding`, `dilation`, `groups`, `bias`.
 *
 * Errors: [input channels](../../docs/errors.md#a-convolution-that-expects-other-input-channels), [kernel larger than the padded input](../../docs/errors.md#a-window-larger-than-its-input), [impossible options](../../docs/errors.md#impossible-layer-options), [options through a generic wrapper](../../docs/errors.md#options-passed-on-by-a-generic-wrapper), [a computed `in`](../../docs/errors.md#a-size-computed-with-in-an-option-that-is-checked), [a plain-number size](../../docs/errors.md#an-option-that-fixes-a-size-is-a-plain-number), [wrong rank](../../docs/errors.md#a-layer-given-the-wrong-rank).
 * @example
 * ```ts
 * import { pipe } from 'fp-ts/lib/function.js'
 * import { conv2d, input, N } from 'shapesafe'
 * const y = pipe(input([N, 1, 224, 224]), conv2d({ out: 96, kernel: 11, stride: 4, padding: 1 }))
 * //    ^? Tensor<[N, 96, 54, 54]>
 * ```
 * @category Layers
 */
export function conv2d<const O extends Conv2dOptions, K extends PropertyKey = keyof O>(options: ValidConv2dOptions<O, K>): Conv2d<ConfigOf<O, K>> {
  checkOptionKeys('conv2d', options, conv2dOptionKeys, ['out', 'kernel'])
  const [kh, kw] = pair(options.kernel, 1)
  const [sh, sw] = pair(options.stride, 1)
  const [dh, dw] = pair(options.dilation, 1)
  const groups = options.groups ?? 1
  const bias = options.bias ?? true
  positiveInts('conv2d', 'kernel', [kh, kw])
  positiveInts('conv2d', 'stride', [sh, sw])
  positiveInts('conv2d', 'dilation', [dh, dw])
  positiveInts('conv2d', 'groups', [groups])
  positiveInts('conv2d', 'out channels', [options.out])
  if (options.in !== undefined) positiveInts('conv2d', 'in channels', [options.in])
  if (options.out % groups !== 0) throw new LayerOptionsError(`conv2d: out channels ${options.out} not divisible by groups ${groups}`)
  const same = options.padding === 'same'
  if (same && (sh !== 1 || sw !== 1)) throw new LayerOptionsError("conv2d: padding 'same' needs stride 1")
  // 'same' pads d(k−1) in total, the odd one at the bottom/right, as PyTorch does.
  const [ph, pw] = same ? [0, 0] : pair(options.padding as number | readonly [number, number] | undefined, 0)
  naturalInts('conv2d', 'padding', [ph, pw])
  const padding = same
    ? ([Math.floor((dh * (kh - 1)) / 2), Math.ceil((dh * (kh - 1)) / 2), Math.floor((dw * (kw - 1)) / 2), Math.ceil((dw * (kw - 1)) / 2)] as const)
    : ([ph, ph, pw, pw] as const)

  const layer = (x: Tensor<Shape4>) => {
    expectRank('conv2d', x.shape, 4, 'input [N, C, H, W]')
    const inChannels = concreteSize('conv2d', x.shape[1], 'channel count')
    if (options.in !== undefined && options.in !== inChannels) {
      throw new ShapeError('conv2d', `${options.in} input channels`, `${inChannels}`)
    }
    if (inChannels % groups !== 0) throw new ShapeError('conv2d', `input channels divisible by groups ${groups}`, `${inChannels}`)
    // A named H or W (`dim('H')`) gives a derived dim (`⌈H/2⌉`), as in the types.
    const [h, w] = [x.shape[2], x.shape[3]]
    const ho = same ? h : windowDim(h, kh, sh, ph, dh, false)
    const wo = same ? w : windowDim(w, kw, sw, pw, dw, false)
    if ((typeof ho === 'number' && ho < 1) || (typeof wo === 'number' && wo < 1)) {
      throw new ShapeError('conv2d', `kernel ${dh * (kh - 1) + 1}×${dw * (kw - 1) + 1} to fit the padded input`, `${formatShape(x.shape)} padded by ${ph},${pw}`)
    }
    const fanIn = (inChannels / groups) * kh * kw
    return emit(
      [x],
      { kind: 'conv2d', inChannels, out: options.out, kernel: [kh, kw], stride: [sh, sw], padding, dilation: [dh, dw], groups, bias },
      [x.shape[0], options.out, ho, wo],
      {
        name: options.name,
        params: (path) => [
          { name: `${path}.weight`, shape: [options.out, inChannels / groups, kh, kw], role: 'weight', fanIn },
          ...(bias ? [{ name: `${path}.bias`, shape: [options.out], role: 'bias' as const, fanIn }] : []),
        ],
      },
    )
  }
  return defineLayer('conv2d', options as Conv2dOptions, layer) as unknown as Conv2d<ConfigOf<O, K>>
}
