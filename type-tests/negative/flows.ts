// Stand-alone flows that start with a rank-polymorphic layer (relu, sigmoid, dropout…) before a layer with a rank
// (issue 11 §2): they compile, stay generic, and give the right shapes where applied (first, middle and last stage,
// pipe and flow, nested, inside a generic block and a residual). And plain `add` in hand-written generic functions:
// a check that cannot be decided inside passes there and is carried out as a ⛔ dim, which the next consumer reports.
import { flow, pipe } from 'fp-ts/lib/function.js'
import {
  adaptiveAvgPool2d, add, avgPool2d, batchNorm2d, conv2d, dropout, flatten, graphOf, input, linear, maxPool2d, N, relu, residual, sigmoid, tanh, trace,
  type Dim, type Shape4, type Tensor,
} from 'shapesafe'

const preAct = flow(relu, conv2d({ out: 8, kernel: 3, padding: 1 }))
const preActBn = flow(batchNorm2d(), relu, conv2d({ out: 8, kernel: 3, padding: 1 }))
const reluPool = flow(relu, maxPool2d({ kernel: 2 }))
const dropLinear = flow(dropout({ p: 0.5 }), linear({ out: 10 }))
const sigmoidStrided = flow(sigmoid, conv2d({ out: 8, kernel: 3, stride: 2 }))
const reluBn = flow(relu, batchNorm2d({ features: 8 }))
const tanhGap = flow(tanh, adaptiveAvgPool2d({ output: 1 }), flatten, linear({ in: 8, out: 10 }))
const nested = flow(relu, preAct, relu, avgPool2d({ kernel: 2 }))
const nestedInline = flow(relu, flow(sigmoid, conv2d({ out: 8, kernel: 3, padding: 1 })), relu)

export const ok1: Tensor<[N, 8, 8, 8]> = pipe(input([N, 8, 8, 8]), preAct)
export const ok2: Tensor<[N, 8, 8, 8]> = pipe(input([N, 8, 8, 8]), preActBn)
export const ok3: Tensor<[N, 8, 4, 4]> = pipe(input([N, 8, 8, 8]), reluPool)
export const ok4: Tensor<[N, 10]> = pipe(input([N, 64]), dropLinear)
export const ok5: Tensor<[N, 8, 3, 3]> = pipe(input([N, 8, 8, 8]), sigmoidStrided)
export const ok6: Tensor<[N, 8, 8, 8]> = pipe(input([N, 8, 8, 8]), reluBn)
export const ok7: Tensor<[N, 10]> = pipe(input([N, 8, 5, 5]), tanhGap)
export const ok8: Tensor<[N, 8, 4, 4]> = pipe(input([N, 3, 8, 8]), nested)
export const ok9: Tensor<[N, 8, 8, 8]> = pipe(input([N, 3, 8, 8]), nestedInline)
export const okTwoSizes: Tensor<[N, 8, 16, 16]> = pipe(input([N, 3, 16, 16]), preAct, preAct)
export const okLast = graphOf(pipe(input([N, 3, 8, 8]), conv2d({ out: 8, kernel: 1 }), relu, preAct))
export const okFlowOfFlows: Tensor<[N, 8, 4, 4]> = pipe(input([N, 8, 8, 8]), flow(preAct, reluPool))
const block = <S extends Shape4>(x: Tensor<S>) => pipe(x, preAct, reluPool)
export const okGeneric: Tensor<[N, 8, 4, 4]> = pipe(input([N, 3, 8, 8]), block)
export const okResidual: Tensor<[N, 8, 8, 8]> = pipe(input([N, 8, 8, 8]), residual(flow(preAct, preAct)))
// the checks of the flow's later layers are made where it is applied, inline or through the composed type
export const badChannels = pipe(input([N, 8, 8, 8]), reluBn, flow(relu, batchNorm2d({ features: 16 }))) // error: batchNorm2d: expected 16 channels, got 8
export const badWindow = graphOf(pipe(input([N, 8, 2, 2]), sigmoidStrided)) // error: conv2d: kernel larger than padded input (input 2, dilated kernel exceeds padded input by 1)
export const badRankInline = pipe(input([N, 16]), flow(relu, conv2d({ out: 8, kernel: 3, padding: 1 }))) // error: conv2d: expects [N, C, H, W], got [N,16]
// (A wrong rank through the stand-alone composed type is not a verdict: relu's parameter takes any rank, and a
// same-size conv gives `[N, 8, undefined, undefined]`, refused by the next consumer; see docs/custom-blocks.md.)
export const badRankComposed = graphOf(pipe(input([N, 16]), preAct)) // error: Type 'undefined' is not assignable to type 'Dim'

