/**
 * Training checkpoints: a pair of files written atomically.
 *
 * - `<path>.safetensors`: every tensor as F32. Model weights keep their PyTorch `state_dict` names
 *   (`features.0.weight`), so this file also loads as a plain weights file once the optimizer entries are dropped
 *   (see {@link splitCheckpointTensors}); optimizer state is stored as `optim.<slot>.<param>`
 *   (e.g. `optim.m.features.0.weight` for Adam's first moment; see {@link optimizerTensorName}).
 * - `<path>.json`: `{ format, version, savedAt, tensors: { bytes, sha256, count }, meta }` where `meta` holds the
 *   model name and options, epoch, optimizer name and hyper-parameters, metrics history, seed and any extra JSON.
 *
 * The tensors are written first and the JSON last, so a checkpoint whose JSON exists is complete. The JSON records
 * the size and SHA-256 of the tensors file, so a save interrupted between the two renames (new tensors, old JSON)
 * is detected on load rather than silently mixing two epochs.
 *
 * @module
 */
import { createHash } from 'node:crypto'
import { existsSync } from 'node:fs'
import * as nodePath from 'node:path'
import * as E from 'fp-ts/lib/Either.js'
import * as TE from 'fp-ts/lib/TaskEither.js'
import { type IoError, readFileBytes, writeFileAtomic } from './atomicWrite.js'
import { decodeSafetensors, encodeSafetensorsEither, toFloat32Array } from '../io/safetensors.js'

// ---------------------------------------------------------------------------------------------------------------------
// model
// ---------------------------------------------------------------------------------------------------------------------

/**
 * A tensor as stored in a checkpoint (the trainer converts to and from tfjs).
 *
 * @category model
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
 * @category model
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
 * @category model
 */
export interface Checkpoint {
  readonly tensors: ReadonlyMap<string, CheckpointTensor>
  readonly meta: CheckpointMeta
}

/**
 * Why a checkpoint could not be saved or loaded.
 *
 * @category model
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
 * @category model
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
const VERSION = 1
/** Prefix of optimizer-state tensor names. */
const OPTIMIZER_PREFIX = 'optim.'

// ---------------------------------------------------------------------------------------------------------------------
// naming
// ---------------------------------------------------------------------------------------------------------------------

/**
 * The two files of the checkpoint at `path`.
 *
 * @category naming
 * @example
 * ```ts
 * checkpointPaths('runs/lenet/epoch-3') // { tensors: 'runs/lenet/epoch-3.safetensors', meta: 'runs/lenet/epoch-3.json' }
 * ```
 */
export const checkpointPaths = (path: string): { readonly tensors: string; readonly meta: string } => ({
  tensors: `${path}.safetensors`,
  meta: `${path}.json`,
})

/**
 * The tensor name of optimizer slot `slot` (no dots, e.g. `m`, `v`, `momentum`) for parameter `param`.
 *
 * @category naming
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
 * @category naming
 * @example
 * ```ts
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
// saving and loading
// ---------------------------------------------------------------------------------------------------------------------

/**
 * Saves a checkpoint as `<path>.safetensors` then `<path>.json`, each atomically (parent directories are created).
 * Invalid input (data length ≠ product(shape), a meta that is not valid or not JSON-serialisable) is an
 * `InvalidInput` error and nothing is written.
 *
 * @category files
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
    checkpoint: {
      readonly tensors: ReadonlyMap<string, CheckpointTensor> | Readonly<Record<string, CheckpointTensor>>
      readonly meta: CheckpointMeta
    },
  ): TE.TaskEither<CheckpointError, void> =>
  async () => {
    const paths = checkpointPaths(path)
    const invalid = (message: string, cause?: unknown) =>
      E.left(checkpointError('InvalidInput', path, `cannot save checkpoint ${path}: ${message}`, cause))

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
    let json: string
    try {
      const document = {
        format: FORMAT,
        version: VERSION,
        savedAt: new Date().toISOString(),
        tensors: {
          file: nodePath.basename(paths.tensors),
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
    const tensorsWritten = await writeFileAtomic(paths.tensors, encoded.right)()
    if (E.isLeft(tensorsWritten)) return writeFailed(tensorsWritten.left)
    const metaWritten = await writeFileAtomic(paths.meta, json)()
    if (E.isLeft(metaWritten)) return writeFailed(metaWritten.left)
    return E.right(undefined)
  }

/**
 * Loads the checkpoint saved at `path` by {@link saveCheckpoint}. Errors name the file and say what is wrong:
 * `MissingMeta` (no `<path>.json`: never saved, or a save that did not finish), `CorruptMeta`, `MissingTensors`,
 * `CorruptTensors` (not a valid safetensors file, or a non-float tensor), `Inconsistent` (the tensors file is not
 * the one the JSON describes: a save was interrupted between its two files).
 *
 * @category files
 * @example
 * ```ts
 * const loaded = await loadCheckpoint('runs/lenet/last')()
 * if (loaded._tag === 'Right') console.log(loaded.right.meta.epoch)
 * ```
 */
