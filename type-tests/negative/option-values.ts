// Negative fixtures (issue 11, option values): an option value the layer refuses at run time is a type error at the
// layer's line, with the run-time verdict (`positiveInts`, `naturalInts`, dropout's range): 0, negative and
// fractional integer options, number and pair form, each layer, first and last stage of a pipe, inside flow, in a
// block generic in its channels (literal options), and through wrappers typed with `Valid…Options`; the checked sizes
// `in` (linear) and `features` (the BatchNorms) get the value verdict at the layer, not only the channel comparison
// (`expected 0 input features`) it would otherwise leave; a pair with one plain-number element gets the plain-number
// verdict the all-number option gets. Then PyTorch's option names where a required key is consequently missing
// (`kernel_size` for `kernel`, `in_features`/`out_features` for linear's `in`/`out`): our verdict, not TypeScript's
// excess-property message, for every layer with options; a required key left out. Positives below: values that are
// a block's or a wrapper's type parameter (decided where the numbers are known, or when the layer is created), a
// plain `number` where the options are typed as the layer's interface, 0 padding, p 0 and 0.5, exponent forms that
// are valid.
// (A wrapper's options, `<const O extends Conv2dOptions>(o: O) => conv2d(o)`, are checked where the wrapper is called:
// type-tests/negative/wrappers.ts.)
import { flow, pipe } from 'fp-ts/lib/function.js'
import {
  adaptiveAvgPool2d,
  avgPool2d,
  batchNorm1d,
  batchNorm2d,
  conv2d,
  dropout,
  flatten,
  input,
  linear,
  localResponseNorm,
  maxPool2d,
  N,
  relu,
  type AdaptiveAvgPool2dOptions,
  type BatchNorm2dOptions,
  type Conv2dOptions,
  type LinearOptions,
  type Pool2dOptions,
  type Tensor,
  type ValidBatchNormOptions,
  type ValidConv2dOptions,
  type ValidLinearOptions,
  type ValidDropoutOptions,
  type ValidPool2dOptions,
} from 'shapesafe'

