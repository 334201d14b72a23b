/**
 * Shape rules of every layer, checked at compile time (vitest typecheck: `expectTypeOf` and `@ts-expect-error`).
 */
import { flow, pipe } from 'fp-ts/lib/function.js'
import { describe, expectTypeOf, test } from 'vitest'
import {
  adaptiveAvgPool2d,
  avgPool2d,
  batchNorm2d,
  conv2d,
  dim,
  dropout,
  flatten,
  globalAvgPool2d,
  input,
  linear,
  localResponseNorm,
  maxPool2d,
  N,
  relu,
  sigmoid,
  softmax,
  tanh,
  type InvalidDim,
  type Named,
  type Tensor,
} from 'shapesafe'

/** A user-declared named dim. */
interface T extends Named<'T'> {}
const T = dim<T>('T')

declare const h: number

describe('conv2d', () => {
  test('square kernel, stride, padding (AlexNet conv1)', () => {
    expectTypeOf(pipe(input([N, 1, 224, 224]), conv2d({ out: 96, kernel: 11, stride: 4, padding: 1 }))).toEqualTypeOf<Tensor<[N, 96, 54, 54]>>()
  })
  test('kernel, stride and padding pairs act per axis', () => {
    expectTypeOf(pipe(input([N, 3, 224, 224]), conv2d({ out: 64, kernel: [3, 5], stride: [2, 1], padding: [1, 2] }))).toEqualTypeOf<
      Tensor<[N, 64, 112, 224]>
    >()
    expectTypeOf(pipe(input([N, 3, 20, 30]), conv2d({ out: 4, kernel: [1, 7], padding: [0, 3] }))).toEqualTypeOf<Tensor<[N, 4, 20, 30]>>()
  })
  test("padding 'same' keeps H and W for odd and even kernels and with dilation", () => {
    expectTypeOf(pipe(input([N, 3, 224, 224]), conv2d({ out: 64, kernel: 3, padding: 'same' }))).toEqualTypeOf<Tensor<[N, 64, 224, 224]>>()
    expectTypeOf(pipe(input([N, 3, 31, 17]), conv2d({ out: 8, kernel: 4, padding: 'same' }))).toEqualTypeOf<Tensor<[N, 8, 31, 17]>>()
    expectTypeOf(pipe(input([N, 3, 31, 17]), conv2d({ out: 8, kernel: 3, dilation: 2, padding: 'same' }))).toEqualTypeOf<Tensor<[N, 8, 31, 17]>>()
  })
  test('dilation enlarges the effective kernel to d(k−1)+1', () => {
    expectTypeOf(pipe(input([N, 3, 32, 32]), conv2d({ out: 8, kernel: 3, dilation: 2 }))).toEqualTypeOf<Tensor<[N, 8, 28, 28]>>()
    expectTypeOf(pipe(input([N, 3, 32, 40]), conv2d({ out: 8, kernel: 3, dilation: [1, 3], padding: [1, 0] }))).toEqualTypeOf<Tensor<[N, 8, 32, 34]>>()
  })
  test('groups: depthwise and grouped convs', () => {
    expectTypeOf(pipe(input([N, 4, 7, 7]), conv2d({ out: 64, kernel: 3, groups: 4 }))).toEqualTypeOf<Tensor<[N, 64, 5, 5]>>()
    expectTypeOf(pipe(input([N, 32, 8, 8]), conv2d({ out: 32, kernel: 3, padding: 1, groups: 32 }))).toEqualTypeOf<Tensor<[N, 32, 8, 8]>>()
    // @ts-expect-error 3 input channels are not divisible by 2 groups
    pipe(input([N, 3, 8, 8]), conv2d({ out: 8, kernel: 3, groups: 2 }))
    // @ts-expect-error 9 output channels are not divisible by 2 groups
    conv2d({ out: 9, kernel: 3, groups: 2 })
  })
  test('1×1 conv keeps the spatial dims', () => {
    expectTypeOf(pipe(input([N, 192, 28, 28]), conv2d({ out: 64, kernel: 1 }))).toEqualTypeOf<Tensor<[N, 64, 28, 28]>>()
  })
  test('odd sizes with stride 2 round down', () => {
    expectTypeOf(pipe(input([N, 3, 7, 7]), conv2d({ out: 8, kernel: 3, stride: 2 }))).toEqualTypeOf<Tensor<[N, 8, 3, 3]>>()
    expectTypeOf(pipe(input([N, 3, 7, 9]), conv2d({ out: 8, kernel: 3, stride: 2, padding: 1 }))).toEqualTypeOf<Tensor<[N, 8, 4, 5]>>()
    expectTypeOf(pipe(input([N, 3, 225, 225]), conv2d({ out: 8, kernel: 7, stride: 2, padding: 3 }))).toEqualTypeOf<Tensor<[N, 8, 113, 113]>>()
    expectTypeOf(pipe(input([N, 3, 15, 15]), conv2d({ out: 8, kernel: 1, stride: 2 }))).toEqualTypeOf<Tensor<[N, 8, 8, 8]>>()
  })
  test('declared in-channels are checked against the input', () => {
    expectTypeOf(pipe(input([N, 3, 32, 32]), conv2d({ in: 3, out: 8, kernel: 3 }))).toEqualTypeOf<Tensor<[N, 8, 30, 30]>>()
    // @ts-expect-error conv2d: expected 1 input channels, got 3
    pipe(input([N, 3, 32, 32]), conv2d({ in: 1, out: 8, kernel: 3 }))
  })
  test('option checks: zero sizes and same-with-stride', () => {
    // @ts-expect-error stride 0
    conv2d({ out: 8, kernel: 3, stride: 0 })
    // @ts-expect-error stride 0 on one axis
    conv2d({ out: 8, kernel: 3, stride: [1, 0] })
    // @ts-expect-error kernel 0
    conv2d({ out: 8, kernel: 0 })
    // @ts-expect-error dilation 0
    conv2d({ out: 8, kernel: 3, dilation: 0 })
    // @ts-expect-error 'same' needs stride 1
    conv2d({ out: 8, kernel: 3, padding: 'same', stride: 2 })
  })
  test('a kernel larger than the padded input is rejected at the conv itself (also as the last layer)', () => {
    // @ts-expect-error conv2d: kernel larger than padded input (input 2, dilated kernel exceeds padded input by 1)
    pipe(input([N, 3, 2, 2]), conv2d({ out: 8, kernel: 3 }))
    // @ts-expect-error the same as a flow
    pipe(input([N, 3, 2, 2]), flow(relu, conv2d({ out: 8, kernel: 3 })))
    // its output type still names the reason, for hovers
    type Bad = InvalidDim<'conv2d: kernel larger than padded input (input 2, dilated kernel exceeds padded input by 1)'>
    expectTypeOf<Bad['⛔']>().toEqualTypeOf<'conv2d: kernel larger than padded input (input 2, dilated kernel exceeds padded input by 1)'>()
    // padding makes it fit
    expectTypeOf(pipe(input([N, 3, 2, 2]), conv2d({ out: 8, kernel: 3, padding: 1 }))).toEqualTypeOf<Tensor<[N, 8, 2, 2]>>()
  })
})

