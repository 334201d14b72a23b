// denseBlock's check on its layer (issue 11 §5): each layer must give `growth` channels at its input's N, H and W.
// A layer that shrinks H or W (or gives other channels) is refused where the block is applied, whether the layer is a
// `flow`, a hand-written generic function or a single layer; in pipe and flow, first and last, nested, and inside a
// hand-written generic block. The run-time trace throws the same text (tests/deferredChecks.test.ts).
import { flow, pipe } from 'fp-ts/lib/function.js'
import { avgPool2d, batchNorm2d, conv2d, denseBlock, graphOf, input, maxPool2d, N, pipe as longPipe, relu, type Shape4, type Tensor } from 'shapesafe'

const unpadded = () => flow(batchNorm2d(), relu, conv2d({ out: 32, kernel: 3 }))
const padded = () => flow(batchNorm2d(), relu, conv2d({ out: 32, kernel: 3, padding: 1 }))
const unpaddedFn = <S extends Shape4>(x: Tensor<S>) => pipe(x, batchNorm2d(), relu, conv2d({ out: 32, kernel: 3 }))
const paddedFn = <S extends Shape4>(x: Tensor<S>) => pipe(x, batchNorm2d(), relu, conv2d({ out: 32, kernel: 3, padding: 1 }))

// flow layers: an unpadded 3×3 conv (last layer of the flow), a strided conv after relu, a pool after a conv
export const flowBad = pipe(input([N, 64, 56, 56]), denseBlock({ layers: 4, growth: 32 }, unpadded)) // error: denseBlock: each layer must give [N,32,56,56] (growth 32 at its input's N, H, W) on [N,64,56,56]
export const flowOk: Tensor<[N, 192, 56, 56]> = pipe(input([N, 64, 56, 56]), denseBlock({ layers: 4, growth: 32 }, padded))
export const stridedBad = pipe(input([N, 64, 8, 8]), denseBlock({ layers: 2, growth: 16 }, () => flow(relu, conv2d({ out: 16, kernel: 3, stride: 2, padding: 1 })))) // error: denseBlock: each layer must give [N,16,8,8] (growth 16 at its input's N, H, W) on [N,64,8,8]
export const poolBad = graphOf(pipe(input([N, 64, 8, 8]), denseBlock({ layers: 2, growth: 16 }, () => flow(conv2d({ out: 16, kernel: 1 }), maxPool2d({ kernel: 2 }))))) // error: denseBlock: each layer must give [N,16,8,8] (growth 16 at its input's N, H, W) on [N,64,8,8]
export const poolOk: Tensor<[N, 96, 8, 8]> = pipe(input([N, 64, 8, 8]), denseBlock({ layers: 2, growth: 16 }, () => flow(conv2d({ out: 16, kernel: 1 }), avgPool2d({ kernel: 3, stride: 1, padding: 1 }))))
// the conv first in the flow, and a single layer
export const firstBad = pipe(input([N, 64, 8, 8]), denseBlock({ layers: 2, growth: 16 }, () => flow(conv2d({ out: 16, kernel: 5 }), relu))) // error: denseBlock: each layer must give [N,16,8,8] (growth 16 at its input's N, H, W) on [N,64,8,8]
export const singleBad = pipe(input([N, 64, 8, 8]), denseBlock({ layers: 2, growth: 16 }, () => conv2d({ out: 16, kernel: 3 }))) // error: denseBlock: each layer must give [N,16,8,8] (growth 16 at its input's N, H, W) on [N,64,8,8]
export const singleOk: Tensor<[N, 96, 8, 8]> = pipe(input([N, 64, 8, 8]), denseBlock({ layers: 2, growth: 16 }, () => conv2d({ out: 16, kernel: 3, padding: 'same' })))
// a flow that gives other channels than the growth
export const channelsBad = pipe(input([N, 64, 8, 8]), denseBlock({ layers: 2, growth: 32 }, () => flow(conv2d({ out: 16, kernel: 3, padding: 1 }), relu))) // error: denseBlock: each layer must give [N,32,8,8] (growth 32 at its input's N, H, W) on [N,64,8,8]
// a hand-written generic layer function
export const fnBad = pipe(input([N, 64, 56, 56]), denseBlock({ layers: 4, growth: 32 }, () => unpaddedFn)) // error: denseBlock: each layer must give [N,32,56,56] (growth 32 at its input's N, H, W) on [N,64,56,56]
export const fnOk: Tensor<[N, 192, 56, 56]> = pipe(input([N, 64, 56, 56]), denseBlock({ layers: 4, growth: 32 }, () => paddedFn))
// called directly, inside an outer flow (first and last stage), shapesafe's long pipe, graphOf
export const calledBad = denseBlock({ layers: 2, growth: 32 }, unpadded)(input([N, 64, 56, 56])) // error: denseBlock: each layer must give [N,32,56,56] (growth 32 at its input's N, H, W) on [N,64,56,56]
export const nestedFirstBad = pipe(input([N, 64, 56, 56]), flow(denseBlock({ layers: 2, growth: 32 }, unpadded), relu)) // error: denseBlock: each layer must give [N,32,56,56] (growth 32 at its input's N, H, W) on [N,64,56,56]
export const nestedLastBad = pipe(input([N, 3, 56, 56]), flow(conv2d({ out: 64, kernel: 3, padding: 1 }), denseBlock({ layers: 2, growth: 32 }, unpadded))) // error: denseBlock: each layer must give [N,32,56,56] (growth 32 at its input's N, H, W) on [N,64,56,56]
export const nestedOk: Tensor<[N, 128, 56, 56]> = pipe(input([N, 3, 56, 56]), flow(conv2d({ out: 64, kernel: 3, padding: 1 }), denseBlock({ layers: 2, growth: 32 }, padded)))
export const longBad = graphOf(longPipe(input([N, 64, 56, 56]), relu, denseBlock({ layers: 2, growth: 32 }, unpadded), relu)) // error: denseBlock: each layer must give [N,32,56,56] (growth 32 at its input's N, H, W) on [N,64,56,56]
// inside a hand-written generic block: a layer that shrinks H for every input is refused where the block is written;
// a correct one stays generic and is used at two sizes
const denseIn = <S extends Shape4>(x: Tensor<S>) => pipe(x, denseBlock({ layers: 2, growth: 32 }, padded))
export const genericOk: Tensor<[N, 192, 16, 16]> = pipe(input([N, 64, 16, 16]), denseIn, denseIn)
export const genericBad = <S extends Shape4>(x: Tensor<S>) => pipe(x, denseBlock({ layers: 2, growth: 32 }, unpadded)) // error: denseBlock: each layer must give
