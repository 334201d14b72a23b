/**
 * Training checkpoints: two files that never tear.
 *
 * - `<path>.<pid>-<hex>.safetensors`: every tensor as F32, under a name unique to the save. Model weights keep their
 *   PyTorch `state_dict` names (`features.0.weight`), so this file also loads as a plain weights file once the
 *   optimizer entries are dropped (see {@link splitCheckpointTensors}); optimizer state is stored as
 *   `optim.<slot>.<param>` (e.g. `optim.m.features.0.weight` for Adam's first moment; see {@link optimizerTensorName}).
 * - `<path>.json`: `{ format, version, savedAt, tensors: { file, bytes, sha256, count }, meta }`: it names the tensors
 *   file and records its size and SHA-256; `meta` holds the model name and options, epoch, optimizer name and
 *   hyper-parameters, metrics history, seed and any extra JSON.
 *
 * A save writes the new tensors file, then replaces the JSON (the commit point), then removes the tensors file the old
 * JSON named: at every instant `<path>.json` names a complete tensors file (see {@link saveCheckpoint}).
 *
 * @module
 */
import { createHash, randomBytes } from 'node:crypto'
import { promises as fsp } from 'node:fs'
import * as nodePath from 'node:path'
import * as E from 'fp-ts/lib/Either.js'
import * as TE from 'fp-ts/lib/TaskEither.js'
import type { TaskEither } from 'fp-ts/lib/TaskEither.js'
import { type AtomicWriteFileSystem, type IoError, nodeAtomicWriteFileSystem, readFileBytes, writeFileAtomic } from './atomicWrite.js'
import { decodeSafetensors, encodeSafetensorsEither, toFloat32Array } from './safetensors.js'

// ---------------------------------------------------------------------------------------------------------------------
// model
// ---------------------------------------------------------------------------------------------------------------------

/**
 * A tensor as stored in a checkpoint (the trainer converts to and from tfjs).
 *
 * @category Weights and files
 */
export interface CheckpointTensor {
  readonly shape: readonly number[]
  readonly data: Float32Array
}

/**
 * What a checkpoint says about the run that produced it.
 *
 * Everything in it must be JSON-serialisable (checked when saving). Non-finite numbers (a `NaN` loss) are written
 * as `null`, as `JSON.stringify` does.
 *
 * @category Weights and files
 */
export interface CheckpointMeta {
  /** Zoo name of the model, e.g. `'resnet18'`. */
  readonly model: string
  /** The options the model was built with. */
  readonly modelOptions?: Readonly<Record<string, unknown>>
  /** Number of completed epochs. */
  readonly epoch: number
  readonly optimizer: {
    /** e.g. `'sgd'`, `'adam'`. */
    readonly name: string
    /** e.g. `{ learningRate: 0.01, momentum: 0.9 }`. */
    readonly hyperParameters: Readonly<Record<string, unknown>>
    /** Non-tensor optimizer state, e.g. Adam's step count. */
    readonly state?: Readonly<Record<string, unknown>>
  }
  /** One entry per completed epoch, e.g. `{ epoch: 1, trainLoss: 0.61, testAccuracy: 0.78 }`. */
  readonly metrics: ReadonlyArray<Readonly<Record<string, unknown>>>
  readonly seed?: number
  /** Anything else JSON-serialisable. */
  readonly extra?: unknown
}

/**
 * A checkpoint in memory: tensors by name (see the module doc for the naming layout) and metadata.
 *
 * @category Weights and files
 */
export interface Checkpoint {
  readonly tensors: ReadonlyMap<string, CheckpointTensor>
  readonly meta: CheckpointMeta
}

/**
 * What {@link saveCheckpoint} writes: the tensors by name (a map or a plain record) and the metadata.
 *
 * @category Weights and files
 */
export interface CheckpointToSave {
  readonly tensors: ReadonlyMap<string, CheckpointTensor> | Readonly<Record<string, CheckpointTensor>>
  readonly meta: CheckpointMeta
}

