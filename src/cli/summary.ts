/**
 * `shapesafe summary <model> [--input N,C,H,W] [--classes K] [--json]`: a zoo model's layers, output shapes and
 * parameter counts, as a table or one JSON object.
 * @module
 */
import * as E from 'fp-ts/lib/Either.js'
import { formatSummary, summarize } from '../graph/summary.js'
import { LayerOptionsError, ShapeError } from '../shape/errors.js'
import { lookupModel, modelNames } from '../zoo/registry.js'
import { booleanFlag, formatFlagHelp, integerFlag, parseArgs, shapeFlag } from './args.js'
import type { CliIo } from './io.js'

const flags = {
  input: shapeFlag('input shape (default: the model\'s own, e.g. 1,1,224,224)'),
  classes: integerFlag('number of classes (default: the model\'s own)', 'K'),
  json: booleanFlag('print one JSON object {model, input, output, params, layers} instead of the table'),
}

const usage = `usage: shapesafe summary <model> [--input N,C,H,W] [--classes K] [--json]

${formatFlagHelp(flags)}

models: ${modelNames.join(', ')}
`

/**
 * Runs `shapesafe summary`. Exit codes: 0 printed; 2 bad command line or unknown model (with suggestions); 1 the
 * input cannot go through the model (the shape error is printed).
 * @example
 * ```ts
 * await summaryCommand(['alexnet', '--json'], processIo())
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
  const shape = given.input ?? entry.defaultInput
  const classes = given.classes ?? entry.defaultClasses
  let graph
  try {
    graph = entry.graph({ input: shape, classes })
  } catch (e) {
    if (e instanceof ShapeError || e instanceof LayerOptionsError) {
      io.stderr(`shapesafe summary: ${entry.name} cannot take input [${shape.join(', ')}]: ${e.message}\n`)
      return 1
    }
    throw e
  }
  const summary = summarize(graph, entry.name)
  io.stdout(given.json === true ? `${JSON.stringify(summary)}\n` : formatSummary(summary))
  return 0
}
