/**
 * Transposition through the wasm `Transpose` kernel at the lowest possible rank.
 *
 * tfjs-backend-wasm has loops specialised for rank 2–4 but falls back to a per-element
 * generic loop (vectors allocated per element, ~50× slower) from rank 5 on. Axes that stay
 * adjacent and in order under the permutation, and axes of size 1, can be merged without
 * changing the result, which brings the phase rearrangements used here down to rank ≤ 4.
 *
 * @module
 */
import * as tf from '@tensorflow/tfjs'
import type { KernelRunner } from './compose.js'

/**
 * A transposition rewritten on merged axes: `shape` and `perm` of the equivalent transpose.
 * @category Advanced
 */
export interface CompactTranspose {
  readonly shape: number[]
  readonly perm: number[]
}

/**
 * Merges size-1 axes and runs of axes that remain consecutive under `perm`.
 *
 * @example
 * ```ts
 * compactTranspose([32, 24, 2, 24, 2, 64], [2, 4, 5, 0, 1, 3])
 * // { shape: [768, 2, 24, 128], perm: [1, 3, 0, 2] }
 * ```
 * @category Advanced
 */
export function compactTranspose(shape: readonly number[], perm: readonly number[]): CompactTranspose {
  const kept = perm.filter((axis) => shape[axis] !== 1)
  // Runs of input axes that appear consecutively (ascending by one) in the permutation.
  const runs: number[][] = []
  for (const axis of kept) {
    const last = runs[runs.length - 1]
    if (last !== undefined && last[last.length - 1] + 1 === axis) last.push(axis)
    else runs.push([axis])
  }
  // Order the runs by their position in the input to get the merged input shape.
  const byInput = [...runs].sort((a, b) => a[0] - b[0])
  return {
    shape: byInput.map((run) => run.reduce((size, axis) => size * shape[axis], 1)),
    perm: runs.map((run) => byInput.indexOf(run)),
  }
}

/**
 * Transposes `x` by `perm` with the wasm kernels at the lowest equivalent rank
 * (reshape → transpose → reshape); results are identical to a direct `Transpose`.
 * @category Advanced
 */
export function transpose(run: KernelRunner, x: tf.TensorInfo, perm: readonly number[]): tf.TensorInfo {
  const outShape = perm.map((axis) => x.shape[axis])
  const compact = compactTranspose(x.shape, perm)
  if (compact.perm.every((axis, i) => axis === i)) return run('Reshape', { x }, { shape: outShape })
  const merged = run('Reshape', { x }, { shape: compact.shape })
  const moved = run('Transpose', { x: merged }, { perm: compact.perm })
  return run('Reshape', { x: moved }, { shape: outShape })
}