// conv2d: each integer option, number and pair form.
export const kernelFraction = pipe(input([N, 1, 28, 28]), conv2d({ out: 6, kernel: 2.5 })) // error: conv2d: kernel must be a positive integer, got 2.5
export const kernelNegative = conv2d({ out: 6, kernel: -3 }) // error: conv2d: kernel must be a positive integer, got -3
export const kernelPair = conv2d({ out: 6, kernel: [3, -1] }) // error: conv2d: kernel must be a positive integer, got -1
export const kernelPairFirst = conv2d({ out: 6, kernel: [1.5, 3] }) // error: conv2d: kernel must be a positive integer, got 1.5
export const strideTiny = conv2d({ out: 6, kernel: 3, stride: 1e-7 }) // error: conv2d: stride must be a positive integer, got 1e-7
export const stridePair = conv2d({ out: 6, kernel: 3, stride: [2, 0.5] }) // error: conv2d: stride must be a positive integer, got 0.5
export const dilationNegative = conv2d({ out: 6, kernel: 3, dilation: -2 }) // error: conv2d: dilation must be a positive integer, got -2
export const groupsFraction = conv2d({ out: 6, kernel: 3, groups: 1.5 }) // error: conv2d: groups must be a positive integer, got 1.5
export const outNegative = conv2d({ out: -8, kernel: 3 }) // error: conv2d: out channels must be a positive integer, got -8
export const paddingNegative = pipe(input([N, 1, 28, 28]), conv2d({ out: 6, kernel: 5, padding: -1 })) // error: conv2d: padding must be a non-negative integer, got -1
export const paddingPair = conv2d({ out: 6, kernel: 5, padding: [1, 0.5] }) // error: conv2d: padding must be a non-negative integer, got 0.5
// First, middle and last stage of a pipe; inside flow; a block generic in its channels with literal options.
export const firstStage = pipe(input([N, 1, 28, 28]), conv2d({ out: 6, kernel: 3, stride: -1 }), relu, conv2d({ out: 8, kernel: 3 })) // error: conv2d: stride must be a positive integer, got -1
export const lastStage = pipe(input([N, 1, 28, 28]), conv2d({ out: 6, kernel: 3 }), relu, maxPool2d({ kernel: 2, stride: 1.5 })) // error: maxPool2d: stride must be a positive integer, got 1.5
export const inFlow = flow(conv2d({ out: 6, kernel: 3 }), relu, avgPool2d({ kernel: 2, padding: -1 })) // error: avgPool2d: padding must be a non-negative integer, got -1
const genericBlock = <const C extends number>(c: C) => flow(conv2d({ out: c, kernel: 3, padding: -1 }), relu) // error: conv2d: padding must be a non-negative integer, got -1
export const usedBlock = genericBlock
// Pools and the adaptive pool.
export const poolKernel = maxPool2d({ kernel: [2, -2] }) // error: maxPool2d: kernel must be a positive integer, got -2
export const poolPadding = maxPool2d({ kernel: 3, padding: [1, -1] }) // error: maxPool2d: padding must be a non-negative integer, got -1
export const adaptiveFraction = pipe(input([N, 8, 7, 7]), adaptiveAvgPool2d({ output: 0.5 }), flatten) // error: adaptiveAvgPool2d: output size must be a positive integer, got 0.5
export const adaptivePair = adaptiveAvgPool2d({ output: [7, -7] }) // error: adaptiveAvgPool2d: output size must be a positive integer, got -7
// linear's out, dropout's p, localResponseNorm's size.
export const linearOut = pipe(input([N, 400]), linear({ in: 400, out: -120 })) // error: linear: out features must be a positive integer, got -120
export const linearOutFraction = linear({ out: 10.5 }) // error: linear: out features must be a positive integer, got 10.5
export const pTooBig = pipe(input([N, 400]), dropout({ p: 1.5 })) // error: dropout: p must be in [0, 1), got 1.5
export const pOne = pipe(input([N, 400]), linear({ out: 10 }), dropout({ p: 1 })) // error: dropout: p must be in [0, 1), got 1
export const pNegative = flow(flatten, dropout({ p: -0.1 })) // error: dropout: p must be in [0, 1), got -0.1
export const pHuge = dropout({ p: 1e21 }) // error: dropout: p must be in [0, 1), got 1e+21
export const lrnSize = pipe(input([N, 96, 54, 54]), localResponseNorm({ size: 0 })) // error: localResponseNorm: size must be a positive integer, got 0
export const lrnFraction = localResponseNorm({ size: 2.5, alpha: 1e-4 }) // error: localResponseNorm: size must be a positive integer, got 2.5
// The checked sizes, linear's in and the BatchNorms' features: the value verdict at the layer (first, middle and last
// stage, pipe and flow, a block generic in its channels).
export const linearInZero = pipe(input([N, 400]), linear({ in: 0, out: 10 })) // error: linear: in features must be a positive integer, got 0
export const linearInNegative = pipe(input([N, 3, 4, 4]), flatten, linear({ in: -48, out: 10 }), relu) // error: linear: in features must be a positive integer, got -48
export const linearInFraction = flow(flatten, linear({ in: 2.5, out: 10 })) // error: linear: in features must be a positive integer, got 2.5
export const bnZero = pipe(input([N, 8, 7, 7]), batchNorm2d({ features: 0 })) // error: batchNorm2d: features must be a positive integer, got 0
export const bnNegative = pipe(input([N, 3, 8, 8]), conv2d({ out: 8, kernel: 3 }), relu, batchNorm2d({ features: -8 })) // error: batchNorm2d: features must be a positive integer, got -8
export const bnFraction = flow(conv2d({ out: 8, kernel: 3 }), batchNorm2d({ features: 7.5 }), relu) // error: batchNorm2d: features must be a positive integer, got 7.5
export const bn1dZero = pipe(input([N, 400]), linear({ out: 120 }), batchNorm1d({ features: 0 })) // error: batchNorm1d: features must be a positive integer, got 0
export const bn1dNegative = batchNorm1d({ features: -4 }) // error: batchNorm1d: features must be a positive integer, got -4
const genericSizes = <const C extends number>(c: C) => flow(conv2d({ out: c, kernel: 3 }), batchNorm2d({ features: 0.5 }), flatten, linear({ in: -1, out: c })) // error: batchNorm2d: features must be a positive integer, got 0.5
export const usedGenericSizes = genericSizes
// A pair option with one plain-number element: the plain-number verdict, as for the all-number option.
declare const k: number
export const pairKernel = pipe(input([N, 3, 8, 8]), conv2d({ out: 8, kernel: [3, k] })) // error: conv2d: kernel is a plain number, so the shapes after this layer are not checked
export const pairStride = conv2d({ out: 8, kernel: 3, stride: [k, 1] }) // error: conv2d: stride is a plain number
export const pairPadding = flow(conv2d({ out: 8, kernel: 3, padding: [1, k] }), relu) // error: conv2d: padding is a plain number
export const pairDilation = conv2d({ out: 8, kernel: 3, dilation: [1, k] }) // error: conv2d: dilation is a plain number
export const pairPoolKernel = pipe(input([N, 3, 8, 8]), relu, maxPool2d({ kernel: [k, 2] })) // error: maxPool2d: kernel is a plain number
export const pairPoolStride = avgPool2d({ kernel: 2, stride: [2, k] }) // error: avgPool2d: stride is a plain number
export const pairPoolPadding = maxPool2d({ kernel: 3, padding: [k, 1] }) // error: maxPool2d: padding is a plain number
export const pairOutput = pipe(input([N, 8, 7, 7]), adaptiveAvgPool2d({ output: [k, 1] }), flatten) // error: adaptiveAvgPool2d: output is a plain number
const genericPair = <const C extends number>(c: C) => flow(conv2d({ out: 8, kernel: [1, k] }), relu, conv2d({ out: c, kernel: 1 })) // error: conv2d: kernel is a plain number
export const usedGenericPair = genericPair
// (A conv whose other options hold the block's type parameter, `conv2d({ out: c, kernel: [1, k] })`, is not refused,
// as `conv2d({ out: c, kernel: k })` is not: the plain-number check compares all values at once and stays undecided
// on `c`; docs/custom-blocks.md lists it.)
// Wrappers that type their parameter with the layer's Valid…Options get the verdicts where they are called.
const convChecked = <const O extends Conv2dOptions>(o: ValidConv2dOptions<O>) => flow(conv2d(o), relu)
const poolChecked = <const O extends Pool2dOptions>(o: ValidPool2dOptions<O, 'maxPool2d'>) => maxPool2d(o)
const dropChecked = <const P extends number>(o: ValidDropoutOptions<P>) => dropout(o)
const linearChecked = <const O extends LinearOptions>(o: ValidLinearOptions<O>) => linear(o)
const bnChecked = <const O extends BatchNorm2dOptions>(o: ValidBatchNormOptions<O, 'batchNorm2d'>) => batchNorm2d(o)
export const wrappedKernel = pipe(input([N, 1, 28, 28]), convChecked({ out: 6, kernel: 2.5 })) // error: conv2d: kernel must be a positive integer, got 2.5
export const wrappedPadding = pipe(input([N, 1, 28, 28]), convChecked({ out: 6, kernel: 3 }), poolChecked({ kernel: 2, padding: -1 })) // error: maxPool2d: padding must be a non-negative integer, got -1
export const wrappedP = pipe(input([N, 400]), dropChecked({ p: 2 })) // error: dropout: p must be in [0, 1), got 2
export const wrappedIn = pipe(input([N, 400]), linearChecked({ in: 0, out: 10 })) // error: linear: in features must be a positive integer, got 0
export const wrappedFeatures = pipe(input([N, 8, 7, 7]), bnChecked({ features: -8 })) // error: batchNorm2d: features must be a positive integer, got -8
export const wrappedPair = pipe(input([N, 1, 28, 28]), convChecked({ out: 6, kernel: [k, 3] })) // error: conv2d: kernel is a plain number

