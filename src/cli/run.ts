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
import { LayerOptionsError, ShapeError } from '../shape/errors.js'
import { compile, validateInput, type CompiledModel, type ModelState } from '../runtime/model.js'
import { readSafetensors, toFloat32Array, writeSafetensors, type SafetensorsFile } from '../io/safetensors.js'
import { formatStateDictMismatch, matchStateDict } from '../io/stateDict.js'
import { lookupModel, type ZooEntry } from '../zoo/registry.js'
import { fitClassifierFlag, fitClassifierHint, requireFitClassifierTaken } from './fitClassifier.js'
import { choiceFlag, formatFlagHelp, integerFlag, parseArgs, shapeFlag, stringFlag } from './args.js'
import { CliError, requireWritable, withErrorReporting, type CliIo } from './io.js'
import { preflightInference } from './preflight.js'
import { chooseBackend, cliThreads, threadsFlag } from './backend.js'
import { resolveThreads } from '../runtime/backend.js'
import { validateHostInput } from '../runtime/engine.js'
import { onnxruntimeEngine } from '../runtime/onnxruntime.js'

/** Flags of `shapesafe run`. */
export const runFlags = {
  weights: stringFlag('weights (safetensors, PyTorch state_dict names and layouts)', 'W.safetensors'),
  input: stringFlag('input tensor: the tensor "input" (or the only tensor) of this file, NCHW float', 'X.safetensors'),
  output: stringFlag('where to write the tensor "output" (atomically)', 'Y.safetensors'),
  'input-shape': shapeFlag("input shape N,C,H,W: must match a 4-D input tensor; reads a tensor of another rank with as many values (default: the input tensor's shape)"),
  classes: integerFlag("number of classes (default: the model's)", 'K'),
  backend: stringFlag('tensorflow, wasm or cpu (default: SHAPESAFE_BACKEND, else the best available)', 'B'),
  threads: threadsFlag,
  engine: choiceFlag(['tfjs', 'onnxruntime'] as const, 'tfjs (default) or onnxruntime (exports the model to ONNX; needs onnxruntime-node)'),
  'fit-classifier': fitClassifierFlag,
}

const usage = `Usage: shapesafe run <model> --weights W.safetensors --input X.safetensors --output Y.safetensors [options]

Runs a zoo model in eval mode on the input tensor and writes the output tensor.

${formatFlagHelp(runFlags)}
`

/** What {@link runGraph} needs besides the graph. */
export interface RunFiles {
  /** Weights file path. */
  readonly weights: string
  /** Input values, NCHW float32, and the file they came from (named in errors). */
  readonly input: { readonly shape: readonly number[]; readonly data: Float32Array; readonly source?: string }
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
  const name = file.tensors.has('input') ? 'input' : [...file.tensors.keys()][0]
  const data = toFloat32Array(entry, { name, source: path })
  if (E.isLeft(data)) throw new CliError(data.left.message)
  return { shape: [...entry.shape], data: data.right }
}

const formatDims = (shape: readonly number[]): string => `[${shape.join(', ')}]`

/**
 * The NCHW shape to run a tensor of `shape` (read from `path`) as: its own when 4-D, `requested` when given (equal
 * to a 4-D shape, or with as many values as a tensor of another rank); a tensor without images is refused.
 */
function inputShapeOf(
  shape: readonly number[],
  requested: readonly [number, number, number, number] | undefined,
  path: string,
): [number, number, number, number] {
  if (shape.length === 4) {
    if (requested !== undefined && requested.some((d, i) => d !== shape[i]))
      throw new CliError(`--input-shape ${formatDims(requested)} disagrees with the tensor in ${path}, which is ${formatDims(shape)}`, 2)
  } else if (requested === undefined) {
    throw new CliError(`${path}: the input tensor is ${formatDims(shape)}; expected a 4-D NCHW tensor [N, C, H, W] (or give --input-shape N,C,H,W to read its values as one)`)
  } else if (requested.reduce((a, b) => a * b, 1) !== shape.reduce((a, b) => a * b, 1)) {
    throw new CliError(`--input-shape ${formatDims(requested)} disagrees with the tensor in ${path}: ${formatDims(shape)} holds ${shape.reduce((a, b) => a * b, 1)} values, not ${requested.reduce((a, b) => a * b, 1)}`, 2)
  }
  const nchw = (requested ?? shape) as [number, number, number, number]
  if (nchw[0] === 0) throw new CliError(`${path}: the input tensor ${formatDims(shape)} holds no images (batch size 0)`)
  if (nchw.some((d) => d === 0)) throw new CliError(`${path}: the input tensor ${formatDims(shape)} has an empty axis`)
  return nchw
}

