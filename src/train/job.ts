// Over 400 lines on purpose: resolving, resuming and running a job (on either engine path) share the job type, its
// errors and the per-epoch persistence; split, each half would import most of the other.
/**
 * The training job behind `shapesafe train` and `shapesafe compare`: a model and its training settings resolved
 * against the per-model defaults ({@link resolveTrainJob}), a run resumed from a checkpoint with its fixed options
 * pinned ({@link resumeTrainJob}), and one run on a loaded dataset with checkpoints after every epoch
 * ({@link trainOne}). Progress is reported through callbacks and failures are {@link TrainError}s with a kind; the
 * command line parses flags, prints, and maps the kinds to exit codes.
 *
 * Messages name options as the command line spells them (`--lr`), the way users meet them.
 *
 * @module
 */
import { promises as fsp } from 'node:fs'
import * as nodePath from 'node:path'
import * as E from 'fp-ts/lib/Either.js'
import type { Dataset } from '../data/fashionMnist.js'
import { numel, trainableParams, type Graph } from '../graph/ir.js'
import { checkpointExists } from '../io/checkpoint.js'
import type { InitScheme } from '../runtime/init.js'
import { compile } from '../runtime/model.js'
import type { Engine, TrainableEngineModel } from '../runtime/engine.js'
import { TorchEngineError } from '../runtime/torch/engine.js'
import { genericTrainDefaults, optimizerDefaultRates, type TrainDefaults } from './defaults.js'
import {
  disposeTrainingState,
  fit,
  initialTrainingState,
  testOptions,
  NonFiniteLossError,
  TrainingStopped,
  type TrainingState,
  type TrainOptions,
} from './fit.js'
import { evaluateWeights, fitEngine, type EngineEvaluation, type EngineProgress } from './engineFit.js'
import type { OptimizerConfig, OptimizerName } from './optimizers.js'
import type { BatchProgress, EpochMetrics } from './progress.js'
import { defaultSchedule, type ScheduleName } from './schedules.js'
import {
  datasetFingerprint,
  loadTrainingCheckpoint,
  readRunInfo,
  readTrainingCheckpoint,
  saveEngineCheckpoint,
  saveTrainingCheckpoint,
  type CheckpointedRun,
  type DatasetFingerprint,
  type RunIdentity,
  type RunInfo,
} from './trainingCheckpoint.js'

// ---------------------------------------------------------------------------------------------------------------------
// model
// ---------------------------------------------------------------------------------------------------------------------

/**
 * What went wrong in a training job:
 * - `usage`: the settings cannot work (a bad value, a model that cannot take the input, options that contradict a
 *   checkpoint, nothing left to train, a checkpoint that would be replaced);
 * - `data`: the data does not fit the job (empty split, other classes, other images than the checkpoint's run);
 * - `checkpoint`: a checkpoint cannot be read (missing, corrupt) or written;
 * - `diverged`: the loss became NaN or infinite;
 * - `stopped`: {@link TrainPersistence.shouldStop} asked to stop (Ctrl-C);
 * - `evaluation`: the trained model could not be evaluated by the evaluation engine (`--eval-engine`).
 *
 * @category Training
 */
export type TrainErrorKind = 'usage' | 'data' | 'checkpoint' | 'diverged' | 'stopped' | 'evaluation'

/**
 * A training job's failure, as a typed error: `message` is a complete sentence for users; `checkpoint` says where the
 * last good checkpoint is when the run had one.
 *
 * @example
 * ```ts
 * declare const job: TrainJob, dataset: Dataset
 * try {
 *   await trainOne(job, dataset)
 * } catch (e) {
 *   if (e instanceof TrainError && e.kind === 'diverged') console.error(e.message) // the loss became NaN or infinite
 * }
 * ```
 * @category Training
 */
export class TrainError extends Error {
  override readonly name = 'TrainError'
  constructor(
    readonly kind: TrainErrorKind,
    message: string,
    readonly checkpoint?: { readonly path: string; readonly epoch: number },
  ) {
    super(message)
  }
}

/**
 * The training settings a user may give; each left out takes the model's default (see `src/train/defaults.ts`).
 *
 * @category Training
 */
