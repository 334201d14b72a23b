/**
 * `shapesafe compare <model> <model>...`: trains each model under the same budget and seed (one after another, on the
 * same data), then writes `results.md` (a table), `accuracy.svg` and `loss.svg` (test accuracy and training loss per
 * epoch) and `results.json` to the output directory, and prints the table.
 *
 * `--main-job` is the budget `npm start` uses: {@link mainJobBudget}.
 *
 * @module
 */
import { readFile } from 'node:fs/promises'
import * as nodePath from 'node:path'
import * as E from 'fp-ts/lib/Either.js'
import { writeFileAtomic } from '../io/atomicWrite.js'
import type { BackendInfo } from '../runtime/backend.js'
import { tfjsEngineInfo } from '../runtime/engine.js'
import type { OptimizerConfig } from '../train/optimizers.js'
import type { InitScheme } from '../runtime/init.js'
import { formatRate } from '../train/progress.js'
import { booleanFlag, formatFlagHelp, parseArgs, stringFlag } from './args.js'
import { CliError, requireWritable, withErrorReporting, type CliIo } from './io.js'
import { preflightTrainJobs } from './preflight.js'
import { lineChartSvg } from './plot.js'
import { requireFitClassifierTaken, runLabel } from './fitClassifier.js'
import { TrainError, type TrainJob, type TrainResult } from '../train/job.js'
import {
  chooseEvalEngine,
  chooseRuntime,
  findModel,
  formatEvaluation,
  loadData,
  resolveTrainJob,
  runTrainJob,
  trainingFlags,
  type TrainingFlagValues,
} from './train.js'

const compareFlags = {
  ...trainingFlags,
  out: stringFlag('output directory (default runs/compare-<timestamp>)', 'DIR'),
  'main-job': booleanFlag('the npm start budget: 2 epochs on 4000 training and 2000 test images (flags still override)'),
  merge: booleanFlag('train nothing: the positionals are output directories of earlier compare runs on the same data; write their rows as one table and one pair of plots to --out'),
} as const

/**
 * The `--main-job` budget: two epochs on the first 4000 training images, tested on the first 2000 test images, so
 * that comparing lenet, nin-small and resnet-small (`npm start`) takes a few minutes with the wasm backend
 * (which runs on one thread; measured: 3 min 20 s in all, lenet 8 s, nin-small 84 s, resnet-small 108 s). Two epochs
 * give each curve in the plots two points. Explicit flags override it.
 *
 * @category constants
 */
export const mainJobBudget: TrainingFlagValues = { epochs: 2, 'limit-train': 4000, 'limit-test': 2000 }

const usage = `Usage: shapesafe compare <model> <model>... [--dataset fashion-mnist] [flags]

Trains each model with the same budget, seed and data, then writes DIR/results.md (table), DIR/accuracy.svg and
DIR/loss.svg (test accuracy and training loss per epoch), DIR/results.json, and prints the table. Each model uses its
own default learning rate and input size unless --lr/--resize are given.

Flags:
${formatFlagHelp(compareFlags)}

Examples:
  shapesafe compare lenet nin-small resnet-small --epochs 2 --limit-train 10000
  shapesafe compare --merge runs/lenet runs/resnet18-64 --out runs/seed   (runs with different epochs or --resize)
`

/**
 * One model's outcome in a comparison.
 *
 * @category model
 */
export type CompareEntry =
  | ({ readonly ok: true; readonly optimizer: OptimizerConfig; readonly batchSize: number; readonly init?: InitScheme } & EngineRow & TrainResult)
  | { readonly ok: false; readonly model: string; readonly fitClassifier?: true; readonly error: string }

/**
 * Which engine and device produced a row (`tfjs` on `wasm, 2 threads`, ...).
 *
 * @category model
 */
export interface EngineRow {
  readonly engine: string
  readonly device: string
}

/**
 * The `results.json` document.
 *
 * @category model
 */
