/**
 * Conv2d and linear layers with bias and activation as **one recorded op in training**, with the gradient written
 * from the layer's output.
 *
 * While gradients are recorded, `tf.fused.conv2d`/`tf.fused.matMul` with an activation fall back to three recorded ops
 * (convolution, bias add, activation), each keeping an activation-sized tensor alive until the backward pass: three
 * copies of every conv output (for VGG-11 at 224×224 and batch 4, 150 MB for the first layer alone) and two more
 * full-size passes per layer. Here the forward pass runs the fused kernel once and keeps only its output `y`, from
 * which the activation's derivative follows: `relu' = [y > 0]`, `sigmoid' = y·(1 − y)`.
 *
 * The linear layer's backward pass also avoids transposed matrix products: tfjs-backend-wasm 4.22 runs `matMul` with
 * a transposed operand as a scalar loop, and only the plain product on XNNPACK. With `dz` the gradient before the
 * activation, `dx = (W·dzᵀ)ᵀ` and `dW = xᵀ·dz` use plain products whose right operand (the one XNNPACK packs) is the
 * small batch-sized matrix, so neither the weights nor their transpose are copied.
 *
 * @module
 */
import * as tf from '@tensorflow/tfjs'
import type { ConvPadding } from './kernels/convGeometry.js'

/**
 * Activations these ops fuse (`linear` = none).
 * @category Advanced
 */
export type FusedActivation = 'linear' | 'relu' | 'sigmoid'

export type { ConvPadding }

/**
 * `activation(x)`.
 *
 * @example
 * ```ts
 * applyActivation(tf.tensor([-1, 2]), 'relu') // [0, 2]
 * ```
 * @category Advanced
 */
export const applyActivation = <T extends tf.Tensor>(x: T, activation: FusedActivation): T =>
  activation === 'relu' ? tf.relu(x) : activation === 'sigmoid' ? tf.sigmoid(x) : x

/** The gradient before the activation, from the gradient after it and the activation's output `y`. */
function preActivationGradient(dy: tf.Tensor, y: tf.Tensor, activation: FusedActivation): tf.Tensor {
  if (activation === 'relu') return tf.mul(dy, tf.step(y))
  if (activation === 'sigmoid') return tf.mul(dy, tf.mul(y, tf.sub(1, y)))
  return dy
}

/**
 * `activation(conv2d(x, filter) + bias)` on NHWC tensors (groups = 1, dilation 1) as one recorded op that keeps
 * `x`, `filter` and its output for the backward pass.
 *
 * @example
 * ```ts
 * declare const x: tf.Tensor4D, filter: tf.Tensor4D, bias: tf.Tensor1D
 * const y = fusedConv2dTraining(x, filter, bias, { strides: [1, 1], pad: 1, activation: 'relu' })
 * ```
 * @category Advanced
 */
export function fusedConv2dTraining(
  x: tf.Tensor4D,
  filter: tf.Tensor4D,
  bias: tf.Tensor | undefined,
  options: { readonly strides: [number, number]; readonly pad: ConvPadding; readonly activation: FusedActivation },
): tf.Tensor4D {
  const { strides, pad, activation } = options
  const geometry = { strides, pad, dataFormat: 'NHWC', dimRoundingMode: undefined }
  const run = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const xs = args[0] as tf.Tensor4D
    const w = args[1] as tf.Tensor4D
    const b = bias === undefined ? undefined : (args[2] as tf.Tensor)
    const save = args[args.length - 1] as tf.GradSaveFunc
    const y = tf.engine().runKernel(
      'FusedConv2D',
      { x: xs, filter: w, ...(b === undefined ? {} : { bias: b }) },
      { ...geometry, dilations: [1, 1], activation, leakyreluAlpha: 0 } as unknown as tf.NamedAttrMap,
    ) as tf.Tensor4D
    save([xs, w, y])
    return {
      value: y,
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const [xSaved, wSaved, ySaved] = saved
        const dz = preActivationGradient(dy, ySaved, activation)
        const dx = tf.engine().runKernel('Conv2DBackpropInput', { dy: dz, filter: wSaved }, {
          ...geometry,
          inputShape: xSaved.shape,
        } as unknown as tf.NamedAttrMap) as tf.Tensor
        const dw = tf.engine().runKernel('Conv2DBackpropFilter', { x: xSaved, dy: dz }, {
          ...geometry,
          filterShape: wSaved.shape,
        } as unknown as tf.NamedAttrMap) as tf.Tensor
        return b === undefined ? [dx, dw] : [dx, dw, tf.sum(dz, [0, 1, 2])]
      },
    }
  })
  return (bias === undefined ? run(x, filter) : run(x, filter, bias)) as tf.Tensor4D
}

