/**
 * The native libtorch engine (native/torch, src/runtime/torch): whole-net parity with PyTorch's own forward passes
 * (tests/goldens/parity), and training steps that agree with the TensorFlow.js engine's (same initial state, same
 * batches; SGD with momentum and weight decay, Adam; BatchNorm running statistics), gradients included; checkpoints
 * that resume bit-identically on this engine and move between it and the TensorFlow.js engine.
 *
 * Needs the addon built (`npm run build:native`, Debian `libtorch-dev`). Without it the suite is skipped and says why;
 * with SHAPESAFE_REQUIRE_TORCH=1 (set by .ci/run after it builds the addon) a missing engine fails instead.
 */
import * as tf from '@tensorflow/tfjs'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import * as E from 'fp-ts/lib/Either.js'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { pipe } from 'fp-ts/lib/function.js'
import { memoryIo } from '../src/cli/io.js'
import { input } from '../src/graph/input.js'
import { graphOf as graphOfPipe } from '../src/graph/trace.js'
import { loadCheckpoint } from '../src/io/checkpoint.js'
import { batchNorm2d } from '../src/layers/batchNorm2d.js'
import { conv2d } from '../src/layers/conv2d.js'
import { dropout, relu } from '../src/layers/elementwise.js'
import { flatten } from '../src/layers/flatten.js'
import { linear } from '../src/layers/linear.js'
import { maxPool2d } from '../src/layers/pool2d.js'
import { N } from '../src/shape/dim.js'
import { TrainError, trainOne, type TrainJob } from '../src/train/job.js'
import type { EpochMetrics } from '../src/train/progress.js'
import { torchEngine } from '../src/train/torchEngine.js'
import { main } from '../src/cli/main.js'
import type { Graph } from '../src/graph/ir.js'
import { stateDictSpecs } from '../src/graph/ir.js'
import { compile } from '../src/runtime/model.js'
import { decodeSafetensors, toFloat32Array } from '../src/io/safetensors.js'
import { setTorchThreads, torchStatus, TorchEngineError, TorchModel } from '../src/runtime/torch/engine.js'
import { initialTrainingState, trainStep, disposeTrainingState, type TrainOptions } from '../src/train/fit.js'
import { lookupModel, type ModelName } from '../src/zoo/registry.js'
import { syntheticSplit } from './helpers/dataFixtures.js'
import { detTensor, type DetRole } from './helpers/detweights.js'
import { relError } from './helpers/relError.js'

// One libtorch thread: vitest runs test files side by side on few cores, and OpenMP threads that outnumber the
// cores spin and slow everything down (the engine's default is all the cores, for real runs).
process.env.SHAPESAFE_THREADS = '1'
const status = torchStatus()
if (!status.available) {
  if (process.env.SHAPESAFE_REQUIRE_TORCH === '1') throw new Error(`SHAPESAFE_REQUIRE_TORCH=1 but ${status.reason}`)
  console.warn(`native engine tests skipped: ${status.reason}`)
}

const graphOf = (name: ModelName, shape: [number, number, number, number], classes: number): Graph => {
  const entry = lookupModel(name)
  if (E.isLeft(entry)) throw new Error(entry.left)
  return entry.right.graph({ input: shape, classes })
}

/** A zoo net's parity golden (tests/goldens/parity, made by PyTorch): graph, weights, input and expected output. */
const parityCase = (name: string) => {
  const decoded = decodeSafetensors(new Uint8Array(readFileSync(join(import.meta.dirname, 'goldens', 'parity', `${name}.safetensors`))))
  if (E.isLeft(decoded)) throw new Error(decoded.left.message)
  const meta = decoded.right.metadata
  const shape = JSON.parse(meta.input) as [number, number, number, number]
  const specs = JSON.parse(meta.state_dict) as [string, number[], DetRole][]
  const output = decoded.right.tensors.get('output')!
  const expected = toFloat32Array(output)
  if (E.isLeft(expected)) throw new Error(expected.left.message)
  return {
    graph: graphOf(meta.model as ModelName, shape, Number(meta.classes)),
    state: new Map(specs.map(([n, s, role]) => [n, { shape: s, data: detTensor(n, s, role) }])),
    shape,
    input: detTensor('input', shape, 'input'),
    outputShape: [...output.shape],
    expected: expected.right,
  }
}

