/**
 * Deterministic weights ("detweights"): every tensor of a state dict is filled from its name, identically
 * here and in `scripts/goldens/detweights.py`, so parity goldens need no committed weights.
 *
 * seed = FNV-1a 32 of the UTF-8 name; PRNG = mulberry32(seed); `u = (next() >>> 8) / 2^24`; the value by
 * role is computed in float64 and rounded once to float32. The full spec is in `tests/goldens/README.md`.
 *
 * @module
 */

/** What a tensor is, which decides how its uniforms are scaled. */
export type DetRole = 'weight' | 'bias' | 'bnWeight' | 'bnBias' | 'runningMean' | 'runningVar' | 'input'

import { fnv1a32, mulberry32Uint } from '../../src/util/random.js'

export { fnv1a32 }

/** The standard mulberry32 PRNG: a generator of uint32 values (the runtime's own, shared). */
export const mulberry32 = mulberry32Uint

/**
 * The detweights tensor for `name`, flat in row-major order.
 *
 * - `weight` (conv/linear, ndim ≥ 2): (2u−1)·sqrt(6/fanIn), fanIn = product of shape[1:]
 * - `bias`, `bnBias`, `runningMean`: (2u−1)·0.1
 * - `bnWeight`, `runningVar`: 0.5+u
 * - `input`: 2u−1
 *
 * @example
 * const w = detTensor('0.weight', [96, 1, 11, 11], 'weight') // Float32Array(11616)
 */
export function detTensor(name: string, shape: readonly number[], role: DetRole): Float32Array {
  const size = shape.reduce((a, b) => a * b, 1)
  const out = new Float32Array(size)
  const next = mulberry32(fnv1a32(name))
  const u = (): number => (next() >>> 8) / 16777216
  switch (role) {
    case 'weight': {
      if (shape.length < 2) throw new Error(`detTensor: weight ${name} needs ndim >= 2, got [${shape.join(', ')}]`)
      const scale = Math.sqrt(6 / shape.slice(1).reduce((a, b) => a * b, 1))
      for (let i = 0; i < size; i++) out[i] = (2 * u() - 1) * scale
      break
    }
    case 'bias':
    case 'bnBias':
    case 'runningMean':
      for (let i = 0; i < size; i++) out[i] = (2 * u() - 1) * 0.1
      break
    case 'bnWeight':
    case 'runningVar':
      for (let i = 0; i < size; i++) out[i] = 0.5 + u()
      break
    case 'input':
      for (let i = 0; i < size; i++) out[i] = 2 * u() - 1
      break
    default: {
      const never: never = role
      throw new Error(`detTensor: unknown role ${String(never)}`)
    }
  }
  return out
}

/**
 * FNV-1a 32 of the little-endian float32 bytes of `values`: the checksum used in `tests/goldens/detweights.json`.
 *
 * @example
 * detChecksum(detTensor('input', [2, 3], 'input'))
 */
export function detChecksum(values: Float32Array): number {
  const bytes = new Uint8Array(values.length * 4)
  const view = new DataView(bytes.buffer)
  values.forEach((v, i) => view.setFloat32(i * 4, v, true))
  return fnv1a32(bytes)
}