describe('pooling', () => {
  test('stride defaults to the kernel', () => {
    expectTypeOf(pipe(input([N, 3, 224, 224]), maxPool2d({ kernel: 2 }))).toEqualTypeOf<Tensor<[N, 3, 112, 112]>>()
    expectTypeOf(pipe(input([N, 6, 28, 28]), avgPool2d({ kernel: 2 }))).toEqualTypeOf<Tensor<[N, 6, 14, 14]>>()
    expectTypeOf(pipe(input([N, 6, 7, 7]), avgPool2d({ kernel: 2 }))).toEqualTypeOf<Tensor<[N, 6, 3, 3]>>()
  })
  test('explicit stride and padding (AlexNet, ResNet stem, Inception pool branch)', () => {
    expectTypeOf(pipe(input([N, 96, 54, 54]), maxPool2d({ kernel: 3, stride: 2 }))).toEqualTypeOf<Tensor<[N, 96, 26, 26]>>()
    expectTypeOf(pipe(input([N, 64, 112, 112]), maxPool2d({ kernel: 3, stride: 2, padding: 1 }))).toEqualTypeOf<Tensor<[N, 64, 56, 56]>>()
    expectTypeOf(pipe(input([N, 192, 28, 28]), maxPool2d({ kernel: 3, stride: 1, padding: 1 }))).toEqualTypeOf<Tensor<[N, 192, 28, 28]>>()
    expectTypeOf(pipe(input([N, 1, 12, 10]), avgPool2d({ kernel: [2, 3], stride: [2, 1], padding: [1, 1] }))).toEqualTypeOf<Tensor<[N, 1, 7, 10]>>()
  })
  test('ceil mode rounds up (torchvision GoogLeNet pools)', () => {
    expectTypeOf(pipe(input([N, 64, 112, 112]), maxPool2d({ kernel: 3, stride: 2, ceilMode: true }))).toEqualTypeOf<Tensor<[N, 64, 56, 56]>>()
    expectTypeOf(pipe(input([N, 64, 112, 112]), maxPool2d({ kernel: 3, stride: 2 }))).toEqualTypeOf<Tensor<[N, 64, 55, 55]>>()
    expectTypeOf(pipe(input([N, 8, 14, 14]), maxPool2d({ kernel: 3, stride: 2, ceilMode: true }))).toEqualTypeOf<Tensor<[N, 8, 7, 7]>>()
    expectTypeOf(pipe(input([N, 8, 6, 6]), avgPool2d({ kernel: 3, stride: 2, padding: 1, ceilMode: true }))).toEqualTypeOf<Tensor<[N, 8, 4, 4]>>()
    expectTypeOf(pipe(input([N, 64, 112, 112]), maxPool2d({ kernel: 3, stride: 2, ceilMode: true, padding: 1 }))).toEqualTypeOf<Tensor<[N, 64, 57, 57]>>()
  })
  test("ceil mode drops a last window that would start in the right padding (PyTorch's rule)", () => {
    // ⌈(5 + 2 − 2)/2⌉ + 1 = 4, but window 4 would start at 6 ≥ 5 + 1: PyTorch gives 3.
    expectTypeOf(pipe(input([N, 1, 5, 5]), maxPool2d({ kernel: 2, stride: 2, padding: 1, ceilMode: true }))).toEqualTypeOf<Tensor<[N, 1, 3, 3]>>()
    expectTypeOf(pipe(input([N, 1, 5, 5]), maxPool2d({ kernel: 2, ceilMode: true }))).toEqualTypeOf<Tensor<[N, 1, 3, 3]>>()
  })
  test('padding at most half the kernel; zero sizes rejected', () => {
    expectTypeOf(maxPool2d({ kernel: 3, padding: 1 })).toBeFunction()
    // @ts-expect-error padding 2 > 3/2
    maxPool2d({ kernel: 3, padding: 2 })
    // @ts-expect-error padding 2 > 2/2 on the width axis
    avgPool2d({ kernel: [3, 2], padding: [1, 2] })
    // @ts-expect-error stride 0
    maxPool2d({ kernel: 2, stride: 0 })
    // @ts-expect-error kernel 0
    avgPool2d({ kernel: 0 })
  })
  test('a pooling window larger than the input is rejected at the pool itself', () => {
    // @ts-expect-error maxPool2d: kernel larger than padded input (input 2, dilated kernel exceeds padded input by 1)
    pipe(input([N, 3, 2, 2]), maxPool2d({ kernel: 3 }))
    // @ts-expect-error only W is too small
    pipe(input([N, 3, 9, 2]), avgPool2d({ kernel: 3 }))
    // in ceil mode PyTorch keeps a last window hanging over the input while one output remains
    expectTypeOf(pipe(input([N, 3, 9, 2]), avgPool2d({ kernel: 3, ceilMode: true }))).toEqualTypeOf<Tensor<[N, 3, 3, 1]>>()
    expectTypeOf(pipe(input([N, 3, 3, 3]), maxPool2d({ kernel: 3 }))).toEqualTypeOf<Tensor<[N, 3, 1, 1]>>()
  })
})

