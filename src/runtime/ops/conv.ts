/**
 * conv2d on tfjs: explicit padding (`[[0,0],[t,b],[l,r],[0,0]]`); dilation by a zero-dilated filter (tfjs has no conv
 * gradient for dilation > 1 and refuses stride and dilation > 1 together); groups by splitting channels and
 * concatenating, `groups = in = out` by `depthwiseConv2d`; bias and a following relu/sigmoid fused.
 * @module
 */
import * as tf from '@tensorflow/tfjs'
import type { Node, OpOf } from '../../graph/ir.js'
import { applyActivation, fusedConv2dTraining, type FusedActivation } from '../fusedTraining.js'
import type { ConvPadding } from '../kernels/convGeometry.js'
import { type Lowering, paramTensor, requiredParamName } from '../lowering.js'

/**
 * Whether a conv2d runs as a depthwise convolution (`groups = in = out`), which stores its filter differently.
 * @category Advanced
 */
export const isDepthwise = (op: OpOf<'conv2d'>): boolean => op.groups > 1 && op.groups === op.inChannels && op.out === op.inChannels

/**
 * Inserts d−1 zeros between filter taps along H and W: a dilated conv as a plain conv (HWIO or depthwise filter).
 * The trailing axes are merged so no tensor has more than 4 dimensions: tfjs-backend-webgpu 4.22 generates invalid
 * WGSL (`vec5`) for a rank-5 pad.
 * @category Advanced
 */
export function dilateFilter(w: tf.Tensor4D, [dh, dw]: readonly [number, number]): tf.Tensor4D {
  let out = w
  const [kh, kw, i, o] = w.shape
  if (dh > 1) {
    const spread = tf.pad(out.reshape([kh, 1, kw * i * o]), [[0, 0], [0, dh - 1], [0, 0]])
    out = spread.reshape([kh * dh, kw, i, o]).slice([0, 0, 0, 0], [(kh - 1) * dh + 1, kw, i, o]) as tf.Tensor4D
  }
  if (dw > 1) {
    const h = out.shape[0]
    const spread = tf.pad(out.reshape([h, kw, 1, i * o]), [[0, 0], [0, 0], [0, dw - 1], [0, 0]])
    out = spread.reshape([h, kw * dw, i, o]).slice([0, 0, 0, 0], [h, (kw - 1) * dw + 1, i, o]) as tf.Tensor4D
  }
  return out
}

/**
 * conv2d with its bias and the activation fused into it (`'linear'` when none is).
 * @category Advanced
 */
export function lowerConv2d(node: Node, op: OpOf<'conv2d'>, activation: FusedActivation): Lowering {
  const wName = requiredParamName(node, 'weight')
  const bName = op.bias ? requiredParamName(node, 'bias') : undefined
  const [t, b, l, r] = op.padding
  const pad: ConvPadding =
    t === 0 && b === 0 && l === 0 && r === 0 ? 'valid' : t === b && l === r && t === l ? t : [[0, 0], [t, b], [l, r], [0, 0]]
  const dilated = op.dilation[0] > 1 || op.dilation[1] > 1
  const strides = [op.stride[0], op.stride[1]] as [number, number]
  const groups = op.groups
  const depthwise = isDepthwise(op)
  return (xs, ctx) => {
    const x = xs[0] as tf.Tensor4D
    let filter = paramTensor(ctx, wName) as tf.Tensor4D
    if (dilated) filter = dilateFilter(filter, op.dilation)
    const bias = bName === undefined ? undefined : paramTensor(ctx, bName)
    if (depthwise) {
      // tf.fused.depthwiseConv2d takes no explicit padding: pad first.
      const explicit = typeof pad === 'object'
      const xp = explicit ? (tf.pad(x, pad) as tf.Tensor4D) : x
      return tf.fused.depthwiseConv2d({ x: xp, filter, strides, pad: explicit ? 'valid' : pad, bias, activation })
    }
    if (groups === 1) {
      // Training with an activation: one recorded op instead of three (see fusedTraining.ts).
      if (ctx.training && activation !== 'linear') return fusedConv2dTraining(x, filter, bias, { strides, pad, activation })
      return tf.fused.conv2d({ x, filter, strides, pad, bias, activation })
    }
    const xParts = tf.split(x, groups, 3) as tf.Tensor4D[]
    const wParts = tf.split(filter, groups, 3) as tf.Tensor4D[]
    const y = tf.concat(xParts.map((xp, g) => tf.conv2d(xp, wParts[g], strides, pad)), 3)
    return applyActivation(bias === undefined ? y : tf.add(y, bias), activation)
  }
}
