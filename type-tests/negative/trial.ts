// An independent user trial (issue 11, helper trial5): the seed's d2l networks and blocks (LeNet, AlexNet, VGG, NiN,
// GoogLeNet, BatchNorm, ResNet, DenseNet) written as a user would from README/getting-started/custom-blocks, then
// realistic mistakes in them. Each mistake line carries the verdict it gets; the mistakes this library does not yet
// report at their own line are kept as plain code with a note (they compile here, or report elsewhere) and are listed
// in docs/custom-blocks.md. The correct programs follow the mistakes and must compile.
import { flow, pipe } from 'fp-ts/lib/function.js'
import {
  add, adaptiveAvgPool2d, avgPool2d, batchNorm1d, batchNorm2d, concat, conv2d, denseBlock, dim, dropout, flatten, graphOf,
  input, linear, maxPool2d, N, parallel, pipe as longPipe, flow as longFlow, prod, relu, residual, sigmoid, softmax,
  type Dim, type Named, type Shape4, type Tensor,
} from 'shapesafe'

interface H extends Named<'H'> {}
interface W extends Named<'W'> {}
const Hd = dim<H>('H')
const Wd = dim<W>('W')

// LeNet: wrong Linear width (256 instead of 400)
export const n01 = pipe(
  input([N, 1, 28, 28]),
  conv2d({ out: 6, kernel: 5, padding: 2 }), sigmoid, avgPool2d({ kernel: 2, stride: 2 }),
  conv2d({ out: 16, kernel: 5 }), sigmoid, avgPool2d({ kernel: 2, stride: 2 }),
  flatten,
  linear({ in: 256, out: 120 }), sigmoid, // error: linear: expected 256 input features, got 400
  linear({ in: 120, out: 84 }), sigmoid,
  linear({ in: 84, out: 10 }),
)
// LeNet: forgot padding 2, Linear(400) then gets 256
export const n02 = pipe(
  input([N, 1, 28, 28]),
  conv2d({ out: 6, kernel: 5 }), sigmoid, avgPool2d({ kernel: 2, stride: 2 }),
  conv2d({ out: 16, kernel: 5 }), sigmoid, avgPool2d({ kernel: 2, stride: 2 }),
  flatten,
  linear({ in: 400, out: 120 }), sigmoid, // error: linear: expected 400 input features, got 256
  linear({ in: 120, out: 84 }), sigmoid,
  linear({ in: 84, out: 10 }),
)
// AlexNet at 227 input: Linear(6400) gets 9216
export const n03 = longPipe(
  input([N, 1, 227, 227]),
  conv2d({ out: 96, kernel: 11, stride: 4, padding: 1 }), relu, maxPool2d({ kernel: 3, stride: 2 }),
  conv2d({ out: 256, kernel: 5, padding: 2 }), relu, maxPool2d({ kernel: 3, stride: 2 }),
  conv2d({ out: 384, kernel: 3, padding: 1 }), relu,
  conv2d({ out: 384, kernel: 3, padding: 1 }), relu,
  conv2d({ out: 256, kernel: 3, padding: 1 }), relu,
  maxPool2d({ kernel: 3, stride: 2 }),
  flatten,
  linear({ in: 6400, out: 4096 }), relu, dropout({ p: 0.5 }), // error: linear: expected 6400 input features, got 9216
  linear({ in: 4096, out: 4096 }), relu, dropout({ p: 0.5 }),
  linear({ in: 4096, out: 10 }),
)
// conv in channels 3 on a 1-channel image
export const n04 = pipe(input([N, 1, 28, 28]), conv2d({ in: 3, out: 16, kernel: 3 }), relu) // error: conv2d: expected 3 input channels, got 1
// batchNorm2d features 32 after 16-channel conv
export const n05 = pipe(
  input([N, 1, 28, 28]),
  conv2d({ out: 16, kernel: 3, padding: 1 }),
  batchNorm2d({ features: 32 }), // error: batchNorm2d: expected 32 channels, got 16
  relu,
)
// batchNorm1d features 120 after Linear(120, 84)
export const n06 = pipe(
  input([N, 400]),
  linear({ in: 400, out: 120 }), batchNorm1d({ features: 120 }), sigmoid,
  linear({ in: 120, out: 84 }), batchNorm1d({ features: 120 }), sigmoid, // error: batchNorm1d: expected 120 features, got 84
  linear({ in: 84, out: 10 }),
)
// forgot flatten before linear
export const n07 = pipe(input([N, 16, 5, 5]), linear({ in: 400, out: 120 }), relu) // error: linear: expects [N, features], got [N,16,5,5] — flatten first
// conv after flatten
export const n08 = pipe(input([N, 1, 28, 28]), flatten, conv2d({ out: 6, kernel: 5 })) // error: conv2d: expects [N, C, H, W], got [N,784] — it needs an image batch; flatten and linear belong after the convolutions and pools
// 3-D input to conv (batch dim forgotten)
export const n09 = pipe(input([1, 28, 28]), conv2d({ out: 6, kernel: 5 }), relu) // error: conv2d: expects [N, C, H, W], got [1,28,28] — add the batch dim N in front
// batchNorm2d on [N, F]
export const n10 = pipe(input([N, 120]), batchNorm2d(), relu) // error: batchNorm2d: expects [N, C, H, W], got [N,120] — use batchNorm1d on [N, features]
// window larger than input, last layer, exported
export const n11 = pipe(input([N, 3, 5, 5]), conv2d({ out: 8, kernel: 7 })) // error: conv2d: kernel larger than padded input (input 5, dilated kernel exceeds padded input by 2)
// maxPool kernel 3 on 2x2 map, last layer
export const n12 = pipe(input([N, 3, 2, 2]), maxPool2d({ kernel: 3 })) // error: maxPool2d: kernel larger than padded input (input 2, dilated kernel exceeds padded input by 1)
// window larger mid-pipe followed by flatten and linear
export const n13 = pipe(
  input([N, 1, 4, 4]),
  conv2d({ out: 8, kernel: 5 }), relu, // error: conv2d: kernel larger than padded input (input 4, dilated kernel exceeds padded input by 1)
  flatten,
  linear({ out: 10 }),
)
// misspelt kernel_size
export const n14 = pipe(input([N, 1, 28, 28]), conv2d({ out: 8, kernel_size: 3 })) // error: conv2d: unknown option 'kernel_size' (did you mean 'kernel'?)
// misspelt strides in maxPool2d (also a LayerOptionsError at run time)
export const n15 = pipe(input([N, 1, 28, 28]), maxPool2d({ kernel: 2, strides: 2 })) // error: maxPool2d: unknown option 'strides' (did you mean 'stride'?)
// An optional option misspelt once the required ones are there (TypeScript's own excess-property check does not see it).
export const n15b = pipe(input([N, 1, 28, 28]), conv2d({ out: 8, kernel: 3, strides: 2 })) // error: conv2d: unknown option 'strides' (did you mean 'stride'?)
export const n15c = pipe(input([N, 1, 28, 28]), maxPool2d({ kernel: 3, stride: 2, ceil_mode: true })) // error: maxPool2d: unknown option 'ceil_mode' (did you mean 'ceilMode'?)
export const n15d = pipe(input([N, 1, 28, 28]), avgPool2d({ kernel: 3, count_include_pad: false })) // error: avgPool2d: unknown option 'count_include_pad' (did you mean 'countIncludePad'?)
export const n15e = conv2d({ out: 8, kernel: 3, padding: 1, bais: false }) // error: conv2d: unknown option 'bais'
export const n15f = adaptiveAvgPool2d({ output: 1, outputSize: 2 }) // error: adaptiveAvgPool2d: unknown option 'outputSize'
export const n15g = maxPool2d({ kernel: 2, countIncludePad: false }) // error: maxPool2d: unknown option 'countIncludePad'
const Residual15 = <C extends number, St extends number>(numChannels: C, strides: St) => flow(conv2d({ out: numChannels, kernel: 3, padding: 1, strides }), relu) // error: conv2d: unknown option 'strides' (did you mean 'stride'?)
export const n15h = pipe(input([N, 3, 8, 8]), Residual15(8, 2))
// misspelt in_features
export const n16 = pipe(input([N, 400]), linear({ in_features: 400, out: 120 })) // error: linear: unknown option 'in_features' (did you mean 'in'?); its options are out, in, bias, name
// dropout with rate instead of p
export const n17 = pipe(input([N, 400]), dropout({ rate: 0.5 })) // error: dropout: unknown option 'rate' (did you mean 'p'?)
// add of different channels (concrete)
const x18 = input([N, 16, 8, 8])
export const n18 = add(pipe(x18, conv2d({ out: 8, kernel: 1 })), pipe(x18, conv2d({ out: 16, kernel: 1 }))) // error: add: [N,8,8,8] vs [N,16,8,8]
// add of different H (one path strided, concrete)
const x19 = input([N, 16, 8, 8])
export const n19 = add(pipe(x19, conv2d({ out: 8, kernel: 3, padding: 1 })), pipe(x19, conv2d({ out: 8, kernel: 1, stride: 2 }))) // error: add: [N,8,8,8] vs [N,8,4,4]
// concat of different H (concrete)
const x20 = input([N, 16, 8, 8])
export const n20 = concat(pipe(x20, conv2d({ out: 8, kernel: 3 })), pipe(x20, conv2d({ out: 8, kernel: 1 }))) // error: concat: H differs (6 vs 8)
// concat of 4-D and 2-D (it had only TypeScript's No overload matches)
const x21 = input([N, 16, 8, 8])
export const n21 = concat(x21, pipe(x21, flatten)) // error: concat: expects [N, C, H, W] tensors, got [N,16,8,8] and [N,1024]
// residual whose main path gives 64 channels on a 32-channel input (concrete) — reported one line early
// export const n22 = pipe(
//   input([N, 32, 28, 28]),
//   residual(flow(conv2d({ out: 64, kernel: 3, padding: 1 }), batchNorm2d(), relu, conv2d({ out: 64, kernel: 3, padding: 1 }), batchNorm2d())),
//   relu,
// )
// identity residual with a strided main path (concrete) — reported one line early
// export const n23 = pipe(
//   input([N, 64, 28, 28]),
//   residual(flow(conv2d({ out: 64, kernel: 3, padding: 1, stride: 2 }), batchNorm2d(), relu)),
//   relu,
// )
// projection shortcut that forgot its stride — reported one line early
// export const n24 = pipe(
//   input([N, 64, 56, 56]),
//   residual(
//     flow(conv2d({ out: 128, kernel: 3, padding: 1, stride: 2 }), batchNorm2d(), relu, conv2d({ out: 128, kernel: 3, padding: 1 }), batchNorm2d()),
//     flow(conv2d({ out: 128, kernel: 1 }), batchNorm2d()),
//   ),
//   relu,
// )
// parallel branches of different H (3x3 without padding), inline — reported one line early
// export const n25 = pipe(
//   input([N, 3, 8, 8]),
//   parallel(flow(conv2d({ out: 8, kernel: 1 }), relu), flow(conv2d({ out: 8, kernel: 3 }), relu)),
// )
// denseBlock layer giving 16 channels instead of growth 32
const conv26 = <S extends Shape4>(x: Tensor<S>) => pipe(x, batchNorm2d(), relu, conv2d({ out: 16, kernel: 3, padding: 1 }))
export const n26 = pipe(input([N, 64, 8, 8]), denseBlock({ layers: 2, growth: 32 }, () => conv26)) // error: denseBlock: each layer must give [N,32,8,8] (growth 32 at its input's N, H, W) on [N,64,8,8]
// generic add: stride 1 vs stride 2 (issue form)
const block27 = <S extends Shape4>(x: Tensor<S>) =>
  add(pipe(x, conv2d({ out: 8, kernel: 1 })), pipe(x, conv2d({ out: 8, kernel: 1, stride: 2 }))) // error: add: [N,8,H,W] vs [N,8,⌈H/2⌉,⌈W/2⌉]
