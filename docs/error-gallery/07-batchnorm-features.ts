// BatchNorm declared for other channels
// `batchNorm2d({ features })` is optional too; given, it must match the channels of its input.
import { pipe } from 'fp-ts/lib/function.js'
import { batchNorm2d, conv2d, input, N } from 'shapesafe'

const y = pipe(input([N, 3, 32, 32]), conv2d({ out: 32, kernel: 3, padding: 1 }), batchNorm2d({ features: 64 }))
