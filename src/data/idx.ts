/**
 * Reader for the IDX format of (Fashion-)MNIST, plain or gzip-compressed.
 *
 * Layout: two zero bytes, a type byte, a dimension count `n`, then `n` big-endian uint32 sizes,
 * then the elements in row-major order (multi-byte elements big-endian).
 *
 * @module
 */
import { readFile } from 'node:fs/promises'
import { gunzip } from 'node:zlib'
import { promisify } from 'node:util'
import * as E from 'fp-ts/lib/Either.js'
import * as TE from 'fp-ts/lib/TaskEither.js'
import { pipe } from 'fp-ts/lib/function.js'
import { DataError, describeCause, toIoError } from './errors.js'

const gunzipAsync = promisify(gunzip)

/**
 * Element types an IDX file can declare, by their tfjs-style names.
 *
 * @category Data
 */
export type IdxDtype = 'uint8' | 'int8' | 'int16' | 'int32' | 'float32' | 'float64'

/**
 * Maps each {@link IdxDtype} to the typed array that holds it.
 *
 * @category Data
 */
export interface IdxDataOf {
  /** IDX type `0x08`. */
  uint8: Uint8Array
  /** IDX type `0x09`. */
  int8: Int8Array
  /** IDX type `0x0B`. */
  int16: Int16Array
  /** IDX type `0x0C`. */
  int32: Int32Array
  /** IDX type `0x0D`. */
  float32: Float32Array
  /** IDX type `0x0E`. */
  float64: Float64Array
}

/**
 * A decoded IDX array: element type, shape (outermost first) and row-major data in native byte order.
 * For `uint8` files `data` is a view into the file bytes (no copy).
 *
 * @category Data
 */
export type IdxArray = {
  [D in IdxDtype]: {
    /** Element type. */
    readonly dtype: D
    /** Dimensions, outermost first. */
    readonly shape: readonly number[]
    /** Elements, row-major. */
    readonly data: IdxDataOf[D]
  }
}[IdxDtype]

interface DtypeInfo {
  readonly dtype: IdxDtype
  readonly bytes: number
}

/** IDX type byte → element type. */
const DTYPES: Readonly<Record<number, DtypeInfo>> = {
  0x08: { dtype: 'uint8', bytes: 1 },
  0x09: { dtype: 'int8', bytes: 1 },
  0x0b: { dtype: 'int16', bytes: 2 },
  0x0c: { dtype: 'int32', bytes: 4 },
  0x0d: { dtype: 'float32', bytes: 4 },
  0x0e: { dtype: 'float64', bytes: 8 },
}

/**
 * Whether `bytes` starts with the gzip magic number `1f 8b`.
 *
 * @example
 * ```ts
 * isGzip(new Uint8Array([0x1f, 0x8b, 8])) // true
 * ```
 * @category Data
 */
export const isGzip = (bytes: Uint8Array): boolean => bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b

/**
 * Decompresses `bytes` if they are gzip (by magic number), otherwise returns them unchanged.
 * `label` names the source in the error message.
 *
 * @example
 * ```ts
 * declare const fileBytes: Uint8Array
 * const plain = await gunzipIfNeeded(fileBytes, 'train-images-idx3-ubyte.gz')()
 * ```
 * @category Data
 */
export const gunzipIfNeeded = (bytes: Uint8Array, label: string): TE.TaskEither<DataError, Uint8Array> =>
  isGzip(bytes)
    ? TE.tryCatch(
        async () => {
          const out = await gunzipAsync(bytes)
          return new Uint8Array(out.buffer, out.byteOffset, out.byteLength)
        },
        (cause) => new DataError('corrupt-gzip', `${label}: corrupt gzip data: ${describeCause(cause)}`, label),
      )
    : TE.right(bytes)

const fail = (kind: DataError['kind'], label: string, detail: string): E.Either<DataError, never> =>
  E.left(new DataError(kind, `${label}: ${detail}`, label))

/**
 * Decodes uncompressed IDX bytes. `label` (usually the file path) is put in every error message.
 * Errors: `bad-magic`, `unsupported-dtype`, `truncated` (fewer bytes than the header's dimensions
 * need), `trailing-bytes` (more).
 *
 * @example
 * ```ts
 * // 2×3 uint8 array
 * const bytes = new Uint8Array([0, 0, 8, 2, 0, 0, 0, 2, 0, 0, 0, 3, 1, 2, 3, 4, 5, 6])
 * const arr = decodeIdx(bytes, 'example.idx') // Right({ dtype: 'uint8', shape: [2, 3], data })
 * ```
 * @category Data
 */