export const n27 = pipe(input([N, 3, 8, 8]), block27)
// generic add swapped
const block28 = <S extends Shape4>(x: Tensor<S>) =>
  add(pipe(x, conv2d({ out: 8, kernel: 1, stride: 2 })), pipe(x, conv2d({ out: 8, kernel: 1 }))) // error: add: [N,8,⌈H/2⌉,⌈W/2⌉] vs [N,8,H,W]
export const n28 = pipe(input([N, 3, 8, 8]), block28)
// generic add: 2x2 pool vs 3x3/s2/p1 conv
const block29 = <S extends Shape4>(x: Tensor<S>) =>
  add(pipe(x, conv2d({ out: 8, kernel: 3, stride: 2, padding: 1 })), pipe(x, conv2d({ out: 8, kernel: 1 }), maxPool2d({ kernel: 2 }))) // error: add: [N,8,⌈H/2⌉,⌈W/2⌉] vs [N,8,⌊H/2⌋,⌊W/2⌋]
export const n29 = pipe(input([N, 3, 9, 9]), block29)
// generic add: different channels
const block30 = <S extends Shape4>(x: Tensor<S>) =>
  add(pipe(x, conv2d({ out: 8, kernel: 3, padding: 1 })), pipe(x, conv2d({ out: 16, kernel: 1 }))) // error: add: [N,8,H,W] vs [N,16,H,W]
export const n30 = pipe(input([N, 3, 8, 8]), block30)
// block generic in channels: add of c vs 16 applied with 8
const block31 = <C extends number>(c: C) => <S extends Shape4>(x: Tensor<S>) =>
  add(pipe(x, conv2d({ out: c, kernel: 3, padding: 1 })), pipe(x, conv2d({ out: 16, kernel: 1 })))
