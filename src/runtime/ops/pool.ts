/**
 * Pooling on tfjs.
 * - maxPool2d: explicit padding, which tfjs pools skip (PyTorch's −∞ padding), ceil mode as extra bottom/right
 *   padding. (Its gradient on wasm is the `MaxPoolGrad` kernel of kernels/maxPoolGrad.ts.)
 * - avgPool2d: zero padding plus a precomputed divisor map for PyTorch's `count_include_pad` and ceil-mode rules.
 * - adaptiveAvgPool2d: mean (output 1), an average pool (even bins) or two small matrix products (PyTorch's uneven
 *   bins ⌊i·H/o⌋ … ⌈(i+1)·H/o⌉).
 * @module
 */
import * as tf from '@tensorflow/tfjs'
import type { Node, OpOf } from '../../graph/ir.js'
import { adaptiveBins, windowOverhang } from '../../shape/window.js'
import type { ConvPadding } from '../kernels/convGeometry.js'
import { concreteDim, type Lowering } from '../lowering.js'

/**
 * Input and output sizes of a pool, and the cells its last window reads past the padding (ceil mode).
 * @category Advanced
 */
export interface PoolGeometry {
  readonly h: number
  readonly w: number
  readonly ho: number
  readonly wo: number
  readonly extraH: number
  readonly extraW: number
}

/**
 * The geometry of a traced pool node (the window rule's run-time twin gives the ceil-mode overhang).
 * @category Advanced
 */
export function poolGeometry(node: Node, op: OpOf<'maxPool2d'> | OpOf<'avgPool2d'>): PoolGeometry {
  const src = node.inputs[0]
  const h = concreteDim(src, 2)
  const w = concreteDim(src, 3)
  return {
    h,
    w,
    ho: concreteDim(node, 2),
    wo: concreteDim(node, 3),
    extraH: windowOverhang(h, op.kernel[0], op.stride[0], op.padding[0], 1, op.ceilMode),
    extraW: windowOverhang(w, op.kernel[1], op.stride[1], op.padding[1], 1, op.ceilMode),
  }
}

/**
 * Max pooling; padded cells never win (tfjs pools skip them, as PyTorch's −∞ padding).
 * @category Advanced
 */
export function lowerMaxPool2d(node: Node, op: OpOf<'maxPool2d'>): Lowering {
  const g = poolGeometry(node, op)
  const [ph, pw] = op.padding
  const k = [op.kernel[0], op.kernel[1]] as [number, number]
  const s = [op.stride[0], op.stride[1]] as [number, number]
  // Ceil mode reads `extra` more cells bottom/right.
  const pad: ConvPadding =
    g.extraH === 0 && g.extraW === 0 && ph === pw ? (ph === 0 ? 'valid' : ph) : [[0, 0], [ph, ph + g.extraH], [pw, pw + g.extraW], [0, 0]]
  return ([x]) => tf.maxPool(x as tf.Tensor4D, k, s, pad)
}

/**
 * Per-output factor `kh·kw / divisor` turning tfjs's `mean over kh·kw` into PyTorch's average: the divisor is the
 * window clipped to the padded input (count_include_pad) or to the real input (not counting padding).
 * @category Advanced
 */
export function avgPoolCorrection(g: PoolGeometry, op: OpOf<'avgPool2d'>): Float32Array | undefined {
  const [kh, kw] = op.kernel
  const [sh, sw] = op.stride
  const [ph, pw] = op.padding
  const out = new Float32Array(g.ho * g.wo)
  let needed = false
  for (let i = 0; i < g.ho; i++) {
    for (let j = 0; j < g.wo; j++) {
      let h0 = i * sh - ph
      let h1 = Math.min(h0 + kh, g.h + ph)
      let w0 = j * sw - pw
      let w1 = Math.min(w0 + kw, g.w + pw)
      if (!op.countIncludePad) {
        h0 = Math.max(h0, 0)
        w0 = Math.max(w0, 0)
        h1 = Math.min(h1, g.h)
        w1 = Math.min(w1, g.w)
      }
      const f = (kh * kw) / ((h1 - h0) * (w1 - w0))
      out[i * g.wo + j] = f
      if (f !== 1) needed = true
    }
  }
  return needed ? out : undefined
}

/**
 * Average pooling with PyTorch's divisors.
 * @category Advanced
 */
export function lowerAvgPool2d(node: Node, op: OpOf<'avgPool2d'>): Lowering {
  const g = poolGeometry(node, op)
  const [ph, pw] = op.padding
  const k = [op.kernel[0], op.kernel[1]] as [number, number]
  const s = [op.stride[0], op.stride[1]] as [number, number]
  if (ph === 0 && pw === 0 && g.extraH === 0 && g.extraW === 0) return ([x]) => tf.avgPool(x as tf.Tensor4D, k, s, 'valid')
  const paddings: [number, number][] = [[0, 0], [ph, ph + g.extraH], [pw, pw + g.extraW], [0, 0]]
  const correction = avgPoolCorrection(g, op)
  return ([x]) => {
    const y = tf.avgPool(tf.pad(x, paddings) as tf.Tensor4D, k, s, 'valid')
    return correction === undefined ? y : tf.mul(y, tf.tensor4d(correction, [1, g.ho, g.wo, 1]))
  }
}


/**
 * Adaptive average pooling with PyTorch's bins.
 * @category Advanced
 */
export function lowerAdaptiveAvgPool2d(node: Node, op: OpOf<'adaptiveAvgPool2d'>): Lowering {
  const src = node.inputs[0]
  const h = concreteDim(src, 2)
  const w = concreteDim(src, 3)
  const c = concreteDim(src, 1)
  const [oh, ow] = op.output
  if (oh === 1 && ow === 1) return ([x]) => tf.mean(x, [1, 2], true)
  if (h % oh === 0 && w % ow === 0) {
    const k = [h / oh, w / ow] as [number, number]
    return ([x]) => tf.avgPool(x as tf.Tensor4D, k, k, 'valid')
  }
  const rows = adaptiveBins(h, oh)
  const cols = adaptiveBins(w, ow)
  return ([x]) => {
    const n = x.shape[0]
    // Over H: [1, oh, H] × [N, H, W·C] → [N, oh, W·C]; over W: [1, ow, W] × [N·oh, W, C] → [N·oh, ow, C].
    const byRows = tf.matMul(tf.tensor3d(rows, [1, oh, h]).tile([n, 1, 1]) as tf.Tensor3D, x.reshape([n, h, w * c]) as tf.Tensor3D)
    const byCols = tf.matMul(tf.tensor3d(cols, [1, ow, w]).tile([n * oh, 1, 1]) as tf.Tensor3D, byRows.reshape([n * oh, w, c]) as tf.Tensor3D)
    return byCols.reshape([n, oh, ow, c])
  }
}
