// A window larger than its input
// Each 2×2 pooling halves a 28×28 image: 14, 7, 3, 1. A fifth one has no window left: the error is at that pooling
// layer itself (also when it is the last one), and its output type is an `InvalidDim` whose text says why.
import { pipe } from 'fp-ts/lib/function.js'
import { input, maxPool2d, N } from 'shapesafe'

const pool = maxPool2d({ kernel: 2 })
const pooled = pipe(input([N, 1, 28, 28]), pool, pool, pool, pool, pool)
