/**
 * `shapesafe train <model>`: trains a zoo model on Fashion-MNIST (or MNIST), evaluating after every epoch, with
 * optional checkpoints and resume. Also the shared machinery of `shapesafe compare`: the training flags, their
 * resolution against per-model defaults, and {@link trainOne}.
 *
 * @module
 */
import * as E from 'fp-ts/lib/Either.js'
import { loadDataset, type Dataset, type DatasetName } from '../data/fashionMnist.js'
import { numel, type Graph } from '../graph/ir.js'
import type { BackendInfo } from '../runtime/backend.js'
import { chooseBackend, threadsFlag } from './backend.js'
import { compile } from '../runtime/model.js'
import { optimizerDefaultRates, trainDefaults } from '../train/defaults.js'
import {
  disposeTrainingState,
  fit,
  initialTrainingState,
  NonFiniteLossError,
  type TrainingState,
  type TrainOptions,
} from '../train/fit.js'
import type { OptimizerConfig } from '../train/optimizers.js'
import { formatEpoch, formatRate, progressBar, type EpochMetrics } from '../train/progress.js'
import { defaultSchedule } from '../train/schedules.js'
import { loadTrainingCheckpoint, readRunInfo, saveTrainingCheckpoint, type RunIdentity } from '../train/trainingCheckpoint.js'
import { lookupModel, modelNames, type ZooEntry } from '../zoo/registry.js'
import {
  booleanFlag,
  choiceFlag,
  formatFlagHelp,
  integerFlag,
  numberFlag,
  parseArgs,
  stringFlag,
  type ParsedFlags,
} from './args.js'
import { CliError, requireWritable, withErrorReporting, type CliIo } from './io.js'

// ---------------------------------------------------------------------------------------------------------------------
// flags
// ---------------------------------------------------------------------------------------------------------------------

/**
 * Flags shared by `train` and `compare`.
 *
 * @category flags
 */
export const trainingFlags = {
  dataset: choiceFlag(['fashion-mnist', 'mnist'] as const, 'dataset (default fashion-mnist)'),
  'data-dir': stringFlag('directory holding the dataset files (default: SHAPESAFE_DATA, system, cache, download)', 'DIR'),
  epochs: integerFlag('training epochs (default 2)', 'E'),
  'batch-size': integerFlag('mini-batch size (default 128; 32 for the 96×96 and 224×224 nets, 16 for DenseNet, 4 for VGG)', 'B'),
  optimizer: choiceFlag(['adam', 'sgd'] as const, 'optimizer (default adam; sgd for VGG)'),
  lr: numberFlag('learning rate (default: per model: lenet 0.005, VGG 0.01 (sgd), others 0.001; sgd elsewhere 0.05)', 'LR'),
  momentum: numberFlag('SGD momentum (default 0.9)', 'M', false),
  'weight-decay': numberFlag('L2 weight decay (default 0)', 'WD', false),
  schedule: choiceFlag(['constant', 'step', 'cosine'] as const, 'learning-rate schedule (default constant)'),
  resize: integerFlag("resize images to S×S (default: the model's Fashion-MNIST input size)", 'S'),
  'limit-train': integerFlag('train on the first N training images only', 'N'),
  'limit-test': integerFlag('evaluate on the first N test images only', 'N'),
  backend: stringFlag('tensorflow | wasm | cpu (default: SHAPESAFE_BACKEND, else the best available)', 'NAME'),
  threads: threadsFlag,
  seed: integerFlag('seed of initialisation, shuffling and dropout (default 0)', 'S', 0),
  json: booleanFlag('print one JSON object as the last stdout line; no progress output'),
} as const

const trainFlags = {
  ...trainingFlags,
  checkpoint: stringFlag('write a checkpoint after every epoch to PATH.safetensors + PATH.json', 'PATH'),
  resume: booleanFlag('continue the run saved at --checkpoint PATH'),
} as const

/** Parsed values of {@link trainingFlags}. */
export type TrainingFlagValues = ParsedFlags<typeof trainingFlags>

