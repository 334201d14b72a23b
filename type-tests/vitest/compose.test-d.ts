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

describe('sequential of layers, as nn.Sequential(*layers)', () => {
  test('is typed as flow of them, one block or many, and keeps a generic block generic', () => {
    const x = input([N, 1, 28, 28])
    expectTypeOf(pipe(x, sequential(conv2d({ out: 6, kernel: 5, padding: 2 }), relu, maxPool2d({ kernel: 2, stride: 2 })))).toEqualTypeOf<Tensor<[N, 6, 14, 14]>>()
    expectTypeOf(pipe(x, sequential(flow(conv2d({ out: 6, kernel: 5, padding: 2 }), relu)))).toEqualTypeOf<Tensor<[N, 6, 28, 28]>>()
    const block = sequential(conv2d({ out: 8, kernel: 3, stride: 2, padding: 1 }), relu)
    expectTypeOf(pipe(input([N, 3, 32, 32]), block)).toEqualTypeOf<Tensor<[N, 8, 16, 16]>>()
    expectTypeOf(pipe(input([N, 3, 9, 9]), block)).toEqualTypeOf<Tensor<[N, 8, 5, 5]>>()
    expectTypeOf(pipe(x, sequential(flatten, linear({ in: 784, out: 10 })))).toEqualTypeOf<Tensor<[N, 10]>>()
    // @ts-expect-error linear: expected 100 input features, got 784
    pipe(x, sequential(flatten, linear({ in: 100, out: 10 })))
  })
})
