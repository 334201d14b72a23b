// Negative fixtures (issue 11 §3, extended to every option that fixes a size): a plain `number` in `out`, `kernel`,
// `stride`, `padding`, `dilation` (conv2d, the pools), a pool's `ceilMode` as a plain `boolean`, an adaptive pool's
// `output`, linear's `out` — from an options object in a variable without `as const`, a `let`, arithmetic, a spread of a
// plain object — would switch off every check after the layer (the shapes become `number`), so it is refused at the
// layer's own line with a verdict that names the option and says how to keep the check or opt out. Siblings: each
// layer and option, first and last stage, pipe and flow, standalone. Beside them, the positives: the explicit opt-out
// (options typed as the layer's interface, or the interface as the type argument) compiles with the widened shapes;
// generic blocks and `const` wrappers keep exact shapes; `let` narrowed to a literal, pairs and `as const` objects pass.
import { flow, pipe } from 'fp-ts/lib/function.js'
import {
  adaptiveAvgPool2d,
  avgPool2d,
  batchNorm2d,
  conv2d,
  flatten,
  input,
  linear,
  maxPool2d,
  N,
  prod,
  relu,
  sigmoid,
  type AdaptiveAvgPool2dOptions,
  type AvgPool2dOptions,
  type Conv2dOptions,
  type LinearOptions,
  type Pool2dOptions,
  type Tensor,
} from 'shapesafe'

declare const width: number
declare const flag: boolean

const c1 = { out: 6, kernel: 5, padding: 2 }
export const lenet = pipe(
  input([N, 1, 28, 28]),
  conv2d(c1), sigmoid, // error: conv2d: out is a plain number, so the shapes after this layer are not checked — write a literal (as const on an options object in a variable, const on a wrapper's type parameter, prod(16, 5, 5) for a product), or type the options as Conv2dOptions to opt out
  avgPool2d({ kernel: 2, stride: 2 }),
  flatten,
  linear({ in: 400, out: 120 }),
)
const base = { kernel: 3, padding: 1 }
export const spread = pipe(input([N, 64, 56, 56]), conv2d({ ...base, out: 128, stride: 2 }), relu) // error: conv2d: kernel is a plain number
let stride = 2
stride = 1 + 1
export const letStride = pipe(input([N, 3, 32, 32]), relu, conv2d({ out: 8, kernel: 3, stride })) // error: conv2d: stride is a plain number
export const arithmetic = flow(conv2d({ out: 8, kernel: 3, padding: 2 - 1 }), relu) // error: conv2d: padding is a plain number
export const dilation = conv2d({ out: 8, kernel: 3, dilation: width }) // error: conv2d: dilation is a plain number
export const outFirst = pipe(input([N, 3, 32, 32]), conv2d({ out: 4 * 2, kernel: 3 }), relu, conv2d({ out: 8, kernel: 3 })) // error: conv2d: out is a plain number
export const inAndOut = conv2d({ in: width, out: width, kernel: 3 }) // error: conv2d: out is a plain number
export const convIn = pipe(input([N, 3, 32, 32]), conv2d({ in: width, out: 8, kernel: 3 })) // error: conv2d: in is a plain number, which turns its check off — write a literal or prod(16, 5, 5) to keep the check, or omit in to take the channels from the input
const p1 = { kernel: 2, stride: 2 }
export const maxPool = pipe(input([N, 3, 32, 32]), maxPool2d(p1)) // error: maxPool2d: kernel is a plain number, so the shapes after this layer are not checked — write a literal (as const on an options object in a variable, const on a wrapper's type parameter, prod(16, 5, 5) for a product), or type the options as Pool2dOptions to opt out
export const avgStride = flow(relu, avgPool2d({ kernel: 3, stride: width })) // error: avgPool2d: stride is a plain number
export const ceil = pipe(input([N, 3, 32, 32]), maxPool2d({ kernel: 3, stride: 2, ceilMode: flag })) // error: maxPool2d: ceilMode is a plain boolean, so the shapes after this layer are not checked
export const adaptive = pipe(input([N, 3, 32, 32]), adaptiveAvgPool2d({ output: 3 * 2 }), flatten) // error: adaptiveAvgPool2d: output is a plain number, so the shapes after this layer are not checked — write a literal (as const on an options object in a variable, const on a wrapper's type parameter, prod(16, 5, 5) for a product), or type the options as AdaptiveAvgPool2dOptions to opt out
let classes = 10
classes = classes + 0
export const linearOut = pipe(input([N, 84]), linear({ in: 84, out: classes })) // error: linear: out is a plain number, so the shapes after this layer are not checked — write a literal (as const on an options object in a variable, const on a wrapper's type parameter, prod(16, 5, 5) for a product), or type the options as LinearOptions to opt out
export const linearIn = pipe(input([N, 400]), linear({ in: 16 * 5 * 5, out: 120 })) // error: linear: in is a plain number, which turns its check off
const head = { in: 400, out: 10 }
export const linearLast = pipe(input([N, 1, 20, 20]), flatten, relu, linear(head)) // error: linear: out is a plain number

