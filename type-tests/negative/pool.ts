// Negative fixtures for pooling (see conv2d.ts for the convention).
import { pipe } from 'fp-ts/lib/function.js'
import { adaptiveAvgPool2d, avgPool2d, conv2d, flatten, input, maxPool2d, N } from 'shapesafe'

export const padMoreThanHalf = maxPool2d({ kernel: 3, padding: 2 }) // error: maxPool2d: padding 2 is more than half the kernel 3
export const padMoreThanHalfW = avgPool2d({ kernel: [3, 2], padding: [1, 2] }) // error: avgPool2d: padding 2 is more than half the kernel 2
export const padHalfOf2 = maxPool2d({ kernel: 2, stride: 1, padding: 2 }) // error: maxPool2d: padding 2 is more than half the kernel 2
export const poolStride0 = maxPool2d({ kernel: 2, stride: 0 }) // error: maxPool2d: stride must be a positive integer, got 0
export const poolKernel0 = avgPool2d({ kernel: 0 }) // error: avgPool2d: kernel must be a positive integer, got 0
export const adaptive0 = adaptiveAvgPool2d({ output: 0 }) // error: adaptiveAvgPool2d: output size must be a positive integer, got 0
export const adaptiveW0 = adaptiveAvgPool2d({ output: [7, 0] }) // error: adaptiveAvgPool2d: output size must be a positive integer, got 0

// A window that does not fit is an error at that pool itself, also when it is the last layer.
export const poolTooBig = pipe(input([N, 3, 2, 2]), maxPool2d({ kernel: 3 })) // error: maxPool2d: kernel larger than padded input (input 2, dilated kernel exceeds padded input by 1)
export const avgTooBig = pipe(input([N, 3, 4, 9]), avgPool2d({ kernel: [5, 3] })) // error: avgPool2d: kernel larger than padded input (input 4, dilated kernel exceeds padded input by 1)
export const poolTooBigThenFlatten = pipe(
  input([N, 3, 2, 2]),
  maxPool2d({ kernel: 3 }), // error: maxPool2d: kernel larger than padded input (input 2, dilated kernel exceeds padded input by 1)
  flatten,
)

// The seed's AlexNet on a 32×32 image: the second pool gets a 2×2 map and its 3×3 window does not fit.
export const alexOn32 = pipe(
  input([N, 1, 32, 32]),
  conv2d({ out: 96, kernel: 11, stride: 4, padding: 1 }),
  maxPool2d({ kernel: 3, stride: 2 }),
  conv2d({ out: 256, kernel: 5, padding: 2 }),
  maxPool2d({ kernel: 3, stride: 2 }), // error: maxPool2d: kernel larger than padded input (input 2, dilated kernel exceeds padded input by 1)
)
