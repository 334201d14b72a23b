/**
 * Forms of user code found refused by the independent trial of issue 11 (type-tests/negative/trial6.ts): a block that
 * repeats its channel parameter as a later conv's `in` (the seed's `vgg_block(num_convs, in_channels, out_channels)`)
 * stays exact, and `input` takes a shape kept in a variable `as const`; and a correct program through a generic
 * options wrapper stays exact (the wrapper's options are checked where it is called: the refused calls are in
 * type-tests/negative/wrappers.ts and option-keys.ts).
 */
import { flow, pipe } from 'fp-ts/lib/function.js'
import { describe, expectTypeOf, test } from 'vitest'
import {
  avgPool2d,
  conv2d,
  flatten,
  input,
  linear,
  maxPool2d,
  N,
  relu,
  type AvgPool2dOptions,
  type Conv2dOptions,
  type Pool2dOptions,
  type Shape4,
  type Tensor,
} from 'shapesafe'

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

describe('a generic options wrapper', () => {
  const conv = <const O extends Conv2dOptions>(o: O) => conv2d(o)
  const padded = <const O extends Conv2dOptions>(o: O) => conv2d({ ...o, padding: 1 })
  const convRelu = <const O extends Conv2dOptions>(o: O) => flow(conv2d(o), relu)
  const pool = <const O extends Pool2dOptions>(o: O) => maxPool2d(o)
  const avg = <const O extends AvgPool2dOptions>(o: O) => avgPool2d(o)
  const fixedKernel = <const K extends number>(k: K) => conv2d({ out: 8, kernel: k })

  test('a const wrapper is exact, in pipe and in flow, first and last stage, at two sizes', () => {
    expectTypeOf(pipe(input([N, 3, 32, 32]), conv({ out: 8, kernel: 3, padding: 1 }))).toEqualTypeOf<Tensor<[N, 8, 32, 32]>>()
    expectTypeOf(pipe(input([N, 3, 32, 32]), conv({ out: 16, kernel: 3, padding: 1 }), conv({ out: 32, kernel: 3, stride: 2, padding: 1 }))).toEqualTypeOf<
      Tensor<[N, 32, 16, 16]>
    >()
    expectTypeOf(pipe(input([N, 3, 32, 32]), flow(conv({ out: 8, kernel: 3 }), relu, conv({ out: 4, kernel: 1 })))).toEqualTypeOf<Tensor<[N, 4, 30, 30]>>()
    expectTypeOf(pipe(input([N, 3, 32, 32]), convRelu({ out: 8, kernel: 3, padding: 'same' }), convRelu({ out: 8, kernel: 3, stride: 2 }))).toEqualTypeOf<
      Tensor<[N, 8, 15, 15]>
    >()
  })
  test('a spreading wrapper, a fixed part and the pools are exact', () => {
    expectTypeOf(pipe(input([N, 3, 32, 32]), padded({ out: 8, kernel: 3 }))).toEqualTypeOf<Tensor<[N, 8, 32, 32]>>()
    expectTypeOf(pipe(input([N, 3, 32, 32]), fixedKernel(3), fixedKernel(5))).toEqualTypeOf<Tensor<[N, 8, 26, 26]>>()
    expectTypeOf(pipe(input([N, 3, 32, 32]), pool({ kernel: 3, stride: 2, padding: 1 }), avg({ kernel: 2, ceilMode: true }))).toEqualTypeOf<
      Tensor<[N, 3, 8, 8]>
    >()
    expectTypeOf(pipe(input([N, 3, 8, 8]), flow(conv({ out: 4, kernel: 3, padding: 1 }), pool({ kernel: 2 }), flatten, linear({ in: 64, out: 10 })))).toEqualTypeOf<
      Tensor<[N, 10]>
    >()
  })
  test('a wrapper called with a mistake is refused at its call', () => {
    // @ts-expect-error conv2d: unknown option 'paddding'
    pipe(input([N, 3, 32, 32]), conv({ out: 8, kernel: 3, paddding: 1 }))
    const plainConv = <O extends Conv2dOptions>(o: O) => conv2d(o)
    // @ts-expect-error conv2d: out is a plain number (the wrapper's type parameter is not const)
    pipe(input([N, 3, 32, 32]), plainConv({ out: 8, kernel: 3, padding: 1 }))
  })
})
