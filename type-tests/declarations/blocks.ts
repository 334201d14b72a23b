// A package of reusable blocks, the way a user publishes one: compiled with `declaration: true` in a project that
// installs shapesafe from node_modules. tests/declarationEmit.test.ts emits this file's declarations under TS 5.9 and
// TS 7 and checks that nothing is left that the declarations cannot name (TS2742/TS2883: every type a layer's or
// combinator's inferred type mentions is exported by 'shapesafe'), then compiles consumer.ts against the .d.ts.
import { flow, pipe } from 'fp-ts/lib/function.js'
import {
  add, adaptiveAvgPool2d, avgPool2d, batchNorm1d, batchNorm2d, concat, conv2d, denseBlock, dropout, flatten, input, linear, maxPool2d, N, parallel, relu, residual, sequential,
  localResponseNorm, named, prod, scope, sigmoid, tanh, zoo,
  type Shape4, type Tensor,
} from 'shapesafe'

export const convBn = <const C extends number>(c: C) => flow(conv2d({ out: c, kernel: 3, padding: 1 }), batchNorm2d({ features: c }), relu)
export const convBnFixed = flow(conv2d({ out: 64, kernel: 3, padding: 1 }), batchNorm2d({ features: 64 }), relu)
export const preAct = flow(relu, conv2d({ out: 8, kernel: 3, padding: 1 }))
export const head = flow(flatten, linear({ in: 256, out: 10 }))
export const headFree = flow(adaptiveAvgPool2d({ output: 1 }), flatten, linear({ out: 10 }))
export const mlp = flow(flatten, linear({ in: 256, out: 20 }), relu, dropout({ p: 0.5 }), linear({ out: 10 }))
export const fcBn = <const F extends number>(f: F) => flow(linear({ out: f }), batchNorm1d({ features: f }), relu)
export const vggBlock = <const C extends number>(c: C) => flow(conv2d({ out: c, kernel: 3, padding: 1 }), relu, conv2d({ out: c, kernel: 3, padding: 1 }), relu, maxPool2d({ kernel: 2, stride: 2 }))
export const res = <const C extends number>(c: C) => residual(flow(conv2d({ out: c, kernel: 3, padding: 1 }), batchNorm2d({ features: c }), relu, conv2d({ out: c, kernel: 3, padding: 1 }), batchNorm2d({ features: c })))
export const resDown = <const C extends number>(c: C) =>
  residual(flow(conv2d({ out: c, kernel: 3, padding: 1, stride: 2 }), batchNorm2d({ features: c }), relu, conv2d({ out: c, kernel: 3, padding: 1 }), batchNorm2d({ features: c })), conv2d({ out: c, kernel: 1, stride: 2 }))
export const incep = <const A extends number, const B extends number>(a: A, b: B) =>
  parallel(conv2d({ out: a, kernel: 1 }), flow(conv2d({ out: b, kernel: 1 }), relu, conv2d({ out: b, kernel: 3, padding: 1 })), flow(maxPool2d({ kernel: 3, stride: 1, padding: 1 }), conv2d({ out: a, kernel: 1 })))