export const n31 = pipe(input([N, 3, 8, 8]), block31(8), relu) // error: add: [N,8,H,W] vs [N,16,H,W]
// seed Residual without 1x1 conv but strides 2
const Residual32 = <C extends number, St extends number>(numChannels: C, strides: St) =>
  residual(flow(
    conv2d({ out: numChannels, kernel: 3, padding: 1, stride: strides }), batchNorm2d({ features: numChannels }), relu,
    conv2d({ out: numChannels, kernel: 3, padding: 1 }), batchNorm2d({ features: numChannels }),
  ))
export const n32 = pipe(input([N, 64, 56, 56]), Residual32(64, 2), relu) // error: residual: main path gives [N,64,28,28], input gives [N,64,56,56]
// seed Residual without 1x1 conv, channels change
const Residual33 = <C extends number>(numChannels: C) =>
  residual(flow(
    conv2d({ out: numChannels, kernel: 3, padding: 1 }), batchNorm2d({ features: numChannels }), relu,
    conv2d({ out: numChannels, kernel: 3, padding: 1 }), batchNorm2d({ features: numChannels }),
  ))
export const n33 = pipe(input([N, 64, 56, 56]), Residual33(128), relu) // error: residual: main path gives [N,128,56,56], input gives [N,64,56,56]
// Inception with a 3x3 branch missing padding
const incep34 = <C1 extends number, C2 extends number>(c1: C1, c2: C2) =>
  parallel(
    flow(conv2d({ out: c1, kernel: 1 }), relu),
    flow(conv2d({ out: c2, kernel: 3 }), relu),
  )
export const n34 = pipe(input([N, 192, 28, 28]), incep34(64, 128)) // error: parallel: branch 2 gives H 26, branch 1 gives 28
// Inception with a pool branch missing padding (branch 4)
const incep35 = <C1 extends number, C4 extends number>(c1: C1, c4: C4) =>
  parallel(
    flow(conv2d({ out: c1, kernel: 1 }), relu),
    flow(conv2d({ out: c1, kernel: 1 }), relu, conv2d({ out: c1, kernel: 3, padding: 1 }), relu),
    flow(conv2d({ out: c1, kernel: 1 }), relu, conv2d({ out: c1, kernel: 5, padding: 2 }), relu),
    flow(maxPool2d({ kernel: 3, stride: 1 }), conv2d({ out: c4, kernel: 1 }), relu),
  )
export const n35 = pipe(input([N, 192, 28, 28]), incep35(64, 32)) // error: parallel: branch 4 gives H 26, branch 1 gives 28
// GoogLeNet head: Linear(1024) after 1000 channels
export const n36 = pipe(
  input([N, 832, 7, 7]),
  parallel(conv2d({ out: 256, kernel: 1 }), conv2d({ out: 320, kernel: 3, padding: 1 }), conv2d({ out: 128, kernel: 5, padding: 2 }), conv2d({ out: 296, kernel: 1 })),
  adaptiveAvgPool2d({ output: 1 }), flatten,
  linear({ in: 1024, out: 10 }), // error: linear: expected 1024 input features, got 1000
)
// VGG at 96x96 input with Linear(512*7*7)
const vggBlock37 = <C extends number>(c: C) => flow(conv2d({ out: c, kernel: 3, padding: 1 }), relu, maxPool2d({ kernel: 2, stride: 2 }))
export const n37 = pipe(
  input([N, 1, 96, 96]),
  vggBlock37(64), vggBlock37(128), vggBlock37(256), vggBlock37(512), vggBlock37(512),
  flatten,
  linear({ in: prod(512, 7, 7), out: 4096 }), relu, // error: linear: expected 25088 input features, got 4608
  linear({ out: 10 }),
)
// VGG with only four blocks before Linear(512*7*7)
const vggBlock38 = <C extends number>(c: C) => flow(conv2d({ out: c, kernel: 3, padding: 1 }), relu, maxPool2d({ kernel: 2, stride: 2 }))
export const n38 = pipe(
  input([N, 1, 224, 224]),
  vggBlock38(64), vggBlock38(128), vggBlock38(256), vggBlock38(512),
  flatten,
  linear({ in: prod(512, 7, 7), out: 4096 }), relu, // error: linear: expected 25088 input features, got 100352
  linear({ out: 10 }),
)
// Linear(16 * 5 * 5) as a plain number
export const n39 = pipe(input([N, 16, 5, 5]), flatten, linear({ in: 16 * 5 * 5, out: 120 })) // error: linear: in is a plain number, which turns its check off — write a literal or prod(16, 5, 5) to keep the check, or omit in to take the features from the input
// batchNorm2d features computed
const f40 = 16 * 2
export const n40 = pipe(input([N, 16, 5, 5]), batchNorm2d({ features: f40 })) // error: batchNorm2d: features is a plain number, which turns its check off — write a literal or prod(16, 5, 5) to keep the check, or omit features to take the channels from the input
// conv in computed
const inC41: number = 3
export const n41 = pipe(input([N, 3, 5, 5]), conv2d({ in: inC41, out: 8, kernel: 3 })) // error: conv2d: in is a plain number, which turns its check off — write a literal or prod(16, 5, 5) to keep the check, or omit in to take the channels from the input
// DenseNet transition with the wrong in channels — SILENT under tsc when the flow is the last stage (documented); graphOf/trace throw; the plugin and shapesafe check report it (error 61001)
const transition42 = flow(batchNorm2d(), relu, conv2d({ in: 128, out: 96, kernel: 1 }), avgPool2d({ kernel: 2, stride: 2 }))
export const n42 = pipe(input([N, 192, 56, 56]), transition42)
// reusable head flow used last on the wrong size (documented) — SILENT under tsc when the head is the last stage (documented); graphOf/trace throw; the plugin and shapesafe check report it (error 61001)
const head43 = flow(flatten, linear({ in: 400, out: 10 }))
export const n43 = pipe(input([N, 16, 4, 4]), head43)
// reusable head flow followed by softmax on the wrong size
const head44 = flow(flatten, linear({ in: 400, out: 10 }))
export const n44 = pipe(input([N, 16, 4, 4]), head44, softmax) // error: linear: expected 400 input features, got 256
// block reused at two sizes: second too small for the 5x5 window
const block45 = flow(conv2d({ out: 8, kernel: 5 }), relu)
export const n45a = pipe(input([N, 3, 8, 8]), block45, flatten)
export const n45 = pipe(input([N, 3, 4, 4]), block45, flatten) // error: conv2d: kernel larger than padded input (input 4, dilated kernel exceeds padded input by 1)
// nested: stage of two residual blocks, the second strided without projection
const rb46 = <C extends number, St extends number>(c: C, st: St) =>
  residual(flow(conv2d({ out: c, kernel: 3, padding: 1, stride: st }), batchNorm2d(), relu, conv2d({ out: c, kernel: 3, padding: 1 }), batchNorm2d()))
