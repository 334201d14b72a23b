/**
 * `shapesafe export --format onnx`: the model as an ONNX file (opset 17, batch dynamic) with PyTorch-compatible
 * weights, or its seeded initial weights when `--weights` is not given. Loads no TensorFlow.js.
 * @module
 */
import * as E from 'fp-ts/lib/Either.js'
import type { Graph } from '../graph/ir.js'
import { stateDictSpecs } from '../graph/ir.js'
import { writeFileAtomic } from '../io/atomicWrite.js'
import { toOnnx } from '../io/onnx.js'
import { readSafetensors } from '../io/safetensors.js'
import { formatStateDictMismatch, matchStateDict } from '../io/stateDict.js'
import { initialValue } from '../runtime/init.js'
import type { ExportRequest } from './exportPytorch.js'
import { CliError } from './io.js'

/** The weights to export: the file's, matched against the graph (every problem reported), or seeded initial ones. */
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
 * Writes the ONNX file; returns the lines to print.
 * @example
 * ```ts
 * declare const graph: import('shapesafe').Graph
 * await exportOnnx({ model: 'lenet', graph, input: [1, 1, 28, 28], output: 'lenet.onnx', version: '0.1.0' })
 * ```
 */
export async function exportOnnx(request: ExportRequest): Promise<string[]> {
  const weights = await weightsFor(request.graph, request.weights, request.seed ?? 0)
  const bytes = toOnnx(request.graph, weights, { name: request.model, producerVersion: request.version })
  const written = await writeFileAtomic(request.output, bytes)()
  if (E.isLeft(written)) throw new CliError(written.left.message)
  return [`wrote ${request.model} as ONNX (opset 17, ${(bytes.length / 2 ** 20).toFixed(1)} MiB) to ${request.output}`]
}
