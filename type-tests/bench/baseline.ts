/** Type-check benchmark baseline: imports the library and fp-ts and checks nothing else. */
import { pipe } from 'fp-ts/lib/function.js'
import { input, N } from 'shapesafe'

/** An input tensor: `Tensor<[N, 1, 28, 28]>`. */
export const x = pipe(input([N, 1, 28, 28]))
