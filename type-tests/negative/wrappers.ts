// Negative fixtures (issue 11, "Shapes you can trust"): options that reach conv2d, maxPool2d or avgPool2d through a
// user's generic wrapper (`<const O extends Conv2dOptions>(o: O) => conv2d(o)`) get the verdicts literal options get
// at the layer, decided where the wrapper is called with literals and reported on that line (the `pipe`/`flow` stage
// that applies the wrapped layer). Inside the wrapper the options are a type parameter, so the layer's own option
// checks pass undecided there; the layer carries them in its configuration (`Conv2dWrappedCheck`,
// `Pool2dWrappedCheck`) and its input constraint reads them. Siblings: misspelt key, PyTorch's name, a bad value
// (0 kernel, 0 stride, negative padding, 'same' with a stride, out not divisible by groups, pool padding more than
// half the kernel), a wrapper whose type parameter is not `const` (its literals are widened to `number`: the
// plain-number verdict, naming `const`), a wrapper that spreads, one in a flow, first and last stage, in `pipe` and
// in `flow`, the same wrapper at two sizes, and the pools. Beside them, the positives: correct calls through the
// same wrappers compile (their exact types are in type-tests/vitest/forms.test-d.ts), options written at the layer
// get their verdict once, and a wrapper with a fixed part (`conv2d({ out: 8, kernel: k })`) is never refused when
// correct. Where the wrapper's own constraint refuses the options first (a required key missing, PyTorch's
// `kernel_size` in place of `kernel`), TypeScript's message comes at the same line.
import { flow, pipe } from 'fp-ts/lib/function.js'
import {
  avgPool2d,
  conv2d,
  flatten,
  input,
  linear,
  maxPool2d,
  N,
  relu,
  type AvgPool2dOptions,
  type Conv2dOptions,
  type Pool2dOptions,
  type Tensor,
  type ValidConv2dOptions,
} from 'shapesafe'

const conv = <const O extends Conv2dOptions>(o: O) => conv2d(o)
const plainConv = <O extends Conv2dOptions>(o: O) => conv2d(o)
const padded = <const O extends Conv2dOptions>(o: O) => conv2d({ ...o, padding: 1 })
const convRelu = <const O extends Conv2dOptions>(o: O) => flow(conv2d(o), relu)
const pool = <const O extends Pool2dOptions>(o: O) => maxPool2d(o)
const plainPool = <O extends Pool2dOptions>(o: O) => maxPool2d(o)
const avg = <const O extends AvgPool2dOptions>(o: O) => avgPool2d(o)
const fixedOut = <const K extends number>(k: K) => conv2d({ out: 8, kernel: k })

// Misspelt keys and PyTorch's names, first and last stage, pipe and flow.
export const misspelt = pipe(input([N, 3, 32, 32]), conv({ out: 8, kernel: 3, paddding: 1 })) // error: conv2d: unknown option 'paddding' (did you mean 'padding'?); its options are out, kernel, stride, padding, dilation, groups, bias, in, name
export const pytorch = pipe(input([N, 3, 32, 32]), conv({ out: 8, kernel: 3, kernel_size: 3 })) // error: conv2d: unknown option 'kernel_size' (did you mean 'kernel'?)
export const lastStage = pipe(input([N, 3, 32, 32]), conv({ out: 8, kernel: 3 }), relu, conv({ out: 8, kernel: 1, strides: 2 })) // error: conv2d: unknown option 'strides' (did you mean 'stride'?)
export const inFlow = pipe(input([N, 3, 32, 32]), flow(relu, conv({ out: 8, kernel: 3, dilaton: 2 }))) // error: conv2d: unknown option 'dilaton'
export const flowFirst = pipe(input([N, 3, 32, 32]), flow(conv({ out: 8, kernel: 3, group: 2 }), relu)) // error: conv2d: unknown option 'group'
export const poolKey = pipe(input([N, 3, 32, 32]), relu, pool({ kernel: 2, dilation: 2 })) // error: maxPool2d: unknown option 'dilation'; its options are kernel, stride, padding, ceilMode, name
export const avgKey = pipe(input([N, 3, 32, 32]), avg({ kernel: 2, ceil_mode: true })) // error: avgPool2d: unknown option 'ceil_mode' (did you mean 'ceilMode'?)
export const maxCountPad = pipe(input([N, 3, 32, 32]), pool({ kernel: 2, countIncludePad: false })) // error: maxPool2d: unknown option 'countIncludePad'
// A required key missing, or PyTorch's name in its place: the wrapper's constraint refuses them, on the same line.
export const missing = pipe(input([N, 3, 32, 32]), conv({ out: 8 })) // error: Property 'kernel' is missing
export const pytorchOnly = pipe(input([N, 3, 32, 32]), conv({ out: 8, kernel_size: 3 })) // error: 'kernel_size' does not exist in type 'Conv2dOptions'