export const loadCheckpoint =
  (path: string): TE.TaskEither<CheckpointError, Checkpoint> =>
  async () => {
    const paths = checkpointPaths(path)
    const fail = (reason: CheckpointErrorReason, message: string, cause?: unknown) =>
      E.left(checkpointError(reason, path, `cannot load checkpoint ${path}: ${message}`, cause))

    const metaBytes = await readFileBytes(paths.meta)()
    if (E.isLeft(metaBytes)) {
      if (metaBytes.left.code !== 'ENOENT') return fail('MissingMeta', metaBytes.left.message, metaBytes.left)
      return fail(
        'MissingMeta',
        existsSync(paths.tensors)
          ? `${paths.meta} not found, but ${paths.tensors} exists: the save did not finish, so the checkpoint is incomplete`
          : `${paths.meta} not found`,
        metaBytes.left,
      )
    }
    let document: unknown
    try {
      document = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(metaBytes.right))
    } catch (e) {
      return fail('CorruptMeta', `${paths.meta} is not valid JSON (${e instanceof Error ? e.message : String(e)})`, e)
    }
    if (!isRecord(document) || document.format !== FORMAT)
      return fail('CorruptMeta', `${paths.meta} is not a shapesafe checkpoint (no "format": "${FORMAT}")`)
    if (document.version !== VERSION)
      return fail('CorruptMeta', `${paths.meta} has version ${JSON.stringify(document.version)}; this version reads ${VERSION}`)
    const info = document.tensors
    if (!isRecord(info) || typeof info.bytes !== 'number' || typeof info.sha256 !== 'string')
      return fail('CorruptMeta', `${paths.meta}: "tensors" must record the tensor file's "bytes" and "sha256"`)
    const problem = metaProblem(document.meta)
    if (problem !== undefined) return fail('CorruptMeta', `${paths.meta}: ${problem}`)
    const meta = document.meta as unknown as CheckpointMeta

    const tensorBytes = await readFileBytes(paths.tensors)()
    if (E.isLeft(tensorBytes))
      return fail(
        'MissingTensors',
        tensorBytes.left.code === 'ENOENT' ? `${paths.tensors} not found` : tensorBytes.left.message,
        tensorBytes.left,
      )
    const bytes = tensorBytes.right
    if (bytes.byteLength !== info.bytes || sha256(bytes) !== info.sha256)
      return fail(
        'Inconsistent',
        `${paths.tensors} (${bytes.byteLength} bytes) is not the file ${paths.meta} describes ` +
          `(${info.bytes} bytes, different SHA-256): a save was interrupted or the file was replaced`,
      )
    const decoded = decodeSafetensors(bytes, { source: paths.tensors })
    if (E.isLeft(decoded)) return fail('CorruptTensors', decoded.left.message, decoded.left)

    const tensors = new Map<string, CheckpointTensor>()
    for (const [name, t] of decoded.right.tensors) {
      const data = toFloat32Array(t, { name, source: paths.tensors })
      if (E.isLeft(data)) return fail('CorruptTensors', data.left.message, data.left)
      tensors.set(name, { shape: t.shape, data: data.right })
    }
    return E.right({ tensors, meta })
  }
