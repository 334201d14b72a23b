// A residual block whose shortcut is chosen by a flag
// The seed's `Residual` picks its shortcut with `use_1x1conv`: a 1×1 conv or the identity. `residual` checks every
// choice against the main path where the block is applied and names the one that disagrees by its layer kind: here
// the stride-2 main path halves H and W and doubles the channels, which the 1×1 conv at that stride matches and the
// identity does not. The types refuse the block whichever way the flag is set; use the two blocks separately if one
// choice can never fit.
import { flow, pipe } from 'fp-ts/lib/function.js'
import { conv2d, identity, input, N, relu, residual } from 'shapesafe'

const residualBlock = <const C extends number, const St extends number>(c: C, stride: St, use1x1: boolean) =>
  residual(
    flow(conv2d({ out: c, kernel: 3, padding: 1, stride }), relu, conv2d({ out: c, kernel: 3, padding: 1 })),
    use1x1 ? conv2d({ out: c, kernel: 1, stride }) : identity,
  )
const y = pipe(input([N, 64, 56, 56]), residualBlock(128, 2, true))