export interface TrainSettings {
  readonly dataset?: string
  readonly epochs?: number
  readonly batchSize?: number
  readonly optimizer?: OptimizerName
  readonly learningRate?: number
  readonly momentum?: number
  readonly weightDecay?: number
  readonly schedule?: ScheduleName
  readonly resize?: number
  readonly limitTrain?: number
  readonly limitTest?: number
  readonly seed?: number
  /** How conv and linear weights start (`--init`; default `pytorch`, PyTorch's layer defaults). */
  readonly init?: InitScheme
  /**
   * Size the first Linear of a net with a fixed-width classifier (the seed's AlexNet and VGGs) to the input, to train
   * it at another size on purpose (`--fit-classifier`); recorded in the run, so a resume rebuilds the same net.
   */
  readonly fitClassifier?: boolean
}

/** How the command line spells each setting, for messages. */
const optionName: Readonly<Record<keyof TrainSettings, string>> = {
  dataset: '--dataset',
  epochs: '--epochs',
  batchSize: '--batch-size',
  optimizer: '--optimizer',
  learningRate: '--lr',
  momentum: '--momentum',
  weightDecay: '--weight-decay',
  schedule: '--schedule',
  resize: '--resize',
  limitTrain: '--limit-train',
  limitTest: '--limit-test',
  seed: '--seed',
  init: '--init',
  fitClassifier: '--fit-classifier',
}

/**
 * A model the job can train: a zoo entry satisfies it.
 *
 * @category Training
 */
export interface TrainableModel {
  /** Its training defaults, used where the settings leave a value out (a zoo entry's `training`); else generic ones. */
  readonly training?: TrainDefaults
  /** The input size used to train it on Fashion-MNIST, `[C, H, W]`. */
  readonly fashionInput: readonly [number, number, number]
  /** Whether its graph takes `fitClassifier` (a zoo entry's `takesFitClassifier`); default false. */
  readonly takesFitClassifier?: boolean
  /** The net's graph for a concrete input and class count; throws when the input cannot go through the net. */
  graph(options: { readonly input: readonly [number, number, number, number]; readonly classes: number; readonly fitClassifier?: boolean }): Graph
}

/**
 * A fully resolved training job for one model.
 *
 * @category Training
 */
export interface TrainJob {
  readonly modelName: string
  readonly entry: TrainableModel
  readonly identity: RunIdentity
  readonly options: TrainOptions
  /** The model's graph for the training input size and 10 classes. */
  readonly graph: Graph
  /** The dataset the job trains on (default `fashion-mnist`). */
  readonly dataset: string
  /** What the checkpoint resumed from recorded (set by {@link resumeTrainJob}). */
  readonly resumedFrom?: RunInfo
}

/** Classes of the supported datasets (Fashion-MNIST and MNIST both have 10). */
const datasetClasses = 10

// ---------------------------------------------------------------------------------------------------------------------
// resolution
// ---------------------------------------------------------------------------------------------------------------------

/**
 * The graph of `entry` for `input`, or a `usage` error saying why the model cannot take that input.
 *
 * @example
 * ```ts
 * import { zoo } from 'shapesafe'
 * import { buildGraph } from 'shapesafe/train'
 * const graph = buildGraph('lenet', zoo.lenet, [128, 1, 28, 28]) // LeNet for 28×28 images, 10 classes
 * buildGraph('alexnet', zoo.alexnet, [128, 1, 28, 28]) // throws TrainError (usage): 'alexnet cannot take input [128, 1, 28, 28]: …'
 * ```
 * @category Training
 */
export const buildGraph = (
  modelName: string,
  entry: TrainableModel,
  input: readonly [number, number, number, number],
  fitClassifier = false,
): Graph => {
  if (fitClassifier && entry.takesFitClassifier !== true)
    throw new TrainError('usage', `--fit-classifier: ${modelName} has no fixed-width classifier to fit to the input; drop the flag`)
  try {
    return entry.graph({ input, classes: datasetClasses, ...(fitClassifier ? { fitClassifier } : {}) })
  } catch (e) {
    const why = `${modelName} cannot take input [${input.join(', ')}]: ${e instanceof Error ? e.message : String(e)}`
    throw new TrainError('usage', fitClassifier ? why : `${why}${fitClassifierHint(modelName, entry, input)}`)
  }
}

