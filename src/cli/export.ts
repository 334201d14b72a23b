/**
 * `shapesafe export <model> --format F --output PATH [--weights W.safetensors]`: writes a zoo model in another
 * framework's format. The command parses the flags and traces the model; each format is its own module
 * (`pytorch`: {@link exportPytorch}, `onnx`: {@link exportOnnx}). Loads no TensorFlow.js.
 * @module
 */
import * as E from 'fp-ts/lib/Either.js'
import type { Graph } from '../graph/ir.js'
import { LayerOptionsError, ShapeError } from '../layers/layer.js'
import { lookupModel, modelNames } from '../zoo/registry.js'
import { fitClassifierFlag, fitClassifierHint, requireFitClassifierTaken } from './fitClassifier.js'
import { choiceFlag, formatFlagHelp, integerFlag, parseArgs, shapeFlag, stringFlag } from './args.js'
import { exportOnnx } from './exportOnnx.js'
import { exportPytorch, type ExportRequest } from './exportPytorch.js'
import { CliError, requireWritable, withErrorReporting, type CliIo } from './io.js'
import { version } from './version.js'

/** The formats: what each writes, and the function that writes it. */
const formats = {
  pytorch: {
    help: 'a Python file with a torch.nn.Module (PyTorch names; with --weights also NAME.safetensors next to it)',
    write: exportPytorch,
  },
  onnx: {
    help: 'an ONNX file (opset 17, the batch dynamic) for onnxruntime; initial weights of --seed without --weights',
    write: exportOnnx,
  },
} as const satisfies Record<string, { readonly help: string; readonly write: (request: ExportRequest) => Promise<string[]> }>

/** Flags of `shapesafe export`. */
export const exportFlags = {
  format: choiceFlag(Object.keys(formats) as (keyof typeof formats)[], 'file format'),
  output: stringFlag('where to write the model (atomically)', 'PATH'),
  weights: stringFlag('weights to export (safetensors, PyTorch state_dict names and layouts), checked against the model', 'W.safetensors'),
  'input-shape': shapeFlag("input shape the model is traced for (default: the model's)"),
  classes: integerFlag("number of classes (default: the model's)", 'K'),
  seed: integerFlag('onnx: seed of the initial weights when --weights is not given (default 0)', 'S', 0),
  'fit-classifier': fitClassifierFlag,
}

const usage = `usage: shapesafe export <model> --format FORMAT --output PATH [--weights W.safetensors] [--input-shape N,C,H,W] [--classes K]

Writes a model of the zoo for another framework. Formats:
${Object.entries(formats)
  .map(([name, f]) => `  ${name.padEnd(8)} ${f.help}`)
  .join('\n')}

${formatFlagHelp(exportFlags)}

models: ${modelNames.join(', ')}
`

/**
 * `shapesafe export`: 0 written, 1 failure (weights that do not fit, unwritable output), 2 bad command line.
 * @example
 * ```ts
 * declare const io: Parameters<typeof exportCommand>[1] // processIo() on the command line
 * await exportCommand(['resnet18', '--format', 'pytorch', '--output', 'resnet18.py'], io)
 * ```
 */
export async function exportCommand(argv: string[], io: CliIo): Promise<number> {
  return withErrorReporting('export', io, async () => {
    const parsed = parseArgs(argv, exportFlags)
    if (E.isLeft(parsed)) throw new CliError(`${parsed.left.message}\n\n${usage}`, 2)
    const { positionals, flags, help } = parsed.right
    if (help) {
      io.stdout(usage)
      return 0
    }
    if (positionals.length !== 1) throw new CliError(`expected one model name, got ${positionals.length === 0 ? 'none' : positionals.join(' ')}\n\n${usage}`, 2)
    const missing = (['format', 'output'] as const).filter((f) => flags[f] === undefined)
    if (missing.length > 0) throw new CliError(`missing ${missing.map((f) => `--${f}`).join(', ')}\n\n${usage}`, 2)
    const entry = lookupModel(positionals[0])
    if (E.isLeft(entry)) throw new CliError(entry.left, 2)
    const output = flags.output!
    await requireWritable('--output', output)
    requireFitClassifierTaken(entry.right.name, entry.right, flags)
    const input = flags['input-shape'] ?? entry.right.defaultInput
    const classes = flags.classes ?? entry.right.defaultClasses
    let graph: Graph
    try {
      graph = entry.right.graph({ input, classes, ...(flags['fit-classifier'] === true ? { fitClassifier: true } : {}) })
    } catch (e) {
      if (e instanceof ShapeError || e instanceof LayerOptionsError) {
        const hint = flags['fit-classifier'] === true ? '' : fitClassifierHint(entry.right, input, classes)
        throw new CliError(`${entry.right.name} cannot take input [${input.join(', ')}]: ${e.message}${hint}`)
      }
      throw e
    }
    const lines = await formats[flags.format!].write({
      model: entry.right.name,
      graph,
      input: [input[0], input[1], input[2], input[3]],
      output,
      weights: flags.weights,
      version: version(),
      seed: flags.seed ?? 0,
    })
    io.stdout(lines.map((l) => `${l}\n`).join(''))
    return 0
  })
}
