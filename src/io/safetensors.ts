// Over 400 lines on purpose: one file format (types, decoder with its validation, encoder, file I/O) read top to bottom.
/**
 * The safetensors file format, in plain TypeScript (no tfjs).
 *
 * Layout: an 8-byte little-endian unsigned header length `N`, then `N` bytes of UTF-8 JSON
 * `{ "<name>": { "dtype": "F32", "shape": [2, 3], "data_offsets": [begin, end] }, ..., "__metadata__": { "k": "v" } }`,
 * then the data buffer. Offsets are relative to the start of the data buffer; tensors are stored row-major,
 * little-endian, back to back with no gaps, and the buffer ends exactly at the last tensor.
 *
 * Decoding validates all of this and reports the first problem as a {@link SafetensorsError} value.
 *
 * @module
 */
import * as E from 'fp-ts/lib/Either.js'
import * as TE from 'fp-ts/lib/TaskEither.js'
import { type IoError, readFileBytes, writeFileAtomic } from './atomicWrite.js'
import { formatShape } from './format.js'
import { numel } from '../graph/ir.js'

// ---------------------------------------------------------------------------------------------------------------------
// model
// ---------------------------------------------------------------------------------------------------------------------

/**
 * Bytes per element of every dtype this module understands (the reference implementation's names).
 *
 * @category Weights and files
 */
export const dtypeItemSize = {
  BOOL: 1,
  U8: 1,
  I8: 1,
  F8_E5M2: 1,
  F8_E4M3: 1,
  I16: 2,
  U16: 2,
  F16: 2,
  BF16: 2,
  I32: 4,
  U32: 4,
  F32: 4,
  I64: 8,
  U64: 8,
  F64: 8,
} as const

/**
 * A safetensors element type.
 *
 * @category Weights and files
 */
export type SafetensorsDtype = keyof typeof dtypeItemSize

/**
 * The float dtypes {@link toFloat32Array} converts.
 *
 * @category Weights and files
 */
export type FloatDtype = 'F16' | 'BF16' | 'F32' | 'F64'

/**
 * One tensor of a decoded file. `data` is the raw little-endian bytes (a view into the decoded buffer, not a copy).
 *
 * @category Weights and files
 */
export interface SafetensorsTensor {
  readonly dtype: SafetensorsDtype
  readonly shape: readonly number[]
  readonly data: Uint8Array
}

/**
 * A decoded file: tensors by name, in data-buffer order, and the string metadata.
 *
 * @category Weights and files
 */
export interface SafetensorsFile {
  readonly tensors: ReadonlyMap<string, SafetensorsTensor>
  readonly metadata: Readonly<Record<string, string>>
  /** Where the bytes came from (a path), used in error messages. */
  readonly source?: string
}

/**
 * Why a file could not be decoded (or tensors could not be encoded).
 *
 * @category Weights and files
 */
export type SafetensorsErrorReason =
  | 'FileNotFound'
  | 'FileTooLarge'
  | 'ReadFailed'
  | 'TooShort'
  | 'HeaderLengthOutOfRange'
  | 'HeaderNotUtf8'
  | 'HeaderNotJson'
  | 'HeaderNotObject'
  | 'DuplicateKey'
  | 'InvalidMetadata'
  | 'InvalidTensorEntry'
  | 'UnknownDtype'
  | 'InvalidShape'
  | 'InvalidOffsets'
  | 'SizeMismatch'
  | 'OverlappingOffsets'
  | 'GapBetweenTensors'
  | 'Truncated'
  | 'TrailingBytes'
  | 'NotFloat'
  | 'InvalidInput'

/**
 * A safetensors problem, as a value. `message` is a complete sentence that names the file and tensor.
 *
 * @category Weights and files
 */
export interface SafetensorsError {
  readonly _tag: 'SafetensorsError'
  readonly reason: SafetensorsErrorReason
  readonly message: string
  readonly source?: string
  readonly tensor?: string
  readonly cause?: unknown
}

/**
 * The exception {@link encodeSafetensors} throws for invalid input; `error` holds the value.
 *
 * @category Weights and files
 */
export class SafetensorsException extends Error {
  constructor(readonly error: SafetensorsError) {
    super(error.message)
    this.name = 'SafetensorsException'
  }
}

