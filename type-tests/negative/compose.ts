// Negative fixtures (issue 11 §7): a mistake in the middle of a long chain (shapesafe's pipe/flow, past fp-ts's 19
// and 9 functions) is reported at its own line with its verdict; the lines after it report nothing.
import { batchNorm2d, bottleneck, bottleneckDown, conv2d, dropout, flatten, flow, input, linear, maxPool2d, N, pipe, relu, sequential } from 'shapesafe'

const c3 = <const Out extends number>(out: Out) => conv2d({ out, kernel: 3, padding: 1 })
const pool = maxPool2d({ kernel: 2, stride: 2 })

export const vgg19 = pipe(
  input([N, 3, 224, 224]),
  c3(64), relu, c3(64), relu, pool,
  c3(128), relu, c3(128), relu, pool,
  c3(256), relu, c3(256), relu, c3(256), relu, c3(256), relu, pool,
  c3(512), relu, c3(512), batchNorm2d({ features: 256 }), relu, c3(512), relu, pool, // error: batchNorm2d: expected 256 channels, got 512
  c3(512), relu, c3(512), relu, c3(512), relu, c3(512), relu, pool,
  flatten,
  linear({ in: 25088, out: 4096 }), relu, dropout({ p: 0.5 }),
  linear({ in: 4096, out: 1000 }),
)

export const vgg19Head = pipe(
  input([N, 3, 224, 224]),
  c3(64), relu, c3(64), relu, pool,
  c3(128), relu, c3(128), relu, pool,
  c3(256), relu, c3(256), relu, c3(256), relu, c3(256), relu, pool,
  c3(512), relu, c3(512), relu, c3(512), relu, c3(512), relu, pool,
  c3(512), relu, c3(512), relu, c3(512), relu, pool, // (one pool too many below: 3×3, not 7×7)
  pool,
  flatten,
  linear({ in: 25088, out: 4096 }), relu, // error: linear: expected 25088 input features, got 4608
  linear({ in: 4096, out: 1000 }),
)

export const resnetStage = pipe(
  input([N, 64, 56, 56]),
  sequential(bottleneckDown(64, 1)), sequential(bottleneck(64)), sequential(bottleneck(64)),
  sequential(bottleneckDown(128, 2)), sequential(bottleneck(128)), sequential(bottleneck(128)), sequential(bottleneck(128)),
  sequential(bottleneck(128)), sequential(bottleneck(128)), sequential(bottleneck(128)), sequential(bottleneck(128)),
  sequential(bottleneckDown(256, 2)), sequential(bottleneck(256)), sequential(bottleneck(256)), sequential(bottleneck(256)),
  sequential(bottleneck(256)), sequential(bottleneck(256)), sequential(bottleneck(256)), sequential(bottleneck(256)),
  batchNorm2d({ features: 512 }), // error: batchNorm2d: expected 512 channels, got 1024
  sequential(bottleneck(256)), sequential(bottleneck(256)), sequential(bottleneck(256)),
)

export const longFlow = flow(
  c3(16), relu, c3(16), relu, pool,
  c3(32), relu, c3(32), relu, pool,
  conv2d({ in: 16, out: 64, kernel: 3 }), relu, // error: conv2d: expected 16 input channels, got 32
  c3(64), relu, pool,
)
export const longFlowUse = pipe(input([N, 3, 64, 64]), flow(c3(16), relu, c3(16), relu, pool, c3(32), relu, c3(32), relu, pool, flatten, linear({ in: 100, out: 10 }))) // error: linear: expected 100 input features, got 8192

// `sequential` of the layers themselves, as PyTorch's nn.Sequential(*layers): each layer checked against the one
// before it, at its own line, as in `flow`.
export const seqLayers = pipe(
  input([N, 1, 28, 28]),
  sequential(
    conv2d({ out: 6, kernel: 5, padding: 2 }), relu,
    maxPool2d({ kernel: 2, stride: 2 }),
    conv2d({ in: 8, out: 16, kernel: 5 }), // error: conv2d: expected 8 input channels, got 6
    relu,
  ),
)
export const seqHead = pipe(input([N, 16, 5, 5]), sequential(flatten, linear({ in: 400, out: 120 }), relu, linear({ in: 100, out: 84 }))) // error: linear: expected 100 input features, got 120