const stage46 = flow(rb46(64, 1), relu, rb46(64, 2), relu)
export const n46 = pipe(input([N, 64, 32, 32]), stage46, adaptiveAvgPool2d({ output: 1 })) // error: residual: main path gives [N,64,16,16], input gives [N,64,32,32]
// flow's first layer expects 3 channels, applied to 1
const stem47 = flow(conv2d({ in: 3, out: 8, kernel: 3 }), relu)
export const n47 = pipe(input([N, 1, 28, 28]), stem47) // error: conv2d: expected 3 input channels, got 1
// flow's last layer expects 16 channels, applied then followed by relu
const stem48 = flow(conv2d({ out: 8, kernel: 3 }), relu, conv2d({ in: 16, out: 8, kernel: 3 })) // error: conv2d: expected 16 input channels, got 8
export const n48 = pipe(input([N, 1, 28, 28]), stem48, relu) // error: (b: unknown)
// inline flow in a pipe with a wrong batchNorm
export const n49 = pipe(input([N, 1, 28, 28]), flow(conv2d({ out: 8, kernel: 3 }), batchNorm2d({ features: 16 }))) // error: batchNorm2d: expected 16 channels, got 8
// linear in/out swapped
export const n50 = pipe(input([N, 120]), linear({ in: 120, out: 84 }), relu, linear({ in: 10, out: 84 })) // error: linear: expected 10 input features, got 84
// conv in/out swapped
export const n51 = pipe(input([N, 1, 28, 28]), conv2d({ out: 6, kernel: 5, padding: 2 }), conv2d({ in: 16, out: 6, kernel: 5 })) // error: conv2d: expected 16 input channels, got 6
// add of a tensor and its flattened self
const x52 = input([N, 16, 2, 2])
export const n52 = add(pipe(x52, flatten), pipe(x52, flatten, linear({ out: 32 }))) // error: add: [N,64] vs [N,32]
// residual with shortcut stride 1 and main stride 2, generic, applied
const down53 = <C extends number>(c: C) =>
  residual(
    flow(conv2d({ out: c, kernel: 3, padding: 1, stride: 2 }), batchNorm2d(), relu),
    flow(conv2d({ out: c, kernel: 1 }), batchNorm2d()),
  )
export const n53 = pipe(input([N, 64, 32, 32]), down53(128)) // error: residual: main path gives [N,128,16,16], shortcut gives [N,128,32,32]
// dilated conv larger than its input
export const n54 = pipe(input([N, 3, 4, 4]), conv2d({ out: 8, kernel: 3, dilation: 2 })) // error: conv2d: kernel larger than padded input (input 4, dilated kernel exceeds padded input by 1)
// avgPool padding larger than half its kernel
export const n55 = pipe(input([N, 3, 8, 8]), avgPool2d({ kernel: 2, padding: 2 })) // error: avgPool2d: padding 2 is more than half the kernel 2
// groups that do not divide the input channels
export const n56 = pipe(input([N, 16, 8, 8]), conv2d({ out: 12, kernel: 3, groups: 3 })) // error: conv2d: input channels 16 not divisible by groups 3
// out 0 channels
export const n57 = pipe(input([N, 16, 8, 8]), conv2d({ out: 0, kernel: 3 })) // error: conv2d: out channels must be a positive integer, got 0
// stride 0
export const n58 = pipe(input([N, 16, 8, 8]), conv2d({ out: 8, kernel: 3, stride: 0 })) // error: conv2d: stride must be a positive integer, got 0
// linear out only on 4-D input
export const n59 = pipe(input([N, 16, 5, 5]), linear({ out: 10 })) // error: linear: expects [N, features], got [N,16,5,5] — flatten first
// adaptiveAvgPool2d on [N, F]
export const n60 = pipe(input([N, 120]), adaptiveAvgPool2d({ output: 1 })) // error: adaptiveAvgPool2d: expects [N, C, H, W], got [N,120] — it needs an image batch; flatten and linear belong after the convolutions and pools
// named dims: generic add with different strides
const block61 = <S extends Shape4>(x: Tensor<S>) =>
  add(pipe(x, conv2d({ out: 8, kernel: 3, padding: 1, stride: 2 })), pipe(x, conv2d({ out: 8, kernel: 1, stride: 4 }))) // error: add: [N,8,⌈H/2⌉,⌈W/2⌉] vs [N,8,⌈H/4⌉,⌈W/4⌉]
export const n61 = pipe(input([N, 3, Hd, Wd]), block61)
// parallel with a generic stride in one branch, applied with 2
const par62 = <St extends number>(s: St) =>
  parallel(flow(conv2d({ out: 8, kernel: 3, padding: 1, stride: s })), flow(conv2d({ out: 8, kernel: 1 })))
export const n62 = pipe(input([N, 3, 16, 16]), par62(2)) // error: parallel: branch 2 gives H 16, branch 1 gives 8
// generic block with conv2d in 64, applied to 32 — SILENT under tsc when the block is the last stage (its ⛔ batch dim is never consumed); graphOf/trace throw; the plugin and shapesafe check report it (error 61001)
const block63 = <S extends Shape4>(x: Tensor<S>) => pipe(x, conv2d({ in: 64, out: 64, kernel: 3, padding: 1 }), relu)
export const n63 = pipe(input([N, 32, 8, 8]), block63)
// batchNorm1d after conv (rank)
export const n64 = pipe(input([N, 1, 28, 28]), conv2d({ out: 6, kernel: 5 }), batchNorm1d({ features: 6 })) // error: batchNorm1d: expects [N, features], got [N,6,24,24] — use batchNorm2d on [N, C, H, W]
// batchNorm1d on 4-D, no features
export const n65 = pipe(input([N, 16, 5, 5]), batchNorm1d()) // error: batchNorm1d: expects [N, features], got [N,16,5,5] — use batchNorm2d on [N, C, H, W]
// maxPool 2 after global pooling
export const n66 = pipe(input([N, 16, 8, 8]), adaptiveAvgPool2d({ output: 1 }), maxPool2d({ kernel: 2 })) // error: maxPool2d: kernel larger than padded input (input 1, dilated kernel exceeds padded input by 1)
// GoogLeNet b2 expects 64 channels but b1 gives 32
const b1_67 = flow(conv2d({ out: 32, kernel: 7, stride: 2, padding: 3 }), relu, maxPool2d({ kernel: 3, stride: 2, padding: 1 }))
const b2_67 = flow(conv2d({ in: 64, out: 64, kernel: 1 }), relu, conv2d({ out: 192, kernel: 3, padding: 1 }), relu, maxPool2d({ kernel: 3, stride: 2, padding: 1 }))
export const n67 = pipe(input([N, 1, 96, 96]), b1_67, b2_67) // error: conv2d: expected 64 input channels, got 32
// generic residual block reused at a second size with other channels
const rb68 = residual(flow(conv2d({ out: 64, kernel: 3, padding: 1 }), relu, conv2d({ out: 64, kernel: 3, padding: 1 })))
export const n68a = pipe(input([N, 64, 16, 16]), rb68)
export const n68 = pipe(input([N, 32, 16, 16]), rb68) // error: residual: main path gives [N,64,16,16], input gives [N,32,16,16]
// concat in generic block with different H
const block69 = <S extends Shape4>(x: Tensor<S>) =>
  concat(pipe(x, conv2d({ out: 8, kernel: 3, padding: 1 })), pipe(x, maxPool2d({ kernel: 2 }))) // error: concat: H differs (H vs ⌊H/2⌋)