export const incepFixed = parallel(conv2d({ out: 64, kernel: 1 }), flow(conv2d({ out: 96, kernel: 1 }), relu, conv2d({ out: 128, kernel: 3, padding: 1 })))
export const dense = <const G extends number>(g: G) => denseBlock({ layers: 2, growth: g }, () => flow(batchNorm2d(), relu, conv2d({ out: g, kernel: 3, padding: 1 })))
export const transition = <const C extends number>(c: C) => flow(batchNorm2d(), relu, conv2d({ out: c, kernel: 1 }), avgPool2d({ kernel: 2, stride: 2 }))
export const fnBlock = <S extends Shape4>(x: Tensor<S>) => add(pipe(x, conv2d({ out: 8, kernel: 1 })), pipe(x, conv2d({ out: 8, kernel: 3, padding: 1 })))
export const fnConcat = <S extends Shape4>(x: Tensor<S>) => concat(pipe(x, conv2d({ out: 8, kernel: 1 })), pipe(x, conv2d({ out: 4, kernel: 1 })))
export const fnRes = <S extends Shape4>(x: Tensor<S>) => pipe(x, residual(flow(conv2d({ out: 8, kernel: 3, padding: 1 }), relu)))
export const seq = sequential(flow(conv2d({ out: 6, kernel: 5, padding: 2 }), relu, avgPool2d({ kernel: 2, stride: 2 })))
export const net = pipe(input([N, 1, 28, 28]), conv2d({ out: 6, kernel: 5, padding: 2 }), relu, avgPool2d({ kernel: 2, stride: 2 }), flatten, linear({ out: 10 }))
export const nin = <const C extends number, const K extends number>(c: C, k: K) => flow(conv2d({ out: c, kernel: k }), relu, conv2d({ out: c, kernel: 1 }), relu, conv2d({ out: c, kernel: 1 }), relu)
export const lrn = flow(conv2d({ out: 96, kernel: 11, stride: 4, padding: 2 }), relu, localResponseNorm({ size: 5 }), maxPool2d({ kernel: 3, stride: 2, ceilMode: true }))
export const bn1 = flow(flatten, linear({ in: prod(16, 5, 5), out: 120 }), batchNorm1d({ features: 120 }), sigmoid)
export const applied = pipe(input([N, 3, 32, 32]), res(3), resDown(16), incep(8, 16), dense(4), transition(8), headFree)
export const nested = flow(convBn(16), res(16), resDown(32), adaptiveAvgPool2d({ output: 1 }), flatten, linear({ in: 32, out: 10 }))
export const namedBlock = named('stem', flow(conv2d({ out: 8, kernel: 3, padding: 1 }), relu))
export const scoped = <const C extends number>(c: C) => scope('block', convBn(c))
export const lenet = zoo.lenet
export const pools = flow(
  maxPool2d({ kernel: 3, stride: 2, padding: 1, ceilMode: true }),
  avgPool2d({ kernel: [3, 2], stride: [2, 1], padding: [1, 0] }),
  maxPool2d({ kernel: 2 }),
)
export const convs = flow(
  conv2d({ in: 16, out: 32, kernel: [3, 5], stride: [1, 2], padding: [1, 2], dilation: 2, groups: 4 }),
  conv2d({ out: 32, kernel: 3, padding: 'same', bias: false }),
  adaptiveAvgPool2d({ output: [2, 3] }),
)
export const stride = <const K extends number, const St extends number>(k: K, s: St) => flow(conv2d({ out: 8, kernel: k, stride: s }), relu, maxPool2d({ kernel: 2 }))
export const act = flow(tanh, sigmoid, relu, dropout({ p: 0.1 }))
export const linearIn = <const F extends number>(f: F) => flow(flatten, linear({ in: f, out: 10 }))
export const addFn = <S extends Shape4>(x: Tensor<S>) => add(pipe(x, conv2d({ out: 8, kernel: 3, stride: 2, padding: 1 })), pipe(x, avgPool2d({ kernel: 2, stride: 2, ceilMode: true }), conv2d({ out: 8, kernel: 1 })))
export const incep4 = <const C extends number>(c: C) =>
  parallel(conv2d({ out: c, kernel: 1 }), conv2d({ out: c, kernel: 3, padding: 1 }), conv2d({ out: c, kernel: 5, padding: 2 }), flow(maxPool2d({ kernel: 3, stride: 1, padding: 1 }), conv2d({ out: c, kernel: 1 })))
export const denseFixed = denseBlock({ layers: 4, growth: 32 }, () => flow(batchNorm2d(), relu, conv2d({ out: 128, kernel: 1 }), batchNorm2d({ features: 128 }), relu, conv2d({ out: 32, kernel: 3, padding: 1 })))
export const inputFirst = <S extends Shape4>(x: Tensor<S>) => pipe(add(x, pipe(x, conv2d({ out: 64, kernel: 3, padding: 1 }))), relu)
export const bnTwo = <const C extends number, const D extends number>(c: C, d: D) => <S extends Shape4>(x: Tensor<S>) =>
  pipe(add(pipe(x, conv2d({ out: c, kernel: 3, padding: 1 }), batchNorm2d({ features: d }), relu), x), relu)