/**
 * Why a checkpoint could not be saved or loaded.
 *
 * @category Weights and files
 */
export type CheckpointErrorReason =
  | 'InvalidInput'
  | 'WriteFailed'
  | 'MissingMeta'
  | 'CorruptMeta'
  | 'MissingTensors'
  | 'CorruptTensors'
  | 'Inconsistent'

/**
 * A checkpoint problem, as a value; `message` is a complete sentence naming the file.
 *
 * @category Weights and files
 */
export interface CheckpointError {
  readonly _tag: 'CheckpointError'
  readonly reason: CheckpointErrorReason
  /** The checkpoint path as given (without extension). */
  readonly path: string
  readonly message: string
  readonly cause?: unknown
}

/** The `format` field of the JSON file. */
const FORMAT = 'shapesafe-checkpoint'
/** The `version` field of the JSON file; bump on incompatible layout changes. */
const VERSION = 2
/** Prefix of optimizer-state tensor names. */
const OPTIMIZER_PREFIX = 'optim.'

// ---------------------------------------------------------------------------------------------------------------------
// naming
// ---------------------------------------------------------------------------------------------------------------------

/**
 * The fixed file of the checkpoint at `path`: the JSON, which names the tensors file of the same save
 * (`<base>.<pid>-<hex>.safetensors`, unique per save, in the same directory).
 *
 * @category Weights and files
 * @example
 * ```ts
 * checkpointPaths('runs/lenet/epoch-3') // { meta: 'runs/lenet/epoch-3.json', dir: 'runs/lenet', base: 'epoch-3' }
 * ```
 */
export const checkpointPaths = (path: string): { readonly meta: string; readonly dir: string; readonly base: string } => ({
  meta: `${path}.json`,
  dir: nodePath.dirname(path),
  base: nodePath.basename(path),
})

/**
 * The tensor name of optimizer slot `slot` (no dots, e.g. `m`, `v`, `momentum`) for parameter `param`.
 *
 * @category Weights and files
 * @example
 * ```ts
 * optimizerTensorName('m', 'features.0.weight') // 'optim.m.features.0.weight'
 * ```
 */
export const optimizerTensorName = (slot: string, param: string): string => {
  if (slot.length === 0 || slot.includes('.')) throw new Error(`optimizer slot name must be non-empty without dots, got "${slot}"`)
  return `${OPTIMIZER_PREFIX}${slot}.${param}`
}

/**
 * Splits checkpoint tensors into model weights and optimizer state (`slot → param → tensor`).
 *
 * @category Weights and files
 * @example
 * ```ts
 * declare const checkpoint: SafetensorsFile
 * const { weights, optimizer } = splitCheckpointTensors(checkpoint.tensors)
 * optimizer.get('m')?.get('features.0.weight')
 * ```
 */
export const splitCheckpointTensors = <T>(
  tensors: ReadonlyMap<string, T>,
): { readonly weights: ReadonlyMap<string, T>; readonly optimizer: ReadonlyMap<string, ReadonlyMap<string, T>> } => {
  const weights = new Map<string, T>()
  const optimizer = new Map<string, Map<string, T>>()
  for (const [name, t] of tensors) {
    const dot = name.indexOf('.', OPTIMIZER_PREFIX.length)
    if (name.startsWith(OPTIMIZER_PREFIX) && dot > OPTIMIZER_PREFIX.length) {
      const slot = name.slice(OPTIMIZER_PREFIX.length, dot)
      const bySlot = optimizer.get(slot) ?? new Map<string, T>()
      bySlot.set(name.slice(dot + 1), t)
      optimizer.set(slot, bySlot)
    } else weights.set(name, t)
  }
  return { weights, optimizer }
}

// ---------------------------------------------------------------------------------------------------------------------
// validation
// ---------------------------------------------------------------------------------------------------------------------

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v)

