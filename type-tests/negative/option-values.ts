// Negative fixtures (issue 11, option values): an option value the layer refuses at run time is a type error at the
// layer's line, with the run-time verdict (`positiveInts`, `naturalInts`, dropout's range): 0, negative and
// fractional integer options, number and pair form, each layer, first and last stage of a pipe, inside flow, in a
// block generic in its channels (literal options), and through wrappers typed with `Valid…Options`. Then PyTorch's
// option names where a required key is consequently missing (`kernel_size` for `kernel`): our verdict, not
// TypeScript's excess-property message; a required key left out. (adaptiveAvgPool2d, linear, the BatchNorms and
// localResponseNorm keep TypeScript's message there: inferring the keys as written would cost the type-check budget
// or the signature's length; their run-time error names the key.) Positives below: values that are a block's type
// parameter (decided where the numbers are known, or when the layer is created), a plain `number`,
// 0 padding, p 0 and 0.5, exponent forms that are valid. (A wrapper's options, `<const O extends Conv2dOptions>(o: O)
// => conv2d(o)`, are checked where the wrapper is called: type-tests/negative/wrappers.ts.)
import { flow, pipe } from 'fp-ts/lib/function.js'
import {
  adaptiveAvgPool2d,
  avgPool2d,
  conv2d,
  dropout,
  flatten,
  input,
  linear,
  localResponseNorm,
  maxPool2d,
  N,
  relu,
  type Conv2dOptions,
  type Pool2dOptions,
  type Tensor,
  type ValidConv2dOptions,
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
// Wrappers that type their parameter with the layer's Valid…Options get the verdicts where they are called.
const convChecked = <const O extends Conv2dOptions>(o: ValidConv2dOptions<O>) => flow(conv2d(o), relu)
const poolChecked = <const O extends Pool2dOptions>(o: ValidPool2dOptions<O, 'maxPool2d'>) => maxPool2d(o)
const dropChecked = <const P extends number>(o: ValidDropoutOptions<P>) => dropout(o)
export const wrappedKernel = pipe(input([N, 1, 28, 28]), convChecked({ out: 6, kernel: 2.5 })) // error: conv2d: kernel must be a positive integer, got 2.5
export const wrappedPadding = pipe(input([N, 1, 28, 28]), convChecked({ out: 6, kernel: 3 }), poolChecked({ kernel: 2, padding: -1 })) // error: maxPool2d: padding must be a non-negative integer, got -1
export const wrappedP = pipe(input([N, 400]), dropChecked({ p: 2 })) // error: dropout: p must be in [0, 1), got 2

// PyTorch's names for a required option: our verdict naming the right key, at the line.
export const kernelSize = pipe(input([N, 1, 28, 28]), conv2d({ out: 6, kernel_size: 5 })) // error: conv2d: unknown option 'kernel_size' (did you mean 'kernel'?); its options are out, kernel, stride, padding, dilation, groups, bias, in, name
export const outChannels = pipe(input([N, 1, 28, 28]), conv2d({ out_channels: 6, kernel: 5 })) // error: conv2d: unknown option 'out_channels' (did you mean 'out'?)
export const tfFilters = flow(conv2d({ filters: 6, kernel: 5 }), relu) // error: conv2d: unknown option 'filters' (did you mean 'out'?)
export const poolSize = pipe(input([N, 1, 28, 28]), conv2d({ out: 6, kernel: 5 }), maxPool2d({ poolSize: 2 })) // error: maxPool2d: unknown option 'poolSize' (did you mean 'kernel'?)
export const avgKernelSize = avgPool2d({ kernel_size: 2, stride: 2 }) // error: avgPool2d: unknown option 'kernel_size' (did you mean 'kernel'?)
export const outputSize = pipe(input([N, 8, 7, 7]), adaptiveAvgPool2d({ output_size: 1 })) // error: 'output_size' does not exist
export const rate = pipe(input([N, 400]), dropout({ rate: 0.5 })) // error: dropout: unknown option 'rate' (did you mean 'p'?); its options are p, name
const genericKernelSize = <const C extends number>(c: C) => flow(conv2d({ out: c, kernel_size: 3 }), relu) // error: conv2d: unknown option 'kernel_size' (did you mean 'kernel'?)
export const usedKernelSize = genericKernelSize
// A required option left out.
export const noKernel = conv2d({ out: 6 }) // error: conv2d: kernel is required
export const noP = dropout({ name: 'drop' }) // error: dropout: p is required
export const noOutput = adaptiveAvgPool2d({ name: 'gap' }) // error: Property 'output' is missing

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
