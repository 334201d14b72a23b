/**
 * Issue 11: exact symbolic sizes for named dims, generic channel blocks without false errors, and generic blocks
 * whose paths differ rejected in either argument order.
 */
import { flow, pipe } from 'fp-ts/lib/function.js'
import { describe, expectTypeOf, test } from 'vitest'
import { add, avgPool2d, batchNorm1d, batchNorm2d, concat, conv2d, denseBlock, dim, flatten, input, linear, maxPool2d, N, parallel, relu, residual, type InvalidDim, type Named, type Shape4, type Sym, type Tensor } from 'shapesafe'

interface H extends Named<'H'> {}
const H = dim<H>('H')
interface W extends Named<'W'> {}
const W = dim<W>('W')

describe("dim('H') without an interface of its own is the named dim Named<'H'> (as the issue and the guides write it)", () => {
  test('its name is kept, through layers, strides, joins and a mismatch verdict', () => {
    const Hn = dim('H')
    const Wn = dim('W')
    expectTypeOf(Hn).toEqualTypeOf<Named<'H'>>()
    const x = input([N, 16, Hn, Wn])
    expectTypeOf(x).toEqualTypeOf<Tensor<[N, 16, Named<'H'>, Named<'W'>]>>()
    expectTypeOf(pipe(x, relu, conv2d({ out: 16, kernel: 3, padding: 1 }))).toEqualTypeOf<Tensor<[N, 16, Named<'H'>, Named<'W'>]>>()
    expectTypeOf(pipe(x, conv2d({ out: 8, kernel: 3, stride: 2, padding: 1 })).shape[2]).toEqualTypeOf<Sym<'⌈H/2⌉', 'H', -1, 2>>()
    expectTypeOf(pipe(x, maxPool2d({ kernel: 2 })).shape[3]).toEqualTypeOf<Sym<'⌊W/2⌋', 'W', -2, 2>>()
    // the same sizes as with an interface of its own: the two spellings are interchangeable
    expectTypeOf(add(input([N, 16, H, W]), x)).toEqualTypeOf<Tensor<[N, 16, H, W]>>()
    const block = <S extends Shape4>(t: Tensor<S>) => add(pipe(t, conv2d({ out: 16, kernel: 3, padding: 1 })), t)
    expectTypeOf(pipe(x, block)).toEqualTypeOf<Tensor<[N, 16, Named<'H'>, Named<'W'>]>>()
    // @ts-expect-error add: [N,16,H,W] vs [N,8,H,W]
    pipe(input([N, 8, Hn, Wn]), block, relu)
    // @ts-expect-error add: H differs (⌈H/2⌉ vs H)
    add(pipe(x, conv2d({ out: 16, kernel: 3, stride: 2, padding: 1 })), x)
  })
})