export interface CompareReport {
  readonly dataset: string
  /** Where the images came from (e.g. `sample (4000/2000 images) in …`, `Debian package dataset-fashion-mnist (…)`). */
  readonly dataSource: string
  readonly backend: string
  readonly seed: number
  /** `epochs` is null in a merged report whose runs differ in epochs (each row has its own). */
  readonly budget: { readonly epochs: number | null; readonly limitTrain: number | null; readonly limitTest: number | null; readonly batchSize: number | null }
  readonly results: readonly CompareEntry[]
  /** The run directories a merged report (`--merge`) was made from, in order. */
  readonly mergedFrom?: readonly string[]
}

const percent = (v: number | undefined): string => (v === undefined || !Number.isFinite(v) ? '-' : `${(v * 100).toFixed(2)} %`)

/**
 * The comparison as a markdown table: model, input (C×H×W), params, optimizer and learning rate, batch, epochs, test
 * acc, train acc, train loss (of the last epoch), images/s, seconds, engine; with `--eval-engine`, the evaluation
 * engine's test accuracy after the engine.
 *
 * @example
 * ```ts
 * declare const report: CompareReport
 * resultsTable(report.results)
 * // | model | input | params | optimizer | batch | epochs | test acc | train acc | train loss | images/s | seconds | engine |
 * // |---|---|---:|---|---:|---:|---:|---:|---:|---:|---:|---|
 * // | lenet | 1×28×28 | 61,706 | adam 0.005 | 128 | 2 | 82.30 % | 81.60 % | 0.4834 | 2650 | 48.2 | tfjs wasm, 2 threads |
 * ```
 * @category formatting
 */
export const resultsTable = (results: readonly CompareEntry[]): string => {
  const evaluated = results.flatMap((r) => (r.ok && r.evaluation !== undefined ? [r.evaluation] : []))[0]
  const evalCell = (r: CompareEntry): string => (evaluated === undefined ? '' : ` ${r.ok ? percent(r.evaluation?.testAccuracy) : '-'} |`)
  const rows = results.map((r) => {
    if (!r.ok) return `| ${runLabel(r)} | - | - | - | - | - | failed | - | - | - | - | - |${evalCell(r)}`
    const last = r.history.at(-1)
    return (
      `| ${runLabel(r)} | ${r.input.slice(1).join('×')} | ${r.params.toLocaleString('en-US')} | ${r.optimizer.name} ${r.optimizer.learningRate}${r.init === undefined ? '' : `, ${r.init} init`} | ${r.batchSize} | ${r.history.length} | ` +
      `${percent(last?.testAccuracy)} | ${percent(last?.trainAccuracy)} | ` +
      `${last === undefined ? '-' : last.trainLoss.toFixed(4)} | ${formatRate(r.imagesPerSecond)} | ${r.seconds.toFixed(1)} | ${r.engine} ${r.device} |` +
      evalCell(r)
    )
  })
  return [
    `| model | input | params | optimizer | batch | epochs | test acc | train acc | train loss | images/s | seconds | engine |${evaluated === undefined ? '' : ` ${evaluated.engine} test acc |`}`,
    `|---|---|---:|---|---:|---:|---:|---:|---:|---:|---:|---|${evaluated === undefined ? '' : '---:|'}`,
    ...rows,
  ].join('\n')
}

/**
 * The two charts of a comparison: test accuracy and training loss per epoch, one line per model.
 *
 * @category formatting
 */
export const comparisonCharts = (results: readonly CompareEntry[]): { readonly accuracy: string; readonly loss: string } => {
  const ok = results.filter((r): r is Extract<CompareEntry, { ok: true }> => r.ok)
  return {
    accuracy: lineChartSvg({
      title: 'Test accuracy per epoch',
      xLabel: 'epoch',
      yLabel: 'test accuracy',
      integerX: true,
      series: ok.map((r) => ({ name: runLabel(r), points: r.history.map((m) => [m.epoch, m.testAccuracy] as const) })),
    }),
    loss: lineChartSvg({
      title: 'Training loss per epoch',
      xLabel: 'epoch',
      yLabel: 'training loss',
      integerX: true,
      series: ok.map((r) => ({ name: runLabel(r), points: r.history.map((m) => [m.epoch, m.trainLoss] as const) })),
    }),
  }
}

