/**
 * Matching a safetensors file against the parameters a model expects, all or nothing, with a full report.
 *
 * Names follow PyTorch `state_dict` conventions (`features.0.weight`, `layer1.0.bn1.running_mean`, ...), so a
 * file saved from PyTorch with the same architecture loads directly.
 *
 * @module
 */
import * as E from 'fp-ts/lib/Either.js'
import { type SafetensorsDtype, type SafetensorsFile, isFloatDtype, toFloat32Array } from './safetensors.js'
import { formatShape } from './format.js'

/**
 * A parameter or buffer the model expects.
 *
 * @category Weights and files
 */
export interface ExpectedTensor {
  readonly name: string
  readonly shape: readonly number[]
}

/**
 * Everything that keeps a file from loading into a model. When any list is non-empty nothing is loaded.
 *
 * @category Weights and files
 */
export interface StateDictMismatch {
  readonly _tag: 'StateDictMismatch'
  /** The file, when known (see {@link SafetensorsFile.source}). */
  readonly source?: string
  /** Expected by the model, absent from the file. */
  readonly missing: ReadonlyArray<{ readonly name: string; readonly shape: readonly number[] }>
  /** In the file, unknown to the model (`*.num_batches_tracked` integer counters excepted). */
  readonly unexpected: ReadonlyArray<{ readonly name: string; readonly dtype: SafetensorsDtype; readonly shape: readonly number[] }>
  /** Present in both with different shapes. */
  readonly wrongShape: ReadonlyArray<{
    readonly name: string
    readonly expected: readonly number[]
    readonly got: readonly number[]
  }>
  /** Present with the right name but a dtype that is not a float (F32, F16, BF16, F64). */
  readonly wrongDtype: ReadonlyArray<{ readonly name: string; readonly dtype: SafetensorsDtype }>
}

const sameShape = (a: readonly number[], b: readonly number[]): boolean =>
  a.length === b.length && a.every((d, i) => d === b[i])

/**
 * Whether a file entry is PyTorch's BatchNorm step counter, which has no counterpart in our models and is skipped.
 *
 * @example
 * ```ts
 * import { isBatchCounter } from 'shapesafe/io'
 * isBatchCounter('features.1.num_batches_tracked', 'I64') // true
 * isBatchCounter('features.1.running_mean', 'F32') // false
 * ```
 * @category Weights and files
 */
export const isBatchCounter = (name: string, dtype: SafetensorsDtype): boolean =>
  (name === 'num_batches_tracked' || name.endsWith('.num_batches_tracked')) &&
  (dtype === 'I64' || dtype === 'I32' || dtype === 'U64')

/**
 * Matches a decoded file against the tensors a model expects. Succeeds only when every expected tensor is present
 * with the same shape and a float dtype, and the file has nothing else (integer `*.num_batches_tracked` counters
 * are accepted and skipped). Otherwise returns a {@link StateDictMismatch} listing every problem, and nothing is
 * loaded. On success the values are fresh `Float32Array`s (F16, BF16 and F64 converted) in the expected order.
 *
 * @category Weights and files
 * @example
 * ```ts
 * declare const file: SafetensorsFile
 * const matched = matchStateDict([{ name: 'fc.weight', shape: [10, 84] }, { name: 'fc.bias', shape: [10] }], file)
 * if (matched._tag === 'Left') console.error(formatStateDictMismatch(matched.left))
 * ```
 */
export const matchStateDict = (
  expected: ReadonlyArray<ExpectedTensor>,
  file: SafetensorsFile,
): E.Either<StateDictMismatch, ReadonlyMap<string, Float32Array>> => {
  const missing: Array<StateDictMismatch['missing'][number]> = []
  const wrongShape: Array<StateDictMismatch['wrongShape'][number]> = []
  const wrongDtype: Array<StateDictMismatch['wrongDtype'][number]> = []
  const expectedNames = new Set<string>()
  for (const { name, shape } of expected) {
    expectedNames.add(name)
    const found = file.tensors.get(name)
    if (found === undefined) missing.push({ name, shape: [...shape] })
    else {
      if (!isFloatDtype(found.dtype)) wrongDtype.push({ name, dtype: found.dtype })
      if (!sameShape(found.shape, shape)) wrongShape.push({ name, expected: [...shape], got: [...found.shape] })
    }
  }
  const unexpected: Array<StateDictMismatch['unexpected'][number]> = []
  for (const [name, t] of file.tensors)
    if (!expectedNames.has(name) && !isBatchCounter(name, t.dtype))
      unexpected.push({ name, dtype: t.dtype, shape: [...t.shape] })

  if (missing.length + unexpected.length + wrongShape.length + wrongDtype.length > 0)
    return E.left({
      _tag: 'StateDictMismatch',
      ...(file.source === undefined ? {} : { source: file.source }),
      missing,
      unexpected,
      wrongShape,
      wrongDtype,
    })

  const values = new Map<string, Float32Array>()
  for (const { name } of expected) {
    const converted = toFloat32Array(file.tensors.get(name)!, { name })
    // Unreachable: dtypes were checked above.
    if (E.isLeft(converted)) throw new Error(converted.left.message)
    values.set(name, converted.right)
  }
  return E.right(values)
}

/**
 * A readable multi-line report of a {@link StateDictMismatch}: a summary line, then one line per problem.
 *
 * @category Weights and files
 * @example
 * ```ts
 * declare const mismatch: StateDictMismatch
 * formatStateDictMismatch(mismatch)
 * // lenet.safetensors does not match the model (1 missing, 1 unexpected, 1 wrong shape); nothing was loaded:
 * //   missing     features.0.bias  [6]
 * //   unexpected  features.0.b  F32 [6]
 * //   wrong shape fc.weight  expected [10, 84], file has [10, 120]
 * ```
 */
export const formatStateDictMismatch = (mismatch: StateDictMismatch): string => {
  const counts = [
    mismatch.missing.length > 0 ? `${mismatch.missing.length} missing` : undefined,
    mismatch.unexpected.length > 0 ? `${mismatch.unexpected.length} unexpected` : undefined,
    mismatch.wrongShape.length > 0 ? `${mismatch.wrongShape.length} wrong shape` : undefined,
    mismatch.wrongDtype.length > 0 ? `${mismatch.wrongDtype.length} wrong dtype` : undefined,
  ].filter((c): c is string => c !== undefined)
  const subject = mismatch.source ?? 'the weights file'
  const lines = [`${subject} does not match the model (${counts.join(', ')}); nothing was loaded:`]
  for (const m of mismatch.missing) lines.push(`  missing     ${m.name}  ${formatShape(m.shape)}`)
  for (const u of mismatch.unexpected) lines.push(`  unexpected  ${u.name}  ${u.dtype} ${formatShape(u.shape)}`)
  for (const w of mismatch.wrongShape)
    lines.push(`  wrong shape ${w.name}  expected ${formatShape(w.expected)}, file has ${formatShape(w.got)}`)
  for (const d of mismatch.wrongDtype) lines.push(`  wrong dtype ${d.name}  ${d.dtype}, expected a float dtype`)
  return lines.join('\n')
}
