// An independent battery (issue 11 §5): blocks written from the seed's d2l listings as a user would write them,
// then realistic mistakes in them. Correct blocks must compile; each mistake line is marked with the verdict it gets.
import { flow, pipe } from 'fp-ts/lib/function.js'
import {
  add, adaptiveAvgPool2d, avgPool2d, batchNorm1d, batchNorm2d, concat, conv2d, denseBlock, dropout, flatten, graphOf, input, linear,
  maxPool2d, N, parallel, pipe as longPipe, prod, relu, residual, sigmoid, type Shape4, type Tensor,
} from 'shapesafe'

// ---- correct, seed-style ------------------------------------------------------------------------------------------
// 1. Inception (d2l 8.4), as a generic function with concat.
const inception = <const C1 extends number, const C2a extends number, const C2b extends number, const C3a extends number, const C3b extends number, const C4 extends number>(
  c1: C1, c2: readonly [C2a, C2b], c3: readonly [C3a, C3b], c4: C4,
) => <S extends Shape4>(x: Tensor<S>) =>
  concat(
    pipe(x, conv2d({ out: c1, kernel: 1 }), relu),
    pipe(x, conv2d({ out: c2[0], kernel: 1 }), relu, conv2d({ out: c2[1], kernel: 3, padding: 1 }), relu),
    pipe(x, conv2d({ out: c3[0], kernel: 1 }), relu, conv2d({ out: c3[1], kernel: 5, padding: 2 }), relu),
    pipe(x, maxPool2d({ kernel: 3, stride: 1, padding: 1 }), conv2d({ out: c4, kernel: 1 }), relu),
  )
export const b3 = pipe(input([N, 192, 28, 28]), inception(64, [96, 128], [16, 32], 32), inception(128, [128, 192], [32, 96], 64))
// 2. Residual (d2l 8.6) with batchNorm2d({ features: numChannels }), generic over its channels.
const residualBlock = <const C extends number>(numChannels: C) =>
  residual(flow(conv2d({ out: numChannels, kernel: 3, padding: 1 }), batchNorm2d({ features: numChannels }), relu, conv2d({ out: numChannels, kernel: 3, padding: 1 }), batchNorm2d({ features: numChannels })))
const residualDown = <const C extends number>(numChannels: C) =>
  residual(
    flow(conv2d({ out: numChannels, kernel: 3, padding: 1, stride: 2 }), batchNorm2d({ features: numChannels }), relu, conv2d({ out: numChannels, kernel: 3, padding: 1 }), batchNorm2d({ features: numChannels })),
    conv2d({ out: numChannels, kernel: 1, stride: 2 }),
  )
export const stage = pipe(input([N, 64, 56, 56]), residualBlock(64), relu, residualDown(128), relu, residualBlock(128))
// 3. Dense block + transition (d2l 8.7).
const convBlock = <const C extends number>(numChannels: C) => flow(batchNorm2d(), relu, conv2d({ out: numChannels, kernel: 3, padding: 1 }))
const transition = <const C extends number>(numChannels: C) => flow(batchNorm2d(), relu, conv2d({ out: numChannels, kernel: 1 }), avgPool2d({ kernel: 2, stride: 2 }))
export const dense = pipe(input([N, 64, 56, 56]), denseBlock({ layers: 4, growth: 32 }, () => convBlock(32)), transition(96))
// 4. VGG block (d2l 8.2) and a VGG-11 head with prod.
const vggBlock = <const C extends number>(out: C) => flow(conv2d({ out, kernel: 3, padding: 1 }), relu, maxPool2d({ kernel: 2, stride: 2 }))
export const vgg = pipe(input([N, 1, 224, 224]), vggBlock(64), vggBlock(128), vggBlock(256), vggBlock(512), vggBlock(512), flatten,
  linear({ in: prod(512, 7, 7), out: 4096 }), relu, dropout({ p: 0.5 }), linear({ out: 4096 }), relu, dropout({ p: 0.5 }), linear({ out: 10 }))
// 5. NiN block (d2l 8.3).
const ninBlock = <const C extends number, const K extends number, const St extends number, const P extends number>(out: C, kernel: K, stride: St, padding: P) =>
  flow(conv2d({ out, kernel, stride, padding }), relu, conv2d({ out, kernel: 1 }), relu, conv2d({ out, kernel: 1 }), relu)
