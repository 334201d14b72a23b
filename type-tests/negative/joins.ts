// Joins inside hand-written generic blocks (issue 11): `add` with the block's input first or second, `batchNorm2d`
// with features from a second type parameter before an `add`, and joins of tensors of different ranks. Each block
// compiles and stays generic; where it is applied the sizes are exact, or the next consumer reports the verdict.
import { flow, pipe } from 'fp-ts/lib/function.js'
import {
  add, adaptiveAvgPool2d, batchNorm1d, batchNorm2d, concat, conv2d, flatten, graphOf, input, linear, N, parallel, pipe as longPipe,
  relu, type Dim, type Shape4, type Tensor,
} from 'shapesafe'

// ---- add(x, path): the block's input first, then another layer --------------------------------------------------
const inputFirst = <S extends Shape4>(x: Tensor<S>) => pipe(add(x, pipe(x, conv2d({ out: 64, kernel: 3, padding: 1 }))), relu)
const pathFirst = <S extends Shape4>(x: Tensor<S>) => pipe(add(pipe(x, conv2d({ out: 64, kernel: 3, padding: 1 })), x), relu)
export const inputFirstOk: Tensor<[N, 64, 8, 8]> = pipe(input([N, 64, 8, 8]), inputFirst)
export const pathFirstOk: Tensor<[N, 64, 8, 8]> = pipe(input([N, 64, 8, 8]), pathFirst)
// the same block at a second size: exact there too, and wrong channels reported by the next consumer
export const inputFirstOk16: Tensor<[N, 64, 16, 16]> = pipe(input([N, 64, 16, 16]), inputFirst, relu)
export const inputFirstBad = pipe(input([N, 32, 8, 8]), inputFirst, relu) // error: add: [N,32,8,8] vs [N,64,8,8]
export const pathFirstBad = pipe(input([N, 32, 8, 8]), pathFirst, relu) // error: add: [N,64,8,8] vs [N,32,8,8]
// first stage, consumed by graphOf; and in a flow
export const inputFirstGraph = graphOf(pipe(input([N, 16, 8, 8]), inputFirst)) // error: add: [N,16,8,8] vs [N,64,8,8]
const inputFirstFlow = flow(inputFirst, conv2d({ out: 8, kernel: 1 }))
export const inputFirstFlowOk: Tensor<[N, 8, 8, 8]> = pipe(input([N, 64, 8, 8]), inputFirstFlow)
export const inputFirstFlowBad = pipe(input([N, 32, 8, 8]), inputFirstFlow, relu) // error: add: [N,32,8,8] vs [N,64,8,8]
// more layers after the sum, inside the block
const inputFirstLong = <S extends Shape4>(x: Tensor<S>) => pipe(add(x, pipe(x, conv2d({ out: 64, kernel: 3, padding: 1 }))), relu, conv2d({ out: 8, kernel: 1 }), relu)
export const inputFirstLongOk: Tensor<[N, 8, 8, 8]> = pipe(input([N, 64, 8, 8]), inputFirstLong)
export const inputFirstLongBad = pipe(input([N, 32, 8, 8]), inputFirstLong, relu) // error: add: [N,32,8,8] vs [N,64,8,8]
// generic in its channels
const inputFirstC = <C extends number>(c: C) => <S extends Shape4>(x: Tensor<S>) => pipe(add(x, pipe(x, conv2d({ out: c, kernel: 3, padding: 1 }))), relu)
export const inputFirstCOk: Tensor<[N, 32, 8, 8]> = pipe(input([N, 32, 8, 8]), inputFirstC(32))
export const inputFirstCBad = pipe(input([N, 32, 8, 8]), inputFirstC(64), relu) // error: add: [N,32,8,8] vs [N,64,8,8]
// generic in its stride: stride 1 keeps the size, stride 2 does not
const inputFirstSt = <St extends number>(stride: St) => <S extends Shape4>(x: Tensor<S>) => pipe(add(x, pipe(x, conv2d({ out: 64, kernel: 3, padding: 1, stride }))), relu)
export const inputFirstSt1: Tensor<[N, 64, 8, 8]> = pipe(input([N, 64, 8, 8]), inputFirstSt(1))
export const inputFirstSt2 = pipe(input([N, 64, 8, 8]), inputFirstSt(2), relu) // error: add: [N,64,8,8] vs [N,64,4,4]
// nested: the block inside a stage, the stage used at two sizes, one good, one bad
const stage = <S extends Shape4>(x: Tensor<S>) => pipe(x, conv2d({ out: 64, kernel: 1 }), inputFirst, inputFirst)
export const stageOk: Tensor<[N, 64, 8, 8]> = pipe(input([N, 3, 8, 8]), stage)
const badStage = <S extends Shape4>(x: Tensor<S>) => pipe(x, conv2d({ out: 32, kernel: 1 }), inputFirst)
export const badStageOk = pipe(input([N, 3, 8, 8]), badStage, relu) // error: add: [N,32,8,8] vs [N,64,8,8]
// last stage of a long pipe
export const lastStage = longPipe(input([N, 3, 8, 8]), conv2d({ out: 32, kernel: 1 }), relu, inputFirst, adaptiveAvgPool2d({ output: 1 })) // error: add: [N,32,8,8] vs [N,64,8,8]

