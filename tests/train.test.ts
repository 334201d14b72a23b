import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import * as tf from '@tensorflow/tfjs'
import * as E from 'fp-ts/lib/Either.js'
import { pipe } from 'fp-ts/lib/function.js'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Split } from '../src/data/fashionMnist.js'
import { input } from '../src/graph/input.js'
import { graphOf } from '../src/graph/trace.js'
import { batchNorm2d } from '../src/layers/batchNorm2d.js'
import { conv2d } from '../src/layers/conv2d.js'
import { dropout, relu } from '../src/layers/elementwise.js'
import { flatten } from '../src/layers/flatten.js'
import { linear } from '../src/layers/linear.js'
import { maxPool2d } from '../src/layers/pool2d.js'
import { selectBackend } from '../src/runtime/backend.js'
import { compile, type CompiledModel } from '../src/runtime/model.js'
import { N } from '../src/shape/dim.js'
import { resumeTrainJob, TrainError, trainOne, type TrainJob } from '../src/train/job.js'
import {
  disposeTrainingState,
  evaluate,
  fit,
  initialTrainingState,
  NonFiniteLossError,
  type TrainingState,
  type TrainOptions,
} from '../src/train/fit.js'
import { correctCount, softmaxCrossEntropy } from '../src/train/loss.js'
import { formatDuration, formatEpoch, formatProgress, formatRate, progressBar } from '../src/train/progress.js'
import { loadTrainingCheckpoint, readRunInfo, saveTrainingCheckpoint } from '../src/train/trainingCheckpoint.js'
import type { ZooEntry } from '../src/zoo/registry.js'
import { syntheticSplit } from './helpers/dataFixtures.js'

const golden = JSON.parse(readFileSync(new URL('./fixtures/train-golden.json', import.meta.url), 'utf8')) as {
  crossEntropy: { logits: { shape: [number, number]; data: number[] }; labels: number[]; loss: number; grad: number[] }
}

/** A tiny classifier with every stateful feature: BatchNorm statistics, dropout, conv, pooling, linear. */
const tinyGraph = () =>
  graphOf(
    pipe(
      input([N, 1, 8, 8]),
      conv2d({ out: 4, kernel: 3, padding: 1 }),
      batchNorm2d(),
      relu,
      maxPool2d({ kernel: 2 }),
      dropout({ p: 0.25 }),
      flatten,
      linear({ out: 10 }),
    ),
  )

const data = { train: syntheticSplit(96, 1), test: syntheticSplit(40, 2) }

const baseOptions: TrainOptions = {
  epochs: 3,
  batchSize: 16,
  seed: 5,
  resize: 8,
  optimizer: { name: 'adam', learningRate: 0.01 },
  schedule: { kind: 'cosine', per: 'iteration' },
}

let model: CompiledModel
let dir: string

beforeAll(async () => {
  await selectBackend({ backend: 'wasm' })
  model = compile(tinyGraph())
  dir = mkdtempSync(join(tmpdir(), 'shapesafe-train-'))
})

afterAll(() => {
  rmSync(dir, { recursive: true, force: true })
})

const stateDictOf = (state: TrainingState) => model.toStateDict(state.model)
const withoutTimes = (history: TrainingState['history']) =>
  history.map(({ imagesPerSecond: _a, trainSeconds: _b, seconds: _c, ...rest }) => rest)

