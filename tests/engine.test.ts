import * as tf from '@tensorflow/tfjs'
import { beforeAll, describe, expect, it } from 'vitest'
import { selectBackend, type BackendInfo } from '../src/runtime/backend.js'
import { tfjsEngineInfo, tfjsInferenceEngine } from '../src/runtime/engine.js'
import { compile } from '../src/runtime/model.js'
import { tfjsEngine } from '../src/train/engine.js'
import { zoo } from '../src/zoo/registry.js'

let backend: BackendInfo
beforeAll(async () => {
  backend = await selectBackend({ backend: 'wasm', threads: 1 })
})

const graph = () => zoo.lenet.graph({ input: [4, 1, 28, 28], classes: 10 })
const x = { shape: [4, 1, 28, 28], data: Float32Array.from({ length: 4 * 784 }, (_, i) => Math.sin(i * 0.1)) }

describe('engines', () => {
  it('say which engine and device run a model', () => {
    expect(tfjsEngineInfo(backend)).toEqual({ engine: 'tfjs', device: 'wasm, 1 thread', description: 'tfjs on wasm (@tensorflow/tfjs-backend-wasm, XNNPACK, 1 thread)' })
    expect(tfjsEngineInfo({ name: 'tensorflow', package: '@tensorflow/tfjs-node-gpu', gpu: true, threads: undefined, description: 'd' }).device).toBe('tensorflow (GPU)')
  })

  it('tfjs inference: forward equals the compiled model, state_dict in and out, no leaks', async () => {
    const before = tf.memory().numTensors
    const m = await tfjsInferenceEngine(backend).compile(graph(), { seed: 5 })
    const direct = compile(graph())
    const state = direct.init(5)
    const xt = tf.tensor(x.data, x.shape)
    const expected = direct.forward(state, xt, { training: false }).output
    const y = await m.forward(x)
    expect(y.shape).toEqual([4, 10])
    expect([...y.data]).toEqual([...(expected.dataSync() as Float32Array)])
    const sd = await m.stateDict()
    expect([...sd.keys()]).toEqual([...direct.toStateDict(state).keys()])
    const other = direct.init(6)
    await m.loadStateDict(new Map([...direct.toStateDict(other)].map(([k, v]) => [k, v.data])))
    const y2 = await m.forward(x)
    const expected2 = direct.forward(other, xt, { training: false }).output
    expect([...y2.data]).toEqual([...(expected2.dataSync() as Float32Array)])
    tf.dispose([xt, expected, expected2])
    direct.dispose(state)
    direct.dispose(other)
    m.dispose()
    expect(tf.memory().numTensors).toBe(before)
  })

  it('tfjs training: steps lower the loss on a repeated batch; a new state_dict restarts from it', async () => {
    const before = tf.memory().numTensors
    const engine = tfjsEngine(backend)
    const m = await engine.compileForTraining!(graph(), { seed: 1, optimizer: { name: 'sgd', learningRate: 0.1, momentum: 0.9 } })
    const labels = Int32Array.from([0, 1, 2, 3])
    const first = await m.trainStep({ x, labels }, 0.1)
    let last = first
    for (let i = 0; i < 10; i++) last = await m.trainStep({ x, labels }, 0.1)
    expect(first.loss).toBeGreaterThan(2)
    expect(last.loss).toBeLessThan(first.loss * 0.7)
    const init = await engine.compile(graph(), { seed: 1 })
    const fresh = await init.stateDict()
    init.dispose()
    await m.loadStateDict(new Map([...fresh].map(([k, v]) => [k, v.data])))
    const again = await m.trainStep({ x, labels }, 0.1)
    expect(again.loss).toBeCloseTo(first.loss, 5)
    m.dispose()
    expect(tf.memory().numTensors).toBe(before)
  })
})
