/**
 * Evaluation by another engine after training (`shapesafe train/compare --eval-engine onnxruntime`, `evaluateWeights`):
 * the exported ONNX model run by onnxruntime on the test split gives the tfjs evaluation's predictions (the same
 * accuracy; the loss within float rounding), through the library, `train --json` and `compare`'s results.json and
 * results.md. Skips the onnxruntime runs with the reason when onnxruntime-node is not installed (an optional peer:
 * `ONNXRUNTIME_NODE_INSTALL=skip npm install --no-save onnxruntime-node@1.30.0`); SHAPESAFE_REQUIRE_ONNXRUNTIME=1 (set
 * by .ci/run) makes that a failure. The missing-package error is tested either way (a package name that is not there).
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import * as tf from '@tensorflow/tfjs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { chooseEvalEngine } from '../src/cli/train.js'
import { CliError, memoryIo } from '../src/cli/io.js'
import { main } from '../src/cli/main.js'
import { FASHION_MNIST_STATS } from '../src/data/transforms.js'
import { selectBackend } from '../src/runtime/backend.js'
import { tfjsInferenceEngine } from '../src/runtime/engine.js'
import { loadOnnxruntime, onnxruntimeEngine } from '../src/runtime/onnxruntime.js'
import { torchStatus } from '../src/runtime/torch/engine.js'
import { tfjsEngine } from '../src/train/engine.js'
import { torchEngine } from '../src/train/torchEngine.js'
import { evaluateEngine, evaluateWeights, fitEngine } from '../src/train/engineFit.js'
import { resolveTrainJob, trainOne } from '../src/train/job.js'
import { zoo } from '../src/zoo/registry.js'
import { syntheticSplit } from './helpers/dataFixtures.js'
import { relError } from './helpers/relError.js'

const ort = await loadOnnxruntime().catch((e: unknown) => {
  const why = e instanceof Error ? e.message : String(e)
  if (process.env.SHAPESAFE_REQUIRE_ONNXRUNTIME === '1') throw new Error(`SHAPESAFE_REQUIRE_ONNXRUNTIME=1 but ${why}`)
  console.warn(`onnxruntime evaluation tests skipped: ${why}`)
  return undefined
})
const withOrt = ort === undefined ? it.skip : it

const dir = mkdtempSync(join(tmpdir(), 'shapesafe-evalengine-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))
beforeAll(async () => {
  await selectBackend({ backend: 'wasm', threads: 1 })
})

const data = { train: syntheticSplit(96, 1), test: syntheticSplit(48, 2), name: 'fashion-mnist', source: 'synthetic', classes: Array(10).fill('c') } as never
const relClose = (a: number, b: number) => Math.abs(a - b) <= 1e-4 * Math.max(1, Math.abs(b))

describe('evaluation on onnxruntime after training', () => {
  withOrt('trainOne with an evaluation engine: onnxruntime gives the tfjs evaluation of the final weights', async () => {
    const job = resolveTrainJob('lenet', zoo.lenet, { epochs: 1, batchSize: 32 })
    const before = tf.memory().numTensors
    const plain = await trainOne(job, data)
    expect(plain.evaluation).toBeUndefined()
    const result = await trainOne(job, data, {}, {}, undefined, await onnxruntimeEngine({ threads: 1 }))
    expect(tf.memory().numTensors).toBe(before)
    const own = result.history.at(-1)!
    expect(own.testAccuracy).toBe(plain.history.at(-1)!.testAccuracy)
    expect(result.evaluation).toMatchObject({ engine: 'onnxruntime', images: 48, testAccuracy: own.testAccuracy })
    expect(relClose(result.evaluation!.testLoss, own.testLoss)).toBe(true)
  })

  // CI builds the native engine (SHAPESAFE_REQUIRE_TORCH=1); tests/torchEngine.test.ts says why it is skipped elsewhere.
  it.skipIf(ort === undefined || !torchStatus().available)('trainOne on the native engine: onnxruntime evaluates the libtorch-trained weights alike', async () => {
    const job = resolveTrainJob('lenet', zoo.lenet, { epochs: 1, batchSize: 32 })
    const result = await trainOne(job, data, {}, {}, torchEngine({ device: 'cpu', threads: 1 }), await onnxruntimeEngine({ threads: 1 }))
    const own = result.history.at(-1)!
    expect(result.evaluation).toMatchObject({ engine: 'onnxruntime', images: 48, testAccuracy: own.testAccuracy })
    expect(relClose(result.evaluation!.testLoss, own.testLoss)).toBe(true)
  })

  withOrt('evaluateWeights: trained weights give the same predictions image by image on tfjs and onnxruntime', async () => {
    // A few epochs of the tfjs training engine, then both inference engines on the same state_dict.
    const graph = zoo.lenet.graph({ input: [1, 1, 28, 28], classes: 10 })
    const backend = await selectBackend({ backend: 'wasm', threads: 1 })
    const trainer = await tfjsEngine(backend).compileForTraining!(graph, { seed: 3, optimizer: { name: 'adam', learningRate: 0.005 } })
    const options = { batchSize: 16 } // 16 + 16 + 16 + 2 test images: a short last batch too
    const trained = await fitEngine(trainer, { train: syntheticSplit(160, 5), test: syntheticSplit(16, 7) }, { epochs: 2, batchSize: 16, seed: 3, optimizer: { name: 'adam', learningRate: 0.005 } }, { epoch: 0, history: [] })
    expect(trained.history).toHaveLength(2)
    const weights = new Map([...(await trainer.stateDict())].map(([n, t]) => [n, t.data]))
    trainer.dispose()
    const test = syntheticSplit(50, 6)
    const onTfjs = await evaluateWeights(tfjsInferenceEngine(backend), graph, weights, test, options)
    const onOrt = await evaluateWeights(await onnxruntimeEngine({ threads: 1 }), graph, weights, test, options)
    expect(onTfjs).toMatchObject({ engine: 'tfjs', images: 50 })
    expect(onOrt).toMatchObject({ engine: 'onnxruntime', device: 'cpu, 1 thread', images: 50, testAccuracy: onTfjs.testAccuracy })
    expect(relClose(onOrt.testLoss, onTfjs.testLoss)).toBe(true)
    // Fresh weights would not do: the evaluation runs the weights it was given.
    const fresh = await (await onnxruntimeEngine({ threads: 1 })).compile(graph, { seed: 0 })
    const untrained = await evaluateEngine(fresh, test, options)
    fresh.dispose()
    expect(relClose(untrained.loss, onOrt.testLoss)).toBe(false)
    const tfjsModel = await tfjsInferenceEngine(backend).compile(graph, { seed: 0 })
    const ortModel = await (await onnxruntimeEngine({ threads: 1 })).compile(graph, { seed: 0 })
    await tfjsModel.loadStateDict(weights)
    await ortModel.loadStateDict(weights)
    const x = { shape: [50, 1, 28, 28], data: Float32Array.from(test.images, (v) => (v / 255 - FASHION_MNIST_STATS.mean) / FASHION_MNIST_STATS.std) }
    const argmax = (y: { data: Float32Array }) => Array.from({ length: 50 }, (_, i) => {
      const row = Array.from(y.data.subarray(i * 10, i * 10 + 10))
      return row.indexOf(Math.max(...row))
    })
    // Image by image: the same logits within 1e-4 · max |ref| (so the same argmax unless two classes tie in float).
    const ref = await tfjsModel.forward(x)
    const got = await ortModel.forward(x)
    expect(got.shape).toEqual([50, 10])
    expect(relError(got.data, ref.data)).toBeLessThan(1e-4)
    expect(argmax(got)).toEqual(argmax(ref))
    tfjsModel.dispose()
    ortModel.dispose()
  })

  const tiny = ['--limit-train', '64', '--limit-test', '64', '--batch-size', '32', '--backend', 'wasm', '--threads', '1']
  const lastJson = (out: string) => JSON.parse(out.trimEnd().split('\n').at(-1)!) as Record<string, unknown>

  withOrt('train --eval-engine onnxruntime: the JSON summary carries the onnxruntime accuracy, equal to tfjs\'s', async () => {
    const io = memoryIo()
    expect(await main(['train', 'lenet', '--epochs', '1', '--json', '--eval-engine', 'onnxruntime', ...tiny], io)).toBe(0)
    const summary = lastJson(io.out())
    expect(summary).toMatchObject({ model: 'lenet', eval_engine: 'onnxruntime', eval_test_acc: summary.test_acc })
    expect(typeof summary.eval_test_loss).toBe('number')
    const text = memoryIo()
    expect(await main(['train', 'lenet', '--epochs', '1', '--eval-engine', 'onnxruntime', ...tiny], text)).toBe(0)
    expect(text.out()).toMatch(/\nonnxruntime \(cpu, 1 thread\) test accuracy \d\.\d{4}, loss \d+\.\d{4} on 64 images; tfjs \d\.\d{4}: same\n$/)
  })

  withOrt('compare --eval-engine onnxruntime: results.json and results.md carry the onnxruntime accuracy', async () => {
    const out = join(dir, 'cmp')
    const io = memoryIo()
    expect(await main(['compare', 'lenet', '--epochs', '1', '--eval-engine', 'onnxruntime', '--out', out, ...tiny], io)).toBe(0)
    const report = JSON.parse(readFileSync(join(out, 'results.json'), 'utf8'))
    const row = report.results[0]
    expect(row.evaluation).toMatchObject({ engine: 'onnxruntime', images: 64, testAccuracy: row.history.at(-1).testAccuracy })
    const table = readFileSync(join(out, 'results.md'), 'utf8')
    expect(table).toContain('| engine | onnxruntime test acc |')
    expect(table).toMatch(/\| lenet \| .* \| tfjs wasm, 1 thread \| \d+\.\d\d % \|\n/)
    expect(io.out()).toMatch(/lenet: onnxruntime \(cpu, 1 thread\) test accuracy .*: same\n/)
  })

  it('onnxruntime not installed: a usage error naming how to install it (a package name that is not there)', async () => {
    expect(await chooseEvalEngine({})).toBeUndefined()
    const error = await chooseEvalEngine({ 'eval-engine': 'onnxruntime' }, { specifier: 'onnxruntime-node-not-installed' }).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(CliError)
    expect((error as CliError).exitCode).toBe(2)
    expect((error as Error).message).toMatch(
      /^--eval-engine onnxruntime: engine onnxruntime is not available: install onnxruntime-node \(ONNXRUNTIME_NODE_INSTALL=skip npm install onnxruntime-node; it is an optional peer dependency\) — .*onnxruntime-node-not-installed/,
    )
  })

  it.skipIf(ort !== undefined)('onnxruntime not installed: train and compare refuse --eval-engine before training (exit 2)', async () => {
    for (const argv of [
      ['train', 'lenet', '--epochs', '1', '--eval-engine', 'onnxruntime', ...tiny],
      ['compare', 'lenet', '--epochs', '1', '--eval-engine', 'onnxruntime', '--out', join(dir, 'none'), ...tiny],
    ]) {
      const io = memoryIo()
      expect(await main(argv, io)).toBe(2)
      expect(io.err()).toMatch(/--eval-engine onnxruntime: engine onnxruntime is not available: install onnxruntime-node/)
      expect(io.out()).not.toMatch(/epoch|training lenet|comparing/)
    }
  })
})
