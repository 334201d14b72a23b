/**
 * Classification loss and accuracy from logits.
 *
 * @module
 */
import * as tf from '@tensorflow/tfjs'

/**
 * Mean softmax cross-entropy of `logits` `[n, classes]` against integer `labels` `[n]`, as PyTorch's
 * `F.cross_entropy(logits, labels)`: `mean_i(logsumexp(z_i) − z_i[y_i])`. Numerically stable: `logSoftmax` subtracts
 * each row's maximum before exponentiating, so logits of any size give a finite loss. Differentiable in `logits`.
 *
 * @example
 * ```ts
 * const loss = softmaxCrossEntropy(tf.tensor2d([[2, 0, 0]]), tf.tensor1d([0], 'int32'))
 * loss.dataSync()[0] // ≈ 0.2395
 * ```
 * @category Training
 */
export const softmaxCrossEntropy = (logits: tf.Tensor, labels: tf.Tensor): tf.Scalar =>
  tf.tidy(() => {
    if (logits.rank !== 2) throw new Error(`softmaxCrossEntropy: logits must be [batch, classes], got [${logits.shape.join(', ')}]`)
    const [n, classes] = logits.shape
    if (labels.rank !== 1 || labels.shape[0] !== n)
      throw new Error(`softmaxCrossEntropy: labels must be [${n}], got [${labels.shape.join(', ')}]`)
    const logProbabilities = tf.logSoftmax(logits)
    const picked = tf.sum(tf.mul(logProbabilities, tf.oneHot(tf.cast(labels, 'int32'), classes)), 1)
    return tf.neg(tf.mean(picked)) as tf.Scalar
  })

/**
 * How many rows of `logits` have their maximum at the label (ties go to the first maximum, as `argmax` does), as an
 * int32 scalar.
 *
 * @example
 * ```ts
 * correctCount(tf.tensor2d([[2, 0], [0, 1]]), tf.tensor1d([0, 0], 'int32')).dataSync()[0] // 1
 * ```
 * @category Training
 */
export const correctCount = (logits: tf.Tensor, labels: tf.Tensor): tf.Scalar =>
  tf.tidy(() => tf.sum(tf.cast(tf.equal(tf.argMax(logits, 1), tf.cast(labels, 'int32')), 'int32')) as tf.Scalar)

/**
 * Summed softmax cross-entropy and correct count of host logits `[n, classes]` (row-major) against `labels` `[n]`:
 * {@link softmaxCrossEntropy} × n and {@link correctCount} for an engine whose outputs come back as arrays.
 *
 * @example
 * ```ts
 * crossEntropyOf(Float32Array.of(2, 0, 0), 3, Int32Array.of(0)) // { lossSum: ≈ 0.2395, correct: 1 }
 * ```
 * @category Training
 */
export const crossEntropyOf = (logits: Float32Array, classes: number, labels: Int32Array): { lossSum: number; correct: number } => {
  let lossSum = 0
  let correct = 0
  for (let i = 0; i < labels.length; i++) {
    const row = logits.subarray(i * classes, (i + 1) * classes)
    let max = -Infinity
    let arg = 0
    for (let j = 0; j < classes; j++)
      if (row[j] > max) {
        max = row[j]
        arg = j
      }
    let sum = 0
    for (let j = 0; j < classes; j++) sum += Math.exp(row[j] - max)
    lossSum += Math.log(sum) + max - row[labels[i]]
    if (arg === labels[i]) correct++
  }
  return { lossSum, correct }
}
