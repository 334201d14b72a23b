// Checks the types do not make, left to the run-time trace on purpose (issue 11; docs/custom-blocks.md, "Not deferred
// but left to the run-time trace"). Every line without an `// error:` mark must compile: it documents the gap, so a
// change that closes one shows up here (mark the line then). tests/deferredChecks.test.ts traces each and checks that
// the trace throws at the layer, with the verdict text the types give where they do check.
import { flow, pipe } from 'fp-ts/lib/function.js'
import {
  adaptiveAvgPool2d, batchNorm2d, conv2d, flatten, globalAvgPool2d, graphOf, input, linear, maxPool2d, N, relu, type Shape4, type Tensor,
} from 'shapesafe'

// 1. A window that does not fit inside a reusable block, followed in the same block by a layer that drops H and W.
//    Its ⛔ sits in H and W, which adaptiveAvgPool2d replaces and flatten multiplies away. (Carrying it in the batch
//    dim was measured: a form that keeps generic blocks assignable to `Tensor<[S[0], …]>` costs ResNet-152 about
//    30,200 instantiations, over the 30,000 budget.)
const reluHead = flow(relu, conv2d({ out: 8, kernel: 7 }), adaptiveAvgPool2d({ output: 1 }), flatten)
const poolHead = flow(conv2d({ out: 8, kernel: 3, padding: 1 }), maxPool2d({ kernel: 7 }), adaptiveAvgPool2d({ output: 1 }), flatten, linear({ out: 10 }))
const flatHead = flow(conv2d({ out: 8, kernel: 3, padding: 1 }), maxPool2d({ kernel: 7 }), flatten)
const fnHead = <S extends Shape4>(x: Tensor<S>) => pipe(x, conv2d({ out: 8, kernel: 7 }), globalAvgPool2d, flatten)
export const windowThenGap = graphOf(pipe(input([N, 3, 5, 5]), reluHead)) // compiles; the trace throws at conv2d
export const windowThenGapLinear = graphOf(pipe(input([N, 3, 5, 5]), poolHead)) // compiles; the trace throws at maxPool2d
export const windowThenFlatten = graphOf(pipe(input([N, 3, 5, 5]), flatHead)) // compiles; the trace throws at maxPool2d
export const windowThenGapFn = graphOf(pipe(input([N, 3, 5, 5]), fnHead)) // compiles; the trace throws at conv2d
// Where the window is the block's first layer, or no later layer drops H and W, the types do report it:
export const firstLayer = pipe(input([N, 3, 5, 5]), flow(conv2d({ out: 8, kernel: 7 }), adaptiveAvgPool2d({ output: 1 }), flatten)) // error: conv2d: kernel larger than padded input (input 5, dilated kernel exceeds padded input by 2)
export const keptInH = graphOf(pipe(input([N, 3, 5, 5]), flow(conv2d({ out: 8, kernel: 3, padding: 1 }), maxPool2d({ kernel: 7 }), relu))) // error: maxPool2d: kernel larger than padded input (input 5, dilated kernel exceeds padded input by 2)
export const windowOk = graphOf(pipe(input([N, 3, 9, 9]), reluHead))

// 2. The rank of the layers after a rank-polymorphic first layer in a stand-alone flow: the composed function takes
//    relu's `S extends Shape`, so the later layer's rank check is made against relu's parameter. (Carrying it in the
//    batch dim was measured: every conv and linear then pays a conditional, ResNet-152 about 30,900 instantiations,
//    and a flow that starts with the conv itself loses its exact batch dim.)
const preAct = flow(relu, conv2d({ out: 8, kernel: 3, padding: 1 }))
const preActBn = flow(relu, batchNorm2d())
const reluLinear = flow(relu, linear({ out: 10 }))
export const convAfterRelu = pipe(input([N, 16]), preAct) // compiles: Tensor<[N, 8, undefined, undefined]>; the trace throws at conv2d
export const bnAfterRelu = pipe(input([N, 16]), preActBn) // compiles: Tensor<[N, 16]>; the trace throws at batchNorm2d
export const linearAfterRelu = graphOf(pipe(input([N, 16, 5, 5]), reluLinear)) // compiles: Tensor<[N, 10]>; the trace throws at linear
// Written inline in the pipe, or with the layer first, the rank is checked at that line with the same verdict:
export const inline = pipe(input([N, 16, 5, 5]), flow(relu, linear({ out: 10 }))) // error: linear: expects [N, features], got [N,16,5,5] — flatten first
export const layerFirst = pipe(input([N, 16, 5, 5]), flow(linear({ out: 10 }), relu)) // error: linear: expects [N, features], got [N,16,5,5] — flatten first
export const rankOk: Tensor<[N, 8, 5, 5]> = pipe(input([N, 16, 5, 5]), preAct)