/** `runs/compare-20250101-120000` for the current local time. */
const defaultOutDir = (now = new Date()): string => {
  const p = (n: number) => String(n).padStart(2, '0')
  return nodePath.join(
    'runs',
    `compare-${now.getFullYear()}${p(now.getMonth() + 1)}${p(now.getDate())}-${p(now.getHours())}${p(now.getMinutes())}${p(now.getSeconds())}`,
  )
}

/** Writes results.md, the two plots and results.json of `report` into `outDir`; returns the table. */
const writeReportFiles = async (outDir: string, report: CompareReport, heading: string): Promise<{ files: Record<'table' | 'accuracy' | 'loss' | 'json', string>; table: string }> => {
  const files = {
    table: nodePath.join(outDir, 'results.md'),
    accuracy: nodePath.join(outDir, 'accuracy.svg'),
    loss: nodePath.join(outDir, 'loss.svg'),
    json: nodePath.join(outDir, 'results.json'),
  }
  const table = resultsTable(report.results)
  const charts = comparisonCharts(report.results)
  await writeOrFail(files.table, `${heading}${table}\n\n![test accuracy](accuracy.svg)\n\n![training loss](loss.svg)\n`)
  await writeOrFail(files.accuracy, charts.accuracy)
  await writeOrFail(files.loss, charts.loss)
  await writeOrFail(files.json, `${JSON.stringify(report, null, 2)}\n`)
  return { files, table }
}

/**
 * Reads and checks `DIR/results.json` of an earlier compare run: a typed error naming the file when it is missing,
 * not JSON, or not a compare report.
 */
const readReport = async (dir: string): Promise<CompareReport> => {
  const path = nodePath.join(dir, 'results.json')
  let text: string
  try {
    text = await readFile(path, 'utf8')
  } catch (e) {
    throw new CliError(`--merge: cannot read ${path}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file (is it the output directory of a compare run?)' : (e as Error).message}`, 2)
  }
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch (e) {
    throw new CliError(`--merge: ${path} is not JSON: ${(e as Error).message}`, 2)
  }
  const r = value as Partial<CompareReport> | null
  const budget = r?.budget as Partial<CompareReport['budget']> | undefined
  if (
    r === null || typeof r !== 'object' || typeof r.dataset !== 'string' || typeof r.dataSource !== 'string' || typeof r.backend !== 'string' ||
    typeof r.seed !== 'number' || typeof budget !== 'object' || budget === null || !Array.isArray(r.results) ||
    !r.results.every((e: unknown) => typeof e === 'object' && e !== null && typeof (e as { model?: unknown }).model === 'string' && typeof (e as { ok?: unknown }).ok === 'boolean')
  )
    throw new CliError(`--merge: ${path} is not a compare report (expected dataset, dataSource, backend, seed, budget and results)`, 2)
  return r as CompareReport
}

/**
 * `compare --merge DIR...`: the rows of earlier runs as one report. The runs must be on the same data (dataset, data
 * source, train/test limits) with the same seed; epochs, input sizes, batches and engines may differ, and the table
 * shows each row's.
 */
