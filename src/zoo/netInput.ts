/**
 * Input checks of the zoo's networks: what a net accepts, as a compile-time check in its parameter type and as a
 * run-time check, plus the one documented narrowing that lets a fixed-size net's body be checked with concrete sizes.
 * @module
 */
import type { Compare } from '../shape/arithmetic.js'
import type { Dim, Shape, Shape4 } from '../shape/dim.js'
import { formatShape, isNamed } from '../shape/dim.js'
import type { DimsAgree, FormatDim, FormatShape, ShapeCheckFailed } from '../shape/format.js'
import type { Tensor } from '../graph/tensor.js'
import { ShapeError } from '../shape/errors.js'

/** Options every zoo factory takes. */
export interface NetOptions<K extends number = number, C extends number = number> {
  /** Number of classes (output features). */
  readonly classes?: K
  /** Input channels: 1 for Fashion-MNIST, 3 for RGB images. */
  readonly inChannels?: C
}

/**
 * `unknown` when `S` may be `[N, C, H, W]` exactly, else the message
 * `alexnet: expected input [N,1,224,224], got [N,1,225,225]`. Unknown (`number`) dims pass and are checked at trace time.
 */
export type ExpectInput<S extends Shape4, C, H, W, Net extends string> =
  DimsAgree<S[1], C> extends true
    ? DimsAgree<S[2], H> extends true
      ? DimsAgree<S[3], W> extends true
        ? unknown
        : InputMismatch<S, C, H, W, Net>
      : InputMismatch<S, C, H, W, Net>
    : InputMismatch<S, C, H, W, Net>

type InputMismatch<S extends Shape4, C, H, W, Net extends string> = ShapeCheckFailed<`${Net}: expected input ${FormatShape<
  [S[0], C, H, W]
>}, got ${FormatShape<S>}`>

/**
 * `unknown` when `S` has `C` channels and is at least `Min`×`Min` (a literal below `Min` fails:
 * `resnet18: expected input [N,3,H,W] with H, W ≥ 32, got [N,3,16,16]`); for nets whose head adapts to any size.
 */
export type ExpectChannelsAndMinSize<S extends Shape4, C, Min extends number, Net extends string> =
  DimsAgree<S[1], C> extends true
    ? TooSmall<S[2], Min> extends true
      ? SizeMismatch<S, C, Min, Net>
      : TooSmall<S[3], Min> extends true
        ? SizeMismatch<S, C, Min, Net>
        : unknown
    : SizeMismatch<S, C, Min, Net>

type TooSmall<D, Min extends number> = D extends number ? (Compare<D, Min> extends 'lt' ? true : false) : false

type SizeMismatch<S extends Shape4, C, Min extends number, Net extends string> = ShapeCheckFailed<`${Net}: expected input [${FormatDim<
  S[0]
>},${FormatDim<C>},H,W] with H, W ≥ ${Min}, got ${FormatShape<S>}`>

/**
 * The checked narrowing of a fixed-size net's input: the parameter type has already required
 * {@link ExpectInput}`<S, C, H, W>`, but TypeScript cannot use that requirement to refine `S`, so this restates it
 * as `Tensor<[S[0], C, H, W]>` and verifies it at trace time (a {@link ShapeError} naming the net otherwise).
 * This is the zoo's only cast around shape types.
 * @example
 * ```ts
 * const x = expectInput(t, [1, 224, 224], 'alexnet') // t: Tensor<S> → Tensor<[S[0], 1, 224, 224]>
 * ```
 */
export function expectInput<S extends Shape, C extends number, H extends number, W extends number>(
  x: Tensor<S>,
  expected: readonly [C, H, W],
  net: string,
): Tensor<[S[0], C, H, W]> {
  const s = x.shape
  const ok = s.length === 4 && s.slice(1).every((d, i) => !isNamed(d) && d === expected[i])
  if (!ok) {
    throw new ShapeError(net, `input [N,${expected.join(",")}]`, formatShape(s), `${net}: expected input [N,${expected.join(',')}], got ${formatShape(s)}`)
  }
  return x as unknown as Tensor<[S[0], C, H, W]>
}

/** Run-time twin of {@link ExpectChannelsAndMinSize}: throws a {@link ShapeError} naming the net. */
export function expectChannelsAndMinSize(x: Tensor, channels: number, min: number, net: string): void {
  const s = x.shape
  const ok = s.length === 4 && s[1] === channels && [s[2], s[3]].every((d) => !isNamed(d) && d >= min)
  if (!ok) {
    throw new ShapeError(
      net,
      `input [N,${channels},H,W] with H, W ≥ ${min}`,
      formatShape(s),
      `${net}: expected input [N,${channels},H,W] with H, W ≥ ${min}, got ${formatShape(s)}`,
    )
  }
}
