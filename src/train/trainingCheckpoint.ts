// Over 400 lines on purpose: the checkpoint reader and its validation serve both writers (the tfjs training state and
// any engine's host tensors); the file format they agree on reads best in one place.
/**
 * Saving and resuming training runs with {@link saveCheckpoint}/{@link loadCheckpoint}: model weights under their
 * PyTorch `state_dict` names and layouts (via `toStateDict`), optimizer slots as `optim.<slot>.<param>` in the same
 * layout as their parameter, and the run's metadata (model, options, epoch, optimizer and hyper-parameters, metrics
 * history, seed) in the JSON file.
 *
 * @module
 */
import { createHash } from 'node:crypto'
import * as E from 'fp-ts/lib/Either.js'
import { pipe } from 'fp-ts/lib/function.js'
import * as TE from 'fp-ts/lib/TaskEither.js'
import type { TaskEither } from 'fp-ts/lib/TaskEither.js'
import { stateDictSpecs, trainableParams, type Graph } from '../graph/ir.js'
import {
  type CheckpointMeta,
  type CheckpointTensor,
  loadCheckpoint,
  optimizerTensorName,
  saveCheckpoint,
  splitCheckpointTensors,
} from '../io/checkpoint.js'
import type { Split } from '../data/fashionMnist.js'
import type { TrainableEngineModel } from '../runtime/engine.js'
import { initSchemes, type InitScheme } from '../runtime/init.js'
import type { CompiledModel, TensorMap } from '../runtime/model.js'
import type { EngineProgress } from './engineFit.js'
import type { TrainingState, TrainOptions } from './fit.js'
import { makeOptimizer, type OptimizerState } from './optimizers.js'
import type { EpochMetrics } from './progress.js'

/**
 * Which model a run trains: its zoo name and the options its graph was built with.
 *
 * @category Training
 */
export interface RunIdentity {
  readonly model: string
  /** The net's input and classes, and `fitClassifier: true` when its first Linear was sized to the input. */
  readonly modelOptions: { readonly input: readonly number[]; readonly classes: number; readonly fitClassifier?: true }
}

/**
 * A training checkpoint that could not be written or resumed; `message` is a complete sentence.
 *
 * @category Training
 */
export interface TrainingCheckpointError {
  readonly _tag: 'TrainingCheckpointError'
  readonly message: string
}

const failure = (message: string): TrainingCheckpointError => ({ _tag: 'TrainingCheckpointError', message })

const toEntries = (dict: Map<string, { shape: number[]; data: Float32Array }>): [string, CheckpointTensor][] =>
  [...dict].map(([name, t]) => [name, { shape: t.shape, data: t.data }])

/**
 * How far a run has come, as its checkpoint records it: the completed epochs, their metrics and the optimizer's step
 * ({@link TrainingState} has them all; an engine run gives its {@link EngineProgress} and its optimizer's step).
 *
 * @category Training
 */
export interface StepsDone extends Pick<TrainingState, 'epoch' | 'history'> {
  readonly optimizer: { readonly step: number }
}

/**
 * The checkpoint metadata of a run.
 *
 * @example
 * ```ts
 * import { trainingMeta, type TrainingState, type TrainOptions } from 'shapesafe/train'
 * declare const options: TrainOptions // { epochs: 10, batchSize: 128, seed: 0, optimizer: { name: 'adam', learningRate: 0.005 } }
 * declare const state: TrainingState // after 3 epochs
 * const meta = trainingMeta({ model: 'lenet', modelOptions: { input: [128, 1, 28, 28], classes: 10 } }, options, state)
 * meta.epoch // 3
 * meta.optimizer // { name: 'adam', hyperParameters: { learningRate: 0.005 }, state: { step: 1407 } }
 * ```
 * @category Training
 */
export const trainingMeta = (
  identity: RunIdentity,
  options: TrainOptions,
  state: StepsDone,
  dataset?: DatasetFingerprint,
): CheckpointMeta => {
  const { name, ...hyperParameters } = options.optimizer
  return {
    model: identity.model,
    modelOptions: {
      input: [...identity.modelOptions.input],
      classes: identity.modelOptions.classes,
      ...(identity.modelOptions.fitClassifier === true ? { fitClassifier: true } : {}),
    },
    epoch: state.epoch,
    optimizer: { name, hyperParameters, state: { step: state.optimizer.step } },
    metrics: state.history.map((m) => ({ ...m })),
    seed: options.seed,
    extra: { trainOptions: options, ...(dataset === undefined ? {} : { dataset }) },
  }
}

