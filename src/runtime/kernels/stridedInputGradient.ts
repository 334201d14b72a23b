/**
 * Input gradient of a strided 2-D convolution without multiplying by inserted zeros.
 *
 * Inserting `stride - 1` zeros between dy's pixels and convolving (see
 * `transposedConvInput`) wastes `1 − 1/(sh·sw)` of the work on zeros. Instead, split the
 * input gradient by phase: input row `i = q·s + a` only receives taps `k` with
 * `k·d ≡ a + padBefore (mod s)`, from dy row `q + m` with `m = (a + padBefore − k·d) / s`.
 * All `s` phases read the same small window of dy rows, so one stride-1 convolution of
 * (unexpanded) dy with a filter of `window × window` taps and `sh·sw·Cin` output channels
 * (each phase's taps, zeros where a phase has none) yields every phase at once; a
 * depth-to-space rearrangement interleaves them into the input gradient.
 *
 * @module
 */
import * as tf from '@tensorflow/tfjs'
import type { KernelComposer } from './compose.js'
import { transpose } from './transpose.js'
import { type ConvAxis, type ConvGeometry, explicitPadding, heightAxis, widthAxis } from './convGeometry.js'

/**
 * How one spatial axis splits into stride phases.
 * @category Advanced
 */
export interface PhaseAxis {
  /** Number of phases (the forward stride). */
  readonly phases: number
  /** Window of dy positions every phase reads: offsets `mMin … mMin + window − 1`. */
  readonly window: number
  readonly mMin: number
  /** Output positions per phase: `ceil(inSize / stride)`. */
  readonly blocks: number
  /** Padding of dy for the phase convolution; negative means crop. */
  readonly before: number
  readonly after: number
  /** Filter tap feeding window position `j` of phase `a`, or -1 if none. */
  readonly tap: (j: number, a: number) => number
}

/**
 * Splits one axis of the transposed convolution into stride phases.
 *
 * @example
 * ```ts
 * const p = phaseAxis({ inSize: 8, outSize: 4, filterSize: 3, stride: 2, dilation: 1, padBefore: 1 })
 * // p.window === 2, p.tap(0, 0) === 1, p.tap(1, 1) === 0, p.tap(0, 1) === 2
 * ```
 * @category Advanced
 */
export function phaseAxis(a: ConvAxis): PhaseAxis {
  const { inSize, outSize, filterSize, stride: s, dilation: d, padBefore: p } = a
  const mMin = Math.ceil((p - (filterSize - 1) * d) / s)
  const mMax = Math.floor((p + s - 1) / s)
  const window = mMax - mMin + 1
  const blocks = Math.ceil(inSize / s)
  const before = -mMin
  return {
    phases: s, window, mMin, blocks, before,
    after: blocks + window - 1 - outSize - before,
    tap: (j, phase) => {
      const reach = phase + p - (mMin + j) * s
      if (reach < 0 || reach % d !== 0) return -1
      const k = reach / d
      return k < filterSize ? k : -1
    },
  }
}

/**
 * Input gradient `[N, H, W, Cin]` of a convolution with stride > 1 from dy `[N, Ho, Wo, Cout]`
 * (NHWC) and the forward filter `[KH, KW, Cin, Cout]`, as one convolution by phases.
 * @category Advanced
 */
export function stridedInputGradient(
  { run, constant, read }: KernelComposer, dy: tf.TensorInfo, filter: tf.TensorInfo, g: ConvGeometry,
): tf.TensorInfo {
  const ph = phaseAxis(heightAxis(g))
  const pw = phaseAxis(widthAxis(g))
  const [, kw, cin, cout] = filter.shape
  const w = read(filter)
  // Phase filter [window_h, window_w, Cout, sh, sw, Cin].
  const sh = ph.phases
  const sw = pw.phases
  const phaseFilter = new Float32Array(ph.window * pw.window * cout * sh * sw * cin)
  for (let jh = 0; jh < ph.window; jh++) {
    for (let ah = 0; ah < sh; ah++) {
      const th = ph.tap(jh, ah)
      if (th < 0) continue
      for (let jw = 0; jw < pw.window; jw++) {
        for (let aw = 0; aw < sw; aw++) {
          const tw = pw.tap(jw, aw)
          if (tw < 0) continue
          for (let co = 0; co < cout; co++) {
            const outBase = ((((jh * pw.window + jw) * cout + co) * sh + ah) * sw + aw) * cin
            const inBase = (th * kw + tw) * cin * cout + co
            for (let ci = 0; ci < cin; ci++) phaseFilter[outBase + ci] = w[inBase + ci * cout]
          }
        }
      }
    }
  }
  const phasedFilter = constant(phaseFilter, [ph.window, pw.window, cout, sh * sw * cin])

  const [n, ho, wo] = dy.shape
  const cropTop = Math.max(0, -ph.before)
  const cropBottom = Math.max(0, -ph.after)
  const cropLeft = Math.max(0, -pw.before)
  const cropRight = Math.max(0, -pw.after)
  const keepH = ho - cropTop - cropBottom
  const keepW = wo - cropLeft - cropRight
  if (keepH <= 0 || keepW <= 0) {
    return run('Fill', {}, { shape: [n, g.inHeight, g.inWidth, cin], value: 0, dtype: 'float32' })
  }
  const input = cropTop + cropBottom + cropLeft + cropRight === 0
    ? dy
    : run('Slice', { x: dy }, { begin: [0, cropTop, cropLeft, 0], size: [n, keepH, keepW, cout] })
  const phased = run('Conv2D', { x: input, filter: phasedFilter }, {
    strides: [1, 1], dilations: [1, 1], dataFormat: 'NHWC',
    pad: explicitPadding(
      { before: Math.max(0, ph.before), after: Math.max(0, ph.after) },
      { before: Math.max(0, pw.before), after: Math.max(0, pw.after) }),
  })
  const split = run('Reshape', { x: phased }, { shape: [n, ph.blocks, pw.blocks, sh, sw, cin] })
  const interleaved = transpose(run, split, [0, 1, 3, 2, 4, 5])
  const full = run('Reshape', { x: interleaved }, { shape: [n, ph.blocks * sh, pw.blocks * sw, cin] })
  if (full.shape[1] === g.inHeight && full.shape[2] === g.inWidth) return full
  return run('Slice', { x: full }, { begin: [0, 0, 0, 0], size: [n, g.inHeight, g.inWidth, cin] })
}