// PyTorch's names for a required option: our verdict naming the right key, at the line.
export const kernelSize = pipe(input([N, 1, 28, 28]), conv2d({ out: 6, kernel_size: 5 })) // error: conv2d: unknown option 'kernel_size' (did you mean 'kernel'?); its options are out, kernel, stride, padding, dilation, groups, bias, in, name
export const outChannels = pipe(input([N, 1, 28, 28]), conv2d({ out_channels: 6, kernel: 5 })) // error: conv2d: unknown option 'out_channels' (did you mean 'out'?)
export const tfFilters = flow(conv2d({ filters: 6, kernel: 5 }), relu) // error: conv2d: unknown option 'filters' (did you mean 'out'?)
export const poolSize = pipe(input([N, 1, 28, 28]), conv2d({ out: 6, kernel: 5 }), maxPool2d({ poolSize: 2 })) // error: maxPool2d: unknown option 'poolSize' (did you mean 'kernel'?)
export const avgKernelSize = avgPool2d({ kernel_size: 2, stride: 2 }) // error: avgPool2d: unknown option 'kernel_size' (did you mean 'kernel'?)
export const outputSize = pipe(input([N, 8, 7, 7]), adaptiveAvgPool2d({ output_size: 1 })) // error: adaptiveAvgPool2d: unknown option 'output_size' (did you mean 'output'?); its options are output, name
export const inOutFeatures = pipe(input([N, 400]), linear({ in_features: 400, out_features: 120 })) // error: linear: unknown option 'in_features' (did you mean 'in'?); its options are out, in, bias, name
export const outFeatures = flow(flatten, linear({ in: 400, out_features: 120 }), relu) // error: linear: unknown option 'out_features' (did you mean 'out'?); its options are out, in, bias, name
export const numFeatures = pipe(input([N, 1, 28, 28]), conv2d({ out: 16, kernel: 5 }), batchNorm2d({ num_features: 16 })) // error: batchNorm2d: unknown option 'num_features' (did you mean 'features'?); its options are features, eps, momentum, name
export const numFeatures1d = pipe(input([N, 400]), linear({ out: 120 }), batchNorm1d({ num_features: 120 }), relu) // error: batchNorm1d: unknown option 'num_features' (did you mean 'features'?); its options are features, eps, momentum, name
export const lrnUnknown = pipe(input([N, 96, 54, 54]), localResponseNorm({ size: 5, depth_radius: 2 })) // error: localResponseNorm: unknown option 'depth_radius'; its options are size, alpha, beta, k, name
const genericNumFeatures = <const C extends number>(c: C) => flow(conv2d({ out: c, kernel: 3 }), batchNorm2d({ num_features: c }), relu) // error: batchNorm2d: unknown option 'num_features' (did you mean 'features'?)
export const usedNumFeatures = genericNumFeatures
const genericInFeatures = <const C extends number>(c: C) => flow(flatten, linear({ in_features: c, out: 10 })) // error: linear: unknown option 'in_features' (did you mean 'in'?)
export const usedInFeatures = genericInFeatures
export const rate = pipe(input([N, 400]), dropout({ rate: 0.5 })) // error: dropout: unknown option 'rate' (did you mean 'p'?); its options are p, name
const genericKernelSize = <const C extends number>(c: C) => flow(conv2d({ out: c, kernel_size: 3 }), relu) // error: conv2d: unknown option 'kernel_size' (did you mean 'kernel'?)
export const usedKernelSize = genericKernelSize
// A required option left out.
export const noKernel = conv2d({ out: 6 }) // error: conv2d: kernel is required
export const noP = dropout({ name: 'drop' }) // error: dropout: p is required
export const noOutput = adaptiveAvgPool2d({ name: 'gap' }) // error: adaptiveAvgPool2d: output is required
export const noOut = pipe(input([N, 400]), linear({ in: 400 })) // error: linear: out is required
export const noSize = pipe(input([N, 96, 54, 54]), relu, localResponseNorm({ alpha: 1e-4 })) // error: localResponseNorm: size is required

