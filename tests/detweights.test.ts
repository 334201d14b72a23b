import { readFileSync, existsSync, readdirSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { detChecksum, detTensor, fnv1a32, mulberry32, type DetRole } from './helpers/detweights.js'

const goldens = join(import.meta.dirname, 'goldens')

interface Vector {
  name: string
  shape: number[]
  role: DetRole
  seed: number
  first8: number[]
  first8_bits: string[]
  checksum: number
  sum: number
}
interface DetweightsJson {
  fnv1a32: { text: string; hash: number }[]
  mulberry32: { seed: number; first8: number[] }[]
  vectors: Vector[]
}

const spec = JSON.parse(readFileSync(join(goldens, 'detweights.json'), 'utf8')) as DetweightsJson

/** Minimal F32-only safetensors reader, enough to check the goldens' headers and inputs. */
function readSafetensors(path: string): {
  tensors: Map<string, { shape: number[]; data: Float32Array }>
  metadata: Record<string, string>
} {
  const buf = readFileSync(path)
  const n = Number(buf.readBigUInt64LE(0))
  const header = JSON.parse(buf.subarray(8, 8 + n).toString('utf8')) as Record<string, unknown>
  const metadata = (header.__metadata__ ?? {}) as Record<string, string>
  const tensors = new Map<string, { shape: number[]; data: Float32Array }>()
  for (const [name, h] of Object.entries(header)) {
    if (name === '__metadata__') continue
    const { dtype, shape, data_offsets: [b, e] } = h as { dtype: string; shape: number[]; data_offsets: [number, number] }
    expect(dtype).toBe('F32')
    const bytes = buf.subarray(8 + n + b, 8 + n + e)
    const data = new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength))
    expect(data.length).toBe(shape.reduce((a, c) => a * c, 1))
    tensors.set(name, { shape, data })
  }
  return { tensors, metadata }
}

const bitsHex = (xs: Float32Array): string[] =>
  Array.from(new Uint32Array(xs.buffer, xs.byteOffset, xs.length), (b) => b.toString(16).padStart(8, '0'))

describe('fnv1a32', () => {
  it.each(spec.fnv1a32)('hashes "$text" as UTF-8', ({ text, hash }) => {
    expect(fnv1a32(text)).toBe(hash)
    expect(fnv1a32(new TextEncoder().encode(text))).toBe(hash)
  })
})

describe('mulberry32', () => {
  it.each(spec.mulberry32)('matches the Python stream for seed $seed', ({ seed, first8 }) => {
    const next = mulberry32(seed)
    expect(Array.from({ length: 8 }, next)).toEqual(first8)
  })
})

describe('detTensor', () => {
  it.each(spec.vectors)('$role "$name" $shape is bitwise equal to PyTorch side', (v) => {
    const t = detTensor(v.name, v.shape, v.role)
    expect(t.length).toBe(v.shape.reduce((a, b) => a * b, 1))
    expect(fnv1a32(v.name)).toBe(v.seed)
    expect(bitsHex(t.subarray(0, 8))).toEqual(v.first8_bits)
    expect(Array.from(t.subarray(0, 8))).toEqual(v.first8)
    expect(detChecksum(t)).toBe(v.checksum)
    expect(t.reduce((a, b) => a + b, 0)).toBeCloseTo(v.sum, 2)
  })

  it('keeps values in the documented ranges', () => {
    const w = detTensor('w', [16, 4, 3, 3], 'weight')
    const bound = Math.sqrt(6 / 36)
    expect(w.every((x) => Math.abs(x) <= bound)).toBe(true)
    expect(detTensor('g', [64], 'bnWeight').every((x) => x >= 0.5 && x < 1.5)).toBe(true)
    expect(detTensor('b', [64], 'bias').every((x) => Math.abs(x) <= 0.1)).toBe(true)
    expect(detTensor('input', [64], 'input').every((x) => x >= -1 && x < 1)).toBe(true)
  })

  it('rejects a weight with fewer than 2 dimensions', () => {
    expect(() => detTensor('fc.weight', [10], 'weight')).toThrow(/ndim >= 2/)
  })
})

describe('goldens integrity', () => {
  it('parity inputs are detTensor("input") and state dicts name a role for every tensor', () => {
    const dir = join(goldens, 'parity')
    const files = readdirSync(dir).filter((f) => f.endsWith('.safetensors'))
    expect(files.length).toBeGreaterThanOrEqual(6)
    for (const f of files) {
      const { tensors, metadata } = readSafetensors(join(dir, f))
      const input = tensors.get('input')!
      const output = tensors.get('output')!
      expect(input.shape).toEqual(JSON.parse(metadata.input))
      expect(bitsHex(input.data)).toEqual(bitsHex(detTensor('input', input.shape, 'input')))
      expect(output.shape).toEqual([input.shape[0], Number(metadata.classes)])
      expect(output.data.every(Number.isFinite)).toBe(true)
      const entries = JSON.parse(metadata.state_dict) as [string, number[], DetRole][]
      expect(entries.length).toBeGreaterThan(0)
      for (const [, , role] of entries) expect(['weight', 'bias', 'bnWeight', 'bnBias', 'runningMean', 'runningVar']).toContain(role)
    }
  })

  it('layer manifest shapes match the safetensors headers', () => {
    const dir = join(goldens, 'layers')
    const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as {
      case: string; file: string; training: boolean; layer: { kind: string }; shapes: Record<string, number[]>
    }[]
    expect(manifest.length).toBeGreaterThan(40)
    for (const entry of manifest) {
      const { tensors } = readSafetensors(join(dir, entry.file))
      expect(Object.fromEntries([...tensors].map(([k, v]) => [k, v.shape]))).toEqual(entry.shapes)
      for (const name of ['input', 'output', 'cotangent', 'grad_input']) expect(tensors.has(name)).toBe(true)
    }
  })

  it('every zoo reference in the index has its file', () => {
    const dir = join(goldens, 'zoo')
    const index = JSON.parse(readFileSync(join(dir, 'index.json'), 'utf8')) as { id: string; model: string }[]
    expect(index.length).toBeGreaterThanOrEqual(27)
    for (const { id, model } of index) {
      expect(existsSync(join(dir, `${id}.json`))).toBe(true)
      const ref = JSON.parse(readFileSync(join(dir, `${id}.json`), 'utf8')) as {
        model: string; params: number; layers: { params: number }[]
      }
      expect(ref.model).toBe(model)
      expect(ref.layers.length).toBeGreaterThan(0)
      // modules with parameters are called once, so their own counts add up to the total
      expect(ref.layers.reduce((a, l) => a + l.params, 0)).toBe(ref.params)
    }
  })
})
