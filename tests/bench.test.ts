import * as tf from '@tensorflow/tfjs'
import { describe, expect, it } from 'vitest'
import { benchmarkTrainingMemory, formatMemoryRow } from '../bench/memory.js'
import { replaceSection } from '../bench/markdown.js'

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
    expect(formatMemoryRow(r)).toMatch(/^\| lenet \| 1×28×28 \| 16 \| sgd \| 61,706 \| \d+ \| \d+ \| \d+\.\d \|$/)
  })

  it('names an unknown model', async () => {
    await expect(benchmarkTrainingMemory({ model: 'lenett' })).rejects.toThrow(/lenett/)
  })
})

describe('replaceSection', () => {
  it('replaces a section up to the next heading, or appends it', () => {
    expect(replaceSection('# B\n\n## Runtime\nold\n## Other\n', 'Runtime', '## Runtime\nnew\n')).toBe('# B\n\n## Runtime\nnew\n\n## Other\n')
    expect(replaceSection('# B\n', 'Memory', '## Memory\nx')).toBe('# B\n\n## Memory\nx\n')
  })
})
