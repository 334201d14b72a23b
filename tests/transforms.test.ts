// src/data/transforms.ts: seeded shuffling and PyTorch's bilinear resize.
import { describe, expect, it } from 'vitest'
import { readFileSync } from 'node:fs'
import * as tf from '@tensorflow/tfjs'
import '@tensorflow/tfjs-backend-wasm'
import { epochSeed, mulberry32, resizeBilinearNCHW, shuffledIndices } from '../src/data/transforms.js'
import { useTmpDirs } from './helpers/dataFixtures.js'

useTmpDirs() // selects the cpu backend first, as every data test file does

describe('shuffle', () => {
  it('mulberry32 is deterministic and in [0, 1)', () => {
    const a = mulberry32(123)
    const b = mulberry32(123)
    const xs = Array.from({ length: 1000 }, () => a())
    expect(xs).toEqual(Array.from({ length: 1000 }, () => b()))
    expect(Math.min(...xs)).toBeGreaterThanOrEqual(0)
    expect(Math.max(...xs)).toBeLessThan(1)
    const mean = xs.reduce((s, x) => s + x, 0) / xs.length
    expect(Math.abs(mean - 0.5)).toBeLessThan(0.05)
    expect(mulberry32(124)()).not.toBe(mulberry32(123)())
  })

  it('shuffledIndices is a permutation fixed by (seed, epoch)', () => {
    const p = shuffledIndices(100, 7, 0)
    expect(Array.from(p).sort((x, y) => x - y)).toEqual(Array.from({ length: 100 }, (_, i) => i))
    expect(shuffledIndices(100, 7, 0)).toEqual(p)
    expect(shuffledIndices(100, 7, 1)).not.toEqual(p)
    expect(shuffledIndices(100, 8, 0)).not.toEqual(p)
    expect(Array.from(p)).not.toEqual(Array.from({ length: 100 }, (_, i) => i))
    expect(epochSeed(0, 1)).not.toBe(epochSeed(1, 0))
  })
})

// ---------------------------------------------------------------------------------------------
// Resize golden (PyTorch F.interpolate bilinear, align_corners=False)
// ---------------------------------------------------------------------------------------------

interface Golden {
  input: { shape: [number, number, number, number]; data: number[] }
  cases: Array<{ size: [number, number]; data: number[] }>
}

describe('resizeBilinearNCHW matches PyTorch', () => {
  const golden = JSON.parse(readFileSync(new URL('./fixtures/resize-golden.json', import.meta.url), 'utf8')) as Golden

  for (const backend of ['cpu', 'wasm'] as const) {
    it(`on the ${backend} backend`, async () => {
      const previous = tf.getBackend()
      expect(await tf.setBackend(backend)).toBe(true)
      try {
        for (const c of golden.cases) {
          const out = tf.tidy(() => {
            const x = tf.tensor4d(golden.input.data, golden.input.shape)
            return resizeBilinearNCHW(x, c.size)
          })
          expect(out.shape).toEqual([1, 1, ...c.size])
          const got = out.dataSync()
          let maxDiff = 0
          c.data.forEach((v, i) => (maxDiff = Math.max(maxDiff, Math.abs(v - got[i]))))
          expect(maxDiff, `size ${c.size.join('×')}`).toBeLessThan(1e-5)
          out.dispose()
        }
      } finally {
        await tf.setBackend(previous)
      }
    })
  }
})