describe('adaptive and global average pooling', () => {
  test('pools to the requested size whatever the input', () => {
    expectTypeOf(pipe(input([N, 512, 7, 7]), adaptiveAvgPool2d({ output: 1 }))).toEqualTypeOf<Tensor<[N, 512, 1, 1]>>()
    expectTypeOf(pipe(input([N, 512, 13, 9]), adaptiveAvgPool2d({ output: [2, 3] }))).toEqualTypeOf<Tensor<[N, 512, 2, 3]>>()
    expectTypeOf(pipe(input([N, 10, h, h]), adaptiveAvgPool2d({ output: 7 }))).toEqualTypeOf<Tensor<[N, 10, 7, 7]>>()
    expectTypeOf(pipe(input([N, 1024, 3, 3]), globalAvgPool2d)).toEqualTypeOf<Tensor<[N, 1024, 1, 1]>>()
    // @ts-expect-error output 0
    adaptiveAvgPool2d({ output: 0 })
  })
})

describe('flatten and linear', () => {
  test('flatten multiplies exactly, past 10^5 and 10^8', () => {
    expectTypeOf(pipe(input([N, 256, 5, 5]), flatten)).toEqualTypeOf<Tensor<[N, 6400]>>()
    expectTypeOf(pipe(input([N, 512, 7, 7]), flatten)).toEqualTypeOf<Tensor<[N, 25088]>>()
    expectTypeOf(pipe(input([N, 4096, 25088]), flatten)).toEqualTypeOf<Tensor<[N, 102760448]>>()
    expectTypeOf(pipe(input([N, 512, 224, 224, 3]), flatten)).toEqualTypeOf<Tensor<[N, 77070336]>>()
    expectTypeOf(pipe(input([N, 10, 1, 1]), flatten)).toEqualTypeOf<Tensor<[N, 10]>>()
  })
  test('linear maps features and checks declared in-features', () => {
    expectTypeOf(pipe(input([N, 6400]), linear({ in: 6400, out: 4096 }))).toEqualTypeOf<Tensor<[N, 4096]>>()
    expectTypeOf(pipe(input([N, 25088]), linear({ out: 4096 }))).toEqualTypeOf<Tensor<[N, 4096]>>()
    // @ts-expect-error linear: expected 6400 input features, got 4096
    pipe(input([N, 4096]), linear({ in: 6400, out: 10 }))
    // @ts-expect-error linear needs [N, F]: flatten first
    pipe(input([N, 64, 7, 7]), linear({ out: 10 }))
    // @ts-expect-error out 0
    linear({ out: 0 })
  })
})

