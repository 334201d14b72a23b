// Negative fixtures (issue 11 §7): an option a layer does not have is a type error with the verdict the layer throws
// at run time (`checkOptionKeys`), for every layer with options (each infers the keys as written, so TypeScript's
// excess-property message does not come first). Siblings: a misspelt key, PyTorch's name (with the hint), another
// layer's option (`dilation` on a pool, `countIncludePad` on maxPool2d, `kernel` on a BatchNorm), first/middle/last
// layer, pipe and flow, a block generic in its channels. The suggestion is the run-time one: PyTorch's or TensorFlow.js's
// name, else the closest option (lower case, `_` dropped) within 2 edits or a third of the key's length, else none. Beside them, the positives: every known key of each layer, and a
// pool whose kernel or padding is a block's type parameter (its padding-vs-kernel check is then made when the layer
// is created, by the run-time check: it cannot be decided on a type parameter).
import { flow, pipe } from 'fp-ts/lib/function.js'
import {
  adaptiveAvgPool2d,
  avgPool2d,
  batchNorm1d,
  batchNorm2d,
  conv2d,
  flatten,
  input,
  linear,
  localResponseNorm,
  maxPool2d,
  N,
  relu,
  type AdaptiveAvgPool2dOptions,
  type AvgPool2dOptions,
  type BatchNorm1dOptions,
  type BatchNorm2dOptions,
  type Conv2dOptions,
  type LinearOptions,
  type Pool2dOptions,
  type Tensor,
  type ValidBatchNormOptions,
  type ValidConv2dOptions,
  type ValidLinearOptions,
  type ValidPool2dOptions,
} from 'shapesafe'

export const misspelt = pipe(input([N, 3, 8, 8]), conv2d({ out: 8, kernel: 3, dilaton: 2 })) // error: conv2d: unknown option 'dilaton' (did you mean 'dilation'?); its options are out, kernel, stride, padding, dilation, groups, bias, in, name
export const pytorchName = pipe(input([N, 3, 8, 8]), conv2d({ out: 8, kernel: 3, padding_mode: 'zeros' })) // error: conv2d: unknown option 'padding_mode'
export const kernelSize = maxPool2d({ kernel: 2, kernel_size: 2 }) // error: maxPool2d: unknown option 'kernel_size' (did you mean 'kernel'?); its options are kernel, stride, padding, ceilMode, name
export const poolDilation = pipe(input([N, 3, 8, 8]), relu, maxPool2d({ kernel: 2, dilation: 2 })) // error: maxPool2d: unknown option 'dilation'; its options are kernel, stride, padding, ceilMode, name
export const maxCountPad = flow(conv2d({ out: 8, kernel: 3 }), maxPool2d({ kernel: 2, countIncludePad: false })) // error: maxPool2d: unknown option 'countIncludePad'
export const avgDilation = flow(avgPool2d({ kernel: 2, dilation: 2 }), flatten) // error: avgPool2d: unknown option 'dilation'; its options are kernel, stride, padding, ceilMode, name, countIncludePad
export const avgCeil = pipe(input([N, 3, 8, 8]), avgPool2d({ kernel: 2, ceil_mode: true })) // error: avgPool2d: unknown option 'ceil_mode' (did you mean 'ceilMode'?)
export const adaptive = pipe(input([N, 3, 8, 8]), adaptiveAvgPool2d({ output: 1, output_size: 1 }), flatten) // error: adaptiveAvgPool2d: unknown option 'output_size' (did you mean 'output'?); its options are output, name
export const lastLayer = pipe(input([N, 3, 8, 8]), conv2d({ out: 8, kernel: 3 }), relu, conv2d({ out: 8, kernel: 1, stride: 1, strides: 2 })) // error: conv2d: unknown option 'strides' (did you mean 'stride'?)
const genericBlock = <const C extends number>(c: C) => flow(conv2d({ out: c, kernel: 3, padding: 1, group: 2 }), relu) // error: conv2d: unknown option 'group' (did you mean 'groups'?); its options are
export const usedBlock = genericBlock
export const bnKernel = pipe(input([N, 3, 8, 8]), conv2d({ out: 8, kernel: 3 }), batchNorm2d({ features: 8, kernel: 3 })) // error: batchNorm2d: unknown option 'kernel'; its options are features, eps, momentum, name
export const bn1dMomentum = flow(flatten, linear({ out: 10 }), batchNorm1d({ momentun: 0.2 })) // error: batchNorm1d: unknown option 'momentun' (did you mean 'momentum'?); its options are features, eps, momentum, name
export const linearBaias = pipe(input([N, 400]), linear({ out: 10, baias: false }), relu) // error: linear: unknown option 'baias' (did you mean 'bias'?); its options are out, in, bias, name
export const avgCountPads = avgPool2d({ kernel: 2, count_include_pads: true }) // error: avgPool2d: unknown option 'count_include_pads' (did you mean 'countIncludePad'?)
export const linearBias = pipe(input([N, 400]), linear({ out: 10, use_bias: false }), relu) // error: linear: unknown option 'use_bias'; its options are out, in, bias, name
export const lrnAlfa = localResponseNorm({ size: 5, alfa: 1e-4 }) // error: localResponseNorm: unknown option 'alfa' (did you mean 'alpha'?); its options are size, alpha, beta, k, name
const genericHead = <const C extends number>(c: C) => flow(flatten, linear({ in: c, out: 10, units: 10 })) // error: linear: unknown option 'units' (did you mean 'out'?)
export const usedHead = genericHead