/** A deterministic batch in [−1, 1] and labels. */
const batch = (shape: readonly number[], classes: number, salt: number): { x: Float32Array; y: Int32Array } => {
  const n = shape.reduce((p, d) => p * d, 1)
  const x = new Float32Array(n)
  let s = 0x9e3779b9 ^ salt
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0
    x[i] = s / 2 ** 31 - 1
  }
  const y = Int32Array.from({ length: shape[0] }, (_, i) => (i * 7 + salt) % classes)
  return { x, y }
}

describe.skipIf(!status.available)('native engine', () => {
  beforeAll(async () => {
    await tf.setBackend('cpu')
  })

  it('reports libtorch and its thread count', () => {
    const s = torchStatus()
    expect(s.available && s.version).toMatch(/^\d+\.\d+/)
    // The allocator thresholds the engine set, reported so that benchmarks give PyTorch the same (bench/torch.ts).
    if (process.env.SHAPESAFE_TORCH_MALLOC !== 'default') expect(s.available && s.malloc).toEqual({ mmapThreshold: 256 << 20, trimThreshold: 1 << 30 })
    expect(setTorchThreads(2)).toBe(2)
    expect(setTorchThreads(1)).toBe(1)
  })

  describe.each(['resnet18', 'resnet50', 'densenet121', 'alexnet', 'googlenet', 'nin', 'lenet-bn'])('parity with PyTorch: %s', (name) => {
    it('matches the PyTorch output within 1e-4 · max|ref|', () => {
      const c = parityCase(name)
      const model = TorchModel.create(c.graph, c.state)
      const out = model.forward(c.input, c.shape)
      expect(out.shape).toEqual(c.outputShape)
      expect(relError(out.data, c.expected)).toBeLessThan(1e-4)
      model.dispose()
    })
  })

  const cases: { name: ModelName; optimizer: TrainOptions['optimizer'] }[] = [
    { name: 'lenet', optimizer: { name: 'sgd', learningRate: 0.1, momentum: 0.9, weightDecay: 1e-3 } },
    { name: 'lenet', optimizer: { name: 'adam', learningRate: 1e-3, weightDecay: 1e-4 } },
    { name: 'resnet-small', optimizer: { name: 'sgd', learningRate: 0.01, momentum: 0.9 } },
    { name: 'lenet-bn', optimizer: { name: 'sgd', learningRate: 0.1, momentum: 0.9 } },
  ]
  // resnet-small and lenet-bn run SGD: its convolutions' biases feed BatchNorm, so their gradients are float noise around 0, which
  // Adam would scale up to full steps of opposite sign in the two engines.
  // Nets with dropout are left out: the two engines draw different masks (eval-mode parity covers NiN and AlexNet).
  describe.each(cases)('training steps agree with the TensorFlow.js engine: $name, $optimizer.name', ({ name, optimizer }) => {
    it('gives the same gradients, parameters and running statistics after 3 steps', async () => {
      const shape: [number, number, number, number] = [4, 1, 28, 28]
      const graph = graphOf(name, [1, 1, 28, 28], 10)
      const tfModel = compile(graph)
      const options: TrainOptions = { epochs: 1, batchSize: 4, optimizer, seed: 3 }
      let state = initialTrainingState(tfModel, options)
      const native = TorchModel.create(graph, tfModel.toStateDict(state.model))
      native.setOptimizer(optimizer)

      // Gradients at the initial state.
      const first = batch(shape, 10, 0)
      const nativeGrads = native.gradients(first.x, shape, first.y)
      const x0 = tf.tensor(first.x, shape)
      const y0 = tf.tensor1d(first.y, 'int32')
      const names = tfModel.trainable.map((p) => p.name)
      expect([...nativeGrads.keys()]).toEqual(names)
      const grads = tfGradients(tfModel, state.model, x0, y0, names)
      for (const n of names) expect(relError(nativeGrads.get(n)!, grads.get(n)!), n).toBeLessThan(1e-3)
      x0.dispose()
      y0.dispose()

      for (let step = 0; step < 3; step++) {
        const b = batch(shape, 10, step)
        const x = tf.tensor(b.x, shape)
        const y = tf.tensor1d(b.y, 'int32')
        const r = await trainStep(tfModel, state, { x, y }, options, { epoch: 0, iteration: step, iterationsPerEpoch: 3 })
        state = r.state
        const n = native.trainStep(b.x, shape, b.y, optimizer.learningRate)
        expect(Math.abs(n.loss - r.loss) / Math.max(1, Math.abs(r.loss))).toBeLessThan(1e-4)
        expect(n.correct).toBe(r.correct)
        x.dispose()
        y.dispose()
      }
      const ours = native.stateDict()
      // BatchNorm amplifies float differences from step to step: a looser bound for nets that have it.
      const bound = graph.nodes.some((node) => node.op.kind === 'batchNorm2d') ? 5e-3 : 1e-3
      for (const [n, t] of tfModel.toStateDict(state.model)) expect(relError(ours.get(n)!.data, t.data), n).toBeLessThan(bound)
      disposeTrainingState(tfModel, state)
      native.dispose()
    }, 600_000) // resnet-small on tfjs's pure-JavaScript cpu backend: minutes on a loaded machine
  })

  it('names the tensor that is missing or mis-sized, and refuses a wrong input', () => {
    const graph = graphOf('lenet', [1, 1, 28, 28], 10)
    const tfModel = compile(graph)
    const s = tfModel.init(0)
    const dict = tfModel.toStateDict(s)
    tfModel.dispose(s)
    const first = stateDictSpecs(graph)[0].name
    const missing = new Map(dict)
    missing.delete(first)
    expect(() => TorchModel.create(graph, missing)).toThrow(new TorchEngineError(`state dict has no tensor ${first}`))
    const wrong = new Map(dict)
    wrong.set(first, { shape: [1], data: new Float32Array(1) })
    expect(() => TorchModel.create(graph, wrong)).toThrow(/expected shape \[6, 1, 5, 5\], got \[1\]/)
    const model = TorchModel.create(graph, dict)
    expect(() => model.forward(new Float32Array(2 * 3 * 28 * 28), [2, 3, 28, 28])).toThrow('input: expected [N, 1, 28, 28], got [2, 3, 28, 28]')
    expect(() => model.trainStep(new Float32Array(28 * 28), [1, 1, 28, 28], new Int32Array(1), 0.1)).toThrow('no optimizer set')
    model.dispose()
    expect(() => model.forward(new Float32Array(28 * 28), [1, 1, 28, 28])).toThrow('the model was disposed')
  })

  it('trains from the command line (shapesafe train --engine torch) as the TensorFlow.js engine does', async () => {
    // LeNet has no dropout: with the same initial state, batches and schedule the two engines take the same steps.
    const args = ['train', 'lenet', '--epochs', '2', '--limit-train', '512', '--limit-test', '256', '--backend', 'wasm', '--json']
    const run = async (extra: string[]) => {
      const io = memoryIo()
      const code = await main([...args, ...extra], io)
      expect(io.err()).toBe('')
      expect(code).toBe(0)
      return JSON.parse(io.out().trim().split('\n').at(-1)!) as { backend: string; train_loss: number; test_acc: number; epochs: number }
    }
    const native = await run(['--engine', 'torch'])
    const reference = await run([])
    expect(native).toMatchObject({ epochs: 2, backend: 'torch-cpu' })
    expect(reference.backend).toBe('wasm')
    expect(Math.abs(native.train_loss - reference.train_loss)).toBeLessThan(1e-3)
    expect(Math.abs(native.test_acc - reference.test_acc)).toBeLessThan(0.01)
  }, 600_000)

  it('refuses a bad device before training', async () => {
    const deviceIo = memoryIo()
    expect(await main(['train', 'lenet', '--device', 'cuda'], deviceIo)).toBe(2)
    expect(deviceIo.err()).toMatch(/--device is for --engine torch/)
    const badIo = memoryIo()
    expect(await main(['train', 'lenet', '--engine', 'torch', '--device', 'tpu'], badIo)).toBe(2)
    expect(badIo.err()).toMatch(/--device: expected cpu, cuda or cuda:K, got 'tpu'/)
  })

  describe('checkpoints and resume', () => {
    const dirs: string[] = []
    afterAll(() => {
      for (const d of dirs) rmSync(d, { recursive: true, force: true })
    })
    const tmp = () => {
      const d = mkdtempSync(join(tmpdir(), 'shapesafe-torch-resume-'))
      dirs.push(d)
      return d
    }
    // conv, BatchNorm (running statistics), dropout (masks): everything a resumed run must carry on exactly. No conv
    // bias before BatchNorm: its gradient is float noise that Adam would scale up differently in the two engines.
    const tiny = (withDropout: boolean) =>
      withDropout
        ? graphOfPipe(
            pipe(input([N, 1, 8, 8]), conv2d({ out: 4, kernel: 3, padding: 1, bias: false }), batchNorm2d(), relu, maxPool2d({ kernel: 2 }), dropout({ p: 0.25 }), flatten, linear({ out: 10 })),
          )
        : graphOfPipe(pipe(input([N, 1, 8, 8]), conv2d({ out: 4, kernel: 3, padding: 1, bias: false }), batchNorm2d(), relu, maxPool2d({ kernel: 2 }), flatten, linear({ out: 10 })))
    const identity = { model: 'tiny', modelOptions: { input: [1, 1, 8, 8], classes: 10 } }
    const dataset = { train: syntheticSplit(96, 1), test: syntheticSplit(40, 2), name: 'fashion-mnist', source: 'synthetic', classes: Array(10).fill('c') } as never
    const job = (graph: Graph, options: TrainOptions): TrainJob => ({
      modelName: 'tiny',
      entry: { graph: () => graph, fashionInput: [1, 8, 8] },
      identity,
      options,
      graph,
      dataset: 'fashion-mnist',
    })
    const base = { batchSize: 16, seed: 5, resize: 8, schedule: { kind: 'cosine', per: 'iteration' } } as const
    const optimizers: TrainOptions['optimizer'][] = [
      { name: 'sgd', learningRate: 0.05, momentum: 0.9, weightDecay: 1e-3 },
      { name: 'adam', learningRate: 0.01 },
    ]
    const tensorsOf = async (path: string) => {
      const c = await loadCheckpoint(path)()
      if (E.isLeft(c)) throw new Error(c.left.message)
      return c.right
    }
    /** Trains `epochs` of the run and stops (as Ctrl-C would) once the checkpoint of epoch `upTo` is written. */
    const trainUpTo = async (j: TrainJob, upTo: number, checkpoint: string, engine?: ReturnType<typeof torchEngine>) => {
      let written = 0
      const stopped = await trainOne(j, dataset, { onCheckpoint: (_, epoch) => (written = epoch) }, { checkpoint, shouldStop: () => written >= upTo }, engine).catch(
        (e: unknown) => e,
      )
      expect(stopped).toBeInstanceOf(TrainError)
      expect((stopped as TrainError).checkpoint).toEqual({ path: checkpoint, epoch: upTo })
    }
    const withoutTimes = (history: readonly EpochMetrics[]) =>
      history.map(({ imagesPerSecond: _a, trainSeconds: _b, seconds: _c, ...rest }) => rest)

    it.each(optimizers)('a run resumed on the native engine ends bit-identically to an uninterrupted one: $name', async (optimizer) => {
      const graph = tiny(true)
      const options: TrainOptions = { ...base, epochs: 3, optimizer }
      const d = tmp()
      const engine = torchEngine({ device: 'cpu' })
      const full = await trainOne(job(graph, options), dataset, {}, { checkpoint: join(d, 'full') }, engine)
      await trainUpTo(job(graph, options), 1, join(d, 'part'), engine)
      const resumed = await trainOne(job(graph, options), dataset, {}, { checkpoint: join(d, 'part'), resume: true }, engine)
      expect(withoutTimes(resumed.history)).toEqual(withoutTimes(full.history))
      const a = await tensorsOf(join(d, 'full'))
      const b = await tensorsOf(join(d, 'part'))
      expect([...b.tensors.keys()]).toEqual([...a.tensors.keys()])
      // Weights, running statistics and every optimizer slot (optim.momentum.*, optim.m.*, optim.v.*).
      expect([...a.tensors.keys()].some((n) => n.startsWith('optim.'))).toBe(true)
      for (const [name, t] of a.tensors) expect(b.tensors.get(name)!.data, name).toEqual(t.data)
      expect(b.meta.optimizer.state).toEqual(a.meta.optimizer.state)
    }, 120_000)

    // Without dropout the engines take the same steps (up to float rounding), so a checkpoint of one continues on the other.
    it.each(optimizers)('a checkpoint moves between the TensorFlow.js and native engines: $name', async (optimizer) => {
      const graph = tiny(false)
      const options: TrainOptions = { ...base, epochs: 2, optimizer }
      const d = tmp()
      const torch = torchEngine({ device: 'cpu' })
      await trainOne(job(graph, options), dataset, {}, { checkpoint: join(d, 'tfjs-full') })
      await trainOne(job(graph, options), dataset, {}, { checkpoint: join(d, 'torch-full') }, torch)
      await trainUpTo(job(graph, options), 1, join(d, 'tfjs-then-torch'))
      await trainOne(job(graph, options), dataset, {}, { checkpoint: join(d, 'tfjs-then-torch'), resume: true }, torch)
      await trainUpTo(job(graph, options), 1, join(d, 'torch-then-tfjs'), torch)
      await trainOne(job(graph, options), dataset, {}, { checkpoint: join(d, 'torch-then-tfjs'), resume: true })
      const reference = await tensorsOf(join(d, 'tfjs-full'))
      for (const other of ['torch-full', 'tfjs-then-torch', 'torch-then-tfjs']) {
        const c = await tensorsOf(join(d, other))
        expect(c.meta.optimizer.state, other).toEqual(reference.meta.optimizer.state)
        for (const [name, t] of reference.tensors) {
          expect(relError(c.tensors.get(name)!.data, t.data), `${other}: ${name}`).toBeLessThan(5e-3)
        }
      }
    }, 240_000)

    it('refuses a checkpoint of another model, naming the differences', async () => {
      const d = tmp()
      const options: TrainOptions = { ...base, epochs: 1, optimizer: optimizers[0] }
      await trainOne(job(tiny(false), options), dataset, {}, { checkpoint: join(d, 'ck') }, torchEngine())
      const other = graphOfPipe(pipe(input([N, 1, 8, 8]), flatten, linear({ out: 10 })))
      const error = await trainOne(job(other, { ...options, epochs: 2 }), dataset, {}, { checkpoint: join(d, 'ck'), resume: true }, torchEngine()).catch(
        (e: unknown) => e,
      )
      expect(error).toBeInstanceOf(TrainError)
      expect((error as TrainError).kind).toBe('checkpoint')
      expect((error as TrainError).message).toMatch(/does not match the model[\s\S]*unexpected weight 0\.weight/)
    }, 60_000)

    it('writes checkpoints from the command line and resumes them (shapesafe train --engine torch --resume)', async () => {
      const d = tmp()
      const args = ['train', 'lenet', '--engine', 'torch', '--limit-train', '256', '--limit-test', '64', '--backend', 'wasm', '--checkpoint', join(d, 'ck')]
      const first = memoryIo()
      expect(await main([...args, '--epochs', '1'], first)).toBe(0)
      expect(first.err()).toBe('')
      const second = memoryIo()
      expect(await main([...args, '--epochs', '2', '--resume'], second)).toBe(0)
      expect(second.err()).toBe('')
      const c = await tensorsOf(join(d, 'ck'))
      expect(c.meta.epoch).toBe(2)
      expect(c.tensors.has('optim.m.features.0.weight') || [...c.tensors.keys()].some((n) => n.startsWith('optim.m.'))).toBe(true)
    }, 300_000)
  })

  // The same checks on a GPU (scripts/gpu-check.sh runs them there): a CPU build skips them and says why.
  const cudaDevice = process.env.SHAPESAFE_TORCH_DEVICE ?? 'cuda'
  const cudaMissing = !status.available ? status.reason : !status.cuda ? `this libtorch ${status.version} has no CUDA (or no GPU is visible)` : undefined
  if (cudaMissing !== undefined) console.warn(`native engine on ${cudaDevice}: skipped: ${cudaMissing}`)
  describe.skipIf(cudaMissing !== undefined)(`on ${cudaDevice}`, () => {
    // cuDNN may use TF32 for convolutions on Ampere and later (PyTorch's default): a looser bound than on the CPU.
    const tol = 2e-3
    it.each(['resnet18', 'densenet121'])('matches the PyTorch output: %s', (name) => {
      const c = parityCase(name)
      const model = TorchModel.create(c.graph, c.state, { device: cudaDevice })
      const out = model.forward(c.input, c.shape)
      expect(out.shape).toEqual(c.outputShape)
      expect(relError(out.data, c.expected)).toBeLessThan(tol)
      model.dispose()
    })

    it('takes the training steps the CPU engine takes, and its optimizer state moves between devices', () => {
      const shape: [number, number, number, number] = [8, 1, 28, 28]
      const graph = graphOf('resnet-small', [1, 1, 28, 28], 10)
      const tfModel = compile(graph)
      const init = tfModel.init(1)
      const dict = tfModel.toStateDict(init)
      tfModel.dispose(init)
      const optimizer = { name: 'sgd', learningRate: 0.01, momentum: 0.9 } as const
      const gpu = TorchModel.create(graph, dict, { device: cudaDevice })
      const cpu = TorchModel.create(graph, dict)
      for (const m of [gpu, cpu]) m.setOptimizer(optimizer)
      for (let step = 0; step < 3; step++) {
        const b = batch(shape, 10, step)
        const g = gpu.trainStep(b.x, shape, b.y, 0.01)
        const c = cpu.trainStep(b.x, shape, b.y, 0.01)
        expect(Math.abs(g.loss - c.loss)).toBeLessThan(1e-2)
      }
      const cpuState = cpu.stateDict()
      for (const [n, t] of gpu.stateDict()) expect(relError(t.data, cpuState.get(n)!.data), n).toBeLessThan(2e-2)
      // The GPU's optimizer state, copied to a CPU model, continues there.
      const moved = TorchModel.create(graph, gpu.stateDict())
      moved.setOptimizer(optimizer)
      moved.setOptimizerState(gpu.optimizerState())
      expect(moved.step).toBe(3)
      const b = batch(shape, 10, 9)
      expect(Math.abs(moved.trainStep(b.x, shape, b.y, 0.01).loss - gpu.trainStep(b.x, shape, b.y, 0.01).loss)).toBeLessThan(1e-2)
      for (const m of [gpu, cpu, moved]) m.dispose()
    }, 120_000)
  })

  it('says plainly when CUDA is not there', () => {
    const s = torchStatus()
    if (s.available && s.cuda) return // a CUDA build with a GPU: nothing to refuse
    const graph = graphOf('lenet', [1, 1, 28, 28], 10)
    const tfModel = compile(graph)
    const st = tfModel.init(0)
    const dict = tfModel.toStateDict(st)
    tfModel.dispose(st)
    expect(() => TorchModel.create(graph, dict, { device: 'cuda' })).toThrow(/device cuda: this libtorch has no CUDA/)
  })
})

/** The TensorFlow.js engine's gradients of the mean cross-entropy, in training mode. */
function tfGradients(
  model: ReturnType<typeof compile>,
  state: ReturnType<ReturnType<typeof compile>['init']>,
  x: tf.Tensor,
  y: tf.Tensor,
  names: string[],
): Map<string, Float32Array> {
  const params = names.map((n) => state.params.get(n)!)
  const { value, grads } = tf.valueAndGrads((...ps: tf.Tensor[]): tf.Scalar => {
    const { output, stats } = model.forward({ params: new Map(names.map((n, i) => [n, ps[i]])), stats: state.stats }, x, { training: true })
    tf.dispose([...stats.values()])
    return tf.losses.softmaxCrossEntropy(tf.oneHot(y as tf.Tensor1D, output.shape[1] as number), output) as tf.Scalar
  })(params)
  // Gradients have the parameters' internal layout: read them back in PyTorch's through toStateDict.
  const dict = model.toStateDict({ params: new Map(names.map((n, i) => [n, grads[i]])), stats: state.stats })
  tf.dispose([value, ...grads])
  return new Map(names.map((n) => [n, dict.get(n)!.data]))
}