/**
 * Typed arrays {@link encodeSafetensors} accepts, each stored as its natural dtype.
 *
 * @category Weights and files
 */
export type EncodableArray =
  | Float32Array
  | Float64Array
  | Int32Array
  | Uint32Array
  | Int16Array
  | Uint16Array
  | Int8Array
  | Uint8Array
  | BigInt64Array
  | BigUint64Array

/**
 * One tensor to encode: a typed array (dtype inferred: `Float32Array` → F32, `BigInt64Array` → I64, ...)
 * or raw little-endian `bytes` with an explicit dtype (for F16/BF16 and friends).
 *
 * @category Weights and files
 */
export type TensorToEncode =
  | { readonly shape: readonly number[]; readonly data: EncodableArray }
  | { readonly shape: readonly number[]; readonly dtype: SafetensorsDtype; readonly bytes: Uint8Array }

/**
 * Tensors to encode: a list of named tensors (kept in this order within each item size) or a record / map by name.
 *
 * @category Weights and files
 */
export type TensorsToEncode =
  | ReadonlyArray<TensorToEncode & { readonly name: string }>
  | Readonly<Record<string, TensorToEncode>>
  | ReadonlyMap<string, TensorToEncode>

/** Key of the metadata entry in the header. */
const METADATA_KEY = '__metadata__'
/** The reference implementation refuses headers above 100 MB; so do we. */
const MAX_HEADER_BYTES = 100_000_000

// ---------------------------------------------------------------------------------------------------------------------
// errors
// ---------------------------------------------------------------------------------------------------------------------

const safetensorsError = (
  reason: SafetensorsErrorReason,
  detail: string,
  context: { readonly source?: string | undefined; readonly tensor?: string | undefined; readonly cause?: unknown } = {},
): SafetensorsError => ({
  _tag: 'SafetensorsError',
  reason,
  message: context.source === undefined ? detail : `${context.source}: ${detail}`,
  ...(context.source === undefined ? {} : { source: context.source }),
  ...(context.tensor === undefined ? {} : { tensor: context.tensor }),
  ...(context.cause === undefined ? {} : { cause: context.cause }),
})

const isDtype = (s: unknown): s is SafetensorsDtype => typeof s === 'string' && Object.hasOwn(dtypeItemSize, s)

/**
 * Number of elements of a shape (1 for a scalar `[]`): {@link numel} under its earlier name.
 *
 * @deprecated Use `numel` (exported from `shapesafe`).
 * @example
 * ```ts
 * elementCount([2, 3, 4]) // 24
 * ```
 * @category Weights and files
 */
export const elementCount: (shape: readonly number[]) => number = numel

const isValidShape = (shape: unknown): shape is number[] =>
  Array.isArray(shape) &&
  shape.every((d) => typeof d === 'number' && Number.isSafeInteger(d) && d >= 0) &&
  Number.isSafeInteger(elementCount(shape))

// ---------------------------------------------------------------------------------------------------------------------
// decoding
// ---------------------------------------------------------------------------------------------------------------------

/**
 * Options of {@link decodeSafetensors}.
 *
 * @category Weights and files
 */
export interface DecodeOptions {
  /** A name for the bytes (usually the path), prefixed to error messages and kept in {@link SafetensorsFile.source}. */
  readonly source?: string
}

interface HeaderEntry {
  readonly name: string
  readonly dtype: SafetensorsDtype
  readonly shape: number[]
  readonly begin: number
  readonly end: number
}

/**
 * Decodes and validates a safetensors file. Never throws: every problem (bad header length, header not JSON or not
 * an object, unknown dtype, offsets out of range, overlapping or non-contiguous tensors, byte size not matching the
 * shape, truncated file, trailing bytes) is a `Left` naming the offending tensor. Tensor data are views into `bytes`.
 *
 * @category Weights and files
 * @example
 * ```ts
 * declare const bytes: Uint8Array
 * const decoded = decodeSafetensors(bytes, { source: 'lenet.safetensors' })
 * if (decoded._tag === 'Left') throw new Error(decoded.left.message)
 * decoded.right.tensors.get('features.0.weight')?.shape // [6, 1, 5, 5]
 * ```
 */
