/**
 * `shapesafe summary <model> [--input N,C,H,W] [--classes K] [--batch B] [--optimizer sgd|adam] [--json]`: a zoo
 * model's layers, output shapes, parameter counts, forward MACs and output sizes, and the predicted memory of a
 * training step, as a table or one JSON object.
 * @module
 */
import * as E from 'fp-ts/lib/Either.js'
import { formatBytes } from '../graph/cost.js'
import { formatSummary, summarize } from '../graph/summary.js'
import { LayerOptionsError, ShapeError } from '../shape/errors.js'
import { backendMemory, backendNeeds, trainingMemory, type TrainingMemory } from '../runtime/memoryModel.js'
import { fitClassifierNets, lookupModel, modelNames, trainDefaults } from '../zoo/registry.js'
import { fitClassifierFlag, fitClassifierHint } from './fitClassifier.js'
import { booleanFlag, choiceFlag, formatFlagHelp, integerFlag, parseArgs, shapeFlag } from './args.js'
import type { CliIo } from './io.js'

const flags = {
  input: shapeFlag('input shape (default: the model\'s own, e.g. 1,1,224,224)'),
  classes: integerFlag('number of classes (default: the model\'s own)', 'K'),
  batch: integerFlag('batch size: replaces N of the input (MACs, sizes and training memory are for the whole batch)', 'B'),
  optimizer: choiceFlag(['sgd', 'adam'] as const, 'optimizer of the training-memory estimate (default: the model\'s training default)'),
  json: booleanFlag('print one JSON object {model, input, output, params, macs, activationBytes, training, layers} instead of the table'),
  'fit-classifier': fitClassifierFlag,
}

const usage = `usage: shapesafe summary <model> [--input N,C,H,W] [--classes K] [--batch B] [--optimizer sgd|adam] [--json]

${formatFlagHelp(flags)}

models: ${modelNames.join(', ')}
`

/**
 * Runs `shapesafe summary`. Exit codes: 0 printed; 2 bad command line or unknown model (with suggestions); 1 the
 * input cannot go through the model (the shape error is printed).
 * @example
 * ```ts
 * declare const io: CliIo // processIo() in the shapesafe binary
 * await summaryCommand(['alexnet', '--json'], io)
 * ```
 */
export async function summaryCommand(argv: string[], io: CliIo): Promise<number> {
  const parsed = parseArgs(argv, flags)
  if (E.isLeft(parsed)) {
    io.stderr(`shapesafe summary: ${parsed.left.message}\n\n${usage}`)
    return 2
  }
  const { positionals, flags: given, help } = parsed.right
  if (help) {
    io.stdout(usage)
    return 0
  }
  if (positionals.length !== 1) {
    io.stderr(`shapesafe summary: expected one model name, got ${positionals.length === 0 ? 'none' : positionals.join(' ')}\n\n${usage}`)
    return 2
  }
  const model = lookupModel(positionals[0])
  if (E.isLeft(model)) {
    io.stderr(`shapesafe summary: ${model.left}\n`)
    return 2
  }
  const entry = model.right
  if (given['fit-classifier'] === true && !entry.takesFitClassifier) {
    io.stderr(`shapesafe summary: --fit-classifier applies to ${fitClassifierNets().join(', ')}, not ${entry.name}\n`)
    return 2
  }
  if (given.batch !== undefined && given.batch < 1) {
    io.stderr(`shapesafe summary: --batch: expected a positive integer, got ${given.batch}\n`)
    return 2
  }
  const [n, c, h, w] = given.input ?? entry.defaultInput
  const shape: [number, number, number, number] = [given.batch ?? n, c, h, w]
  const classes = given.classes ?? entry.defaultClasses
  let graph
  try {
    graph = entry.graph({ input: shape, classes, ...(given['fit-classifier'] === true ? { fitClassifier: true } : {}) })
  } catch (e) {
    if (e instanceof ShapeError || e instanceof LayerOptionsError) {
      const hint = given['fit-classifier'] === true ? '' : fitClassifierHint(entry, shape, classes)
      io.stderr(`shapesafe summary: ${entry.name} cannot take input [${shape.join(', ')}]: ${e.message}${hint}\n`)
      return 1
    }
    throw e
  }
  const { layers, ...totals } = summarize(graph, entry.name)
  const optimizer = given.optimizer ?? trainDefaults(entry.name).optimizer
  const memory = trainingMemory(graph, { optimizer })
  const training = { batch: shape[0], optimizer, ...trainingFigures(memory) }
  io.stdout(
    given.json === true
      ? `${JSON.stringify({ ...totals, training, layers })}\n`
      : `${formatSummary({ ...totals, layers })}${formatTraining(training)}`,
  )
  return 0
}

/** The memory figures of a training step, for `--json`. */
const trainingFigures = (m: TrainingMemory) => ({
  peakBytes: m.peak,
  wasmBytes: Math.round(backendNeeds(m, backendMemory('wasm'))),
  weightsBytes: m.weights,
  gradientsBytes: m.gradients,
  optimizerBytes: m.optimizerState,
  activationsBytes: m.activations,
  backwardBytes: m.backward,
  cachesBytes: m.caches,
  transientBytes: m.transient,
})

/** The training-memory lines under the table. */
function formatTraining(t: { readonly batch: number; readonly optimizer: string } & ReturnType<typeof trainingFigures>): string {
  const wasm = backendMemory('wasm')
  const fits = wasm.limit === undefined || t.wasmBytes <= wasm.limit ? 'fits' : 'does not fit'
  return (
    `Training step (batch ${t.batch}, ${t.optimizer}): ≈ ${formatBytes(t.peakBytes)} at its peak — weights ${formatBytes(t.weightsBytes)}, ` +
    `gradients ${formatBytes(t.gradientsBytes)}, optimizer ${formatBytes(t.optimizerBytes)}, kept for backward ${formatBytes(t.activationsBytes)}, ` +
    `backward ${formatBytes(t.backwardBytes)}, caches ${formatBytes(t.cachesBytes)}, largest transient ${formatBytes(t.transientBytes)}\n` +
    `On wasm: ≈ ${formatBytes(t.wasmBytes)} of heap; ${fits} in its 4 GiB\n`
  )
}
