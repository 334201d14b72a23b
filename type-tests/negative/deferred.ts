// Negative fixtures (issue 11): verdicts that a composed type carries out of a block (⛔ in the result) are
// refused by every consumer of a tensor (the next layer, graphOf, trace, add, concat, the combinators), and
// flatten refuses symbolic sizes after the batch, as the run-time trace does.
import { flow, pipe } from 'fp-ts/lib/function.js'
import {
  add, adaptiveAvgPool2d, batchNorm1d, batchNorm2d, conv2d, dim, flatten, graphOf, input, linear, N, pipe as longPipe, relu, residual, sequential, trace,
  type Named, type Shape4, type Tensor,
} from 'shapesafe'

interface H extends Named<'H'> {}
interface W extends Named<'W'> {}
interface F extends Named<'F'> {}
const H = dim<H>('H')
const W = dim<W>('W')
const F = dim<F>('F')

// A reusable head used as the last stage with the wrong width: its result carries ⛔; each consumer refuses it.
const head = flow(flatten, linear({ in: 256, out: 10 }))
const wrong = pipe(input([N, 16, 5, 5]), head)
export const wrongLong = longPipe(input([N, 16, 5, 5]), head)
export const toGraph = graphOf(wrong) // error: linear: expected 256 input features, got 400
export const toGraphLong = graphOf(wrongLong) // error: linear: expected 256 input features, got 400
export const traced = trace(head, [N, 16, 5, 5]) // error: linear: expected 256 input features, got 400
export const tracedSeq = trace(sequential(head), [N, 16, 5, 5]) // error: linear: expected 256 input features, got 400
export const added = add(wrong, wrong) // error: linear: expected 256 input features, got 400
export const nextLayer = pipe(wrong, relu) // error: linear: expected 256 input features, got 400
export const okGraph = graphOf(pipe(input([N, 16, 4, 4]), head))
export const okTrace = trace(head, [N, 16, 4, 4])

// flatten over symbolic sizes: refused (its features would not be a number), at flatten, first/middle/last, pipe/flow.
export const flatFirst = pipe(input([N, 16, H, W]), flatten) // error: flatten: features of [N,16,H,W] depend on symbolic sizes — give the input concrete sizes, or pool to a fixed size first (adaptiveAvgPool2d)
export const flatThenLinear = pipe(input([N, 16, H, W]), flatten, linear({ out: 10 })) // error: flatten: features of [N,16,H,W] depend on symbolic sizes
export const flatDerived = pipe(input([N, 3, H, W]), conv2d({ out: 8, kernel: 3, stride: 2, padding: 1 }), relu, flatten) // error: flatten: features of [N,8,⌈H/2⌉,⌈W/2⌉] depend on symbolic sizes
export const flatOneNamed = pipe(input([N, 16, 4, W]), relu, flatten) // error: flatten: features of [N,16,4,W] depend on symbolic sizes
export const flatFeatures = pipe(input([N, F]), flatten) // error: flatten: features of [N,F] depend on symbolic sizes
export const flatHead = pipe(input([N, 16, H, W]), head) // error: flatten: features of [N,16,H,W] depend on symbolic sizes
export const flatFlow = pipe(input([N, 16, H, W]), flow(relu, flatten)) // error: flatten: features of [N,16,H,W] depend on symbolic sizes
const genericFlat = <S extends Shape4>(x: Tensor<S>) => pipe(x, relu, flatten)
export const genericFlatOk = pipe(input([N, 16, 4, 4]), genericFlat)
export const pooledOk = pipe(input([N, 16, H, W]), adaptiveAvgPool2d({ output: 1 }), flatten, linear({ in: 16, out: 10 }))
export const residualNamedOk = pipe(input([N, 8, H, W]), residual(flow(conv2d({ out: 8, kernel: 3, padding: 1 }), relu)), adaptiveAvgPool2d({ output: 2 }), flatten, linear({ in: 32, out: 10 }))