export const decodeSafetensors = (
  bytes: Uint8Array,
  options: DecodeOptions = {},
): E.Either<SafetensorsError, SafetensorsFile> => {
  const source = options.source
  const fail = (reason: SafetensorsErrorReason, detail: string, tensor?: string, cause?: unknown) =>
    E.left(safetensorsError(reason, detail, { source, tensor, cause }))

  if (bytes.byteLength < 8)
    return fail('TooShort', `file is ${bytes.byteLength} bytes, shorter than the 8-byte header length`)
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  const headerLength = view.getBigUint64(0, true)
  const available = bytes.byteLength - 8
  if (headerLength > BigInt(available))
    return fail(
      'HeaderLengthOutOfRange',
      `header length ${headerLength} exceeds the ${available} bytes after the length field (truncated or not a safetensors file)`,
    )
  if (headerLength > BigInt(MAX_HEADER_BYTES))
    return fail('HeaderLengthOutOfRange', `header length ${headerLength} exceeds the ${MAX_HEADER_BYTES}-byte limit`)
  const n = Number(headerLength)

  let headerText: string
  try {
    headerText = new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(8, 8 + n))
  } catch (e) {
    return fail('HeaderNotUtf8', 'header is not valid UTF-8', undefined, e)
  }
  let header: unknown
  try {
    header = JSON.parse(headerText)
  } catch (e) {
    return fail('HeaderNotJson', `header is not valid JSON (${e instanceof Error ? e.message : String(e)})`, undefined, e)
  }
  const duplicate = firstDuplicateKey(headerText)
  if (duplicate !== undefined)
    return fail(
      'DuplicateKey',
      `header has the key "${duplicate.key}" twice${duplicate.within === undefined ? '' : ` in "${duplicate.within}"`} ` +
        '(JSON parsers disagree on which one wins, so the file is ambiguous)',
      duplicate.within ?? duplicate.key,
    )
  if (typeof header !== 'object' || header === null || Array.isArray(header))
    return fail('HeaderNotObject', `header must be a JSON object, got ${Array.isArray(header) ? 'an array' : typeof header === 'object' ? 'null' : `a ${typeof header}`}`)

  const metadataEntries: Array<[string, string]> = []
  const entries: HeaderEntry[] = []
  for (const [name, raw] of Object.entries(header)) {
    if (name === METADATA_KEY) {
      if (typeof raw !== 'object' || raw === null || Array.isArray(raw))
        return fail('InvalidMetadata', `"${METADATA_KEY}" must be an object of strings`)
      for (const [k, v] of Object.entries(raw)) {
        if (typeof v !== 'string')
          return fail('InvalidMetadata', `"${METADATA_KEY}" entry "${k}" must be a string, got ${JSON.stringify(v)}`)
        metadataEntries.push([k, v])
      }
      continue
    }
    const entry = parseEntry(name, raw)
    if ('reason' in entry) return fail(entry.reason, `tensor "${name}": ${entry.detail}`, name)
    const expectedBytes = elementCount(entry.shape) * dtypeItemSize[entry.dtype]
    if (entry.end - entry.begin !== expectedBytes)
      return fail(
        'SizeMismatch',
        `tensor "${name}" has shape ${formatShape(entry.shape)} ${entry.dtype} = ${expectedBytes} bytes, ` +
          `but data_offsets [${entry.begin}, ${entry.end}] span ${entry.end - entry.begin} bytes`,
        name,
      )
    entries.push(entry)
  }

  // Tensors must tile the buffer exactly: sorted by offset, each starts where the previous one ends.
  const byOffset = [...entries].sort((a, b) => a.begin - b.begin || a.end - b.end)
  let cursor = 0
  let previous: string | undefined
  for (const entry of byOffset) {
    if (entry.begin < cursor)
      return fail(
        'OverlappingOffsets',
        `tensor "${entry.name}" (bytes [${entry.begin}, ${entry.end})) overlaps tensor "${previous}" (ends at byte ${cursor})`,
        entry.name,
      )
    if (entry.begin > cursor)
      return fail(
        'GapBetweenTensors',
        previous === undefined
          ? `tensor "${entry.name}" starts at byte ${entry.begin}; the data buffer must start with a tensor at byte 0`
          : `tensor "${entry.name}" starts at byte ${entry.begin}, but tensor "${previous}" ends at byte ${cursor} (tensors must be contiguous)`,
        entry.name,
      )
    cursor = entry.end
    previous = entry.name
  }

  const dataStart = 8 + n
  const dataLength = bytes.byteLength - dataStart
  const firstBeyond = byOffset.find((e) => e.end > dataLength)
  if (firstBeyond !== undefined)
    return fail(
      'Truncated',
      `tensor "${firstBeyond.name}" needs data bytes [${firstBeyond.begin}, ${firstBeyond.end}), ` +
        `but the file has only ${dataLength} data bytes (${firstBeyond.end - dataLength} missing; truncated file?)`,
      firstBeyond.name,
    )
  if (cursor < dataLength)
    return fail(
      'TrailingBytes',
      `the data buffer has ${dataLength} bytes but the tensors cover only ${cursor} (${dataLength - cursor} unexplained trailing bytes)`,
    )

  const tensors = new Map<string, SafetensorsTensor>()
  for (const e of byOffset)
    tensors.set(e.name, { dtype: e.dtype, shape: e.shape, data: bytes.subarray(dataStart + e.begin, dataStart + e.end) })
  // fromEntries defines own properties, so a key such as "__proto__" stays plain data.
  const metadata: Record<string, string> = Object.fromEntries(metadataEntries)
  return E.right({ tensors, metadata, ...(source === undefined ? {} : { source }) })
}

