/**
 * Shape-preserving layers: activations, softmax, dropout and identity. Each works on any rank.
 * @module
 */
import type { Shape } from '../shape/dim.js'
import type { Tensor } from '../graph/tensor.js'
import type { Op } from '../graph/ir.js'
import { checkOptionKeys, defineLayer, emit, LayerOptionsError, type LayerInfo } from './layer.js'

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
 * ReLU, max(x, 0). Shape rule: unchanged. Name the module with `named('relu', relu)`.
 * @example
 * ```ts
 * pipe(input([N, 3, 32, 32]), conv2d({ out: 16, kernel: 3 }), relu) // Tensor<[N, 16, 30, 30]>
 * ```
 * @category Layers
 */
export const relu: ShapePreserving<'relu'> = activation('relu')

/**
 * Logistic sigmoid, 1/(1+e^−x), as in LeNet. Shape rule: unchanged. @example `pipe(x, sigmoid)`
 * @category Layers
 */
export const sigmoid: ShapePreserving<'sigmoid'> = activation('sigmoid')

/**
 * Hyperbolic tangent. Shape rule: unchanged. @example `pipe(x, tanh)`
 * @category Layers
 */
export const tanh: ShapePreserving<'tanh'> = activation('tanh')

/**
 * Softmax over dim 1 (the class or channel dim). Shape rule: unchanged. @example `pipe(logits, softmax)`
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

/**
 * Dropout: while training, zeroes elements with probability p and scales the rest by 1/(1−p); identity in eval.
 * Shape rule: unchanged.
 * @example
 * ```ts
 * pipe(input([N, 4096]), dropout({ p: 0.5 })) // Tensor<[N, 4096]>
 * ```
 * @category Layers
 */
export function dropout(options: DropoutOptions): ShapePreserving<'dropout', DropoutOptions> {
  checkOptionKeys('dropout', options, ['p', 'name'] satisfies (keyof DropoutOptions)[])
  if (!(options.p >= 0 && options.p < 1)) throw new LayerOptionsError(`dropout: p must be in [0, 1), got ${options.p}`)
  const layer = (x: Tensor) => emit([x], { kind: 'dropout', p: options.p }, x.shape, { name: options.name })
  return defineLayer('dropout', options, layer) as unknown as ShapePreserving<'dropout', DropoutOptions>
}

/**
 * The identity: returns its input unchanged and records nothing. Useful as a residual's shortcut placeholder.
 * @example
 * ```ts
 * declare const x: Tensor<[N, 64, 56, 56]>
 * pipe(x, identity) // same tensor
 * ```
 * @category Layers
 */
export const identity: ShapePreserving<'identity'> = defineLayer('identity', {}, <S extends Shape>(x: Tensor<S>) => x)
