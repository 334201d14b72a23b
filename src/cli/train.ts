/**
 * `shapesafe train <model>`: trains a zoo model on Fashion-MNIST (or MNIST), evaluating after every epoch, with
 * optional checkpoints and resume. The job itself is `src/train/job.ts`; this module parses the flags, prints, maps
 * the job's {@link TrainError}s to exit codes and turns Ctrl-C/SIGTERM into a stop between steps. Also the pieces
 * `shapesafe compare` shares: the training flags, data loading and {@link runTrainJob}.
 *
 * @module
 */
import * as E from 'fp-ts/lib/Either.js'
import { loadDataset, type Dataset, type DatasetName } from '../data/fashionMnist.js'
import type { BackendInfo } from '../runtime/backend.js'
import type { Engine, EngineInfo } from '../runtime/engine.js'
import { initSchemes } from '../runtime/init.js'
import { onnxruntimeEngine, type OnnxruntimeOptions } from '../runtime/onnxruntime.js'
import { TorchEngineError } from '../runtime/torch/engine.js'
import { tfjsEngine } from '../train/engine.js'
import { torchEngine } from '../train/torchEngine.js'
import { chooseBackend, threadsFlag } from './backend.js'
import {
  checkpointPathFor,
  refuseToReplace,
  resolveTrainJob as resolveJob,
  resumeTrainJob,
  TrainError,
  trainOne,
  type TrainEngine,
  type TrainJob,
  type TrainPersistence,
  type TrainResult,
  type TrainSettings,
} from '../train/job.js'
import { formatEpoch, formatRate, progressBar } from '../train/progress.js'
import { lookupModel, modelNames, type ZooEntry } from '../zoo/registry.js'
import { fitClassifierFlag, requireFitClassifierTaken, runLabel } from './fitClassifier.js'
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
import { preflightTrainJobs } from './preflight.js'

export type { TrainJob, TrainResult } from '../train/job.js'

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
  'data-dir': stringFlag('directory holding the dataset files (default: SHAPESAFE_DATA, system, cache, embedded sample, download)', 'DIR'),
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
  backend: stringFlag('tensorflow | webgpu | wasm | cpu (default: SHAPESAFE_BACKEND, else the best available)', 'NAME'),
  engine: choiceFlag(['tfjs', 'torch'] as const, 'tfjs (default; on --backend) or torch (native libtorch, `npm run build:native`)'),
  device: stringFlag('with --engine torch: cpu (default) or cuda / cuda:K', 'DEVICE'),
  'eval-engine': choiceFlag(
    ['onnxruntime'] as const,
    'after training, also evaluate the test split through the exported ONNX model in onnxruntime (needs onnxruntime-node)',
  ),
  threads: threadsFlag,
  seed: integerFlag('seed of initialisation, shuffling and dropout (default 0)', 'S', 0),
  init: choiceFlag(initSchemes, "conv/linear weights: pytorch (default, PyTorch's layer defaults) or xavier (xavier_uniform_, as d2l's train_ch6)"),
  'fit-classifier': fitClassifierFlag,
  json: booleanFlag('print one JSON object as the last stdout line; no progress output'),
} as const

const trainFlags = {
  ...trainingFlags,
  checkpoint: stringFlag('write a checkpoint after every epoch to PATH.json + a tensors file (a directory: DIR/checkpoint)', 'PATH'),
  resume: booleanFlag('continue the run saved at --checkpoint PATH'),
  overwrite: booleanFlag('start a new run at --checkpoint PATH even if a checkpoint is there (replaced after epoch 1)'),
} as const

/** Parsed values of {@link trainingFlags}. */
export type TrainingFlagValues = ParsedFlags<typeof trainingFlags>

/** Usage text of `shapesafe train`. */
export const trainUsage = `Usage: shapesafe train <model> [--dataset fashion-mnist] [flags]

Trains a zoo model, evaluating on the test set after every epoch. Prints one line per epoch (a progress bar on a
terminal); with --json only a final JSON object {"model", "epochs", "train_loss", "train_acc", "test_acc",
"images_per_s", "backend", "seconds"} (with --fit-classifier also "fit_classifier": true; with --eval-engine also "eval_engine", "eval_test_acc", "eval_test_loss"). Ctrl-C (or SIGTERM) stops between two steps, after a checkpoint being
written is complete, and says how to resume; a second one exits at once.

Flags:
${formatFlagHelp(trainFlags)}

Example:
  shapesafe train lenet --epochs 2
  shapesafe train resnet18 --resize 96 --batch-size 64 --checkpoint runs/resnet18 --epochs 5
  shapesafe train resnet18 --checkpoint runs/resnet18 --resume --epochs 10
  shapesafe train alexnet --resize 96 --fit-classifier   (AlexNet with Linear(256, 4096) instead of the seed's 6400)
`