/**
 * The first key that occurs twice in one object of a JSON text (already known to be valid JSON), with the key of
 * the object it is in (`undefined` at the top level). `JSON.parse` keeps the last of duplicates silently.
 */
const firstDuplicateKey = (json: string): { readonly key: string; readonly within?: string } | undefined => {
  // One frame per open object (its keys and the key it was found under) or array (null).
  const stack: Array<{ readonly keys: Set<string>; readonly under: string | undefined } | null> = []
  let expectKey = false
  let lastKey: string | undefined
  for (let i = 0; i < json.length; i++) {
    const c = json[i]
    if (c === '"') {
      let j = i + 1
      while (json[j] !== '"') j += json[j] === '\\' ? 2 : 1
      const top = stack[stack.length - 1]
      if (expectKey && top !== null && top !== undefined) {
        const key = JSON.parse(json.slice(i, j + 1)) as string
        if (top.keys.has(key)) return { key, ...(top.under === undefined ? {} : { within: top.under }) }
        top.keys.add(key)
        lastKey = key
        expectKey = false
      }
      i = j
    } else if (c === '{') {
      const parent = stack[stack.length - 1]
      stack.push({ keys: new Set(), under: parent === undefined || parent === null ? undefined : lastKey })
      expectKey = true
    } else if (c === '[') {
      stack.push(null)
      expectKey = false
    } else if (c === '}' || c === ']') {
      stack.pop()
      expectKey = false
    } else if (c === ',') {
      const top = stack[stack.length - 1]
      expectKey = top !== null && top !== undefined
    }
  }
  return undefined
}

/** A parsed header entry, or what is wrong with it. */
const parseEntry = (
  name: string,
  raw: unknown,
): HeaderEntry | { readonly reason: SafetensorsErrorReason; readonly detail: string } => {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw))
    return {
      reason: 'InvalidTensorEntry',
      detail: `entry must be an object with dtype, shape and data_offsets, got ${JSON.stringify(raw)}`,
    }
  const { dtype, shape, data_offsets: offsets } = raw as Record<string, unknown>
  if (dtype === undefined || shape === undefined || offsets === undefined)
    return {
      reason: 'InvalidTensorEntry',
      detail: `entry must have dtype, shape and data_offsets, got keys ${JSON.stringify(Object.keys(raw))}`,
    }
  if (!isDtype(dtype))
    return {
      reason: 'UnknownDtype',
      detail: `unknown dtype ${JSON.stringify(dtype)} (known: ${Object.keys(dtypeItemSize).join(', ')})`,
    }
  if (!isValidShape(shape))
    return { reason: 'InvalidShape', detail: `shape must be a list of non-negative integers, got ${JSON.stringify(shape)}` }
  if (
    !Array.isArray(offsets) ||
    offsets.length !== 2 ||
    !offsets.every((o) => typeof o === 'number' && Number.isSafeInteger(o) && o >= 0)
  )
    return {
      reason: 'InvalidOffsets',
      detail: `data_offsets must be [begin, end] with non-negative integers, got ${JSON.stringify(offsets)}`,
    }
  const [begin, end] = offsets as [number, number]
  if (begin > end) return { reason: 'InvalidOffsets', detail: `data_offsets [${begin}, ${end}] end before they begin` }
  return { name, dtype, shape, begin, end }
}