async function mergeRuns(dirs: readonly string[], out: string | undefined, json: boolean, io: CliIo): Promise<number> {
  if (dirs.length === 0) throw new CliError('--merge: which runs? e.g. "shapesafe compare --merge runs/a runs/b --out runs/all"', 2)
  const outDir = out ?? defaultOutDir()
  await requireWritable(out === undefined ? 'the output directory' : '--out', outDir, 'directory')
  const reports = await Promise.all(dirs.map(readReport))
  const first = reports[0]
  const same = <T>(what: string, get: (r: CompareReport) => T): void => {
    const i = reports.findIndex((r) => JSON.stringify(get(r)) !== JSON.stringify(get(first)))
    if (i >= 0)
      throw new CliError(`--merge: ${dirs[i]} was run with ${what} ${JSON.stringify(get(reports[i]))}, ${dirs[0]} with ${JSON.stringify(get(first))}; rows are comparable only on the same data and seed`, 2)
  }
  same('dataset', (r) => r.dataset)
  same('data', (r) => r.dataSource)
  same('train/test limits', (r) => [r.budget.limitTrain, r.budget.limitTest])
  same('seed', (r) => r.seed)
  const results = reports.flatMap((r) => r.results)
  const epochs = [...new Set(results.flatMap((r) => (r.ok ? [r.history.length] : [])))]
  const backends = [...new Set(reports.map((r) => r.backend))]
  const report: CompareReport = {
    dataset: first.dataset,
    dataSource: first.dataSource,
    backend: backends.join(', '),
    seed: first.seed,
    budget: { epochs: epochs.length === 1 ? epochs[0] : null, limitTrain: first.budget.limitTrain, limitTest: first.budget.limitTest, batchSize: null },
    results,
    mergedFrom: [...dirs],
  }
  const heading =
    `# shapesafe compare on ${report.dataset}\n\n` +
    `Merged from ${dirs.join(', ')}; backend ${report.backend}; seed ${report.seed}; ` +
    `${report.budget.limitTrain ?? 'all'} training / ${report.budget.limitTest ?? 'all'} test images; data: ${report.dataSource}; epochs, input and batch per row.\n\n`
  const { files, table } = await writeReportFiles(outDir, report, heading)
  if (json) io.stdout(`${JSON.stringify({ out: outDir, ...report })}\n`)
  else io.stdout(`${table}\n\nwrote ${files.table}, ${files.accuracy}, ${files.loss}, ${files.json}\n`)
  return 0
}

const labelOf = (job: TrainJob): string => runLabel({ model: job.modelName, fitClassifier: job.identity.modelOptions.fitClassifier })

const writeOrFail = async (path: string, text: string): Promise<void> => {
  const written = await writeFileAtomic(path, text)()
  if (E.isLeft(written)) throw new CliError(written.left.message, 1)
}

/**
 * `shapesafe compare <model> <model>... [flags]`; returns the exit code (1 if any model failed to train).
 *
 * @example
 * ```ts
 * declare const io: CliIo // processIo() in the shapesafe binary
 * process.exitCode = await compareCommand(['lenet', 'nin-small', '--epochs', '1', '--out', 'runs/cmp'], io)
 * ```
 * @category commands
 */
export async function compareCommand(argv: string[], io: CliIo): Promise<number> {
  return withErrorReporting('compare', io, () => compare(argv, io))
}

