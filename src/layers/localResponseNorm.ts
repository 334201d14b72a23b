/**
 * Local response normalisation across channels (AlexNet paper, PyTorch's `nn.LocalResponseNorm`).
 * @module
 */
import type { Shape4 } from '../shape/dim.js'
import type { Tensor } from '../graph/tensor.js'
import { checkOptionKeys, defineLayer, emit, expectRank, LayerOptionsError, positiveInts } from './layer.js'
import type { KnownOptionKeys, OptionNames, PositiveOption } from './checks.js'
import type { ShapePreserving } from './elementwise.js'

/**
 * Options of {@link localResponseNorm}, PyTorch's names and defaults.
 * @category Layers
 */
export interface LocalResponseNormOptions {
  /** Number of neighbouring channels summed over. */
  readonly size: number
  /** Scale, default 1e-4 (divided by `size`, as PyTorch does). */
  readonly alpha?: number
  /** Exponent, default 0.75. */
  readonly beta?: number
  /** Additive constant, default 1. */
  readonly k?: number
  /** Module name in the state_dict; default: the next index in the enclosing scope. */
  readonly name?: string
}

/**
 * A configured local response normalisation: shape-preserving (`Tensor<S>` → `Tensor<S>`), carrying its kind and
 * options.
 * @category Layers
 */
export type LocalResponseNorm = ShapePreserving<'localResponseNorm', LocalResponseNormOptions>

/** The keys of {@link LocalResponseNormOptions}, checked at run time (a misspelt key throws) and at compile time (`KnownOptionKeys`). */
const localResponseNormOptionKeys = ['size', 'alpha', 'beta', 'k', 'name'] as const satisfies readonly (keyof LocalResponseNormOptions)[]

/**
 * The options {@link localResponseNorm} accepts: {@link LocalResponseNormOptions} with `size` kept literal, refused
 * with the verdict the layer throws when it is made for an unknown key, with the keys as written `K` (the layer infers
 * them): `localResponseNorm: unknown option 'depth_radius'; its options are size, alpha, beta, k, name`, then for
 * `size` missing (`localResponseNorm: size is required`), and when `size` is a literal that is not a positive integer.
 * @category Layers
 */
export type ValidLocalResponseNormOptions<Size extends number, K extends PropertyKey = 'size'> = OptionNames<K> &
  KnownOptionKeys<K, typeof localResponseNormOptionKeys, 'localResponseNorm', 'size'> & {
    readonly size: Size
    readonly alpha?: number
    readonly beta?: number
    readonly k?: number
    readonly name?: string
  } & PositiveOption<Size, 'localResponseNorm', 'size'>

/**
 * b_c = a_c · (k + α/n · Σ_{c' near c} a_{c'}²)^−β over a window of n = `size` channels
 * (⌊n/2⌋ before, ⌈n/2⌉−1 after), as PyTorch's `nn.LocalResponseNorm`.
 *
 * Shape rule: `[N, C, H, W] → [N, C, H, W]`.
 *
 * PyTorch: `nn.LocalResponseNorm(size, alpha=1e-4, beta=0.75, k=1.0)`; here `size`, `alpha`, `beta`, `k` (same
 * names and defaults) and `name`.
 *
 * Errors: a literal `size` that is not a positive integer is a type error at the layer (`localResponseNorm: size must
 * be a positive integer, got 0`); such a `size` that is a plain `number`, or `k` and `alpha`
 * both 0, throw a `LayerOptionsError` when the layer is made; an input
 * that is not `[N, C, H, W]` is a `ShapeError` when traced (the types take any shape here).
 * @example
 * ```ts
 * pipe(input([N, 96, 54, 54]), localResponseNorm({ size: 5, alpha: 1e-4, beta: 0.75, k: 2 })) // Tensor<[N, 96, 54, 54]>
 * ```
 * @category Layers
 */
export function localResponseNorm<const Size extends number, K extends PropertyKey = 'size'>(
  options: ValidLocalResponseNormOptions<Size, K>,
): LocalResponseNorm {
  checkOptionKeys('localResponseNorm', options, localResponseNormOptionKeys, ['size'])
  positiveInts('localResponseNorm', 'size', [options.size])
  const alpha = options.alpha ?? 1e-4
  const beta = options.beta ?? 0.75
  const k = options.k ?? 1
  if (!(k > 0) && !(alpha > 0)) throw new LayerOptionsError('localResponseNorm: k or alpha must be positive')
  const layer = (x: Tensor<Shape4>) => {
    expectRank('localResponseNorm', x.shape, 4, 'input [N, C, H, W]')
    return emit([x], { kind: 'localResponseNorm', size: options.size, alpha, beta, k }, x.shape, { name: options.name })
  }
  return defineLayer('localResponseNorm', options, layer) as unknown as LocalResponseNorm
}