// ---------------------------------------------------------------------------------------------------------------------
// conversion
// ---------------------------------------------------------------------------------------------------------------------

/**
 * Whether a dtype is one that {@link toFloat32Array} converts.
 *
 * @example
 * ```ts
 * import { isFloatDtype } from 'shapesafe/io'
 * isFloatDtype('BF16') // true
 * isFloatDtype('I64') // false
 * ```
 * @category Weights and files
 */
export const isFloatDtype = (dtype: SafetensorsDtype): dtype is FloatDtype =>
  dtype === 'F32' || dtype === 'F16' || dtype === 'BF16' || dtype === 'F64'

/**
 * Converts an IEEE half-precision bit pattern to a number (subnormals, infinities and NaN included).
 *
 * @category Weights and files
 * @example
 * ```ts
 * halfToFloat(0x3c00) // 1
 * ```
 */
export const halfToFloat = (bits: number): number => {
  const sign = bits & 0x8000 ? -1 : 1
  const exponent = (bits >> 10) & 0x1f
  const fraction = bits & 0x3ff
  if (exponent === 0) return sign * fraction * 2 ** -24
  if (exponent === 0x1f) return fraction === 0 ? sign * Infinity : NaN
  return sign * (1 + fraction / 1024) * 2 ** (exponent - 15)
}

/**
 * The tensor's values as a fresh `Float32Array` (F32 copied; F16, BF16 and F64 converted). Integer and other
 * dtypes give a `NotFloat` error.
 *
 * @category Weights and files
 * @example
 * ```ts
 * declare const file: SafetensorsFile
 * const w = toFloat32Array(file.tensors.get('fc.weight')!) // Either<SafetensorsError, Float32Array>
 * ```
 */
export const toFloat32Array = (
  tensor: SafetensorsTensor,
  context: { readonly name?: string; readonly source?: string } = {},
): E.Either<SafetensorsError, Float32Array> => {
  const { data, dtype } = tensor
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength)
  const count = data.byteLength / dtypeItemSize[dtype]
  if (dtype === 'F32' && littleEndianHost) return E.right(new Float32Array(data.slice().buffer))
  const out = new Float32Array(count)
  switch (dtype) {
    case 'F32':
      for (let i = 0; i < count; i++) out[i] = view.getFloat32(i * 4, true)
      return E.right(out)
    case 'F64':
      for (let i = 0; i < count; i++) out[i] = view.getFloat64(i * 8, true)
      return E.right(out)
    case 'F16':
      for (let i = 0; i < count; i++) out[i] = halfToFloat(view.getUint16(i * 2, true))
      return E.right(out)
    case 'BF16': {
      const bits = new Uint32Array(out.buffer)
      // A BF16 value is the upper half of the F32 bit pattern; both views share the host's byte order.
      for (let i = 0; i < count; i++) bits[i] = view.getUint16(i * 2, true) << 16
      return E.right(out)
    }
    default:
      return E.left(
        safetensorsError(
          'NotFloat',
          `${context.name === undefined ? 'tensor' : `tensor "${context.name}"`} has dtype ${dtype}, expected a float dtype (F32, F16, BF16 or F64)`,
          { source: context.source, tensor: context.name },
        ),
      )
  }
}

const littleEndianHost = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1

// ---------------------------------------------------------------------------------------------------------------------
// encoding
// ---------------------------------------------------------------------------------------------------------------------

const dtypeOfArray = (data: EncodableArray): SafetensorsDtype => {
  if (data instanceof Float32Array) return 'F32'
  if (data instanceof Float64Array) return 'F64'
  if (data instanceof Int32Array) return 'I32'
  if (data instanceof Uint32Array) return 'U32'
  if (data instanceof Int16Array) return 'I16'
  if (data instanceof Uint16Array) return 'U16'
  if (data instanceof Int8Array) return 'I8'
  if (data instanceof BigInt64Array) return 'I64'
  if (data instanceof BigUint64Array) return 'U64'
  return 'U8'
}