// Checks after a reusable block's first layer, undecided where the block is written (its channels are a type
// parameter, or it is a flow whose type keeps only its first layer's input check): carried in the batch dim to where
// the block is applied with numbers, then refused by every consumer with the layer's verdict. Equal sizes pass.
const convBn = <const C extends number>(c: C) => flow(conv2d({ out: c, kernel: 3, padding: 1 }), batchNorm2d({ features: 64 }))
export const convBnOk = graphOf(pipe(input([N, 3, 8, 8]), convBn(64)))
export const convBnGraph = graphOf(pipe(input([N, 3, 8, 8]), convBn(128))) // error: batchNorm2d: expected 64 channels, got 128
export const convBnNext = pipe(input([N, 3, 8, 8]), convBn(128), relu) // error: batchNorm2d: expected 64 channels, got 128
export const convBnLong = graphOf(longPipe(input([N, 3, 8, 8]), convBn(128), relu, conv2d({ out: 8, kernel: 1 }))) // error: batchNorm2d: expected 64 channels, got 128
export const convBnTrace = trace(convBn(128), [N, 3, 8, 8]) // error: batchNorm2d: expected 64 channels, got 128
const convIn = <const C extends number>(c: C) => flow(conv2d({ out: c, kernel: 3, padding: 1 }), relu, conv2d({ in: 64, out: 8, kernel: 1 }))
export const convInOk = graphOf(pipe(input([N, 3, 8, 8]), convIn(64)))
export const convInGraph = graphOf(pipe(input([N, 3, 8, 8]), convIn(32))) // error: conv2d: expected 64 input channels, got 32
// The same with a hand-written generic function instead of a flow, and nested in an outer flow.
const convBnFn = <const C extends number>(c: C) => <S extends Shape4>(x: Tensor<S>) => pipe(x, conv2d({ out: c, kernel: 1 }), batchNorm2d({ features: 64 }), relu)
export const convBnFnOk = graphOf(pipe(input([N, 3, 8, 8]), convBnFn(64)))
export const convBnFnGraph = graphOf(pipe(input([N, 3, 8, 8]), convBnFn(128))) // error: batchNorm2d: expected 64 channels, got 128
export const nestedGraph = graphOf(pipe(input([N, 3, 8, 8]), flow(convBn(128), relu, conv2d({ out: 8, kernel: 1 })))) // error: batchNorm2d: expected 64 channels, got 128
export const nestedOk = graphOf(pipe(input([N, 3, 8, 8]), flow(convBn(64), relu, conv2d({ out: 8, kernel: 1 }))))
// The same type parameter on both sides is equal: compiles, and stays exact.
const sameC = <const C extends number>(c: C) => flow(conv2d({ out: c, kernel: 3, padding: 1 }), batchNorm2d({ features: c }), relu, conv2d({ in: c, out: 8, kernel: 1 }))
export const sameCOk: Tensor<[N, 8, 8, 8]> = pipe(input([N, 3, 8, 8]), sameC(32))
// A check in the middle of a head, followed by layers that replace the features (linear without `in`).
const mlp = flow(flatten, linear({ in: 256, out: 20 }), relu, linear({ out: 10 }))
export const mlpOk: Tensor<[N, 10]> = pipe(input([N, 16, 4, 4]), mlp)
export const mlpGraph = graphOf(pipe(input([N, 16, 5, 5]), mlp)) // error: linear: expected 256 input features, got 400
export const mlpTrace = trace(mlp, [N, 16, 5, 5]) // error: linear: expected 256 input features, got 400
export const mlpAdd = add(pipe(input([N, 16, 5, 5]), mlp), pipe(input([N, 16, 4, 4]), mlp)) // error: linear: expected 256 input features, got 400
// batchNorm1d after a linear whose width is a type parameter (BatchNorm-LeNet's fully connected part).
const fcBn = <const F extends number>(f: F) => flow(linear({ out: f }), batchNorm1d({ features: 120 }), relu)
export const fcBnOk: Tensor<[N, 120]> = pipe(input([N, 400]), fcBn(120))
export const fcBnGraph = graphOf(pipe(input([N, 400]), fcBn(84))) // error: batchNorm1d: expected 120 features, got 84
// An identity residual inside a hand-written generic function: the identity path is the function's type parameter,
// so a main path that halves H is decided where the function is applied, carried in the result to its consumer.
const halving = <S extends Shape4>(x: Tensor<S>) => pipe(x, residual(flow(conv2d({ out: 8, kernel: 3, padding: 1, stride: 2 }))))
export const halvingOk = graphOf(pipe(input([N, 8, 1, 1]), halving)) // a 1×1 input: ⌈1/2⌉ = 1, the paths agree
export const halvingNext = pipe(input([N, 8, 8, 8]), halving, relu) // error: residual: main path gives [N,8,4,4], input gives [N,8,8,8]
export const halvingGraph = graphOf(pipe(input([N, 8, 8, 8]), halving)) // error: residual: main path gives [N,8,4,4], input gives [N,8,8,8]