export const n69 = pipe(input([N, 8, 8, 8]), block69)
// named dims: flatten over symbolic H
export const n70 = pipe(input([N, 3, Hd, Wd]), conv2d({ out: 8, kernel: 3, padding: 1 }), flatten, linear({ out: 10 })) // error: flatten: features of [N,8,H,W] depend on symbolic sizes — give the input concrete sizes, or pool to a fixed size first (adaptiveAvgPool2d)
// seed Residual hand-written forward (generic fn) with batchNorm2d({features}) of the wrong channel param (it was a
// false error inside the block): compiles, exact with the right one, the carried verdict with the wrong one
const Residual71 = <C extends number, D extends number>(numChannels: C, bnChannels: D) => <S extends Shape4>(X: Tensor<S>) =>
  pipe(add(pipe(X, conv2d({ out: numChannels, kernel: 3, padding: 1 }), batchNorm2d({ features: bnChannels }), relu), X), relu)
export const n71ok: Tensor<[N, 64, 8, 8]> = pipe(input([N, 64, 8, 8]), Residual71(64, 64), relu)
export const n71 = pipe(input([N, 64, 8, 8]), Residual71(64, 32), relu) // error: batchNorm2d: expected 32 channels, got 64
// avgPool kernel bigger than input, inside a generic flow, not last
const pool72 = flow(avgPool2d({ kernel: 4, stride: 4 }), relu)
export const n72 = pipe(input([N, 8, 3, 3]), pool72, relu) // error: avgPool2d: kernel larger than padded input (input 3, dilated kernel exceeds padded input by 1)
// NiN block generic over kernel/stride, conv1x1 with wrong in
const nin73 = <C extends number>(c: C) =>
  flow(conv2d({ out: c, kernel: 3, padding: 1 }), relu, conv2d({ in: 96, out: c, kernel: 1 }), relu)
export const n73 = pipe(input([N, 3, 32, 32]), nin73(64), relu) // error: conv2d: expected 96 input channels, got 64
// linear with in where flatten of 5x5 gives 400 but user assumed 4x4 (last layer)
export const n74 = pipe(input([N, 16, 5, 5]), flatten, linear({ in: 256, out: 10 })) // error: linear: expected 256 input features, got 400
// dense block with concat written by hand, generic, different H
const dl75 = <S extends Shape4>(x: Tensor<S>) => concat(x, pipe(x, conv2d({ out: 32, kernel: 3 }))) // error: concat: H differs (H vs H−2)
export const n75 = pipe(input([N, 64, 8, 8]), dl75)


// ---- correct, seed-style ------------------------------------------------------------------------------------------

// p01 LeNet (seed)
export const p01: Tensor<[N, 10]> = pipe(
  input([N, 1, 28, 28]),
  conv2d({ out: 6, kernel: 5, padding: 2 }), sigmoid, avgPool2d({ kernel: 2, stride: 2 }),
  conv2d({ out: 16, kernel: 5 }), sigmoid, avgPool2d({ kernel: 2, stride: 2 }),
  flatten,
  linear({ in: 400, out: 120 }), sigmoid,
  linear({ in: 120, out: 84 }), sigmoid,
  linear({ in: 84, out: 10 }),
)
// p02 LeNet with prod(16, 5, 5)
export const p02 = pipe(input([N, 16, 5, 5]), flatten, linear({ in: prod(16, 5, 5), out: 120 }), sigmoid, linear({ out: 10 }))
// p03 AlexNet (seed, 21 stages -> shapesafe pipe)
export const p03: Tensor<[N, 10]> = longPipe(
  input([N, 1, 224, 224]),
  conv2d({ out: 96, kernel: 11, stride: 4, padding: 1 }), relu, maxPool2d({ kernel: 3, stride: 2 }),
  conv2d({ out: 256, kernel: 5, padding: 2 }), relu, maxPool2d({ kernel: 3, stride: 2 }),
  conv2d({ out: 384, kernel: 3, padding: 1 }), relu,
  conv2d({ out: 384, kernel: 3, padding: 1 }), relu,
  conv2d({ out: 256, kernel: 3, padding: 1 }), relu,
  maxPool2d({ kernel: 3, stride: 2 }),
  flatten,
  linear({ in: 6400, out: 4096 }), relu, dropout({ p: 0.5 }),
  linear({ in: 4096, out: 4096 }), relu, dropout({ p: 0.5 }),
  linear({ in: 4096, out: 10 }),
)
// p04 VGG-11 with loop-free vgg_block variants
const vgg1 = <C extends number>(c: C) => flow(conv2d({ out: c, kernel: 3, padding: 1 }), relu, maxPool2d({ kernel: 2, stride: 2 }))
const vgg2 = <C extends number>(c: C) => flow(conv2d({ out: c, kernel: 3, padding: 1 }), relu, conv2d({ out: c, kernel: 3, padding: 1 }), relu, maxPool2d({ kernel: 2, stride: 2 }))
export const p04: Tensor<[N, 10]> = pipe(
  input([N, 1, 224, 224]),
  vgg1(64), vgg1(128), vgg2(256), vgg2(512), vgg2(512),
  flatten,
  linear({ in: prod(512, 7, 7), out: 4096 }), relu, dropout({ p: 0.5 }),
  linear({ in: 4096, out: 4096 }), relu, dropout({ p: 0.5 }),
  linear({ in: 4096, out: 10 }),
)
// p05 small VGG (ratio 4)
export const p05 = pipe(input([N, 1, 224, 224]), vgg1(16), vgg1(32), vgg2(64), vgg2(128), vgg2(128), flatten, linear({ in: prod(128, 7, 7), out: 10 }))
// p06 NiN block generic over channels, NiN net
const nin = <C extends number, K extends number, St extends number, P extends number>(out: C, kernel: K, stride: St, padding: P) =>
  flow(conv2d({ out, kernel, stride, padding }), relu, conv2d({ out, kernel: 1 }), relu, conv2d({ out, kernel: 1 }), relu)
export const p06: Tensor<[N, 10]> = pipe(
  input([N, 1, 224, 224]),
  nin(96, 11, 4, 0), maxPool2d({ kernel: 3, stride: 2 }),
  nin(256, 5, 1, 2), maxPool2d({ kernel: 3, stride: 2 }),
  nin(384, 3, 1, 1), maxPool2d({ kernel: 3, stride: 2 }), dropout({ p: 0.5 }),
  nin(10, 3, 1, 1),
  adaptiveAvgPool2d({ output: [1, 1] }),
  flatten,
)
// p07 Inception generic (seed)
const inception = <C1 extends number, C2a extends number, C2 extends number, C3a extends number, C3 extends number, C4 extends number>(
  c1: C1, c2: readonly [C2a, C2], c3: readonly [C3a, C3], c4: C4,
) =>
  parallel(
    flow(conv2d({ out: c1, kernel: 1 }), relu),
    flow(conv2d({ out: c2[0], kernel: 1 }), relu, conv2d({ out: c2[1], kernel: 3, padding: 1 }), relu),
    flow(conv2d({ out: c3[0], kernel: 1 }), relu, conv2d({ out: c3[1], kernel: 5, padding: 2 }), relu),
    flow(maxPool2d({ kernel: 3, stride: 1, padding: 1 }), conv2d({ out: c4, kernel: 1 }), relu),
  )
