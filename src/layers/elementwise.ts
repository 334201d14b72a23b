/**
 * Shape-preserving layers: activations, softmax, dropout and identity. Each works on any rank.
 * @module
 */
import type { Shape } from '../shape/dim.js'
import type { Tensor } from '../graph/tensor.js'
import type { Op } from '../graph/ir.js'
import { checkOptionKeys, defineLayer, emit, LayerOptionsError, type LayerInfo } from './layer.js'
import type { KnownOptionKeys, OptionNames, ProbabilityOption } from './checks.js'

/**
 * A layer that keeps its input's shape: `Tensor<S>` → `Tensor<S>`.
 * @category Layers
 */
export interface ShapePreserving<K extends string, O = {}> extends LayerInfo<K, O> {
  <S extends Shape>(x: Tensor<S>): Tensor<S>
}

/**
 * Options every parameterless layer accepts.
 * @category Layers
 */
export interface NameOption {
  /** Module name in the state_dict; default: the next index in the enclosing scope. */
  readonly name?: string
}

function activation<K extends 'relu' | 'sigmoid' | 'tanh' | 'softmax'>(kind: K): ShapePreserving<K> {
  const layer = (x: Tensor) => emit([x], { kind } as Op, x.shape)
  return defineLayer(kind, {}, layer) as unknown as ShapePreserving<K>
}

/**
 * ReLU, max(x, 0). Name the module with `named('relu', relu)`.
 *
 * Shape rule: `S → S` (any rank).
 *
 * PyTorch: `nn.ReLU()`; no parameters.
 *
 * Errors: none of its own (it takes any shape).
 * @example
 * ```ts
 * const y = pipe(input([N, 3, 32, 32]), conv2d({ out: 16, kernel: 3 }), relu)
 * //    ^? Tensor<[N, 16, 30, 30]>
 * ```
 * @category Layers
 */
export const relu: ShapePreserving<'relu'> = activation('relu')

/**
 * Logistic sigmoid, 1/(1+e^−x), as in LeNet.
 *
 * Shape rule: `S → S` (any rank).
 *
 * PyTorch: `nn.Sigmoid()`; no parameters.
 *
 * Errors: none of its own (it takes any shape).
 * @example
 * ```ts
 * const y = pipe(input([N, 6, 28, 28]), sigmoid) // Tensor<[N, 6, 28, 28]>
 * ```
 * @category Layers
 */
export const sigmoid: ShapePreserving<'sigmoid'> = activation('sigmoid')

/**
 * Hyperbolic tangent.
 *
 * Shape rule: `S → S` (any rank).
 *
 * PyTorch: `nn.Tanh()`; no parameters.
 *
 * Errors: none of its own (it takes any shape).
 * @example
 * ```ts
 * const y = pipe(input([N, 128]), tanh) // Tensor<[N, 128]>
 * ```
 * @category Layers
 */
export const tanh: ShapePreserving<'tanh'> = activation('tanh')

/**
 * Softmax over dim 1 (the class or channel dim).
 *
 * Shape rule: `S → S` (any rank).
 *
 * PyTorch: `nn.Softmax(dim=1)`; the dim is always 1 here.
 *
 * Errors: none of its own (it takes any shape).
 * @example
 * ```ts
 * const probabilities = pipe(input([N, 10]), softmax) // Tensor<[N, 10]>
 * ```
 * @category Layers
 */
export const softmax: ShapePreserving<'softmax'> = activation('softmax')

/**
 * Options of {@link dropout}.
 * @category Layers
 */
export interface DropoutOptions extends NameOption {
  /** Probability of zeroing an element while training, in [0, 1). */
  readonly p: number
}

/** The keys of {@link DropoutOptions}, checked at run time (a misspelt key throws) and at compile time (`KnownOptionKeys`). */
const dropoutOptionKeys = ['p', 'name'] as const satisfies readonly (keyof DropoutOptions)[]

/**
 * The options {@link dropout} accepts: {@link DropoutOptions} with `p` kept literal, refused with a verdict when `p` is
 * a literal outside [0, 1) or, with the keys as written `K` (the layer infers them), a key is unknown or `p` is missing.
 * @category Layers
 */
export type ValidDropoutOptions<P extends number, K extends PropertyKey = 'p'> = OptionNames<K> &
  KnownOptionKeys<K, typeof dropoutOptionKeys, 'dropout', 'p'> & {
  readonly p: P
  readonly name?: string
} & ProbabilityOption<P, 'dropout'>

/**
 * Dropout: while training, zeroes elements with probability p and scales the rest by 1/(1−p); identity in eval.
 *
 * Shape rule: `S → S` (any rank).
 *
 * PyTorch: `nn.Dropout(p=0.5)`; here `p` (required) and `name`.
 *
 * Errors: a literal `p` outside [0, 1) is a type error at the layer (`dropout: p must be in [0, 1), got 1.5`); a `p`
 * that is a plain `number` or a block's type parameter is checked when the layer is made (a `LayerOptionsError` with
 * the same text).
 * @example
 * ```ts
 * pipe(input([N, 4096]), dropout({ p: 0.5 })) // Tensor<[N, 4096]>
 * ```
 * @category Layers
 */
export function dropout<const P extends number, K extends PropertyKey = 'p'>(
  options: ValidDropoutOptions<P, K>,
): ShapePreserving<'dropout', DropoutOptions> {
  checkOptionKeys('dropout', options, dropoutOptionKeys, ['p'])
  if (!(options.p >= 0 && options.p < 1)) throw new LayerOptionsError(`dropout: p must be in [0, 1), got ${options.p}`)
  const layer = (x: Tensor) => emit([x], { kind: 'dropout', p: options.p }, x.shape, { name: options.name })
  return defineLayer('dropout', options, layer) as unknown as ShapePreserving<'dropout', DropoutOptions>
}

/**
 * The identity: returns its input unchanged and records nothing. Useful as a residual's shortcut placeholder.
 *
 * Shape rule: `S → S` (any rank).
 *
 * PyTorch: `nn.Identity()`; no parameters.
 *
 * Errors: none (it takes any shape).
 * @example
 * ```ts
 * declare const x: Tensor<[N, 64, 56, 56]>
 * const y = pipe(x, identity) // Tensor<[N, 64, 56, 56]>, the same tensor
 * ```
 * @category Layers
 */
export const identity: ShapePreserving<'identity'> = defineLayer('identity', {}, <S extends Shape>(x: Tensor<S>) => x)
