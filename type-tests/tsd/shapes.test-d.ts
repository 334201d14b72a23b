/**
 * tsd assertions on the built typings (dist/index.d.ts): exact shapes with `expectType` and rejected pipelines with
 * `expectError` (the message text is asserted separately by tests/typeErrors.test.ts).
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

declare const h: number

// The seed's AlexNet, stage by stage.
const c1 = pipe(input([N, 1, 224, 224]), conv2d({ out: 96, kernel: 11, stride: 4, padding: 1 }), relu)
expectType<Tensor<[N, 96, 54, 54]>>(c1)
const p1 = pipe(c1, maxPool2d({ kernel: 3, stride: 2 }))
expectType<Tensor<[N, 96, 26, 26]>>(p1)
const p2 = pipe(p1, conv2d({ out: 256, kernel: 5, padding: 2 }), relu, maxPool2d({ kernel: 3, stride: 2 }))
expectType<Tensor<[N, 256, 12, 12]>>(p2)
const f = pipe(p2, conv2d({ out: 256, kernel: 3, padding: 1 }), relu, maxPool2d({ kernel: 3, stride: 2 }), flatten)
expectType<Tensor<[N, 6400]>>(f)
expectType<Tensor<[N, 10]>>(pipe(f, linear({ in: 6400, out: 4096 }), relu, dropout({ p: 0.5 }), linear({ in: 4096, out: 10 })))

// Rules of the other layers.
expectType<Tensor<[N, 64, 112, 224]>>(pipe(input([N, 3, 224, 224]), conv2d({ out: 64, kernel: [3, 5], stride: [2, 1], padding: [1, 2] })))
expectType<Tensor<[N, 8, 31, 17]>>(pipe(input([N, 3, 31, 17]), conv2d({ out: 8, kernel: 4, padding: 'same' })))
expectType<Tensor<[N, 64, 57, 57]>>(pipe(input([N, 64, 112, 112]), maxPool2d({ kernel: 3, stride: 2, ceilMode: true, padding: 1 })))
expectType<Tensor<[N, 1, 3, 3]>>(pipe(input([N, 1, 5, 5]), maxPool2d({ kernel: 2, stride: 2, padding: 1, ceilMode: true })))
expectType<Tensor<[N, 6, 14, 14]>>(pipe(input([N, 6, 28, 28]), avgPool2d({ kernel: 2 })))
expectType<Tensor<[N, 512, 1, 1]>>(pipe(input([N, 512, 7, 7]), adaptiveAvgPool2d({ output: 1 })))
expectType<Tensor<[N, 25088]>>(pipe(input([N, 512, 7, 7]), flatten))
expectType<Tensor<[N, 102760448]>>(pipe(input([N, 4096, 25088]), flatten))
expectType<Tensor<[N, 64, 56, 56]>>(pipe(input([N, 64, 56, 56]), batchNorm2d({ features: 64 }), localResponseNorm({ size: 5 })))
expectType<Tensor<[N, 96, 28, 28]>>(concat(input([N, 64, 28, 28]), input([N, 32, 28, 28])))
expectType<Tensor<[N, 64, 56, 56]>>(add(input([N, 64, 56, 56]), input([N, 64, 56, 56])))

// Unknown sizes stay unknown; N is not `number`.
expectType<Tensor<[N, 8, number, 30]>>(pipe(input([N, 3, h, 32]), conv2d({ out: 8, kernel: 3 })))
expectType<Tensor<[N, number]>>(pipe(input([N, 3, h, 32]), flatten))
expectNotAssignable<Tensor<[number, 6400]>>(f)
expectAssignable<Tensor<[Dim, number]>>(f)

// Rejected pipelines.
expectError(pipe(input([N, 4096]), linear({ in: 6400, out: 10 })))
expectError(pipe(input([N, 32, 56, 56]), batchNorm2d({ features: 64 })))
expectError(add(input([N, 64, 56, 56]), input([N, 128, 28, 28])))
expectError(concat(input([N, 64, 28, 28]), input([N, 64, 14, 14])))
expectError(conv2d({ out: 8, kernel: 3, stride: 0 }))
expectError(conv2d({ out: 8, kernel: 3, padding: 'same', stride: 2 }))
expectError(maxPool2d({ kernel: 3, padding: 2 }))
expectError(pipe(input([N, 3, 32, 32]), conv2d({ in: 1, out: 8, kernel: 3 })))
expectError(pipe(input([N, 3, 32, 32]), conv2d({ out: 8, kernel: 3, groups: 2 })))
expectError(pipe(input([N, 3, 2, 2]), conv2d({ out: 8, kernel: 3 }), relu))