// Positives: every option each layer has.
export const convAll = conv2d({ out: 8, kernel: [3, 3], stride: 1, padding: 1, dilation: 1, groups: 1, bias: false, in: 4, name: 'c' })
export const maxAll = maxPool2d({ kernel: 3, stride: 2, padding: 1, ceilMode: true, name: 'p' })
export const avgAll = avgPool2d({ kernel: 3, stride: 2, padding: 1, ceilMode: false, countIncludePad: false, name: 'a' })
export const adaptiveAll = adaptiveAvgPool2d({ output: [2, 2], name: 'g' })
export const linearAll = linear({ out: 10, in: 4, bias: false, name: 'fc' })
export const bnAll = batchNorm2d({ features: 8, eps: 1e-3, momentum: 0.2, name: 'bn' })
export const bn1dAll = batchNorm1d({ features: 8, eps: 1e-3, momentum: 0.2, name: 'bn' })
export const lrnAll = localResponseNorm({ size: 5, alpha: 1e-4, beta: 0.75, k: 2, name: 'lrn' })
// A pool whose kernel or padding is a type parameter compiles and gives the shapes the numbers give.
const poolK = <const K extends number>(k: K) => flow(conv2d({ out: 8, kernel: 3, padding: 1 }), relu, maxPool2d({ kernel: k }))
const poolP = <const P extends number>(p: P) => flow(maxPool2d({ kernel: 3, stride: 2, padding: p }), avgPool2d({ kernel: 3, stride: 1, padding: p }))
export const pooledK: Tensor<[N, 8, 3, 3]> = pipe(input([N, 3, 9, 9]), poolK(3))
export const pooledP: Tensor<[N, 3, 5, 5]> = pipe(input([N, 3, 9, 9]), poolP(1))
export const linearAfter: Tensor<[N, 10]> = pipe(input([N, 3, 9, 9]), poolK(3), flatten, linear({ in: 72, out: 10 }))
// A conv whose groups are a block's type parameter (a depthwise conv, ResNeXt's cardinality) compiles and gives the
// shapes the numbers give; out channels not divisible by literal groups stay a compile error.
const depthwise = <const C extends number>(c: C) => flow(conv2d({ in: c, out: c, kernel: 3, padding: 1, groups: c }), relu, conv2d({ out: 16, kernel: 1 }))
const grouped = <const G extends number>(g: G) => flow(conv2d({ out: 32, kernel: 3, padding: 1, groups: g }), relu)
export const depthwiseOk: Tensor<[N, 16, 8, 8]> = pipe(input([N, 8, 8, 8]), depthwise(8))
export const groupedOk: Tensor<[N, 32, 8, 8]> = pipe(input([N, 32, 8, 8]), grouped(4))
export const notDivisible = conv2d({ out: 30, kernel: 3, groups: 4 }) // error: conv2d: out channels 30 not divisible by groups 4
export const inputNotDivisible = pipe(input([N, 6, 8, 8]), conv2d({ out: 8, kernel: 3, groups: 4 })) // error: conv2d: input channels 6 not divisible by groups 4

