/**
 * Normalisation on tfjs.
 * - batchNorm2d, batchNorm1d: in training the custom-gradient op of batchNormTraining.ts, in eval one multiply-add.
 * - localResponseNorm: PyTorch's window (⌊n/2⌋ channels before, ⌈n/2⌉−1 after) as a 1×n average pool of x².
 * @module
 */
import * as tf from '@tensorflow/tfjs'
import type { Node, OpOf } from '../../graph/ir.js'
import { type Lowering, paramTensor, requiredParamName } from '../lowering.js'
import { batchNormTraining } from './batchNormTraining.js'

/**
 * BatchNorm over channels (the last axis inside: NHWC, or the features of `[N, F]` for BatchNorm1d); in training it
 * also writes the updated running statistics.
 * @category Advanced
 */
export function lowerBatchNorm(node: Node, op: OpOf<'batchNorm2d' | 'batchNorm1d'>): Lowering {
  const wName = requiredParamName(node, 'bnWeight')
  const bName = requiredParamName(node, 'bnBias')
  const meanName = requiredParamName(node, 'runningMean')
  const varName = requiredParamName(node, 'runningVar')
  return ([x], ctx) => {
    const gamma = paramTensor(ctx, wName)
    const beta = paramTensor(ctx, bName)
    if (!ctx.training) {
      // y = x·scale + shift with scale = γ/√(var+eps), shift = β − mean·scale.
      const scale = tf.mul(gamma, tf.rsqrt(tf.add(paramTensor(ctx, varName), op.eps)))
      const shift = tf.sub(beta, tf.mul(paramTensor(ctx, meanName), scale))
      return tf.add(tf.mul(x, scale), shift)
    }
    const { y, mean, variance } = batchNormTraining(x, gamma, beta, op.eps)
    const count = x.size / x.shape[x.rank - 1]
    const m = op.momentum
    const unbiased = count > 1 ? count / (count - 1) : 1
    // Running statistics leave the step (and any enclosing tidy or gradient scope): kept. They are not on the loss's
    // path, so no gradient flows through them.
    ctx.newStats.set(meanName, tf.keep(tf.add(tf.mul(paramTensor(ctx, meanName), 1 - m), tf.mul(mean, m))))
    ctx.newStats.set(varName, tf.keep(tf.add(tf.mul(paramTensor(ctx, varName), 1 - m), tf.mul(variance, m * unbiased))))
    mean.dispose()
    variance.dispose()
    return y
  }
}

/**
 * Local response normalisation across channels, as PyTorch computes it.
 * @category Advanced
 */
export function lowerLocalResponseNorm(op: OpOf<'localResponseNorm'>): Lowering {
  const before = Math.floor(op.size / 2)
  const after = op.size - 1 - before
  return ([x]) => {
    const [n, h, w, c] = x.shape
    // Mean of x² over the channel window, as a 1×size average pool over [N, H·W, C + size − 1, 1].
    const sq = tf.pad(tf.square(x).reshape([n, h * w, c, 1]), [[0, 0], [0, 0], [before, after], [0, 0]])
    const mean = tf.avgPool(sq as tf.Tensor4D, [1, op.size], 1, 'valid').reshape([n, h, w, c])
    return tf.div(x, tf.pow(tf.add(tf.mul(mean, op.alpha), op.k), op.beta))
  }
}
