/**
 * Max and average pooling over sliding windows.
 * @module
 */
import type { Shape, Shape4 } from '../shape/dim.js'
import { formatShape } from '../shape/dim.js'
import type { Tensor } from '../graph/tensor.js'
import type { CeilOffset, PairOf, SameAtStride1, WindowDim, WindowOffset, WindowSize } from '../shape/window.js'
import { windowDim } from '../shape/window.js'
import type { HalfKernelVerdict, KnownOptionKeys, KnownWindowKey, OptionNames, PairElements, PlainBoolean, PlainOptionKey, PlainOptionTable, PositiveOption, RankFitsIn, WindowFitsIn, WrappedOptionKeys } from './checks.js'
import { checkOptionKeys, defineLayer, emit, expectRank, LayerOptionsError, naturalInts, pair, positiveInts, ShapeError, type LayerInfo } from './layer.js'

/**
 * Options of {@link maxPool2d} and {@link avgPool2d}, as PyTorch's `nn.MaxPool2d`/`nn.AvgPool2d`.
 * @category Layers
 */
export interface Pool2dOptions {
  /** Window size, square or `[kh, kw]`. */
  readonly kernel: number | readonly [number, number]
  /** Stride; defaults to the kernel size. */
  readonly stride?: number | readonly [number, number]
  /** Implicit padding per side (−∞ for max, zeros for average); at most half the kernel. Default 0. */
  readonly padding?: number | readonly [number, number]
  /** Round the output size up instead of down (PyTorch's `ceil_mode`). Default false. */
  readonly ceilMode?: boolean
  /** Module name in the state_dict; default: the next index in the enclosing scope. */
  readonly name?: string
}

/**
 * Options of {@link avgPool2d}: those of {@link Pool2dOptions} plus PyTorch's `count_include_pad`.
 * @category Layers
 */
export interface AvgPool2dOptions extends Pool2dOptions {
  /** Count padded zeros in the average (PyTorch's default, true). */
  readonly countIncludePad?: boolean
}

/** The keys of {@link Pool2dOptions} and {@link AvgPool2dOptions}, checked at run time (a misspelt key throws). */
const pool2dOptionKeys = ['kernel', 'stride', 'padding', 'ceilMode', 'name'] as const satisfies readonly (keyof Pool2dOptions)[]
const avgPool2dOptionKeys = [...pool2dOptionKeys, 'countIncludePad'] as const satisfies readonly (keyof AvgPool2dOptions)[]

/**
 * Static configuration of a pooling layer after normalising its options: the normalised offsets `aH`/`aW` of the
 * size rule ⌊(H + a)/s⌋ + 1 (2p − k − 1, plus min(s − 1, k − 1 − p) in ceil mode; see {@link CeilOffset}) and the
 * offsets `offH`/`offW` of the fit check H + off ≥ 0. They are equal: in ceil mode PyTorch accepts a last window
 * that hangs over the input as long as one output remains (a 4-window on 3 rows at stride 2 gives 1 row).
 * @category Advanced
 */
export interface PoolShapeConfig {
  offH: number
  offW: number
  aH: number
  aW: number
  strideH: number
  strideW: number
  /**
   * The option checks carried to where a generic wrapper is called ({@link Pool2dWrappedCheck}), read in the layer's
   * input constraint; `unknown` for options written at the pool (checked there, once).
   */
  optionsCheck: unknown
}

/**
 * The configuration of a pool with options `O` written with keys `K`: one object, so that the carried option checks
 * (`optionsCheck`) are read by the input constraint even while the axes are deferred on a block's generic kernel or
 * padding (an intersection of per-axis objects was read member by member there). `optionsCheck` is
 * {@link Pool2dWrappedCheck} when the options reached the pool as a type parameter (their keys inferred from the
 * constraint: all of {@link Pool2dOptions}' keys), else `unknown` (literal options are checked at the pool, once).
 */
