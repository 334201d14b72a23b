// Negative fixtures for concat/add and the combinators (see conv2d.ts for the convention).
import { flow, pipe } from 'fp-ts/lib/function.js'
import { add, avgPool2d, batchNorm2d, concat, conv2d, denseBlock, dim, input, maxPool2d, N, parallel, relu, residual, type Named, type Shape4, type Tensor } from 'shapesafe'

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

// A projection shortcut whose stride differs from the main path's: residual checks where it is applied, so
// TypeScript reports it at the input that the block cannot take.
export const badShortcut = pipe(
  input([N, 64, 56, 56]), // error: residual: main path gives [N,128,28,28], shortcut gives [N,128,56,56]
  residual(conv2d({ out: 128, kernel: 3, stride: 2, padding: 1 }), conv2d({ out: 128, kernel: 1 })),
)

// An identity residual whose main path changes the channel count.
export const badIdentity = pipe(input([N, 3, 8, 8]), residual(conv2d({ out: 64, kernel: 3, padding: 1 }))) // error: residual: main path gives [N,64,8,8], input gives [N,3,8,8]

// parallel branches must agree on H and W.
export const badParallel = pipe(input([N, 3, 8, 8]), parallel(conv2d({ out: 8, kernel: 1 }), conv2d({ out: 4, kernel: 3 }))) // error: parallel: branch 2 gives H 6, branch 1 gives 8
export const badParallelSwapped = pipe(input([N, 3, 8, 8]), parallel(conv2d({ out: 4, kernel: 3 }), conv2d({ out: 8, kernel: 1 }))) // error: parallel: branch 2 gives H 8, branch 1 gives 6

// denseBlock layers must produce exactly `growth` channels.
export const badGrowth = pipe(input([N, 16, 8, 8]), denseBlock({ layers: 2, growth: 8 }, () => conv2d({ out: 4, kernel: 3, padding: 1 }))) // error: denseBlock: each layer must give [N,8,8,8] (growth 8 at its input's N, H, W) on [N,16,8,8]
export const shrinkingDense = pipe(input([N, 16, 8, 8]), denseBlock({ layers: 2, growth: 8 }, () => conv2d({ out: 8, kernel: 3 }))) // error: denseBlock: each layer must give [N,8,8,8] (growth 8 at its input's N, H, W) on [N,16,8,8]
const genericDense = denseBlock({ layers: 3, growth: 4 }, () => <S extends Shape4>(x: Tensor<S>) => pipe(x, batchNorm2d(), relu, conv2d({ out: 4, kernel: 3, stride: 2, padding: 1 })))
export const genericDense8 = pipe(input([N, 16, 8, 8]), genericDense) // error: denseBlock: each layer must give [N,4,8,8] (growth 4 at its input's N, H, W) on [N,16,8,8]

// Reusable blocks made of generic flows stay generic; the mismatch is reported where the block is applied, naming
// the branch or path and the sizes.
const inceptionish = parallel(flow(conv2d({ out: 8, kernel: 1 }), relu), flow(conv2d({ out: 8, kernel: 3 }), relu))
export const inceptionish8 = pipe(input([N, 3, 8, 8]), inceptionish) // error: parallel: branch 2 gives H 6, branch 1 gives 8
export const inceptionish5 = pipe(input([N, 3, 5, 7]), inceptionish) // error: parallel: branch 2 gives W 5, branch 1 gives 7
const fourBranches = parallel(
  flow(conv2d({ out: 8, kernel: 1 }), relu),
  flow(conv2d({ out: 8, kernel: 3, padding: 1 }), relu),
  flow(conv2d({ out: 8, kernel: 5, padding: 1 }), relu),
  flow(maxPool2d({ kernel: 3, stride: 1, padding: 1 }), conv2d({ out: 8, kernel: 1 })),
)
export const fourBranches9 = pipe(input([N, 3, 9, 9]), fourBranches) // error: parallel: branch 3 gives H 7, branch 1 gives 9
const down = residual(flow(conv2d({ out: 8, kernel: 3, stride: 2, padding: 1 }), batchNorm2d(), relu), conv2d({ out: 8, kernel: 1 }))
export const down8 = pipe(input([N, 3, 8, 8]), down) // error: residual: main path gives [N,8,4,4], shortcut gives [N,8,8,8]
const keepsChannels = residual(flow(conv2d({ out: 16, kernel: 3, padding: 1 }), relu))
export const keepsChannels8 = pipe(input([N, 8, 8, 8]), keepsChannels) // error: residual: main path gives [N,16,8,8], input gives [N,8,8,8]
// a block generic in its stride: the shortcut forgot the stride, which only matters when it is not 1
const stage = <St extends number>(stride: St) => residual(flow(conv2d({ out: 8, kernel: 3, stride, padding: 1 }), relu), conv2d({ out: 8, kernel: 1 }))
export const stage2 = pipe(input([N, 8, 8, 8]), stage(2)) // error: residual: main path gives [N,8,4,4], shortcut gives [N,8,8,8]
export const stage1 = pipe(input([N, 8, 8, 8]), stage(1))