/**
 * Which data a run trains on: the dataset's name, where it was read from, and the SHA-256 of the training images
 * and labels the run uses (the first `limitTrain`, or all), so the same images from the embedded sample, the Debian
 * package or a download agree and any other data does not. Recorded in checkpoints and checked on resume.
 *
 * @category Training
 */
export interface DatasetFingerprint {
  readonly name: string
  readonly source: string
  readonly train: { readonly images: number; readonly sha256: string }
}

/**
 * The {@link DatasetFingerprint} of the training images a run with `limitTrain` uses.
 *
 * @example
 * ```ts
 * declare const dataset: Dataset
 * datasetFingerprint(dataset, 4000) // { name: 'fashion-mnist', source: '…', train: { images: 4000, sha256: '…' } }
 * ```
 * @category Training
 */
export const datasetFingerprint = (
  dataset: { readonly name: string; readonly source: string; readonly train: Split },
  limitTrain?: number,
): DatasetFingerprint => {
  const split = dataset.train
  const images = Math.min(limitTrain ?? split.count, split.count)
  const pixels = split.height * split.width
  const hash = createHash('sha256')
  hash.update(split.images.subarray(0, images * pixels))
  hash.update(split.labels.subarray(0, images))
  return { name: dataset.name, source: dataset.source, train: { images, sha256: hash.digest('hex') } }
}

/**
 * Writes `state` as the checkpoint at `path` (`<path>.json` naming a new tensors file; see `saveCheckpoint` in
 * `shapesafe/io`: the previous checkpoint stays complete until the new one is).
 *
 * @example
 * ```ts
 * declare const model: CompiledModel, state: TrainingState, options: TrainOptions
 * declare const modelOptions: RunIdentity['modelOptions']
 * await saveTrainingCheckpoint('runs/lenet', model, state, { model: 'lenet', modelOptions }, options)()
 * ```
 * @category Training
 */
export const saveTrainingCheckpoint = (
  path: string,
  model: CompiledModel,
  state: TrainingState,
  identity: RunIdentity,
  options: TrainOptions,
  dataset?: DatasetFingerprint,
): TaskEither<TrainingCheckpointError, void> => {
  // Read asynchronously: the webgpu backend cannot read tensors synchronously.
  const read = async (): Promise<Map<string, CheckpointTensor>> => {
    const tensors = new Map<string, CheckpointTensor>(toEntries(await model.readStateDict(state.model)))
    const trainable = new Set(model.trainable.map((p) => p.name))
    for (const [slot, values] of state.optimizer.slots) {
      // The optimizer slot has the parameter's internal layout; readStateDict converts it like the parameter itself.
      const dict = await model.readStateDict({ params: values, stats: state.model.stats })
      for (const [name, t] of dict) if (trainable.has(name)) tensors.set(optimizerTensorName(slot, name), t)
    }
    return tensors
  }
  return pipe(
    TE.tryCatch(read, (e) => failure(e instanceof Error ? e.message : String(e))),
    TE.chain((tensors) =>
      TE.mapLeft((e: { message: string }) => failure(e.message))(saveCheckpoint(path, { tensors, meta: trainingMeta(identity, options, state, dataset) })),
    ),
  )
}

/**
 * Writes the state of a model training on any engine ({@link TrainableEngineModel}: weights and running statistics
 * from its state dict, optimizer slots and step from its optimizer state) as the checkpoint at `path`, in the same
 * format as {@link saveTrainingCheckpoint}: a checkpoint written on one engine resumes on another. `run` names the
 * model and its options, `data` (when given) the dataset the run trains on, as {@link trainingMeta} records them.
 *
 * @example
 * ```ts
 * const graph = zoo.lenet.graph({ input: [1, 1, 28, 28], classes: 10 })
 * const options: TrainOptions = { epochs: 1, batchSize: 64, seed: 0, optimizer: { name: 'sgd', learningRate: 0.1 } }
 * const model = await torchEngine().compileForTraining!(graph, { seed: 0, optimizer: options.optimizer })
 * const identity = { model: 'lenet', modelOptions: { input: [1, 1, 28, 28], classes: 10 } }
 * await saveEngineCheckpoint('runs/lenet', model, { epoch: 0, history: [] }, identity, options)()
 * ```
 * @category Training
 */
