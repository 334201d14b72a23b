/**
 * `npm run bench -- speed [models…] [--backend wasm|cpu|tensorflow|torch] [--steps K]`: the training speed of an
 * engine, as the time estimate before a run uses it (`TrainingSpeed` in src/runtime/memoryModel.ts). Each model trains
 * K steps (after one warm-up step) at its Fashion-MNIST input and default batch on random images; the CPU time of the
 * process per image is recorded (user + system: the time on a free core, so the figure does not depend on what else
 * the machine runs, for the single-threaded engines measured: wasm and libtorch with one thread, the cpu backend).
 * The two constants of the estimate — multiply-adds per second over a step's three products (3 × the forward MACs)
 * and activation bytes per second — are then fitted by least squares on the logarithm of the time per image.
 *
 * @module
 */
import * as tf from '@tensorflow/tfjs'
import { graphCost } from '../src/graph/cost.js'
import { selectBackend } from '../src/runtime/backend.js'
import { compile } from '../src/runtime/model.js'
import { setTorchThreads, TorchModel } from '../src/runtime/torch/engine.js'
import type { TrainingSpeed } from '../src/runtime/memoryModel.js'
import { resolveTrainJob } from '../src/train/job.js'
import { lookupModel } from '../src/zoo/registry.js'
import { benchmarkTrainingMemory } from './memory.js'

/** One model's measured speed. */
export interface SpeedRow {
  readonly model: string
  readonly batch: number
  /** Forward multiply-adds of one image. */
  readonly macs: number
  /** Every layer's output bytes for one image. */
  readonly activationBytes: number
  /** CPU seconds per image of a training step (median over the steps). */
  readonly secondsPerImage: number
}

/** The models measured when none are named: small to mid-sized, convolutional and dense, with and without BatchNorm. */
export const SPEED_MODELS = ['lenet', 'nin-small', 'resnet-small', 'resnet18'] as const

/** Batch sizes that keep a step short on the slow engines (the model's default where it is smaller). */
const BENCH_BATCH: Readonly<Record<string, number>> = { lenet: 64, 'nin-small': 16, 'resnet-small': 16, resnet18: 8 }

const median = (xs: readonly number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]

/** Measures one model on the libtorch engine (one thread, cpu device). */
async function torchRow(name: string, steps: number): Promise<SpeedRow> {
  const entry = lookupModel(name)
  if (entry._tag === 'Left') throw new Error(entry.left)
  const train = resolveTrainJob(entry.right.name, entry.right, { batchSize: BENCH_BATCH[name] ?? 8 }).options
  const [c, h, w] = entry.right.fashionInput
  const batch = train.batchSize
  const graph = entry.right.graph({ input: [batch, c, h, w], classes: 10 })
  const tfModel = compile(graph)
  const init = tfModel.init(0)
  const dict = tfModel.toStateDict(init)
  tfModel.dispose(init)
  setTorchThreads(1)
  const model = TorchModel.create(graph, dict)
  model.setOptimizer(train.optimizer)
  const data = Float32Array.from({ length: batch * c * h * w }, (_, i) => Math.sin(i))
  const labels = Int32Array.from({ length: batch }, (_, i) => i % 10)
  const times: number[] = []
  for (let i = 0; i <= steps; i++) {
    const cpu = process.cpuUsage()
    model.trainStep(data, [batch, c, h, w], labels, train.optimizer.learningRate)
    const used = process.cpuUsage(cpu)
    if (i > 0) times.push((used.user + used.system) / 1e6 / batch)
  }
  model.dispose()
  const cost = graphCost(graph, 1)
  return { model: name, batch, macs: cost.macs / batch, activationBytes: cost.activationBytes / batch, secondsPerImage: median(times) }
}

/** Measures one model on a TensorFlow.js backend. */
async function tfjsRow(name: string, backend: string, steps: number): Promise<SpeedRow> {
  const report = await benchmarkTrainingMemory({ model: name, backend, steps: steps + 1, batch: BENCH_BATCH[name] ?? 8 })
  const entry = lookupModel(name)
  if (entry._tag === 'Left') throw new Error(entry.left)
  const cost = graphCost(entry.right.graph({ input: [1, ...report.input], classes: 10 }), 1)
  return {
    model: name,
    batch: report.batch,
    macs: cost.macs,
    activationBytes: cost.activationBytes,
    secondsPerImage: median(report.steps.slice(1).map((s) => s.cpuSeconds)) / report.batch,
  }
}

/** Measures `models` on `engine` ('torch' or a TensorFlow.js backend name). */
export async function benchmarkSpeed(engine: string, models: readonly string[], steps = 2): Promise<SpeedRow[]> {
  // The torch engine's initial weights come from the tfjs interpreter's initialiser, as in `train --engine torch`.
  await selectBackend({ backend: engine === 'torch' ? 'wasm' : engine })
  const rows: SpeedRow[] = []
  for (const m of models) {
    rows.push(engine === 'torch' ? await torchRow(m, steps) : await tfjsRow(m, engine, steps))
    tf.disposeVariables()
  }
  return rows
}

/** The time per image the estimate gives a row at `speed`. */
const predicted = (r: SpeedRow, macsPerSecond: number, bytesPerSecond: number) => (3 * r.macs) / macsPerSecond + r.activationBytes / bytesPerSecond

/**
 * The two constants of the estimate fitted to `rows` (least squares on log time, a grid over 10^7…10^12 MAC/s and
 * 10^5…10^11 B/s in steps of 2 %), with the largest relative error of the fit over the rows.
 *
 * @example
 * ```ts
 * const { speed, worst } = fitSpeed(await benchmarkSpeed('cpu', ['lenet', 'nin-small']), 'cpu, measured today')
 * ```
 */
export function fitSpeed(rows: readonly SpeedRow[], source: string): { readonly speed: TrainingSpeed; readonly worst: number } {
  let best = { a: 0, b: 0, loss: Infinity }
  for (let la = 7; la <= 12; la += 0.0086) {
    for (let lb = 5; lb <= 11; lb += 0.0086) {
      const [a, b] = [10 ** la, 10 ** lb]
      const loss = rows.reduce((s, r) => s + Math.log(predicted(r, a, b) / r.secondsPerImage) ** 2, 0)
      if (loss < best.loss) best = { a, b, loss }
    }
  }
  const worst = Math.max(...rows.map((r) => Math.abs(predicted(r, best.a, best.b) / r.secondsPerImage - 1)))
  return { speed: { macsPerSecond: best.a, activationBytesPerSecond: best.b, source }, worst }
}

/** A markdown table of the rows, with the fitted estimate's error per row. */
export function formatSpeedRows(engine: string, rows: readonly SpeedRow[], speed: TrainingSpeed): string {
  const lines = [
    '| engine | model | batch | forward MACs / image | activations / image (KiB) | CPU s / image | estimate | error |',
    '|---|---|---:|---:|---:|---:|---:|---:|',
  ]
  for (const r of rows) {
    const p = predicted(r, speed.macsPerSecond, speed.activationBytesPerSecond)
    lines.push(
      `| ${engine} | ${r.model} | ${r.batch} | ${r.macs.toLocaleString('en-US')} | ${(r.activationBytes / 1024).toFixed(0)} | ` +
        `${r.secondsPerImage.toPrecision(3)} | ${p.toPrecision(3)} | ${((p / r.secondsPerImage - 1) * 100).toFixed(0)} % |`,
    )
  }
  return lines.join('\n')
}
