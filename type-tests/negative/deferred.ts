// Negative fixtures (issue 11): verdicts that a composed type carries out of a block (⛔ in the result) are
// refused by every consumer of a tensor (the next layer, graphOf, trace, add, concat, the combinators), and
// flatten refuses symbolic sizes after the batch, as the run-time trace does.
import { flow, pipe } from 'fp-ts/lib/function.js'
import {
  add, adaptiveAvgPool2d, conv2d, dim, flatten, graphOf, input, linear, N, pipe as longPipe, relu, residual, sequential, trace,
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
