/**
 * The model zoo at compile time: the output shape of every model, intermediate shapes of its blocks, and the input
 * checks (a wrong size into a fixed-size net, a 3-channel image into a 1-channel net, too small an input).
 */
import { pipe } from 'fp-ts/lib/function.js'
import { describe, expectTypeOf, test } from 'vitest'
import {
  alexnet,
  basicBlock,
  basicBlockDown,
  bottleneck,
  bottleneckDown,
  densenet121,
  densenet161,
  densenet169,
  densenet201,
  denseLayer,
  denseNetBlock,
  googlenet,
  inception,
  input,
  lenet,
  lenetBn,
  N,
  maxPool2d,
  nin,
  ninBlock,
  ninSmall,
  residualBlock,
  residualBlock1x1,
  resnet101,
  resnet152,
  resnet18,
  resnet34,
  resnet50,
  resnetSmall,
  transition,
  vgg11,
  vgg11Bn,
  vgg13,
  vgg13Bn,
  vgg16,
  vgg16Bn,
  vgg19,
  vgg19Bn,
  vggBlock,
  type Tensor,
} from 'shapesafe'

describe('final shapes', () => {
  test('seed nets at their seed inputs', () => {
    expectTypeOf(pipe(input([N, 1, 28, 28]), lenet())).toEqualTypeOf<Tensor<[N, 10]>>()
    expectTypeOf(pipe(input([N, 1, 224, 224]), alexnet())).toEqualTypeOf<Tensor<[N, 10]>>()
    expectTypeOf(pipe(input([N, 1, 224, 224]), vgg11())).toEqualTypeOf<Tensor<[N, 10]>>()
    expectTypeOf(pipe(input([N, 1, 224, 224]), vgg13())).toEqualTypeOf<Tensor<[N, 10]>>()
    expectTypeOf(pipe(input([N, 1, 224, 224]), vgg16())).toEqualTypeOf<Tensor<[N, 10]>>()
    expectTypeOf(pipe(input([N, 3, 224, 224]), vgg19({ inChannels: 3, classes: 1000 }))).toEqualTypeOf<Tensor<[N, 1000]>>()
    expectTypeOf(pipe(input([N, 1, 224, 224]), nin())).toEqualTypeOf<Tensor<[N, 10]>>()
    // the seed prints 54, 26, 26, 12, 12, 5, 5 for NiN's spatial sizes
    const b1 = pipe(input([N, 1, 224, 224]), ninBlock(96, 11, 4, 0))
    expectTypeOf(b1).toEqualTypeOf<Tensor<[N, 96, 54, 54]>>()
    const b2 = pipe(b1, maxPool2d({ kernel: 3, stride: 2 }), ninBlock(256, 5, 1, 2))
    expectTypeOf(b2).toEqualTypeOf<Tensor<[N, 256, 26, 26]>>()
    expectTypeOf(pipe(b2, maxPool2d({ kernel: 3, stride: 2 }), ninBlock(384, 3, 1, 1), maxPool2d({ kernel: 3, stride: 2 }))).toEqualTypeOf<
      Tensor<[N, 384, 5, 5]>
    >()
    expectTypeOf(pipe(input([N, 1, 96, 96]), googlenet())).toEqualTypeOf<Tensor<[N, 10]>>()
    expectTypeOf(pipe(input([N, 1, 28, 28]), lenetBn())).toEqualTypeOf<Tensor<[N, 10]>>()
    expectTypeOf(lenetBn({ inChannels: 3, classes: 5 })(input([8, 3, 28, 28]))).toEqualTypeOf<Tensor<[8, 5]>>()
  })

  test('torchvision families', () => {
    expectTypeOf(pipe(input([N, 3, 224, 224]), resnet18())).toEqualTypeOf<Tensor<[N, 1000]>>()
    expectTypeOf(pipe(input([N, 3, 224, 224]), resnet34())).toEqualTypeOf<Tensor<[N, 1000]>>()
    expectTypeOf(pipe(input([N, 3, 224, 224]), resnet50({ classes: 10 }))).toEqualTypeOf<Tensor<[N, 10]>>()
    expectTypeOf(pipe(input([N, 3, 224, 224]), resnet101())).toEqualTypeOf<Tensor<[N, 1000]>>()
    expectTypeOf(pipe(input([N, 3, 224, 224]), resnet152())).toEqualTypeOf<Tensor<[N, 1000]>>()
    expectTypeOf(pipe(input([N, 1, 96, 96]), resnet18({ inChannels: 1, classes: 10 }))).toEqualTypeOf<Tensor<[N, 10]>>()
    expectTypeOf(pipe(input([N, 3, 224, 224]), densenet121())).toEqualTypeOf<Tensor<[N, 1000]>>()
    expectTypeOf(pipe(input([N, 3, 224, 224]), densenet161())).toEqualTypeOf<Tensor<[N, 1000]>>()
    expectTypeOf(pipe(input([N, 3, 224, 224]), densenet169())).toEqualTypeOf<Tensor<[N, 1000]>>()
    expectTypeOf(pipe(input([N, 1, 96, 96]), densenet201({ inChannels: 1, classes: 10 }))).toEqualTypeOf<Tensor<[N, 10]>>()
    expectTypeOf(pipe(input([N, 3, 224, 224]), vgg11Bn())).toEqualTypeOf<Tensor<[N, 1000]>>()
    expectTypeOf(pipe(input([N, 3, 224, 224]), vgg13Bn())).toEqualTypeOf<Tensor<[N, 1000]>>()
    expectTypeOf(pipe(input([N, 3, 224, 224]), vgg16Bn())).toEqualTypeOf<Tensor<[N, 1000]>>()
    expectTypeOf(pipe(input([N, 3, 96, 96]), vgg19Bn({ classes: 10 }))).toEqualTypeOf<Tensor<[N, 10]>>()
  })

  test('shapesafe additions and a concrete batch', () => {
    expectTypeOf(pipe(input([N, 1, 28, 28]), resnetSmall())).toEqualTypeOf<Tensor<[N, 10]>>()
    expectTypeOf(pipe(input([N, 1, 28, 28]), ninSmall())).toEqualTypeOf<Tensor<[N, 10]>>()
    expectTypeOf(pipe(input([64, 1, 28, 28]), lenet())).toEqualTypeOf<Tensor<[64, 10]>>()
  })
})