describe('softmax cross-entropy', () => {
  it('matches F.cross_entropy and its gradient, with logits up to 100', () => {
    const { logits, labels, loss, grad } = golden.crossEntropy
    const z = tf.tensor2d(logits.data, logits.shape)
    const y = tf.tensor1d(labels, 'int32')
    const value = softmaxCrossEntropy(z, y)
    expect(Number.isFinite(value.dataSync()[0])).toBe(true)
    expect(value.dataSync()[0]).toBeCloseTo(loss, 5)
    const g = tf.grad((t: tf.Tensor) => softmaxCrossEntropy(t, y))(z)
    const got = g.dataSync()
    grad.forEach((v, i) => expect(got[i]).toBeCloseTo(v, 6))
    tf.dispose([z, y, value, g])
  })

  it('rejects labels of the wrong length', () => {
    expect(() => softmaxCrossEntropy(tf.zeros([2, 3]), tf.tensor1d([0], 'int32'))).toThrow(/labels must be \[2\]/)
  })

  it('counts correct predictions', () => {
    const c = correctCount(tf.tensor2d([[2, 0], [0, 1], [5, 4]]), tf.tensor1d([0, 0, 0], 'int32'))
    expect(c.dataSync()[0]).toBe(2)
  })
})

describe('progress display', () => {
  const p = { epoch: 1, epochs: 2, batch: 60, batches: 235, loss: 0.71316, accuracy: 0.7349, images: 7680, seconds: 3 }

  it('formats the bar with epoch, batch, loss, accuracy, images/s and ETA', () => {
    expect(formatProgress(p, 20)).toBe('epoch 1/2 [#####···············]  60/235 loss 0.7132 acc 0.735 2560 img/s ETA 0:09')
    expect(formatDuration(65)).toBe('1:05')
    expect(formatDuration(3723)).toBe('1:02:03')
    expect(formatDuration(NaN)).toBe('--:--')
  })

  it('formats rates with the digits that matter, also below 1 img/s', () => {
    expect([2690.4, 100, 71.66, 10, 5.27, 0.0934, 0.3, 0].map(formatRate)).toEqual(['2690', '100', '71.7', '10.0', '5.3', '0.093', '0.3', '0'])
    expect(formatRate(NaN)).toBe('-')
  })

  it('formats epoch lines', () => {
    expect(
      formatEpoch(
        { epoch: 2, trainLoss: 0.5, trainAccuracy: 0.8, testLoss: 0.45, testAccuracy: 0.83, imagesPerSecond: 2650.4, trainSeconds: 22, seconds: 24.06, learningRate: 0.01 },
        3,
      ),
    ).toBe('epoch 2/3  train loss 0.5000  train acc 0.800  test loss 0.4500  test acc 0.830  2650 img/s  24.1 s')
  })

  it('draws in place only when enabled, throttled, always for the last batch', () => {
    const written: string[] = []
    let now = 0
    const bar = progressBar((s) => written.push(s), { enabled: true, intervalMs: 100, now: () => now })
    bar.update(p)
    now = 50
    bar.update({ ...p, batch: 61 }) // throttled
    bar.update({ ...p, batch: 235 }) // last batch: drawn
    bar.clear()
    expect(written).toHaveLength(3)
    expect(written[0].startsWith('\r')).toBe(true)
    expect(written[1]).toContain('235/235')
    expect(written[2]).toBe('\r\x1b[K')
    const off: string[] = []
    const quiet = progressBar((s) => off.push(s), { enabled: false })
    quiet.update(p)
    quiet.clear()
    expect(off).toEqual([])
  })
})

