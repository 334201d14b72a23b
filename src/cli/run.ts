/**
 * `shapesafe run <model> --weights W.safetensors --input X.safetensors --output Y.safetensors`: runs a zoo model in
 * eval mode on a tensor from a file and writes the result, with PyTorch-compatible weights (state_dict names and
 * layouts). The weights must match the model exactly: every problem is reported and nothing is loaded otherwise.
 * @module
 */
import * as tf from '@tensorflow/tfjs'
import * as E from 'fp-ts/lib/Either.js'
import type { Graph } from '../graph/ir.js'
import { stateDictSpecs } from '../graph/ir.js'
import { LayerOptionsError, ShapeError } from '../layers/layer.js'
import { compile, validateInput, type CompiledModel, type ModelState } from '../runtime/model.js'
import { readSafetensors, toFloat32Array, writeSafetensors, type SafetensorsFile } from '../runtime/safetensors.js'
import { formatStateDictMismatch, matchStateDict } from '../runtime/stateDict.js'
import { lookupModel } from '../zoo/registry.js'
import { choiceFlag, formatFlagHelp, integerFlag, parseArgs, stringFlag } from './args.js'
import { CliError, type CliIo } from './io.js'
import { chooseBackend, cliThreads, threadsFlag } from './backend.js'
import { resolveThreads } from '../runtime/backend.js'
import { validateHostInput } from '../runtime/engine.js'
import { onnxruntimeEngine } from '../runtime/onnxruntime.js'

/** Flags of `shapesafe run`. */
export const runFlags = {
  weights: stringFlag('weights (safetensors, PyTorch state_dict names and layouts)', 'W.safetensors'),
  input: stringFlag('input tensor: the tensor "input" (or the only tensor) of this file, NCHW float', 'X.safetensors'),
  output: stringFlag('where to write the tensor "output" (atomically)', 'Y.safetensors'),
  'input-shape': stringFlag("input shape N,C,H,W (default: the input tensor's shape)", 'N,C,H,W'),
  classes: integerFlag("number of classes (default: the model's)", 'K'),
  backend: stringFlag('tensorflow, wasm or cpu (default: SHAPESAFE_BACKEND, else the best available)', 'B'),
  threads: threadsFlag,
  engine: choiceFlag(['tfjs', 'onnxruntime'] as const, 'tfjs (default) or onnxruntime (exports the model to ONNX; needs onnxruntime-node)'),
}

const usage = `Usage: shapesafe run <model> --weights W.safetensors --input X.safetensors --output Y.safetensors [options]

Runs a zoo model in eval mode on the input tensor and writes the output tensor.

${formatFlagHelp(runFlags)}
`

/** What {@link runGraph} needs besides the graph. */
export interface RunFiles {
  /** Weights file path. */
  readonly weights: string
  /** Input values, NCHW float32. */
  readonly input: { readonly shape: readonly number[]; readonly data: Float32Array }
  /** Output file path. */
  readonly output: string
  /** Backend name, if given on the command line. */
  readonly backend?: string
  /** wasm threads, if given on the command line (`auto` or a count); onnxruntime's intra-op threads. */
  readonly threads?: string
  /** The engine (default tfjs). */
  readonly engine?: 'tfjs' | 'onnxruntime'
}

/** The input tensor of a decoded file: `input`, or its only tensor. */
function inputTensorOf(file: SafetensorsFile, path: string): { readonly shape: number[]; readonly data: Float32Array } {
  const entry = file.tensors.get('input') ?? (file.tensors.size === 1 ? [...file.tensors.values()][0] : undefined)
  if (entry === undefined) {
    throw new CliError(`${path}: no tensor named "input" (found ${[...file.tensors.keys()].join(', ') || 'none'})`)
  }
  const data = toFloat32Array(entry)
  if (E.isLeft(data)) throw new CliError(data.left.message)
  return { shape: [...entry.shape], data: data.right }
}

/** Parses `N,C,H,W`. */
function parseShape(text: string): [number, number, number, number] {
  const dims = text.split(/[,x×\s]+/).filter((s) => s !== '').map(Number)
  if (dims.length !== 4 || !dims.every((d) => Number.isInteger(d) && d >= 1)) {
    throw new CliError(`--input-shape: expected four positive integers N,C,H,W, got ${JSON.stringify(text)}`, 2)
  }
  return dims as [number, number, number, number]
}

/**
 * Runs `graph` in eval mode on `files.input` with the weights at `files.weights` and writes `output` to
 * `files.output`. Returns the output shape. Throws {@link CliError} with a readable message on any problem.
 * @example
 * ```ts
 * const input = { shape: [1, 1, 28, 28], data: new Float32Array(784) }
 * await runGraph(trace(net, [N, 1, 28, 28]), { weights: 'w.safetensors', input, output: 'y.safetensors' }, io)
 * ```
 */