/**
 * Whether the forward product of a training step should run as XNNPACK's fully-connected operator, which first packs
 * a copy of the weights. The weights change every step, so that copy is made every step: about 24 ns per weight on
 * wasm, against about 4 ns per multiply-add for tfjs-backend-wasm's plain loop (which runs any product with a
 * transposed operand). For a large matrix and a small batch (VGG's 25088×4096 classifier at batch 4: 2.5 s against
 * 1.6 s) the loop is faster and needs no 400 MB copy.
 * @category Advanced
 */
export const packsWeights = (batch: number, weights: number): boolean => weights < 2 ** 24 || batch > 5

/** `activation(x·w + bias)` as one `_FusedMatMul` (XNNPACK packs `w`). */
function fusedProduct(x: tf.Tensor2D, w: tf.Tensor2D, bias: tf.Tensor | undefined, activation: FusedActivation): tf.Tensor2D {
  // The kernel takes rank-3 (batched) operands, as tf.fused.matMul passes them.
  const y = tf.engine().runKernel(
    '_FusedMatMul',
    { a: tf.reshape(x, [1, ...x.shape]), b: tf.reshape(w, [1, ...w.shape]), ...(bias === undefined ? {} : { bias }) },
    { transposeA: false, transposeB: false, activation, leakyreluAlpha: 0 } as unknown as tf.NamedAttrMap,
  ) as tf.Tensor3D
  return tf.reshape(y, [x.shape[0], w.shape[1]])
}

/** `activation(x·w + bias)` as `(xᵀ)ᵀ·w`, a product with a transposed operand, which reads `w` in place. */
function streamedProduct(x: tf.Tensor2D, w: tf.Tensor2D, bias: tf.Tensor | undefined, activation: FusedActivation): tf.Tensor2D {
  const z: tf.Tensor2D = tf.matMul(tf.transpose(x), w, true, false)
  return applyActivation(bias === undefined ? z : (tf.add(z, bias) as tf.Tensor2D), activation)
}

/**
 * `activation(x·w + bias)` for `x: [batch, in]`, `w: [in, out]` as one recorded op that keeps `x`, `w` and its output
 * for the backward pass, whose matrix products are all untransposed (see the module comment). `product` chooses the
 * forward product: `packed` (XNNPACK, copies `w`), `streamed` (reads `w` in place) or `auto` (by size and batch).
 *
 * @example
 * ```ts
 * declare const x: tf.Tensor2D, w: tf.Tensor2D, b: tf.Tensor1D
 * const y = fusedLinearTraining(x, w, b, 'relu')
 * ```
 * @category Advanced
 */
export function fusedLinearTraining(
  x: tf.Tensor2D,
  w: tf.Tensor2D,
  bias: tf.Tensor | undefined,
  activation: FusedActivation,
  product: 'auto' | 'packed' | 'streamed' = 'auto',
): tf.Tensor2D {
  const packed = product === 'auto' ? packsWeights(x.shape[0], w.size) : product === 'packed'
  const run = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const xs = args[0] as tf.Tensor2D
    const ws = args[1] as tf.Tensor2D
    const b = bias === undefined ? undefined : (args[2] as tf.Tensor)
    const save = args[args.length - 1] as tf.GradSaveFunc
    const y = packed ? fusedProduct(xs, ws, b, activation) : streamedProduct(xs, ws, b, activation)
    save([xs, ws, y])
    return {
      value: y,
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const [xSaved, wSaved, ySaved] = saved
        const dz = preActivationGradient(dy, ySaved, activation) as tf.Tensor2D
        const dx = tf.transpose(tf.matMul(wSaved as tf.Tensor2D, tf.transpose(dz)))
        const dw = tf.matMul(tf.transpose(xSaved as tf.Tensor2D), dz)
        return b === undefined ? [dx, dw] : [dx, dw, tf.sum(dz, 0)]
      },
    }
  })
  return (bias === undefined ? run(x, w) : run(x, w, bias)) as tf.Tensor2D
}
