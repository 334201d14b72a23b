/**
 * The project's one deterministic random source: the FNV-1a string hash and the mulberry32 generator. Parameter
 * initialisation, data shuffling and the PyTorch parity goldens (whose Python twin is scripts/goldens/detweights.py)
 * all draw from these, so the same seed gives the same numbers everywhere.
 * @module
 */

const utf8 = new TextEncoder()

/**
 * FNV-1a 32-bit hash of a string's UTF-8 bytes (or of raw bytes).
 * @example
 * ```ts
 * fnv1a32('a') // 0xe40c292c
 * ```
 * @category Advanced
 */
export function fnv1a32(data: string | Uint8Array): number {
  const bytes = typeof data === 'string' ? utf8.encode(data) : data
  let h = 0x811c9dc5
  for (let i = 0; i < bytes.length; i++) h = Math.imul(h ^ bytes[i], 0x01000193)
  return h >>> 0
}

/**
 * The standard mulberry32 generator (a public-domain 32-bit-state PRNG): returns uint32 values, all arithmetic mod 2^32.
 * @example
 * ```ts
 * const next = mulberry32Uint(0)
 * next() // 1144304738
 * ```
 * @category Advanced
 */
export function mulberry32Uint(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = Math.imul(a ^ (a >>> 15), a | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return (t ^ (t >>> 14)) >>> 0
  }
}