/** What is wrong with a metadata object, or `undefined` if nothing. */
const metaProblem = (meta: unknown): string | undefined => {
  if (!isRecord(meta)) return '"meta" must be an object'
  if (typeof meta.model !== 'string') return '"meta.model" must be a string'
  if (meta.modelOptions !== undefined && !isRecord(meta.modelOptions)) return '"meta.modelOptions" must be an object'
  if (typeof meta.epoch !== 'number' || !Number.isInteger(meta.epoch) || meta.epoch < 0)
    return '"meta.epoch" must be a non-negative integer'
  const optimizer = meta.optimizer
  if (!isRecord(optimizer)) return '"meta.optimizer" must be an object'
  if (typeof optimizer.name !== 'string') return '"meta.optimizer.name" must be a string'
  if (!isRecord(optimizer.hyperParameters)) return '"meta.optimizer.hyperParameters" must be an object'
  if (optimizer.state !== undefined && !isRecord(optimizer.state)) return '"meta.optimizer.state" must be an object'
  if (!Array.isArray(meta.metrics) || !meta.metrics.every(isRecord)) return '"meta.metrics" must be a list of objects'
  if (meta.seed !== undefined && typeof meta.seed !== 'number') return '"meta.seed" must be a number'
  return undefined
}

const checkpointError = (reason: CheckpointErrorReason, path: string, message: string, cause?: unknown): CheckpointError => ({
  _tag: 'CheckpointError',
  reason,
  path,
  message,
  ...(cause === undefined ? {} : { cause }),
})

const sha256 = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex')

// ---------------------------------------------------------------------------------------------------------------------
// files of a checkpoint
// ---------------------------------------------------------------------------------------------------------------------

/**
 * The file-system primitives a checkpoint save and load use: those of an atomic write, plus listing a directory and
 * reading a file. The default is {@link nodeCheckpointFileSystem}; the fault-injection tests wrap it to stop a save
 * at each step.
 *
 * @category Weights and files
 */
export interface CheckpointFileSystem extends AtomicWriteFileSystem {
  /** The names in `dir` (not paths). */
  readonly readdir: (dir: string) => Promise<string[]>
}

/**
 * The real file system (`node:fs/promises`).
 *
 * @category Weights and files
 */
export const nodeCheckpointFileSystem: CheckpointFileSystem = {
  ...nodeAtomicWriteFileSystem,
  readdir: (dir) => fsp.readdir(dir),
}

/** The tensors file name of one save: unique, and carrying the writer's pid (see {@link isLeftOver}). */
const tensorsFileName = (base: string): string => `${base}.${process.pid}-${randomBytes(6).toString('hex')}.safetensors`

const escapeRegExp = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')

/**
 * Whether `name` (in the checkpoint's directory) is a file some save of the checkpoint `base` wrote and that is not
 * part of a complete checkpoint, and the pid of its writer: a temporary file of the JSON or of a tensors file, or a
 * tensors file of this checkpoint's naming scheme. The caller decides with the JSON which tensors file is current.
 */
const leftOverPid = (base: string, name: string): { readonly pid: number; readonly temporary: boolean } | undefined => {
  const b = escapeRegExp(base)
  const temporary = new RegExp(`^\\.${b}\\.(?:json|safetensors|\\d+-[0-9a-f]+\\.safetensors)\\.(\\d+)\\.[0-9a-f]+\\.tmp$`).exec(name)
  if (temporary !== null) return { pid: Number(temporary[1]), temporary: true }
  const tensors = new RegExp(`^${b}\\.(\\d+)-[0-9a-f]+\\.safetensors$`).exec(name)
  if (tensors !== null) return { pid: Number(tensors[1]), temporary: false }
  return undefined
}

/** Whether process `pid` is running (a process we may not signal still runs). */
const processRuns = (pid: number): boolean => {
  try {
    process.kill(pid, 0)
    return true
  } catch (e) {
    return (e as { code?: string }).code === 'EPERM'
  }
}

