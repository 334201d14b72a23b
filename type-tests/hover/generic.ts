/**
 * Hover fixture (tests/hover.test.ts): generic blocks, and the blocks applied to numbers and to named dims. Hovering
 * a block shows each window's formula over its input (`Size<S[2], "⌈H/2⌉">`); hovering a result shows the sizes
 * PyTorch gives (or their formula over a named dim), whichever way the block is written.
 */
import { flow, pipe } from 'fp-ts/lib/function.js'
import { add, avgPool2d, conv2d, dim, input, maxPool2d, N, relu, type Named, type Shape4, type Tensor } from 'shapesafe'

export const down = <S extends Shape4>(x: Tensor<S>) => pipe(x, conv2d({ out: 8, kernel: 3, stride: 2, padding: 1 }), maxPool2d({ kernel: 2 }))
export const downFlow = flow(conv2d({ out: 8, kernel: 3, stride: 2, padding: 1 }), maxPool2d({ kernel: 2 }))
export const ceilPool = <S extends Shape4>(x: Tensor<S>) => pipe(x, maxPool2d({ kernel: 3, stride: 2, ceilMode: true }))
export const keep = <S extends Shape4>(x: Tensor<S>) => pipe(x, conv2d({ out: 8, kernel: 3, padding: 1 }), relu)
export const resnetD = <S extends Shape4>(x: Tensor<S>) =>
  add(pipe(x, conv2d({ out: 8, kernel: 3, stride: 2, padding: 1 })), pipe(x, avgPool2d({ kernel: 2, stride: 2, ceilMode: true }), conv2d({ out: 8, kernel: 1 })))
export const nested = <S extends Shape4>(x: Tensor<S>) => pipe(x, down, down)
export const valid = <S extends Shape4>(x: Tensor<S>) => pipe(x, conv2d({ out: 8, kernel: 3 }))
export const projection = <S extends Shape4>(x: Tensor<S>) => pipe(x, conv2d({ out: 16, kernel: 1, stride: 2 }))

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
