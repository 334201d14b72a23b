/**
 * The webgpu backend (tfjs-backend-webgpu on Dawn) against PyTorch's layer goldens, against the cpu backend on zoo
 * forward passes, and against the wasm backend (itself checked against the same goldens; the cpu backend takes
 * minutes per ResNet step) on gradients and training steps with an optimizer; state dicts and a checkpoint written
 * from webgpu.
 *
 * CI runs it on Mesa 25's lavapipe, a software Vulkan GPU (.ci/run installs it and sets SHAPESAFE_REQUIRE_WEBGPU=1,
 * so a missing adapter fails there). Elsewhere without an adapter (or without the optional packages) it is skipped
 * with the reason printed. lavapipe compiles every shader for the CPU and runs slowly, so the nets and inputs are small.
 *
 * Tolerances: layer goldens as on cpu/wasm (1e-4 · max |ref|); webgpu vs cpu on the same weights and inputs:
 * forward 1e-4 · max, gradients 1e-3 · max (float32 sums in another order), loss after each of 3 steps 1e-4,
 * parameters after them 1e-3 (5e-3 with BatchNorm, which amplifies float differences from step to step, as in the
 * native engine's test). Inputs are pseudo-random: smooth ones leave BatchNorm at batch 4 so ill-conditioned that two
 * correct backends (cpu and wasm too) drift apart by 1e-2 in three steps.
 */
import '@tensorflow/tfjs-backend-wasm'
import * as tf from '@tensorflow/tfjs'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Graph } from '../src/graph/ir.js'
import { selectBackend, type BackendInfo } from '../src/runtime/backend.js'
import { tfjsEngineInfo } from '../src/runtime/engine.js'
import { compile, StateError, type CompiledModel, type ModelState, type StateDictTensor } from '../src/runtime/model.js'
import { adapterName, probeWebGpu } from '../src/runtime/webgpu.js'
import { disposeTrainingState, initialTrainingState, trainStep, type TrainingState, type TrainOptions } from '../src/train/fit.js'
import { softmaxCrossEntropy } from '../src/train/loss.js'
import { loadTrainingCheckpoint, saveTrainingCheckpoint } from '../src/train/trainingCheckpoint.js'
import { zoo, type ModelName } from '../src/zoo/registry.js'
import { checkCase, manifest } from './helpers/layerGoldens.js'
import { relError } from './helpers/relError.js'

const probe = await probeWebGpu()
if (!probe.available) {
  if (process.env.SHAPESAFE_REQUIRE_WEBGPU === '1') throw new Error(`SHAPESAFE_REQUIRE_WEBGPU=1 but ${probe.reason}`)
  console.warn(`webgpu tests skipped: ${probe.reason}`)
} else {
  console.info(`webgpu tests on ${adapterName(probe.adapter)}`)
}

const graphOf = (name: ModelName, input: [number, number, number, number]): Graph => zoo[name].graph({ input, classes: 10 })
const inputOf = (shape: readonly number[], seed: number) =>
  Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, (_, i) => ((Math.sin(i * 12.9898 + seed * 78.233) * 43758.5453) % 1) * 2)
const labelsOf = (n: number, seed: number) => Int32Array.from({ length: n }, (_, i) => (i * 7 + seed) % 10)

/** Runs `f` with `backend` current, then goes back to webgpu. */
async function on<T>(backend: 'cpu' | 'wasm', f: () => Promise<T>): Promise<T> {
  await tf.setBackend(backend)
  try {
    return await f()
  } finally {
    await tf.setBackend('webgpu')
  }
}

/** The same state (PyTorch state_dict values) made on the current backend. */
const stateFrom = (model: CompiledModel, dict: ReadonlyMap<string, StateDictTensor>): ModelState =>
  model.fromStateDict(new Map([...dict].map(([n, t]) => [n, t.data])))

