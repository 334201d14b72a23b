// An option under PyTorch's name
// Options are named as in PyTorch where the names are short (`out`, `kernel`, `stride`, `padding`, `p`); PyTorch's
// longer names (`kernel_size`, `out_channels`, `ceil_mode`) and TensorFlow.js's (`filters`, `poolSize`, `rate`) are
// refused with the name to use, even where the required option is then missing, and so is a misspelt option. The
// layer throws the same text when JavaScript (or `as any`) passes such an option. A required option left out reads
// `conv2d: kernel is required`. Every layer with options does this: the convolution, the pools, `linear`, the
// BatchNorms, `adaptiveAvgPool2d`, `localResponseNorm` and `dropout`. A misspelling gets the closest option, as the
// run-time error does (compared in lower case without `_`, within 2 edits or a third of the key's length).
import { pipe } from 'fp-ts/lib/function.js'
import { batchNorm2d, conv2d, dropout, input, linear, maxPool2d, N } from 'shapesafe'

const first = pipe(input([N, 1, 28, 28]), conv2d({ out: 6, kernel_size: 5 }))
const pool = maxPool2d({ poolSize: 2 })
const drop = dropout({ rate: 0.5 })
const misspelt = conv2d({ out: 6, kernel: 5, paddding: 2 })
const norm = pipe(input([N, 1, 28, 28]), conv2d({ out: 16, kernel: 5 }), batchNorm2d({ num_features: 16 }))
const fc = pipe(input([N, 400]), linear({ in_features: 400, out_features: 120 }))
