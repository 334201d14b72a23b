import '@tensorflow/tfjs-backend-wasm'
import * as tf from '@tensorflow/tfjs'
import { beforeAll, describe, expect, it } from 'vitest'
import { registerWasmTrainingKernels } from '../src/runtime/kernels/index.js'
import { fusedLinearTraining, type FusedActivation } from '../src/runtime/fusedTraining.js'

beforeAll(async () => {
  registerWasmTrainingKernels()
  await tf.setBackend('wasm')
})

const relMax = (a: tf.Tensor, b: tf.Tensor): number =>
  tf.tidy(() => tf.max(tf.abs(tf.sub(a, b))).dataSync()[0] / Math.max(1e-6, tf.max(tf.abs(b)).dataSync()[0]))

/** Value and gradients of Σ(y·r) for the fused op and for plain autodiff of tf ops. */
function compare(batch: number, inputs: number, outputs: number, activation: FusedActivation, bias: boolean, product: 'auto' | 'packed' | 'streamed') {
  const x = tf.randomNormal([batch, inputs], 0, 1, 'float32', 1) as tf.Tensor2D
  const w = tf.randomNormal([inputs, outputs], 0, 0.02, 'float32', 2) as tf.Tensor2D
  const b = tf.randomNormal([outputs], 0, 0.1, 'float32', 3)
  const r = tf.randomNormal([batch, outputs], 0, 1, 'float32', 4)
  const loss = (y: tf.Tensor) => tf.sum(tf.mul(y, r)) as tf.Scalar
  const plain = (xs: tf.Tensor, ws: tf.Tensor, bs?: tf.Tensor) => {
    const z = tf.matMul(xs as tf.Tensor2D, ws as tf.Tensor2D)
    const zb = bs === undefined ? z : tf.add(z, bs)
    return activation === 'relu' ? tf.relu(zb) : activation === 'sigmoid' ? tf.sigmoid(zb) : zb
  }
  const args = bias ? [x, w, b] : [x, w]
  const fused = tf.valueAndGrads((...t: tf.Tensor[]) => loss(fusedLinearTraining(t[0] as tf.Tensor2D, t[1] as tf.Tensor2D, t[2], activation, product)))(args)
  const reference = tf.valueAndGrads((...t: tf.Tensor[]) => loss(plain(t[0], t[1], t[2])))(args)
  const errors = {
    value: relMax(fused.value, reference.value),
    grads: fused.grads.map((g, i) => relMax(g, reference.grads[i])),
    shapes: fused.grads.map((g, i) => [g.shape, reference.grads[i].shape]),
  }
  tf.dispose([x, w, b, r, fused.value, reference.value, ...fused.grads, ...reference.grads])
  return errors
}

describe('fusedLinearTraining', () => {
  for (const backend of ['wasm', 'cpu'])
    for (const [product, batch, inputs, outputs] of [
      ['packed', 16, 30, 7],
      ['streamed', 3, 40, 9],
      ['auto', 3, 4096, 4097], // 2^24 weights and more at batch ≤ 5: streamed
    ] as const)
      for (const activation of product === 'auto' ? (['relu'] as const) : (['linear', 'relu', 'sigmoid'] as const))
        if (product !== 'auto' || backend === 'wasm')
          it(`matches autodiff of plain ops: ${product} product, ${activation}, ${backend}`, async () => {
            await tf.setBackend(backend)
            for (const bias of [true, false]) {
              const before = tf.memory().numTensors
              const e = compare(batch, inputs, outputs, activation, bias, product)
              expect(tf.memory().numTensors).toBe(before)
              for (const [a, b] of e.shapes) expect(a).toEqual(b)
              expect(e.value).toBeLessThan(1e-5)
              for (const g of e.grads) expect(g).toBeLessThan(1e-4)
            }
            await tf.setBackend('wasm')
          })
})
