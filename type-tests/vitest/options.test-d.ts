/**
 * Issue 11 §3 and §7: options that feed a check keep their literal (`prod`), `batchNorm1d`, and layer types that
 * print in reading order. The rejected forms (a plain `number`) are negative fixtures in
 * type-tests/negative/options-literal.ts, asserted with their verdict text under TS 5.9 and 7.
 */
import { flow, pipe } from 'fp-ts/lib/function.js'
import { describe, expectTypeOf, test } from 'vitest'
import {
  batchNorm1d,
  batchNorm2d,
  conv2d,
  flatten,
  input,
  linear,
  N,
  prod,
  relu,
  sigmoid,
  type BatchNorm1d,
  type Linear,
  type Shape4,
  type Tensor,
} from 'shapesafe'

describe('prod keeps the literal', () => {
  test('prod(16, 5, 5) is 400 and prod(512, 7, 7) is 25088', () => {
    expectTypeOf(prod(16, 5, 5)).toEqualTypeOf<400>()
    expectTypeOf(prod(512, 7, 7)).toEqualTypeOf<25088>()
    expectTypeOf(prod(4096)).toEqualTypeOf<4096>()
    expectTypeOf(prod()).toEqualTypeOf<1>()
  })
  test('a generic factor stays a formula; a number factor gives number', () => {
    const f = <C extends number>(c: C) => prod(c, 7, 7)
    expectTypeOf(f(512)).toEqualTypeOf<25088>()
    expectTypeOf(prod(3 as number, 4)).toEqualTypeOf<number>()
  })
  test('linear({ in: prod(16, 5, 5) }) keeps the check on (LeNet, the seed writes 16 * 5 * 5)', () => {
    expectTypeOf(pipe(input([N, 16, 5, 5]), flatten, linear({ in: prod(16, 5, 5), out: 120 }))).toEqualTypeOf<Tensor<[N, 120]>>()
    // @ts-expect-error linear: expected 400 input features, got 256 (the check is on)
    pipe(input([N, 16, 4, 4]), flatten, linear({ in: prod(16, 5, 5), out: 120 }))
    // @ts-expect-error the same in a flow (VGG's head, 512 * 7 * 7)
    pipe(input([N, 512, 14, 14]), flow(flatten, linear({ in: prod(512, 7, 7), out: 4096 }), relu))
  })
  test('omitting in takes the features from the input (the explicit opt-out)', () => {
    expectTypeOf(pipe(input([N, 16, 4, 4]), flatten, linear({ out: 120 }))).toEqualTypeOf<Tensor<[N, 120]>>()
    expectTypeOf(pipe(input([N, 64, 8, 8]), batchNorm2d())).toEqualTypeOf<Tensor<[N, 64, 8, 8]>>()
    expectTypeOf(pipe(input([N, 3, 8, 8]), conv2d({ out: 4, kernel: 3 }))).toEqualTypeOf<Tensor<[N, 4, 6, 6]>>()
  })
  test('conv2d in and batchNorm features accept prod and literals', () => {
    expectTypeOf(pipe(input([N, 6, 8, 8]), conv2d({ in: prod(2, 3), out: 4, kernel: 1 }))).toEqualTypeOf<Tensor<[N, 4, 8, 8]>>()
    expectTypeOf(pipe(input([N, 64, 8, 8]), batchNorm2d({ features: prod(32, 2) }))).toEqualTypeOf<Tensor<[N, 64, 8, 8]>>()
    expectTypeOf(pipe(input([N, 120]), batchNorm1d({ features: prod(12, 10) }))).toEqualTypeOf<Tensor<[N, 120]>>()
  })
  test('a generic size (a block parameter) is not a plain number: it is accepted, decided at the use', () => {
    const head = <F extends number>(features: F) => linear({ in: features, out: 10 })
    expectTypeOf(pipe(input([N, 84]), head(84))).toEqualTypeOf<Tensor<[N, 10]>>()
    // @ts-expect-error linear: expected 84 input features, got 120
    pipe(input([N, 120]), head(84))
    const bn1 = <F extends number>(features: F) => batchNorm1d({ features })
    expectTypeOf(pipe(input([N, 84]), bn1(84))).toEqualTypeOf<Tensor<[N, 84]>>()
    const convIn = <C extends number>(c: C) => conv2d({ in: c, out: 8, kernel: 1 })
    expectTypeOf(pipe(input([N, 3, 4, 4]), convIn(3))).toEqualTypeOf<Tensor<[N, 8, 4, 4]>>()
  })
})

describe('batchNorm1d', () => {
  test('keeps [N, F] and checks F against features', () => {
    expectTypeOf(pipe(input([N, 120]), batchNorm1d({ features: 120 }))).toEqualTypeOf<Tensor<[N, 120]>>()
    expectTypeOf(pipe(input([N, 120]), batchNorm1d())).toEqualTypeOf<Tensor<[N, 120]>>()
    // @ts-expect-error batchNorm1d: expected 84 features, got 120
    pipe(input([N, 120]), batchNorm1d({ features: 84 }))
    // @ts-expect-error batchNorm1d on an image batch: [N, F] expected
    pipe(input([N, 16, 5, 5]), batchNorm1d())
  })
  test("the BatchNorm chapter's LeNet: BatchNorm1d after the Linear layers, in pipe and flow", () => {
    const y = pipe(
      input([N, 16, 4, 4]),
      flatten,
      linear({ in: prod(16, 4, 4), out: 120 }), batchNorm1d({ features: 120 }), sigmoid,
      linear({ in: 120, out: 84 }), batchNorm1d({ features: 84 }), sigmoid,
      linear({ in: 84, out: 10 }),
    )
    expectTypeOf(y).toEqualTypeOf<Tensor<[N, 10]>>()
    const tail = flow(linear({ out: 84 }), batchNorm1d({ features: 84 }), sigmoid, linear({ in: 84, out: 10 }))
    expectTypeOf(pipe(input([N, 120]), tail)).toEqualTypeOf<Tensor<[N, 10]>>()
    // @ts-expect-error batchNorm1d: expected 84 features, got 120 (the first of two BatchNorms)
    pipe(input([N, 256]), linear({ in: 256, out: 120 }), batchNorm1d({ features: 84 }), linear({ out: 84 }), batchNorm1d({ features: 84 }))
    // @ts-expect-error batchNorm1d: expected 120 features, got 84 (the last one)
    pipe(input([N, 256]), linear({ in: 256, out: 120 }), batchNorm1d({ features: 120 }), linear({ out: 84 }), batchNorm1d({ features: 120 }))
  })
  test('generic over the shape', () => {
    const block = <S extends [N, number]>(x: Tensor<S>) => pipe(x, batchNorm1d(), relu)
    expectTypeOf(pipe(input([N, 7]), block)).toEqualTypeOf<Tensor<[N, 7]>>()
  })
  test('its type reads BatchNorm1d<F>', () => {
    expectTypeOf(batchNorm1d({ features: 120 })).toEqualTypeOf<BatchNorm1d<120>>()
  })
})

describe('types print in reading order', () => {
  test('Linear<In, Out> as nn.Linear(in, out)', () => {
    expectTypeOf(linear({ in: 6400, out: 4096 })).toEqualTypeOf<Linear<6400, 4096>>()
    expectTypeOf(linear({ out: 10 })).toEqualTypeOf<Linear<never, 10>>()
    const f = <S extends Shape4>(x: Tensor<S>) => pipe(x, flatten)
    expectTypeOf(pipe(input([N, 1, 2, 2]), f, linear({ in: 4, out: 3 }))).toEqualTypeOf<Tensor<[N, 3]>>()
  })
})