/** Usage text of `shapesafe train`. */
export const trainUsage = `Usage: shapesafe train <model> [--dataset fashion-mnist] [flags]

Trains a zoo model, evaluating on the test set after every epoch. Prints one line per epoch (a progress bar on a
terminal); with --json only a final JSON object {"model", "epochs", "train_loss", "train_acc", "test_acc",
"images_per_s", "backend", "seconds"}.

Flags:
${formatFlagHelp(trainFlags)}

Example:
  shapesafe train lenet --epochs 2
  shapesafe train resnet18 --resize 96 --batch-size 64 --checkpoint runs/resnet18 --epochs 5
  shapesafe train resnet18 --checkpoint runs/resnet18 --resume --epochs 10
`

// ---------------------------------------------------------------------------------------------------------------------
// resolution
// ---------------------------------------------------------------------------------------------------------------------

/**
 * A fully resolved training job for one model.
 *
 * @category model
 */
export interface TrainJob {
  readonly modelName: string
  readonly entry: ZooEntry
  readonly identity: RunIdentity
  readonly options: TrainOptions
  /** The model's graph for the training input size and 10 classes. */
  readonly graph: Graph
}

/** Classes of the supported datasets (Fashion-MNIST and MNIST both have 10). */
const datasetClasses = 10

/**
 * The graph of `entry` for `input`, or a usage error saying why the model cannot take that input.
 *
 * @category resolution
 */
export const buildGraph = (modelName: string, entry: ZooEntry, input: readonly [number, number, number, number]): Graph => {
  try {
    return entry.graph({ input, classes: datasetClasses })
  } catch (e) {
    throw new CliError(`${modelName} cannot take input [${input.join(', ')}]: ${e instanceof Error ? e.message : String(e)}`, 2)
  }
}

/**
 * The zoo entry of `name`, or a usage error with the registry's "did you mean" message.
 *
 * @category resolution
 */
export const findModel = (name: string): ZooEntry => {
  const found = lookupModel(name)
  if (E.isLeft(found)) throw new CliError(found.left, 2)
  return found.right
}

/**
 * Training options for `modelName` from the given flags and the model's defaults (see `src/train/defaults.ts`):
 * images are resized to `--resize` or to the model's `fashionInput` size.
 *
 * @example
 * ```ts
 * resolveTrainJob('lenet', findModel('lenet'), { epochs: 1 }).options.optimizer // { name: 'adam', learningRate: 0.005 }
 * ```
 * @category resolution
 */
export const resolveTrainJob = (modelName: string, entry: ZooEntry, flags: TrainingFlagValues): TrainJob => {
  const defaults = trainDefaults(modelName)
  const epochs = flags.epochs ?? defaults.epochs
  const optimizerName = flags.optimizer ?? defaults.optimizer
  const learningRate =
    flags.lr ?? (optimizerName === defaults.optimizer ? defaults.learningRate : optimizerDefaultRates[optimizerName])
  if (flags.momentum !== undefined && (flags.momentum < 0 || flags.momentum >= 1))
    throw new CliError(`--momentum: expected a number in [0, 1), got ${flags.momentum}`, 2)
  if (flags.momentum !== undefined && optimizerName !== 'sgd') throw new CliError('--momentum applies to --optimizer sgd only', 2)
  if (flags['weight-decay'] !== undefined && flags['weight-decay'] < 0)
    throw new CliError(`--weight-decay: expected a non-negative number, got ${flags['weight-decay']}`, 2)
  const weightDecay = flags['weight-decay'] ?? 0
  const optimizer: OptimizerConfig =
    optimizerName === 'sgd'
      ? { name: 'sgd', learningRate, momentum: flags.momentum ?? 0.9, weightDecay }
      : { name: 'adam', learningRate, weightDecay }
  const [channels, height, width] = entry.fashionInput
  const size = flags.resize ?? (height === width ? height : undefined)
  if (size === undefined)
    throw new CliError(`${modelName} trains on ${height}×${width} inputs; give a square size with --resize S`, 2)
  const options: TrainOptions = {
    epochs,
    batchSize: flags['batch-size'] ?? defaults.batchSize,
    optimizer,
    schedule: defaultSchedule(flags.schedule ?? 'constant', epochs),
    seed: flags.seed ?? 0,
    ...(size === 28 ? {} : { resize: size }),
    ...(flags['limit-train'] === undefined ? {} : { limitTrain: flags['limit-train'] }),
    ...(flags['limit-test'] === undefined ? {} : { limitTest: flags['limit-test'] }),
  }
  const input = [1, channels, size, size] as const
  return {
    modelName,
    entry,
    identity: { model: modelName, modelOptions: { input, classes: datasetClasses } },
    options,
    graph: buildGraph(modelName, entry, input),
  }
}

