/**
 * `shapesafe export <model> --format onnx [--weights W.safetensors] --output M.onnx`: writes a zoo model as an ONNX
 * file (opset 17, batch dynamic) with PyTorch-compatible weights, or with its seeded initial weights when `--weights`
 * is not given. Loads no TensorFlow.js.
 * @module
 */
import * as E from 'fp-ts/lib/Either.js'
import type { Graph } from '../graph/ir.js'
import { stateDictSpecs } from '../graph/ir.js'
import { LayerOptionsError, ShapeError } from '../shape/errors.js'
import { toOnnx } from '../io/onnx.js'
import { writeFileAtomic } from '../io/atomicWrite.js'
import { initialValue } from '../runtime/init.js'
import { readSafetensors } from '../io/safetensors.js'
import { formatStateDictMismatch, matchStateDict } from '../io/stateDict.js'
import { lookupModel } from '../zoo/registry.js'
import { choiceFlag, formatFlagHelp, integerFlag, parseArgs, stringFlag } from './args.js'
import { CliError, type CliIo } from './io.js'
import { version } from './main.js'

/** Flags of `shapesafe export`. */
export const exportFlags = {
  format: choiceFlag(['onnx'] as const, 'file format (onnx)'),
  output: stringFlag('where to write the model (atomically)', 'M.onnx'),
  weights: stringFlag('weights (safetensors, PyTorch state_dict names and layouts; default: initial weights of --seed)', 'W.safetensors'),
  'input-shape': stringFlag("input shape N,C,H,W (default: the model's; the batch stays dynamic in the file)", 'N,C,H,W'),
  classes: integerFlag("number of classes (default: the model's)", 'K'),
  seed: integerFlag('seed of the initial weights when --weights is not given (default 0)', 'S', 0),
}

const usage = `Usage: shapesafe export <model> --format onnx --output M.onnx [--weights W.safetensors] [options]

Writes the model as an ONNX file (opset 17; the batch dimension is the dim_param N), runnable by onnxruntime.

${formatFlagHelp(exportFlags)}
`

const parseShape = (text: string): [number, number, number, number] => {
  const dims = text.split(/[,x×\s]+/).filter((s) => s !== '').map(Number)
  if (dims.length !== 4 || !dims.every((d) => Number.isInteger(d) && d >= 1)) {
    throw new CliError(`--input-shape: expected four positive integers N,C,H,W, got ${JSON.stringify(text)}`, 2)
  }
  return dims as [number, number, number, number]
}

/**
 * The weights to export: the file's, matched against the graph (every problem reported), or seeded initial ones.
 */
async function weightsFor(graph: Graph, path: string | undefined, seed: number): Promise<Map<string, Float32Array>> {
  const specs = stateDictSpecs(graph)
  if (path === undefined) return new Map(specs.map((s) => [s.name, initialValue(s, seed)]))
  const file = await readSafetensors(path)()
  if (E.isLeft(file)) throw new CliError(file.left.message)
  const matched = matchStateDict(specs, file.right)
  if (E.isLeft(matched)) throw new CliError(formatStateDictMismatch(matched.left))
  return new Map(matched.right)
}

/**
 * `shapesafe export`: returns the exit code (0 ok, 1 failure, 2 usage error).
 * @example
 * ```sh
 * shapesafe export lenet --format onnx --output lenet.onnx
 * ```
 */
export async function exportCommand(argv: string[], io: CliIo): Promise<number> {
  try {
    const parsed = parseArgs(argv, exportFlags)
    if (E.isLeft(parsed)) throw new CliError(`${parsed.left.message}\nRun "shapesafe export --help" for usage.`, 2)
    const { positionals, flags, help } = parsed.right
    if (help) {
      io.stdout(usage)
      return 0
    }
    if (positionals.length !== 1) throw new CliError(`expected one model name, got ${positionals.length}\n${usage}`, 2)
    const missing = (['format', 'output'] as const).filter((f) => flags[f] === undefined)
    if (missing.length > 0) throw new CliError(`missing ${missing.map((f) => `--${f}`).join(', ')}\n${usage}`, 2)
    const entry = lookupModel(positionals[0])
    if (E.isLeft(entry)) throw new CliError(entry.left, 2)
    const shape = flags['input-shape'] === undefined ? entry.right.defaultInput : parseShape(flags['input-shape'])
    let graph: Graph
    try {
      graph = entry.right.graph({ input: shape, classes: flags.classes ?? entry.right.defaultClasses })
    } catch (e) {
      if (e instanceof ShapeError || e instanceof LayerOptionsError) {
        throw new CliError(`${entry.right.name} cannot take input [${shape.join(', ')}]: ${e.message}`)
      }
      throw e
    }
    const weights = await weightsFor(graph, flags.weights, flags.seed ?? 0)
    const bytes = toOnnx(graph, weights, { name: entry.right.name, producerVersion: version() })
    const written = await writeFileAtomic(flags.output!, bytes)()
    if (E.isLeft(written)) throw new CliError(written.left.message)
    io.stdout(`wrote ${entry.right.name} as ONNX (opset 17, ${(bytes.length / 2 ** 20).toFixed(1)} MiB) to ${flags.output}\n`)
    return 0
  } catch (e) {
    io.stderr(`shapesafe export: ${e instanceof Error ? e.message : String(e)}\n`)
    return e instanceof CliError ? e.exitCode : 1
  }
}