type PoolConfigOf<O extends Pool2dOptions, Layer extends 'maxPool2d' | 'avgPool2d', K> = {
  offH: AxisOffsetOf<O['kernel'], O['padding'], PoolStride<O['stride'], O['kernel']>, O['ceilMode'], 0>
  offW: AxisOffsetOf<O['kernel'], O['padding'], PoolStride<O['stride'], O['kernel']>, O['ceilMode'], 1>
  aH: AxisOffsetOf<O['kernel'], O['padding'], PoolStride<O['stride'], O['kernel']>, O['ceilMode'], 0>
  aW: AxisOffsetOf<O['kernel'], O['padding'], PoolStride<O['stride'], O['kernel']>, O['ceilMode'], 1>
  strideH: PairOf<PoolStride<O['stride'], O['kernel']>, 1>[0]
  strideW: PairOf<PoolStride<O['stride'], O['kernel']>, 1>[1]
  optionsCheck: [keyof Pool2dOptions] extends [K] ? Pool2dWrappedCheck<O, Layer> : unknown
}

/**
 * The option checks of {@link maxPool2d} (`Layer` `'maxPool2d'`) and {@link avgPool2d} that a pool carries when its
 * options reached it through a generic wrapper (`<const O extends Pool2dOptions>(o: O) => maxPool2d(o)`): the keys
 * (`WrappedOptionKeys`) and {@link Pool2dOptionsCheck}, decided where the wrapper is called with literals and
 * reported where the pool is applied (the wrapper call's `pipe`/`flow` stage). Told apart from options written at
 * the pool by their keys, as `Conv2dWrappedCheck`.
 * @category Advanced
 */
export type Pool2dWrappedCheck<O extends Pool2dOptions, Layer extends 'maxPool2d' | 'avgPool2d'> = (Layer extends 'maxPool2d'
  ? WrappedOptionKeys<keyof O, typeof pool2dOptionKeys, Layer, 'kernel'>
  : WrappedOptionKeys<keyof O, typeof avgPool2dOptionKeys, Layer, 'kernel'>) &
  Pool2dOptionsCheck<O, Layer>

// Aliases of the option values (interned literals), not of the options object `O`, which is a new type each time
// TypeScript checks the call: instantiations are then shared between passes, calls and layers.

/** The stride option as written, defaulting to the kernel (PyTorch's rule). */
type PoolStride<S, K> = [S] extends [number | readonly [number, number]] ? S : K

/** The normalised offset of axis `I` (the fit check's and the size rule's, which are equal; see {@link PoolShapeConfig}). */
type AxisOffsetOf<K, P, St, Ceil, I extends 0 | 1> =
  WindowOffset<PairOf<K, 1>[I], PairOf<P, 0>[I], 1> extends infer V extends number
    ? [Ceil] extends [true] ? CeilOffset<V, PairOf<St, 1>[I], PairOf<K, 1>[I], PairOf<P, 0>[I]> : V
    : never

/**
 * Output size of a pooling layer along one axis (a same-size window at stride 1 keeps the dim as is).
 * @category Advanced
 */
export type PoolDim<H, Off extends number, A extends number, S extends number, Layer extends string> = A extends -1
  ? SameAtStride1<H, S, Off, Layer>
  : WindowDim<H, A, S, Off, Layer>

/**
 * A configured pooling layer: `Tensor<[N, C, H, W]>` → `Tensor<[N, C, H_out, W_out]>`; the window must fit H and W.
 * @category Layers
 */
export interface Pool2d<K extends 'maxPool2d' | 'avgPool2d', C extends PoolShapeConfig> extends LayerInfo<K, Pool2dOptions> {
  <S extends Shape & C['optionsCheck'] & RankFitsIn<S[0], S[1], S[2], S[3], 4, K> & WindowFitsIn<S[2], C['offH'], K> & WindowFitsIn<S[3], C['offW'], K>>(x: Tensor<S>): Tensor<[
    S[0],
    S[1],
    PoolDim<S[2], C['offH'], C['aH'], C['strideH'], K>,
    PoolDim<S[3], C['offW'], C['aW'], C['strideW'], K>,
  ]>
}