describe('shape-preserving layers', () => {
  test('activations, dropout and LRN keep any shape', () => {
    const x4 = input([N, 96, 54, 54])
    const x2 = input([N, 4096])
    expectTypeOf(pipe(x4, relu, sigmoid, tanh, softmax)).toEqualTypeOf<Tensor<[N, 96, 54, 54]>>()
    expectTypeOf(pipe(x2, relu, sigmoid, tanh, softmax)).toEqualTypeOf<Tensor<[N, 4096]>>()
    expectTypeOf(pipe(x2, dropout({ p: 0.5 }))).toEqualTypeOf<Tensor<[N, 4096]>>()
    expectTypeOf(pipe(x4, dropout({ p: 0.5 }))).toEqualTypeOf<Tensor<[N, 96, 54, 54]>>()
    expectTypeOf(pipe(x4, localResponseNorm({ size: 5, alpha: 1e-4, beta: 0.75, k: 2 }))).toEqualTypeOf<Tensor<[N, 96, 54, 54]>>()
  })
  test('batchNorm2d keeps the shape and checks features', () => {
    expectTypeOf(pipe(input([N, 64, 56, 56]), batchNorm2d({ features: 64 }))).toEqualTypeOf<Tensor<[N, 64, 56, 56]>>()
    expectTypeOf(pipe(input([N, 64, 56, 56]), batchNorm2d())).toEqualTypeOf<Tensor<[N, 64, 56, 56]>>()
    // @ts-expect-error batchNorm2d: expected 64 channels, got 32
    pipe(input([N, 32, 56, 56]), batchNorm2d({ features: 64 }))
    // @ts-expect-error batchNorm2d needs [N, C, H, W]
    pipe(input([N, 64]), batchNorm2d())
  })
})

describe('unknown and named dims', () => {
  test('`number` stays `number`, never a wrong literal', () => {
    expectTypeOf(pipe(input([N, 3, h, 32]), conv2d({ out: 8, kernel: 3 }))).toEqualTypeOf<Tensor<[N, 8, number, 30]>>()
    expectTypeOf(pipe(input([N, 3, h, 32]), maxPool2d({ kernel: 2, ceilMode: true }))).toEqualTypeOf<Tensor<[N, 3, number, 16]>>()
    expectTypeOf(pipe(input([N, 3, h, 32]), conv2d({ out: 8, kernel: 3 }), flatten)).toEqualTypeOf<Tensor<[N, number]>>()
    expectTypeOf(pipe(input([N, h, 4, 4]), flatten)).toEqualTypeOf<Tensor<[N, number]>>()
    expectTypeOf(pipe(input([N, h]), linear({ in: 6400, out: 10 }))).toEqualTypeOf<Tensor<[N, 10]>>()
    expectTypeOf(pipe(input([N, h, 8, 8]), batchNorm2d({ features: 16 }))).toEqualTypeOf<Tensor<[N, number, 8, 8]>>()
    expectTypeOf(pipe(input([N, h, 8, 8]), conv2d({ in: 3, out: 4, kernel: 1 }))).toEqualTypeOf<Tensor<[N, 4, 8, 8]>>()
  })
  test('the batch N and a user-declared dim flow through unchanged', () => {
    expectTypeOf(pipe(input([T, 3, 32, 32]), conv2d({ out: 8, kernel: 3, padding: 1 }), maxPool2d({ kernel: 2 }), flatten)).toEqualTypeOf<
      Tensor<[T, 2048]>
    >()
    expectTypeOf(pipe(input([1, 3, 32, 32]), conv2d({ out: 8, kernel: 3 }))).toEqualTypeOf<Tensor<[1, 8, 30, 30]>>()
    // a named dim is not a size: flatten over it is refused (as by the trace; type-tests/negative/deferred.ts has the text)
    // @ts-expect-error flatten: features of [N,T,4] depend on symbolic sizes
    pipe(input([N, T, 4]), flatten)
    // @ts-expect-error linear: expected 6400 input features, got T
    pipe(input([N, T]), linear({ in: 6400, out: 10 }))
  })
})