describe('named dims keep an exact formula through strided layers', () => {
  test('3×3/s2/p1 gives ⌈H/2⌉, a 2×2 pool ⌊H/2⌋, stride-1 layers H−2', () => {
    const x = input([N, 3, H, W])
    expectTypeOf(pipe(x, conv2d({ out: 8, kernel: 3, stride: 2, padding: 1 })).shape[2]).toEqualTypeOf<Sym<'⌈H/2⌉', 'H', -1, 2>>()
    expectTypeOf(pipe(x, maxPool2d({ kernel: 2 })).shape[2]).toEqualTypeOf<Sym<'⌊H/2⌋', 'H', -2, 2>>()
    expectTypeOf(pipe(x, conv2d({ out: 8, kernel: 3 })).shape[3]).toEqualTypeOf<Sym<'W−2', 'W', -3, 1>>()
    expectTypeOf(pipe(x, conv2d({ out: 8, kernel: 3, padding: 1 })).shape[2]).toEqualTypeOf<H>()
  })
  test('chains compose: two stride-2 layers equal one stride-4 window, in either order of add', () => {
    const x = input([N, 3, H, W])
    const twice = pipe(x, conv2d({ out: 8, kernel: 3, stride: 2, padding: 1 }), conv2d({ out: 8, kernel: 3, stride: 2, padding: 1 }))
    expectTypeOf(twice.shape[2]).toEqualTypeOf<Sym<'⌈H/4⌉', 'H', -1, 4>>()
    const once = pipe(x, conv2d({ out: 8, kernel: 7, stride: 4, padding: 3 }))
    expectTypeOf(add(twice, once)).toEqualTypeOf(twice)
    expectTypeOf(add(once, twice)).toEqualTypeOf(once)
    // @ts-expect-error add: H differs (⌈H/4⌉ vs ⌈H/2⌉)
    add(twice, pipe(x, conv2d({ out: 8, kernel: 3, stride: 2, padding: 1 })))
    // @ts-expect-error and the other way round
    add(pipe(x, conv2d({ out: 8, kernel: 3, stride: 2, padding: 1 })), twice)
  })
  test('a ResNet-D shortcut (avgPool 2/2 ceil + 1×1 conv) equals the 3×3/s2/p1 main path', () => {
    const x = input([N, 64, H, W])
    const main = pipe(x, conv2d({ out: 128, kernel: 3, stride: 2, padding: 1 }))
    const shortcut = pipe(x, avgPool2d({ kernel: 2, stride: 2, ceilMode: true }), conv2d({ out: 128, kernel: 1 }))
    expectTypeOf(add(main, shortcut)).toEqualTypeOf(main)
    expectTypeOf(add(shortcut, main)).toEqualTypeOf(shortcut)
    // and at numbers, odd and even
    expectTypeOf(pipe(input([N, 64, 7, 8]), avgPool2d({ kernel: 2, stride: 2, ceilMode: true }))).toEqualTypeOf<Tensor<[N, 64, 4, 4]>>()
    expectTypeOf(pipe(input([N, 64, 7, 8]), conv2d({ out: 64, kernel: 3, stride: 2, padding: 1 }))).toEqualTypeOf<Tensor<[N, 64, 4, 4]>>()
  })
})

describe('generic blocks', () => {
  test('a conv-BN helper generic over its channels compiles and checks at numbers', () => {
    const convBn = <C extends number>(c: C) => flow(conv2d({ out: c, kernel: 3, padding: 1 }), batchNorm2d({ features: c }))
    expectTypeOf(pipe(input([N, 3, 8, 8]), convBn(16))).toEqualTypeOf<Tensor<[N, 16, 8, 8]>>()
    const residualBn = <C extends number>(c: C) => <S extends Shape4>(x: Tensor<S>) => pipe(x, conv2d({ out: c, kernel: 1 }), batchNorm2d({ features: c }), relu)
    expectTypeOf(pipe(input([N, 3, 5, 5]), residualBn(4))).toEqualTypeOf<Tensor<[N, 4, 5, 5]>>()
  })
  test('paths with different strides are rejected inside the block, in either order', () => {
    const ok = <S extends Shape4>(x: Tensor<S>) => add(pipe(x, conv2d({ out: 8, kernel: 3, stride: 2, padding: 1 })), pipe(x, conv2d({ out: 8, kernel: 1, stride: 2 })))
    expectTypeOf(pipe(input([N, 3, 8, 8]), ok)).toEqualTypeOf<Tensor<[N, 8, 4, 4]>>()
    expectTypeOf(pipe(input([N, 3, 9, 9]), ok)).toEqualTypeOf<Tensor<[N, 8, 5, 5]>>()
    const bad1 = <S extends Shape4>(x: Tensor<S>) =>
      // @ts-expect-error stride 1 vs stride 2
      add(pipe(x, conv2d({ out: 8, kernel: 1 })), pipe(x, conv2d({ out: 8, kernel: 1, stride: 2 })))
    const bad2 = <S extends Shape4>(x: Tensor<S>) =>
      // @ts-expect-error stride 2 vs stride 1
      add(pipe(x, conv2d({ out: 8, kernel: 1, stride: 2 })), pipe(x, conv2d({ out: 8, kernel: 1 })))
    void bad1
    void bad2
  })
})

