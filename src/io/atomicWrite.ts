/**
 * Atomic file writes: a reader sees either the old file or the complete new one, never a half-written file.
 *
 * The data goes to a temporary file in the target's directory (same file system, so `rename` is atomic),
 * is flushed to disk with `fsync`, and is then renamed over the target. On any failure the temporary file
 * is removed and the target is left as it was.
 *
 * @module
 */
import { randomBytes } from 'node:crypto'
import { promises as fsp } from 'node:fs'
import * as nodePath from 'node:path'
import * as TE from 'fp-ts/lib/TaskEither.js'

/**
 * The step of a file operation that failed.
 *
 * @category Weights and files
 */
export type IoOperation = 'mkdir' | 'write' | 'rename' | 'read'

/**
 * A failed file-system operation, as a value.
 *
 * @category Weights and files
 */
export interface IoError {
  readonly _tag: 'IoError'
  /** Which step failed. */
  readonly operation: IoOperation
  /** The path the caller asked for (not the temporary file). */
  readonly path: string
  /** The Node error code (`ENOENT`, `EACCES`, `ENOSPC`, ...) when there is one. */
  readonly code?: string
  /** A complete, human-readable sentence. */
  readonly message: string
  /** The original error. */
  readonly cause?: unknown
}

/**
 * The few file-system primitives an atomic write needs. The default is {@link nodeAtomicWriteFileSystem};
 * tests inject a failing one to check that a failed write leaves the old file intact.
 *
 * @category Weights and files
 */
export interface AtomicWriteFileSystem {
  /** Create `dir` and its parents if missing. */
  readonly mkdir: (dir: string) => Promise<void>
  /** Create `path` (it must not exist), write all of `data`, fsync and close it. */
  readonly writeNew: (path: string, data: Uint8Array) => Promise<void>
  /** Atomically replace `to` with `from`. */
  readonly rename: (from: string, to: string) => Promise<void>
  /** Delete `path`; must not fail if it is already gone. */
  readonly remove: (path: string) => Promise<void>
  /** Best-effort fsync of a directory so that the rename itself is durable; errors are ignored. */
  readonly syncDirectory?: (dir: string) => Promise<void>
}

/**
 * The real file system (`node:fs/promises`).
 *
 * @category Weights and files
 */
export const nodeAtomicWriteFileSystem: AtomicWriteFileSystem = {
  mkdir: async (dir) => {
    await fsp.mkdir(dir, { recursive: true })
  },
  writeNew: async (path, data) => {
    const handle = await fsp.open(path, 'wx')
    try {
      await handle.writeFile(data)
      await handle.sync()
    } finally {
      await handle.close()
    }
  },
  rename: (from, to) => fsp.rename(from, to),
  remove: (path) => fsp.rm(path, { force: true }),
  syncDirectory: async (dir) => {
    const handle = await fsp.open(dir, 'r')
    try {
      await handle.sync()
    } finally {
      await handle.close()
    }
  },
}

/**
 * Options of {@link writeFileAtomic}.
 *
 * @category Weights and files
 */
export interface AtomicWriteOptions {
  /** File-system primitives to use; defaults to {@link nodeAtomicWriteFileSystem}. */
  readonly fileSystem?: AtomicWriteFileSystem
}

/**
 * Builds an {@link IoError} from a caught exception.
 *
 * @example
 * ```ts
 * import { ioError } from 'shapesafe/io'
 * const cause = Object.assign(new Error('ENOSPC: no space left on device'), { code: 'ENOSPC' })
 * const e = ioError('write', 'runs/lenet/weights.safetensors', cause)
 * e.code // 'ENOSPC'
 * e.message // 'could not write runs/lenet/weights.safetensors: ENOSPC: no space left on device'
 * ```
 * @category Weights and files
 */
export const ioError = (operation: IoOperation, path: string, cause: unknown): IoError => {
  const code = errorCode(cause)
  const detail = cause instanceof Error ? cause.message : String(cause)
  const verb: Record<IoOperation, string> = {
    mkdir: 'create the directory for',
    write: 'write',
    rename: 'replace',
    read: 'read',
  }
  return {
    _tag: 'IoError',
    operation,
    path,
    ...(code === undefined ? {} : { code }),
    message: `could not ${verb[operation]} ${path}: ${detail}`,
    cause,
  }
}

const errorCode = (e: unknown): string | undefined =>
  typeof e === 'object' && e !== null && 'code' in e && typeof (e as { code: unknown }).code === 'string'
    ? (e as { code: string }).code
    : undefined

/**
 * The name of the temporary file used while writing `path`: hidden, in the same directory, unique per call.
 *
 * @example
 * ```ts
 * import { temporaryPathFor } from 'shapesafe/io'
 * temporaryPathFor('runs/lenet/weights.safetensors') // 'runs/lenet/.weights.safetensors.4242.9f1c03ab52de.tmp'
 * ```
 * @category Weights and files
 */
export const temporaryPathFor = (path: string): string => {
  const dir = nodePath.dirname(path)
  const base = nodePath.basename(path)
  return nodePath.join(dir, `.${base}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`)
}

/**
 * Writes `data` to `path` atomically: temporary file in the same directory, write, fsync, rename over `path`.
 * Creates the parent directory if missing. On failure the temporary file is removed, `path` keeps its old
 * content (or stays absent), and the result is a `Left` with an {@link IoError}; it never throws.
 *
 * @category Weights and files
 * @example
 * ```ts
 * import { writeFileAtomic } from 'shapesafe/io'
 * const result = await writeFileAtomic('runs/lenet/summary.txt', 'accuracy 0.91\n')()
 * if (result._tag === 'Left') console.error(result.left.message)
 * ```
 */
export const writeFileAtomic =
  (path: string, data: Uint8Array | string, options: AtomicWriteOptions = {}): TE.TaskEither<IoError, void> =>
  async () => {
    const fs = options.fileSystem ?? nodeAtomicWriteFileSystem
    const bytes = typeof data === 'string' ? new TextEncoder().encode(data) : data
    const dir = nodePath.dirname(path)
    try {
      await fs.mkdir(dir)
    } catch (e) {
      return { _tag: 'Left', left: ioError('mkdir', path, e) }
    }
    const temp = temporaryPathFor(path)
    let step: IoOperation = 'write'
    try {
      await fs.writeNew(temp, bytes)
      step = 'rename'
      await fs.rename(temp, path)
    } catch (e) {
      await fs.remove(temp).catch(() => undefined)
      return { _tag: 'Left', left: ioError(step, path, e) }
    }
    if (fs.syncDirectory !== undefined) await fs.syncDirectory(dir).catch(() => undefined)
    return { _tag: 'Right', right: undefined }
  }

/**
 * Reads a whole file as bytes, as a `TaskEither` (`Left` with an {@link IoError} when it cannot be read).
 *
 * @category Weights and files
 * @example
 * ```ts
 * const bytes = await readFileBytes('weights.safetensors')()
 * ```
 */
export const readFileBytes =
  (path: string): TE.TaskEither<IoError, Uint8Array> =>
  async () => {
    try {
      const buffer = await fsp.readFile(path)
      return { _tag: 'Right', right: new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength) }
    } catch (e) {
      return { _tag: 'Left', left: ioError('read', path, e) }
    }
  }
