/**
 * Issue 11 §7: long chains without nesting. shapesafe's `pipe` and `flow` have fp-ts's signatures up to 64 functions
 * (fp-ts stops at 19 and 9): a whole VGG-19 as one flat list of its 45 layers, and torchvision's ResNet-152 as one
 * list of its 50 blocks, infer every shape. A mistake in the middle is reported at its own argument
 * (type-tests/negative/compose.ts asserts the line and verdict under TS 5.9 and 7).
 */
import { describe, expectTypeOf, test } from 'vitest'
import {
  bottleneck,
  bottleneckDown,
  conv2d,
  dropout,
  flatten,
  flow,
  globalAvgPool2d,
  input,
  linear,
  maxPool2d,
  N,
  named,
  pipe,
  prod,
  relu,
  scope,
  sequential,
  batchNorm2d,
  type Tensor,
} from 'shapesafe'

const c3 = <const Out extends number>(out: Out) => conv2d({ out, kernel: 3, padding: 1 })
const pool = maxPool2d({ kernel: 2, stride: 2 })

describe('a whole VGG-19 in one flat list (45 layers)', () => {
  test('pipe infers every shape', () => {
    const y = pipe(
      input([N, 3, 224, 224]),
      c3(64), relu, c3(64), relu, pool,
      c3(128), relu, c3(128), relu, pool,
      c3(256), relu, c3(256), relu, c3(256), relu, c3(256), relu, pool,
      c3(512), relu, c3(512), relu, c3(512), relu, c3(512), relu, pool,
      c3(512), relu, c3(512), relu, c3(512), relu, c3(512), relu, pool,
      flatten,
      linear({ in: prod(512, 7, 7), out: 4096 }), relu, dropout({ p: 0.5 }),
      linear({ in: 4096, out: 4096 }), relu, dropout({ p: 0.5 }),
      linear({ in: 4096, out: 1000 }),
    )
    expectTypeOf(y).toEqualTypeOf<Tensor<[N, 1000]>>()
  })
  test('flow makes the same net a reusable generic function', () => {
    const features = flow(
      c3(64), relu, c3(64), relu, pool,
      c3(128), relu, c3(128), relu, pool,
      c3(256), relu, c3(256), relu, c3(256), relu, c3(256), relu, pool,
      c3(512), relu, c3(512), relu, c3(512), relu, c3(512), relu, pool,
      c3(512), relu, c3(512), relu, c3(512), relu, c3(512), relu, pool,
    )
    expectTypeOf(pipe(input([N, 3, 224, 224]), features)).toEqualTypeOf<Tensor<[N, 512, 7, 7]>>()
    expectTypeOf(pipe(input([N, 1, 96, 96]), features)).toEqualTypeOf<Tensor<[N, 512, 3, 3]>>()
  })
  test('short chains are unchanged (1 and 2 functions, the value alone)', () => {
    expectTypeOf(pipe(input([N, 3, 8, 8]))).toEqualTypeOf<Tensor<[N, 3, 8, 8]>>()
    expectTypeOf(pipe(input([N, 3, 8, 8]), relu)).toEqualTypeOf<Tensor<[N, 3, 8, 8]>>()
    expectTypeOf(pipe(input([N, 3, 8, 8]), flow(c3(4)))).toEqualTypeOf<Tensor<[N, 4, 8, 8]>>()
  })
})

describe("torchvision's ResNet-152 as one list of its blocks (stem, 50 blocks, head: 57 functions)", () => {
  test('pipe infers every shape', () => {
    const y = pipe(
      input([N, 3, 224, 224]),
      named('conv1', conv2d({ out: 64, kernel: 7, stride: 2, padding: 3, bias: false })), named('bn1', batchNorm2d()), named('relu', relu),
      named('maxpool', maxPool2d({ kernel: 3, stride: 2, padding: 1 })),
      sequential(bottleneckDown(64, 1)), sequential(bottleneck(64)), sequential(bottleneck(64)),
      sequential(bottleneckDown(128, 2)),
      sequential(bottleneck(128)), sequential(bottleneck(128)), sequential(bottleneck(128)), sequential(bottleneck(128)),
      sequential(bottleneck(128)), sequential(bottleneck(128)), sequential(bottleneck(128)),
      sequential(bottleneckDown(256, 2)),
      sequential(bottleneck(256)), sequential(bottleneck(256)), sequential(bottleneck(256)), sequential(bottleneck(256)),
      sequential(bottleneck(256)), sequential(bottleneck(256)), sequential(bottleneck(256)), sequential(bottleneck(256)),
      sequential(bottleneck(256)), sequential(bottleneck(256)), sequential(bottleneck(256)), sequential(bottleneck(256)),
      sequential(bottleneck(256)), sequential(bottleneck(256)), sequential(bottleneck(256)), sequential(bottleneck(256)),
      sequential(bottleneck(256)), sequential(bottleneck(256)), sequential(bottleneck(256)), sequential(bottleneck(256)),
      sequential(bottleneck(256)), sequential(bottleneck(256)), sequential(bottleneck(256)), sequential(bottleneck(256)),
      sequential(bottleneck(256)), sequential(bottleneck(256)), sequential(bottleneck(256)), sequential(bottleneck(256)),
      sequential(bottleneck(256)), sequential(bottleneck(256)), sequential(bottleneck(256)),
      sequential(bottleneckDown(512, 2)), sequential(bottleneck(512)), sequential(bottleneck(512)),
      globalAvgPool2d, flatten, named('fc', linear({ in: 2048, out: 1000 })),
    )
    expectTypeOf(y).toEqualTypeOf<Tensor<[N, 1000]>>()
  })
  test('a stage as one flow of its blocks, in a scope', () => {
    const layer2 = scope(
      'layer2',
      flow(
        sequential(bottleneckDown(128, 2)), sequential(bottleneck(128)), sequential(bottleneck(128)), sequential(bottleneck(128)),
        sequential(bottleneck(128)), sequential(bottleneck(128)), sequential(bottleneck(128)), sequential(bottleneck(128)),
        sequential(bottleneck(128)), sequential(bottleneck(128)), sequential(bottleneck(128)), sequential(bottleneck(128)),
      ),
    )
    expectTypeOf(pipe(input([N, 256, 56, 56]), layer2)).toEqualTypeOf<Tensor<[N, 512, 28, 28]>>()
  })
})
