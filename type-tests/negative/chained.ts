// Checks carried one after another (issue 11, the trial6 false errors): a reusable block whose first layer declares
// its input (`conv2d({ in })`, as the seed's LeNet, Inception and Residual do) and has a second check that is
// undecided where the block is written (`linear({ in: 400 })` after flatten, `batchNorm2d({ features: 8 })` after a
// generic conv). Correct programs compile with their exact shapes, as flow and pipe, generic and concrete, first,
// middle and last stage, nested, used at two sizes, and inside parallel and residual; the wrong variant is refused
// where the block is applied (its first layer's check) or, for a carried check, by the block's next consumer
// (docs/custom-blocks.md). tests/deferredChecks.test.ts traces the same blocks.
import { flow, pipe } from 'fp-ts/lib/function.js'
import {
  add, avgPool2d, batchNorm2d, conv2d, flatten, graphOf, input, linear, maxPool2d, N, parallel, relu, residual, sigmoid,
  type Shape4, type Tensor,
} from 'shapesafe'

// Two undecided checks in a row, then any layer: the seed's LeNet head as a flow with its in-channels.
const lenetHead = flow(conv2d({ in: 1, out: 16, kernel: 5 }), flatten, linear({ in: 400, out: 120 }), sigmoid)
export const headFirst: Tensor<[N, 120]> = pipe(input([N, 1, 9, 9]), lenetHead)
export const headMiddle: Tensor<[N, 10]> = pipe(input([N, 1, 9, 9]), relu, lenetHead, linear({ in: 120, out: 10 }))
export const headNested: Tensor<[N, 10]> = pipe(input([N, 1, 9, 9]), flow(flow(relu, lenetHead), linear({ in: 120, out: 10 })))
export const headWrongIn = pipe(input([N, 2, 9, 9]), lenetHead) // error: conv2d: expected 1 input channels, got 2
export const headWrongWidth = pipe(input([N, 1, 12, 12]), lenetHead, relu) // error: linear: expected 400 input features, got 1024
export const headWrongWidthLast = graphOf(pipe(input([N, 1, 12, 12]), lenetHead)) // error: linear: expected 400 input features, got 1024

// The seed's LeNet as one flow (conv in-channels, pools, linear in) and the same written as a pipe inside a function.
const lenet = flow(
  conv2d({ in: 1, out: 6, kernel: 5, padding: 2 }), sigmoid, avgPool2d({ kernel: 2, stride: 2 }),
  conv2d({ in: 6, out: 16, kernel: 5 }), sigmoid, avgPool2d({ kernel: 2, stride: 2 }),
  flatten, linear({ in: 400, out: 120 }), sigmoid,
)
export const lenetOk: Tensor<[N, 84]> = pipe(input([N, 1, 28, 28]), lenet, linear({ in: 120, out: 84 }))
export const lenetWrongSize = pipe(input([N, 1, 32, 32]), lenet, relu) // error: linear: expected 400 input features, got 576
const lenetPipe = <S extends Shape4>(x: Tensor<S>) =>
  pipe(x, conv2d({ in: 1, out: 6, kernel: 5, padding: 2 }), sigmoid, avgPool2d({ kernel: 2, stride: 2 }), flatten, linear({ in: 1176, out: 10 }))
export const lenetPipeOk: Tensor<[N, 10]> = pipe(input([N, 1, 28, 28]), lenetPipe)
export const lenetPipeWrong = pipe(input([N, 1, 32, 32]), lenetPipe, relu) // error: linear: expected 1176 input features, got 1536

// Generic in its out-channels, with in-channels and a bn of fixed features: used at two sizes, wrong width carried.
const convBn = <C extends number>(c: C) => flow(conv2d({ in: 3, out: c, kernel: 3 }), batchNorm2d({ features: 8 }), relu)
export const convBnOk: Tensor<[N, 8, 8, 8]> = pipe(input([N, 3, 10, 10]), convBn(8))
export const convBnOkOther: Tensor<[N, 8, 4, 4]> = pipe(input([N, 3, 6, 6]), convBn(8))
export const convBnMiddle: Tensor<[N, 4, 8, 8]> = pipe(input([N, 3, 10, 10]), relu, convBn(8), conv2d({ in: 8, out: 4, kernel: 1 }))
export const convBnWrongWidth = pipe(input([N, 3, 10, 10]), convBn(16), relu) // error: batchNorm2d: expected 8 channels, got 16
export const convBnWrongIn = pipe(input([N, 4, 10, 10]), convBn(8)) // error: conv2d: expected 3 input channels, got 4
const convBnPipe = <C extends number>(c: C) => <S extends Shape4>(x: Tensor<S>) =>
  pipe(x, conv2d({ in: 3, out: c, kernel: 3 }), batchNorm2d({ features: 8 }), relu)
export const convBnPipeOk: Tensor<[N, 8, 8, 8]> = pipe(input([N, 3, 10, 10]), convBnPipe(8))
export const convBnPipeWrong = pipe(input([N, 3, 10, 10]), convBnPipe(16), relu) // error: batchNorm2d: expected 8 channels, got 16