/** Little-endian bytes of a typed array (a view when the host is little-endian). */
const littleEndianBytes = (data: EncodableArray): Uint8Array => {
  const raw = new Uint8Array(data.buffer, data.byteOffset, data.byteLength)
  if (littleEndianHost || data.BYTES_PER_ELEMENT === 1) return raw
  const out = raw.slice()
  const size = data.BYTES_PER_ELEMENT
  for (let i = 0; i < out.length; i += size) out.subarray(i, i + size).reverse()
  return out
}

interface PreparedTensor {
  readonly name: string
  readonly dtype: SafetensorsDtype
  readonly shape: readonly number[]
  readonly bytes: Uint8Array
}

const namedTensors = (tensors: TensorsToEncode): Array<readonly [string, TensorToEncode]> => {
  if (Array.isArray(tensors)) return (tensors as ReadonlyArray<TensorToEncode & { name: string }>).map((t) => [t.name, t] as const)
  if (tensors instanceof Map) return [...(tensors as ReadonlyMap<string, TensorToEncode>).entries()]
  return Object.entries(tensors as Readonly<Record<string, TensorToEncode>>)
}

const prepare = (tensors: TensorsToEncode): E.Either<SafetensorsError, PreparedTensor[]> => {
  const seen = new Set<string>()
  const prepared: PreparedTensor[] = []
  for (const [name, t] of namedTensors(tensors)) {
    const bad = (detail: string) => E.left(safetensorsError('InvalidInput', `cannot encode tensor "${name}": ${detail}`, { tensor: name }))
    if (name === METADATA_KEY) return bad(`the name "${METADATA_KEY}" is reserved for metadata`)
    if (seen.has(name)) return bad('duplicate name')
    seen.add(name)
    if (!isValidShape(t.shape)) return bad(`shape must be non-negative integers, got ${JSON.stringify(t.shape)}`)
    const dtype = 'bytes' in t ? t.dtype : dtypeOfArray(t.data)
    if (!isDtype(dtype)) return bad(`unknown dtype ${JSON.stringify(dtype)}`)
    const bytes = 'bytes' in t ? t.bytes : littleEndianBytes(t.data)
    const expected = elementCount(t.shape) * dtypeItemSize[dtype]
    if (bytes.byteLength !== expected)
      return bad(
        `shape ${formatShape(t.shape)} ${dtype} needs ${expected} bytes (${elementCount(t.shape)} elements), ` +
          `got ${bytes.byteLength} bytes (${bytes.byteLength / dtypeItemSize[dtype]} elements)`,
      )
    prepared.push({ name, dtype, shape: [...t.shape], bytes })
  }
  return E.right(prepared)
}

/**
 * Encodes tensors as safetensors, returning a `Left` for invalid input (data length ≠ product(shape), duplicate or
 * reserved name, bad shape) instead of throwing. See {@link encodeSafetensors}.
 *
 * @example
 * ```ts
 * import { encodeSafetensorsEither } from 'shapesafe/io'
 * const encoded = encodeSafetensorsEither([{ name: 'fc.weight', shape: [2, 3], data: new Float32Array(5) }])
 * if (encoded._tag === 'Left') console.error(encoded.left.message)
 * // cannot encode tensor "fc.weight": shape [2, 3] F32 needs 24 bytes (6 elements), got 20 bytes (5 elements)
 * ```
 * @category Weights and files
 */
export const encodeSafetensorsEither = (
  tensors: TensorsToEncode,
  metadata?: Readonly<Record<string, string>>,
): E.Either<SafetensorsError, Uint8Array> => {
  const prepared = prepare(tensors)
  if (E.isLeft(prepared)) return prepared
  // Larger items first (stable, so the caller's order is kept otherwise): with the header padded to a multiple of 8,
  // every tensor then starts at a file offset aligned to its item size, so readers can view it without copying.
  const ordered = prepared.right
    .map((t, i) => ({ t, i }))
    .sort((a, b) => dtypeItemSize[b.t.dtype] - dtypeItemSize[a.t.dtype] || a.i - b.i)
    .map(({ t }) => t)

  const header: Record<string, unknown> = {}
  if (metadata !== undefined) {
    for (const [k, v] of Object.entries(metadata))
      if (typeof v !== 'string')
        return E.left(safetensorsError('InvalidInput', `metadata "${k}" must be a string, got ${JSON.stringify(v)}`))
    header[METADATA_KEY] = { ...metadata }
  }
  let offset = 0
  for (const t of ordered) {
    header[t.name] = { dtype: t.dtype, shape: t.shape, data_offsets: [offset, offset + t.bytes.byteLength] }
    offset += t.bytes.byteLength
  }
  const json = new TextEncoder().encode(JSON.stringify(header))
  // The reference implementation pads the header with spaces to a multiple of 8 bytes.
  const headerLength = Math.ceil(json.byteLength / 8) * 8
  const out = new Uint8Array(8 + headerLength + offset)
  new DataView(out.buffer).setBigUint64(0, BigInt(headerLength), true)
  out.set(json, 8)
  out.fill(0x20, 8 + json.byteLength, 8 + headerLength)
  let at = 8 + headerLength
  for (const t of ordered) {
    out.set(t.bytes, at)
    at += t.bytes.byteLength
  }
  return E.right(out)
}

