/**
 * The layer goldens' checks (tests/goldens/layers/manifest.json, made by PyTorch): each case built as a one-layer graph
 * with the DSL, loaded with the case's parameters and compared on output, input gradient and parameter gradients (and
 * the updated running statistics for BatchNorm in training) on the current tfjs backend. Reads are asynchronous so
 * the same checks run on webgpu.
 *
 * Tolerance (scale-aware): max |ours − ref| ≤ 1e-4 · max(max |ref|, 1e-3) per tensor.
 */
import * as tf from '@tensorflow/tfjs'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import * as E from 'fp-ts/lib/Either.js'
import { expect } from 'vitest'
import { input } from '../../src/graph/input.js'
import { graphOf } from '../../src/graph/trace.js'
import type { Graph, Node } from '../../src/graph/ir.js'
import { stateDictSpecs } from '../../src/graph/ir.js'
import type { Tensor } from '../../src/graph/tensor.js'
import * as L from '../../src/index.js'
import { plan } from '../../src/runtime/interpreter.js'
import { toNchw, toNhwc } from '../../src/runtime/layout.js'
import { compile, type ModelState } from '../../src/runtime/model.js'
import { decodeSafetensors, toFloat32Array, type SafetensorsFile } from '../../src/io/safetensors.js'
import { relError } from './relError.js'

const dir = join(import.meta.dirname, '..', 'goldens', 'layers')

export interface Case {
  readonly case: string
  readonly file: string
  readonly training: boolean
  readonly layer: { readonly kind: string } & Record<string, unknown>
  readonly shapes: Record<string, number[]>
}

export const manifest: Case[] = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8'))

const load = (file: string): SafetensorsFile => {
  const decoded = decodeSafetensors(new Uint8Array(readFileSync(join(dir, file))), { source: file })
  if (E.isLeft(decoded)) throw new Error(decoded.left.message)
  return decoded.right
}

const values = (file: SafetensorsFile, name: string): Float32Array => {
  const t = file.tensors.get(name)
  if (t === undefined) throw new Error(`${name} missing`)
  const v = toFloat32Array(t)
  if (E.isLeft(v)) throw new Error(v.left.message)
  return v.right
}

const tensorOf = (file: SafetensorsFile, name: string): tf.Tensor => tf.tensor(values(file, name), [...file.tensors.get(name)!.shape])

export const TOL = 1e-4

/** The DSL layer for a manifest entry (options are in shapesafe's vocabulary). */
function layerOf(spec: Case['layer']): (x: Tensor) => Tensor {
  const { kind, ...options } = spec
  const o = options as never
  switch (kind) {
    case 'conv2d':
      return L.conv2d(o) as unknown as (x: Tensor) => Tensor
    case 'maxPool2d':
      return L.maxPool2d(o) as unknown as (x: Tensor) => Tensor
    case 'avgPool2d':
      return L.avgPool2d(o) as unknown as (x: Tensor) => Tensor
    case 'adaptiveAvgPool2d':
      return L.adaptiveAvgPool2d(o) as unknown as (x: Tensor) => Tensor
    case 'flatten':
      return L.flatten as unknown as (x: Tensor) => Tensor
    case 'linear':
      return L.linear(o) as unknown as (x: Tensor) => Tensor
    case 'relu':
      return L.relu
    case 'sigmoid':
      return L.sigmoid
    case 'tanh':
      return L.tanh
    case 'softmax':
      return L.softmax
    case 'dropout':
      return L.dropout(o)
    case 'batchNorm2d':
      return L.batchNorm2d(o) as unknown as (x: Tensor) => Tensor
    case 'batchNorm1d':
      return L.batchNorm1d(o) as unknown as (x: Tensor) => Tensor
    case 'localResponseNorm':
      return L.localResponseNorm(o) as unknown as (x: Tensor) => Tensor
    default:
      throw new Error(`no single-input layer for ${kind}`)
  }
}

