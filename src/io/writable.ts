/**
 * Whether a file or directory can be written, found out before any work is done: a run that trains for an hour and
 * then cannot save its result has lost the hour. {@link checkWritable} creates and removes an empty probe file where
 * the output would go (the nearest existing directory when the path's directories do not exist yet, since writers
 * create them), so a read-only file system (EROFS), a missing permission (EACCES), a file in the way of a directory
 * (ENOTDIR) or a directory in the way of a file (EISDIR) is reported up front, naming the path.
 * @module
 */
import { randomBytes } from 'node:crypto'
import { promises as fsp } from 'node:fs'
import * as nodePath from 'node:path'

/**
 * Why a path cannot be written: the path as given, the Node error code and a sentence naming both.
 * @category Weights and files
 */
export interface NotWritable {
  readonly _tag: 'NotWritable'
  /** The path as given. */
  readonly path: string
  /** The Node error code (`EROFS`, `EACCES`, `ENOTDIR`, `EISDIR`, ...), when there is one. */
  readonly code?: string
  /** `cannot write runs/x.json: read-only file system (EROFS) at /mnt/ro`. */
  readonly message: string
}

const reasons: Readonly<Record<string, string>> = {
  EROFS: 'read-only file system',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  ENOTDIR: 'a file is in the way of a directory',
  EISDIR: 'it is a directory',
  ENOSPC: 'no space left on the device',
  EDQUOT: 'disk quota exceeded',
}

const codeOf = (e: unknown): string | undefined =>
  typeof e === 'object' && e !== null && typeof (e as { code?: unknown }).code === 'string' ? (e as { code: string }).code : undefined

/** The nearest existing ancestor of `dir` (itself if it exists), and whether that is a directory. */
async function nearestExisting(dir: string): Promise<{ readonly path: string; readonly isDirectory: boolean }> {
  let current = nodePath.resolve(dir)
  for (;;) {
    try {
      const stat = await fsp.stat(current)
      return { path: current, isDirectory: stat.isDirectory() }
    } catch (e) {
      const parent = nodePath.dirname(current)
      if ((codeOf(e) !== 'ENOENT' && codeOf(e) !== 'ENOTDIR') || parent === current) return { path: current, isDirectory: false }
      current = parent
    }
  }
}

/**
 * Checks that `path` can be written: as a file that will be replaced atomically (`kind: 'file'`, the default: its
 * directory must take a new file, and `path` must not be a directory), or as a directory to write files into
 * (`kind: 'directory'`). Resolves to `undefined` when it can, to a {@link NotWritable} naming the path and the
 * reason otherwise. Leaves nothing behind: no probe file, no directory created.
 * @example
 * ```ts
 * const problem = await checkWritable('runs/lenet.json')
 * if (problem !== undefined) console.error(problem.message) // cannot write runs/lenet.json: read-only file system (EROFS) at /srv/runs
 * ```
 * @category Weights and files
 */
export async function checkWritable(path: string, kind: 'file' | 'directory' = 'file'): Promise<NotWritable | undefined> {
  const fail = (code: string | undefined, where: string, detail?: string): NotWritable => ({
    _tag: 'NotWritable',
    path,
    ...(code === undefined ? {} : { code }),
    message: `cannot write ${path}: ${detail ?? reasons[code ?? ''] ?? 'it cannot be written'}${code === undefined ? '' : ` (${code})`}${
      nodePath.resolve(where) === nodePath.resolve(path) ? '' : ` at ${where}`
    }`,
  })
  if (kind === 'file') {
    const existing = await fsp.stat(path).catch(() => undefined)
    if (existing?.isDirectory() === true) return fail('EISDIR', path)
  }
  const dir = kind === 'file' ? nodePath.dirname(path) : path
  const target = await nearestExisting(dir)
  if (!target.isDirectory) return fail('ENOTDIR', path, `${target.path} is not a directory`)
  const probe = nodePath.join(target.path, `.shapesafe-write-test.${process.pid}.${randomBytes(4).toString('hex')}`)
  try {
    const handle = await fsp.open(probe, 'wx')
    await handle.close()
  } catch (e) {
    return fail(codeOf(e), target.path)
  }
  await fsp.rm(probe, { force: true }).catch(() => undefined)
  return undefined
}
