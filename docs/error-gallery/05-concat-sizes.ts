// Concatenating branches of different sizes
// Channel concatenation (Inception, DenseNet) needs equal N, H and W. The second branch pools with stride 2.
import { pipe } from 'fp-ts/lib/function.js'
import { concat, conv2d, input, maxPool2d, N } from 'shapesafe'

const x = input([N, 192, 28, 28])
const a = pipe(x, conv2d({ out: 64, kernel: 1 }))
const b = pipe(x, maxPool2d({ kernel: 3, stride: 2, padding: 1 }), conv2d({ out: 32, kernel: 1 }))
const y = concat(a, b)