export const p07: Tensor<[N, 256, 28, 28]> = pipe(input([N, 192, 28, 28]), inception(64, [96, 128], [16, 32], 32))
// p08 GoogLeNet b1..b5 + Linear(1024, 10)
const b1 = flow(conv2d({ out: 64, kernel: 7, stride: 2, padding: 3 }), relu, maxPool2d({ kernel: 3, stride: 2, padding: 1 }))
const b2 = flow(conv2d({ out: 64, kernel: 1 }), relu, conv2d({ out: 192, kernel: 3, padding: 1 }), relu, maxPool2d({ kernel: 3, stride: 2, padding: 1 }))
const b3 = flow(inception(64, [96, 128], [16, 32], 32), inception(128, [128, 192], [32, 96], 64), maxPool2d({ kernel: 3, stride: 2, padding: 1 }))
const b4 = flow(
  inception(192, [96, 208], [16, 48], 64), inception(160, [112, 224], [24, 64], 64),
  inception(128, [128, 256], [24, 64], 64), inception(112, [144, 288], [32, 64], 64),
  inception(256, [160, 320], [32, 128], 128), maxPool2d({ kernel: 3, stride: 2, padding: 1 }),
)
const b5 = flow(inception(256, [160, 320], [32, 128], 128), inception(384, [192, 384], [48, 128], 128), adaptiveAvgPool2d({ output: [1, 1] }), flatten)
export const p08: Tensor<[N, 10]> = pipe(input([N, 1, 96, 96]), b1, b2, b3, b4, b5, linear({ in: 1024, out: 10 }))
// p09 BatchNorm LeNet with features
export const p09: Tensor<[N, 10]> = pipe(
  input([N, 1, 28, 28]),
  conv2d({ out: 6, kernel: 5 }), batchNorm2d({ features: 6 }), sigmoid, avgPool2d({ kernel: 2, stride: 2 }),
  conv2d({ out: 16, kernel: 5 }), batchNorm2d({ features: 16 }), sigmoid, avgPool2d({ kernel: 2, stride: 2 }),
  flatten,
  linear({ in: 256, out: 120 }), batchNorm1d({ features: 120 }), sigmoid,
  linear({ in: 120, out: 84 }), batchNorm1d({ features: 84 }), sigmoid,
  linear({ in: 84, out: 10 }),
)
// p10 BatchNorm LeNet concise
export const p10: Tensor<[N, 10]> = pipe(
  input([N, 1, 28, 28]),
  conv2d({ out: 6, kernel: 5 }), batchNorm2d(), sigmoid, avgPool2d({ kernel: 2, stride: 2 }),
  conv2d({ out: 16, kernel: 5 }), batchNorm2d(), sigmoid, avgPool2d({ kernel: 2, stride: 2 }),
  flatten, linear({ out: 120 }), batchNorm1d(), sigmoid, linear({ out: 84 }), batchNorm1d(), sigmoid, linear({ out: 10 }),
)
// p11 seed Residual with 1x1 conv, features: numChannels
const Residual = <C extends number, St extends number>(numChannels: C, strides: St) =>
  residual(
    flow(
      conv2d({ out: numChannels, kernel: 3, padding: 1, stride: strides }), batchNorm2d({ features: numChannels }), relu,
      conv2d({ out: numChannels, kernel: 3, padding: 1 }), batchNorm2d({ features: numChannels }),
    ),
    flow(conv2d({ out: numChannels, kernel: 1, stride: strides })),
  )
export const p11: Tensor<[N, 128, 28, 28]> = pipe(input([N, 64, 56, 56]), Residual(128, 2), relu)
// p12 identity Residual generic over C
const ResidualId = <C extends number>(numChannels: C) =>
  residual(flow(
    conv2d({ out: numChannels, kernel: 3, padding: 1 }), batchNorm2d({ features: numChannels }), relu,
    conv2d({ out: numChannels, kernel: 3, padding: 1 }), batchNorm2d({ features: numChannels }),
  ))
export const p12: Tensor<[N, 64, 56, 56]> = pipe(input([N, 64, 56, 56]), ResidualId(64), relu)
// p13 ResNet-18-ish small
const p13b1 = flow(conv2d({ out: 64, kernel: 7, stride: 2, padding: 3 }), batchNorm2d(), relu, maxPool2d({ kernel: 3, stride: 2, padding: 1 }))
export const p13: Tensor<[N, 10]> = pipe(
  input([N, 1, 96, 96]),
  p13b1,
  ResidualId(64), relu, ResidualId(64), relu,
  Residual(128, 2), relu, ResidualId(128), relu,
  Residual(256, 2), relu, ResidualId(256), relu,
  Residual(512, 2), relu,
  adaptiveAvgPool2d({ output: 1 }), flatten, linear({ in: 512, out: 10 }),
)
// p14 hand-written residual add with stride 2
const down = <C extends number>(c: C) => <S extends Shape4>(x: Tensor<S>) =>
  pipe(add(
    pipe(x, conv2d({ out: c, kernel: 3, padding: 1, stride: 2 }), batchNorm2d(), relu, conv2d({ out: c, kernel: 3, padding: 1 }), batchNorm2d()),
    pipe(x, conv2d({ out: c, kernel: 1, stride: 2 }), batchNorm2d()),
  ), relu)
export const p14: Tensor<[N, 32, 8, 8]> = pipe(input([N, 16, 16, 16]), down(32))
// p15 ResNet-D shortcut
const downD = <S extends Shape4>(x: Tensor<S>) =>
  add(
    pipe(x, conv2d({ out: 32, kernel: 3, padding: 1, stride: 2 })),
    pipe(x, avgPool2d({ kernel: 2, stride: 2, ceilMode: true }), conv2d({ out: 32, kernel: 1 })),
  )
export const p15: Tensor<[N, 32, 8, 8]> = pipe(input([N, 16, 15, 15]), downD)
// p16 swapped add order
const downSw = <S extends Shape4>(x: Tensor<S>) =>
  add(pipe(x, conv2d({ out: 8, kernel: 1, stride: 2 })), pipe(x, conv2d({ out: 8, kernel: 3, padding: 1, stride: 2 })))
