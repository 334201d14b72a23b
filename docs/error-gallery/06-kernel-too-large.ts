// A window larger than its input
// Each 2×2 pooling halves a 28×28 image: 14, 7, 3, 1. A fifth one has no window left, so its output size is an
// `InvalidDim` whose text says why (hover `pooled` to read it). It is not a valid dim, so the next layer refuses it.
import { pipe } from 'fp-ts/lib/function.js'
import { flatten, input, maxPool2d, N } from 'shapesafe'

const pool = maxPool2d({ kernel: 2 })
const pooled = pipe(input([N, 1, 28, 28]), pool, pool, pool, pool, pool)
const y = pipe(pooled, flatten)
