import { expect } from 'vitest'

/** Scale-aware error: max |a − b| / max(max |b|, 1e-3); Infinity when a value is NaN. Checks the lengths first. */
export function relError(actual: Float32Array | Int32Array | Uint8Array, expected: Float32Array): number {
  expect(actual.length).toBe(expected.length)
  let diff = 0
  let scale = 1e-3
  for (let i = 0; i < expected.length; i++) {
    diff = Math.max(diff, Math.abs(actual[i] - expected[i]))
    scale = Math.max(scale, Math.abs(expected[i]))
  }
  return Number.isNaN(diff) ? Infinity : diff / scale
}
