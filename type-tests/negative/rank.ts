// Wrong rank gets a verdict at the offending layer (issue 11 §6): a missing flatten before linear, a conv or pool after
// flatten, a 3-D input, batchNorm2d on [N, F] and batchNorm1d on [N, C, H, W]; first and last layer, pipe and flow,
// inside generic blocks. (See conv2d.ts for the convention.)
import { flow, pipe } from 'fp-ts/lib/function.js'
import { adaptiveAvgPool2d, avgPool2d, batchNorm1d, batchNorm2d, conv2d, flatten, input, linear, maxPool2d, N, relu, type Shape4, type Tensor } from 'shapesafe'

// linear without flatten: first layer, last layer, mid-pipe, with `in` given (the rank verdict comes first)
export const linearFirst = pipe(input([N, 16, 5, 5]), linear({ out: 120 })) // error: linear: expects [N, features], got [N,16,5,5] — flatten first
export const linearWithIn = pipe(input([N, 16, 5, 5]), linear({ in: 400, out: 120 })) // error: linear: expects [N, features], got [N,16,5,5] — flatten first
export const linearLast = pipe(
  input([N, 1, 28, 28]),
  conv2d({ out: 6, kernel: 5, padding: 2 }),
  relu,
  avgPool2d({ kernel: 2 }),
  linear({ out: 10 }), // error: linear: expects [N, features], got [N,6,14,14] — flatten first
)
export const linearMid = pipe(
  input([N, 16, 5, 5]),
  relu,
  linear({ out: 120 }), // error: linear: expects [N, features], got [N,16,5,5] — flatten first
  relu,
)
export const linearOnVector = pipe(input([N]), linear({ out: 10 })) // error: linear: expects [N, features], got [N]

// the same in flow: the verdict is at the offending layer where the flow is written or applied
export const linearInFlow = flow(conv2d({ out: 6, kernel: 5 }), relu, linear({ out: 10 })) // error: linear: expects [N, features], got
export const convHeadFlow = flow(conv2d({ out: 16, kernel: 5 }), relu, flatten, linear({ out: 10 }))
export const convHeadFlowApplied = pipe(input([N, 3, 8, 8]), convHeadFlow)
// (A flow that starts with a rank-polymorphic layer, `flow(relu, linear(…))`, cannot carry linear's rank to where it
// is applied: TypeScript gives the composed function relu's type parameter. Its rank is checked by the run-time
// trace; docs/custom-blocks.md says so.)

// conv and pools after flatten (or on a matrix)
export const convAfterFlatten = pipe(input([N, 1, 28, 28]), conv2d({ out: 6, kernel: 5 }), flatten, conv2d({ out: 16, kernel: 5 })) // error: conv2d: expects [N, C, H, W], got [N,3456] — it needs an image batch
export const convAfterLinear = pipe(
  input([N, 400]),
  linear({ out: 120 }),
  conv2d({ out: 16, kernel: 5 }), // error: conv2d: expects [N, C, H, W], got [N,120] — it needs an image batch
)
export const maxPoolOnMatrix = pipe(input([N, 400]), maxPool2d({ kernel: 2 })) // error: maxPool2d: expects [N, C, H, W], got [N,400]
export const avgPoolOnMatrix = pipe(input([N, 400]), avgPool2d({ kernel: 2 })) // error: avgPool2d: expects [N, C, H, W], got [N,400]
export const adaptiveOnMatrix = pipe(input([N, 400]), adaptiveAvgPool2d({ output: 1 })) // error: adaptiveAvgPool2d: expects [N, C, H, W], got [N,400]
export const convInFlow = pipe(input([N, 400]), flow(relu, conv2d({ out: 8, kernel: 3 }))) // error: conv2d: expects [N, C, H, W], got [N,400]

// a 3-D input (the batch dim forgotten)
export const conv3d = pipe(input([3, 224, 224]), conv2d({ out: 64, kernel: 7, stride: 2, padding: 3 })) // error: conv2d: expects [N, C, H, W], got [3,224,224] — add the batch dim N in front
export const pool3d = pipe(input([3, 32, 32]), maxPool2d({ kernel: 2 })) // error: maxPool2d: expects [N, C, H, W], got [3,32,32] — add the batch dim N in front

// the two batch norms swapped
export const bn2dOnFeatures = pipe(input([N, 400]), linear({ out: 120 }), batchNorm2d()) // error: batchNorm2d: expects [N, C, H, W], got [N,120] — use batchNorm1d on [N, features]
export const bn2dOnFeaturesGiven = pipe(input([N, 120]), batchNorm2d({ features: 120 })) // error: batchNorm2d: expects [N, C, H, W], got [N,120] — use batchNorm1d
export const bn1dOnImages = pipe(input([N, 64, 8, 8]), batchNorm1d()) // error: batchNorm1d: expects [N, features], got [N,64,8,8] — use batchNorm2d on [N, C, H, W]
export const bn1dAfterConv = pipe(
  input([N, 3, 8, 8]),
  conv2d({ out: 64, kernel: 3, padding: 1 }),
  batchNorm1d({ features: 64 }), // error: batchNorm1d: expects [N, features], got [N,64,8,8] — use batchNorm2d
)

// inside generic blocks: a block's 4-D input (S extends Shape4) is known to have rank 4, so the verdict is given where
// the block is written (the shape is printed as a formula of S there)
export const genericLinear = <S extends Shape4>(x: Tensor<S>) => pipe(x, linear({ out: 10 })) // error: linear: expects [N, features], got
export const genericConvLinear = <S extends Shape4>(x: Tensor<S>) =>
  pipe(
    x,
    conv2d({ out: 8, kernel: 3, padding: 1 }),
    linear({ out: 10 }), // error: linear: expects [N, features], got
  )
export const genericBn1d = <S extends Shape4>(x: Tensor<S>) => pipe(x, relu, batchNorm1d()) // error: batchNorm1d: expects [N, features], got
export const genericHead = <S extends Shape4>(x: Tensor<S>) => pipe(x, flatten, linear({ out: 10 }))
export const genericBlock = <S extends Shape4>(x: Tensor<S>) => pipe(x, conv2d({ out: 8, kernel: 3, padding: 1 }), batchNorm2d(), relu, maxPool2d({ kernel: 2 }))

// the right ranks still compile, in pipe and in flow
export const lenetHead = pipe(input([N, 16, 5, 5]), flatten, linear({ in: 400, out: 120 }), batchNorm1d({ features: 120 }), relu)
export const lenetHeadFlow = pipe(input([N, 16, 5, 5]), flow(flatten, linear({ out: 120 }), batchNorm1d(), relu))
export const generic8 = pipe(input([N, 3, 16, 16]), genericBlock)
