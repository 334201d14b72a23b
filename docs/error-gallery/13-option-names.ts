// An option under PyTorch's name
// Options are named as in PyTorch where the names are short (`out`, `kernel`, `stride`, `padding`, `p`); PyTorch's
// longer names (`kernel_size`, `out_channels`, `ceil_mode`) and TensorFlow.js's (`filters`, `poolSize`, `rate`) are
// refused with the name to use, even where the required option is then missing, and so is a misspelt option. The
// layer throws the same text when JavaScript (or `as any`) passes such an option. A required option left out reads
// `conv2d: kernel is required`. (`linear`, the BatchNorms, `adaptiveAvgPool2d` and `localResponseNorm` get TypeScript's
// own message for an unknown option, which names the key without the suggestion.)
import { pipe } from 'fp-ts/lib/function.js'
import { conv2d, dropout, input, maxPool2d, N } from 'shapesafe'

const first = pipe(input([N, 1, 28, 28]), conv2d({ out: 6, kernel_size: 5 }))
const pool = maxPool2d({ poolSize: 2 })
const drop = dropout({ rate: 0.5 })
const misspelt = conv2d({ out: 6, kernel: 5, paddding: 2 })
