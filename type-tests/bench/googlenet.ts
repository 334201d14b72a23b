/**
 * Type-check benchmark fixture: the seed's GoogLeNet (Inception v1, nine Inception blocks built with `parallel`) on
 * a `[N, 1, 96, 96]` input. Also imported by the type tests.
 */
import { flow, pipe } from 'fp-ts/lib/function.js'
import { adaptiveAvgPool2d, conv2d, flatten, input, linear, maxPool2d, N, parallel, relu, sequential, type Dim, type Tensor } from 'shapesafe'

/** Inception block: 1×1 | 1×1→3×3 | 1×1→5×5 | 3×3 pool→1×1, concatenated along channels. */
export const inception = <C1 extends number, C2a extends number, C2 extends number, C3a extends number, C3 extends number, C4 extends number>(
  c1: C1,
  c2: readonly [C2a, C2],
  c3: readonly [C3a, C3],
  c4: C4,
) =>
  parallel(
    flow(conv2d({ out: c1, kernel: 1, name: 'p1_1' }), relu),
    flow(conv2d({ out: c2[0], kernel: 1, name: 'p2_1' }), relu, conv2d({ out: c2[1], kernel: 3, padding: 1, name: 'p2_2' }), relu),
    flow(conv2d({ out: c3[0], kernel: 1, name: 'p3_1' }), relu, conv2d({ out: c3[1], kernel: 5, padding: 2, name: 'p3_2' }), relu),
    flow(maxPool2d({ kernel: 3, stride: 1, padding: 1, name: 'p4_1' }), conv2d({ out: c4, kernel: 1, name: 'p4_2' }), relu),
  )

const pool = () => maxPool2d({ kernel: 3, stride: 2, padding: 1 })

/** b1: 7×7/2 conv and a 3×3/2 pool. */
export const b1 = sequential(flow(conv2d({ out: 64, kernel: 7, stride: 2, padding: 3 }), relu, pool()))
/** b2: 1×1 and 3×3 convs and a pool. */
export const b2 = sequential(flow(conv2d({ out: 64, kernel: 1 }), relu, conv2d({ out: 192, kernel: 3, padding: 1 }), relu, pool()))

/** b3: two Inception blocks (256, 480 channels) and a pool. */
export const b3 = <B extends Dim, H extends Dim, W extends Dim>(t: Tensor<[B, 192, H, W]>) =>
  pipe(t, sequential(inception(64, [96, 128], [16, 32], 32)), sequential(inception(128, [128, 192], [32, 96], 64)), pool())

/** b4: five Inception blocks (512, 512, 512, 528, 832 channels) and a pool. */
export const b4 = <B extends Dim, H extends Dim, W extends Dim>(t: Tensor<[B, 480, H, W]>) =>
  pipe(
    t,
    sequential(inception(192, [96, 208], [16, 48], 64)),
    sequential(inception(160, [112, 224], [24, 64], 64)),
    sequential(inception(128, [128, 256], [24, 64], 64)),
    sequential(inception(112, [144, 288], [32, 64], 64)),
    sequential(inception(256, [160, 320], [32, 128], 128)),
    pool(),
  )

/** b5: two Inception blocks (832, 1024 channels), global average pool, flatten. */
export const b5 = <B extends Dim, H extends Dim, W extends Dim>(t: Tensor<[B, 832, H, W]>) =>
  pipe(t, sequential(inception(256, [160, 320], [32, 128], 128)), sequential(inception(384, [192, 384], [48, 128], 128)), adaptiveAvgPool2d({ output: 1 }), flatten)

/** GoogLeNet on `[N, 1, 96, 96]` → `[N, 10]`, as in the seed. */
export const googlenet = (x: Tensor<[N, 1, 96, 96]>) => pipe(x, b1, b2, sequential(b3), sequential(b4), sequential(b5), linear({ in: 1024, out: 10 }))

/** The traced output: `Tensor<[N, 10]>`. */
export const googlenetOut = pipe(input([N, 1, 96, 96]), googlenet)
