/**
 * Saving and resuming training runs with {@link saveCheckpoint}/{@link loadCheckpoint}: model weights under their
 * PyTorch `state_dict` names and layouts (via `toStateDict`), optimizer slots as `optim.<slot>.<param>` in the same
 * layout as their parameter, and the run's metadata (model, options, epoch, optimizer and hyper-parameters, metrics
 * history, seed) in the JSON file.
 *
 * @module
 */
import * as E from 'fp-ts/lib/Either.js'
import * as TE from 'fp-ts/lib/TaskEither.js'
import { stateDictSpecs } from '../graph/ir.js'
import {
  type CheckpointMeta,
  type CheckpointTensor,
  loadCheckpoint,
  optimizerTensorName,
  saveCheckpoint,
  splitCheckpointTensors,
} from '../io/checkpoint.js'
import type { CompiledModel, TensorMap } from '../runtime/model.js'
import type { TrainingState, TrainOptions } from './fit.js'
import { makeOptimizer, type OptimizerState } from './optimizers.js'
import type { EpochMetrics } from './progress.js'

/**
 * Which model a run trains: its zoo name and the options its graph was built with.
 *
 * @category model
 */
export interface RunIdentity {
  readonly model: string
  readonly modelOptions: { readonly input: readonly number[]; readonly classes: number }
}

/**
 * A training checkpoint that could not be written or resumed; `message` is a complete sentence.
 *
 * @category model
 */
export interface TrainingCheckpointError {
  readonly _tag: 'TrainingCheckpointError'
  readonly message: string
}

const failure = (message: string): TrainingCheckpointError => ({ _tag: 'TrainingCheckpointError', message })

const toEntries = (dict: Map<string, { shape: number[]; data: Float32Array }>): [string, CheckpointTensor][] =>
  [...dict].map(([name, t]) => [name, { shape: t.shape, data: t.data }])

/**
 * The checkpoint metadata of a run.
 *
 * @category constructors
 */
export const trainingMeta = (identity: RunIdentity, options: TrainOptions, state: TrainingState): CheckpointMeta => {
  const { name, ...hyperParameters } = options.optimizer
  return {
    model: identity.model,
    modelOptions: { input: [...identity.modelOptions.input], classes: identity.modelOptions.classes },
    epoch: state.epoch,
    optimizer: { name, hyperParameters, state: { step: state.optimizer.step } },
    metrics: state.history.map((m) => ({ ...m })),
    seed: options.seed,
    extra: { trainOptions: options },
  }
}

/**
 * Writes `state` as the checkpoint at `path` (`<path>.safetensors` + `<path>.json`, each atomically).
 *
 * @example
 * ```ts
 * await saveTrainingCheckpoint('runs/lenet', model, state, { model: 'lenet', modelOptions }, options)()
 * ```
 * @category files
 */
export const saveTrainingCheckpoint = (
  path: string,
  model: CompiledModel,
  state: TrainingState,
  identity: RunIdentity,
  options: TrainOptions,
): TE.TaskEither<TrainingCheckpointError, void> => {
  const tensors = new Map<string, CheckpointTensor>(toEntries(model.toStateDict(state.model)))
  const trainable = new Set(model.trainable.map((p) => p.name))
  for (const [slot, values] of state.optimizer.slots) {
    // The optimizer slot has the parameter's internal layout; toStateDict converts it like the parameter itself.
    const dict = model.toStateDict({ params: values, stats: state.model.stats })
    for (const [name, t] of dict) if (trainable.has(name)) tensors.set(optimizerTensorName(slot, name), t)
  }
  return TE.mapLeft((e: { message: string }) => failure(e.message))(
    saveCheckpoint(path, { tensors, meta: trainingMeta(identity, options, state) }),
  )
}

/**
 * A run read back from a checkpoint.
 *
 * @category model
 */
export interface ResumedRun {
  readonly state: TrainingState
  readonly identity: RunIdentity
  /** The options the run was started with. */
  readonly options: TrainOptions
}

const isTrainOptions = (v: unknown): v is TrainOptions => {
  if (typeof v !== 'object' || v === null) return false
  const o = v as Record<string, unknown>
  const optimizer = o.optimizer as Record<string, unknown> | undefined
  return (
    typeof o.epochs === 'number' &&
    typeof o.batchSize === 'number' &&
    typeof o.seed === 'number' &&
    typeof optimizer === 'object' &&
    optimizer !== null &&
    (optimizer.name === 'sgd' || optimizer.name === 'adam') &&
    typeof optimizer.learningRate === 'number'
  )
}

