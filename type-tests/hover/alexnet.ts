/**
 * Hover fixture (tests/hover.test.ts): the seed's AlexNet layer by layer and a residual block; hovering each
 * `const` must show a concrete shape such as `Tensor<[N, 96, 54, 54]>`.
 */
import { pipe } from 'fp-ts/lib/function.js'
import { add, batchNorm2d, conv2d, dropout, flatten, input, linear, maxPool2d, N, relu, residual } from 'shapesafe'

export const x = input([N, 1, 224, 224])
export const conv1 = pipe(x, conv2d({ in: 1, out: 96, kernel: 11, stride: 4, padding: 1 }), relu)
export const pool1 = pipe(conv1, maxPool2d({ kernel: 3, stride: 2 }))
export const conv2 = pipe(pool1, conv2d({ in: 96, out: 256, kernel: 5, padding: 2 }), relu)
export const pool2 = pipe(conv2, maxPool2d({ kernel: 3, stride: 2 }))
export const conv5 = pipe(
  pool2,
  conv2d({ in: 256, out: 384, kernel: 3, padding: 1 }),
  relu,
  conv2d({ in: 384, out: 384, kernel: 3, padding: 1 }),
  relu,
  conv2d({ in: 384, out: 256, kernel: 3, padding: 1 }),
  relu,
)
export const pool5 = pipe(conv5, maxPool2d({ kernel: 3, stride: 2 }))
export const features = pipe(pool5, flatten)
export const hidden = pipe(features, linear({ in: 6400, out: 4096 }), relu, dropout({ p: 0.5 }), linear({ in: 4096, out: 4096 }), relu, dropout({ p: 0.5 }))
export const logits = pipe(hidden, linear({ in: 4096, out: 10 }))

// A ResNet basic block with a strided projection shortcut, and one with an identity shortcut.
export const stem = input([N, 64, 56, 56])
export const mainPath = pipe(stem, conv2d({ out: 128, kernel: 3, stride: 2, padding: 1 }), batchNorm2d(), relu, conv2d({ out: 128, kernel: 3, padding: 1 }), batchNorm2d())
export const shortcut = pipe(stem, conv2d({ out: 128, kernel: 1, stride: 2 }), batchNorm2d())
export const block = pipe(add(mainPath, shortcut), relu)
export const identityBlock = pipe(block, residual((t) => pipe(t, conv2d({ out: 128, kernel: 3, padding: 1 }), batchNorm2d(), relu)), relu)

// The seed's LeNet first stage (options checked for their values and keys: the shape must read as before), and a
// block whose kernel is a type parameter, applied with 3.
export const lenetConv = pipe(input([N, 1, 28, 28]), conv2d({ out: 6, kernel: 5, padding: 2 }))
const kernelOf = <K extends number>(k: K) => conv2d({ out: 8, kernel: k })
export const kernelOf3 = pipe(input([N, 1, 28, 28]), kernelOf(3), dropout({ p: 0.5 }))
