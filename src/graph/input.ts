/**
 * The start of every pipeline: a symbolic input tensor of a given shape.
 * @module
 */
import type { Dim } from '../shape/dim.js'
import { isNamed } from '../shape/dim.js'
import { Tracer, tensorOf, type Tensor } from './tensor.js'

/**
 * A symbolic input of shape `S` to trace a pipeline from (NCHW for images). Each call starts a new graph. The shape
 * may be a readonly tuple kept in a variable (`const shape = [N, 1, 28, 28] as const`).
 * @example
 * ```ts
 * import { input, N } from 'shapesafe'
 * const x = input([N, 1, 28, 28]) // Tensor<[N, 1, 28, 28]>
 * ```
 * @category Shape types
 */
export function input<const S extends readonly Dim[]>(shape: S): Tensor<[...S]> {
  for (const d of shape) {
    if (!isNamed(d) && !(Number.isInteger(d) && d >= 1)) {
      throw new TypeError(`input: dims must be positive integers or named dims, got ${String(d)}`)
    }
  }
  const tracer = new Tracer()
  const node = tracer.add({ kind: 'input' }, [], [...shape], 'input', [])
  return tensorOf<[...S]>(tracer, node)
}