// ---- batchNorm2d({ features: d }) with d a second type parameter, then add and another layer -------------------
const bnTwo = <C extends number, D extends number>(c: C, d: D) => <S extends Shape4>(x: Tensor<S>) =>
  pipe(add(pipe(x, conv2d({ out: c, kernel: 3, padding: 1 }), batchNorm2d({ features: d }), relu), x), relu)
export const bnTwoOk: Tensor<[N, 64, 8, 8]> = pipe(input([N, 64, 8, 8]), bnTwo(64, 64), relu)
export const bnTwoBad = pipe(input([N, 64, 8, 8]), bnTwo(64, 32), relu) // error: batchNorm2d: expected 32 channels, got 64
// the other argument order of add, and two blocks in a row
const bnTwoSwapped = <C extends number, D extends number>(c: C, d: D) => <S extends Shape4>(x: Tensor<S>) =>
  pipe(add(x, pipe(x, conv2d({ out: c, kernel: 3, padding: 1 }), batchNorm2d({ features: d }))), relu, conv2d({ out: 8, kernel: 1 }))
export const bnTwoSwappedOk: Tensor<[N, 8, 8, 8]> = pipe(input([N, 64, 8, 8]), bnTwoSwapped(64, 64))
export const bnTwoSwappedBad = pipe(input([N, 64, 8, 8]), bnTwoSwapped(64, 16), relu) // error: batchNorm2d: expected 16 channels, got 64
export const bnTwoTwice: Tensor<[N, 64, 8, 8]> = pipe(input([N, 64, 8, 8]), bnTwo(64, 64), bnTwo(64, 64))
export const bnTwoTwiceBad = pipe(input([N, 64, 8, 8]), bnTwo(64, 64), bnTwo(64, 65), relu) // error: batchNorm2d: expected 65 channels, got 64
// the conv's channels right, the input's wrong: the add's verdict
export const bnTwoInput = pipe(input([N, 32, 8, 8]), bnTwo(64, 64), relu) // error: add: [N,64,8,8] vs [N,32,8,8]

// the input declared as a tuple of type parameters, and batchNorm1d on [N, features]
const bnTuple = <C extends number, D extends number>(c: C, d: D) => <B extends Dim, C0 extends number, H extends Dim, W extends Dim>(x: Tensor<[B, C0, H, W]>) =>
  pipe(add(pipe(x, conv2d({ out: c, kernel: 3, padding: 1 }), batchNorm2d({ features: d })), x), relu)
export const bnTupleOk: Tensor<[N, 16, 8, 8]> = pipe(input([N, 16, 8, 8]), bnTuple(16, 16))
export const bnTupleBad = pipe(input([N, 16, 8, 8]), bnTuple(16, 8), relu) // error: batchNorm2d: expected 8 channels, got 16
const bn1Two = <F extends number, D extends number>(f: F, d: D) => <B extends Dim, I extends number>(x: Tensor<[B, I]>) =>
  pipe(add(pipe(x, linear({ out: f }), batchNorm1d({ features: d })), x), relu)
export const bn1TwoOk: Tensor<[N, 16]> = pipe(input([N, 16]), bn1Two(16, 16))
export const bn1TwoBad = pipe(input([N, 16]), bn1Two(16, 8), relu) // error: batchNorm1d: expected 8 features, got 16

