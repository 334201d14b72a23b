/**
 * User code that wraps a layer in its own generic function (found by the independent trial of issue 11,
 * type-tests/negative/trial6.ts): `<const O extends Conv2dOptions>(o: O) => conv2d(o)` and its siblings compile and give
 * exact shapes, and a block that repeats its own channel parameter as a later conv's `in` (the seed's
 * `vgg_block(num_convs, in_channels, out_channels)`) stays exact. The option checks of a wrapper whose parameter is a
 * bare `O` are made when the layer is created (a `LayerOptionsError`); a wrapper typed `ValidConv2dOptions<O>` keeps
 * them in its own signature. `input` takes a shape kept in a variable `as const`.
 */
import { flow, pipe } from 'fp-ts/lib/function.js'
import { describe, expectTypeOf, test } from 'vitest'
import {
  adaptiveAvgPool2d,
  avgPool2d,
  batchNorm2d,
  conv2d,
  input,
  maxPool2d,
  N,
  relu,
  type AdaptiveAvgPool2dOptions,
  type AvgPool2dOptions,
  type Conv2dOptions,
  type Pool2dOptions,
  type Shape4,
  type Tensor,
  type ValidConv2dOptions,
} from 'shapesafe'

describe('a layer wrapped in a function generic in its options', () => {
  test('conv2d: bare O, in a flow, and typed ValidConv2dOptions<O>', () => {
    const conv = <const O extends Conv2dOptions>(o: O) => conv2d(o)
    const convBnRelu = <const O extends Conv2dOptions>(o: O) => flow(conv2d(o), batchNorm2d(), relu)
    const checked = <const O extends Conv2dOptions>(o: ValidConv2dOptions<O>) => conv2d(o)
    expectTypeOf(pipe(input([N, 3, 32, 32]), conv({ out: 8, kernel: 3, padding: 1 }))).toEqualTypeOf<Tensor<[N, 8, 32, 32]>>()
    expectTypeOf(pipe(input([N, 3, 32, 32]), conv({ out: 8, kernel: 5, padding: 'same' }))).toEqualTypeOf<Tensor<[N, 8, 32, 32]>>()
    expectTypeOf(pipe(input([N, 3, 32, 32]), convBnRelu({ out: 16, kernel: 3, stride: 2, padding: 1 }))).toEqualTypeOf<
      Tensor<[N, 16, 16, 16]>
    >()
    expectTypeOf(pipe(input([N, 3, 32, 32]), checked({ out: 8, kernel: 3, stride: 2, padding: 1 }))).toEqualTypeOf<Tensor<[N, 8, 16, 16]>>()
    // The wrapper typed with ValidConv2dOptions keeps every option check at its call.
    // @ts-expect-error conv2d: padding 'same' needs stride 1
    checked({ out: 8, kernel: 3, stride: 2, padding: 'same' })
    // @ts-expect-error conv2d: stride must be at least 1, got 0
    checked({ out: 8, kernel: 3, stride: 0 })
    // @ts-expect-error conv2d: unknown option 'paddding'
    checked({ out: 8, kernel: 3, paddding: 1 })
    // @ts-expect-error conv2d: in is a plain number
    checked({ out: 8, kernel: 3, in: 3 as number })
  })
  test('the wrapped conv still checks its input where applied', () => {
    const conv = <const O extends Conv2dOptions>(o: O) => conv2d(o)
    // @ts-expect-error conv2d: expected 4 input channels, got 3
    pipe(input([N, 3, 32, 32]), conv({ in: 4, out: 8, kernel: 3 }))
    // @ts-expect-error conv2d: kernel larger than padded input
    pipe(input([N, 3, 4, 4]), conv({ out: 8, kernel: 7 }))
  })
  test('pools and adaptive pooling', () => {
    const max = <const O extends Pool2dOptions>(o: O) => maxPool2d(o)
    const avg = <const O extends AvgPool2dOptions>(o: O) => avgPool2d(o)
    const adaptive = <const O extends AdaptiveAvgPool2dOptions>(o: O) => adaptiveAvgPool2d(o)
    expectTypeOf(pipe(input([N, 3, 32, 32]), max({ kernel: 3, stride: 2, padding: 1 }))).toEqualTypeOf<Tensor<[N, 3, 16, 16]>>()
    expectTypeOf(pipe(input([N, 3, 7, 7]), avg({ kernel: 2, ceilMode: true }))).toEqualTypeOf<Tensor<[N, 3, 4, 4]>>()
    expectTypeOf(pipe(input([N, 3, 7, 7]), adaptive({ output: 1 }))).toEqualTypeOf<Tensor<[N, 3, 1, 1]>>()
  })
})

describe('input from a shape kept in a variable', () => {
  test('a readonly tuple (as const) gives the same tensor as the literal', () => {
    const shape = [N, 1, 28, 28] as const
    expectTypeOf(input(shape)).toEqualTypeOf<Tensor<[N, 1, 28, 28]>>()
    expectTypeOf(input([N, 1, 28, 28])).toEqualTypeOf<Tensor<[N, 1, 28, 28]>>()
    expectTypeOf(pipe(input(shape), conv2d({ out: 6, kernel: 5, padding: 2 }))).toEqualTypeOf<Tensor<[N, 6, 28, 28]>>()
    // @ts-expect-error conv2d: expected 3 input channels, got 1
    pipe(input(shape), conv2d({ in: 3, out: 6, kernel: 5 }))
  })
})

describe('a block that repeats its channel parameter as a later `in`', () => {
  test('the seed vgg_block with in_channels: exact in a flow and a hand-written block, const or not', () => {
    const vggBlock2 = <const I extends number, const O extends number>(i: I, o: O) =>
      flow(conv2d({ in: i, out: o, kernel: 3, padding: 1 }), relu, conv2d({ in: o, out: o, kernel: 3, padding: 1 }), relu, maxPool2d({ kernel: 2 }))
    const plain = <I extends number, O extends number>(i: I, o: O) =>
      flow(conv2d({ in: i, out: o, kernel: 3, padding: 1 }), relu, conv2d({ in: o, out: o, kernel: 3, padding: 1 }), relu)
    const handWritten =
      <O extends number>(o: O) =>
      <S extends Shape4>(x: Tensor<S>) =>
        pipe(x, conv2d({ out: o, kernel: 3, padding: 1 }), relu, conv2d({ in: o, out: o, kernel: 3, padding: 1 }), relu)
    expectTypeOf(pipe(input([N, 1, 32, 32]), vggBlock2(1, 64), vggBlock2(64, 128))).toEqualTypeOf<Tensor<[N, 128, 8, 8]>>()
    expectTypeOf(pipe(input([N, 1, 32, 32]), plain(1, 64), relu)).toEqualTypeOf<Tensor<[N, 64, 32, 32]>>()
    expectTypeOf(pipe(input([N, 1, 32, 32]), handWritten(16), relu)).toEqualTypeOf<Tensor<[N, 16, 32, 32]>>()
    // A wrong in_channels is still reported where the block is applied.
    // @ts-expect-error conv2d: expected 128 input channels, got 64
    pipe(input([N, 1, 32, 32]), vggBlock2(1, 64), vggBlock2(128, 256), relu)
  })
})