export async function checkSingleInput(c: Case): Promise<void> {
  const file = load(c.file)
  const graph = graphOf(layerOf(c.layer)(input(c.shapes.input)))
  const model = compile(graph)
  const node = graph.output
  // Parameters are stored under PyTorch's names without the module prefix ('weight', 'running_mean', ...).
  const loaded = new Map(stateDictSpecs(graph).map((s) => [s.name, values(file, s.name.slice(node.path.length + 1))]))
  const state = model.fromStateDict(loaded)
  const x = tensorOf(file, 'input')
  const cotangent = tensorOf(file, 'cotangent')
  try {
    const names = model.trainable.map((p) => p.name)
    const newStats: ModelState['stats'][] = []
    const f = (xv: tf.Tensor, ...ps: tf.Tensor[]) => {
      const params = new Map(names.map((n, i) => [n, ps[i]]))
      const { output, stats } = model.forward({ params, stats: state.stats }, xv, { training: c.training })
      if (c.training) newStats.push(stats)
      return tf.sum(tf.mul(output, cotangent))
    }
    // Output.
    const { output, stats } = model.forward(state, x, { training: c.training })
    expect(output.shape).toEqual(c.shapes.output)
    expect(relError((await output.data()) as Float32Array, values(file, 'output')), 'output').toBeLessThan(TOL)
    if (c.training) {
      for (const which of ['running_mean', 'running_var']) {
        const t = stats.get(`${node.path}.${which}`)!
        expect(relError((await t.data()) as Float32Array, values(file, `new.${which}`)), which).toBeLessThan(TOL)
      }
      for (const t of stats.values()) t.dispose()
    }
    output.dispose()
    // Gradients of sum(output · cotangent).
    const grads = tf.grads(f)([x, ...names.map((n) => state.params.get(n)!)])
    for (const s of newStats) for (const t of s.values()) t.dispose()
    expect(relError((await grads[0].data()) as Float32Array, values(file, 'grad_input')), 'grad_input').toBeLessThan(TOL)
    if (names.length > 0) {
      const gradState = { params: new Map(names.map((n, i) => [n, grads[i + 1]])), stats: state.stats }
      const asTorch = await model.readStateDict(gradState)
      for (const n of names) {
        const local = n.slice(node.path.length + 1)
        expect(relError(asTorch.get(n)!.data, values(file, `grad.${local}`)), `grad.${local}`).toBeLessThan(TOL)
      }
    }
    tf.dispose(grads)
  } finally {
    tf.dispose([x, cotangent])
    model.dispose(state)
  }
}

/** concat/add take two inputs: a hand-built two-input graph, run through the planned kernel directly. */
export async function checkTwoInputs(c: Case): Promise<void> {
  const file = load(c.file)
  const shapeOf = (name: string) => c.shapes[name]
  const a: Node = { id: 0, op: { kind: 'input' }, inputs: [], shape: shapeOf('input'), path: 'input', params: [] }
  const b: Node = { id: 1, op: { kind: 'input' }, inputs: [], shape: shapeOf('input2'), path: 'input2', params: [] }
  const op = c.layer.kind === 'concat' ? ({ kind: 'concat' } as const) : ({ kind: 'add' } as const)
  const out: Node = { id: 2, op, inputs: [a, b], shape: shapeOf('output'), path: c.layer.kind, params: [] }
  const graph: Graph = { nodes: [a, b, out], input: a, output: out }
  const step = plan(graph).steps[2]
  const ctx = { training: false, seed: 0, params: new Map(), stats: new Map(), newStats: new Map() }
  const run = (x1: tf.Tensor, x2: tf.Tensor) => toNchw(step.run([toNhwc(x1), toNhwc(x2)], ctx))
  const x1 = tensorOf(file, 'input')
  const x2 = tensorOf(file, 'input2')
  const cot = tensorOf(file, 'cotangent')
  const y = tf.tidy(() => run(x1, x2))
  expect(relError((await y.data()) as Float32Array, values(file, 'output'))).toBeLessThan(TOL)
  const [g1, g2] = tf.grads((p: tf.Tensor, q: tf.Tensor) => tf.sum(tf.mul(run(p, q), cot)))([x1, x2])
  expect(relError((await g1.data()) as Float32Array, values(file, 'grad_input'))).toBeLessThan(TOL)
  expect(relError((await g2.data()) as Float32Array, values(file, 'grad_input2'))).toBeLessThan(TOL)
  tf.dispose([x1, x2, cot, y, g1, g2])
}

/** Runs one manifest case on the current backend, checking that it leaks no tensor. */
export async function checkCase(c: Case): Promise<void> {
  const before = tf.memory().numTensors
  if (c.layer.kind === 'concat' || c.layer.kind === 'add') await checkTwoInputs(c)
  else await checkSingleInput(c)
  expect(tf.memory().numTensors, 'no tensor leaks').toBe(before)
}