/** Gradients of the mean cross-entropy with respect to every trainable parameter (training mode), in PyTorch layout. */
async function gradients(model: CompiledModel, state: ModelState, x: Float32Array, shape: number[], labels: Int32Array): Promise<Map<string, StateDictTensor>> {
  const names = model.trainable.map((p) => p.name)
  const xt = tf.tensor(x, shape)
  const yt = tf.tensor1d(labels, 'int32')
  // Training mode: BatchNorm on the batch's statistics, as in a training step (no net here has dropout).
  const newStats: tf.Tensor[] = []
  const grads = tf.grads((...ps: tf.Tensor[]) => {
    const { output, stats } = model.forward({ params: new Map(names.map((n, i) => [n, ps[i]])), stats: state.stats }, xt, { training: true })
    newStats.push(...stats.values())
    return softmaxCrossEntropy(output as tf.Tensor2D, yt)
  })(names.map((n) => state.params.get(n)!))
  tf.dispose(newStats)
  const dict = await model.readStateDict({ params: new Map(names.map((n, i) => [n, grads[i]])), stats: state.stats })
  tf.dispose([xt, yt, ...grads])
  return new Map([...dict].filter(([n]) => names.includes(n)))
}

describe.skipIf(!probe.available)('webgpu backend', () => {
  let info: BackendInfo
  const dir = mkdtempSync(join(tmpdir(), 'shapesafe-webgpu-'))
  afterAll(() => rmSync(dir, { recursive: true, force: true }))

  beforeAll(async () => {
    await selectBackend({ backend: 'wasm', threads: 1 })
    info = await selectBackend({ backend: 'webgpu' })
  })

  it('is reported with its adapter', () => {
    expect(tf.getBackend()).toBe('webgpu')
    expect(info.name).toBe('webgpu')
    expect(info.adapter).toBeDefined()
    expect(info.gpu).toBe(!info.adapter!.software)
    expect(info.description).toContain(adapterName(info.adapter!))
    expect(tfjsEngineInfo(info).device).toBe(`webgpu, ${adapterName(info.adapter!)}`)
  })

  describe('layer goldens (PyTorch)', () => {
    it.each(manifest.map((c) => [c.case, c] as const))('%s', async (_name, c) => {
      expect(tf.getBackend()).toBe('webgpu')
      await checkCase(c)
    })
  })

  // Forward parity on the same weights: every layer kind of the zoo (conv, pools incl. ceil mode, BatchNorm, LRN,
  // concat, residual add, dropout in eval, adaptive pooling).
  const nets: [ModelName, [number, number, number, number]][] = [
    ['lenet', [2, 1, 28, 28]],
    ['nin-small', [2, 1, 28, 28]],
    ['resnet-small', [2, 1, 28, 28]],
    ['resnet18', [2, 3, 32, 32]],
    ['densenet121', [1, 3, 32, 32]],
    ['googlenet', [1, 1, 96, 96]],
  ]
  it.each(nets)('%s %j: the forward pass of the cpu backend', async (name, shape) => {
    const graph = graphOf(name, shape)
    const model = compile(graph)
    const x = inputOf(shape, 1)
    const before = tf.memory().numTensors
    const ref = await on('cpu', async () => {
      const state = model.init(5)
      const xt = tf.tensor(x, shape)
      const { output } = model.forward(state, xt, { training: false })
      const out = { dict: model.toStateDict(state), y: (await output.data()) as Float32Array }
      tf.dispose([xt, output])
      model.dispose(state)
      return out
    })
    const state = stateFrom(model, ref.dict)
    const xt = tf.tensor(x, shape)
    const { output } = model.forward(state, xt, { training: false })
    expect(relError((await output.data()) as Float32Array, ref.y)).toBeLessThan(1e-4)
    tf.dispose([xt, output])
    model.dispose(state)
    expect(tf.memory().numTensors, 'no tensor leaks').toBe(before)
  }, 300_000)

  it.each([['lenet'], ['resnet-small']] as const)('%s: the gradients of the wasm backend', async (name) => {
    const shape: [number, number, number, number] = [4, 1, 28, 28]
    const model = compile(graphOf(name, shape))
    const x = inputOf(shape, 2)
    const labels = labelsOf(4, 0)
    const ref = await on('wasm', async () => {
      const state = model.init(3)
      const out = { dict: model.toStateDict(state), grads: await gradients(model, state, x, shape, labels) }
      model.dispose(state)
      return out
    })
    const state = stateFrom(model, ref.dict)
    const ours = await gradients(model, state, x, shape, labels)
    expect([...ours.keys()]).toEqual([...ref.grads.keys()])
    for (const [n, g] of ref.grads) expect(relError(ours.get(n)!.data, g.data), n).toBeLessThan(1e-3)
    model.dispose(state)
  }, 300_000)

  // Dropout draws other masks on another backend, so nets with dropout are compared in eval mode only (above).
  const training: [ModelName, TrainOptions['optimizer']][] = [
    ['lenet', { name: 'adam', learningRate: 0.005 }],
    ['resnet-small', { name: 'sgd', learningRate: 0.01, momentum: 0.9, weightDecay: 1e-4 }],
  ]
  it.each(training)('%s: 3 training steps (%o) give the parameters, running statistics and metrics of the wasm backend', async (name, optimizer) => {
    const shape: [number, number, number, number] = [4, 1, 28, 28]
    const model = compile(graphOf(name, shape))
    const options: TrainOptions = { epochs: 1, batchSize: 4, optimizer, seed: 3 }
    const steps = async (): Promise<{ dict: Map<string, StateDictTensor>; metrics: { loss: number; correct: number }[] }> => {
      let state: TrainingState = initialTrainingState(model, options)
      const metrics: { loss: number; correct: number }[] = []
      for (let step = 0; step < 3; step++) {
        const x = tf.tensor(inputOf(shape, step), shape)
        const y = tf.tensor1d(labelsOf(4, step), 'int32')
        const r = await trainStep(model, state, { x, y }, options, { epoch: 0, iteration: step, iterationsPerEpoch: 3 })
        state = r.state
        metrics.push({ loss: r.loss, correct: r.correct })
        tf.dispose([x, y])
      }
      const dict = await model.readStateDict(state.model)
      disposeTrainingState(model, state)
      return { dict, metrics }
    }
    const ref = await on('wasm', steps)
    const before = tf.memory().numTensors
    const ours = await steps()
    expect(tf.memory().numTensors, 'no tensor leaks').toBe(before)
    for (let i = 0; i < 3; i++) {
      expect(Math.abs(ours.metrics[i].loss - ref.metrics[i].loss) / Math.max(1, ref.metrics[i].loss), `loss ${i}`).toBeLessThan(1e-4)
      expect(ours.metrics[i].correct, `correct ${i}`).toBe(ref.metrics[i].correct)
    }
    // BatchNorm amplifies float differences from step to step (the same bound as the native engine's test).
    const bound = name === 'resnet-small' ? 5e-3 : 1e-3
    for (const [n, t] of ref.dict) expect(relError(ours.dict.get(n)!.data, t.data), n).toBeLessThan(bound)
  }, 300_000)

  it('writes a training checkpoint from webgpu that loads back to the same weights and optimizer slots', async () => {
    const model = compile(graphOf('lenet', [1, 1, 28, 28]))
    const options: TrainOptions = { epochs: 1, batchSize: 4, optimizer: { name: 'adam', learningRate: 0.005 }, seed: 1 }
    let state = initialTrainingState(model, options)
    const x = tf.tensor(inputOf([4, 1, 28, 28], 0), [4, 1, 28, 28])
    const y = tf.tensor1d(labelsOf(4, 0), 'int32')
    state = (await trainStep(model, state, { x, y }, options, { epoch: 0, iteration: 0, iterationsPerEpoch: 1 })).state
    tf.dispose([x, y])
    const path = join(dir, 'run')
    const saved = await saveTrainingCheckpoint(path, model, state, { model: 'lenet', modelOptions: { input: [1, 1, 28, 28], classes: 10 } }, options)()
    expect(saved._tag).toBe('Right')
    const loaded = await loadTrainingCheckpoint(path, model)()
    if (loaded._tag === 'Left') throw new Error(loaded.left.message)
    const a = await model.readStateDict(state.model)
    const b = await model.readStateDict(loaded.right.state.model)
    for (const [n, t] of a) expect(b.get(n)!.data, n).toEqual(t.data)
    for (const [slot, values] of state.optimizer.slots) {
      const other = loaded.right.state.optimizer.slots.get(slot)!
      for (const [n, t] of values) expect(await other.get(n)!.data(), `${slot}.${n}`).toEqual(await t.data())
    }
    disposeTrainingState(model, state)
    disposeTrainingState(model, loaded.right.state)
  }, 300_000)

  it('refuses the synchronous toStateDict with a StateError that names readStateDict', () => {
    const model = compile(graphOf('lenet', [1, 1, 28, 28]))
    const state = model.init(0)
    expect(() => model.toStateDict(state)).toThrow(StateError)
    expect(() => model.toStateDict(state)).toThrow(/use await model\.readStateDict\(state\)/)
    model.dispose(state)
  })
})