/**
 * When `entry` would take `input` with its first Linear sized to it, the sentence that says so and names the flag;
 * else ''.
 */
const fitClassifierHint = (modelName: string, entry: TrainableModel, input: readonly [number, number, number, number]): string => {
  if (entry.takesFitClassifier !== true) return ''
  let fitted: Graph
  try {
    fitted = entry.graph({ input, classes: datasetClasses, fitClassifier: true })
  } catch {
    return '' // too small for its layers as well: the flag would not help
  }
  const first = fitted.nodes.find((n) => n.op.kind === 'linear')
  const width = first !== undefined && first.op.kind === 'linear' ? ` (Linear(${first.op.inFeatures}, ${first.op.out}))` : ''
  return `; add --fit-classifier to train ${modelName} at this size with its first Linear sized to the input${width}, a variant with other parameters than the seed's`
}

/** The `modelOptions` a run records: input, classes, and `fitClassifier: true` when the classifier was fitted. */
const modelOptionsOf = (input: readonly number[], fitClassifier: boolean): RunIdentity['modelOptions'] => ({
  input,
  classes: datasetClasses,
  ...(fitClassifier ? { fitClassifier: true as const } : {}),
})

/**
 * The training job for `modelName` from the given settings and the model's defaults: images are resized to
 * `settings.resize` or to the model's `fashionInput` size.
 *
 * @example
 * ```ts
 * resolveTrainJob('lenet', zoo.lenet, { epochs: 1 }).options.optimizer // { name: 'adam', learningRate: 0.005 }
 * ```
 * @category Training
 */
export const resolveTrainJob = (modelName: string, entry: TrainableModel, settings: TrainSettings): TrainJob => {
  const defaults = entry.training ?? genericTrainDefaults
  const epochs = settings.epochs ?? defaults.epochs
  const optimizerName = settings.optimizer ?? defaults.optimizer
  const learningRate =
    settings.learningRate ?? (optimizerName === defaults.optimizer ? defaults.learningRate : optimizerDefaultRates[optimizerName])
  if (settings.momentum !== undefined && (settings.momentum < 0 || settings.momentum >= 1))
    throw new TrainError('usage', `--momentum: expected a number in [0, 1), got ${settings.momentum}`)
  if (settings.momentum !== undefined && optimizerName !== 'sgd') throw new TrainError('usage', '--momentum applies to --optimizer sgd only')
  if (settings.weightDecay !== undefined && settings.weightDecay < 0)
    throw new TrainError('usage', `--weight-decay: expected a non-negative number, got ${settings.weightDecay}`)
  if (!(learningRate > 0) || !Number.isFinite(learningRate))
    throw new TrainError('usage', `--lr: expected a positive number, got ${learningRate}`)
  const weightDecay = settings.weightDecay ?? 0
  const optimizer: OptimizerConfig =
    optimizerName === 'sgd'
      ? { name: 'sgd', learningRate, momentum: settings.momentum ?? 0.9, weightDecay }
      : { name: 'adam', learningRate, weightDecay }
  const [channels, height, width] = entry.fashionInput
  const size = settings.resize ?? (height === width ? height : undefined)
  if (size === undefined)
    throw new TrainError('usage', `${modelName} trains on ${height}×${width} inputs; give a square size with --resize S`)
  const options: TrainOptions = {
    epochs,
    batchSize: settings.batchSize ?? defaults.batchSize,
    optimizer,
    schedule: defaultSchedule(settings.schedule ?? 'constant', epochs),
    seed: settings.seed ?? 0,
    ...(settings.init === undefined || settings.init === 'pytorch' ? {} : { init: settings.init }),
    ...(size === 28 ? {} : { resize: size }),
    ...(settings.limitTrain === undefined ? {} : { limitTrain: settings.limitTrain }),
    ...(settings.limitTest === undefined ? {} : { limitTest: settings.limitTest }),
  }
  const input = [1, channels, size, size] as const
  const fitClassifier = settings.fitClassifier === true
  return {
    modelName,
    entry,
    identity: { model: modelName, modelOptions: modelOptionsOf(input, fitClassifier) },
    options,
    graph: buildGraph(modelName, entry, input, fitClassifier),
    dataset: settings.dataset ?? 'fashion-mnist',
  }
}