// Wrappers over a whole options object, the options a type parameter (`<const O extends Conv2dOptions>(o: O) =>
// conv2d(o)`): they compile (their option checks cannot be decided on `O`; the layer carries them to where the
// wrapper is called, see type-tests/negative/wrappers.ts), stay generic and give the shapes the numbers give; the
// shape checks are made where the wrapped layer is applied. Siblings: every layer whose options are
// a type parameter, a spread (`{ ...o, bias: false }`), inside a flow, `'same'` padding with a generic stride, first
// and last stage, the same wrapper at two sizes.
const convW = <const O extends Conv2dOptions>(o: O) => conv2d(o)
const maxW = <const O extends Pool2dOptions>(o: O) => maxPool2d(o)
const avgW = <const O extends AvgPool2dOptions>(o: O) => avgPool2d(o)
const adaptiveW = <const O extends AdaptiveAvgPool2dOptions>(o: O) => adaptiveAvgPool2d(o)
const convNoBias = <const O extends Conv2dOptions>(o: O) => conv2d({ ...o, bias: false })
const convBnRelu = <const O extends Conv2dOptions>(o: O) => flow(conv2d(o), batchNorm2d(), relu)
const sameAt = <const St extends number>(stride: St) => conv2d({ out: 8, kernel: 3, padding: 'same', stride })
export const wrapped: Tensor<[N, 8, 1, 1]> = pipe(
  input([N, 3, 32, 32]),
  convW({ out: 16, kernel: 3, padding: 1 }),
  maxW({ kernel: 2 }),
  avgW({ kernel: 2, ceilMode: true, countIncludePad: false }),
  convBnRelu({ out: 8, kernel: 1 }),
  convNoBias({ out: 8, kernel: 3, padding: 'same' }),
  sameAt(1),
  adaptiveW({ output: 1 }),
)
export const wrappedSmall: Tensor<[N, 16, 4, 4]> = pipe(input([N, 3, 8, 8]), convW({ out: 16, kernel: 3, padding: 1 }), maxW({ kernel: 2 }))
export const wrappedFlow: Tensor<[N, 8, 6, 6]> = pipe(input([N, 3, 8, 8]), flow(convBnRelu({ out: 8, kernel: 3 }), convNoBias({ out: 8, kernel: 1 })))
export const wrappedTooSmall = pipe(input([N, 3, 4, 4]), convW({ out: 8, kernel: 7 })) // error: conv2d: kernel larger than padded input (input 4, dilated kernel exceeds padded input by 3)
export const wrappedChannels = pipe(input([N, 3, 8, 8]), convBnRelu({ out: 8, kernel: 3 }), convW({ in: 16, out: 8, kernel: 1 })) // error: conv2d: expected 16 input channels, got 8
export const wrappedPoolTooBig = pipe(input([N, 3, 8, 8]), convW({ out: 8, kernel: 3, stride: 2 }), maxW({ kernel: 5 })) // error: maxPool2d: kernel larger than padded input (input 3, dilated kernel exceeds padded input by 2)
// A wrapper whose parameter is typed with the layer's Valid…Options checks the options at that parameter: the call
// gets the layer's own verdicts there, once (and TypeScript's excess-property check).
const convChecked = <const O extends Conv2dOptions>(o: ValidConv2dOptions<O>) => flow(conv2d(o), batchNorm2d(), relu)
const maxChecked = <const O extends Pool2dOptions>(o: ValidPool2dOptions<O, 'maxPool2d'>) => maxPool2d(o)
const linearChecked = <const O extends LinearOptions>(o: ValidLinearOptions<O>) => linear(o)
const bnChecked = <const O extends BatchNorm2dOptions>(o: ValidBatchNormOptions<O, 'batchNorm2d'>) => batchNorm2d(o)
export const checkedOk: Tensor<[N, 10]> = pipe(input([N, 3, 8, 8]), convChecked({ out: 8, kernel: 3, padding: 1 }), bnChecked({ features: 8 }), maxChecked({ kernel: 2 }), flatten, linearChecked({ in: 128, out: 10 }))
export const checkedSame = pipe(input([N, 3, 8, 8]), convChecked({ out: 8, kernel: 3, padding: 'same', stride: 2 })) // error: conv2d: padding 'same' needs stride 1
export const checkedKey = pipe(input([N, 3, 8, 8]), convChecked({ out: 8, kernel: 3, dilaton: 2 })) // error: conv2d: unknown option 'dilaton'
export const checkedPool = pipe(input([N, 3, 8, 8]), maxChecked({ kernel: 3, padding: 2 })) // error: maxPool2d: padding 2 is more than half the kernel 3
export const checkedLinear = pipe(input([N, 3, 8, 8]), convChecked({ out: 8, kernel: 3, padding: 1 }), flatten, linearChecked({ in: 400, out: 10 })) // error: linear: expected 400 input features, got 512
export const checkedBn = pipe(input([N, 3, 8, 8]), convChecked({ out: 8, kernel: 3, padding: 1 }), bnChecked({ features: 16 })) // error: batchNorm2d: expected 16 channels, got 8
export const checkedBnKey = pipe(input([N, 3, 8, 8]), convChecked({ out: 8, kernel: 3, padding: 1 }), bnChecked({ features: 8, epsilon: 1e-3 })) // error: batchNorm2d: unknown option 'epsilon'