// ---- joins of different ranks --------------------------------------------------------------------------------------
const x4 = input([N, 16, 8, 8])
export const catRank = concat(x4, pipe(x4, flatten)) // error: concat: expects [N, C, H, W] tensors, got [N,16,8,8] and [N,1024]
export const catRankSwapped = concat(pipe(x4, flatten), x4) // error: concat: expects [N, C, H, W] tensors, got [N,1024] and [N,16,8,8]
export const catRankThree = concat(x4, x4, pipe(x4, flatten)) // error: concat: expects [N, C, H, W] tensors, got [N,16,8,8], [N,16,8,8] and [N,1024]
export const catMatrices = concat(input([N, 10]), input([N, 20])) // error: concat: expects [N, C, H, W] tensors, got [N,10] and [N,20]
export const addRank = add(x4, pipe(x4, flatten)) // error: add: [N,16,8,8] vs [N,1024]
export const addRankSwapped = add(pipe(x4, flatten), x4) // error: add: [N,1024] vs [N,16,8,8]
// inside a generic block: a path of another rank (its leading dims equal the input's) is carried out and reported
const addPooled = <S extends Shape4>(x: Tensor<S>) => add(x, pipe(x, adaptiveAvgPool2d({ output: 1 }), flatten))
export const addPooledBad = pipe(input([N, 16, 1, 1]), addPooled, relu) // error: add: [N,16,1,1] vs [N,16]
const addPooledSwapped = <S extends Shape4>(x: Tensor<S>) => add(pipe(x, adaptiveAvgPool2d({ output: 1 }), flatten), x)
export const addPooledSwappedBad = pipe(input([N, 16, 1, 1]), addPooledSwapped, relu) // error: add: [N,16] vs [N,16,1,1]
// concat of the block's input and a flatten of it is refused on the spot (TypeScript's message: flatten's type over a
// generic input has no fixed rank yet)
export const catFlatGeneric = <S extends Shape4>(x: Tensor<S>) => concat(x, pipe(x, flatten)) // error: No overload matches this call

// ---- parallel: a branch of another rank (its branches are concatenated along channels) ----------------------------
const flatBranch2 = parallel(flow(conv2d({ out: 8, kernel: 1 })), flow(conv2d({ out: 8, kernel: 1 }), flatten))
export const flatBranch2Bad = pipe(input([N, 8, 4, 4]), flatBranch2) // error: parallel: branch 2 gives [N,128]; branches are concatenated along channels, so each must give [N, C, H, W] (flatten after the block)
const flatBranch1 = parallel(flow(conv2d({ out: 8, kernel: 1 }), flatten), conv2d({ out: 8, kernel: 1 }), relu)
export const flatBranch1Bad = pipe(input([N, 8, 4, 4]), flatBranch1) // error: parallel: branch 1 gives [N,128]; branches are concatenated
export const flatConcreteBad = pipe(input([N, 8, 4, 4]), parallel(relu, flatten)) // error: parallel: branch 2 gives [N,128]; branches
export const flatFourthBad = pipe(input([N, 8, 4, 4]), parallel(relu, relu, relu, flatten)) // error: parallel: branch 4 gives [N,128]; branches
export const flatInFlowBad = pipe(input([N, 8, 4, 4]), flow(parallel(relu, flow(relu, flatten)), relu)) // error: parallel: branch 2 gives [N,128]; branches
// inside a generic block: the branch's rank is known where the block is written, so the verdict is given there
export const flatInBlock = <S extends Shape4>(x: Tensor<S>) => pipe(x, parallel(relu, flatten)) // error: parallel: branch 2 gives [
// the same blocks with branches of rank 4 compile exactly
export const rank4Ok: Tensor<[N, 24, 4, 4]> = pipe(input([N, 8, 4, 4]), parallel(relu, conv2d({ out: 8, kernel: 3, padding: 1 }), relu))
export const rank4FlowOk: Tensor<[N, 16, 4, 4]> = pipe(input([N, 8, 4, 4]), parallel(flow(conv2d({ out: 8, kernel: 1 })), flow(conv2d({ out: 8, kernel: 1 }), relu)))