export async function runGraph(graph: Graph, files: RunFiles, io: CliIo): Promise<number[]> {
  if (files.engine === 'onnxruntime') return runOnOnnxruntime(graph, files, io)
  const backend = await chooseBackend(files.backend, io, files.threads)
  const input = tf.tensor(files.input.data, [...files.input.shape], 'float32')
  let model: CompiledModel | undefined
  let state: ModelState | undefined
  try {
    validateInput(graph, input)
    const file = await readSafetensors(files.weights)()
    if (E.isLeft(file)) throw new CliError(file.left.message)
    const matched = matchStateDict(stateDictSpecs(graph), file.right)
    if (E.isLeft(matched)) throw new CliError(formatStateDictMismatch(matched.left))
    model = compile(graph)
    state = model.fromStateDict(matched.right)
    const { output } = model.forward(state, input, { training: false })
    const shape = output.shape
    const data = (await output.data()) as Float32Array
    output.dispose()
    const written = await writeSafetensors(files.output, { output: { shape, data } }, { format: 'pt' })()
    if (E.isLeft(written)) throw new CliError(written.left.message)
    io.stdout(`wrote output [${shape.join(', ')}] to ${files.output} (backend ${backend.name}${backend.threads === undefined ? '' : `, ${backend.threads} thread${backend.threads === 1 ? '' : 's'}`})\n`)
    return shape
  } finally {
    input.dispose()
    if (state !== undefined) model?.dispose(state)
  }
}

/** {@link runGraph} on the onnxruntime engine: the same checks, weights and output file. */
async function runOnOnnxruntime(graph: Graph, files: RunFiles, io: CliIo): Promise<number[]> {
  validateHostInput(graph, files.input)
  const threads = files.threads === undefined ? undefined : cliThreads(files.threads).threads
  const engine = await onnxruntimeEngine(threads === undefined ? {} : { threads: resolveThreads(threads) }).catch((e: unknown) => {
    throw new CliError(e instanceof Error ? e.message : String(e), 2)
  })
  const file = await readSafetensors(files.weights)()
  if (E.isLeft(file)) throw new CliError(file.left.message)
  const matched = matchStateDict(stateDictSpecs(graph), file.right)
  if (E.isLeft(matched)) throw new CliError(formatStateDictMismatch(matched.left))
  const model = await engine.compile(graph, { seed: 0 })
  try {
    await model.loadStateDict(matched.right)
    const { shape, data } = await model.forward(files.input)
    const written = await writeSafetensors(files.output, { output: { shape: [...shape], data } }, { format: 'pt' })()
    if (E.isLeft(written)) throw new CliError(written.left.message)
    io.stdout(`wrote output [${shape.join(', ')}] to ${files.output} (engine onnxruntime, ${engine.info.device})\n`)
    return [...shape]
  } finally {
    model.dispose()
  }
}

/**
 * `shapesafe run`: returns the exit code (0 ok, 1 failure, 2 usage error); messages go to `io.stderr`.
 * @example
 * ```ts
 * await runCommand(['lenet', '--weights', 'w.safetensors', '--input', 'x.safetensors', '--output', 'y.safetensors'], processIo())
 * ```
 */
export async function runCommand(argv: string[], io: CliIo): Promise<number> {
  try {
    const parsed = parseArgs(argv, runFlags)
    if (E.isLeft(parsed)) throw new CliError(`${parsed.left.message}\nRun "shapesafe run --help" for usage.`, 2)
    const { positionals, flags, help } = parsed.right
    if (help) {
      io.stdout(usage)
      return 0
    }
    if (positionals.length !== 1) throw new CliError(`expected one model name, got ${positionals.length}\n${usage}`, 2)
    const missing = (['weights', 'input', 'output'] as const).filter((f) => flags[f] === undefined)
    if (missing.length > 0) throw new CliError(`missing ${missing.map((f) => `--${f}`).join(', ')}\n${usage}`, 2)
    const entry = lookupModel(positionals[0])
    if (E.isLeft(entry)) throw new CliError(entry.left, 2)
    const requestedShape = flags['input-shape'] === undefined ? undefined : parseShape(flags['input-shape'])

    const inputFile = await readSafetensors(flags.input!)()
    if (E.isLeft(inputFile)) throw new CliError(inputFile.left.message)
    const x = inputTensorOf(inputFile.right, flags.input!)
    const shape = requestedShape ?? (x.shape.length === 4 ? (x.shape as [number, number, number, number]) : entry.right.defaultInput)
    let graph: Graph
    try {
      graph = entry.right.graph({ input: shape, classes: flags.classes ?? entry.right.defaultClasses })
    } catch (e) {
      if (e instanceof ShapeError || e instanceof LayerOptionsError) {
        throw new CliError(`${entry.right.name} cannot take input [${shape.join(', ')}]: ${e.message}`)
      }
      throw e
    }
    await runGraph(graph, { weights: flags.weights!, input: x, output: flags.output!, backend: flags.backend, threads: flags.threads, engine: flags.engine }, io)
    return 0
  } catch (e) {
    if (e instanceof CliError) {
      io.stderr(`shapesafe run: ${e.message}\n`)
      return e.exitCode
    }
    if (e instanceof ShapeError) {
      io.stderr(`shapesafe run: ${e.message}\n`)
      return 1
    }
    io.stderr(`shapesafe run: ${e instanceof Error ? e.message : String(e)}\n`)
    return 1
  }
}
