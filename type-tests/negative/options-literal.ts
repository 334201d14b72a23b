// Negative fixtures (issue 11 §3): an option that a check compares against must not be a plain `number` (a computed
// `16 * 5 * 5`), which would switch the check off; the verdict says to write prod(...) or to omit the option.
// Siblings: linear's `in` (first, middle and last layer; pipe and flow; standalone), conv2d's `in`, batchNorm2d's and
// batchNorm1d's `features`, and a `number` variable. The positive cases are in type-tests/vitest/options.test-d.ts.
import { flow, pipe } from 'fp-ts/lib/function.js'
import { batchNorm1d, batchNorm2d, conv2d, flatten, input, linear, N, relu, sigmoid } from 'shapesafe'

declare const width: number

export const lenetHead = pipe(input([N, 16, 4, 4]), flatten, linear({ in: 16 * 5 * 5, out: 120 })) // error: linear: in is a plain number, which turns its check off — write a literal or prod(16, 5, 5) to keep the check, or omit in to take the features from the input
export const standalone = linear({ in: 512 * 7 * 7, out: 4096 }) // error: linear: in is a plain number
export const variable = linear({ in: width, out: 10 }) // error: linear: in is a plain number
export const firstLayer = pipe(input([N, 400]), linear({ in: 16 * 5 * 5, out: 120 }), sigmoid, linear({ in: 120, out: 84 })) // error: linear: in is a plain number
export const middleLayer = pipe(
  input([N, 400]),
  linear({ in: 400, out: 120 }), sigmoid,
  linear({ in: 12 * 10, out: 84 }), sigmoid, // error: linear: in is a plain number
  linear({ in: 84, out: 10 }),
)
export const inFlow = flow(flatten, linear({ in: 256 * 6 * 6, out: 4096 }), relu) // error: linear: in is a plain number
export const convIn = pipe(input([N, 3, 32, 32]), conv2d({ in: 1 + 2, out: 8, kernel: 3 })) // error: conv2d: in is a plain number, which turns its check off — write a literal or prod(16, 5, 5) to keep the check, or omit in to take the channels from the input
export const bn2d = pipe(input([N, 64, 8, 8]), batchNorm2d({ features: 32 * 2 })) // error: batchNorm2d: features is a plain number, which turns its check off — write a literal or prod(16, 5, 5) to keep the check, or omit features to take the channels from the input
export const bn1d = pipe(input([N, 120]), batchNorm1d({ features: 12 * 10 })) // error: batchNorm1d: features is a plain number, which turns its check off — write a literal or prod(16, 5, 5) to keep the check, or omit features to take the features from the input
