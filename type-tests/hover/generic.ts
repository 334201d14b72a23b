/**
 * Hover fixture (tests/hover.test.ts): generic blocks applied to numbers and to named dims. Hovering each `const`
 * must show the sizes PyTorch gives (or their formula over a named dim), whichever way the block is written.
 */
import { flow, pipe } from 'fp-ts/lib/function.js'
import { add, avgPool2d, conv2d, dim, input, maxPool2d, N, relu, type Named, type Shape4, type Tensor } from 'shapesafe'

const down = <S extends Shape4>(x: Tensor<S>) => pipe(x, conv2d({ out: 8, kernel: 3, stride: 2, padding: 1 }), maxPool2d({ kernel: 2 }))
const downFlow = flow(conv2d({ out: 8, kernel: 3, stride: 2, padding: 1 }), maxPool2d({ kernel: 2 }))
const ceilPool = <S extends Shape4>(x: Tensor<S>) => pipe(x, maxPool2d({ kernel: 3, stride: 2, ceilMode: true }))
const keep = <S extends Shape4>(x: Tensor<S>) => pipe(x, conv2d({ out: 8, kernel: 3, padding: 1 }), relu)
const resnetD = <S extends Shape4>(x: Tensor<S>) =>
  add(pipe(x, conv2d({ out: 8, kernel: 3, stride: 2, padding: 1 })), pipe(x, avgPool2d({ kernel: 2, stride: 2, ceilMode: true }), conv2d({ out: 8, kernel: 1 })))
const nested = <S extends Shape4>(x: Tensor<S>) => pipe(x, down, down)

export const at32 = pipe(input([N, 3, 32, 32]), down)
export const at64 = pipe(input([N, 3, 64, 64]), down)
export const flowAt32 = pipe(input([N, 3, 32, 32]), downFlow)
export const ceilAt7 = pipe(input([N, 3, 7, 8]), ceilPool)
export const keepAt9 = pipe(input([N, 3, 9, 9]), keep)
export const resnetDAt7 = pipe(input([N, 3, 7, 8]), resnetD)
export const nestedAt64 = pipe(input([N, 3, 64, 64]), nested)
interface H extends Named<'H'> {}
interface W extends Named<'W'> {}
export const named = pipe(input([N, 3, dim<H>('H'), dim<W>('W')]), down)
export const namedFlow = pipe(input([N, 3, dim<H>('H'), dim<W>('W')]), downFlow)
