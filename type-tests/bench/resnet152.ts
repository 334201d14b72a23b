/**
 * Type-check benchmark fixture: ResNet-152 (bottleneck blocks, stages [3, 8, 36, 3]) written with the DSL's generic
 * block functions, applied to a concrete ImageNet-sized input. Also imported by the type tests.
 */
import { pipe } from 'fp-ts/lib/function.js'
import {
  add,
  batchNorm2d,
  conv2d,
  flatten,
  globalAvgPool2d,
  input,
  linear,
  maxPool2d,
  N,
  named,
  relu,
  scope,
  type Dim,
  type Shape4,
  type Tensor,
} from 'shapesafe'

/** First block of a stage: bottleneck with a projection shortcut (1×1 conv at the block's stride). */
export const projection =
  <Mid extends number, Out extends number, St extends number>(mid: Mid, out: Out, stride: St) =>
  <S extends Shape4>(x: Tensor<S>) =>
    pipe(
      add(
        pipe(
          x,
          conv2d({ out: mid, kernel: 1, bias: false, name: 'conv1' }),
          batchNorm2d({ name: 'bn1' }),
          relu,
          conv2d({ out: mid, kernel: 3, stride, padding: 1, bias: false, name: 'conv2' }),
          batchNorm2d({ name: 'bn2' }),
          relu,
          conv2d({ out, kernel: 1, bias: false, name: 'conv3' }),
          batchNorm2d({ name: 'bn3' }),
        ),
        pipe(x, scope('downsample', (t: Tensor<S>) => pipe(t, conv2d({ out, kernel: 1, stride, bias: false }), batchNorm2d()))),
      ),
      relu,
    )

/** A bottleneck block with an identity shortcut: the input must already have `out` channels. */
export const bottleneck =
  <Mid extends number, Out extends number>(mid: Mid, out: Out) =>
  <B extends Dim, H extends Dim, W extends Dim>(x: Tensor<[B, Out, H, W]>) =>
    pipe(
      add(
        pipe(
          x,
          conv2d({ out: mid, kernel: 1, bias: false, name: 'conv1' }),
          batchNorm2d({ name: 'bn1' }),
          relu,
          conv2d({ out: mid, kernel: 3, padding: 1, bias: false, name: 'conv2' }),
          batchNorm2d({ name: 'bn2' }),
          relu,
          conv2d({ out, kernel: 1, bias: false, name: 'conv3' }),
          batchNorm2d({ name: 'bn3' }),
        ),
        x,
      ),
      relu,
    )

const b256 = bottleneck(64, 256)
const b512 = bottleneck(128, 512)
const b1024 = bottleneck(256, 1024)
const b2048 = bottleneck(512, 2048)

/** Stage 1 (`layer1`): three blocks at 56×56, 256 channels. */
export const layer1 = <B extends Dim, H extends Dim, W extends Dim>(t: Tensor<[B, 64, H, W]>) => pipe(t, projection(64, 256, 1), b256, b256)

/** Stage 2 (`layer2`): eight blocks, the first at stride 2. */
export const layer2 = <B extends Dim, H extends Dim, W extends Dim>(t: Tensor<[B, 256, H, W]>) =>
  pipe(t, projection(128, 512, 2), b512, b512, b512, b512, b512, b512, b512)

const six1024 = <B extends Dim, H extends Dim, W extends Dim>(t: Tensor<[B, 1024, H, W]>) => pipe(t, b1024, b1024, b1024, b1024, b1024, b1024)

/** Stage 3 (`layer3`): thirty-six blocks, the first at stride 2. */
export const layer3 = <B extends Dim, H extends Dim, W extends Dim>(t: Tensor<[B, 512, H, W]>) =>
  pipe(t, projection(256, 1024, 2), b1024, b1024, b1024, b1024, b1024, six1024, six1024, six1024, six1024, six1024)

/** Stage 4 (`layer4`): three blocks, the first at stride 2. */
export const layer4 = <B extends Dim, H extends Dim, W extends Dim>(t: Tensor<[B, 1024, H, W]>) => pipe(t, projection(512, 2048, 2), b2048, b2048)

/** ResNet-152 on `[N, 3, 224, 224]` → `[N, 1000]`. */
export const resnet152 = (x: Tensor<[N, 3, 224, 224]>) =>
  pipe(
    x,
    named('conv1', conv2d({ out: 64, kernel: 7, stride: 2, padding: 3, bias: false })),
    named('bn1', batchNorm2d()),
    relu,
    named('maxpool', maxPool2d({ kernel: 3, stride: 2, padding: 1 })),
    scope('layer1', layer1),
    scope('layer2', layer2),
    scope('layer3', layer3),
    scope('layer4', layer4),
    named('avgpool', globalAvgPool2d),
    flatten,
    named('fc', linear({ in: 2048, out: 1000 })),
  )

/** The traced output: `Tensor<[N, 1000]>`. */
export const resnet152Out = pipe(input([N, 3, 224, 224]), resnet152)