/** Settings whose value is fixed by a checkpoint: giving a different one on resume is an error. */
const fixedOnResume = [
  'dataset',
  'batchSize',
  'optimizer',
  'learningRate',
  'momentum',
  'weightDecay',
  'schedule',
  'resize',
  'limitTrain',
  'seed',
  'init',
  'fitClassifier',
] as const

/** The value of each {@link fixedOnResume} setting that produced a saved run. */
const savedSettings = (saved: RunInfo): Record<(typeof fixedOnResume)[number], unknown> => {
  const options = saved.options
  return {
    dataset: saved.dataset?.name,
    batchSize: options.batchSize,
    optimizer: options.optimizer.name,
    learningRate: options.optimizer.learningRate,
    momentum: options.optimizer.name === 'sgd' ? options.optimizer.momentum : undefined,
    weightDecay: options.optimizer.weightDecay ?? 0,
    schedule: options.schedule?.kind ?? 'constant',
    resize: options.resize ?? 28,
    limitTrain: options.limitTrain,
    seed: options.seed,
    init: options.init ?? 'pytorch',
    fitClassifier: saved.identity.modelOptions.fitClassifier === true,
  }
}

/**
 * The job that continues the run saved at `checkpoint`: its options and model input come from the checkpoint; a
 * setting that contradicts them (`--lr 0.1` on a run trained with 0.005, another dataset), a checkpoint of another
 * model, or `epochs` at or below the epochs already done is a `usage` error; a missing or corrupt checkpoint is a
 * `checkpoint` error. `epochs` and `limitTest` may change.
 *
 * @example
 * ```ts
 * const job = await resumeTrainJob('lenet', zoo.lenet, { epochs: 10 }, 'runs/lenet')
 * ```
 * @category Training
 */
export const resumeTrainJob = async (
  modelName: string,
  entry: TrainableModel,
  settings: TrainSettings,
  checkpoint: string,
): Promise<TrainJob> => {
  const info = await readRunInfo(checkpoint)()
  if (E.isLeft(info)) throw new TrainError('checkpoint', info.left.message)
  const saved = info.right
  if (saved.identity.model !== modelName)
    throw new TrainError('usage', `cannot resume: ${checkpoint} is a run of ${saved.identity.model}, not ${modelName}`)
  const values = savedSettings(saved)
  for (const key of fixedOnResume) {
    const given = settings[key]
    const was = values[key] ?? (key === 'dataset' ? 'fashion-mnist' : undefined)
    if (key === 'fitClassifier' && given !== undefined && given !== was)
      throw new TrainError(
        'usage',
        given === true
          ? `cannot resume with --fit-classifier: ${checkpoint} was trained without it (the seed's fixed-width first Linear); drop the flag to continue that run`
          : `cannot resume without the fitted classifier: ${checkpoint} was trained with --fit-classifier; the resumed run keeps it`,
      )
    if (given !== undefined && given !== was)
      throw new TrainError(
        'usage',
        `cannot resume with ${optionName[key]} ${String(given)}: ${checkpoint} was trained with ` +
          `${optionName[key]} ${String(was ?? '(not set)')}; drop the flag to continue that run`,
      )
  }
  const epochs = settings.epochs ?? saved.options.epochs
  if (epochs <= saved.epoch)
    throw new TrainError(
      'usage',
      settings.epochs === undefined
        ? `nothing to train: ${checkpoint} has finished its ${saved.epoch} epoch(s); give --epochs E (E > ${saved.epoch}) to train on`
        : `nothing to train: ${checkpoint} has already done ${saved.epoch} epoch(s) and --epochs ${epochs} asks for ` +
            `${epochs === saved.epoch ? 'as many' : 'fewer'}; give --epochs E (E > ${saved.epoch}) to train on`,
    )
  const limitTest = settings.limitTest ?? saved.options.limitTest
  const { limitTest: _, ...savedOptions } = saved.options
  const options: TrainOptions = { ...savedOptions, epochs, ...(limitTest === undefined ? {} : { limitTest }) }
  const input = saved.identity.modelOptions.input as unknown as readonly [number, number, number, number]
  return {
    modelName,
    entry,
    identity: saved.identity,
    options,
    graph: buildGraph(modelName, entry, input, saved.identity.modelOptions.fitClassifier === true),
    dataset: saved.dataset?.name ?? settings.dataset ?? 'fashion-mnist',
    resumedFrom: saved,
  }
}