/**
 * The graph of `entry` for an NCHW input of `shape`; an input the net cannot take is a {@link CliError} naming the
 * file, and one that would fit with its last axis as channels is reported as NHWC.
 */
function graphFor(entry: ZooEntry, shape: [number, number, number, number], classes: number, path: string, fitClassifier = false): Graph {
  const attempt = (s: readonly [number, number, number, number]): Graph | Error => {
    try {
      return entry.graph({ input: s, classes, ...(fitClassifier ? { fitClassifier } : {}) })
    } catch (e) {
      if (e instanceof ShapeError || e instanceof LayerOptionsError) return e
      throw e
    }
  }
  const graph = attempt(shape)
  if (!(graph instanceof Error)) return graph
  const [n, a, b, c] = shape
  const channelsFirst = [n, c, a, b] as const
  if (c !== a && !(attempt(channelsFirst) instanceof Error))
    throw new CliError(
      `${path}: the input tensor is ${formatDims(shape)}, which looks like NHWC (channels last); ${entry.name} takes NCHW, ` +
        `here ${formatDims(channelsFirst)}: transpose it (x.permute(0, 3, 1, 2) in PyTorch)`,
    )
  const hint = fitClassifier ? '' : fitClassifierHint(entry, shape, classes)
  throw new CliError(`${entry.name} cannot take input ${formatDims(shape)} from ${path}: ${graph.message}${hint}`)
}

/**
 * Runs `graph` in eval mode on `files.input` with the weights at `files.weights` and writes `output` to
 * `files.output`. Returns the output shape. Throws {@link CliError} with a readable message on any problem.
 * @example
 * ```ts
 * const input = { shape: [1, 1, 28, 28], data: new Float32Array(784) }
 * declare const io: CliIo
 * await runGraph(trace(lenet(), [N, 1, 28, 28]), { weights: 'w.safetensors', input, output: 'y.safetensors' }, io)
 * ```
 */
export async function runGraph(graph: Graph, files: RunFiles, io: CliIo): Promise<number[]> {
  if (files.engine === 'onnxruntime') return runOnOnnxruntime(graph, files, io)
  const backend = await chooseBackend(files.backend, io, files.threads)
  preflightInference(graph, backend.name)
  const input = tf.tensor(files.input.data, [...files.input.shape], 'float32')
  let model: CompiledModel | undefined
  let state: ModelState | undefined
  try {
    try {
      validateInput(graph, input)
    } catch (e) {
      if (e instanceof ShapeError && files.input.source !== undefined) throw new CliError(`${files.input.source}: ${e.message}`)
      throw e
    }
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
  try {
    validateHostInput(graph, files.input)
  } catch (e) {
    if (e instanceof ShapeError && files.input.source !== undefined) throw new CliError(`${files.input.source}: ${e.message}`)
    throw e
  }
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
 * declare const io: CliIo // processIo() in the shapesafe binary
 * await runCommand(['lenet', '--weights', 'w.safetensors', '--input', 'x.safetensors', '--output', 'y.safetensors'], io)
 * ```
 */
export async function runCommand(argv: string[], io: CliIo): Promise<number> {
  return withErrorReporting('run', io, () => run(argv, io))
}

async function run(argv: string[], io: CliIo): Promise<number> {
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
  const inputPath = flags.input!
  await requireWritable('--output', flags.output!)

  const inputFile = await readSafetensors(inputPath)()
  if (E.isLeft(inputFile)) throw new CliError(inputFile.left.message)
  const x = inputTensorOf(inputFile.right, inputPath)
  const shape = inputShapeOf(x.shape, flags['input-shape'], inputPath)
  requireFitClassifierTaken(entry.right.name, entry.right, flags)
  const graph = graphFor(entry.right, shape, flags.classes ?? entry.right.defaultClasses, inputPath, flags['fit-classifier'] === true)
  await runGraph(
    graph,
    { weights: flags.weights!, input: { shape, data: x.data, source: inputPath }, output: flags.output!, backend: flags.backend, threads: flags.threads, engine: flags.engine },
    io,
  )
  return 0
}
