/**
 * Linear layers, activations, dropout, flatten and the merges (concat, add) on tfjs.
 * @module
 */
import * as tf from '@tensorflow/tfjs'
import type { Node, OpOf } from '../../graph/ir.js'
import { fusedLinearTraining, type FusedActivation } from '../fusedTraining.js'
import { concreteDim, type Lowering, paramTensor, requiredParamName } from '../lowering.js'

/**
 * linear with its bias and the activation fused into it (`'linear'` when none is).
 * @category Advanced
 */
export function lowerLinear(node: Node, op: OpOf<'linear'>, activation: FusedActivation): Lowering {
  const wName = requiredParamName(node, 'weight')
  const bName = op.bias ? requiredParamName(node, 'bias') : undefined
  return (xs, ctx) => {
    const a = xs[0] as tf.Tensor2D
    const b = paramTensor(ctx, wName) as tf.Tensor2D
    const bias = bName === undefined ? undefined : paramTensor(ctx, bName)
    // Training: one recorded op whose gradient uses untransposed products (see fusedTraining.ts).
    return ctx.training ? fusedLinearTraining(a, b, bias, activation) : tf.fused.matMul({ a, b, bias, activation })
  }
}

/**
 * An activation on its own (not fused into the conv/linear before it).
 * @category Advanced
 */
export function lowerActivation(kind: 'relu' | 'sigmoid' | 'tanh' | 'softmax'): Lowering {
  switch (kind) {
    case 'relu':
      return ([x]) => tf.relu(x)
    case 'sigmoid':
      return ([x]) => tf.sigmoid(x)
    case 'tanh':
      return ([x]) => tf.tanh(x)
    case 'softmax':
      // Channels (NHWC) or features (2-D) are the last axis.
      return ([x]) => tf.softmax(x)
  }
}

/**
 * The input unchanged: an identity, or an activation fused into its producer.
 * @category Advanced
 */
export const passThrough: Lowering = ([x]) => x

/**
 * Dropout in training (seeded per call and node), the identity in eval.
 * @category Advanced
 */
export function lowerDropout(node: Node, op: OpOf<'dropout'>): Lowering {
  return ([x], ctx) => (ctx.training && op.p > 0 ? tf.dropout(x, op.p, undefined, (ctx.seed >>> 0) * 1009 + node.id) : x)
}

/**
 * Flatten in PyTorch's C-major feature order, or as is when the linear layers after it take NHWC order.
 * @category Advanced
 */
export function lowerFlatten(node: Node, keepNhwc: boolean): Lowering {
  const src = node.inputs[0]
  const features = concreteDim(node, 1)
  const spatial = src.shape.length === 4 && (concreteDim(src, 2) > 1 || concreteDim(src, 3) > 1)
  if (!spatial || keepNhwc) return ([x]) => x.reshape([x.shape[0], features])
  // PyTorch's feature order is C-major: back to NCHW before reshaping.
  return ([x]) => tf.transpose(x, [0, 3, 1, 2]).reshape([x.shape[0], features])
}

/**
 * Channel concatenation (channels are the last axis inside).
 * @category Advanced
 */
export const lowerConcat: Lowering = (xs) => (xs.length === 1 ? xs[0] : tf.concat(xs as tf.Tensor[], xs[0].rank - 1))

/**
 * Elementwise sum of two tensors (residual connections).
 * @category Advanced
 */
export const lowerAdd: Lowering = ([a, b]) => tf.add(a, b)
