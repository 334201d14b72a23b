// Uses the blocks of blocks.ts through their emitted declarations (tests/declarationEmit.test.ts): the shapes and the
// verdicts are the ones the source gives.
import { pipe } from 'fp-ts/lib/function.js'
import { graphOf, input, N, type Tensor } from 'shapesafe'
import { act, addFn, bnTwo, inputFirst, applied, convBn, convs, denseFixed, incep4, linearIn, pools, stride, convBnFixed, dense, fcBn, fnBlock, fnConcat, fnRes, head, headFree, incep, incepFixed, mlp, nested, nin, preAct, res, resDown, transition, vggBlock } from './blocks.js'

export const a1: Tensor<[N, 8, 8, 8]> = pipe(input([N, 3, 8, 8]), convBn(8))
export const a2: Tensor<[N, 64, 8, 8]> = pipe(input([N, 3, 8, 8]), convBnFixed)
export const a3: Tensor<[N, 8, 8, 8]> = pipe(input([N, 3, 8, 8]), preAct)
export const a4: Tensor<[N, 10]> = pipe(input([N, 16, 4, 4]), head)
export const a5: Tensor<[N, 10]> = pipe(input([N, 16, 7, 7]), headFree)
export const a6: Tensor<[N, 10]> = pipe(input([N, 16, 4, 4]), mlp)
export const a7: Tensor<[N, 120]> = pipe(input([N, 400]), fcBn(120))
export const a8: Tensor<[N, 32, 4, 4]> = pipe(input([N, 3, 8, 8]), vggBlock(32))
export const a9: Tensor<[N, 16, 8, 8]> = pipe(input([N, 16, 8, 8]), res(16))
export const a10: Tensor<[N, 32, 4, 4]> = pipe(input([N, 16, 8, 8]), resDown(32))
export const a11: Tensor<[N, 32, 8, 8]> = pipe(input([N, 16, 8, 8]), incep(8, 16))
export const a12: Tensor<[N, 192, 8, 8]> = pipe(input([N, 16, 8, 8]), incepFixed)
export const a13: Tensor<[N, 24, 8, 8]> = pipe(input([N, 16, 8, 8]), dense(4))
export const a14: Tensor<[N, 8, 4, 4]> = pipe(input([N, 16, 8, 8]), transition(8))
export const a15: Tensor<[N, 8, 8, 8]> = pipe(input([N, 3, 8, 8]), fnBlock)
export const a16: Tensor<[N, 12, 8, 8]> = pipe(input([N, 3, 8, 8]), fnConcat)
export const a17: Tensor<[N, 8, 8, 8]> = pipe(input([N, 8, 8, 8]), fnRes)
export const a18: Tensor<[N, 96, 6, 6]> = pipe(input([N, 1, 8, 8]), nin(96, 3))
export const a19: Tensor<[N, 10]> = applied
export const a20: Tensor<[N, 10]> = pipe(input([N, 3, 8, 8]), nested)
export const a21: Tensor<[N, 16, 2, 4]> = pipe(input([N, 16, 16, 16]), pools)
export const a22: Tensor<[N, 32, 2, 3]> = pipe(input([N, 16, 16, 16]), convs)
export const a23: Tensor<[N, 8, 3, 3]> = pipe(input([N, 3, 16, 16]), stride(3, 2))
export const a24: Tensor<[N, 3, 8, 8]> = pipe(input([N, 3, 8, 8]), act)
export const a25: Tensor<[N, 10]> = pipe(input([N, 16, 2, 2]), linearIn(64))
export const a26: Tensor<[N, 8, 4, 4]> = pipe(input([N, 3, 8, 8]), addFn)
export const a27: Tensor<[N, 64, 8, 8]> = pipe(input([N, 3, 8, 8]), incep4(16))
export const a28: Tensor<[N, 192, 8, 8]> = pipe(input([N, 64, 8, 8]), denseFixed)
// Checks the declarations carry: the same verdicts as the source.
export const wrongHead = graphOf(pipe(input([N, 16, 5, 5]), head)) // error: linear: expected 256 input features, got 400
export const wrongRes = pipe(input([N, 8, 8, 8]), res(16)) // error: residual: main path gives [N,16,8,8], input gives [N,8,8,8]
export const wrongLinear = graphOf(pipe(input([N, 16, 2, 2]), linearIn(60))) // error: linear: expected 60 input features, got 64
export const wrongWindow = pipe(input([N, 3, 2, 2]), stride(5, 1)) // error: conv2d: kernel larger than padded input
export const a29: Tensor<[N, 64, 8, 8]> = pipe(input([N, 64, 8, 8]), inputFirst)
export const a30: Tensor<[N, 64, 8, 8]> = pipe(input([N, 64, 8, 8]), bnTwo(64, 64))
export const wrongInputFirst = pipe(input([N, 32, 8, 8]), inputFirst, graphOf) // error: add: [N,32,8,8] vs [N,64,8,8]
export const wrongBn = pipe(input([N, 64, 8, 8]), bnTwo(64, 32), graphOf) // error: batchNorm2d: expected 32 channels, got 64