describe('reusable blocks of generic flows stay generic and check where applied', () => {
  test('parallel, residual and denseBlock of flows, the same block at two sizes', () => {
    const inception = parallel(flow(conv2d({ out: 8, kernel: 1 }), relu), flow(conv2d({ out: 4, kernel: 3, padding: 1 }), relu), flow(maxPool2d({ kernel: 3, stride: 1, padding: 1 }), conv2d({ out: 2, kernel: 1 })))
    expectTypeOf(pipe(input([N, 3, 8, 8]), inception)).toEqualTypeOf<Tensor<[N, 14, 8, 8]>>()
    expectTypeOf(pipe(input([N, 3, 5, 9]), inception)).toEqualTypeOf<Tensor<[N, 14, 5, 9]>>()
    const down = residual(flow(conv2d({ out: 8, kernel: 3, stride: 2, padding: 1 }), batchNorm2d(), relu), conv2d({ out: 8, kernel: 1, stride: 2 }))
    expectTypeOf(pipe(input([N, 3, 8, 8]), down)).toEqualTypeOf<Tensor<[N, 8, 4, 4]>>()
    expectTypeOf(pipe(input([N, 3, 7, 9]), down)).toEqualTypeOf<Tensor<[N, 8, 4, 5]>>()
    const resnetD = residual(conv2d({ out: 8, kernel: 3, stride: 2, padding: 1 }), flow(avgPool2d({ kernel: 2, stride: 2, ceilMode: true }), conv2d({ out: 8, kernel: 1 })))
    expectTypeOf(pipe(input([N, 3, 7, 7]), resnetD)).toEqualTypeOf<Tensor<[N, 8, 4, 4]>>()
    const dense = denseBlock({ layers: 2, growth: 4 }, () => flow(batchNorm2d(), relu, conv2d({ out: 4, kernel: 3, padding: 1 })))
    expectTypeOf(pipe(input([N, 8, 6, 6]), dense)).toEqualTypeOf<Tensor<[N, 16, 6, 6]>>()
    // nested: the residual block inside an Inception branch
    const nested = parallel(down, flow(maxPool2d({ kernel: 3, stride: 2, padding: 1 }), conv2d({ out: 8, kernel: 1 })))
    expectTypeOf(pipe(input([N, 3, 9, 9]), nested)).toEqualTypeOf<Tensor<[N, 16, 5, 5]>>()
    // @ts-expect-error parallel: branch 2 gives H 5, branch 1 gives 4
    pipe(input([N, 3, 8, 8]), parallel(down, conv2d({ out: 8, kernel: 4 })))
  })
})

