// A layer given the wrong rank
// Flatten forgotten, a conv after flatten, the batch dim missing, the batch norms swapped: `linear` and `batchNorm1d` take `[N, features]`; convs, pools and `batchNorm2d` take `[N, C, H, W]`, and so does each branch of
// `parallel`, whose branches are concatenated along channels. The verdict
// names the layer, the rank it takes, the shape it got and what to do; it is given at the offending layer, in `pipe`
// and in `flow`, and inside a block generic in its 4-D input (`<S extends Shape4>`).
import { pipe } from 'fp-ts/lib/function.js'
import { batchNorm1d, batchNorm2d, conv2d, flatten, input, linear, maxPool2d, N, parallel, relu } from 'shapesafe'

const noFlatten = pipe(input([N, 1, 28, 28]), conv2d({ out: 16, kernel: 5 }), relu, maxPool2d({ kernel: 2 }), linear({ out: 120 }))
const convAfterFlatten = pipe(input([N, 1, 28, 28]), flatten, conv2d({ out: 6, kernel: 5 }))
const noBatchDim = pipe(input([3, 224, 224]), conv2d({ out: 64, kernel: 7, stride: 2, padding: 3 }))
const bn2dOnFeatures = pipe(input([N, 400]), linear({ out: 120 }), batchNorm2d())
const bn1dOnImages = pipe(input([N, 3, 32, 32]), conv2d({ out: 64, kernel: 3, padding: 1 }), batchNorm1d())
const branchFlattens = pipe(input([N, 8, 4, 4]), parallel(relu, flatten))