// In-channels and features from the block's own parameters (the seed's VGG block and Residual).
const vgg2 = <const I extends number, const O extends number>(i: I, o: O) =>
  flow(conv2d({ in: i, out: o, kernel: 3, padding: 1 }), batchNorm2d({ features: o }), relu, conv2d({ in: o, out: o, kernel: 3, padding: 1 }), maxPool2d({ kernel: 2, stride: 2 }))
export const vggOk: Tensor<[N, 128, 8, 8]> = pipe(input([N, 3, 32, 32]), vgg2(3, 64), vgg2(64, 128))
export const vggWrong = pipe(input([N, 3, 32, 32]), vgg2(3, 64), vgg2(32, 128)) // error: conv2d: expected 32 input channels, got 64

// parallel and residual of flows whose first conv declares its in-channels (the seed's Inception and Residual).
const branches = parallel(flow(conv2d({ in: 8, out: 4, kernel: 1 })), flow(conv2d({ out: 4, kernel: 1 }), relu))
export const parallelOk: Tensor<[N, 8, 5, 5]> = pipe(input([N, 8, 5, 5]), branches)
export const parallelOkOther: Tensor<[N, 8, 2, 2]> = pipe(input([N, 8, 2, 2]), branches)
export const parallelWrongIn = pipe(input([N, 6, 5, 5]), branches) // error: conv2d: expected 8 input channels, got 6
const secondIn = parallel(flow(conv2d({ out: 4, kernel: 1 })), flow(relu, conv2d({ in: 8, out: 4, kernel: 1 })))
export const secondInOk: Tensor<[N, 8, 5, 5]> = pipe(input([N, 8, 5, 5]), secondIn)
// the check of a later branch's first conv is carried in its batch dim (parallel keeps the first branch's input
// checks); parallel's N check gives the carried verdict, naming the branch
export const secondInWrong = pipe(input([N, 6, 5, 5]), secondIn, relu) // error: conv2d: expected 8 input channels, got 6 (in parallel's branch 2)
export const secondInWrongLast = pipe(input([N, 6, 5, 5]), secondIn) // error: conv2d: expected 8 input channels, got 6 (in parallel's branch 2)
const thirdIn = parallel(relu, relu, flow(relu, conv2d({ in: 8, out: 4, kernel: 1 })))
export const thirdInWrong = pipe(input([N, 6, 5, 5]), thirdIn) // error: conv2d: expected 8 input channels, got 6 (in parallel's branch 3)
export const thirdInOk: Tensor<[N, 20, 5, 5]> = pipe(input([N, 8, 5, 5]), thirdIn)
const inception = <I extends number, C1 extends number, C4 extends number>(i: I, c1: C1, c4: C4) =>
  parallel(
    flow(conv2d({ in: i, out: c1, kernel: 1 }), relu),
    flow(maxPool2d({ kernel: 3, stride: 1, padding: 1 }), conv2d({ in: i, out: c4, kernel: 1 }), relu),
  )
export const inceptionOk: Tensor<[N, 64, 28, 28]> = pipe(input([N, 192, 28, 28]), inception(192, 64, 32), inception(96, 32, 32))
export const inceptionWrong = pipe(input([N, 192, 28, 28]), inception(192, 64, 32), inception(192, 32, 32)) // error: conv2d: expected 192 input channels, got 96
const res = residual(flow(conv2d({ in: 8, out: 8, kernel: 3, padding: 1 }), relu), flow(conv2d({ in: 8, out: 8, kernel: 1 })))
export const residualOk: Tensor<[N, 8, 5, 5]> = pipe(input([N, 8, 5, 5]), res)
export const residualWrongIn = pipe(input([N, 4, 5, 5]), res) // error: conv2d: expected 8 input channels, got 4
const seedResidual = <I extends number, C extends number, St extends number>(i: I, c: C, strides: St) =>
  <S extends Shape4>(x: Tensor<S>) => {
    const y1 = pipe(x, conv2d({ in: i, out: c, kernel: 3, padding: 1, stride: strides }), batchNorm2d({ features: c }), relu)
    const y2 = pipe(y1, conv2d({ in: c, out: c, kernel: 3, padding: 1 }), batchNorm2d({ features: c }))
    return pipe(add(y2, pipe(x, conv2d({ in: i, out: c, kernel: 1, stride: strides }))), relu)
  }
export const seedResidualOk: Tensor<[N, 6, 48, 48]> = pipe(input([N, 3, 96, 96]), seedResidual(3, 6, 2))
export const seedResidualOkOther: Tensor<[N, 6, 3, 3]> = pipe(input([N, 3, 6, 6]), seedResidual(3, 6, 2))
export const seedResidualWrong = pipe(input([N, 4, 96, 96]), seedResidual(3, 6, 2), relu) // error: conv2d: expected 3 input channels, got 4