/**
 * Removes what interrupted saves of the checkpoint `base` left in `dir`: their temporary files, and tensors files the
 * JSON does not name (`current`), the superseded one included, written by this process or by one that no longer
 * runs, so a save in progress in another process is never disturbed. A version-1 tensors file goes only after a save
 * (`afterOwnSave`). Best effort: a file that cannot be removed stays.
 */
const removeLeftOvers = async (
  fs: CheckpointFileSystem,
  dir: string,
  base: string,
  current: string | undefined,
  afterOwnSave: boolean,
): Promise<void> => {
  let names: string[]
  try {
    names = await fs.readdir(dir)
  } catch {
    return
  }
  let removed = false
  for (const name of names) {
    if (name === current) continue
    const legacy = name === `${base}.safetensors` // the tensors file of a version-1 checkpoint
    const left = leftOverPid(base, name)
    if (left === undefined && !(legacy && afterOwnSave)) continue
    if (left !== undefined && left.pid !== process.pid && processRuns(left.pid)) continue
    await fs.remove(nodePath.join(dir, name)).catch(() => undefined)
    removed = true
  }
  if (removed && fs.syncDirectory !== undefined) await fs.syncDirectory(dir).catch(() => undefined)
}

/** The tensors file name recorded in a checkpoint JSON, if it is one (a plain name in the same directory). */
const recordedTensorsFile = (document: unknown, base: string): string | undefined => {
  if (!isRecord(document) || document.format !== FORMAT) return undefined
  const info = document.tensors
  if (!isRecord(info)) return undefined
  if (info.file === undefined && document.version === 1) return `${base}.safetensors`
  return typeof info.file === 'string' && info.file === nodePath.basename(info.file) && info.file !== '..' ? info.file : undefined
}

// ---------------------------------------------------------------------------------------------------------------------
// saving and loading
// ---------------------------------------------------------------------------------------------------------------------

/**
 * Options of {@link saveCheckpoint} and {@link loadCheckpoint}.
 *
 * @category Weights and files
 */
export interface CheckpointFileOptions {
  /** File-system primitives; default {@link nodeCheckpointFileSystem}. */
  readonly fileSystem?: CheckpointFileSystem
}

/**
 * Saves a checkpoint so that at every instant the newest complete checkpoint is on disk:
 *
 * 1. the tensors go to a new file with a unique name, `<path>.<pid>-<hex>.safetensors` (written to a temporary file,
 *    fsynced, renamed, directory fsynced);
 * 2. `<path>.json`, which names that file and records its size and SHA-256, replaces the old JSON the same way —
 *    this rename is the moment the new checkpoint takes over;
 * 3. the tensors file of the previous save and anything an interrupted save left behind are removed.
 *
 * Stopped before step 2 completes, the old JSON still names the old, untouched tensors; after it, the new pair is
 * complete. Parent directories are created. Invalid input (data length ≠ product(shape), a meta that is not valid
 * or not JSON-serialisable, a path ending in a separator) is an `InvalidInput` error and nothing is written.
 *
 * @category Weights and files
 * @example
 * ```ts
 * await saveCheckpoint('runs/lenet/last', {
 *   tensors: { 'fc.bias': { shape: [10], data: new Float32Array(10) } },
 *   meta: { model: 'lenet', epoch: 3, optimizer: { name: 'sgd', hyperParameters: { learningRate: 0.9 } }, metrics: [] },
 * })()
 * ```
 */
