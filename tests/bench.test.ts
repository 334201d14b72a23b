import * as tf from '@tensorflow/tfjs'
import { describe, expect, it } from 'vitest'
import { benchmarkTrainingMemory, formatMemoryRow } from '../bench/memory.js'
import { replaceSection } from '../bench/markdown.js'
import { benchmarkSpeed, fitSpeed, formatSpeedRows, type SpeedRow } from '../bench/speed.js'

describe('bench memory', () => {
  it('trains a few steps and reports the wasm heap and live tensors after each', async () => {
    const r = await benchmarkTrainingMemory({ model: 'lenet', batch: 16, optimizer: 'sgd', steps: 3 })
    expect(r.backend).toBe('wasm')
    expect(r.parameters).toBe(61706)
    expect(r.steps.map((s) => s.step)).toEqual([1, 2, 3])
    for (const s of r.steps) {
      expect(s.heapMiB).toBeGreaterThan(0)
      // weights + momentum, as after initialisation: the steps leave nothing else behind
      expect(s.tensorMiB).toBeCloseTo(r.initial.tensorMiB, 6)
    }
    expect(tf.memory().numBytes / 2 ** 20).toBeLessThan(r.initial.tensorMiB)
    for (const s of r.steps) expect(s.cpuSeconds).toBeGreaterThan(0)
    expect(formatMemoryRow(r)).toMatch(/^\| lenet \| 1×28×28 \| 16 \| sgd \| 61,706 \| \d+ \| \d+ \| \d+\.\d \|$/)
  })

  it('names an unknown model', async () => {
    await expect(benchmarkTrainingMemory({ model: 'lenett' })).rejects.toThrow(/lenett/)
  })
})

describe('bench speed', () => {
  it('fits the two constants of the time estimate back from times made with them', () => {
    const [a, b] = [3e9, 2e8]
    const row = (model: string, macs: number, activationBytes: number): SpeedRow =>
      ({ model, batch: 8, macs, activationBytes, secondsPerImage: (3 * macs) / a + activationBytes / b })
    const rows = [row('dense', 5e8, 1e6), row('wide', 1e6, 5e7), row('mixed', 2e7, 2e6)]
    const { speed, worst } = fitSpeed(rows, 'test')
    expect(speed.macsPerSecond / a).toBeCloseTo(1, 1)
    expect(speed.activationBytesPerSecond / b).toBeCloseTo(1, 1)
    expect(worst).toBeLessThan(0.03)
    expect(formatSpeedRows('cpu', rows, speed).split('\n')).toHaveLength(5)
  })

  it('measures CPU seconds per image on a TensorFlow.js backend', async () => {
    const [r] = await benchmarkSpeed('wasm', ['lenet'], 1)
    expect(r.model).toBe('lenet')
    expect(r.macs).toBe(416520)
    expect(r.secondsPerImage).toBeGreaterThan(0)
  })
})

describe('replaceSection', () => {
  it('replaces a section up to the next heading, or appends it', () => {
    expect(replaceSection('# B\n\n## Runtime\nold\n## Other\n', 'Runtime', '## Runtime\nnew\n')).toBe('# B\n\n## Runtime\nnew\n\n## Other\n')
    expect(replaceSection('# B\n', 'Memory', '## Memory\nx')).toBe('# B\n\n## Memory\nx\n')
  })
})
