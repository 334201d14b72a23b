// A residual sum of two different shapes
// The main path of this block halves H and W and doubles the channels, but the shortcut is the identity. `add`
// needs equal shapes and prints both.
import { pipe } from 'fp-ts/lib/function.js'
import { add, batchNorm2d, conv2d, input, N, relu } from 'shapesafe'

const x = input([N, 64, 56, 56])
const main = pipe(x, conv2d({ out: 128, kernel: 3, stride: 2, padding: 1, bias: false }), batchNorm2d(), relu)
const y = add(main, x)