// Inside a generic block, a stride-1 and a stride-2 path are told apart in either order, at the add itself.
export const strides12 = <S extends Shape4>(x: Tensor<S>) =>
  add(pipe(x, conv2d({ out: 8, kernel: 1 })), pipe(x, conv2d({ out: 8, kernel: 1, stride: 2 }))) // error: No overload matches this call
export const strides21 = <S extends Shape4>(x: Tensor<S>) =>
  add(pipe(x, conv2d({ out: 8, kernel: 1, stride: 2 })), pipe(x, conv2d({ out: 8, kernel: 1 }))) // error: No overload matches this call
export const catStrides = <S extends Shape4>(x: Tensor<S>) =>
  concat(pipe(x, conv2d({ out: 8, kernel: 1, stride: 2 })), pipe(x, conv2d({ out: 8, kernel: 1 }))) // error: No overload matches this call

// Equal sizes written differently are decided by their normal form ⌊(H + a)/s⌋ + 1 inside the block; different
// forms over the same input fail at the add/concat, with the sizes as formulas, in either order.
const down2 = conv2d({ out: 8, kernel: 3, stride: 2, padding: 1 })
export const poolVsConv = <S extends Shape4>(x: Tensor<S>) =>
  add(pipe(x, down2), pipe(x, avgPool2d({ kernel: 2, stride: 2 }), conv2d({ out: 8, kernel: 1 }))) // error: add: [N,8,⌈H/2⌉,⌈W/2⌉] vs [N,8,⌊H/2⌋,⌊W/2⌋]
export const convVsPool = <S extends Shape4>(x: Tensor<S>) =>
  add(pipe(x, avgPool2d({ kernel: 2, stride: 2 }), conv2d({ out: 8, kernel: 1 })), pipe(x, down2)) // error: add: [N,8,⌊H/2⌋,⌊W/2⌋] vs [N,8,⌈H/2⌉,⌈W/2⌉]
export const catPoolVsConv = <S extends Shape4>(x: Tensor<S>) =>
  concat(pipe(x, down2), pipe(x, conv2d({ out: 8, kernel: 2, stride: 2 }))) // error: concat: H differs (⌈H/2⌉ vs ⌊H/2⌋)
export const twoVsOneBad = <S extends Shape4>(x: Tensor<S>) =>
  add(pipe(x, down2, conv2d({ out: 8, kernel: 3, stride: 2 })), pipe(x, conv2d({ out: 8, kernel: 1, stride: 4 }))) // error: add: [N,8,⌊(H−1)/4⌋,⌊(W−1)/4⌋] vs [N,8,⌈H/4⌉,⌈W/4⌉]
export const oneVsTwoBad = <S extends Shape4>(x: Tensor<S>) =>
  add(pipe(x, conv2d({ out: 8, kernel: 1, stride: 4 })), pipe(x, flow(down2, conv2d({ out: 8, kernel: 3, stride: 2 })))) // error: add: [N,8,⌈H/4⌉,⌈W/4⌉] vs [N,8,⌊(H−1)/4⌋,⌊(W−1)/4⌋]
export const stride1Orders = <S extends Shape4>(x: Tensor<S>) =>
  concat(pipe(x, conv2d({ out: 8, kernel: 3 }), maxPool2d({ kernel: 2, stride: 1 })), pipe(x, maxPool2d({ kernel: 3, stride: 1 }), conv2d({ out: 8, kernel: 3 }))) // error: concat: H differs (H−3 vs H−4)
// a block generic in its stride: the forms agree only when the strides are the same expression
export const stridedOk = <St extends number>(stride: St) => <S extends Shape4>(x: Tensor<S>) =>
  add(pipe(x, conv2d({ out: 8, kernel: 3, stride, padding: 1 })), pipe(x, conv2d({ out: 8, kernel: 1, stride })))
// with a generic stride the sizes are undecided inside the block; residual decides them where it is applied
const stridedBad = <St extends number>(stride: St) => residual(conv2d({ out: 8, kernel: 3, stride, padding: 1 }), conv2d({ out: 8, kernel: 2, stride }))
export const stridedBad1 = pipe(input([N, 8, 9, 9]), stridedBad(1)) // error: residual: main path gives [N,8,9,9], shortcut gives [N,8,8,8]
export const stridedBad2 = pipe(input([N, 8, 9, 9]), stridedBad(2)) // error: residual: main path gives [N,8,5,5], shortcut gives [N,8,4,4]
// used at numbers, a generic block's paths are checked by residual where it is applied (nested, and flow)
const twoDown = flow(down2, relu, down2)
export const nestedOk = pipe(input([N, 3, 16, 16]), residual(twoDown, conv2d({ out: 8, kernel: 1, stride: 4 })), residual(twoDown, conv2d({ out: 8, kernel: 1, stride: 4 })))
export const nestedBad = pipe(
  input([N, 3, 16, 16]), // error: residual: main path gives [N,8,4,4], shortcut gives [N,8,3,3]
  residual(twoDown, conv2d({ out: 8, kernel: 5, stride: 4 })),
)