/** Flags whose value is fixed by a checkpoint: giving a different one with --resume is an error. */
const fixedOnResume = ['batch-size', 'optimizer', 'lr', 'momentum', 'weight-decay', 'schedule', 'resize', 'limit-train', 'seed'] as const

/** The command-line value of each {@link fixedOnResume} flag that produced `options`. */
const savedFlagValues = (options: TrainOptions): Record<(typeof fixedOnResume)[number], unknown> => ({
  'batch-size': options.batchSize,
  optimizer: options.optimizer.name,
  lr: options.optimizer.learningRate,
  momentum: options.optimizer.name === 'sgd' ? options.optimizer.momentum : undefined,
  'weight-decay': options.optimizer.weightDecay ?? 0,
  schedule: options.schedule?.kind ?? 'constant',
  resize: options.resize ?? 28,
  'limit-train': options.limitTrain,
  seed: options.seed,
})

// ---------------------------------------------------------------------------------------------------------------------
// running
// ---------------------------------------------------------------------------------------------------------------------

/**
 * What one training run produced.
 *
 * @category model
 */
export interface TrainResult {
  readonly model: string
  /** Trainable parameters. */
  readonly params: number
  /** Input size `[1, C, H, W]` trained on. */
  readonly input: readonly number[]
  /** Metrics of every completed epoch (including epochs before a resume). */
  readonly history: readonly EpochMetrics[]
  /** Training images per second over the epochs trained in this run. */
  readonly imagesPerSecond: number
  /** Wall-clock seconds of training and evaluation in this run. */
  readonly seconds: number
}

/**
 * Display settings of a run.
 *
 * @category model
 */
export interface TrainDisplay {
  /** Print epoch lines to stdout (off with --json). */
  readonly epochLines: boolean
  /** Draw a progress bar on stderr (on a terminal without --json). */
  readonly progress: boolean
  /** Prefix of progress and epoch lines (the model name in `compare`). */
  readonly label?: string
}

/**
 * Trains one job on a loaded dataset on the current backend: fresh, or resumed from `checkpoint` when `resume` is
 * set; writes the checkpoint after every epoch when `checkpoint` is given. A diverging loss is a {@link CliError}
 * naming the last good checkpoint.
 *
 * @category running
 */
