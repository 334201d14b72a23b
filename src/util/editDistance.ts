/**
 * Levenshtein distance, for "did you mean" hints on unknown names (models, flags, choices).
 * @module
 */

/**
 * The number of single-character insertions, deletions and substitutions that turn `a` into `b`.
 * @example
 * ```ts
 * editDistance('lenett', 'lenet') // 1
 * ```
 */
export function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j)
  for (let i = 1; i <= a.length; i++) {
    const current = [i]
    for (let j = 1; j <= b.length; j++)
      current[j] = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1))
    previous = current
  }
  return previous[b.length]
}
