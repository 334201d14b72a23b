// Negative fixtures (issue 12 §4): a zoo net takes every input its own layers take and rejects the others with the
// verdict of the layer where it stops fitting. The accepted sizes are in type-tests/vitest/zoo.test-d.ts; the same
// sizes are traced at run time in tests/zoo.test.ts.
import { pipe } from 'fp-ts/lib/function.js'
import { alexnet, input, lenet, lenetBn, N, vgg, vgg11, vgg19, convArch13 } from 'shapesafe'

export const alexnet225 = pipe(input([N, 1, 225, 225]), alexnet()) // error: linear: expected 6400 input features, got 9216
export const alexnet192 = pipe(input([N, 1, 192, 192]), alexnet()) // error: linear: expected 6400 input features, got 4096
export const alexnet256 = pipe(input([N, 1, 256, 224]), alexnet()) // error: linear: expected 6400 input features, got 7680
export const alexnetTiny = pipe(input([N, 1, 20, 20]), alexnet()) // error: alexnet: input [N,1,20,20] is too small for its windows
export const alexnetRgb = pipe(input([N, 3, 224, 224]), alexnet()) // error: alexnet: expected input [N,1,H,W], got [N,3,224,224]
export const alexnetRgbOk = pipe(input([N, 1, 224, 224]), alexnet({ inChannels: 3 })) // error: alexnet: expected input [N,3,H,W], got [N,1,224,224]
export const lenet32 = pipe(input([N, 1, 32, 32]), lenet()) // error: linear: expected 400 input features, got 576
export const lenet27 = pipe(input([N, 1, 27, 27]), lenet()) // error: linear: expected 400 input features, got 256
export const lenetTiny = pipe(input([N, 1, 4, 4]), lenet()) // error: lenet: input [N,1,4,4] is too small for its windows
export const lenetBn32 = pipe(input([N, 1, 32, 32]), lenetBn()) // error: linear: expected 256 input features, got 400
export const lenetBn27 = lenetBn()(input([N, 1, 27, 27])) // error: linear: expected 256 input features, got 144
export const lenetBnTiny = pipe(input([N, 1, 8, 8]), lenetBn()) // error: lenet-bn: input [N,1,8,8] is too small for its windows
export const lenetBnRgb = pipe(input([N, 3, 28, 28]), lenetBn()) // error: lenet-bn: expected input [N,1,H,W], got [N,3,28,28]
export const vgg223 = pipe(input([N, 1, 223, 223]), vgg11()) // error: linear: expected 25088 input features, got 18432
export const vgg256 = pipe(input([N, 1, 256, 256]), vgg19()) // error: linear: expected 25088 input features, got 32768
export const vggArch = pipe(input([N, 1, 96, 96]), vgg(convArch13)) // error: linear: expected 25088 input features, got 4608
export const vggTiny = pipe(input([N, 1, 16, 16]), vgg11()) // error: vgg: input [N,1,16,16] is too small for its windows