// Bad values.
export const kernel0 = pipe(input([N, 3, 32, 32]), conv({ out: 8, kernel: 0 })) // error: conv2d: kernel must be a positive integer, got 0
export const negativePad = pipe(input([N, 3, 32, 32]), conv({ out: 8, kernel: 3, padding: -1 })) // error: conv2d: padding must be a non-negative integer, got -1
export const pairPad = pipe(input([N, 3, 32, 32]), relu, conv({ out: 8, kernel: 3, padding: [1, 0.5] })) // error: conv2d: padding must be a non-negative integer, got 0.5
export const sameStrided = pipe(input([N, 3, 32, 32]), conv({ out: 8, kernel: 3, padding: 'same', stride: 2 })) // error: conv2d: padding 'same' needs stride 1
export const groups = pipe(input([N, 4, 32, 32]), conv({ out: 30, kernel: 3, groups: 4 })) // error: conv2d: out channels 30 not divisible by groups 4
export const spreadStride0 = pipe(input([N, 3, 32, 32]), padded({ out: 8, kernel: 3, stride: 0 })) // error: conv2d: stride must be a positive integer, got 0
export const spreadKey = pipe(input([N, 3, 32, 32]), padded({ out: 8, kernel: 3, paddin: 1 })) // error: conv2d: unknown option 'paddin'
export const inBlockFlow = pipe(input([N, 3, 32, 32]), convRelu({ out: 8, kernel: 3 }), convRelu({ out: 8, kernel: 3, dilation: 0 })) // error: conv2d: dilation must be a positive integer, got 0
export const poolHalf = pipe(input([N, 3, 32, 32]), pool({ kernel: 3, padding: 2 })) // error: maxPool2d: padding 2 is more than half the kernel 3
export const avgStride0 = pipe(input([N, 3, 32, 32]), flow(relu, avg({ kernel: 2, stride: 0 }))) // error: avgPool2d: stride must be a positive integer, got 0

// A wrapper whose type parameter is not `const`: TypeScript widens the literals to `number`, which would switch every
// check after the layer off; the plain-number verdict names `const` on the wrapper's type parameter.
export const plain = pipe(input([N, 3, 32, 32]), plainConv({ out: 8, kernel: 3, padding: 1 })) // error: conv2d: out is a plain number, so the shapes after this layer are not checked — write a literal (as const on an options object in a variable, const on a wrapper's type parameter, prod(16, 5, 5) for a product), or type the options as Conv2dOptions to opt out
export const plainFlow = pipe(input([N, 3, 32, 32]), flow(relu, plainPool({ kernel: 2 }))) // error: maxPool2d: kernel is a plain number, so the shapes after this layer are not checked
export const plainLast = pipe(input([N, 3, 32, 32]), conv({ out: 8, kernel: 3 }), plainConv({ out: 4, kernel: 1 })) // error: conv2d: out is a plain number

// The same wrapper at two sizes: each call is checked with its own options.
export const twoSizes = pipe(
  input([N, 3, 32, 32]),
  conv({ out: 16, kernel: 3, padding: 1 }),
  conv({ out: 32, kernel: 3, stride: 0 }), // error: conv2d: stride must be a positive integer, got 0
)

// Positives: the same wrappers, correct, compile and keep the sizes; an explicit opt-out (options typed as
// Conv2dOptions) gives the widened shapes it asks for.
export const ok: Tensor<[N, 10]> = pipe(
  input([N, 3, 32, 32]),
  conv({ out: 16, kernel: 3, padding: 1 }),
  padded({ out: 16, kernel: 3 }),
  convRelu({ out: 8, kernel: 3, stride: 2, padding: 1 }),
  pool({ kernel: 2 }),
  avg({ kernel: 2, ceilMode: true, countIncludePad: false }),
  fixedOut(4),
  flatten,
  linear({ in: 8, out: 10 }),
)
export const okSmall: Tensor<[N, 16, 4, 4]> = pipe(input([N, 3, 8, 8]), conv({ out: 16, kernel: 3, padding: 1 }), pool({ kernel: 2 }))
const optOut = (o: Conv2dOptions) => conv2d(o)
export const optedOut: Tensor<[N, number, number, number]> = pipe(input([N, 3, 8, 8]), optOut({ out: 16, kernel: 3 }))
// Options written at the layer: their verdict once, at the options.
export const direct = pipe(input([N, 3, 32, 32]), conv2d({ out: 8, kernel: 3, paddding: 1 })) // error: conv2d: unknown option 'paddding'
export const directMultiline = pipe(
  input([N, 3, 32, 32]),
  conv2d({ // error: conv2d: kernel must be a positive integer, got 0
    out: 8,
    kernel: 0,
  }),
)
// A wrapper typed with ValidConv2dOptions checks at its own parameter (as the layer does), once.
const checked = <const O extends Conv2dOptions>(o: ValidConv2dOptions<O>) => conv2d(o)
export const checkedKey = pipe(
  input([N, 3, 32, 32]),
  checked({
    out: 8,
    kernel: 3,
    dilaton: 2, // error: conv2d: unknown option 'dilaton'
  }),
)
