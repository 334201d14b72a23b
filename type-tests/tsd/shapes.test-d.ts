/**
 * tsd on the published typings (dist/index.d.ts): that declaration emit keeps what src/ proves. One smoke assertion
 * per export and one kept verdict; the shape rules themselves are asserted once, in type-tests/vitest/ (and the
 * verdicts' text in type-tests/negative/), see type-tests/README.md.
 */
import { pipe } from 'fp-ts/lib/function.js'
import { expectAssignable, expectError, expectNotAssignable, expectType } from 'tsd'
import {
  add,
  adaptiveAvgPool2d,
  avgPool2d,
  batchNorm2d,
  concat,
  conv2d,
  dropout,
  flatten,
  input,
  linear,
  localResponseNorm,
  maxPool2d,
  N,
  relu,
  type Dim,
  type Tensor,
} from 'shapesafe'

// input, conv2d, relu, maxPool2d, flatten, linear, dropout: the seed's AlexNet classifier path.
const f = pipe(
  input([N, 1, 224, 224]),
  conv2d({ out: 96, kernel: 11, stride: 4, padding: 1 }), relu, maxPool2d({ kernel: 3, stride: 2 }),
  conv2d({ out: 256, kernel: 5, padding: 2 }), relu, maxPool2d({ kernel: 3, stride: 2 }),
  conv2d({ out: 256, kernel: 3, padding: 1 }), relu, maxPool2d({ kernel: 3, stride: 2 }),
  flatten,
)
expectType<Tensor<[N, 6400]>>(f)
expectType<Tensor<[N, 10]>>(pipe(f, linear({ in: 6400, out: 4096 }), relu, dropout({ p: 0.5 }), linear({ in: 4096, out: 10 })))

// The other layers and the merges, once each.
expectType<Tensor<[N, 6, 14, 14]>>(pipe(input([N, 6, 28, 28]), avgPool2d({ kernel: 2 })))
expectType<Tensor<[N, 512, 1, 1]>>(pipe(input([N, 512, 7, 7]), adaptiveAvgPool2d({ output: 1 })))
expectType<Tensor<[N, 64, 56, 56]>>(pipe(input([N, 64, 56, 56]), batchNorm2d({ features: 64 }), localResponseNorm({ size: 5 })))
expectType<Tensor<[N, 96, 28, 28]>>(concat(input([N, 64, 28, 28]), input([N, 32, 28, 28])))
expectType<Tensor<[N, 64, 56, 56]>>(add(input([N, 64, 56, 56]), input([N, 64, 56, 56])))

// The batch dim keeps its own type through emit: N is a Dim, not a plain number.
expectNotAssignable<Tensor<[number, 6400]>>(f)
expectAssignable<Tensor<[Dim, number]>>(f)

// A verdict survives emit (its text: type-tests/negative/).
expectError(pipe(input([N, 4096]), linear({ in: 6400, out: 10 })))