export const saveCheckpoint =
  (
    path: string,
    checkpoint: CheckpointToSave,
    options: CheckpointFileOptions = {},
  ): TaskEither<CheckpointError, void> =>
  async () => {
    const fs = options.fileSystem ?? nodeCheckpointFileSystem
    const paths = checkpointPaths(path)
    const invalid = (message: string, cause?: unknown) =>
      E.left(checkpointError('InvalidInput', path, `cannot save checkpoint ${path}: ${message}`, cause))
    if (endsWithSeparator(path))
      return invalid('the path names a directory; give a file path without extension, e.g. runs/lenet/checkpoint')

    const entries =
      checkpoint.tensors instanceof Map
        ? [...(checkpoint.tensors as ReadonlyMap<string, CheckpointTensor>).entries()]
        : Object.entries(checkpoint.tensors as Readonly<Record<string, CheckpointTensor>>)
    for (const [name, t] of entries)
      if (!(t.data instanceof Float32Array)) return invalid(`tensor "${name}" must hold a Float32Array`)
    const encoded = encodeSafetensorsEither(
      entries.map(([name, t]) => ({ name, shape: t.shape, data: t.data })),
      { format: FORMAT },
    )
    if (E.isLeft(encoded)) return invalid(encoded.left.message, encoded.left)

    const problem = metaProblem(checkpoint.meta)
    if (problem !== undefined) return invalid(problem)
    const file = tensorsFileName(paths.base)
    let json: string
    try {
      const document = {
        format: FORMAT,
        version: VERSION,
        savedAt: new Date().toISOString(),
        tensors: {
          file,
          bytes: encoded.right.byteLength,
          sha256: sha256(encoded.right),
          count: entries.length,
        },
        meta: checkpoint.meta,
      }
      json = `${JSON.stringify(document, null, 2)}\n`
    } catch (e) {
      return invalid(`meta is not JSON-serialisable (${e instanceof Error ? e.message : String(e)})`, e)
    }

    const writeFailed = (io: IoError) =>
      E.left(checkpointError('WriteFailed', path, `cannot save checkpoint ${path}: ${io.message}`, io))
    const tensorsWritten = await writeFileAtomic(nodePath.join(paths.dir, file), encoded.right, { fileSystem: fs })()
    if (E.isLeft(tensorsWritten)) return writeFailed(tensorsWritten.left)
    const metaWritten = await writeFileAtomic(paths.meta, json, { fileSystem: fs })()
    if (E.isLeft(metaWritten)) {
      await fs.remove(nodePath.join(paths.dir, file)).catch(() => undefined)
      return writeFailed(metaWritten.left)
    }
    await removeLeftOvers(fs, paths.dir, paths.base, file, true)
    return E.right(undefined)
  }

const endsWithSeparator = (path: string): boolean => path === '' || path.endsWith('/') || path.endsWith(nodePath.sep)

/**
 * Loads the checkpoint saved at `path` by {@link saveCheckpoint}. Errors name the file and say what is wrong:
 * `MissingMeta` (no `<path>.json`: never saved), `CorruptMeta`, `MissingTensors`, `CorruptTensors` (not a valid
 * safetensors file, or a non-float tensor), `Inconsistent` (the tensors file is not the one the JSON describes: it
 * was replaced or damaged). Temporary and orphaned files that saves interrupted by a crash left behind are removed.
 *
 * @category Weights and files
 * @example
 * ```ts
 * const loaded = await loadCheckpoint('runs/lenet/last')()
 * if (loaded._tag === 'Right') console.log(loaded.right.meta.epoch)
 * ```
 */