export const p16 = pipe(input([N, 3, 8, 8]), downSw)
// p17 DenseNet conv_block + denseBlock + transition
const convBlock = <K extends number>(k: K) => <S extends Shape4>(x: Tensor<S>) => pipe(x, batchNorm2d(), relu, conv2d({ out: k, kernel: 3, padding: 1 }))
const transition = <C extends number>(c: C) => flow(batchNorm2d(), relu, conv2d({ out: c, kernel: 1 }), avgPool2d({ kernel: 2, stride: 2 }))
export const p17: Tensor<[N, 96, 28, 28]> = pipe(input([N, 64, 56, 56]), denseBlock({ layers: 4, growth: 32 }, () => convBlock(32)), transition(96))
// p18 DenseNet small
export const p18: Tensor<[N, 10]> = pipe(
  input([N, 1, 96, 96]),
  conv2d({ out: 64, kernel: 7, stride: 2, padding: 3 }), batchNorm2d(), relu, maxPool2d({ kernel: 3, stride: 2, padding: 1 }),
  denseBlock({ layers: 4, growth: 32 }, () => convBlock(32)), transition(96),
  denseBlock({ layers: 4, growth: 32 }, () => convBlock(32)), transition(112),
  batchNorm2d(), relu, adaptiveAvgPool2d({ output: 1 }), flatten, linear({ in: 112, out: 10 }),
)
// p19 hand-written dense layer with concat
const denseLayer = <S extends Shape4>(x: Tensor<S>) => concat(x, pipe(x, batchNorm2d(), relu, conv2d({ out: 32, kernel: 3, padding: 1 })))
export const p19: Tensor<[N, 96, 8, 8]> = pipe(input([N, 64, 8, 8]), denseLayer)
// p20 named dims through strided layers
export const p20: Tensor<[N, 10]> = pipe(
  input([N, 3, Hd, Wd]),
  conv2d({ out: 16, kernel: 3, stride: 2, padding: 1 }), relu, maxPool2d({ kernel: 2 }),
  adaptiveAvgPool2d({ output: 1 }), flatten, linear({ in: 16, out: 10 }),
)
// p21 block used at two sizes
export const p21a: Tensor<[N, 64, 8, 8]> = pipe(input([N, 64, 8, 8]), ResidualId(64))
export const p21b: Tensor<[N, 64, 32, 32]> = pipe(input([N, 64, 32, 32]), ResidualId(64))
// p22 nested stage flow of residual blocks
const stage = flow(Residual(128, 2), relu, ResidualId(128), relu)
export const p22: Tensor<[N, 128, 16, 16]> = pipe(input([N, 64, 32, 32]), stage)
// p23 reusable head flow
const head = flow(flatten, linear({ in: 400, out: 10 }))
export const p23: Tensor<[N, 10]> = pipe(input([N, 16, 5, 5]), head)
// p24 convBn generic over channels (issue form)
export const convBn = <C extends number>(c: C) => flow(conv2d({ out: c, kernel: 3, padding: 1 }), batchNorm2d({ features: c }))
export const p24: Tensor<[N, 32, 8, 8]> = pipe(input([N, 3, 8, 8]), convBn(16), relu, convBn(32))
// p25 parallel of generic flows at two sizes
const par = parallel(flow(conv2d({ out: 8, kernel: 1 }), relu), flow(conv2d({ out: 8, kernel: 3, padding: 1 }), relu))
export const p25a: Tensor<[N, 16, 8, 8]> = pipe(input([N, 3, 8, 8]), par)
export const p25b: Tensor<[N, 16, 32, 32]> = pipe(input([N, 5, 32, 32]), par)
// p26 concat inside a generic block
const cat = <S extends Shape4>(x: Tensor<S>) => concat(pipe(x, conv2d({ out: 8, kernel: 3, padding: 1 })), pipe(x, conv2d({ out: 4, kernel: 1 })))
export const p26: Tensor<[N, 12, 8, 8]> = pipe(input([N, 3, 8, 8]), cat)
// p27 VGG-19 features in one shapesafe flow
const c3 = <const O extends number>(out: O) => conv2d({ out, kernel: 3, padding: 1 })
const pool = maxPool2d({ kernel: 2, stride: 2 })
const vgg19 = longFlow(
  c3(64), relu, c3(64), relu, pool,
  c3(128), relu, c3(128), relu, pool,
  c3(256), relu, c3(256), relu, c3(256), relu, c3(256), relu, pool,
  c3(512), relu, c3(512), relu, c3(512), relu, c3(512), relu, pool,
  c3(512), relu, c3(512), relu, c3(512), relu, c3(512), relu, pool,
)
export const p27: Tensor<[N, 512, 7, 7]> = longPipe(input([N, 3, 224, 224]), vgg19)
// p28 AlexNet classifier head as a flow
const classifier = flow(flatten, linear({ in: 6400, out: 4096 }), relu, dropout({ p: 0.5 }), linear({ in: 4096, out: 10 }))
export const p28: Tensor<[N, 10]> = pipe(input([N, 256, 5, 5]), classifier)
// p29 GoogLeNet composed with flow
const googlenet = flow(b1, b2, b3, b4, b5, linear({ in: 1024, out: 10 }))
export const p29: Tensor<[N, 10]> = pipe(input([N, 1, 96, 96]), googlenet)
// p30 grouped conv and ceil-mode pool
export const p30: Tensor<[N, 16, 4, 4]> = pipe(input([N, 16, 8, 8]), conv2d({ out: 16, kernel: 3, padding: 1, groups: 4 }), maxPool2d({ kernel: 3, stride: 2, ceilMode: true }))
// p31 issue form: export const y = pipe(input, block) with equal paths
const blockOk = <S extends Shape4>(x: Tensor<S>) => add(pipe(x, conv2d({ out: 8, kernel: 1 })), pipe(x, conv2d({ out: 8, kernel: 3, padding: 1 })))
export const p31 = pipe(input([N, 3, 8, 8]), blockOk)
// p32 seed Residual hand-written forward with bn features
const ResidualFwd = <C extends number>(numChannels: C) => <S extends Shape4>(X: Tensor<S>) =>
  pipe(add(pipe(X, conv2d({ out: numChannels, kernel: 3, padding: 1 }), batchNorm2d({ features: numChannels }), relu,
    conv2d({ out: numChannels, kernel: 3, padding: 1 }), batchNorm2d({ features: numChannels })), X), relu)
export const p32: Tensor<[N, 64, 8, 8]> = pipe(input([N, 64, 8, 8]), ResidualFwd(64), relu)
// p33 nested stage of two identity residual blocks + pool
const rbs = <C extends number, St extends number>(c: C, st: St) =>
  residual(flow(conv2d({ out: c, kernel: 3, padding: 1, stride: st }), batchNorm2d(), relu, conv2d({ out: c, kernel: 3, padding: 1 }), batchNorm2d()))
const stage2 = flow(rbs(64, 1), relu, rbs(64, 1), relu)
export const p33 = pipe(input([N, 64, 32, 32]), stage2, adaptiveAvgPool2d({ output: 1 }))
// p34 named dims in a generic residual
export const p34 = pipe(input([N, 64, Hd, Wd]), Residual(128, 2), relu, adaptiveAvgPool2d({ output: 1 }), flatten, linear({ in: 128, out: 10 }))
// p35 graphOf a residual net
export const p35 = graphOf(pipe(input([N, 64, 8, 8]), ResidualId(64), relu, adaptiveAvgPool2d({ output: 1 }), flatten, linear({ in: 64, out: 10 })))
// p36 softmax at the end, residual inline multi-line
export const p36 = pipe(
  input([N, 64, 8, 8]),
  conv2d({ out: 64, kernel: 3, padding: 1 }),
  residual(flow(conv2d({ out: 64, kernel: 3, padding: 1 }), relu)),
  adaptiveAvgPool2d({ output: 1 }), flatten, linear({ out: 10 }), softmax,
)