describe('generic blocks decide equal sizes by their normal form, however the chains are written', () => {
  // ⌊(H + a)/s⌋ + 1: two 3×3/s2/p1 convs and one 1×1/s4 conv are both (a, s) = (−1, 4); the ResNet-D shortcut
  // (avgPool 2/2 ceil + 1×1) and a 3×3/s2/p1 conv are both (−1, 2).
  const twice = flow(conv2d({ out: 8, kernel: 3, stride: 2, padding: 1 }), conv2d({ out: 8, kernel: 3, stride: 2, padding: 1 }))
  const once = conv2d({ out: 8, kernel: 1, stride: 4 })
  const down = conv2d({ out: 8, kernel: 3, stride: 2, padding: 1 })
  const resnetD = flow(avgPool2d({ kernel: 2, stride: 2, ceilMode: true }), conv2d({ out: 8, kernel: 1 }))

  test('add and concat accept two stride-2 convs against one stride-4 conv, in either order', () => {
    const ab = <S extends Shape4>(x: Tensor<S>) => add(pipe(x, twice), pipe(x, once))
    const ba = <S extends Shape4>(x: Tensor<S>) => add(pipe(x, once), pipe(x, twice))
    const cat = <S extends Shape4>(x: Tensor<S>) => concat(pipe(x, once), pipe(x, twice), pipe(x, conv2d({ out: 4, kernel: 5, stride: 4, padding: 2 })))
    expectTypeOf(pipe(input([N, 3, 16, 16]), ab)).toEqualTypeOf<Tensor<[N, 8, 4, 4]>>()
    expectTypeOf(pipe(input([N, 3, 17, 13]), ba)).toEqualTypeOf<Tensor<[N, 8, 5, 4]>>()
    expectTypeOf(pipe(input([N, 3, 17, 13]), cat)).toEqualTypeOf<Tensor<[N, 20, 5, 4]>>()
    // the same block used at two sizes, and in a flow
    const two = flow(ab, relu, ba)
    expectTypeOf(pipe(input([N, 3, 64, 48]), two)).toEqualTypeOf<Tensor<[N, 8, 4, 3]>>()
    expectTypeOf(pipe(input([N, 3, 33, 32]), ab, ab)).toEqualTypeOf<Tensor<[N, 8, 3, 2]>>()
  })

  test('a ResNet-D shortcut agrees with the 3×3/s2/p1 main path inside a generic block, either order', () => {
    const ab = <S extends Shape4>(x: Tensor<S>) => add(pipe(x, down), pipe(x, resnetD))
    const ba = <S extends Shape4>(x: Tensor<S>) => add(pipe(x, resnetD), pipe(x, down))
    expectTypeOf(pipe(input([N, 3, 7, 8]), ab)).toEqualTypeOf<Tensor<[N, 8, 4, 4]>>()
    expectTypeOf(pipe(input([N, 3, 7, 8]), ba)).toEqualTypeOf<Tensor<[N, 8, 4, 4]>>()
  })

  test('stride-1 layers in different orders', () => {
    const block = <S extends Shape4>(x: Tensor<S>) =>
      concat(pipe(x, conv2d({ out: 8, kernel: 3 }), maxPool2d({ kernel: 2, stride: 1 })), pipe(x, maxPool2d({ kernel: 2, stride: 1 }), conv2d({ out: 8, kernel: 3 })), pipe(x, conv2d({ out: 4, kernel: 4 })))
    expectTypeOf(pipe(input([N, 3, 15, 10]), block)).toEqualTypeOf<Tensor<[N, 20, 12, 7]>>()
  })

  test('nested generic blocks', () => {
    const inner = <S extends Shape4>(x: Tensor<S>) => add(pipe(x, down), pipe(x, resnetD))
    const outer = <S extends Shape4>(x: Tensor<S>) => add(pipe(x, inner, inner), pipe(x, once))
    expectTypeOf(pipe(input([N, 3, 16, 15]), outer)).toEqualTypeOf<Tensor<[N, 8, 4, 4]>>()
  })

  test('blocks generic in channels or stride', () => {
    const inChannels = <C extends number>(c: C) => <S extends Shape4>(x: Tensor<S>) =>
      add(pipe(x, conv2d({ out: c, kernel: 3, stride: 2, padding: 1 }), conv2d({ out: c, kernel: 3, stride: 2, padding: 1 })), pipe(x, conv2d({ out: c, kernel: 1, stride: 4 })))
    expectTypeOf(pipe(input([N, 3, 16, 16]), inChannels(12))).toEqualTypeOf<Tensor<[N, 12, 4, 4]>>()
    const inStride = <St extends number>(stride: St) => <S extends Shape4>(x: Tensor<S>) =>
      add(pipe(x, conv2d({ out: 8, kernel: 3, stride, padding: 1 }), relu), pipe(x, conv2d({ out: 8, kernel: 1, stride })))
    expectTypeOf(pipe(input([N, 3, 16, 16]), inStride(2))).toEqualTypeOf<Tensor<[N, 8, 8, 8]>>()
    expectTypeOf(pipe(input([N, 3, 16, 16]), inStride(1))).toEqualTypeOf<Tensor<[N, 8, 16, 16]>>()
  })

  test('residual, parallel and denseBlock of such chains, applied inside and outside a generic block', () => {
    const res = residual(twice, once)
    const par2 = parallel(flow(twice, relu), once)
    expectTypeOf(pipe(input([N, 3, 16, 16]), res)).toEqualTypeOf<Tensor<[N, 8, 4, 4]>>()
    expectTypeOf(pipe(input([N, 3, 16, 16]), par2)).toEqualTypeOf<Tensor<[N, 16, 4, 4]>>()
    const insideRes = <S extends Shape4>(x: Tensor<S>) => pipe(x, residual(twice, once), relu)
    const insidePar = <S extends Shape4>(x: Tensor<S>) => pipe(x, parallel(down, resnetD))
    expectTypeOf(pipe(input([N, 3, 9, 9]), insideRes)).toEqualTypeOf<Tensor<[N, 8, 3, 3]>>()
    expectTypeOf(pipe(input([N, 3, 9, 9]), insidePar)).toEqualTypeOf<Tensor<[N, 16, 5, 5]>>()
    const dense = denseBlock({ layers: 2, growth: 4 }, () => <S extends Shape4>(x: Tensor<S>) => concat(pipe(x, conv2d({ out: 2, kernel: 3, padding: 1 })), pipe(x, maxPool2d({ kernel: 3, stride: 1, padding: 1 }), conv2d({ out: 2, kernel: 1 }))))
    expectTypeOf(pipe(input([N, 8, 6, 6]), dense)).toEqualTypeOf<Tensor<[N, 16, 6, 6]>>()
  })

  test('different normal forms over the same input are rejected inside the block, in either order', () => {
    const bad1 = <S extends Shape4>(x: Tensor<S>) =>
      // @ts-expect-error add: [N,8,⌊(H−1)/4⌋,⌊(W−1)/4⌋] vs [N,8,⌈H/4⌉,⌈W/4⌉]
      add(pipe(x, conv2d({ out: 8, kernel: 3, stride: 2, padding: 1 }), conv2d({ out: 8, kernel: 3, stride: 2 })), pipe(x, once))
    const bad2 = <S extends Shape4>(x: Tensor<S>) =>
      // @ts-expect-error and the other way round
      add(pipe(x, once), pipe(x, conv2d({ out: 8, kernel: 3, stride: 2, padding: 1 }), conv2d({ out: 8, kernel: 3, stride: 2 })))
    const bad3 = <S extends Shape4>(x: Tensor<S>) =>
      // @ts-expect-error concat: H differs
      concat(pipe(x, down), pipe(x, avgPool2d({ kernel: 2, stride: 2 }), conv2d({ out: 8, kernel: 1 })))
    void bad1
    void bad2
    void bad3
  })
})

