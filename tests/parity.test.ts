/**
 * Whole-network parity with PyTorch: each file in tests/goldens/parity holds a float32 PyTorch forward pass (eval mode)
 * of a zoo model whose state_dict was filled with detweights (tests/goldens/README.md). We rebuild the weights from the
 * names and roles in the file's metadata, run the same input and compare: max |ours − torch| < 1e-4 · max |torch|.
 * Runs on the wasm backend.
 */
import * as tf from '@tensorflow/tfjs'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import * as E from 'fp-ts/lib/Either.js'
import { beforeAll, describe, expect, it } from 'vitest'
import { stateDictSpecs } from '../src/graph/ir.js'
import { selectBackend } from '../src/runtime/backend.js'
import { compile } from '../src/runtime/model.js'
import { decodeSafetensors, toFloat32Array } from '../src/io/safetensors.js'
import { lookupModel } from '../src/zoo/registry.js'
import { detTensor, type DetRole } from './helpers/detweights.js'

const dir = join(import.meta.dirname, 'goldens', 'parity')

beforeAll(async () => {
  await selectBackend({ backend: 'wasm' })
})

describe.each(['resnet18', 'resnet50', 'densenet121', 'alexnet', 'googlenet', 'nin', 'lenet-bn'])('parity with PyTorch: %s', (name) => {
  it('matches the PyTorch output', () => {
    const decoded = decodeSafetensors(new Uint8Array(readFileSync(join(dir, `${name}.safetensors`))))
    if (E.isLeft(decoded)) throw new Error(decoded.left.message)
    const file = decoded.right
    const meta = file.metadata
    const shape = JSON.parse(meta.input) as [number, number, number, number]
    const torchSpecs = JSON.parse(meta.state_dict) as [string, number[], DetRole][]
    const entry = lookupModel(meta.model)
    if (E.isLeft(entry)) throw new Error(entry.left)
    const graph = entry.right.graph({ input: shape, classes: Number(meta.classes) })
    // Same names, shapes and order as torch's state_dict.
    expect(stateDictSpecs(graph).map((s) => [s.name, s.shape])).toEqual(torchSpecs.map(([n, s]) => [n, s]))

    const model = compile(graph)
    const state = model.fromStateDict(new Map(torchSpecs.map(([n, s, role]) => [n, detTensor(n, s, role)])))
    const x = tf.tensor(detTensor('input', shape, 'input'), shape)
    const before = tf.memory().numTensors
    const { output } = model.forward(state, x, { training: false })
    const ours = output.dataSync() as Float32Array
    const expected = toFloat32Array(file.tensors.get('output')!)
    if (E.isLeft(expected)) throw new Error(expected.left.message)
    expect(output.shape).toEqual([...file.tensors.get('output')!.shape])
    let diff = 0
    let scale = 0
    for (let i = 0; i < ours.length; i++) {
      diff = Math.max(diff, Math.abs(ours[i] - expected.right[i]))
      scale = Math.max(scale, Math.abs(expected.right[i]))
    }
    expect(diff / scale).toBeLessThan(1e-4)
    output.dispose()
    expect(tf.memory().numTensors).toBe(before)
    x.dispose()
    model.dispose(state)
  })
})
