// A convolution that expects other input channels
// `in` is optional on `conv2d` (it is taken from the incoming tensor), but when given it is checked. Fashion-MNIST
// images have one channel; this first layer was copied from an RGB network.
import { pipe } from 'fp-ts/lib/function.js'
import { conv2d, input, N } from 'shapesafe'

const features = pipe(input([N, 1, 28, 28]), conv2d({ in: 3, out: 6, kernel: 5, padding: 2 }))