type RunInfo = { readonly identity: RunIdentity; readonly options: TrainOptions; readonly epoch: number }

const runInfoOf = (path: string, meta: CheckpointMeta): E.Either<TrainingCheckpointError, RunInfo> => {
  const trainOptions = (meta.extra as { trainOptions?: unknown } | undefined)?.trainOptions
  const modelOptions = meta.modelOptions as { input?: unknown; classes?: unknown } | undefined
  if (!isTrainOptions(trainOptions) || !Array.isArray(modelOptions?.input) || typeof modelOptions?.classes !== 'number')
    return E.left(failure(`cannot resume from ${path}: it was not written by "shapesafe train" (no training options)`))
  return E.right({
    identity: { model: meta.model, modelOptions: { input: modelOptions.input as number[], classes: modelOptions.classes } },
    options: trainOptions,
    epoch: meta.epoch,
  })
}

/**
 * Reads the options, model identity and completed epochs a checkpoint was written with, without creating tensors.
 *
 * @example
 * ```ts
 * const info = await readRunInfo('runs/lenet')() // Right({ identity: { model: 'lenet', ... }, options, epoch: 2 })
 * ```
 * @category files
 */
export const readRunInfo =
  (path: string): TE.TaskEither<TrainingCheckpointError, RunInfo> =>
  async () => {
    const loaded = await loadCheckpoint(path)()
    return E.isLeft(loaded) ? E.left(failure(loaded.left.message)) : runInfoOf(path, loaded.right.meta)
  }

/**
 * Loads the checkpoint at `path` into a training state for `model` (which must be the model it was saved from:
 * every weight and optimizer slot must be present with its shape, or the whole load fails with a message listing
 * the differences).
 *
 * @example
 * ```ts
 * const resumed = await loadTrainingCheckpoint('runs/lenet', model)()
 * ```
 * @category files
 */
export const loadTrainingCheckpoint =
  (path: string, model: CompiledModel): TE.TaskEither<TrainingCheckpointError, ResumedRun> =>
  async () => {
    const loaded = await loadCheckpoint(path)()
    if (E.isLeft(loaded)) return E.left(failure(loaded.left.message))
    const info = runInfoOf(path, loaded.right.meta)
    if (E.isLeft(info)) return info
    const { weights, optimizer } = splitCheckpointTensors(loaded.right.tensors)
    const meta = loaded.right.meta
    const { options, identity } = info.right

    const specs = stateDictSpecs(model.graph)
    const problems: string[] = []
    const check = (tensors: ReadonlyMap<string, CheckpointTensor>, names: readonly { name: string; shape: readonly number[] }[], what: string) => {
      for (const { name, shape } of names) {
        const t = tensors.get(name)
        if (t === undefined) problems.push(`missing ${what} ${name}`)
        else if (t.shape.length !== shape.length || t.shape.some((d, i) => d !== shape[i]))
          problems.push(`${what} ${name} has shape [${t.shape.join(', ')}], the model expects [${shape.join(', ')}]`)
      }
    }
    check(weights, specs, 'weight')
    const known = new Set(specs.map((s) => s.name))
    for (const name of weights.keys()) if (!known.has(name)) problems.push(`unexpected weight ${name}`)
    const slotNames = makeOptimizer(options.optimizer).slotNames
    for (const slot of slotNames) check(optimizer.get(slot) ?? new Map(), model.trainable, `optimizer "${slot}" state for`)
    if (problems.length > 0)
      return E.left(
        failure(`cannot resume from ${path}: it does not match the model "${identity.model}":\n  ${problems.slice(0, 10).join('\n  ')}`),
      )

    const dataOf = (m: ReadonlyMap<string, CheckpointTensor>) => new Map([...m].map(([n, t]) => [n, t.data]))
    const modelState = model.fromStateDict(dataOf(weights))
    const slots = new Map<string, TensorMap>()
    for (const slot of slotNames) {
      // Build a full state dict (slot values for parameters, the real running statistics) and keep the parameters.
      const dict = new Map(dataOf(weights))
      for (const [name, t] of optimizer.get(slot)!) dict.set(name, t.data)
      const converted = model.fromStateDict(dict)
      for (const t of converted.stats.values()) t.dispose()
      slots.set(slot, converted.params)
    }
    const step = (meta.optimizer.state as { step?: unknown } | undefined)?.step
    const optimizerState: OptimizerState = { step: typeof step === 'number' ? step : 0, slots }
    const history = meta.metrics as unknown as EpochMetrics[]
    return E.right({ state: { model: modelState, optimizer: optimizerState, epoch: meta.epoch, history }, identity, options })
  }