describe('blocks: intermediate shapes', () => {
  test('seed blocks', () => {
    expectTypeOf(pipe(input([N, 1, 224, 224]), vggBlock(2, 64))).toEqualTypeOf<Tensor<[N, 64, 112, 112]>>()
    expectTypeOf(pipe(input([N, 192, 12, 12]), inception(64, [96, 128], [16, 32], 32))).toEqualTypeOf<Tensor<[N, 256, 12, 12]>>()
    expectTypeOf(pipe(input([N, 480, 6, 6]), inception(192, [96, 208], [16, 48], 64))).toEqualTypeOf<Tensor<[N, 512, 6, 6]>>()
    expectTypeOf(pipe(input([N, 64, 56, 56]), residualBlock(64))).toEqualTypeOf<Tensor<[N, 64, 56, 56]>>()
    expectTypeOf(pipe(input([N, 64, 56, 56]), residualBlock1x1(128, 2))).toEqualTypeOf<Tensor<[N, 128, 28, 28]>>()
  })

  test('torchvision blocks', () => {
    expectTypeOf(pipe(input([N, 64, 56, 56]), basicBlock(64))).toEqualTypeOf<Tensor<[N, 64, 56, 56]>>()
    expectTypeOf(pipe(input([N, 64, 56, 56]), basicBlockDown(128, 2))).toEqualTypeOf<Tensor<[N, 128, 28, 28]>>()
    expectTypeOf(pipe(input([N, 256, 56, 56]), bottleneck(64))).toEqualTypeOf<Tensor<[N, 256, 56, 56]>>()
    expectTypeOf(pipe(input([N, 256, 56, 56]), bottleneckDown(128, 2))).toEqualTypeOf<Tensor<[N, 512, 28, 28]>>()
    expectTypeOf(pipe(input([N, 64, 56, 56]), denseLayer(32))).toEqualTypeOf<Tensor<[N, 32, 56, 56]>>()
    expectTypeOf(pipe(input([N, 64, 56, 56]), denseNetBlock(6, 32))).toEqualTypeOf<Tensor<[N, 256, 56, 56]>>()
    expectTypeOf(pipe(input([N, 256, 56, 56]), transition())).toEqualTypeOf<Tensor<[N, 128, 28, 28]>>()
    expectTypeOf(pipe(input([N, 1024, 14, 14]), transition(), denseNetBlock(16, 32))).toEqualTypeOf<Tensor<[N, 1024, 7, 7]>>()
  })
})