/**
 * Option checks decidable when a pooling layer is created: a kernel or stride that is not a positive integer; padding
 * that is not a non-negative integer or is more than half the kernel, and a plain `number` size or `boolean` ceilMode
 * (`PlainNumberOption`), these in one lookup (`Pool2dOptionsTable`).
 * @category Advanced
 */
export type Pool2dOptionsCheck<O extends Pool2dOptions, Layer extends string> = PositiveOption<O['kernel'], Layer, 'kernel'> &
  PositiveOption<O['stride'], Layer, 'stride'> &
  Pool2dOptionsTable<O, Layer>[PlainOptionKey<O, Pool2dOptions, KnownWindowKey<O['kernel'], O['padding']>, PlainBoolean<O['ceilMode' & keyof O]> | PairElements<O[keyof O]>>]

/**
 * The verdicts of a pool's options lookup: `plain` (see `PlainNumberOption`) and `bad`, the padding checks
 * ({@link HalfKernelVerdict}, read when kernel and padding are known); made only when looked up.
 * @category Advanced
 */
interface Pool2dOptionsTable<O extends Pool2dOptions, Layer extends string>
  extends PlainOptionTable<O, ['kernel', 'stride', 'padding', 'ceilMode'], Layer, 'Pool2dOptions'> {
  readonly bad: HalfKernelVerdict<O['kernel'], O['padding'], Layer>
}

/**
 * The options {@link maxPool2d} (`Layer` `'maxPool2d'`) and {@link avgPool2d} accept: the options as written (`O`,
 * kept literal), refused with a verdict when {@link Pool2dOptionsCheck} fails (a 0 kernel or stride, padding more
 * than half the kernel, a plain `number` size or `boolean` ceilMode unless the options are typed as
 * {@link Pool2dOptions} itself to opt out).
 * @category Layers
 */
export type ValidPool2dOptions<O extends Pool2dOptions, Layer extends 'maxPool2d' | 'avgPool2d', K extends PropertyKey = keyof O> = OptionNames<K> &
  (Layer extends 'maxPool2d'
  ? KnownOptionKeys<K, typeof pool2dOptionKeys, Layer, 'kernel'>
  : KnownOptionKeys<K, typeof avgPool2dOptionKeys, Layer, 'kernel'>) &
  O &
  Pool2dOptionsCheck<O, Layer>

function pool2d(kind: 'maxPool2d' | 'avgPool2d', options: AvgPool2dOptions) {
  checkOptionKeys(kind, options, kind === 'maxPool2d' ? pool2dOptionKeys : avgPool2dOptionKeys, ['kernel'])
  const [kh, kw] = pair(options.kernel, 1)
  const [sh, sw] = pair(options.stride ?? options.kernel, 1)
  const [ph, pw] = pair(options.padding, 0)
  const ceilMode = options.ceilMode ?? false
  positiveInts(kind, 'kernel', [kh, kw])
  positiveInts(kind, 'stride', [sh, sw])
  naturalInts(kind, 'padding', [ph, pw])
  if (2 * ph > kh || 2 * pw > kw) {
    throw new LayerOptionsError(`${kind}: padding ${2 * ph > kh ? ph : pw} is more than half the kernel ${2 * ph > kh ? kh : kw}`)
  }
  const layer = (x: Tensor<Shape4>) => {
    expectRank(kind, x.shape, 4, 'input [N, C, H, W]')
    // A named H or W (`dim('H')`) gives a derived dim (`⌊H/2⌋`), as in the types.
    const ho = windowDim(x.shape[2], kh, sh, ph, 1, ceilMode)
    const wo = windowDim(x.shape[3], kw, sw, pw, 1, ceilMode)
    if ((typeof ho === 'number' && ho < 1) || (typeof wo === 'number' && wo < 1)) {
      throw new ShapeError(kind, `kernel ${kh}×${kw} to fit the padded input`, `${formatShape(x.shape)} padded by ${ph},${pw}`)
    }
    const op =
      kind === 'maxPool2d'
        ? ({ kind, kernel: [kh, kw], stride: [sh, sw], padding: [ph, pw], ceilMode } as const)
        : ({ kind, kernel: [kh, kw], stride: [sh, sw], padding: [ph, pw], ceilMode, countIncludePad: options.countIncludePad ?? true } as const)
    return emit([x], op, [x.shape[0], x.shape[1], ho, wo], { name: options.name })
  }
  return defineLayer(kind, options as Pool2dOptions, layer)
}