/**
 * The job settings the flags give.
 *
 * @category flags
 */
export const settingsOf = (flags: TrainingFlagValues): TrainSettings => {
  const pairs: Array<[keyof TrainSettings, unknown]> = [
    ['dataset', flags.dataset],
    ['epochs', flags.epochs],
    ['batchSize', flags['batch-size']],
    ['optimizer', flags.optimizer],
    ['learningRate', flags.lr],
    ['momentum', flags.momentum],
    ['weightDecay', flags['weight-decay']],
    ['schedule', flags.schedule],
    ['resize', flags.resize],
    ['limitTrain', flags['limit-train']],
    ['limitTest', flags['limit-test']],
    ['seed', flags.seed],
    ['init', flags.init],
    ['fitClassifier', flags['fit-classifier']],
  ]
  return Object.fromEntries(pairs.filter(([, v]) => v !== undefined)) as TrainSettings
}

// ---------------------------------------------------------------------------------------------------------------------
// errors
// ---------------------------------------------------------------------------------------------------------------------

/**
 * The exit code of a job's failure: 2 for `usage`, 1 otherwise.
 *
 * @category errors
 */
export const exitCodeOf = (e: TrainError): number => (e.kind === 'usage' ? 2 : 1)

/** Runs `body`, turning a {@link TrainError} into a {@link CliError} with its exit code. */
const asCli = async <A>(body: () => A | Promise<A>): Promise<A> => {
  try {
    return await body()
  } catch (e) {
    if (e instanceof TrainError) throw new CliError(e.message, exitCodeOf(e))
    throw e
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
 * The training job for `modelName` from command-line flags and the model's defaults; a bad value is a usage error.
 *
 * @example
 * ```ts
 * resolveTrainJob('lenet', findModel('lenet'), { epochs: 1 }).options.optimizer // { name: 'adam', learningRate: 0.005 }
 * ```
 * @category resolution
 */
export const resolveTrainJob = (modelName: string, entry: ZooEntry, flags: TrainingFlagValues): TrainJob => {
  requireFitClassifierTaken(modelName, entry, flags)
  try {
    return resolveJob(modelName, entry, settingsOf(flags))
  } catch (e) {
    if (e instanceof TrainError) throw new CliError(e.message, exitCodeOf(e))
    throw e
  }
}

// ---------------------------------------------------------------------------------------------------------------------
// running
// ---------------------------------------------------------------------------------------------------------------------

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
 * Runs a job with the command line's display: a progress bar on stderr, one line per epoch on stdout. A failure is
 * the job's {@link TrainError} (the caller maps it to an exit code).
 *
 * @category running
 */
export const runTrainJob = async (
  job: TrainJob,
  dataset: Dataset,
  io: CliIo,
  display: TrainDisplay,
  persistence: TrainPersistence = {},
  engine?: TrainEngine,
  evalEngine?: Engine,
): Promise<TrainResult> => {
  const bar = progressBar(io.stderr, { enabled: display.progress })
  const prefix = display.label === undefined ? '' : `${display.label}: `
  try {
    return await trainOne(
      job,
      dataset,
      {
        ...(display.progress ? { onBatch: (p) => bar.update(p) } : {}),
        onEpoch: (metrics) => {
          bar.clear()
          if (display.epochLines) io.stdout(`${prefix}${formatEpoch(metrics, job.options.epochs)}\n`)
        },
      },
      persistence,
      engine,
      evalEngine,
    )
  } catch (e) {
    bar.clear()
    if (e instanceof TrainError && display.label !== undefined) throw new TrainError(e.kind, `${prefix}${e.message}`, e.checkpoint)
    throw e
  }
}

/** What runs the training: the engine, and for TensorFlow.js its backend (which also makes the batches). */
export interface TrainRuntime {
  readonly engine: TrainEngine
  /** Engine and device, as `compare` records them per row. */
  readonly info: EngineInfo
  readonly backend: BackendInfo
  /** Short name for tables and JSON: the backend's name, or `torch-cpu`/`torch-cuda`. */
  readonly name: string
  /** One line for people. */
  readonly description: string
}

/**
 * The engine (`--engine`, `--device`) and backend (`--backend`) of a run; an engine that is not available here is a
 * usage error saying why (e.g. the native engine not built).
 */
export const chooseRuntime = async (
  flags: { readonly backend?: string; readonly engine?: string; readonly device?: string; readonly threads?: string },
  io: CliIo,
): Promise<TrainRuntime> => {
  const backend = await chooseBackend(flags.backend, io, flags.threads)
  if (flags.engine !== 'torch') {
    if (flags.device !== undefined) throw new CliError('--device is for --engine torch (TensorFlow.js picks its device with --backend)', 2)
    const engine = tfjsEngine(backend)
    return { engine, info: engine.info, backend, name: backend.name, description: backend.description }
  }
  const device = flags.device ?? 'cpu'
  let engine: TrainEngine
  try {
    // --threads N sets libtorch's threads too; `auto` (and no flag) leaves the engine's default (every core).
    const threads = Number(flags.threads)
    engine = torchEngine({ device, ...(Number.isInteger(threads) && threads >= 1 ? { threads } : {}) })
  } catch (e) {
    if (!(e instanceof TorchEngineError)) throw e
    // The engine's device errors name the flag's value; the rest say why libtorch is not there.
    throw new CliError(e.message.startsWith('device') ? `--${e.message}` : `--engine torch: ${e.message}`, 2)
  }
  return {
    engine,
    info: engine.info,
    backend,
    name: `torch-${device.split(':')[0]}`,
    description: `torch (${engine.info.description}; batches made on ${backend.name})`,
  }
}

export { chooseBackend } from './backend.js'

/**
 * The evaluation engine of `--eval-engine` (none without the flag), loaded before anything is trained: onnxruntime not
 * installed is a usage error saying how to install it. `--threads N` sets onnxruntime's intra-op threads too.
 * `ortOptions` passes options to {@link onnxruntimeEngine} (tests name a missing package there).
 *
 * @category running
 */
export const chooseEvalEngine = async (
  flags: { readonly 'eval-engine'?: 'onnxruntime'; readonly threads?: string },
  ortOptions: Pick<OnnxruntimeOptions, 'specifier'> = {},
): Promise<Engine | undefined> => {
  if (flags['eval-engine'] === undefined) return undefined
  const threads = Number(flags.threads)
  try {
    return await onnxruntimeEngine({ ...ortOptions, ...(Number.isInteger(threads) && threads >= 1 ? { threads } : {}) })
  } catch (e) {
    throw new CliError(`--eval-engine onnxruntime: ${e instanceof Error ? e.message : String(e)}`, 2)
  }
}

/**
 * One line comparing the evaluation engine's test accuracy with the training engine's (the last epoch's), e.g.
 * `onnxruntime (cpu) test accuracy 0.8125, loss 0.5121; tfjs 0.8125: same`.
 *
 * @category formatting
 */
export const formatEvaluation = (result: TrainResult, trainedOn: string): string => {
  const e = result.evaluation
  if (e === undefined) return ''
  const own = result.history.at(-1)?.testAccuracy
  const agree = own === undefined ? '' : `; ${trainedOn} ${own.toFixed(4)}: ${own === e.testAccuracy ? 'same' : `differs by ${Math.abs(own - e.testAccuracy).toFixed(4)}`}`
  return `${e.engine} (${e.device}) test accuracy ${e.testAccuracy.toFixed(4)}, loss ${e.testLoss.toFixed(4)} on ${e.images} images${agree}`
}

/**
 * Loads the dataset named by the flags, enough of it for `need` images of each split (the embedded sample serves a
 * job within its size); a missing dataset is a runtime error with the data layer's message.
 *
 * @category running
 */
export const loadData = async (
  name: DatasetName,
  dataDir: string | undefined,
  io: CliIo,
  quiet: boolean,
  need: { readonly train?: number; readonly test?: number } = {},
): Promise<Dataset> => {
  const loaded = await loadDataset(name, {
    ...(dataDir === undefined ? {} : { dataDir }),
    env: io.env,
    need,
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
 * declare const result: TrainResult, backend: TrainRuntime
 * JSON.stringify(jsonSummary(result, backend)) // {"model":"lenet","epochs":2,"train_loss":0.52,...}
 * ```
 * @category formatting
 */
export const jsonSummary = (result: TrainResult, backend: Pick<TrainRuntime, 'name'>) => {
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
    ...(result.fitClassifier === true ? { fit_classifier: true } : {}),
    ...(result.evaluation === undefined
      ? {}
      : { eval_engine: result.evaluation.engine, eval_test_acc: result.evaluation.testAccuracy, eval_test_loss: result.evaluation.testLoss }),
  }
}

const describeJob = (job: TrainJob, dataset: Dataset, backend: Pick<TrainRuntime, 'description'>): string => {
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
    `training ${runLabel({ model: job.modelName, fitClassifier: job.identity.modelOptions.fitClassifier })} on ${dataset.name} ` +
    `(${trainCount} train / ${testCount} test images, ${c}×${h}×${w}), ` +
    `${optimizer}, ${o.schedule?.kind ?? 'constant'} schedule, batch ${o.batchSize}, ${o.epochs} epochs, seed ${o.seed}${o.init === undefined ? '' : `, ${o.init} init`}\n` +
    `data: ${dataset.source}\n` +
    `backend: ${backend.description}\n`
  )
}

/**
 * Ctrl-C and SIGTERM for the duration of a run: the first asks the run to stop between two steps (a checkpoint being
 * written is completed first); a second exits at once with 128 + the signal number.
 *
 * @category running
 */
export const stopOnSignals = (io: CliIo): { readonly shouldStop: () => boolean; readonly received: () => NodeJS.Signals | undefined; readonly dispose: () => void } => {
  let received: NodeJS.Signals | undefined
  const handler = (signal: NodeJS.Signals) => {
    if (received !== undefined) {
      io.stderr(`\nshapesafe train: second ${signal}: exiting at once (the last complete checkpoint stays on disk)\n`)
      process.exit(128 + (signal === 'SIGINT' ? 2 : 15))
    }
    received = signal
    io.stderr(`\nshapesafe train: ${signal}: stopping after the current step (a checkpoint being written is finished first); send it again to exit at once\n`)
  }
  process.on('SIGINT', handler)
  process.on('SIGTERM', handler)
  return {
    shouldStop: () => received !== undefined,
    received: () => received,
    dispose: () => {
      process.off('SIGINT', handler)
      process.off('SIGTERM', handler)
    },
  }
}

/**
 * `shapesafe train <model> [flags]`; returns the exit code.
 *
 * @example
 * ```ts
 * declare const io: CliIo // processIo() in the shapesafe binary
 * process.exitCode = await trainCommand(['lenet', '--epochs', '2', '--json'], io)
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
  if (flags.resume === true && flags.overwrite === true) throw new CliError('--resume and --overwrite contradict each other: choose one', 2)
  if (flags.overwrite === true && flags.checkpoint === undefined) throw new CliError('--overwrite needs --checkpoint PATH', 2)

  const settings = settingsOf(flags)
  const checkpoint = flags.checkpoint === undefined ? undefined : await asCli(() => checkpointPathFor(flags.checkpoint!))
  requireFitClassifierTaken(modelName, entry, flags)
  const job = await asCli(async () => {
    if (flags.resume === true && checkpoint !== undefined) return resumeTrainJob(modelName, entry, settings, checkpoint)
    const fresh = resolveJob(modelName, entry, settings)
    if (checkpoint !== undefined) await refuseToReplace(checkpoint, { overwrite: flags.overwrite === true })
    return fresh
  })

  if (checkpoint !== undefined) await requireWritable('--checkpoint', `${checkpoint}.json`)
  const quiet = flags.json === true
  const backend = await chooseRuntime(flags, io)
  const evalEngine = await chooseEvalEngine(flags)
  // Memory and time on TensorFlow.js; on libtorch, which manages its own memory, the time only.
  preflightTrainJobs([job], backend.name, io, quiet)
  const dataset = await loadData(job.dataset as DatasetName, flags['data-dir'], io, quiet, {
    ...(job.options.limitTrain === undefined ? {} : { train: job.options.limitTrain }),
    ...(job.options.limitTest === undefined ? {} : { test: job.options.limitTest }),
  })
  if (!quiet) io.stdout(describeJob(job, dataset, backend))
  const signals = stopOnSignals(io)
  let result: TrainResult
  try {
    result = await runTrainJob(
      job,
      dataset,
      io,
      { epochLines: !quiet, progress: !quiet && io.isTTY },
      { ...(checkpoint === undefined ? {} : { checkpoint }), resume: flags.resume === true, shouldStop: signals.shouldStop },
      backend.engine,
      evalEngine,
    )
  } catch (e) {
    if (!(e instanceof TrainError)) throw e
    const resumeHint =
      e.checkpoint === undefined ? '' : `\nresume with: shapesafe train ${modelName} --checkpoint ${e.checkpoint.path} --resume`
    if (e.kind === 'stopped') {
      io.stderr(`shapesafe train: ${e.message}${resumeHint}\n`)
      return 128 + (signals.received() === 'SIGTERM' ? 15 : 2)
    }
    throw new CliError(`${e.message}${resumeHint}`, exitCodeOf(e))
  } finally {
    signals.dispose()
  }
  const summary = jsonSummary(result, backend)
  if (quiet) io.stdout(`${JSON.stringify(summary)}\n`)
  else {
    const last = result.history.at(-1)
    io.stdout(
      `done: ${runLabel(result)}, ${result.params.toLocaleString('en-US')} parameters, test accuracy ` +
        `${last === undefined ? '-' : last.testAccuracy.toFixed(4)}, ${formatRate(result.imagesPerSecond)} images/s, ` +
        `${result.seconds.toFixed(1)} s${checkpoint === undefined ? '' : `; checkpoint: ${checkpoint}`}\n`,
    )
    if (result.evaluation !== undefined) io.stdout(`${formatEvaluation(result, backend.info.engine)}\n`)
  }
  return 0
}