describe('input checks', () => {
  test('a net with a fixed-width classifier takes every size its layers take (issue 12 §4)', () => {
    // AlexNet: 193…224 give the 5×5 map Linear(6400, 4096) takes; LeNet 28…31 give 16×5×5; VGG 224…255 give 512×7×7.
    expectTypeOf(pipe(input([N, 1, 223, 223]), alexnet())).toEqualTypeOf<Tensor<[N, 10]>>()
    expectTypeOf(pipe(input([N, 1, 193, 224]), alexnet())).toEqualTypeOf<Tensor<[N, 10]>>()
    expectTypeOf(alexnet()(input([N, 1, 224, 193]))).toEqualTypeOf<Tensor<[N, 10]>>()
    expectTypeOf(pipe(input([N, 1, 31, 31]), lenet())).toEqualTypeOf<Tensor<[N, 10]>>()
    expectTypeOf(pipe(input([N, 1, 28, 30]), lenet())).toEqualTypeOf<Tensor<[N, 10]>>()
    expectTypeOf(pipe(input([N, 1, 255, 255]), vgg11())).toEqualTypeOf<Tensor<[N, 10]>>()
    expectTypeOf(pipe(input([N, 3, 240, 224]), vgg19({ inChannels: 3, classes: 1000 }))).toEqualTypeOf<Tensor<[N, 1000]>>()
    // the sizes just outside (verdicts asserted with their text in type-tests/negative/zoo-sizes.ts)
    // @ts-expect-error linear: expected 6400 input features, got 9216
    alexnet()(input([N, 1, 225, 225]))
    // @ts-expect-error linear: expected 6400 input features, got 4096
    pipe(input([N, 1, 192, 192]), alexnet())
    // @ts-expect-error linear: expected 400 input features, got 576
    pipe(input([N, 1, 32, 32]), lenet())
    // @ts-expect-error linear: expected 400 input features, got 256
    pipe(input([N, 1, 27, 27]), lenet())
    expectTypeOf(pipe(input([N, 1, 31, 31]), lenetBn())).toEqualTypeOf<Tensor<[N, 10]>>()
    // @ts-expect-error linear: expected 256 input features, got 400
    pipe(input([N, 1, 32, 32]), lenetBn())
    // @ts-expect-error linear: expected 256 input features, got 144
    lenetBn()(input([N, 1, 27, 27]))
    // @ts-expect-error linear: expected 25088 input features, got 4608
    pipe(input([N, 1, 96, 96]), vgg16())
    // @ts-expect-error linear: expected 25088 input features, got 32768
    pipe(input([N, 1, 256, 256]), vgg16())
  })

  test('unknown sizes are left to the trace; a named size too', () => {
    expectTypeOf(pipe(input([N, 1, 7 as number, 7 as number]), alexnet())).toEqualTypeOf<Tensor<[N, 10]>>()
  })

  test('a 3-channel image into a 1-channel net', () => {
    // @ts-expect-error alexnet: expected input [N,1,H,W], got [N,3,224,224]
    pipe(input([N, 3, 224, 224]), alexnet())
    // @ts-expect-error googlenet: expected input [N,1,H,W] with H, W ≥ 1, got [N,3,96,96]
    pipe(input([N, 3, 96, 96]), googlenet())
    // @ts-expect-error resnet: expected input [N,1,H,W] with H, W ≥ 1, got [N,3,96,96]
    pipe(input([N, 3, 96, 96]), resnet18({ inChannels: 1 }))
  })

  test('too small for an adaptive net; a block with the wrong channels', () => {
    // @ts-expect-error densenet: expected input [N,3,H,W] with H, W ≥ 29, got [N,3,28,28]
    pipe(input([N, 3, 28, 28]), densenet121())
    // @ts-expect-error Type '128' is not assignable to type '64'
    pipe(input([N, 128, 56, 56]), basicBlock(64))
  })
})