export const loadCheckpoint =
  (path: string, options: CheckpointFileOptions = {}): TE.TaskEither<CheckpointError, Checkpoint> =>
  async () => {
    const fs = options.fileSystem ?? nodeCheckpointFileSystem
    const paths = checkpointPaths(path)
    const fail = (reason: CheckpointErrorReason, message: string, cause?: unknown) =>
      E.left(checkpointError(reason, path, `cannot load checkpoint ${path}: ${message}`, cause))
    if (endsWithSeparator(path))
      return fail('MissingMeta', 'the path names a directory; give the checkpoint path without extension, e.g. runs/lenet/checkpoint')

    const metaBytes = await readFileBytes(paths.meta)()
    if (E.isLeft(metaBytes)) {
      if (metaBytes.left.code !== 'ENOENT') return fail('MissingMeta', metaBytes.left.message, metaBytes.left)
      return fail('MissingMeta', `${paths.meta} not found`, metaBytes.left)
    }
    let document: unknown
    try {
      document = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(metaBytes.right))
    } catch (e) {
      return fail('CorruptMeta', `${paths.meta} is not valid JSON (${e instanceof Error ? e.message : String(e)})`, e)
    }
    if (!isRecord(document) || document.format !== FORMAT)
      return fail('CorruptMeta', `${paths.meta} is not a shapesafe checkpoint (no "format": "${FORMAT}")`)
    if (document.version !== VERSION && document.version !== 1)
      return fail('CorruptMeta', `${paths.meta} has version ${JSON.stringify(document.version)}; this version reads 1 and ${VERSION}`)
    const info = document.tensors
    if (!isRecord(info) || typeof info.bytes !== 'number' || typeof info.sha256 !== 'string')
      return fail('CorruptMeta', `${paths.meta}: "tensors" must record the tensor file's "bytes" and "sha256"`)
    const file = recordedTensorsFile(document, paths.base)
    if (file === undefined)
      return fail('CorruptMeta', `${paths.meta}: "tensors.file" must name a file in the same directory`)
    const problem = metaProblem(document.meta)
    if (problem !== undefined) return fail('CorruptMeta', `${paths.meta}: ${problem}`)
    const meta = document.meta as unknown as CheckpointMeta
    await removeLeftOvers(fs, paths.dir, paths.base, file, false)

    const tensorsPath = nodePath.join(paths.dir, file)
    const tensorBytes = await readFileBytes(tensorsPath)()
    if (E.isLeft(tensorBytes))
      return fail(
        'MissingTensors',
        tensorBytes.left.code === 'ENOENT' ? `${tensorsPath} (named by ${paths.meta}) not found` : tensorBytes.left.message,
        tensorBytes.left,
      )
    const bytes = tensorBytes.right
    if (bytes.byteLength !== info.bytes || sha256(bytes) !== info.sha256)
      return fail(
        'Inconsistent',
        `${tensorsPath} (${bytes.byteLength} bytes) is not the file ${paths.meta} describes ` +
          `(${info.bytes} bytes, different SHA-256): it was replaced or damaged`,
      )
    const decoded = decodeSafetensors(bytes, { source: tensorsPath })
    if (E.isLeft(decoded)) return fail('CorruptTensors', decoded.left.message, decoded.left)

    const tensors = new Map<string, CheckpointTensor>()
    for (const [name, t] of decoded.right.tensors) {
      const data = toFloat32Array(t, { name, source: tensorsPath })
      if (E.isLeft(data)) return fail('CorruptTensors', data.left.message, data.left)
      tensors.set(name, { shape: t.shape, data: data.right })
    }
    return E.right({ tensors, meta })
  }

/**
 * Whether a checkpoint exists at `path` (its JSON does), e.g. to refuse to overwrite one.
 *
 * @category Weights and files
 * @example
 * ```ts
 * if (await checkpointExists('runs/lenet')) console.error('runs/lenet exists; pass --resume or --overwrite')
 * ```
 */
export const checkpointExists = async (path: string): Promise<boolean> => {
  try {
    await fsp.stat(checkpointPaths(path).meta)
    return true
  } catch {
    return false
  }
}

/**
 * The tensors file the checkpoint at `path` currently uses (named by its JSON), or `undefined` when there is none.
 *
 * @category Weights and files
 * @example
 * ```ts
 * await checkpointTensorsPath('runs/lenet') // 'runs/lenet.12345-0a1b2c3d4e5f.safetensors'
 * ```
 */
export const checkpointTensorsPath = async (path: string): Promise<string | undefined> => {
  const paths = checkpointPaths(path)
  try {
    const file = recordedTensorsFile(JSON.parse(await fsp.readFile(paths.meta, 'utf8')), paths.base)
    return file === undefined ? undefined : nodePath.join(paths.dir, file)
  } catch {
    return undefined
  }
}
