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