/**
 * Max pooling, as PyTorch's `nn.MaxPool2d` (stride defaults to the kernel).
 *
 * Shape rule: `[N, C, H, W] → [N, C, H_out, W_out]`, H_out = ⌊(H + 2p − k)/s⌋ + 1, or with `ceilMode`
 * ⌈(H + 2p − k)/s⌉ + 1, less one if the last window would start in the padding.
 *
 * PyTorch: `nn.MaxPool2d(kernel_size, stride, padding, dilation=1, ceil_mode)`; here `kernel`, `stride`, `padding`, `ceilMode`.
 *
 * Errors: [window larger than its input](../../docs/errors.md#a-window-larger-than-its-input), [impossible options](../../docs/errors.md#impossible-layer-options), [options through a generic wrapper](../../docs/errors.md#options-passed-on-by-a-generic-wrapper), [wrong rank](../../docs/errors.md#a-layer-given-the-wrong-rank).
 * @example
 * ```ts
 * const y = pipe(input([N, 96, 54, 54]), maxPool2d({ kernel: 3, stride: 2 })) // Tensor<[N, 96, 26, 26]>
 * ```
 * @category Layers
 */
export function maxPool2d<const O extends Pool2dOptions, K extends PropertyKey = keyof O>(options: ValidPool2dOptions<O, 'maxPool2d', K>): Pool2d<'maxPool2d', PoolConfigOf<O, 'maxPool2d', K>> {
  return pool2d('maxPool2d', options) as unknown as Pool2d<'maxPool2d', PoolConfigOf<O, 'maxPool2d', K>>
}

/**
 * Average pooling, as PyTorch's `nn.AvgPool2d` (zero padding counted in the average unless `countIncludePad: false`).
 *
 * Shape rule: `[N, C, H, W] → [N, C, H_out, W_out]`, as {@link maxPool2d}: H_out = ⌊(H + 2p − k)/s⌋ + 1 (or the
 * ceil-mode variant).
 *
 * PyTorch: `nn.AvgPool2d(kernel_size, stride, padding, ceil_mode, count_include_pad)`; here `kernel`, `stride`, `padding`, `ceilMode`, `countIncludePad`.
 *
 * Errors: [window larger than its input](../../docs/errors.md#a-window-larger-than-its-input), [impossible options](../../docs/errors.md#impossible-layer-options), [options through a generic wrapper](../../docs/errors.md#options-passed-on-by-a-generic-wrapper), [wrong rank](../../docs/errors.md#a-layer-given-the-wrong-rank).
 * @example
 * ```ts
 * const y = pipe(input([N, 6, 28, 28]), avgPool2d({ kernel: 2 })) // Tensor<[N, 6, 14, 14]>
 * ```
 * @category Layers
 */
export function avgPool2d<const O extends AvgPool2dOptions, K extends PropertyKey = keyof O>(options: ValidPool2dOptions<O, 'avgPool2d', K>): Pool2d<'avgPool2d', PoolConfigOf<O, 'avgPool2d', K>> {
  return pool2d('avgPool2d', options) as unknown as Pool2d<'avgPool2d', PoolConfigOf<O, 'avgPool2d', K>>
}
