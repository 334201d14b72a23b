// Negative fixtures for flatten/linear/batchNorm2d (see conv2d.ts for the convention).
import { flow, pipe } from 'fp-ts/lib/function.js'
import { batchNorm1d, batchNorm2d, conv2d, dim, dropout, flatten, input, linear, maxPool2d, N, relu, type Named } from 'shapesafe'

interface F extends Named<'F'> {}
const F = dim<F>('F')

export const in6400got4096 = pipe(input([N, 4096]), linear({ in: 6400, out: 10 })) // error: linear: expected 6400 input features, got 4096
export const outZero = linear({ out: 0 }) // error: linear: out features must be a positive integer, got 0
export const noFlatten = pipe(input([N, 64, 7, 7]), linear({ out: 10 })) // error: linear: expects [N, features], got [N,64,7,7] — flatten first
export const vggHead = pipe(input([N, 512, 14, 14]), flatten, linear({ in: 25088, out: 4096 })) // error: linear: expected 25088 input features, got 100352
export const hugeFlatten = pipe(input([N, 4096, 25088]), flatten, linear({ in: 4096, out: 10 })) // error: linear: expected 4096 input features, got 102760448
export const namedFeatures = pipe(input([N, F]), linear({ in: 6400, out: 10 })) // error: linear: expected 6400 input features, got F
export const afterDropout = pipe(input([N, 4096]), linear({ out: 4096 }), relu, dropout({ p: 0.5 }), linear({ in: 1000, out: 10 })) // error: linear: expected 1000 input features, got 4096

export const bn = pipe(input([N, 32, 56, 56]), batchNorm2d({ features: 64 })) // error: batchNorm2d: expected 64 channels, got 32
export const bnAfterConv = pipe(input([N, 3, 32, 32]), conv2d({ out: 8, kernel: 3, padding: 1 }), batchNorm2d({ features: 16 })) // error: batchNorm2d: expected 16 channels, got 8
export const bnOnMatrix = pipe(input([N, 64]), batchNorm2d()) // error: batchNorm2d: expects [N, C, H, W], got [N,64] — use batchNorm1d on [N, features]
export const convThenLinear = pipe(input([N, 1, 28, 28]), conv2d({ out: 6, kernel: 5 }), maxPool2d({ kernel: 2 }), flatten, linear({ in: 400, out: 120 })) // error: linear: expected 400 input features, got 864

// A reusable head keeps linear's check: its composed type keeps only flatten's input check, so the result carries
// the verdict, reported by the layer that reads the features (and shown in the hover of the result).
const head = flow(flatten, linear({ in: 256, out: 10 }))
export const headOk = pipe(input([N, 16, 4, 4]), head, relu)
export const headWrong = pipe(input([N, 16, 5, 5]), head, relu) // error: linear: expected 256 input features, got 400
export const headWrongNext = pipe(input([N, 16, 5, 5]), head, linear({ out: 2 })) // error: linear: expected 256 input features, got 400
const fcBn = <F extends number>(f: F) => flow(linear({ out: f }), batchNorm1d({ features: f }))
export const fcBnOk = pipe(input([N, 16, 4, 4]), flatten, fcBn(32), relu)
export const headInFlow = pipe(input([N, 8, 4, 4]), flow(head, batchNorm1d({ features: 10 }))) // error: linear: expected 256 input features, got 128
