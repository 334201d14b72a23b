/**
 * The single error type of the data layer: reading IDX files, locating and downloading datasets.
 *
 * @module
 */

/**
 * What went wrong, as a machine-readable tag.
 *
 * - `io`: a file or directory could not be read or written.
 * - `bad-magic`: the file does not start with an IDX magic number.
 * - `unsupported-dtype`: the IDX type byte is not one we decode.
 * - `truncated`: the file is shorter than its header promises.
 * - `trailing-bytes`: the file is longer than its header promises.
 * - `corrupt-gzip`: the file starts like gzip but does not decompress.
 * - `invalid-dataset`: files decode but do not form a valid image/label dataset.
 * - `not-found`: no source holds the dataset and downloading is off.
 * - `checksum`: a downloaded file does not have its published MD5.
 * - `download`: every mirror failed (offline, HTTP error, ...).
 * - `invalid-options`: a batching/transform option is out of range.
 *
 * @category Data
 */
export type DataErrorKind =
  | 'io'
  | 'bad-magic'
  | 'unsupported-dtype'
  | 'truncated'
  | 'trailing-bytes'
  | 'corrupt-gzip'
  | 'invalid-dataset'
  | 'not-found'
  | 'checksum'
  | 'download'
  | 'invalid-options'

/**
 * An error from the data layer. Used as the `Left` of `Either`/`TaskEither` results, and throwable
 * as is (it extends `Error`), so a CLI can print `message` without a stack trace.
 *
 * @example
 * ```ts
 * const e = new DataError('truncated', 'a.idx: truncated: expected 784 data bytes, found 10', 'a.idx')
 * e.kind // 'truncated'
 * ```
 * @category Data
 */
export class DataError extends Error {
  /** Always `'DataError'`. */
  override readonly name = 'DataError'

  /**
   * @param kind machine-readable category
   * @param message full human-readable message (already names the file, when there is one)
   * @param path the file or directory concerned, if any
   */
  constructor(
    readonly kind: DataErrorKind,
    message: string,
    readonly path?: string,
  ) {
    super(message)
  }
}

/**
 * Wraps an unknown thrown value (typically a Node `fs` error) into an `io` {@link DataError}.
 *
 * @example
 * ```ts
 * toIoError('/x/y', 'read')(new Error('ENOENT')).message // "cannot read /x/y: ENOENT"
 * ```
 * @category Data
 */
export const toIoError =
  (path: string, verb: string) =>
  (cause: unknown): DataError =>
    new DataError('io', `cannot ${verb} ${path}: ${describeCause(cause)}`, path)

/**
 * A one-line description of a thrown value, without stack trace.
 *
 * @example
 * ```ts
 * import { describeCause } from 'shapesafe/data'
 * describeCause(Object.assign(new Error('no such file'), { code: 'ENOENT' })) // 'ENOENT: no such file'
 * describeCause(new Error('fetch failed', { cause: new Error('getaddrinfo EAI_AGAIN') })) // 'fetch failed (getaddrinfo EAI_AGAIN)'
 * describeCause('timeout') // 'timeout'
 * ```
 * @category Data
 */
export const describeCause = (cause: unknown): string => {
  if (cause instanceof Error) {
    const code = (cause as NodeJS.ErrnoException).code
    const inner = (cause as { cause?: unknown }).cause
    const base = code !== undefined && !cause.message.includes(code) ? `${code}: ${cause.message}` : cause.message
    return inner instanceof Error ? `${base} (${inner.message})` : base
  }
  return String(cause)
}