// Positives: values that are a type parameter pass (decided with numbers where the block or wrapper is applied, and
// by the layer when it is created), and so do plain numbers (where the options are typed as the layer's interface, the
// opt-out of plain-options.ts; dropout's p needs none), 0 padding, p 0 and 0.5, a small p in exponent form.
const kernelOf = <K extends number>(k: K) => conv2d({ out: 8, kernel: k })
export const kernel3: Tensor<[N, 8, 26, 26]> = pipe(input([N, 1, 28, 28]), kernelOf(3))
const block = <C extends number, K extends number, St extends number, P extends number>(c: C, k: K, st: St, p: P) =>
  flow(conv2d({ out: c, kernel: k, stride: st, padding: p }), relu, maxPool2d({ kernel: k, stride: st, padding: p }), dropout({ p: 0.5 }))
export const blockUsed: Tensor<[N, 4, 7, 7]> = pipe(input([N, 1, 28, 28]), block(4, 3, 2, 1))
const convW = <const O extends Conv2dOptions>(o: O) => conv2d(o)
const dropW = <const P extends number>(p: P) => dropout({ p })
export const wrapped: Tensor<[N, 8, 28, 28]> = pipe(input([N, 1, 28, 28]), convW({ out: 8, kernel: 3, padding: 1 }), dropW(0.25))
declare const width: number
export const plain = pipe(input([N, 1, 28, 28]), conv2d<Conv2dOptions>({ out: width, kernel: width, padding: width }), dropout({ p: width }))
export const zeroPadding: Tensor<[N, 6, 24, 24]> = pipe(input([N, 1, 28, 28]), conv2d({ out: 6, kernel: 5, padding: 0 }), dropout({ p: 0 }))
export const samePadding: Tensor<[N, 6, 28, 28]> = pipe(input([N, 1, 28, 28]), conv2d({ out: 6, kernel: 5, padding: 'same' }), dropout({ p: 1e-7 }))
export const lenetFirst: Tensor<[N, 6, 28, 28]> = pipe(input([N, 1, 28, 28]), conv2d({ out: 6, kernel: 5, padding: 2 }))
export const lrn = pipe(input([N, 96, 54, 54]), localResponseNorm({ size: 5, alpha: 1e-4, beta: 0.75, k: 2 }))
// The sizes a block or a wrapper leaves to its type parameter pass (decided where it is applied); a pair of literals
// or of type parameters is no plain number; options typed as the layer's interface opt out of the plain-number check.
const sizesOf = <const C extends number, const F extends number>(c: C, f: F) =>
  flow(conv2d({ out: c, kernel: [1, 3], padding: [0, 1] }), batchNorm2d({ features: c }), flatten, linear({ in: f, out: 10 }), batchNorm1d({ features: 10 }))
export const sizesUsed: Tensor<[N, 10]> = pipe(input([N, 3, 4, 4]), sizesOf(8, 128))
const pairOf = <const K extends number>(kk: K) => flow(conv2d({ out: 8, kernel: [3, kk] }), maxPool2d({ kernel: [2, kk] }), adaptiveAvgPool2d({ output: [1, kk] }))
export const pairUsed: Tensor<[N, 8, 1, 1]> = pipe(input([N, 3, 16, 16]), pairOf(1))
export const pairOptOut = pipe(input([N, 3, 16, 16]), conv2d<Conv2dOptions>({ out: 8, kernel: [3, k] }), maxPool2d<Pool2dOptions>({ kernel: [k, 2] }), adaptiveAvgPool2d<AdaptiveAvgPool2dOptions>({ output: [k, 1] }))
export const linearOptOut = pipe(input([N, 400]), linear<LinearOptions>({ in: k, out: k }))