export const decodeIdx = (bytes: Uint8Array, label = '<idx bytes>'): E.Either<DataError, IdxArray> => {
  if (bytes.length < 4) return fail('truncated', label, `truncated IDX header: only ${bytes.length} bytes`)
  if (bytes[0] !== 0 || bytes[1] !== 0) {
    const hint = isGzip(bytes) ? ' (the data is gzip-compressed; use readIdx or gunzip it first)' : ''
    const got = Array.from(bytes.subarray(0, 4), (b) => b.toString(16).padStart(2, '0')).join(' ')
    return fail('bad-magic', label, `not an IDX file: magic bytes are ${got}, expected 00 00 <type> <ndim>${hint}`)
  }
  const info = DTYPES[bytes[2]]
  if (info === undefined) {
    return fail('unsupported-dtype', label, `unsupported IDX element type 0x${bytes[2].toString(16).padStart(2, '0')}`)
  }
  const ndim = bytes[3]
  const headerBytes = 4 + 4 * ndim
  if (ndim === 0) return fail('bad-magic', label, 'IDX header declares 0 dimensions')
  if (bytes.length < headerBytes) {
    return fail('truncated', label, `truncated IDX header: ${ndim} dimensions need ${headerBytes} bytes, found ${bytes.length}`)
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  const shape: number[] = []
  for (let i = 0; i < ndim; i++) shape.push(view.getUint32(4 + 4 * i, false))
  const count = shape.reduce((a, b) => a * b, 1)
  const expected = count * info.bytes
  const found = bytes.length - headerBytes
  const dims = `[${shape.join(', ')}]`
  if (found < expected) {
    return fail('truncated', label, `truncated IDX data: shape ${dims} of ${info.dtype} needs ${expected} bytes, found ${found}`)
  }
  if (found > expected) {
    return fail(
      'trailing-bytes',
      label,
      `${found - expected} unexpected trailing bytes after IDX data of shape ${dims} (${info.dtype})`,
    )
  }
  return E.right(readElements(info.dtype, view, headerBytes, count, shape))
}

const readElements = (dtype: IdxDtype, view: DataView, offset: number, count: number, shape: number[]): IdxArray => {
  const at = (i: number, size: number) => offset + i * size
  switch (dtype) {
    case 'uint8':
      return { dtype, shape, data: new Uint8Array(view.buffer, view.byteOffset + offset, count) }
    case 'int8':
      return { dtype, shape, data: new Int8Array(view.buffer, view.byteOffset + offset, count) }
    case 'int16': {
      const data = new Int16Array(count)
      for (let i = 0; i < count; i++) data[i] = view.getInt16(at(i, 2), false)
      return { dtype, shape, data }
    }
    case 'int32': {
      const data = new Int32Array(count)
      for (let i = 0; i < count; i++) data[i] = view.getInt32(at(i, 4), false)
      return { dtype, shape, data }
    }
    case 'float32': {
      const data = new Float32Array(count)
      for (let i = 0; i < count; i++) data[i] = view.getFloat32(at(i, 4), false)
      return { dtype, shape, data }
    }
    case 'float64': {
      const data = new Float64Array(count)
      for (let i = 0; i < count; i++) data[i] = view.getFloat64(at(i, 8), false)
      return { dtype, shape, data }
    }
  }
}

/**
 * Reads and decodes an IDX file, gunzipping it first when it starts with the gzip magic number
 * (whatever its name). Every error message names `path`.
 *
 * @example
 * ```ts
 * const labels = await readIdx('/usr/share/datasets/fashion-mnist/t10k-labels-idx1-ubyte.gz')()
 * // Right({ dtype: 'uint8', shape: [10000], data })
 * ```
 * @category Data
 */
export const readIdx = (path: string): TE.TaskEither<DataError, IdxArray> =>
  pipe(
    TE.tryCatch(async () => {
      const buf = await readFile(path)
      return new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength)
    }, toIoError(path, 'read')),
    TE.chain((bytes) => gunzipIfNeeded(bytes, path)),
    TE.chainEitherK((bytes) => decodeIdx(bytes, path)),
  )

/**
 * Encodes an array as IDX bytes (big-endian). The inverse of {@link decodeIdx}; used to build test
 * fixtures and small exports.
 *
 * @example
 * ```ts
 * encodeIdx({ dtype: 'uint8', shape: [3], data: new Uint8Array([7, 8, 9]) }).length // 4 + 4 + 3
 * ```
 * @category Data
 */
export const encodeIdx = (arr: IdxArray): Uint8Array => {
  const code = Number(Object.keys(DTYPES).find((k) => DTYPES[Number(k)].dtype === arr.dtype))
  const size = DTYPES[code].bytes
  const header = 4 + 4 * arr.shape.length
  const out = new Uint8Array(header + arr.data.length * size)
  const view = new DataView(out.buffer)
  out[2] = code
  out[3] = arr.shape.length
  arr.shape.forEach((d, i) => view.setUint32(4 + 4 * i, d, false))
  for (let i = 0; i < arr.data.length; i++) {
    const o = header + i * size
    const v = arr.data[i]
    switch (arr.dtype) {
      case 'uint8':
        view.setUint8(o, v)
        break
      case 'int8':
        view.setInt8(o, v)
        break
      case 'int16':
        view.setInt16(o, v, false)
        break
      case 'int32':
        view.setInt32(o, v, false)
        break
      case 'float32':
        view.setFloat32(o, v, false)
        break
      case 'float64':
        view.setFloat64(o, v, false)
        break
    }
  }
  return out
}