// A BatchNorm wrapper over its whole options (`o: O`) compiles, stays generic and is exact where applied: the
// features it is given are compared with the input there (first and last stage, pipe and flow, two sizes). Over the
// size alone it keeps working; typed with `ValidBatchNormOptions` it checks the options where it is called (above).
const bnW = <const O extends BatchNorm2dOptions>(o: O) => batchNorm2d(o)
const bn1dW = <const O extends BatchNorm1dOptions>(o: O) => batchNorm1d(o)
const bnOf = <const F extends number>(f: F) => batchNorm2d({ features: f })
const convBn = <const O extends Conv2dOptions>(o: O) => flow(conv2d(o), bnW({ eps: 1e-3 }), relu)
export const bnWrapped: Tensor<[N, 8, 8, 8]> = pipe(input([N, 8, 8, 8]), bnW({ features: 8, momentum: 0.2 }), bnW({}), bnOf(8), convBn({ out: 8, kernel: 1 }))
export const bnWrappedSmall: Tensor<[N, 4, 2, 2]> = pipe(input([N, 4, 2, 2]), bnW({ features: 4 }), bnOf(4))
export const bnWrappedFlow: Tensor<[N, 10]> = pipe(input([N, 3, 4, 4]), flow(bnW({ features: 3 }), flatten, linear({ out: 10 }), bn1dW({ features: 10 })))
export const bnWrappedWrong = pipe(input([N, 3, 8, 8]), conv2d({ out: 8, kernel: 3 }), bnW({ features: 16 })) // error: batchNorm2d: expected 16 channels, got 8
export const bnWrappedFirst = pipe(input([N, 3, 8, 8]), bnW({ features: 4 }), relu) // error: batchNorm2d: expected 4 channels, got 3
export const bnOfWrong = pipe(input([N, 3, 8, 8]), relu, bnOf(16)) // error: batchNorm2d: expected 16 channels, got 3
export const bn1dWrappedWrong = pipe(input([N, 400]), linear({ out: 120 }), bn1dW({ features: 84 })) // error: batchNorm1d: expected 84 features, got 120