/**
 * Encodes tensors as a safetensors file. `Float32Array` data is stored as F32, `BigInt64Array` as I64 (e.g. a
 * `num_batches_tracked` counter), other typed arrays as their natural dtype, and `{ dtype, bytes }` as given.
 * The header is padded with spaces to a multiple of 8 bytes, as the reference implementation does.
 * Throws a {@link SafetensorsException} for invalid input; use {@link encodeSafetensorsEither} for a value instead.
 *
 * @category Weights and files
 * @example
 * ```ts
 * const bytes = encodeSafetensors(
 *   [{ name: 'fc.weight', shape: [2, 3], data: new Float32Array(6) }, { name: 'fc.bias', shape: [2], data: new Float32Array(2) }],
 *   { format: 'pt' },
 * )
 * ```
 */
export const encodeSafetensors = (tensors: TensorsToEncode, metadata?: Readonly<Record<string, string>>): Uint8Array => {
  const encoded = encodeSafetensorsEither(tensors, metadata)
  if (E.isLeft(encoded)) throw new SafetensorsException(encoded.left)
  return encoded.right
}

// ---------------------------------------------------------------------------------------------------------------------
// files
// ---------------------------------------------------------------------------------------------------------------------

/**
 * Reads and decodes a safetensors file. A missing file is a `FileNotFound` error, any other read failure
 * `ReadFailed`, and a bad file one of the decoding errors of {@link decodeSafetensors}; messages start with the path.
 *
 * @category Weights and files
 * @example
 * ```ts
 * const file = await readSafetensors('lenet.safetensors')()
 * ```
 */
export const readSafetensors =
  (path: string): TE.TaskEither<SafetensorsError, SafetensorsFile> =>
  async () => {
    const bytes = await readFileBytes(path)()
    if (E.isLeft(bytes)) {
      const io = bytes.left
      return E.left(
        io.code === 'ENOENT'
          ? safetensorsError('FileNotFound', 'file not found', { source: path, cause: io })
          : io.code === 'ERR_FS_FILE_TOO_LARGE'
            ? safetensorsError(
                'FileTooLarge',
                'the file is larger than 2 GiB, the most Node.js reads into one buffer, so it cannot be loaded whole; ' +
                  'store the tensors as F16 or BF16 (half the size) or in a smaller model',
                { source: path, cause: io },
              )
            : safetensorsError('ReadFailed', `could not read the file (${io.code ?? io.message})`, { source: path, cause: io }),
      )
    }
    return decodeSafetensors(bytes.right, { source: path })
  }

/**
 * Encodes tensors and writes them to `path` atomically (see {@link writeFileAtomic}): on failure the old file,
 * if any, is left intact.
 *
 * @category Weights and files
 * @example
 * ```ts
 * await writeSafetensors('lenet.safetensors', { 'fc.bias': { shape: [10], data: new Float32Array(10) } })()
 * ```
 */
export const writeSafetensors =
  (
    path: string,
    tensors: TensorsToEncode,
    metadata?: Readonly<Record<string, string>>,
  ): TE.TaskEither<SafetensorsError | IoError, void> =>
  async () => {
    const encoded = encodeSafetensorsEither(tensors, metadata)
    if (E.isLeft(encoded)) return E.left({ ...encoded.left, source: path, message: `${path}: ${encoded.left.message}` })
    return writeFileAtomic(path, encoded.right)()
  }