const endsWithSeparator = (path: string): boolean => path.endsWith('/') || path.endsWith(nodePath.sep)

/**
 * The checkpoint path for `given`: `given` itself, or `given/checkpoint` when `given` is a directory or ends with a
 * separator (so `--checkpoint runs/lenet/` writes `runs/lenet/checkpoint.json`, not a hidden `runs/lenet/.json`).
 *
 * @example
 * ```ts
 * await checkpointPathFor('runs/lenet/') // 'runs/lenet/checkpoint'
 * ```
 * @category Training
 */
export const checkpointPathFor = async (given: string): Promise<string> => {
  if (given === '') throw new TrainError('usage', '--checkpoint: expected a path, got an empty string')
  if (endsWithSeparator(given)) return nodePath.join(given, 'checkpoint')
  try {
    if ((await fsp.stat(given)).isDirectory()) return nodePath.join(given, 'checkpoint')
  } catch {
    // not there yet: a file path
  }
  return given
}

/**
 * Refuses to start a fresh run over an existing checkpoint (a forgotten `--resume` would lose that run) unless
 * `overwrite` is set: a `usage` error saying how to continue or replace it.
 *
 * @example
 * ```ts
 * import { refuseToReplace } from 'shapesafe/train'
 * await refuseToReplace('runs/lenet/checkpoint', {}) // resolves when there is no checkpoint there yet
 * // else TrainError (usage): 'runs/lenet/checkpoint already holds a checkpoint (a run of lenet, epoch 3): add --resume …'
 * await refuseToReplace('runs/lenet/checkpoint', { overwrite: true }) // always resolves
 * ```
 * @category Training
 */
export const refuseToReplace = async (checkpoint: string, options: { readonly overwrite?: boolean }): Promise<void> => {
  if (options.overwrite === true || !(await checkpointExists(checkpoint))) return
  const info = await readRunInfo(checkpoint)()
  const what = E.isRight(info) ? ` (a run of ${info.right.identity.model}, epoch ${info.right.epoch})` : ''
  throw new TrainError(
    'usage',
    `${checkpoint} already holds a checkpoint${what}: add --resume to continue it, or --overwrite to start a new run ` +
      'that replaces it after its first epoch',
  )
}

// ---------------------------------------------------------------------------------------------------------------------
// running
// ---------------------------------------------------------------------------------------------------------------------

/**
 * What one training run produced.
 *
 * @category Training
 */
export interface TrainResult {
  readonly model: string
  /** Trainable parameters. */
  readonly params: number
  /** Input size `[1, C, H, W]` trained on. */
  readonly input: readonly number[]
  /** `true` when the net's first Linear was sized to the input (`--fit-classifier`): not the seed's parameters. */
  readonly fitClassifier?: true
  /** Metrics of every completed epoch (including epochs before a resume). */
  readonly history: readonly EpochMetrics[]
  /** Training images per second over the epochs trained in this run. */
  readonly imagesPerSecond: number
  /** Wall-clock seconds of training and evaluation in this run. */
  readonly seconds: number
  /**
   * The final weights' test evaluation by the evaluation engine (`--eval-engine onnxruntime`), beside the training
   * engine's own (the last epoch's `testAccuracy`); absent without one.
   */
  readonly evaluation?: EngineEvaluation
}

/** `{ fitClassifier: true }` for a job whose classifier is fitted to its input, else nothing (a result's field). */
const fitted = (job: TrainJob): { readonly fitClassifier?: true } =>
  job.identity.modelOptions.fitClassifier === true ? { fitClassifier: true } : {}

/**
 * Progress callbacks of {@link trainOne}.
 *
 * @category Training
 */
export interface TrainJobHooks {
  /** After every optimizer step. */
  readonly onBatch?: (progress: BatchProgress) => void
  /** After every epoch's evaluation, before its checkpoint is written. */
  readonly onEpoch?: (metrics: EpochMetrics) => void
  /** After a checkpoint was written (complete on disk). */
  readonly onCheckpoint?: (path: string, epoch: number) => void
}