describe('training loop', () => {
  it('learns, is reproducible from the seed, and differs for another seed', async () => {
    const run = async (seed: number) => {
      const options = { ...baseOptions, seed }
      const final = await fit(model, data, options, initialTrainingState(model, options))
      const dict = stateDictOf(final)
      const history = final.history
      disposeTrainingState(model, final)
      return { dict, history }
    }
    const a = await run(5)
    const b = await run(5)
    const c = await run(6)
    expect(a.history).toHaveLength(3)
    expect(a.history[2].trainLoss).toBeLessThan(a.history[0].trainLoss)
    expect(a.history[2].testAccuracy).toBeGreaterThan(0.3)
    expect(withoutTimes(b.history)).toEqual(withoutTimes(a.history))
    for (const [name, t] of a.dict) expect(b.dict.get(name)!.data, name).toEqual(t.data)
    expect(c.dict.get('0.weight')!.data).not.toEqual(a.dict.get('0.weight')!.data)
  })

  it('updates BatchNorm running statistics in training and uses them in evaluation', async () => {
    const state = initialTrainingState(model, { ...baseOptions, epochs: 1 })
    const before = model.toStateDict(state.model).get('1.running_mean')!.data.slice()
    const final = await fit(model, data, { ...baseOptions, epochs: 1 }, state)
    const after = model.toStateDict(final.model).get('1.running_mean')!.data
    expect(after).not.toEqual(before)
    const e1 = await evaluate(model, final.model, data.test, { batchSize: 8, resize: 8 })
    const e2 = await evaluate(model, final.model, data.test, { batchSize: 40, resize: 8 })
    expect(e1.accuracy).toBeCloseTo(e2.accuracy, 10) // eval is deterministic (no dropout, no batch statistics)
    expect(e1.loss).toBeCloseTo(e2.loss, 4)
    expect(e1.images).toBe(40)
    disposeTrainingState(model, final)
  })

  it('does not leak tensors over hundreds of steps', async () => {
    const options: TrainOptions = { ...baseOptions, epochs: 4, batchSize: 1 } // 96 steps per epoch
    const start = tf.memory().numTensors
    const state = initialTrainingState(model, options)
    const withState = tf.memory().numTensors
    const counts: number[] = []
    const final = await fit(model, { train: data.train, test: syntheticSplit(8, 3) }, options, state, {
      onBatch: () => counts.push(tf.memory().numTensors),
    })
    expect(counts.length).toBe(4 * 96)
    expect(new Set(counts)).toEqual(new Set([withState]))
    expect(tf.memory().numTensors).toBe(withState)
    disposeTrainingState(model, final)
    expect(tf.memory().numTensors).toBe(start)
  })

  it('stops on a non-finite loss, naming the epoch and batch, and frees everything', async () => {
    const start = tf.memory().numTensors
    const options: TrainOptions = { ...baseOptions, epochs: 2, optimizer: { name: 'sgd', learningRate: 1e38 } }
    const error = await fit(model, data, options, initialTrainingState(model, options)).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(NonFiniteLossError)
    expect((error as Error).message).toMatch(/training diverged: the loss is (NaN|Infinity) at epoch 1, batch \d+/)
    expect(tf.memory().numTensors).toBe(start)
  })
})