export const saveEngineCheckpoint =
  (
    path: string,
    model: TrainableEngineModel,
    progress: EngineProgress,
    run: RunIdentity,
    options: TrainOptions,
    data?: DatasetFingerprint,
  ): TaskEither<TrainingCheckpointError, void> =>
  async () => {
    let tensors: Map<string, CheckpointTensor>
    let step: number
    try {
      tensors = new Map<string, CheckpointTensor>(toEntries(await model.stateDict()))
      const optimizer = await model.optimizerState()
      step = optimizer.step
      for (const [slot, byName] of optimizer.slots) for (const [name, t] of byName) tensors.set(optimizerTensorName(slot, name), t)
    } catch (e) {
      return E.left(failure(`cannot write checkpoint ${path}: reading the model's state failed: ${(e as Error).message}`))
    }
    const meta = trainingMeta(run, options, { ...progress, optimizer: { step } }, data)
    return TE.mapLeft((e: { message: string }) => failure(e.message))(saveCheckpoint(path, { tensors, meta }))()
  }

/**
 * A checkpoint's tensors, checked against a graph, in host memory: what any engine resumes from.
 *
 * @category Training
 */
export interface CheckpointedRun {
  /** Weights and running statistics by state_dict name (PyTorch layout). */
  readonly weights: ReadonlyMap<string, CheckpointTensor>
  /** The optimizer's slots (shapesafe's names) and step. */
  readonly optimizer: { readonly step: number; readonly slots: ReadonlyMap<string, ReadonlyMap<string, CheckpointTensor>> }
  /** Completed epochs and their metrics. */
  readonly epoch: number
  readonly history: readonly EpochMetrics[]
  readonly identity: RunIdentity
  readonly options: TrainOptions
  readonly dataset?: DatasetFingerprint
}

/**
 * Reads the checkpoint at `path` for `graph` (the graph it was saved from: every weight and optimizer slot must be
 * present with its shape, or the whole read fails with a message listing the differences), without creating tensors.
 *
 * @example
 * ```ts
 * const run = await readTrainingCheckpoint('runs/lenet', zoo.lenet.graph({ input: [1, 1, 28, 28], classes: 10 }))()
 * ```
 * @category Training
 */
export const readTrainingCheckpoint =
  (path: string, graph: Graph): TaskEither<TrainingCheckpointError, CheckpointedRun> =>
  async () => {
    const loaded = await loadCheckpoint(path)()
    if (E.isLeft(loaded)) return E.left(failure(loaded.left.message))
    const info = runInfoOf(path, loaded.right.meta)
    if (E.isLeft(info)) return info
    const { weights, optimizer } = splitCheckpointTensors(loaded.right.tensors)
    const meta = loaded.right.meta
    const { options, identity } = info.right

    const specs = stateDictSpecs(graph)
    const trainable = trainableParams(graph)
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
    for (const slot of slotNames) check(optimizer.get(slot) ?? new Map(), trainable, `optimizer "${slot}" state for`)
    if (problems.length > 0)
      return E.left(
        failure(`cannot resume from ${path}: it does not match the model "${identity.model}":\n  ${problems.slice(0, 10).join('\n  ')}`),
      )
    const step = (meta.optimizer.state as { step?: unknown } | undefined)?.step
    return E.right({
      weights,
      optimizer: { step: typeof step === 'number' ? step : 0, slots: new Map(slotNames.map((slot) => [slot, optimizer.get(slot)!])) },
      epoch: meta.epoch,
      history: meta.metrics as unknown as EpochMetrics[],
      identity,
      options,
      ...(info.right.dataset === undefined ? {} : { dataset: info.right.dataset }),
    })
  }

/**
 * A run read back from a checkpoint.
 *
 * @category Training
 */
export interface ResumedRun {
  readonly state: TrainingState
  readonly identity: RunIdentity
  /** The options the run was started with. */
  readonly options: TrainOptions
  /** The training data, when recorded. */
  readonly dataset?: DatasetFingerprint
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v)
const show = (v: unknown): string => (v === undefined ? 'nothing' : JSON.stringify(v) ?? String(v))
const positiveInteger = (v: unknown): boolean => typeof v === 'number' && Number.isSafeInteger(v) && v > 0
const finiteAtLeast = (v: unknown, min: number): boolean => typeof v === 'number' && Number.isFinite(v) && v >= min

