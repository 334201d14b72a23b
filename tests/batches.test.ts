// src/data/batches.ts: epoch order and NCHW batches (normalised, resized), without tensor leaks.
import { describe, expect, it } from 'vitest'
import * as tf from '@tensorflow/tfjs'
import { DataError } from '../src/data/errors.js'
import { batches, epochOrder, numBatches } from '../src/data/batches.js'
import { FASHION_MNIST_STATS } from '../src/data/transforms.js'
import { split, useTmpDirs } from './helpers/dataFixtures.js'

useTmpDirs() // selects the cpu backend first, as every data test file does

describe('epoch order', () => {
  it('limit takes the first N images of the file order, then shuffles them', () => {
    const order = epochOrder(50, { batchSize: 4, seed: 3, epoch: 2, limit: 10 })
    expect(order).toHaveLength(10)
    expect(Array.from(order).sort((x, y) => x - y)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9])
    expect(Array.from(epochOrder(50, { batchSize: 4, limit: 4, shuffle: false }))).toEqual([0, 1, 2, 3])
    expect(epochOrder(5, { batchSize: 4, limit: 10 })).toHaveLength(5)
  })

  it('numBatches counts a partial last batch unless dropLast', () => {
    expect(numBatches({ count: 60000 }, { batchSize: 256 })).toBe(235)
    expect(numBatches({ count: 60000 }, { batchSize: 256, dropLast: true })).toBe(234)
    expect(numBatches({ count: 60000 }, { batchSize: 100, limit: 1000 })).toBe(10)
    expect(numBatches({ count: 3 }, { batchSize: 4, dropLast: true })).toBe(0)
  })
})

describe('batches', () => {
  it('yields NCHW float32 images and int32 labels matching the split', () => {
    const s = split(10)
    const before = tf.memory().numTensors
    const out = [...batches(s, { batchSize: 4, seed: 1, normalize: 'scale' })]
    expect(out.map((b) => b.x.shape)).toEqual([
      [4, 1, 28, 28],
      [4, 1, 28, 28],
      [2, 1, 28, 28],
    ])
    const seen: number[] = []
    for (const { x, y, indices } of out) {
      expect(x.dtype).toBe('float32')
      expect(y.dtype).toBe('int32')
      expect(y.shape).toEqual([indices.length])
      expect(Array.from(y.dataSync())).toEqual(Array.from(indices, (i) => s.labels[i]))
      const xs = x.dataSync()
      indices.forEach((img, k) => {
        for (const p of [0, 100, 783]) expect(xs[k * 784 + p]).toBeCloseTo(s.images[img * 784 + p] / 255, 6)
      })
      seen.push(...indices)
      tf.dispose([x, y])
    }
    expect(seen.sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9])
    expect(tf.memory().numTensors).toBe(before)
  })

  it('is reproducible per (seed, epoch) and re-iterable', () => {
    const s = split(20)
    const order = (o: { seed: number; epoch: number }) => {
      const idx: number[] = []
      for (const b of batches(s, { batchSize: 8, ...o })) {
        idx.push(...b.indices)
        tf.dispose([b.x, b.y])
      }
      return idx
    }
    expect(order({ seed: 5, epoch: 0 })).toEqual(order({ seed: 5, epoch: 0 }))
    expect(order({ seed: 5, epoch: 1 })).not.toEqual(order({ seed: 5, epoch: 0 }))
    expect(order({ seed: 6, epoch: 0 })).not.toEqual(order({ seed: 5, epoch: 0 }))
    const it = batches(s, { batchSize: 8, seed: 5 })
    const first = [...it].map((b) => (tf.dispose([b.x, b.y]), Array.from(b.indices)))
    const second = [...it].map((b) => (tf.dispose([b.x, b.y]), Array.from(b.indices)))
    expect(second).toEqual(first)
  })

  it('shuffle: false keeps file order; dropLast drops the short batch; limit restricts', () => {
    const s = split(10)
    const idx = [...batches(s, { batchSize: 4, shuffle: false, dropLast: true })].map((b) => {
      tf.dispose([b.x, b.y])
      return Array.from(b.indices)
    })
    expect(idx).toEqual([
      [0, 1, 2, 3],
      [4, 5, 6, 7],
    ])
    const limited = [...batches(s, { batchSize: 4, seed: 9, limit: 6 })]
    expect(limited.flatMap((b) => Array.from(b.indices)).sort()).toEqual([0, 1, 2, 3, 4, 5])
    limited.forEach((b) => tf.dispose([b.x, b.y]))
  })

  it('normalises with the Fashion-MNIST statistics by default', () => {
    const s = split(2)
    const [b] = [...batches(s, { batchSize: 2, shuffle: false })]
    const xs = b.x.dataSync()
    const { mean, std } = FASHION_MNIST_STATS
    expect(mean).toBe(0.286)
    expect(std).toBe(0.353)
    for (const p of [0, 1, 300, 783]) expect(xs[784 + p]).toBeCloseTo((s.images[784 + p] / 255 - mean) / std, 5)
    const [c] = [...batches(s, { batchSize: 2, shuffle: false, normalize: { mean: 0.5, std: 0.5 } })]
    expect(Math.min(...c.x.dataSync())).toBeGreaterThanOrEqual(-1)
    expect(Math.max(...c.x.dataSync())).toBeLessThanOrEqual(1)
    tf.dispose([b.x, b.y, c.x, c.y])
  })

  it('resizes per batch to S×S', () => {
    const s = split(3)
    const before = tf.memory().numTensors
    const [b] = [...batches(s, { batchSize: 3, shuffle: false, resize: 56, normalize: 'scale' })]
    expect(b.x.shape).toEqual([3, 1, 56, 56])
    expect(b.x.dtype).toBe('float32')
    // Upsampling by 2 with half-pixel centres: output pixel (1, 1) is 0.75·in(0,0) + 0.25·in(1,1) in each axis.
    const xs = b.x.dataSync()
    const at = (img: number, r: number, c: number) => s.images[img * 784 + r * 28 + c] / 255
    const expected = 0.5625 * at(1, 0, 0) + 0.1875 * at(1, 0, 1) + 0.1875 * at(1, 1, 0) + 0.0625 * at(1, 1, 1)
    expect(xs[56 * 56 + 56 + 1]).toBeCloseTo(expected, 5)
    tf.dispose([b.x, b.y])
    expect(tf.memory().numTensors).toBe(before)
  })

  it('rejects bad options with a DataError', () => {
    const s = split(3)
    expect(() => batches(s, { batchSize: 0 })).toThrow(/batchSize must be an integer ≥ 1/)
    expect(() => batches(s, { batchSize: 2, limit: -1 })).toThrow(DataError)
    expect(() => batches(s, { batchSize: 2, resize: 1.5 })).toThrow(/resize/)
    expect(() => batches(s, { batchSize: 2, normalize: { mean: 0, std: 0 } })).toThrow(/positive std/)
  })
})
