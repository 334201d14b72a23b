/**
 * Forms of user code found refused by the independent trial of issue 11 (type-tests/negative/trial6.ts): a block that
 * repeats its channel parameter as a later conv's `in` (the seed's `vgg_block(num_convs, in_channels, out_channels)`)
 * stays exact, and `input` takes a shape kept in a variable `as const`. (Wrappers generic in a layer's options are
 * tested in type-tests/negative/option-keys.ts.)
 */
import { flow, pipe } from 'fp-ts/lib/function.js'
import { describe, expectTypeOf, test } from 'vitest'
import {
  conv2d,
  input,
  maxPool2d,
  N,
  relu,
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