describe('checkpoints', () => {
  const identity = { model: 'tiny', modelOptions: { input: [1, 1, 8, 8], classes: 10 } }

  it('a run resumed after epoch 1 ends exactly like an uninterrupted one', async () => {
    const options: TrainOptions = { ...baseOptions, epochs: 3 }
    const path = join(dir, 'resume')

    const full = await fit(model, data, options, initialTrainingState(model, options))
    const fullDict = stateDictOf(full)
    const fullHistory = full.history
    disposeTrainingState(model, full)

    class Interrupt extends Error {}
    const stopped = await fit(model, data, options, initialTrainingState(model, options), {
      onEpoch: async (state) => {
        const saved = await saveTrainingCheckpoint(path, model, state, identity, options)()
        expect(E.isRight(saved)).toBe(true)
        throw new Interrupt()
      },
    }).catch((e: unknown) => e)
    expect(stopped).toBeInstanceOf(Interrupt)

    const loaded = await loadTrainingCheckpoint(path, model)()
    if (E.isLeft(loaded)) throw new Error(loaded.left.message)
    expect(loaded.right.state.epoch).toBe(1)
    expect(loaded.right.options).toEqual(options)
    expect(loaded.right.identity).toEqual(identity)
    const resumed = await fit(model, data, loaded.right.options, loaded.right.state)
    const resumedDict = stateDictOf(resumed)
    expect(withoutTimes(resumed.history)).toEqual(withoutTimes(fullHistory))
    disposeTrainingState(model, resumed)
    for (const [name, t] of fullDict) expect(resumedDict.get(name)!.data, name).toEqual(t.data)

    const meta = JSON.parse(readFileSync(`${path}.json`, 'utf8')).meta
    expect(meta).toMatchObject({ model: 'tiny', epoch: 1, seed: 5, optimizer: { name: 'adam', hyperParameters: { learningRate: 0.01 }, state: { step: 6 } } })
    expect(meta.metrics).toHaveLength(1)
  })

  it('stores weights under PyTorch names and optimizer state as optim.<slot>.<param>', async () => {
    const options: TrainOptions = { ...baseOptions, epochs: 1 }
    const state = initialTrainingState(model, options)
    const path = join(dir, 'names')
    const saved = await saveTrainingCheckpoint(path, model, state, identity, options)()
    expect(E.isRight(saved)).toBe(true)
    disposeTrainingState(model, state)
    const { loadCheckpoint } = await import('../src/io/checkpoint.js')
    const raw = await loadCheckpoint(path)()
    if (E.isLeft(raw)) throw new Error(raw.left.message)
    const names = [...raw.right.tensors.keys()]
    expect(names).toContain('0.weight')
    expect(names).toContain('1.running_var')
    expect(names).toContain('optim.m.0.weight')
    expect(names).toContain('optim.v.6.bias')
    expect(raw.right.tensors.get('0.weight')!.shape).toEqual([4, 1, 3, 3]) // OIHW
    expect(raw.right.tensors.get('optim.m.6.weight')!.shape).toEqual([10, 64]) // [out, in]
  })

  it('refuses a checkpoint of another model, listing the differences', async () => {
    const other = compile(graphOf(pipe(input([N, 1, 8, 8]), flatten, linear({ out: 10 }))))
    const loaded = await loadTrainingCheckpoint(join(dir, 'names'), other)()
    expect(E.isLeft(loaded) && loaded.left.message).toMatch(/does not match the model[\s\S]*weight 1\.weight has shape \[4\], the model expects \[10, 64\][\s\S]*unexpected weight 0\.weight/)
  })

  it('a diverging run keeps the last good checkpoint and says so', async () => {
    const entry = { name: 'lenet', graph: () => tinyGraph(), fashionInput: [1, 8, 8] } as unknown as ZooEntry
    // epoch 1 trains normally; the step schedule multiplies the rate by 1e38 from epoch 2 on
    const options: TrainOptions = { ...baseOptions, epochs: 2, optimizer: { name: 'sgd', learningRate: 0.01 }, schedule: { kind: 'step', stepSize: 1, gamma: 1e38 } }
    const job: TrainJob = { modelName: 'tiny', entry, identity, options, graph: tinyGraph(), dataset: 'fashion-mnist' }
    const path = join(dir, 'diverge')
    const epochs: number[] = []
    const start = tf.memory().numTensors
    const error = await trainOne(
      job,
      { ...data, name: 'fashion-mnist', source: 'synthetic', classes: Array(10).fill('c') } as never,
      { onEpoch: (m) => epochs.push(m.epoch) },
      { checkpoint: path },
    ).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(TrainError)
    expect(error).toMatchObject({ kind: 'diverged', checkpoint: { path, epoch: 1 } })
    expect((error as Error).message).toMatch(/training diverged: .* at epoch 2, batch \d+;.*; the last good checkpoint \(epoch 1\) is kept at .*diverge/)
    expect(epochs).toEqual([1])
    expect(tf.memory().numTensors).toBe(start)
    const kept = await loadTrainingCheckpoint(path, model)()
    expect(E.isRight(kept) && kept.right.state.epoch).toBe(1)
    if (E.isRight(kept)) disposeTrainingState(model, kept.right.state)
  })
})