/** What is wrong with training options read back from a file, naming the field, or `undefined`. */
const trainOptionsProblem = (o: unknown): string | undefined => {
  if (!isObject(o)) return 'trainOptions must be an object'
  const field = (name: string, ok: boolean, expected: string, value: unknown) =>
    ok ? undefined : `${name} must be ${expected}, got ${show(value)}`
  const optimizer = o.optimizer
  const schedule = o.schedule
  const checks: Array<() => string | undefined> = [
    () => field('epochs', positiveInteger(o.epochs), 'a positive integer', o.epochs),
    () => field('batchSize', positiveInteger(o.batchSize), 'a positive integer', o.batchSize),
    () => field('seed', typeof o.seed === 'number' && Number.isSafeInteger(o.seed), 'an integer', o.seed),
    () => field('init', o.init === undefined || initSchemes.includes(o.init as InitScheme), initSchemes.map((s) => `"${s}"`).join(' or '), o.init),
    () => field('optimizer', isObject(optimizer), 'an object', optimizer),
    () => {
      const opt = optimizer as Record<string, unknown>
      if (opt.name !== 'sgd' && opt.name !== 'adam') return field('optimizer.name', false, '"sgd" or "adam"', opt.name)
      if (!(finiteAtLeast(opt.learningRate, 0) && (opt.learningRate as number) > 0))
        return field('optimizer.learningRate', false, 'a positive number', opt.learningRate)
      if (opt.weightDecay !== undefined && !finiteAtLeast(opt.weightDecay, 0))
        return field('optimizer.weightDecay', false, 'a non-negative number', opt.weightDecay)
      if (opt.name === 'sgd' && opt.momentum !== undefined && !(finiteAtLeast(opt.momentum, 0) && (opt.momentum as number) < 1))
        return field('optimizer.momentum', false, 'a number in [0, 1)', opt.momentum)
      for (const beta of ['beta1', 'beta2'] as const)
        if (opt.name === 'adam' && opt[beta] !== undefined && !(finiteAtLeast(opt[beta], 0) && (opt[beta] as number) < 1))
          return field(`optimizer.${beta}`, false, 'a number in [0, 1)', opt[beta])
      if (opt.name === 'adam' && opt.epsilon !== undefined && !(finiteAtLeast(opt.epsilon, 0) && (opt.epsilon as number) > 0))
        return field('optimizer.epsilon', false, 'a positive number', opt.epsilon)
      return undefined
    },
    () => {
      if (schedule === undefined) return undefined
      if (!isObject(schedule)) return field('schedule', false, 'an object', schedule)
      switch (schedule.kind) {
        case 'constant':
          return undefined
        case 'step':
          return (
            field('schedule.stepSize', positiveInteger(schedule.stepSize), 'a positive integer', schedule.stepSize) ??
            field('schedule.gamma', finiteAtLeast(schedule.gamma, 0) && (schedule.gamma as number) > 0, 'a positive number', schedule.gamma)
          )
        case 'cosine':
          return (
            field('schedule.per', schedule.per === undefined || schedule.per === 'iteration' || schedule.per === 'epoch', '"iteration" or "epoch"', schedule.per) ??
            field('schedule.minRate', schedule.minRate === undefined || finiteAtLeast(schedule.minRate, 0), 'a non-negative number', schedule.minRate)
          )
        default:
          return field('schedule.kind', false, '"constant", "step" or "cosine"', schedule.kind)
      }
    },
    () => field('resize', o.resize === undefined || positiveInteger(o.resize), 'a positive integer', o.resize),
    () => field('limitTrain', o.limitTrain === undefined || positiveInteger(o.limitTrain), 'a positive integer', o.limitTrain),
    () => field('limitTest', o.limitTest === undefined || positiveInteger(o.limitTest), 'a positive integer', o.limitTest),
    () => {
      const n = o.normalize
      if (n === undefined || n === 'scale') return undefined
      return isObject(n) && finiteAtLeast(n.mean, -Infinity) && finiteAtLeast(n.std, 0) && (n.std as number) > 0
        ? undefined
        : field('normalize', false, '"scale" or { mean, std > 0 }', n)
    },
  ]
  for (const check of checks) {
    const problem = check()
    if (problem !== undefined) return problem
  }
  return undefined
}

/** What is wrong with a dataset fingerprint read back from a file, or `undefined`. */
const fingerprintProblem = (d: unknown): string | undefined => {
  if (d === undefined) return undefined
  if (!isObject(d) || typeof d.name !== 'string' || typeof d.source !== 'string' || !isObject(d.train))
    return 'dataset must be { name, source, train: { images, sha256 } }'
  if (!positiveInteger(d.train.images) && d.train.images !== 0) return `dataset.train.images must be a count, got ${show(d.train.images)}`
  if (typeof d.train.sha256 !== 'string' || !/^[0-9a-f]{64}$/.test(d.train.sha256))
    return `dataset.train.sha256 must be a SHA-256 in hex, got ${show(d.train.sha256)}`
  return undefined
}