/**
 * Checkpointing and stopping of {@link trainOne}.
 *
 * @category Training
 */
export interface TrainPersistence {
  /** Write a checkpoint here after every epoch (a path without extension). */
  readonly checkpoint?: string
  /** Continue the run saved at `checkpoint` (the job comes from {@link resumeTrainJob}). */
  readonly resume?: boolean
  /**
   * Asked between optimizer steps (never during a save); `true` stops the run with a `stopped` {@link TrainError}
   * naming the last good checkpoint.
   */
  readonly shouldStop?: () => boolean
}

/**
 * Which engine trains: any {@link Engine} that can train (`tfjsEngine(backend)` from `shapesafe/train`, the native
 * `torchEngine({ device })`). Left out, the TensorFlow.js engine on the current backend.
 *
 * @category Training
 */
export type TrainEngine = Engine<OptimizerConfig>

/** Throughput and duration of the epochs trained in this run, from the whole history. */
const runThroughput = (history: readonly EpochMetrics[], startEpoch: number): number => {
  const fresh = history.slice(startEpoch)
  const images = fresh.reduce((sum, m) => sum + m.imagesPerSecond * m.trainSeconds, 0)
  const trainSeconds = fresh.reduce((sum, m) => sum + m.trainSeconds, 0)
  return trainSeconds > 0 ? images / trainSeconds : (history.at(-1)?.imagesPerSecond ?? 0)
}

const describeKept = (checkpoint: string | undefined, lastSaved: number | undefined): string =>
  checkpoint === undefined
    ? 'no checkpoint was written (use --checkpoint PATH to keep one per epoch)'
    : lastSaved === undefined
      ? `no epoch finished, so there is no checkpoint at ${checkpoint}`
      : `the last good checkpoint (epoch ${lastSaved}) is kept at ${checkpoint}`

/**
 * The per-epoch persistence both training paths share: `afterEpoch` reports the metrics, writes the checkpoint (when
 * one is asked for) and remembers the last good one; `failure` turns a diverged or stopped run into its
 * {@link TrainError} naming that checkpoint.
 */
const epochPersistence = (
  hooks: TrainJobHooks,
  checkpoint: string | undefined,
  resumedEpoch: number | undefined,
  write: (path: string) => Promise<E.Either<{ readonly message: string }, void>>,
) => {
  let lastSaved = resumedEpoch
  const kept = () => (checkpoint !== undefined && lastSaved !== undefined ? { path: checkpoint, epoch: lastSaved } : undefined)
  return {
    afterEpoch: async (epoch: number, metrics: EpochMetrics): Promise<void> => {
      hooks.onEpoch?.(metrics)
      if (checkpoint === undefined) return
      const written = await write(checkpoint)
      if (E.isLeft(written)) throw new TrainError('checkpoint', `${written.left.message}; ${describeKept(checkpoint, lastSaved)}`, kept())
      lastSaved = epoch
      hooks.onCheckpoint?.(checkpoint, epoch)
    },
    failure: (e: unknown): unknown => {
      if (e instanceof NonFiniteLossError) return new TrainError('diverged', `${e.message}; ${describeKept(checkpoint, lastSaved)}`, kept())
      if (e instanceof TrainingStopped)
        return new TrainError('stopped', `stopped at epoch ${e.epoch} after ${e.batch} batch(es); ${describeKept(checkpoint, lastSaved)}`, kept())
      return e
    },
  }
}

/**
 * The final weights evaluated by `evalEngine` on the job's test split (the options of the per-epoch evaluation); a
 * failure is an `evaluation` {@link TrainError} (the run's checkpoint, if any, is already written).
 */
const evaluateFinal = async (
  job: TrainJob,
  dataset: Dataset,
  evalEngine: Engine | undefined,
  weights: () => Promise<ReadonlyMap<string, Float32Array>>,
): Promise<{ readonly evaluation?: EngineEvaluation }> => {
  if (evalEngine === undefined) return {}
  try {
    return { evaluation: await evaluateWeights(evalEngine, job.graph, await weights(), dataset.test, testOptions(job.options)) }
  } catch (e) {
    throw new TrainError('evaluation', `evaluating the trained ${job.modelName} on ${evalEngine.info.description} failed: ${e instanceof Error ? e.message : String(e)}`)
  }
}

