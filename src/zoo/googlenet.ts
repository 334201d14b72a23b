/**
 * GoogLeNet (Inception v1) as in the seed: the Inception block's four parallel paths joined by channel
 * concatenation, five stages `b1`…`b5`, and a Linear head, for 1×96×96 images.
 * @module
 */
import { flow, pipe } from 'fp-ts/lib/function.js'
import type { Shape4 } from '../shape/dim.js'
import type { Tensor } from '../graph/tensor.js'
import { named } from '../graph/combinators.js'
import { sequential } from '../graph/sequential.js'
import { conv2d } from '../layers/conv2d.js'
import { maxPool2d } from '../layers/pool2d.js'
import { adaptiveAvgPool2d } from '../layers/adaptivePool2d.js'
import { flatten } from '../layers/flatten.js'
import { linear } from '../layers/linear.js'
import { concat } from '../layers/merge.js'
import { relu } from '../layers/elementwise.js'
import { checkNetOptions, expectChannelsAndMinSize, type ExpectChannelsAndMinSize, type NetOptions } from './netInput.js'

/**
 * The seed's `Inception(in_channels, c1, c2, c3, c4)` as a module (the next numbered child): path 1 a 1×1 conv
 * (`p1_1`); path 2 a 1×1 then a 3×3/p1 conv (`p2_1`, `p2_2`); path 3 a 1×1 then a 5×5/p2 conv (`p3_1`, `p3_2`);
 * path 4 a 3×3/s1/p1 max-pool then a 1×1 conv (`p4_1`, `p4_2`); ReLU after every conv; outputs concatenated.
 *
 * Shape rule: `[N, C, H, W] → [N, c1 + c2[1] + c3[1] + c4, H, W]`.
 * @example
 * ```ts
 * pipe(input([N, 192, 12, 12]), inception(64, [96, 128], [16, 32], 32)) // Tensor<[N, 256, 12, 12]>
 * ```
 * @category Nets
 */
export function inception<const C1 extends number, const C2 extends InceptionPath, const C3 extends InceptionPath, const C4 extends number>(
  c1: C1,
  c2: C2,
  c3: C3,
  c4: C4,
): Inception<C1, C2, C3, C4> {
  return sequential(inceptionLayers<C1, C2[0], C2[1], C3[0], C3[1], C4>(c1, c2, c3, c4))
}

/**
 * The channels of one of {@link inception}'s reduced paths (the seed's `c2`, `c3`): its 1×1 reduction, then its 3×3
 * (path 2) or 5×5 (path 3) conv.
 * @category Nets
 */
export type InceptionPath = readonly [reduce: number, out: number]

/**
 * The four paths of {@link inception}, concatenated. Each channel count is a type parameter of its own: with a path's
 * channels as `C2[1]` the concatenation's sum would not stay a literal.
 */
function inceptionLayers<
  const C1 extends number,
  const C2a extends number,
  const C2b extends number,
  const C3a extends number,
  const C3b extends number,
  const C4 extends number,
>(c1: C1, c2: readonly [C2a, C2b], c3: readonly [C3a, C3b], c4: C4) {
  return <S extends Shape4>(x: Tensor<S>) => {
    const p1 = pipe(x, named('p1_1', conv2d({ out: c1, kernel: 1 })), relu)
    const p2 = pipe(x, named('p2_1', conv2d({ out: c2[0], kernel: 1 })), relu, named('p2_2', conv2d({ out: c2[1], kernel: 3, padding: 1 })), relu)
    const p3 = pipe(x, named('p3_1', conv2d({ out: c3[0], kernel: 1 })), relu, named('p3_2', conv2d({ out: c3[1], kernel: 5, padding: 2 })), relu)
    const p4 = pipe(x, named('p4_1', maxPool2d({ kernel: 3, stride: 1, padding: 1 })), named('p4_2', conv2d({ out: c4, kernel: 1 })), relu)
    return concat(p1, p2, p3, p4)
  }
}

/**
 * An {@link inception} block: `[N, C, H, W] → [N, C1 + C2[1] + C3[1] + C4, H, W]` (the type its paths infer; the
 * channel sum is a literal once the block is applied).
 * @example
 * ```ts
 * const block: Inception<64, [96, 128], [16, 32], 32> = inception(64, [96, 128], [16, 32], 32)
 * const y = pipe(input([N, 192, 12, 12]), block)
 * //    ^? Tensor<[N, 256, 12, 12]>
 * ```
 * @category Nets
 */
export type Inception<C1 extends number, C2 extends InceptionPath, C3 extends InceptionPath, C4 extends number> = ReturnType<
  typeof inceptionLayers<C1, C2[0], C2[1], C3[0], C3[1], C4>
>

/**
 * The seed's GoogLeNet: `nn.Sequential(b1, b2, b3, b4, b5, nn.Linear(1024, 10))` with nine Inception blocks (state_dict
 * `0.0.weight`, `2.0.p1_1.weight`, …, `5.weight`). Any input from 1×1 up type-checks (the head pools adaptively);
 * default input 1×96×96.
 * @example
 * ```ts
 * pipe(input([N, 1, 96, 96]), googlenet()) // Tensor<[N, 10]>
 * ```
 * @category Nets
 */
export function googlenet<const K extends number = 10, const C extends number = 1>(options: NetOptions<K, C> = {}) {
  checkNetOptions('googlenet', options)
  const classes = (options.classes ?? 10) as K
  const inChannels = (options.inChannels ?? 1) as C
  const b1 = sequential(flow(conv2d({ out: 64, kernel: 7, stride: 2, padding: 3 }), relu, maxPool2d({ kernel: 3, stride: 2, padding: 1 })))
  const b2 = sequential(
    flow(
      conv2d({ out: 64, kernel: 1 }), relu,
      conv2d({ out: 192, kernel: 3, padding: 1 }), relu,
      maxPool2d({ kernel: 3, stride: 2, padding: 1 }),
    ),
  )
  const b3 = sequential(
    flow(
      inception(64, [96, 128], [16, 32], 32),
      inception(128, [128, 192], [32, 96], 64),
      maxPool2d({ kernel: 3, stride: 2, padding: 1 }),
    ),
  )
  const b4 = sequential(
    flow(
      inception(192, [96, 208], [16, 48], 64),
      inception(160, [112, 224], [24, 64], 64),
      inception(128, [128, 256], [24, 64], 64),
      inception(112, [144, 288], [32, 64], 64),
      inception(256, [160, 320], [32, 128], 128),
      maxPool2d({ kernel: 3, stride: 2, padding: 1 }),
    ),
  )
  const b5 = sequential(
    flow(
      inception(256, [160, 320], [32, 128], 128),
      inception(384, [192, 384], [48, 128], 128),
      adaptiveAvgPool2d({ output: 1 }),
      flatten,
    ),
  )
  return <S extends Shape4>(x: Tensor<S> & ExpectChannelsAndMinSize<S, C, 1, 'googlenet'>): Tensor<[S[0], K]> => {
    expectChannelsAndMinSize(x, inChannels, 1, 'googlenet')
    return pipe(x, b1, b2, b3, b4, b5, linear({ in: 1024, out: classes }))
  }
}