// plain add in hand-written generic functions: two type parameters pass inside, decided where applied
const twoInputs = <A extends Shape4, B extends Shape4>(a: Tensor<A>, b: Tensor<B>) => add(a, b)
const twoInputsSwapped = <A extends Shape4, B extends Shape4>(a: Tensor<A>, b: Tensor<B>) => add(b, a)
export const addOk: Tensor<[N, 8, 8, 8]> = twoInputs(input([N, 8, 8, 8]), input([N, 8, 8, 8]))
export const addOkSwapped: Tensor<[N, 8, 8, 8]> = twoInputsSwapped(input([N, 8, 8, 8]), input([N, 8, 8, 8]))
export const addBad = graphOf(twoInputs(input([N, 8, 8, 8]), input([N, 8, 4, 4]))) // error: add: [N,8,8,8] vs [N,8,4,4]
export const addBadSwapped = pipe(twoInputsSwapped(input([N, 8, 8, 8]), input([N, 16, 8, 8])), relu) // error: add: [N,16,8,8] vs [N,8,8,8]
export const addBadTraced = trace((x: Tensor<[N, 8, 8, 8]>) => twoInputs(x, input([N, 8, 4, 4])), [N, 8, 8, 8]) // error: add: [N,8,8,8] vs [N,8,4,4]
// generic against concrete: the block's size is compared where the block is applied
const plainAdd = <S extends Shape4>(x: Tensor<S>) => add(pipe(x, conv2d({ out: 8, kernel: 3, padding: 1 })), input([N, 8, 8, 8]))
const plainAddSwapped = <S extends Shape4>(x: Tensor<S>) => add(input([N, 8, 8, 8]), pipe(x, conv2d({ out: 8, kernel: 3, padding: 1 })))
export const plainOk: Tensor<[N, 8, 8, 8]> = pipe(input([N, 3, 8, 8]), plainAdd)
export const plainOkSwapped: Tensor<[N, 8, 8, 8]> = pipe(input([N, 3, 8, 8]), plainAddSwapped)
export const plainBad = graphOf(pipe(input([N, 3, 16, 16]), plainAdd)) // error: add: [N,8,16,16] vs [N,8,8,8]
export const plainBadSwapped = pipe(input([N, 3, 16, 16]), plainAddSwapped, relu) // error: add: [N,8,8,8] vs [N,8,16,16]
export const plainBadNested = graphOf(pipe(input([N, 3, 16, 16]), (x) => pipe(x, plainAdd, relu))) // error: add: [N,8,16,16] vs [N,8,8,8]
// dims named by the block (`<B, H, W>`) against a concrete tensor, and a residual inside a block generic in S
const namedDims = <B extends Dim, H extends Dim, W extends Dim>(x: Tensor<[B, 8, H, W]>) => add(x, input([N, 8, 4, 4]))
export const namedOk: Tensor<[N, 8, 4, 4]> = namedDims(input([N, 8, 4, 4]))
export const namedBad = graphOf(namedDims(input([N, 8, 8, 8]))) // error: add: [N,8,8,8] vs [N,8,4,4]
const residualIn = <S extends Shape4>(x: Tensor<S>) => pipe(x, residual(flow(conv2d({ out: 8, kernel: 3, padding: 1 }), relu)))
export const residualInOk: Tensor<[N, 8, 8, 8]> = pipe(input([N, 8, 8, 8]), residualIn)
export const residualInBad = graphOf(pipe(input([N, 3, 8, 8]), residualIn)) // error: residual: main path gives [N,8,8,8], input gives [N,3,8,8]