const weightsOf = (dict: ReadonlyMap<string, { readonly data: Float32Array }>): ReadonlyMap<string, Float32Array> =>
  new Map([...dict].map(([name, t]) => [name, t.data]))

/** {@link trainOne} on an engine other than the TensorFlow.js one: same data, batches, schedule, metrics and checkpoints. */
const trainOnEngine = async (
  job: TrainJob,
  dataset: Dataset,
  hooks: TrainJobHooks,
  persistence: TrainPersistence,
  engine: TrainEngine,
  fingerprint: DatasetFingerprint,
  evalEngine: Engine | undefined,
): Promise<TrainResult> => {
  const compileForTraining = engine.compileForTraining
  if (compileForTraining === undefined) throw new TrainError('usage', `${engine.info.description} cannot train`)
  const checkpoint = persistence.checkpoint
  const resume = persistence.resume === true && checkpoint !== undefined
  let run: CheckpointedRun | undefined
  if (resume) {
    const read = await readTrainingCheckpoint(checkpoint, job.graph)()
    if (E.isLeft(read)) throw new TrainError('checkpoint', read.left.message)
    run = read.right
  }
  const params = trainableParams(job.graph).reduce((sum, p) => sum + numel([...p.shape]), 0)
  let model: TrainableEngineModel | undefined
  try {
    model = await compileForTraining(job.graph, { seed: job.options.seed, optimizer: job.options.optimizer, ...(job.options.init === undefined ? {} : { init: job.options.init }) })
    if (run !== undefined) {
      await model.loadStateDict(new Map([...run.weights].map(([name, t]) => [name, t.data])))
      const slots = new Map([...run.optimizer.slots].map(([slot, byName]) => [slot, new Map([...byName].map(([n, t]) => [n, { shape: [...t.shape], data: t.data }]))]))
      await model.loadOptimizerState({ step: run.optimizer.step, slots })
    }
  } catch (e) {
    model?.dispose()
    if (e instanceof TorchEngineError) throw new TrainError(run === undefined ? 'usage' : 'checkpoint', e.message)
    throw e
  }
  const trained = model
  const start: EngineProgress = run === undefined ? { epoch: 0, history: [] } : { epoch: run.epoch, history: run.history }
  const persist = epochPersistence(hooks, checkpoint, run?.epoch, (path) =>
    saveEngineCheckpoint(path, trained, progressNow!, job.identity, job.options, fingerprint)(),
  )
  let progressNow: EngineProgress | undefined
  const started = performance.now()
  try {
    const final = await fitEngine(trained, dataset, job.options, start, {
      ...(hooks.onBatch === undefined ? {} : { onBatch: hooks.onBatch }),
      ...(persistence.shouldStop === undefined ? {} : { shouldStop: persistence.shouldStop }),
      onEpoch: async (progress, metrics) => {
        progressNow = progress
        await persist.afterEpoch(progress.epoch, metrics)
      },
    })
    const seconds = (performance.now() - started) / 1000
    const evaluated = await evaluateFinal(job, dataset, evalEngine, async () => weightsOf(await trained.stateDict()))
    return {
      model: job.modelName,
      params,
      input: job.identity.modelOptions.input,
      ...fitted(job),
      history: final.history,
      imagesPerSecond: runThroughput(final.history, start.epoch),
      seconds,
      ...evaluated,
    }
  } catch (e) {
    throw persist.failure(e)
  } finally {
    trained.dispose()
  }
}

/**
 * Trains one job on a loaded dataset on the current backend: fresh, or resumed from `persistence.checkpoint` when
 * `persistence.resume` is set; writes the checkpoint after every epoch when `checkpoint` is given. Failures are
 * {@link TrainError}s: an empty split or data other than the resumed run's (`data`), an unreadable or unwritable
 * checkpoint (`checkpoint`), a diverging loss (`diverged`) or a stop request (`stopped`), the last two naming the
 * last good checkpoint. With `evalEngine` (e.g. `await onnxruntimeEngine()`), the final weights are also evaluated on
 * the test split by that engine ({@link evaluateWeights}) into {@link TrainResult.evaluation}; its failure is an
 * `evaluation` error.
 *
 * @example
 * ```ts
 * declare const dataset: Dataset
 * const result = await trainOne(resolveTrainJob('lenet', zoo.lenet, { epochs: 2 }), dataset, {
 *   onEpoch: (m) => console.log(formatEpoch(m, 2)),
 * })
 * ```
 * @category Training
 */
