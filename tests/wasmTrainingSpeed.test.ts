import '@tensorflow/tfjs-backend-wasm'
import * as tf from '@tensorflow/tfjs'
import { beforeAll, describe, expect, it } from 'vitest'
import { castWasmConfig, identityWasmConfig, leadingAxes, leadingAxesSumWasmConfig, registerWasmTrainingKernels } from '../src/runtime/kernels/index.js'
import { batchNormTraining } from '../src/runtime/ops/batchNormTraining.js'

const values = (n: number, seed: number): Float32Array => {
  const out = new Float32Array(n)
  let s = seed >>> 0
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0
    out[i] = (s / 2 ** 32) * 4 - 2
  }
  return out
}

const maxRel = (a: ArrayLike<number>, b: ArrayLike<number>): number => {
  let err = 0
  let scale = 1e-6
  for (let i = 0; i < a.length; i++) {
    err = Math.max(err, Math.abs(a[i] - b[i]))
    scale = Math.max(scale, Math.abs(b[i]))
  }
  return err / scale
}

async function on<T>(backend: string, f: () => T): Promise<T> {
  await tf.setBackend(backend)
  return f()
}

beforeAll(async () => {
  registerWasmTrainingKernels()
  await tf.setBackend('wasm')
})

describe('wasm Identity and Cast', () => {
  it('are installed and share the buffer without changing values or leaking', async () => {
    expect(tf.getKernel('Identity', 'wasm')).toBe(identityWasmConfig)
    expect(tf.getKernel('Cast', 'wasm')).toBe(castWasmConfig)
    await tf.setBackend('wasm')
    const backend = tf.backend()
    const x = tf.tensor(values(24, 1), [2, 3, 4])
    const before = backend.numDataIds()
    const copy = x.clone()
    const same = tf.cast(x, 'float32')
    expect(backend.numDataIds()).toBe(before)
    x.dispose()
    expect(Array.from(copy.dataSync())).toEqual(Array.from(values(24, 1)))
    expect(Array.from(same.dataSync())).toEqual(Array.from(values(24, 1)))
    const ints = tf.cast(copy, 'int32')
    expect(ints.dtype).toBe('int32')
    expect(Array.from(ints.dataSync())).toEqual(Array.from(values(24, 1), (v) => Math.trunc(v) | 0))
    tf.dispose([copy, same, ints])
    expect(backend.numDataIds()).toBe(before - 1)
  })
})

describe('wasm Sum over leading axes', () => {
  it('recognises leading-axis prefixes only', () => {
    expect(leadingAxes([2, 0, 1], 4)).toBe(3)
    expect(leadingAxes(0, 2)).toBe(1)
    expect(leadingAxes(-4, 4)).toBe(1)
    expect(leadingAxes([1, 2], 4)).toBe(0)
    expect(leadingAxes([0, 1, 2, 3], 4)).toBe(0)
    expect(leadingAxes(null, 3)).toBe(0)
  })

  it.each([
    { shape: [4, 5, 6, 3], axis: [0, 1, 2], keepDims: false },
    { shape: [4, 5, 6, 3], axis: [0, 1, 2], keepDims: true },
    { shape: [7, 10], axis: 0, keepDims: false },
    { shape: [3, 4, 5], axis: [1, 0], keepDims: true },
    { shape: [4, 5, 6, 3], axis: [1, 2], keepDims: false },
    { shape: [4, 5], axis: null, keepDims: false },
    { shape: [1, 5], axis: 0, keepDims: false },
  ])('matches cpu for $shape over $axis (keepDims $keepDims)', async ({ shape, axis, keepDims }) => {
    expect(tf.getKernel('Sum', 'wasm')).toBe(leadingAxesSumWasmConfig)
    const n = shape.reduce((a, b) => a * b, 1)
    const sum = () => {
      const x = tf.tensor(values(n, 7), shape)
      const y = tf.sum(x, axis ?? undefined, keepDims)
      const out = { shape: y.shape, data: y.dataSync().slice() }
      tf.dispose([x, y])
      return out
    }
    const ref = await on('cpu', sum)
    const ours = await on('wasm', sum)
    expect(ours.shape).toEqual(ref.shape)
    expect(maxRel(ours.data, ref.data)).toBeLessThan(1e-5)
  })
})

describe('batchNormTraining', () => {
  it('matches autodiff through tf.moments (values, batch statistics and gradients) on cpu and wasm', async () => {
    const [n, h, w, c] = [3, 4, 5, 6]
    const run = (custom: boolean) => {
      const x = tf.tensor4d(values(n * h * w * c, 3), [n, h, w, c])
      const gamma = tf.tensor1d(values(c, 4))
      const beta = tf.tensor1d(values(c, 5))
      const cot = tf.tensor4d(values(n * h * w * c, 6), [n, h, w, c])
      let stats: Float32Array[] = []
      const f = (xs: tf.Tensor, g: tf.Tensor, b: tf.Tensor) => {
        if (custom) {
          const { y, mean, variance } = batchNormTraining(xs, g, b, 1e-5)
          stats = [mean.dataSync().slice() as Float32Array, variance.dataSync().slice() as Float32Array]
          tf.dispose([mean, variance])
          return tf.sum(tf.mul(y, cot))
        }
        const { mean, variance } = tf.moments(xs, [0, 1, 2])
        stats = [mean.dataSync().slice() as Float32Array, variance.dataSync().slice() as Float32Array]
        return tf.sum(tf.mul(tf.add(tf.mul(tf.sub(xs, mean), tf.mul(g, tf.rsqrt(tf.add(variance, 1e-5)))), b), cot))
      }
      const { value, grads } = tf.valueAndGrads(f as (...a: tf.Tensor[]) => tf.Scalar)([x, gamma, beta])
      const out = [value, ...grads].map((t) => t.dataSync().slice() as Float32Array)
      tf.dispose([x, gamma, beta, cot, value, ...grads])
      return [...out, ...stats]
    }
    for (const backend of ['cpu', 'wasm']) {
      await tf.setBackend(backend)
      const before = tf.memory().numTensors
      const ref = run(false)
      const ours = run(true)
      expect(tf.memory().numTensors).toBe(before)
      ref.forEach((r, i) => expect(maxRel(ours[i], r), `${backend} output ${i}`).toBeLessThan(1e-4))
    }
  })
})
