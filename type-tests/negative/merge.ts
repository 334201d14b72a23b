// Negative fixtures for concat/add and the combinators (see conv2d.ts for the convention).
import { pipe } from 'fp-ts/lib/function.js'
import { add, concat, conv2d, denseBlock, dim, input, N, parallel, residual, type Named } from 'shapesafe'

interface B extends Named<'B'> {}
const B = dim<B>('B')

export const catH = concat(input([N, 64, 28, 28]), input([N, 64, 14, 14])) // error: concat: H differs (28 vs 14)
export const catW = concat(input([N, 64, 28, 28]), input([N, 32, 28, 14])) // error: concat: W differs (28 vs 14)
export const catN = concat(input([N, 64, 28, 28]), input([1, 64, 28, 28])) // error: concat: N differs (N vs 1)
export const catNamed = concat(input([N, 64, 28, 28]), input([B, 64, 28, 28])) // error: concat: N differs (N vs B)
export const cat3 = concat(input([N, 64, 28, 28]), input([N, 32, 28, 28]), input([N, 16, 27, 28])) // error: concat: H differs (28 vs 27)
export const cat4 = concat(input([N, 64, 7, 7]), input([N, 32, 7, 7]), input([N, 16, 7, 7]), input([N, 8, 7, 6])) // error: concat: W differs (7 vs 6)

export const addShapes = add(input([N, 64, 56, 56]), input([N, 128, 28, 28])) // error: add: [N,64,56,56] vs [N,128,28,28]
export const addRank = add(input([N, 64]), input([N, 64, 1, 1])) // error: add: [N,64] vs [N,64,1,1]
export const addBatch = add(input([N, 64, 56, 56]), input([B, 64, 56, 56])) // error: add: [N,64,56,56] vs [B,64,56,56]

// A projection shortcut whose stride differs from the main path's.
export const badShortcut = pipe(
  input([N, 64, 56, 56]),
  residual(conv2d({ out: 128, kernel: 3, stride: 2, padding: 1 }), conv2d({ out: 128, kernel: 1 })), // error: Type '56' is not assignable to type '28'
)

// An identity residual whose main path changes the channel count.
export const badIdentity = pipe(input([N, 3, 8, 8]), residual(conv2d({ out: 64, kernel: 3, padding: 1 }))) // error: Type '64' is not assignable to type '3'

// parallel branches must agree on H and W.
export const badParallel = pipe(input([N, 3, 8, 8]), parallel(conv2d({ out: 8, kernel: 1 }), conv2d({ out: 4, kernel: 3 }))) // error: Type '6' is not assignable to type '8'

// denseBlock layers must produce exactly `growth` channels.
export const badGrowth = pipe(input([N, 16, 8, 8]), denseBlock({ layers: 2, growth: 8 }, () => conv2d({ out: 4, kernel: 3, padding: 1 }))) // error: Type '4' is not assignable to type '8'
