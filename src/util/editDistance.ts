/**
 * Levenshtein distance and the closest candidate, for "did you mean" hints on unknown names (models, flags, choices,
 * layer and zoo option keys).
 * @module
 */

/**
 * The number of single-character insertions, deletions and substitutions that turn `a` into `b`.
 * @example
 * ```ts
 * editDistance('lenett', 'lenet') // 1
 * ```
 * @category Advanced
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

/**
 * The largest edit distance still taken for a typo of `word`: 2, or a third of its length.
 * @category Advanced
 */
export function typoDistance(word: string): number {
  return Math.max(2, Math.floor(word.length / 3))
}

/**
 * The candidate closest to `word`, if it is close enough to be a likely typo.
 * @example
 * ```ts
 * closestMatch('epoch', ['epochs', 'seed']) // 'epochs'
 * ```
 * @category Advanced
 */
export function closestMatch(word: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined
  let bestDistance = Infinity
  for (const c of candidates) {
    const d = editDistance(word, c)
    if (d < bestDistance) [best, bestDistance] = [c, d]
  }
  return bestDistance <= typoDistance(word) ? best : undefined
}