describe('the training job', () => {
  const identity = { model: 'tiny', modelOptions: { input: [1, 1, 8, 8], classes: 10 } }
  const entry = { graph: () => tinyGraph(), fashionInput: [1, 8, 8] } as const
  const dataset = (train: Split, test: Split) => ({ train, test, name: 'fashion-mnist', source: 'synthetic', classes: Array(10).fill('c') }) as never
  const job = (options: TrainOptions): TrainJob => ({ modelName: 'tiny', entry, identity, options, graph: tinyGraph(), dataset: 'fashion-mnist' })

  it('refuses an empty training or test split instead of printing NaN', async () => {
    const options: TrainOptions = { ...baseOptions, epochs: 1 }
    for (const [train, test, which] of [
      [syntheticSplit(0, 1), data.test, 'training'],
      [data.train, syntheticSplit(0, 2), 'test'],
    ] as const) {
      const error = await trainOne(job(options), dataset(train, test)).catch((e: unknown) => e)
      expect(error).toBeInstanceOf(TrainError)
      expect(error).toMatchObject({ kind: 'data' })
      expect((error as Error).message).toBe(`the ${which} split of fashion-mnist (synthetic) is empty: nothing to ${which === 'training' ? 'train on' : 'evaluate'}`)
    }
  })

  it('stops between steps when asked, frees everything, and names the last checkpoint', async () => {
    const options: TrainOptions = { ...baseOptions, epochs: 3 }
    const path = join(dir, 'stop')
    let batches = 0
    const start = tf.memory().numTensors
    const error = await trainOne(job(options), dataset(data.train, data.test), { onBatch: () => batches++ }, {
      checkpoint: path,
      shouldStop: () => batches >= 8, // epoch 1 has 6 batches: stop in epoch 2 after 2
    }).catch((e: unknown) => e)
    expect(error).toMatchObject({ kind: 'stopped', checkpoint: { path, epoch: 1 } })
    expect((error as Error).message).toBe(`stopped at epoch 2 after 2 batch(es); the last good checkpoint (epoch 1) is kept at ${path}`)
    expect(tf.memory().numTensors).toBe(start)
    const info = await readRunInfo(path)()
    expect(E.isRight(info) && info.right.epoch).toBe(1)
  })

  it('resumeTrainJob validates what it reads back and pins the fixed options', async () => {
    const path = join(dir, 'stop')
    const corrupt = join(dir, 'corrupt')
    const json = JSON.parse(readFileSync(`${path}.json`, 'utf8'))
    json.meta.extra.trainOptions.schedule = { kind: 'step', stepSize: 0, gamma: 0.1 }
    writeFileSync(`${corrupt}.json`, JSON.stringify(json)) // names the same tensors file
    await expect(resumeTrainJob('tiny', entry, {}, corrupt)).rejects.toMatchObject({
      kind: 'checkpoint',
      message: `checkpoint ${corrupt} is corrupt: schedule.stepSize must be a positive integer, got 0`,
    })
    await expect(resumeTrainJob('tiny', entry, { epochs: 3, learningRate: 0.5 }, path)).rejects.toMatchObject({
      kind: 'usage',
      message: expect.stringMatching(/^cannot resume with --lr 0.5: .* was trained with --lr 0.01;/),
    })
    await expect(resumeTrainJob('tiny', entry, { epochs: 3, init: 'xavier' }, path)).rejects.toMatchObject({
      kind: 'usage',
      message: expect.stringMatching(/^cannot resume with --init xavier: .* was trained with --init pytorch;/),
    })
    const badInit = join(dir, 'bad-init')
    json.meta.extra.trainOptions.schedule = { kind: 'constant' }
    json.meta.extra.trainOptions.init = 'he'
    writeFileSync(`${badInit}.json`, JSON.stringify(json))
    await expect(resumeTrainJob('tiny', entry, {}, badInit)).rejects.toMatchObject({
      kind: 'checkpoint',
      message: `checkpoint ${badInit} is corrupt: init must be "pytorch" or "xavier", got "he"`,
    })
    const resumed = await resumeTrainJob('tiny', entry, { epochs: 4, limitTest: 8 }, path)
    expect(resumed.options).toMatchObject({ epochs: 4, limitTest: 8, batchSize: 16, seed: 5 })
  })
})

