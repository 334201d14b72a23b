// Negative fixtures: every line marked `// error: <text>` must produce a compile error containing <text>
// (checked by tests/typeErrors.test.ts under TypeScript 5.9 and 7); no other line may produce an error.
import { flow, pipe } from 'fp-ts/lib/function.js'
import { conv2d, input, N, relu } from 'shapesafe'

export const stride0 = conv2d({ out: 8, kernel: 3, stride: 0 }) // error: conv2d: stride must be a positive integer, got 0
export const strideW0 = conv2d({ out: 8, kernel: 3, stride: [2, 0] }) // error: conv2d: stride must be a positive integer, got 0
export const kernel0 = conv2d({ out: 8, kernel: 0 }) // error: conv2d: kernel must be a positive integer, got 0
export const kernelH0 = conv2d({ out: 8, kernel: [0, 3] }) // error: conv2d: kernel must be a positive integer, got 0
export const dilation0 = conv2d({ out: 8, kernel: 3, dilation: 0 }) // error: conv2d: dilation must be a positive integer, got 0
export const groups0 = conv2d({ out: 8, kernel: 3, groups: 0 }) // error: conv2d: groups must be a positive integer, got 0
export const out0 = conv2d({ out: 0, kernel: 3 }) // error: conv2d: out channels must be a positive integer, got 0
export const outGroups = conv2d({ out: 9, kernel: 3, groups: 2 }) // error: conv2d: out channels 9 not divisible by groups 2
export const sameStride2 = conv2d({ out: 8, kernel: 3, padding: 'same', stride: 2 }) // error: conv2d: padding 'same' needs stride 1
export const sameStrideW2 = conv2d({ out: 8, kernel: 3, padding: 'same', stride: [1, 2] }) // error: conv2d: padding 'same' needs stride 1

export const inChannels = pipe(input([N, 3, 32, 32]), conv2d({ in: 1, out: 8, kernel: 3 })) // error: conv2d: expected 1 input channels, got 3
export const inChannelsDeep = pipe(
  input([N, 1, 28, 28]),
  conv2d({ out: 6, kernel: 5, padding: 2 }),
  relu,
  conv2d({ in: 16, out: 16, kernel: 5 }), // error: conv2d: expected 16 input channels, got 6
)
export const inGroups = pipe(input([N, 3, 32, 32]), conv2d({ out: 8, kernel: 3, groups: 2 })) // error: conv2d: input channels 3 not divisible by groups 2
export const depthwiseMismatch = pipe(input([N, 30, 8, 8]), conv2d({ out: 32, kernel: 3, groups: 32 })) // error: conv2d: input channels 30 not divisible by groups 32

// A kernel larger than the padded input is an error at that conv itself, also when it is the last layer.
export const tooSmall = pipe(input([N, 3, 3, 3]), conv2d({ out: 8, kernel: 5 })) // error: conv2d: kernel larger than padded input (input 3, dilated kernel exceeds padded input by 2)
export const dilatedTooBig = pipe(input([N, 3, 5, 5]), conv2d({ out: 8, kernel: 3, dilation: 3, padding: [1, 0] })) // error: conv2d: kernel larger than padded input (input 5, dilated kernel exceeds padded input by 2)
export const tooSmallMid = pipe(
  input([N, 3, 5, 5]),
  conv2d({ out: 8, kernel: 7 }), // error: conv2d: kernel larger than padded input (input 5, dilated kernel exceeds padded input by 2)
  relu,
)
export const tooSmallInFlow = pipe(input([N, 3, 5, 5]), flow(relu, conv2d({ out: 8, kernel: 7 }))) // error: conv2d: kernel larger than padded input (input 5, dilated kernel exceeds padded input by 2)
export const tooSmallW = pipe(input([N, 3, 9, 4]), conv2d({ out: 8, kernel: [3, 5] })) // error: conv2d: kernel larger than padded input (input 4, dilated kernel exceeds padded input by 1)
export const onMatrix = pipe(input([N, 10]), conv2d({ out: 8, kernel: 3 })) // error: conv2d: expects [N, C, H, W], got [N,10] — it needs an image batch
