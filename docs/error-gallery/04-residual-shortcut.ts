// A residual block whose shortcut forgot the stride
// `residual(main, shortcut)` requires the shortcut to produce the main path's shape. The 1×1 projection keeps
// H and W while the main path halves them. The block is generic (its input shape is a type variable `S`), so the
// message is TypeScript's own rather than a `⛔` verdict; read it from the top: at position 2 (H) the shortcut
// gives `S[2]`, the main path `WindowSize<S[2], -1, 2, …>` (H after a window with offset −1 at stride 2). The
// second error, where the block is applied, follows from the first.
import { flow, pipe } from 'fp-ts/lib/function.js'
import { batchNorm2d, conv2d, input, N, relu, residual } from 'shapesafe'

const block = residual(
  flow(conv2d({ out: 128, kernel: 3, stride: 2, padding: 1, bias: false }), batchNorm2d(), relu),
  flow(conv2d({ out: 128, kernel: 1, bias: false }), batchNorm2d()),
)
const y = pipe(input([N, 64, 56, 56]), block)
