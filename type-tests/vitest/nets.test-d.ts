/**
 * Whole networks: the seed's AlexNet on [1, 1, 224, 224] infers every shape the seed prints (and fails on
 * [1, 1, 225, 225] at Linear(6400, 4096)); ResNet-152- and GoogLeNet-sized pipelines type-check without TS2589.
 */
import { pipe } from 'fp-ts/lib/function.js'
import { describe, expectTypeOf, test } from 'vitest'
import { conv2d, dropout, flatten, input, linear, maxPool2d, N, relu, type Tensor } from 'shapesafe'
import { b1, b2, b3, b4, b5, googlenet, googlenetOut } from '../bench/googlenet.js'
import { layer1, layer2, layer3, layer4, resnet152, resnet152Out } from '../bench/resnet152.js'

describe("the seed's AlexNet", () => {
  test('input [1, 1, 224, 224]: every printed shape', () => {
    const x0 = input([1, 1, 224, 224])
    const c1 = pipe(x0, conv2d({ in: 1, out: 96, kernel: 11, stride: 4, padding: 1 }))
    expectTypeOf(c1).toEqualTypeOf<Tensor<[1, 96, 54, 54]>>()
    const r1 = pipe(c1, relu)
    expectTypeOf(r1).toEqualTypeOf<Tensor<[1, 96, 54, 54]>>()
    const p1 = pipe(r1, maxPool2d({ kernel: 3, stride: 2 }))
    expectTypeOf(p1).toEqualTypeOf<Tensor<[1, 96, 26, 26]>>()
    const c2 = pipe(p1, conv2d({ in: 96, out: 256, kernel: 5, padding: 2 }), relu)
    expectTypeOf(c2).toEqualTypeOf<Tensor<[1, 256, 26, 26]>>()
    const p2 = pipe(c2, maxPool2d({ kernel: 3, stride: 2 }))
    expectTypeOf(p2).toEqualTypeOf<Tensor<[1, 256, 12, 12]>>()
    const c3 = pipe(p2, conv2d({ in: 256, out: 384, kernel: 3, padding: 1 }), relu)
    expectTypeOf(c3).toEqualTypeOf<Tensor<[1, 384, 12, 12]>>()
    const c4 = pipe(c3, conv2d({ in: 384, out: 384, kernel: 3, padding: 1 }), relu)
    expectTypeOf(c4).toEqualTypeOf<Tensor<[1, 384, 12, 12]>>()
    const c5 = pipe(c4, conv2d({ in: 384, out: 256, kernel: 3, padding: 1 }), relu)
    expectTypeOf(c5).toEqualTypeOf<Tensor<[1, 256, 12, 12]>>()
    const p5 = pipe(c5, maxPool2d({ kernel: 3, stride: 2 }))
    expectTypeOf(p5).toEqualTypeOf<Tensor<[1, 256, 5, 5]>>()
    const f = pipe(p5, flatten)
    expectTypeOf(f).toEqualTypeOf<Tensor<[1, 6400]>>()
    const l1 = pipe(f, linear({ in: 6400, out: 4096 }), relu, dropout({ p: 0.5 }))
    expectTypeOf(l1).toEqualTypeOf<Tensor<[1, 4096]>>()
    const l2 = pipe(l1, linear({ in: 4096, out: 4096 }), relu, dropout({ p: 0.5 }))
    expectTypeOf(l2).toEqualTypeOf<Tensor<[1, 4096]>>()
    expectTypeOf(pipe(l2, linear({ in: 4096, out: 10 }))).toEqualTypeOf<Tensor<[1, 10]>>()
  })

  test('one pipe of all layers, and the 225×225 input fails at Linear(6400, 4096)', () => {
    const alexnet = <S extends [1, 1, number, number]>(x: Tensor<S>) =>
      pipe(
        x,
        conv2d({ out: 96, kernel: 11, stride: 4, padding: 1 }),
        relu,
        maxPool2d({ kernel: 3, stride: 2 }),
        conv2d({ out: 256, kernel: 5, padding: 2 }),
        relu,
        maxPool2d({ kernel: 3, stride: 2 }),
        conv2d({ out: 384, kernel: 3, padding: 1 }),
        relu,
        conv2d({ out: 384, kernel: 3, padding: 1 }),
        relu,
        conv2d({ out: 256, kernel: 3, padding: 1 }),
        relu,
        maxPool2d({ kernel: 3, stride: 2 }),
        flatten,
      )
    expectTypeOf(alexnet(input([1, 1, 224, 224]))).toEqualTypeOf<Tensor<[1, 6400]>>()
    expectTypeOf(alexnet(input([1, 1, 225, 225]))).toEqualTypeOf<Tensor<[1, 9216]>>()
    expectTypeOf(pipe(input([1, 1, 224, 224]), alexnet, linear({ in: 6400, out: 4096 }))).toEqualTypeOf<Tensor<[1, 4096]>>()
    // @ts-expect-error linear: expected 6400 input features, got 9216
    pipe(input([1, 1, 225, 225]), alexnet, linear({ in: 6400, out: 4096 }))
  })
})

describe('deep pipelines (no TS2589)', () => {
  test('ResNet-152: stages [3, 8, 36, 3] of generic bottleneck blocks', () => {
    const stem = input([N, 64, 56, 56])
    const s1 = pipe(stem, layer1)
    expectTypeOf(s1).toEqualTypeOf<Tensor<[N, 256, 56, 56]>>()
    const s2 = pipe(s1, layer2)
    expectTypeOf(s2).toEqualTypeOf<Tensor<[N, 512, 28, 28]>>()
    const s3 = pipe(s2, layer3)
    expectTypeOf(s3).toEqualTypeOf<Tensor<[N, 1024, 14, 14]>>()
    expectTypeOf(pipe(s3, layer4)).toEqualTypeOf<Tensor<[N, 2048, 7, 7]>>()
    expectTypeOf(resnet152Out).toEqualTypeOf<Tensor<[N, 1000]>>()
    expectTypeOf(resnet152).returns.toEqualTypeOf<Tensor<[N, 1000]>>()
    // odd input sizes round through every stride-2 stage: 225 → 113 → 57 → 57 → 29 → 15 → 8
    expectTypeOf(pipe(input([N, 64, 57, 57]), layer1, layer2, layer3, layer4)).toEqualTypeOf<Tensor<[N, 2048, 8, 8]>>()
    // @ts-expect-error layer2 needs 256 input channels
    pipe(stem, layer2)
  })

  test("GoogLeNet: the seed's printed shapes for [1, 1, 96, 96]", () => {
    const g1 = pipe(input([1, 1, 96, 96]), b1)
    expectTypeOf(g1).toEqualTypeOf<Tensor<[1, 64, 24, 24]>>()
    const g2 = pipe(g1, b2)
    expectTypeOf(g2).toEqualTypeOf<Tensor<[1, 192, 12, 12]>>()
    const g3 = pipe(g2, b3)
    expectTypeOf(g3).toEqualTypeOf<Tensor<[1, 480, 6, 6]>>()
    const g4 = pipe(g3, b4)
    expectTypeOf(g4).toEqualTypeOf<Tensor<[1, 832, 3, 3]>>()
    expectTypeOf(pipe(g4, b5)).toEqualTypeOf<Tensor<[1, 1024]>>()
    expectTypeOf(googlenetOut).toEqualTypeOf<Tensor<[N, 10]>>()
    expectTypeOf(googlenet).returns.toEqualTypeOf<Tensor<[N, 10]>>()
  })
})