async function compare(argv: string[], io: CliIo): Promise<number> {
  const parsed = parseArgs(argv, compareFlags)
  if (E.isLeft(parsed)) throw new CliError(`${parsed.left.message}\nRun "shapesafe compare --help" for usage.`, 2)
  const { positionals, flags: given, help } = parsed.right
  if (help) {
    io.stdout(usage)
    return 0
  }
  if (given.merge === true) return mergeRuns(positionals, given.out, given.json === true, io)
  if (positionals.length === 0) throw new CliError('which models? e.g. "shapesafe compare lenet nin-small"', 2)
  const duplicates = positionals.filter((m, i) => positionals.indexOf(m) !== i)
  if (duplicates.length > 0) throw new CliError(`${duplicates[0]} is listed twice`, 2)
  const flags: typeof given = given['main-job'] === true ? { ...mainJobBudget, ...given } : given
  const entries = positionals.map((name) => [name, findModel(name)] as const)
  // --fit-classifier sizes the classifier of the nets that have a fixed-width one; the others are trained as they are.
  if (flags['fit-classifier'] === true && !entries.some(([, e]) => e.takesFitClassifier))
    requireFitClassifierTaken(entries[0][0], entries[0][1], flags)
  const jobs = entries.map(([name, entry]) =>
    resolveTrainJob(name, entry, entry.takesFitClassifier ? flags : { ...flags, 'fit-classifier': undefined }),
  )
  const outDir = flags.out ?? defaultOutDir()
  await requireWritable(flags.out === undefined ? 'the output directory' : '--out', outDir, 'directory')

  const quiet = flags.json === true
  const backend = await chooseRuntime(flags, io)
  const evalEngine = await chooseEvalEngine(flags)
  // Memory and time on TensorFlow.js; on libtorch, which manages its own memory, the time only.
  preflightTrainJobs(jobs, backend.name, io, quiet)
  const engine = backend.info
  const budget = jobs[0].options
  const dataset = await loadData(flags.dataset ?? 'fashion-mnist', flags['data-dir'], io, quiet, {
    ...(budget.limitTrain === undefined ? {} : { train: budget.limitTrain }),
    ...(budget.limitTest === undefined ? {} : { test: budget.limitTest }),
  })
  if (!quiet)
    io.stdout(
      `comparing ${positionals.join(', ')} on ${dataset.name}: ${budget.epochs} epoch(s), ` +
        `${Math.min(budget.limitTrain ?? Infinity, dataset.train.count)} train / ${Math.min(budget.limitTest ?? Infinity, dataset.test.count)} test images, ` +
        `seed ${budget.seed}; data: ${dataset.source}; backend: ${backend.description}\n`,
    )

  // Written after every model, so the results of the models already trained survive a later one that crashes the
  // backend (e.g. the wasm heap running out of memory).
  const writeReport = async (results: readonly CompareEntry[]) => {
    const report: CompareReport = {
      dataset: dataset.name,
      dataSource: dataset.source,
      backend: backend.name,
      seed: budget.seed,
      budget: {
        epochs: budget.epochs,
        limitTrain: budget.limitTrain ?? null,
        limitTest: budget.limitTest ?? null,
        batchSize: flags['batch-size'] ?? null,
      },
      results: [...results],
    }
    const heading =
      `# shapesafe compare on ${dataset.name}\n\n` +
      `Backend ${backend.description}; ${budget.epochs} epoch(s); seed ${budget.seed}; ` +
      `${Math.min(budget.limitTrain ?? Infinity, dataset.train.count)} training / ${Math.min(budget.limitTest ?? Infinity, dataset.test.count)} test images; data: ${dataset.source}.\n\n`
    return { report, ...(await writeReportFiles(outDir, report, heading)) }
  }

  const results: CompareEntry[] = []
  let written: Awaited<ReturnType<typeof writeReport>> | undefined
  for (const job of jobs) {
    if (!quiet) {
      const o = job.options
      const [, c, h, w] = job.identity.modelOptions.input
      io.stdout(`\n${labelOf(job)}: ${c}×${h}×${w}, ${o.optimizer.name} lr ${o.optimizer.learningRate}, batch ${o.batchSize}\n`)
    }
    try {
      const result = await runTrainJob(job, dataset, io, { epochLines: !quiet, progress: !quiet && io.isTTY, label: labelOf(job) }, {}, backend.engine, evalEngine)
      results.push({ ok: true, optimizer: job.options.optimizer, batchSize: job.options.batchSize, ...(job.options.init === undefined ? {} : { init: job.options.init }), engine: engine.engine, device: engine.device, ...result })
      if (!quiet && result.evaluation !== undefined) io.stdout(`${job.modelName}: ${formatEvaluation(result, engine.engine)}\n`)
    } catch (e) {
      if (!(e instanceof TrainError)) throw e
      io.stderr(`shapesafe compare: ${e.message}\n`)
      results.push({ ok: false, model: job.modelName, ...(job.identity.modelOptions.fitClassifier === true ? { fitClassifier: true } : {}), error: e.message })
    }
    written = await writeReport(results)
  }
  if (written === undefined) throw new CliError('which models?', 2) // unreachable: at least one model
  const { report, table, files } = written

  if (quiet) io.stdout(`${JSON.stringify({ out: outDir, ...report })}\n`)
  else io.stdout(`\n${table}\n\nwrote ${files.table}, ${files.accuracy}, ${files.loss}, ${files.json}\n`)
  return results.every((r) => r.ok) ? 0 : 1
}