/**
 * What a checkpoint says about its run, without its tensors.
 *
 * @category Training
 */
export interface RunInfo {
  readonly identity: RunIdentity
  readonly options: TrainOptions
  /** Completed epochs. */
  readonly epoch: number
  /** The training data, when the checkpoint records it (checkpoints written before it was recorded do not). */
  readonly dataset?: DatasetFingerprint
}

const runInfoOf = (path: string, meta: CheckpointMeta): E.Either<TrainingCheckpointError, RunInfo> => {
  const extra = meta.extra as { trainOptions?: unknown; dataset?: unknown } | undefined
  const trainOptions = extra?.trainOptions
  const modelOptions = meta.modelOptions as { input?: unknown; classes?: unknown; fitClassifier?: unknown } | undefined
  if (trainOptions === undefined || modelOptions === undefined)
    return E.left(failure(`cannot resume from ${path}: it was not written by "shapesafe train" (no training options)`))
  const corrupt = (problem: string) => E.left(failure(`checkpoint ${path} is corrupt: ${problem}`))
  const input = modelOptions.input
  if (!Array.isArray(input) || input.length !== 4 || !input.every(positiveInteger))
    return corrupt(`modelOptions.input must be 4 positive integers [1, C, H, W], got ${show(input)}`)
  if (!positiveInteger(modelOptions.classes)) return corrupt(`modelOptions.classes must be a positive integer, got ${show(modelOptions.classes)}`)
  const fitClassifier = modelOptions.fitClassifier
  if (fitClassifier !== undefined && typeof fitClassifier !== 'boolean')
    return corrupt(`modelOptions.fitClassifier must be true or false, got ${show(fitClassifier)}`)
  const problem = trainOptionsProblem(trainOptions) ?? fingerprintProblem(extra?.dataset)
  if (problem !== undefined) return corrupt(problem)
  const step = (meta.optimizer.state as { step?: unknown } | undefined)?.step
  if (step !== undefined && !(typeof step === 'number' && Number.isSafeInteger(step) && step >= 0))
    return corrupt(`optimizer.state.step must be a non-negative integer, got ${show(step)}`)
  if (meta.metrics.length !== meta.epoch) return corrupt(`it records ${meta.metrics.length} epochs of metrics for epoch ${meta.epoch}`)
  return E.right({
    identity: {
      model: meta.model,
      modelOptions: { input: input as number[], classes: modelOptions.classes as number, ...(fitClassifier === true ? { fitClassifier: true as const } : {}) },
    },
    options: trainOptions as unknown as TrainOptions,
    epoch: meta.epoch,
    ...(extra?.dataset === undefined ? {} : { dataset: extra.dataset as DatasetFingerprint }),
  })
}

/**
 * Reads the options, model identity and completed epochs a checkpoint was written with, without creating tensors.
 *
 * @example
 * ```ts
 * const info = await readRunInfo('runs/lenet')() // Right({ identity: { model: 'lenet', ... }, options, epoch: 2 })
 * ```
 * @category Training
 */
export const readRunInfo =
  (path: string): TaskEither<TrainingCheckpointError, RunInfo> =>
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
 * declare const model: CompiledModel
 * const resumed = await loadTrainingCheckpoint('runs/lenet', model)()
 * ```
 * @category Training
 */
export const loadTrainingCheckpoint =
  (path: string, model: CompiledModel): TaskEither<TrainingCheckpointError, ResumedRun> =>
  async () => {
    const read = await readTrainingCheckpoint(path, model.graph)()
    if (E.isLeft(read)) return read
    const run = read.right
    const dataOf = (m: ReadonlyMap<string, CheckpointTensor>) => new Map([...m].map(([n, t]) => [n, t.data]))
    const modelState = model.fromStateDict(dataOf(run.weights))
    const slots = new Map<string, TensorMap>()
    for (const [slot, values] of run.optimizer.slots) {
      // Build a full state dict (slot values for parameters, the real running statistics) and keep the parameters.
      const dict = new Map(dataOf(run.weights))
      for (const [name, t] of values) dict.set(name, t.data)
      const converted = model.fromStateDict(dict)
      for (const t of converted.stats.values()) t.dispose()
      slots.set(slot, converted.params)
    }
    const optimizerState: OptimizerState = { step: run.optimizer.step, slots }
    return E.right({
      state: { model: modelState, optimizer: optimizerState, epoch: run.epoch, history: run.history },
      identity: run.identity,
      options: run.options,
      ...(run.dataset === undefined ? {} : { dataset: run.dataset }),
    })
  }