export const trainOne = async (
  job: TrainJob,
  dataset: Dataset,
  hooks: TrainJobHooks = {},
  persistence: TrainPersistence = {},
  engine?: TrainEngine,
  evalEngine?: Engine,
): Promise<TrainResult> => {
  const trainCount = Math.min(job.options.limitTrain ?? Infinity, dataset.train.count)
  const testCount = Math.min(job.options.limitTest ?? Infinity, dataset.test.count)
  for (const [split, count] of [
    ['training', trainCount],
    ['test', testCount],
  ] as const)
    if (count === 0) throw new TrainError('data', `the ${split} split of ${dataset.name} (${dataset.source}) is empty: nothing to ${split === 'training' ? 'train on' : 'evaluate'}`)
  if (dataset.classes.length !== job.identity.modelOptions.classes)
    throw new TrainError('data', `${dataset.name} has ${dataset.classes.length} classes, the model was built for ${job.identity.modelOptions.classes}`)
  const fingerprint: DatasetFingerprint = datasetFingerprint(dataset, job.options.limitTrain)
  const checkpoint = persistence.checkpoint
  const resume = persistence.resume === true && checkpoint !== undefined
  const saved = job.resumedFrom?.dataset
  if (resume && saved !== undefined && (saved.name !== fingerprint.name || saved.train.sha256 !== fingerprint.train.sha256))
    throw new TrainError(
      'data',
      `cannot resume: ${checkpoint} was trained on other data (${saved.name}, ${saved.train.images} training images from ` +
        `${saved.source}, SHA-256 ${saved.train.sha256.slice(0, 12)}…) than ${fingerprint.name} now gives ` +
        `(${fingerprint.train.images} images from ${fingerprint.source}, SHA-256 ${fingerprint.train.sha256.slice(0, 12)}…)`,
    )

  if (engine !== undefined && engine.info.engine !== 'tfjs') return trainOnEngine(job, dataset, hooks, persistence, engine, fingerprint, evalEngine)

  // The TensorFlow.js engine trains through fit, whose training state frees each tensor as soon as it is replaced.
  const model = compile(job.graph)
  const params = model.trainable.reduce((sum, p) => sum + numel([...p.shape]), 0)
  let state: TrainingState
  if (resume) {
    const resumed = await loadTrainingCheckpoint(checkpoint, model)()
    if (E.isLeft(resumed)) throw new TrainError('checkpoint', resumed.left.message)
    state = resumed.right.state
  } else state = initialTrainingState(model, job.options)

  const startEpoch = state.epoch
  let saving: TrainingState | undefined
  const persist = epochPersistence(hooks, checkpoint, resume ? state.epoch : undefined, (path) =>
    saveTrainingCheckpoint(path, model, saving!, job.identity, job.options, fingerprint)(),
  )
  const started = performance.now()
  let final: TrainingState
  try {
    final = await fit(model, dataset, job.options, state, {
      ...(hooks.onBatch === undefined ? {} : { onBatch: hooks.onBatch }),
      ...(persistence.shouldStop === undefined ? {} : { shouldStop: persistence.shouldStop }),
      onEpoch: async (s, metrics) => {
        saving = s
        await persist.afterEpoch(s.epoch, metrics)
      },
    })
  } catch (e) {
    throw persist.failure(e)
  }
  const seconds = (performance.now() - started) / 1000
  const history = final.history
  let evaluated: { readonly evaluation?: EngineEvaluation }
  try {
    evaluated = await evaluateFinal(job, dataset, evalEngine, async () => weightsOf(await model.readStateDict(final.model)))
  } finally {
    disposeTrainingState(model, final)
  }
  const imagesPerSecond = runThroughput(history, startEpoch)
  return { model: job.modelName, params, input: job.identity.modelOptions.input, ...fitted(job), history, imagesPerSecond, seconds, ...evaluated }
}