// Positives. The explicit opt-out: options typed as the layer's interface (in a variable, or as the type argument)
// compile and give the widened shapes they ask for; later layers with literals are checked as usual.
const convOpts: Conv2dOptions = { out: 8, kernel: 3, padding: 1 }
const poolOpts: Pool2dOptions = { kernel: 2 }
const avgOpts: AvgPool2dOptions = { kernel: 2, countIncludePad: false }
const adaptiveOpts: AdaptiveAvgPool2dOptions = { output: 2 }
const linearOpts: LinearOptions = { out: 10 }
export const optOut: Tensor<[N, number, number, number]> = pipe(input([N, 3, 16, 16]), conv2d(convOpts), maxPool2d(poolOpts), avgPool2d(avgOpts), avgPool2d(poolOpts))
export const optOutArg: Tensor<[N, 8, number, number]> = pipe(input([N, 3, 16, 16]), conv2d<Conv2dOptions>({ out: width, kernel: width }), conv2d({ out: 8, kernel: 1 }))
export const optOutAdaptive: Tensor<[N, number]> = pipe(input([N, 3, 16, 16]), adaptiveAvgPool2d(adaptiveOpts), flatten, linear(linearOpts))
export const optOutLinear: Tensor<[N, 4]> = pipe(input([N, 3, 16, 16]), flatten, linear<LinearOptions>({ in: width, out: width }), linear({ out: 4 }))
// Literals, `as const`, a boolean `let` (TypeScript narrows it to the literal assigned), pairs, prod(…): exact.
const asConst = { out: 6, kernel: 5, padding: 2 } as const
let ceilMode = true
export const literals: Tensor<[N, 6, 7, 7]> = pipe(input([N, 1, 28, 28]), conv2d(asConst), maxPool2d({ kernel: [2, 2], stride: 2, ceilMode }), avgPool2d({ kernel: 2 }))
export const product: Tensor<[N, 120]> = pipe(input([N, 16, 5, 5]), flatten, linear({ in: prod(16, 5, 5), out: 120 }))
// A generic block's type parameters are not plain numbers: exact where applied, and checked there.
const convBn = <const C extends number, const K extends number>(c: C, k: K) => flow(conv2d({ out: c, kernel: k, padding: 1 }), batchNorm2d({ features: c }), relu, maxPool2d({ kernel: k }))
const fcBlock = <const F extends number>(f: F) => flow(flatten, linear({ out: f }), relu)
export const generic: Tensor<[N, 10]> = pipe(input([N, 3, 12, 12]), convBn(16, 3), fcBlock(10))
export const genericWrong = pipe(input([N, 3, 12, 12]), convBn(16, 3), flatten, linear({ in: 100, out: 10 })) // error: linear: expected 100 input features, got 256
// Wrappers over a whole options object with a `const` type parameter: exact, and checked where applied.
const fc = <const O extends LinearOptions>(o: O) => linear(o)
const pool = <const O extends Pool2dOptions>(o: O) => maxPool2d(o)
export const wrapped: Tensor<[N, 120]> = pipe(input([N, 4, 20, 20]), pool({ kernel: 2 }), flatten, fc({ in: 400, out: 120 }))
export const wrappedWrong = pipe(input([N, 4, 20, 20]), pool({ kernel: 2 }), flatten, fc({ in: 300, out: 120 })) // error: linear: expected 300 input features, got 400
// A size read from a wrapper's type parameter (a property of `O`, an element of a `const` tuple `P`) is `number` to
// TypeScript (it reads it through the constraint), so the wrapper is refused where it is written; a type parameter
// per size keeps the literals (trial7: tuple_param_conv, object_param_fields, tuple_param_linear_in).
export const fromTuple = <const P extends readonly [number, number, number]>(p: P) => conv2d({ out: p[0], kernel: p[1], padding: p[2] }) // error: conv2d: out is a plain number, so the shapes after this layer are not checked
export const fromFields = <const O extends { readonly out: number; readonly k: number }>(o: O) => conv2d({ out: o.out, kernel: o.k, padding: 1 }) // error: conv2d: out is a plain number, so the shapes after this layer are not checked
export const fcFromTuple = <const P extends readonly [number, number]>(p: P) => linear({ in: p[0], out: p[1] }) // error: linear: out is a plain number, so the shapes after this layer are not checked
const perSize = <const Out extends number, const K extends number, const Pad extends number>(out: Out, k: K, padding: Pad) => conv2d({ out, kernel: k, padding })
export const perSizeOk: Tensor<[N, 64, 30, 30]> = pipe(input([N, 3, 32, 32]), perSize(32, 5, 2), relu, perSize(64, 3, 0))
export const perSizeWrong = pipe(input([N, 3, 32, 32]), perSize(32, 5, 2), flatten, linear({ in: 100, out: 10 })) // error: linear: expected 100 input features, got 32768
