/**
 * The `pytorch` format of `shapesafe export`: the model as a Python file (`toPyTorch`), and with `--weights` the
 * checked weights as a `.safetensors` file next to it (same name, `.safetensors` instead of `.py`), which the
 * generated file's docstring and `__main__` load. Loads no TensorFlow.js.
 * @module
 */
import { basename, dirname, extname, join } from 'node:path'
import * as E from 'fp-ts/lib/Either.js'
import type { Graph } from '../graph/ir.js'
import { stateDictSpecs } from '../graph/ir.js'
import { toPyTorch } from '../io/pytorch.js'
import { writeFileAtomic } from '../io/atomicWrite.js'
import { readSafetensors, writeSafetensors } from '../io/safetensors.js'
import { formatStateDictMismatch, matchStateDict } from '../io/stateDict.js'
import { CliError, requireWritable } from './io.js'

/** What one format of `shapesafe export` is given: the traced model and the command's flags. */
export interface ExportRequest {
  readonly model: string
  readonly graph: Graph
  readonly input: readonly [number, number, number, number]
  readonly output: string
  readonly weights?: string
  readonly version: string
  /** Seed of initial weights, for formats that embed weights when `weights` is not given. */
  readonly seed?: number
}

/** Where the weights of `net.py` go: `net.safetensors` in the same directory. */
export const weightsPathFor = (output: string): string =>
  join(dirname(output), `${basename(output, extname(output) === '.py' ? '.py' : '')}.safetensors`)

/**
 * Writes the Python module, and with `weights` the weights matched against the graph (every mismatch reported,
 * nothing written then), as F32 in state_dict order. Returns the lines to print.
 * @example
 * ```ts
 * declare const graph: import('shapesafe').Graph
 * await exportPytorch({ model: 'lenet', graph, input: [1, 1, 28, 28], output: 'lenet.py', weights: 'w.safetensors', version: '0.1.0' })
 * // ['wrote lenet as a PyTorch module (class Lenet) to lenet.py', 'wrote its weights (…) to lenet.safetensors']
 * ```
 */
export async function exportPytorch(request: ExportRequest): Promise<string[]> {
  const weightsOut = weightsPathFor(request.output)
  if (request.weights !== undefined) {
    if (weightsOut === request.output) throw new CliError(`--output: ${request.output} would be overwritten by the weights; give a .py file`, 2)
    await requireWritable('--output', weightsOut)
  }
  const specs = stateDictSpecs(request.graph)
  let weights: ReadonlyMap<string, Float32Array> | undefined
  if (request.weights !== undefined) {
    const file = await readSafetensors(request.weights)()
    if (E.isLeft(file)) throw new CliError(`--weights: ${file.left.message}`)
    const matched = matchStateDict(specs, file.right)
    if (E.isLeft(matched)) throw new CliError(`--weights do not fit ${request.model} at input [${request.input.join(', ')}]:\n${formatStateDictMismatch(matched.left)}`)
    weights = matched.right
  }
  const { source, className } = toPyTorch(request.graph, {
    name: request.model,
    input: request.input,
    producerVersion: request.version,
    weightsFile: basename(weightsOut),
  })
  const lines = [`wrote ${request.model} as a PyTorch module (class ${className}) to ${request.output}`]
  if (weights !== undefined) {
    const written = await writeSafetensors(
      weightsOut,
      specs.map((s) => ({ name: s.name, shape: s.shape, data: weights.get(s.name)! })),
      { format: 'pt', model: request.model },
    )()
    if (E.isLeft(written)) throw new CliError(written.left.message)
    lines.push(`wrote its weights (${specs.length} tensors, F32, checked against the graph) to ${weightsOut}`)
  }
  const py = await writeFileAtomic(request.output, new TextEncoder().encode(source))()
  if (E.isLeft(py)) throw new CliError(py.left.message)
  lines.push(
    weights === undefined
      ? `no --weights: ${className}() starts from PyTorch's default initialisation`
      : `load them with: model = ${className}(); model.load_state_dict(load_safetensors("${basename(weightsOut)}"))`,
  )
  return lines
}