// ---- found by this trial and fixed --------------------------------------------------------------------------------
// A layer after add/residual with the block's own input, inside a generic block (the seed's Residual.forward:
// Y += X; return relu(Y)), was refused; so was flow(residual(main), relu). Decided where applied, in either order.
const rid = <C extends number>(c: C) => residual(flow(conv2d({ out: c, kernel: 3, padding: 1 }), batchNorm2d()))
export const v1 = flow(rid(64), relu)
export const v1c = flow(rid(64), rid(64))
const r64 = residual(flow(conv2d({ out: 64, kernel: 3, padding: 1 }), batchNorm2d()))
export const v2 = flow(r64, relu)
const v3 = <S extends Shape4>(x: Tensor<S>) => pipe(add(pipe(x, conv2d({ out: 64, kernel: 3, padding: 1 })), x), relu)
const v3b = <S extends Shape4>(x: Tensor<S>) => pipe(add(x, pipe(x, conv2d({ out: 64, kernel: 3, padding: 1 }))), relu)
const v6 = <S extends Shape4>(x: Tensor<S>) => pipe(add(pipe(x, conv2d({ out: 64, kernel: 3, padding: 1 })), x), conv2d({ out: 8, kernel: 1 }))
export const y3: Tensor<[N, 64, 8, 8]> = pipe(input([N, 64, 8, 8]), v3)
export const y6: Tensor<[N, 8, 8, 8]> = pipe(input([N, 64, 8, 8]), v6)
export const y1: Tensor<[N, 64, 8, 8]> = pipe(input([N, 64, 8, 8]), v1)
export const y3bad = pipe(input([N, 32, 8, 8]), v3, relu) // error: add: [N,64,8,8] vs [N,32,8,8]
// add(x, path) — the block's input first — then a layer (it widened the block's result to Tensor<Shape>): exact, and
// checked where applied with the operands in the order written.
export const y3b: Tensor<[N, 64, 8, 8]> = pipe(input([N, 64, 8, 8]), v3b)
export const y3bBad = pipe(input([N, 32, 8, 8]), v3b, relu) // error: add: [N,32,8,8] vs [N,64,8,8]
// a stride-2 path added to the block's own input: H differs for every input (⌈H/2⌉ vs H), so it is refused where the
// add is written, in either order and with a layer between (the channels, undecided, are not what fails)
const v4 = <S extends Shape4>(x: Tensor<S>) => pipe(add(pipe(x, conv2d({ out: 64, kernel: 3, padding: 1, stride: 2 })), x), relu) // error: add: [N,64,⌈H/2⌉,⌈W/2⌉] vs [N,C,H,W]
const v4swapped = <S extends Shape4>(x: Tensor<S>) => pipe(add(x, pipe(x, conv2d({ out: 64, kernel: 3, padding: 1, stride: 2 }))), relu) // error: add: [N,C,H,W] vs [N,64,⌈H/2⌉,⌈W/2⌉]
const v4relu = <S extends Shape4>(x: Tensor<S>) => add(pipe(x, relu, maxPool2d({ kernel: 2, stride: 2 })), pipe(x, relu)) // error: add: [N,C,⌊H/2⌋,⌊W/2⌋] vs [N,C,H,W]
const v4flow = <S extends Shape4>(x: Tensor<S>) => add(pipe(x, flow(conv2d({ out: 8, kernel: 3 }), relu)), x) // error: add: [N,8,H−2,W−2] vs [N,C,H,W]
// with the input declared as a tuple of type parameters the same add is decided where the block is applied, carried
const v4tuple = <B extends Dim, C extends Dim, Hh extends Dim, W extends Dim>(x: Tensor<[B, C, Hh, W]>) => add(pipe(x, maxPool2d({ kernel: 2, stride: 2 })), x)
export const y4tupleBad = pipe(input([N, 8, 8, 8]), v4tuple, relu) // error: add: [N,8,4,4] vs [N,8,8,8]
// the same with a stride-1, size-keeping path: only the channels are undecided, carried to where the block is applied
const v4keep = <S extends Shape4>(x: Tensor<S>) => add(x, pipe(x, conv2d({ out: 64, kernel: 3, padding: 1 }), batchNorm2d(), relu))
export const y4keep: Tensor<[N, 64, 8, 8]> = pipe(input([N, 64, 8, 8]), v4keep, relu)
export const y4keepBad = pipe(input([N, 32, 8, 8]), v4keep, relu) // error: add: [N,32,8,8] vs [N,64,8,8]
export const y1bad = pipe(input([N, 32, 8, 8]), longFlow(rid(64), relu, rid(64))) // error: residual: main path gives [N,64,8,8], input gives [N,32,8,8]
// concat with the block's own input (DenseNet's torch.cat((X, Y), dim=1) by hand): exact sizes, either order; a
// path that changes H is refused on the spot.
const d1 = <S extends Shape4>(x: Tensor<S>) => concat(x, pipe(x, batchNorm2d(), relu, conv2d({ out: 32, kernel: 3, padding: 1 })))
export const dy1: Tensor<[N, 96, 8, 8]> = pipe(input([N, 64, 8, 8]), d1)
const d2 = <S extends Shape4>(x: Tensor<S>) => concat(pipe(x, conv2d({ out: 32, kernel: 3, padding: 1 })), x)
export const dy2: Tensor<[N, 96, 8, 8]> = pipe(input([N, 64, 8, 8]), d2)
const d6 = <S extends Shape4>(x: Tensor<S>) => pipe(concat(x, pipe(x, conv2d({ out: 32, kernel: 3, padding: 1 }))), relu, conv2d({ out: 8, kernel: 1 }))
export const dy6: Tensor<[N, 8, 8, 8]> = pipe(input([N, 64, 8, 8]), d6)
const d7 = <S extends Shape4>(x: Tensor<S>) => concat(x, x, pipe(x, conv2d({ out: 32, kernel: 1 })))
export const dy7: Tensor<[N, 160, 8, 8]> = pipe(input([N, 64, 8, 8]), d7)
export const d3 = <S extends Shape4>(x: Tensor<S>) => concat(x, pipe(x, conv2d({ out: 32, kernel: 3 }))) // error: concat: H differs (H vs H−2)
export const d4 = <S extends Shape4>(x: Tensor<S>) => concat(pipe(x, conv2d({ out: 32, kernel: 3 })), x) // error: concat: H differs (H−2 vs H)
export const d5 = <S extends Shape4>(x: Tensor<S>) => concat(x, pipe(x, maxPool2d({ kernel: 2 }))) // error: concat: H differs (H vs ⌊H/2⌋)
