/**
 * BatchNorm in training mode as one custom-gradient op (see {@link batchNormTraining}).
 * @module
 */
import * as tf from '@tensorflow/tfjs'

/**
 * BatchNorm in training mode on NHWC `x` (or `[N, F]` for BatchNorm1d: features last either way) with batch statistics, with a hand-written gradient: `tf.moments` plus
 * broadcasting ops would record a dozen full-size ops whose gradients reduce over N, H, W again and again. With
 * `x̂ = (x − μ)·r`, `r = 1/√(σ² + eps)` and `y = γ·x̂ + β` (σ² biased), the gradients are `dβ = Σdy`,
 * `dγ = r·Σ dy·(x − μ)` and `dx = γr·(dy − dβ/M − (x − μ)·r²·Σ dy·(x − μ)/M)` with M = N·H·W (N for `[N, F]`).
 * Returns `y` and the batch mean and biased variance (the caller owns these two; they carry no gradient).
 * @category Advanced
 */
export function batchNormTraining(
  x: tf.Tensor,
  gamma: tf.Tensor,
  beta: tf.Tensor,
  eps: number,
): { y: tf.Tensor; mean: tf.Tensor; variance: tf.Tensor } {
  const axes = x.shape.slice(0, -1).map((_, i) => i) // every axis but the features/channels (last)
  const count = x.size / x.shape[x.rank - 1]
  let mean: tf.Tensor | undefined
  let variance: tf.Tensor | undefined
  const run = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const [xs, g, b] = args as tf.Tensor[]
    const save = args[3] as tf.GradSaveFunc
    const mu = tf.div(tf.sum(xs, axes), count)
    const centred = tf.sub(xs, mu)
    const sigma2 = tf.div(tf.sum(tf.square(centred), axes), count)
    const rstd = tf.rsqrt(tf.add(sigma2, eps))
    const scale = tf.mul(g, rstd)
    mean = tf.keep(mu)
    variance = tf.keep(sigma2)
    save([centred, rstd, scale])
    return {
      value: tf.add(tf.mul(centred, scale), b),
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const [xc, r, s] = saved
        const dBeta = tf.sum(dy, axes)
        const dyXc = tf.sum(tf.mul(dy, xc), axes)
        const dGamma = tf.mul(dyXc, r)
        const k1 = tf.div(tf.mul(s, tf.mul(tf.square(r), dyXc)), count)
        const k0 = tf.div(tf.mul(s, dBeta), count)
        const dx = tf.sub(tf.mul(dy, s), tf.add(tf.mul(xc, k1), k0))
        return [dx, dGamma, dBeta]
      },
    }
  })
  const y = run(x, gamma, beta)
  if (mean === undefined || variance === undefined) throw new Error('internal: batchNormTraining ran no forward pass')
  return { y, mean, variance }
}