export const nin = pipe(input([N, 1, 224, 224]), ninBlock(96, 11, 4, 0), maxPool2d({ kernel: 3, stride: 2 }), ninBlock(256, 5, 1, 2), maxPool2d({ kernel: 3, stride: 2 }),
  ninBlock(10, 3, 1, 1), adaptiveAvgPool2d({ output: 1 }), flatten)
// 6. LeNet with batch norm (d2l 8.5): batchNorm1d after linear.
export const lenetBn = pipe(input([N, 1, 28, 28]), conv2d({ out: 6, kernel: 5 }), batchNorm2d({ features: 6 }), sigmoid, avgPool2d({ kernel: 2, stride: 2 }),
  conv2d({ out: 16, kernel: 5 }), batchNorm2d({ features: 16 }), sigmoid, avgPool2d({ kernel: 2, stride: 2 }), flatten,
  linear({ in: prod(16, 4, 4), out: 120 }), batchNorm1d({ features: 120 }), sigmoid, linear({ out: 84 }), batchNorm1d({ features: 84 }), sigmoid, linear({ out: 10 }))
// 7. A reusable head, used on two sizes.
const head = flow(adaptiveAvgPool2d({ output: 1 }), flatten, linear({ in: 512, out: 10 }))
export const headA = graphOf(pipe(input([N, 512, 7, 7]), head))
export const headB = graphOf(pipe(input([N, 512, 3, 3]), head))
// 8. GoogLeNet-style parallel of flows, used at two sizes.
const branches = parallel(flow(conv2d({ out: 16, kernel: 1 }), relu), flow(conv2d({ out: 8, kernel: 3, padding: 1 }), relu), flow(maxPool2d({ kernel: 3, stride: 1, padding: 1 }), conv2d({ out: 8, kernel: 1 })))
export const parA = pipe(input([N, 32, 28, 28]), branches)
export const parB = pipe(input([N, 64, 14, 14]), branches)
// 9. A bottleneck (ResNet-50) generic in its channels.
const bottleneck = <const C extends number, const E extends number>(c: C, e: E) =>
  residual(flow(conv2d({ out: c, kernel: 1 }), batchNorm2d({ features: c }), relu, conv2d({ out: c, kernel: 3, padding: 1 }), batchNorm2d({ features: c }), relu, conv2d({ out: e, kernel: 1 }), batchNorm2d({ features: e })))
export const bott = pipe(input([N, 256, 56, 56]), bottleneck(64, 256), relu)
// 10. AlexNet (d2l 8.1): 22 stages, past fp-ts's 20, so shapesafe's pipe.
export const alex = longPipe(input([N, 1, 224, 224]), conv2d({ out: 96, kernel: 11, stride: 4, padding: 1 }), relu, maxPool2d({ kernel: 3, stride: 2 }),
  conv2d({ out: 256, kernel: 5, padding: 2 }), relu, maxPool2d({ kernel: 3, stride: 2 }), conv2d({ out: 384, kernel: 3, padding: 1 }), relu,
  conv2d({ out: 384, kernel: 3, padding: 1 }), relu, conv2d({ out: 256, kernel: 3, padding: 1 }), relu, maxPool2d({ kernel: 3, stride: 2 }), flatten,
  linear({ in: 6400, out: 4096 }), relu, dropout({ p: 0.5 }), linear({ in: 4096, out: 4096 }), relu, dropout({ p: 0.5 }), linear({ out: 10 }))

