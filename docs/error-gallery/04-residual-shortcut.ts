// A residual block whose shortcut forgot the stride
// `residual(main, shortcut)` requires the shortcut to produce the main path's shape. The 1×1 projection keeps
// H and W while the main path halves them. The block stays generic (its input shape is a type variable), and the
// check is made where it is applied, with the input's sizes: the verdict names both paths' shapes.
import { flow, pipe } from 'fp-ts/lib/function.js'
import { batchNorm2d, conv2d, input, N, relu, residual } from 'shapesafe'

const block = residual(
  flow(conv2d({ out: 128, kernel: 3, stride: 2, padding: 1, bias: false }), batchNorm2d(), relu),
  flow(conv2d({ out: 128, kernel: 1, bias: false }), batchNorm2d()),
)
const y = pipe(input([N, 64, 56, 56]), block)
