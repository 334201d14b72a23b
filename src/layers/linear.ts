/**
 * Fully connected layer.
 * @module
 */
import type { Dim, Shape } from '../shape/dim.js'
import type { Tensor } from '../graph/tensor.js'
import type { ShapeCheckFailed } from '../shape/format.js'
import type { ExpectDim, PendingCheck, ExpectRank, IntegerKey, KnownOptionKeys, NotPositiveText, OptionNames, PlainOptionKey, PlainOptionTable, PositiveOption, RankFitsIn } from './checks.js'
import { checkOptionKeys, concreteSize, defineLayer, emit, expectRank, positiveInts, ShapeError, type LayerInfo } from './layer.js'

/**
 * Options of {@link linear}, as PyTorch's `nn.Linear`.
 * @category Layers
 */
export interface LinearOptions {
  /** Output features. */
  readonly out: number
  /**
   * Input features; optional, checked against the incoming width when given (as in the seed's `Linear(6400, 4096)`).
   * Must be a literal (or `prod(16, 5, 5)`) to be checked: a plain `number` is rejected; omit it to take the width
   * from the input.
   */
  readonly in?: number
  /** Learn an additive bias, default true. */
  readonly bias?: boolean
  /** Module name in the state_dict; default: the next index in the enclosing scope. */
  readonly name?: string
}

/**
 * A configured linear layer: `Tensor<[N, in]>` → `Tensor<[N, out]>`. Printed as PyTorch's `nn.Linear(in, out)` reads:
 * `Linear<6400, 4096>` (`Linear<never, 10>` when `in` is left to the input).
 * @category Layers
 */
export interface Linear<In, Out extends number> extends LayerInfo<'linear', LinearOptions> {
  <S extends Shape & RankFitsIn<S[0], S[1], S[2], S[3], 2, 'linear'>>(x: Tensor<S> & ExpectRank<S, 2, 'linear'> & ExpectDim<S[1], In, 'linear', 'input features'>): Tensor<[PendingCheck<S[0], S[1], In, 'linear', 'input features'>, Out]>
}

/** The keys of {@link LinearOptions}, checked at run time (a misspelt key throws) and at compile time (`KnownOptionKeys`). */
const linearOptionKeys = ['out', 'in', 'bias', 'name'] as const satisfies readonly (keyof LinearOptions)[]

/**
 * The options {@link linear} accepts: {@link LinearOptions} as written (`O`, kept literal), refused with the verdict
 * the layer throws when it is made for an unknown key, with the keys as written `K` (the layer infers them):
 * `linear: unknown option 'in_features' (did you mean 'in'?); its options are out, in, bias, name`, then for `out`
 * missing (`linear: out is required`); when `out` or `in` is not a positive integer (0, negative, a fraction:
 * `linear: in features must be a positive integer, got 0`); and when `out` or `in` is a plain `number` (which would
 * switch the checks after it off; write a literal or `prod(16, 5, 5)`, or type the options as {@link LinearOptions}
 * itself to opt out).
 * @category Layers
 */
export type ValidLinearOptions<O extends LinearOptions, K extends PropertyKey = keyof O> = OptionNames<K> &
  KnownOptionKeys<K, typeof linearOptionKeys, 'linear', 'out'> &
  O &
  PositiveOption<O['out'], 'linear', 'out features'> &
  LinearOptionsTable<O>[PlainOptionKey<O, LinearOptions, IntegerKey<O['in'], NotPositiveText>>]

/**
 * The verdicts of linear's options lookup: `plain` (see `PlainNumberOption`) and `bad`, an `in` that is not a positive
 * integer (`positiveInts`' text); made only when looked up.
 */
interface LinearOptionsTable<O extends LinearOptions>
  extends PlainOptionTable<O, ['out', 'in'], 'linear', 'LinearOptions', 'in', 'omit in to take the features from the input'> {
  readonly bad: ShapeCheckFailed<`linear: in features must be a positive integer, got ${O['in'] & number}`>
}

/**
 * The `in` option as written: its literal, or a block's type parameter itself; `never` when absent (the width is
 * taken from the input).
 */
type LinearIn<O> = O extends { readonly in: infer I extends number } ? I : never

/**
 * Fully connected layer y = x·Wᵀ + b on `[N, F]`.
 *
 * Shape rule: `[N, F] → [N, out]`; with `in` given, F must equal it
 * (else `linear: expected 6400 input features, got 4096`); write a computed `in` as `prod(16, 5, 5)`. Parameters: `weight` `[out, F]`, `bias` `[out]`.
 *
 * PyTorch: `nn.Linear(in_features, out_features, bias)`; here `in` (optional), `out`, `bias`.
 *
 * Errors: [input features](../../docs/errors.md#a-linear-layer-that-expects-other-input-features), [a computed `in`](../../docs/errors.md#a-size-computed-with-in-an-option-that-is-checked), [wrong rank](../../docs/errors.md#a-layer-given-the-wrong-rank) (flatten forgotten).
 * @example
 * ```ts
 * pipe(input([N, 6400]), linear({ in: 6400, out: 4096 })) // Tensor<[N, 4096]>
 * ```
 * @category Layers
 */
export function linear<const O extends LinearOptions, K extends PropertyKey = keyof O>(options: ValidLinearOptions<O, K>): Linear<LinearIn<O>, O['out']> {
  checkOptionKeys('linear', options, linearOptionKeys, ['out'])
  positiveInts('linear', 'out features', [options.out])
  if (options.in !== undefined) positiveInts('linear', 'in features', [options.in])
  const bias = options.bias ?? true
  const layer = (x: Tensor<[Dim, Dim]>) => {
    expectRank('linear', x.shape, 2, 'input [N, features]')
    const inFeatures = concreteSize('linear', x.shape[1], 'feature count')
    if (options.in !== undefined && options.in !== inFeatures) {
      throw new ShapeError('linear', `${options.in} input features`, `${inFeatures}`)
    }
    return emit([x], { kind: 'linear', inFeatures, out: options.out, bias }, [x.shape[0], options.out], {
      name: options.name,
      params: (path) => [
        { name: `${path}.weight`, shape: [options.out, inFeatures], role: 'weight', fanIn: inFeatures },
        ...(bias ? [{ name: `${path}.bias`, shape: [options.out], role: 'bias' as const, fanIn: inFeatures }] : []),
      ],
    })
  }
  return defineLayer('linear', options as LinearOptions, layer) as unknown as Linear<LinearIn<O>, O['out']>
}