// ---- mistakes -----------------------------------------------------------------------------------------------------
export const m1 = pipe(input([N, 1, 224, 224]), conv2d({ out: 96, kernel: 11, stride: 4, padding: 1 }), relu, maxPool2d({ kernel: 3, stride: 2 }), flatten, linear({ in: 6400, out: 10 })) // error: linear: expected 6400 input features, got 64896
export const m2 = pipe(input([N, 1, 28, 28]), conv2d({ out: 6, kernel: 5, padding: 2 }), sigmoid, avgPool2d({ kernel: 2, stride: 2 }), conv2d({ out: 16, kernel: 5 }), sigmoid, avgPool2d({ kernel: 2, stride: 2 }), flatten, linear({ in: prod(16, 4, 4), out: 120 })) // error: linear: expected 256 input features, got 400
export const m3 = pipe(input([N, 1, 28, 28]), conv2d({ out: 6, kernel: 5 }), batchNorm2d({ features: 16 })) // error: batchNorm2d: expected 16 channels, got 6
export const m4 = pipe(input([N, 1, 28, 28]), conv2d({ out: 6, kernel: 5 }), flatten, linear({ out: 120 }), batchNorm2d({ features: 120 })) // error: batchNorm2d: expects [N, C, H, W], got [N,120] — use batchNorm1d on [N, features]
export const m5 = pipe(input([N, 64, 56, 56]), residualBlock(128)) // error: residual: main path gives [N,128,56,56], input gives [N,64,56,56]
export const m6 = pipe(input([N, 64, 56, 56]), residual(flow(conv2d({ out: 64, kernel: 3, padding: 1, stride: 2 }), relu))) // error: residual: main path gives [N,64,28,28], input gives [N,64,56,56]
export const m7 = pipe(input([N, 64, 56, 56]), residual(flow(conv2d({ out: 128, kernel: 3, padding: 1 }), relu))) // error: residual: main path gives [N,128,56,56], input gives [N,64,56,56]
export const m8 = pipe(input([N, 192, 28, 28]), parallel(conv2d({ out: 64, kernel: 1 }), conv2d({ out: 64, kernel: 3 }))) // error: parallel: branch 2 gives H 26, branch 1 gives 28
// A dense layer that shrinks H, W (it was silent: a generic flow compared in a conditional type was not decided).
export const m9 = pipe(input([N, 64, 56, 56]), denseBlock({ layers: 4, growth: 32 }, () => flow(batchNorm2d(), relu, conv2d({ out: 32, kernel: 3 })))) // error: denseBlock: each layer must give [N,32,56,56] (growth 32 at its input's N, H, W) on [N,64,56,56]
export const m10 = pipe(input([N, 1, 224, 224]), vggBlock(64), vggBlock(128), vggBlock(256), vggBlock(512), vggBlock(512), flatten, linear({ in: prod(512, 7, 7), out: 4096 }), linear({ in: 4096, out: 10 }), batchNorm1d({ features: 4096 })) // error: batchNorm1d: expected 4096 features, got 10
export const m11 = pipe(input([N, 1, 224, 224]), vggBlock(64), vggBlock(128), vggBlock(256), vggBlock(512), flatten, linear({ in: prod(512, 7, 7), out: 4096 })) // error: linear: expected 25088 input features, got 100352
export const m12 = pipe(input([N, 3, 32, 32]), conv2d({ out: 16, kernel: 3, in: 1 })) // error: conv2d: expected 1 input channels, got 3
export const m13 = pipe(input([N, 1, 8, 8]), maxPool2d({ kernel: 3, stride: 2 }), maxPool2d({ kernel: 3, stride: 2 }), maxPool2d({ kernel: 3, stride: 2 })) // error: maxPool2d: kernel larger than padded input (input 1, dilated kernel exceeds padded input by 2)
export const m14 = pipe(input([1, 28, 28]), conv2d({ out: 6, kernel: 5 })) // error: conv2d: expects [N, C, H, W], got [1,28,28] — add the batch dim N in front
export const m15 = pipe(input([N, 400]), conv2d({ out: 6, kernel: 5 })) // error: conv2d: expects [N, C, H, W], got [N,400]
export const m16 = pipe(input([N, 3, 32, 32]), conv2d({ out: 16, kernel: 3, padding: 1 }), linear({ out: 10 })) // error: linear: expects [N, features], got [N,16,32,32] — flatten first
// Silent under tsc: a reusable head used last with the wrong width, never consumed (its type shows ⛔; the trace throws); the plugin and shapesafe check report it (error 61001).
export const m17 = pipe(input([N, 16, 5, 5]), head)
export const m18 = graphOf(pipe(input([N, 256, 7, 7]), head)) // error: linear: expected 512 input features, got 256
export const m19 = add(pipe(input([N, 8, 8, 8]), conv2d({ out: 8, kernel: 3 })), input([N, 8, 8, 8])) // error: add: [N,8,6,6] vs [N,8,8,8]
export const m20 = concat(input([N, 8, 8, 8]), input([N, 8, 4, 4])) // error: concat: H differs (8 vs 4)
export const m21 = pipe(input([N, 3, 32, 32]), conv2d({ out: 16, kernel: 3, padding: 1 }), batchNorm1d({ features: 16 })) // error: batchNorm1d: expects [N, features], got [N,16,32,32] — use batchNorm2d on [N, C, H, W]
export const m22 = pipe(input([N, 512, 7, 7]), flatten, linear({ in: 512, out: 10 })) // error: linear: expected 512 input features, got 25088
export const m23 = pipe(input([N, 3, 32, 32]), conv2d({ out: 16, kernel: 3, stride: 0 })) // error: conv2d: stride must be a positive integer, got 0
export const m24 = pipe(input([N, 3, 32, 32]), maxPool2d({ kernel: 2, padding: 2 })) // error: maxPool2d: padding 2 is more than half the kernel 2
export const m25 = pipe(input([N, 192, 28, 28]), inception(64, [96, 128], [16, 32], 32), conv2d({ out: 64, kernel: 1, in: 192 })) // error: conv2d: expected 192 input channels, got 256
// A stand-alone flow that starts with a rank-polymorphic layer before a conv compiles (it was a false error).
const preAct = flow(relu, conv2d({ out: 8, kernel: 3, padding: 1 }))
export const m26 = pipe(input([N, 8, 8, 8]), preAct)
// Generic against concrete in a plain add: passes inside, carried out as a ⛔ dim, reported where consumed.
const plainAdd = <S extends Shape4>(x: Tensor<S>) => add(pipe(x, conv2d({ out: 8, kernel: 3, padding: 1 })), input([N, 8, 8, 8]))
export const m27 = graphOf(pipe(input([N, 3, 16, 16]), plainAdd)) // error: add: [N,8,16,16] vs [N,8,8,8]
// Two type parameters in a plain add: pass inside (it was a false error), decided where applied and consumed.
const twoInputs = <A extends Shape4, B extends Shape4>(a: Tensor<A>, b: Tensor<B>) => add(a, b)
export const m28 = graphOf(twoInputs(input([N, 8, 8, 8]), input([N, 8, 4, 4]))) // error: add: [N,8,8,8] vs [N,8,4,4]
export const m28ok = twoInputs(input([N, 8, 8, 8]), input([N, 8, 8, 8]))
// Silent at compile time (the trace throws `linear: expects [N, features]`): linear's rank after relu in a flow.
const gap = flow(relu, linear({ out: 10 }))
export const m29 = graphOf(pipe(input([N, 512, 7, 7]), gap))
// The input first in a hand-written residual (X + Y), then relu: exact where applied, the verdict when it differs.
const xPlusY = <S extends Shape4>(X: Tensor<S>) => pipe(add(X, pipe(X, conv2d({ out: 32, kernel: 3, padding: 1 }), batchNorm2d())), relu)
export const m30ok = pipe(input([N, 32, 16, 16]), xPlusY, xPlusY)
export const m30 = pipe(input([N, 16, 16, 16]), xPlusY, relu) // error: add: [N,16,16,16] vs [N,32,16,16]
// The seed's Residual with its batch-norm width a parameter of its own, right and wrong.
const residualBn = <const C extends number, const D extends number>(numChannels: C, bnChannels: D) => <S extends Shape4>(X: Tensor<S>) =>
  pipe(add(pipe(X, conv2d({ out: numChannels, kernel: 3, padding: 1 }), batchNorm2d({ features: bnChannels }), relu), X), relu)
export const m31ok = pipe(input([N, 64, 16, 16]), residualBn(64, 64), residualBn(64, 64))
export const m31 = pipe(input([N, 64, 16, 16]), residualBn(64, 128), relu) // error: batchNorm2d: expected 128 channels, got 64
// DenseNet's torch.cat((X, Y), dim=1) with Y flattened by mistake.
const m32x = input([N, 64, 4, 4])
export const m32 = concat(m32x, pipe(m32x, flatten, linear({ out: 32 }))) // error: concat: expects [N, C, H, W] tensors, got [N,64,4,4] and [N,32]