describe('reusable heads are values, checked where they are used', () => {
  test('flow(flatten, linear({ in })) compiles alone and gives its out features at the right size', () => {
    const head = flow(flatten, linear({ in: 256, out: 10 }))
    expectTypeOf(pipe(input([N, 16, 4, 4]), head)).toEqualTypeOf<Tensor<[N, 10]>>()
    expectTypeOf(pipe(input([N, 256]), head)).toEqualTypeOf<Tensor<[N, 10]>>()
    // a wrong use carries the verdict in the batch dim (which every later layer keeps), and the next layer refuses it
    expectTypeOf(pipe(input([N, 16, 5, 5]), head).shape).toEqualTypeOf<[InvalidDim<'linear: expected 256 input features, got 400'>, 10]>()
    const mlp = flow(flatten, linear({ in: 256, out: 20 }), relu, linear({ out: 10 }))
    expectTypeOf(pipe(input([N, 16, 4, 4]), mlp)).toEqualTypeOf<Tensor<[N, 10]>>()
    expectTypeOf(pipe(input([N, 16, 5, 5]), mlp).shape).toEqualTypeOf<[InvalidDim<'linear: expected 256 input features, got 400'>, 10]>()
    // @ts-expect-error linear: expected 256 input features, got 400
    pipe(input([N, 16, 5, 5]), head, relu)
  })
  test('a head generic in its width, and a conv-BN helper generic in its channels', () => {
    const fcBn = <F extends number>(f: F) => flow(linear({ out: f }), batchNorm1d({ features: f }))
    expectTypeOf(pipe(input([N, 16, 4, 4]), flatten, fcBn(32), relu)).toEqualTypeOf<Tensor<[N, 32]>>()
    expectTypeOf(pipe(input([N, 8]), fcBn(3), fcBn(5))).toEqualTypeOf<Tensor<[N, 5]>>()
    const convBn = <C extends number>(c: C) => flow(conv2d({ out: c, kernel: 3, padding: 1 }), batchNorm2d({ features: c }))
    expectTypeOf(pipe(input([N, 3, 8, 8]), convBn(16), relu, convBn(4))).toEqualTypeOf<Tensor<[N, 4, 8, 8]>>()
  })
})
