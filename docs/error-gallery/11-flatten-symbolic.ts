// Flatten over symbolic sizes
// With named spatial dims (`input([N, 16, H, W])`) the features after `flatten` would be 16·H·W, not a number, so no
// `linear` after it could have fixed weights. `flatten` refuses it, at its own line, and the run-time trace throws
// the same text. Pool to a fixed size first (`adaptiveAvgPool2d({ output: 1 })`), or give the input concrete sizes.
import { pipe } from 'fp-ts/lib/function.js'
import { dim, flatten, input, linear, N, type Named } from 'shapesafe'

interface H extends Named<'H'> {}
interface W extends Named<'W'> {}
const H = dim<H>('H')
const W = dim<W>('W')

const logits = pipe(input([N, 16, H, W]), flatten, linear({ out: 10 }))