export const trainOne = async (
  job: TrainJob,
  dataset: Dataset,
  io: CliIo,
  display: TrainDisplay,
  persistence: { readonly checkpoint?: string; readonly resume?: boolean } = {},
): Promise<TrainResult> => {
  if (dataset.classes.length !== job.identity.modelOptions.classes)
    throw new CliError(`${dataset.name} has ${dataset.classes.length} classes, the model was built for ${job.identity.modelOptions.classes}`, 1)
  const model = compile(job.graph)
  const params = model.trainable.reduce((sum, p) => sum + numel([...p.shape]), 0)
  let state: TrainingState
  if (persistence.resume === true && persistence.checkpoint !== undefined) {
    const resumed = await loadTrainingCheckpoint(persistence.checkpoint, model)()
    if (E.isLeft(resumed)) throw new CliError(resumed.left.message, 1)
    state = resumed.right.state
  } else state = initialTrainingState(model, job.options)

  const bar = progressBar(io.stderr, { enabled: display.progress })
  const prefix = display.label === undefined ? '' : `${display.label}: `
  let lastSaved: number | undefined = persistence.resume === true ? state.epoch : undefined
  const startEpoch = state.epoch
  const started = performance.now()
  let final: TrainingState
  try {
    final = await fit(model, dataset, job.options, state, {
      onBatch: display.progress ? (p) => bar.update(p) : undefined,
      onEpoch: async (s, metrics) => {
        bar.clear()
        if (display.epochLines) io.stdout(`${prefix}${formatEpoch(metrics, job.options.epochs)}\n`)
        if (persistence.checkpoint !== undefined) {
          const saved = await saveTrainingCheckpoint(persistence.checkpoint, model, s, job.identity, job.options)()
          if (E.isLeft(saved)) throw new CliError(saved.left.message, 1)
          lastSaved = s.epoch
        }
      },
    })
  } catch (e) {
    bar.clear()
    if (e instanceof NonFiniteLossError) {
      const kept =
        persistence.checkpoint === undefined
          ? 'no checkpoint was written (use --checkpoint PATH to keep one per epoch)'
          : lastSaved === undefined
            ? `no epoch finished, so there is no checkpoint at ${persistence.checkpoint}`
            : `the last good checkpoint (epoch ${lastSaved}) is kept at ${persistence.checkpoint}`
      throw new CliError(`${prefix}${e.message}; ${kept}`, 1)
    }
    throw e
  }
  const seconds = (performance.now() - started) / 1000
  const history = final.history
  disposeTrainingState(model, final)
  const fresh = history.slice(startEpoch)
  const images = fresh.reduce((sum, m) => sum + m.imagesPerSecond * m.trainSeconds, 0)
  const trainSeconds = fresh.reduce((sum, m) => sum + m.trainSeconds, 0)
  const imagesPerSecond = trainSeconds > 0 ? images / trainSeconds : (history.at(-1)?.imagesPerSecond ?? 0)
  return { model: job.modelName, params, input: job.identity.modelOptions.input, history, imagesPerSecond, seconds }
}

export { chooseBackend } from './backend.js'

/**
 * Loads the dataset named by the flags; a missing dataset is a runtime error with the data layer's message.
 *
 * @category running
 */
export const loadData = async (name: DatasetName, dataDir: string | undefined, io: CliIo, quiet: boolean): Promise<Dataset> => {
  const loaded = await loadDataset(name, {
    ...(dataDir === undefined ? {} : { dataDir }),
    env: io.env,
    ...(quiet ? {} : { log: (line: string) => io.stderr(`${line}\n`) }),
  })()
  if (E.isLeft(loaded)) throw new CliError(loaded.left.message, 1)
  return loaded.right
}

/**
 * The `--json` summary object of a run.
 *
 * @example
 * ```ts
 * JSON.stringify(jsonSummary(result, backend)) // {"model":"lenet","epochs":2,"train_loss":0.52,...}
 * ```
 * @category formatting
 */
export const jsonSummary = (result: TrainResult, backend: BackendInfo) => {
  const last = result.history.at(-1)
  return {
    model: result.model,
    epochs: result.history.length,
    train_loss: last?.trainLoss ?? null,
    train_acc: last?.trainAccuracy ?? null,
    test_acc: last?.testAccuracy ?? null,
    images_per_s: Number(result.imagesPerSecond.toPrecision(3)),
    backend: backend.name,
    seconds: Math.round(result.seconds * 100) / 100,
  }
}

const describeJob = (job: TrainJob, dataset: Dataset, backend: BackendInfo): string => {
  const o = job.options
  const opt = o.optimizer
  const optimizer =
    opt.name === 'sgd'
      ? `sgd lr ${opt.learningRate} momentum ${opt.momentum ?? 0}${opt.weightDecay ? ` wd ${opt.weightDecay}` : ''}`
      : `adam lr ${opt.learningRate}${opt.weightDecay ? ` wd ${opt.weightDecay}` : ''}`
  const [, c, h, w] = job.identity.modelOptions.input
  const trainCount = Math.min(o.limitTrain ?? Infinity, dataset.train.count)
  const testCount = Math.min(o.limitTest ?? Infinity, dataset.test.count)
  return (
    `training ${job.modelName} on ${dataset.name} (${trainCount} train / ${testCount} test images, ${c}×${h}×${w}), ` +
    `${optimizer}, ${o.schedule?.kind ?? 'constant'} schedule, batch ${o.batchSize}, ${o.epochs} epochs, seed ${o.seed}\n` +
    `backend: ${backend.description}\n`
  )
}

/**
 * `shapesafe train <model> [flags]`; returns the exit code.
 *
 * @example
 * ```ts
 * process.exitCode = await trainCommand(['lenet', '--epochs', '2', '--json'], processIo())
 * ```
 * @category commands
 */
export async function trainCommand(argv: string[], io: CliIo): Promise<number> {
  return withErrorReporting('train', io, () => train(argv, io))
}

async function train(argv: string[], io: CliIo): Promise<number> {
  const parsed = parseArgs(argv, trainFlags)
  if (E.isLeft(parsed)) throw new CliError(`${parsed.left.message}\nRun "shapesafe train --help" for usage.`, 2)
  const { positionals, flags, help } = parsed.right
  if (help) {
    io.stdout(trainUsage)
    return 0
  }
  if (positionals.length !== 1)
    throw new CliError(
      positionals.length === 0
        ? `which model? e.g. "shapesafe train lenet"; available models: ${modelNames.join(', ')}`
        : `expected one model, got ${positionals.length} (${positionals.join(', ')}); use "shapesafe compare" for several`,
      2,
    )
  const modelName = positionals[0]
  const entry = findModel(modelName)
  if (flags.resume === true && flags.checkpoint === undefined) throw new CliError('--resume needs --checkpoint PATH', 2)

  let job = resolveTrainJob(modelName, entry, flags)
  if (flags.resume === true && flags.checkpoint !== undefined) {
    const info = await readRunInfo(flags.checkpoint)()
    if (E.isLeft(info)) throw new CliError(info.left.message, 1)
    const saved = info.right
    if (saved.identity.model !== modelName)
      throw new CliError(`cannot resume: ${flags.checkpoint} is a run of ${saved.identity.model}, not ${modelName}`, 2)
    const resumedOptions: TrainOptions = { ...saved.options, epochs: flags.epochs ?? saved.options.epochs }
    const limitTest = flags['limit-test'] ?? saved.options.limitTest
    const options: TrainOptions = { ...resumedOptions, ...(limitTest === undefined ? {} : { limitTest }) }
    const savedInput = saved.identity.modelOptions.input
    if (savedInput.length !== 4) throw new CliError(`cannot resume: ${flags.checkpoint} records an invalid input size`, 1)
    const resumedJob: TrainJob = {
      modelName,
      entry,
      identity: saved.identity,
      options,
      graph: buildGraph(modelName, entry, savedInput as unknown as readonly [number, number, number, number]),
    }
    const savedValues = savedFlagValues(options)
    for (const flag of fixedOnResume) {
      const given = flags[flag]
      if (given !== undefined && given !== savedValues[flag])
        throw new CliError(
          `cannot resume with --${flag} ${String(given)}: ${flags.checkpoint} was trained with ` +
            `--${flag} ${String(savedValues[flag] ?? '(not set)')}; drop the flag to continue that run`,
          2,
        )
    }
    job = resumedJob
  }

  if (flags.checkpoint !== undefined) await requireWritable('--checkpoint', `${flags.checkpoint}.json`)
  const quiet = flags.json === true
  const backend = await chooseBackend(flags.backend, io, flags.threads)
  const dataset = await loadData(flags.dataset ?? 'fashion-mnist', flags['data-dir'], io, quiet)
  if (!quiet) io.stdout(describeJob(job, dataset, backend))
  const result = await trainOne(
    job,
    dataset,
    io,
    { epochLines: !quiet, progress: !quiet && io.isTTY },
    {
      ...(flags.checkpoint === undefined ? {} : { checkpoint: flags.checkpoint }),
      resume: flags.resume === true,
    },
  )
  const summary = jsonSummary(result, backend)
  if (quiet) io.stdout(`${JSON.stringify(summary)}\n`)
  else {
    const last = result.history.at(-1)
    io.stdout(
      `done: ${result.model}, ${result.params.toLocaleString('en-US')} parameters, test accuracy ` +
        `${last === undefined ? '-' : last.testAccuracy.toFixed(4)}, ${formatRate(result.imagesPerSecond)} images/s, ` +
        `${result.seconds.toFixed(1)} s${flags.checkpoint === undefined ? '' : `; checkpoint: ${flags.checkpoint}`}\n`,
    )
  }
  return 0
}
