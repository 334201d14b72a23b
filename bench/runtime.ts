// Over 400 lines on purpose: one benchmark (its four runners, the driver and the report) kept together to compare.
/**
 * Runtime benchmark: forward and training-step throughput (images/s) of LeNet (28², batch 256) and ResNet-18 (96²,
 * batch 32, 1 channel, 10 classes) run by shapesafe's interpreter, by the same net hand-written in raw tfjs ops, by a
 * tfjs-layers model, and by PyTorch on the CPU (2 threads, when `/usr/bin/python3` has torch).
 *
 * Method: every variant gets one warm-up, then rounds interleave the variants (A B C A B C ...) so that load on the
 * machine hits them alike; each round times a few calls and reports images/s; the report gives the median over rounds.
 * A training step is forward in training mode, softmax cross-entropy, gradients of every parameter and a plain SGD
 * update (`optimizer.minimize` with `tf.train.sgd` for the three tfjs variants, `torch.optim.SGD` for PyTorch).
 * @module
 */
import '@tensorflow/tfjs-backend-wasm'
import * as tf from '@tensorflow/tfjs'
import { spawnSync } from 'node:child_process'
import { cpus, loadavg } from 'node:os'
import { selectBackend, type BackendInfo } from '../src/runtime/backend.js'
import { compile, type ModelState } from '../src/runtime/model.js'
import { zoo } from '../src/zoo/registry.js'
import { benchPythonScript } from './python.js'

/** Options of {@link benchmarkRuntime}. */
export interface RuntimeBenchOptions {
  /** Fewer rounds and calls (a smoke run of a minute or two). */
  readonly quick?: boolean
  /** Progress lines (default: none). */
  readonly log?: (line: string) => void
  /** Skip PyTorch even if available. */
  readonly skipTorch?: boolean
}

/** Medians of one net and one implementation. */
export interface VariantResult {
  readonly variant: 'shapesafe' | 'raw tfjs' | 'tfjs-layers' | 'PyTorch'
  /** Images per second, forward in eval mode (median over rounds). */
  readonly forward: number
  /** Images per second, full training step (median over rounds). */
  readonly train: number
}

/** Results for one net. */
export interface NetResult {
  readonly net: string
  readonly batch: number
  readonly input: readonly [number, number, number]
  readonly variants: readonly VariantResult[]
}

/** The whole report. */
export interface RuntimeBenchReport {
  readonly backend: BackendInfo
  readonly machine: string
  readonly node: string
  readonly torch?: string
  readonly rounds: number
  readonly nets: readonly NetResult[]
  readonly seconds: number
  /** One-minute load averages at the start and the end (the machine may be shared). */
  readonly load: readonly [number, number]
}

/** One benchmarked implementation: a forward function and a training step on a fixed batch. */
interface Runner {
  readonly variant: VariantResult['variant']
  forward(): void
  train(): void
  dispose(): void
}

const median = (xs: readonly number[]): number => {
  const s = [...xs].sort((a, b) => a - b)
  const m = Math.floor(s.length / 2)
  return s.length % 2 === 1 ? s[m] : (s[m - 1] + s[m]) / 2
}

const LR = 0.01

function oneHot(batch: number, classes: number): tf.Tensor2D {
  return tf.tidy(() => tf.oneHot(tf.tensor1d(Array.from({ length: batch }, (_, i) => i % classes), 'int32'), classes).toFloat() as tf.Tensor2D)
}

// ---------------------------------------------------------------------------------------------------------------------
// shapesafe
// ---------------------------------------------------------------------------------------------------------------------

function shapesafeRunner(model: 'lenet' | 'resnet18', batch: number, input: readonly [number, number, number], xNchw: tf.Tensor, labels: tf.Tensor2D): Runner {
  const graph = zoo[model].graph({ input: [batch, ...input], classes: 10 })
  const compiled = compile(graph)
  const init = compiled.init(0)
  // Variables so that the optimizer can update them in place; a Variable is a Tensor, so it is a valid state.
  const params = new Map<string, tf.Tensor>([...init.params].map(([k, v]) => [k, tf.variable(v, true, `shapesafe/${model}/${k}`)]))
  tf.dispose([...init.params.values()])
  let state: ModelState = { params, stats: init.stats }
  const optimizer = tf.train.sgd(LR)
  return {
    variant: 'shapesafe',
    forward: () => tf.dispose(compiled.forward(state, xNchw, { training: false }).output),
    train: () => {
      let newStats: ModelState['stats'] = state.stats
      optimizer.minimize(() => {
        const { output, stats } = compiled.forward(state, xNchw, { training: true, seed: 1 })
        newStats = stats
        return tf.losses.softmaxCrossEntropy(labels, output) as tf.Scalar
      }, false, [...params.values()] as tf.Variable[])
      if (newStats !== state.stats) {
        tf.dispose([...state.stats.values()])
        state = { params, stats: newStats }
      }
    },
    dispose: () => {
      tf.dispose([...params.values(), ...state.stats.values()])
      optimizer.dispose()
    },
  }
}

// ---------------------------------------------------------------------------------------------------------------------
// hand-written raw tfjs (NHWC input, fused conv/matMul, BatchNorm as plain ops)
// ---------------------------------------------------------------------------------------------------------------------

type Param = tf.Variable

function makeVar(shape: number[], fanIn: number, name: string): Param {
  const bound = 1 / Math.sqrt(fanIn)
  return tf.variable(tf.randomUniform(shape, -bound, bound, 'float32', 1), true, name)
}

function rawLenet(xNhwc: tf.Tensor4D, labels: tf.Tensor2D): Runner {
  const p = {
    w1: makeVar([5, 5, 1, 6], 25, 'raw/lenet/w1'),
    b1: makeVar([6], 25, 'raw/lenet/b1'),
    w2: makeVar([5, 5, 6, 16], 150, 'raw/lenet/w2'),
    b2: makeVar([16], 150, 'raw/lenet/b2'),
    w3: makeVar([400, 120], 400, 'raw/lenet/w3'),
    b3: makeVar([120], 400, 'raw/lenet/b3'),
    w4: makeVar([120, 84], 120, 'raw/lenet/w4'),
    b4: makeVar([84], 120, 'raw/lenet/b4'),
    w5: makeVar([84, 10], 84, 'raw/lenet/w5'),
    b5: makeVar([10], 84, 'raw/lenet/b5'),
  }
  const net = (x: tf.Tensor4D): tf.Tensor2D =>
    tf.tidy(() => {
      let h = tf.fused.conv2d({ x, filter: p.w1 as tf.Tensor4D, strides: 1, pad: 2, bias: p.b1, activation: 'sigmoid' })
      h = tf.avgPool(h, 2, 2, 'valid')
      h = tf.fused.conv2d({ x: h, filter: p.w2 as tf.Tensor4D, strides: 1, pad: 'valid', bias: p.b2, activation: 'sigmoid' })
      h = tf.avgPool(h, 2, 2, 'valid')
      let f = h.reshape([h.shape[0], 400]) as tf.Tensor2D
      f = tf.fused.matMul({ a: f, b: p.w3 as tf.Tensor2D, bias: p.b3, activation: 'sigmoid' }) as tf.Tensor2D
      f = tf.fused.matMul({ a: f, b: p.w4 as tf.Tensor2D, bias: p.b4, activation: 'sigmoid' }) as tf.Tensor2D
      return tf.fused.matMul({ a: f, b: p.w5 as tf.Tensor2D, bias: p.b5 }) as tf.Tensor2D
    })
  return rawRunner(net, xNhwc, labels, Object.values(p), () => undefined)
}

function rawRunner(net: (x: tf.Tensor4D, training: boolean) => tf.Tensor2D, x: tf.Tensor4D, labels: tf.Tensor2D, vars: Param[], afterStep: () => void): Runner {
  const optimizer = tf.train.sgd(LR)
  return {
    variant: 'raw tfjs',
    forward: () => tf.dispose(net(x, false)),
    train: () => {
      optimizer.minimize(() => tf.losses.softmaxCrossEntropy(labels, net(x, true)) as tf.Scalar, false, vars)
      afterStep()
    },
    dispose: () => {
      tf.dispose(vars)
      optimizer.dispose()
    },
  }
}

function rawResnet18(xNhwc: tf.Tensor4D, labels: tf.Tensor2D): Runner {
  const vars: Param[] = []
  let id = 0
  const conv = (k: number, cin: number, cout: number) => {
    const v = makeVar([k, k, cin, cout], k * k * cin, `raw/resnet/conv${id++}`)
    vars.push(v)
    return v as tf.Tensor4D
  }
  interface Bn {
    gamma: tf.Variable
    beta: tf.Variable
    mean: tf.Tensor
    variance: tf.Tensor
  }
  const bns: Bn[] = []
  const bn = (c: number): Bn => {
    const b = { gamma: tf.variable(tf.ones([c]), true, `raw/resnet/g${id++}`), beta: tf.variable(tf.zeros([c]), true, `raw/resnet/b${id++}`), mean: tf.zeros([c]), variance: tf.ones([c]) }
    vars.push(b.gamma, b.beta)
    bns.push(b)
    return b
  }
  const pending: (() => void)[] = []
  const applyBn = (x: tf.Tensor, b: Bn, training: boolean): tf.Tensor => {
    if (!training) {
      const scale = tf.mul(b.gamma, tf.rsqrt(tf.add(b.variance, 1e-5)))
      return tf.add(tf.mul(x, scale), tf.sub(b.beta, tf.mul(b.mean, scale)))
    }
    const { mean, variance } = tf.moments(x, [0, 1, 2])
    const n = x.size / x.shape[3]!
    const newMean = tf.keep(tf.add(tf.mul(b.mean, 0.9), tf.mul(mean, 0.1)))
    const newVar = tf.keep(tf.add(tf.mul(b.variance, 0.9), tf.mul(variance, (0.1 * n) / (n - 1))))
    pending.push(() => {
      tf.dispose([b.mean, b.variance])
      b.mean = newMean
      b.variance = newVar
    })
    return tf.add(tf.mul(tf.sub(x, mean), tf.mul(b.gamma, tf.rsqrt(tf.add(variance, 1e-5)))), b.beta)
  }
  const stem = { w: conv(7, 1, 64), bn: bn(64) }
  interface Block {
    stride: number
    w1: tf.Tensor4D
    bn1: Bn
    w2: tf.Tensor4D
    bn2: Bn
    down?: { w: tf.Tensor4D; bn: Bn }
  }
  const blocks: Block[] = []
  let cin = 64
  for (const [cout, stride] of [[64, 1], [64, 1], [128, 2], [128, 1], [256, 2], [256, 1], [512, 2], [512, 1]]) {
    const down = stride !== 1 || cin !== cout ? { w: conv(1, cin, cout), bn: bn(cout) } : undefined
    blocks.push({ stride, w1: conv(3, cin, cout), bn1: bn(cout), w2: conv(3, cout, cout), bn2: bn(cout), down })
    cin = cout
  }
  const fcW = makeVar([512, 10], 512, 'raw/resnet/fcw')
  const fcB = makeVar([10], 512, 'raw/resnet/fcb')
  vars.push(fcW, fcB)
  const pad1: [[number, number], [number, number], [number, number], [number, number]] = [[0, 0], [1, 1], [1, 1], [0, 0]]
  const net = (x: tf.Tensor4D, training: boolean): tf.Tensor2D =>
    tf.tidy(() => {
      let h = tf.conv2d(x, stem.w, 2, [[0, 0], [3, 3], [3, 3], [0, 0]])
      h = tf.relu(applyBn(h, stem.bn, training)) as tf.Tensor4D
      h = tf.maxPool(h, 3, 2, 1)
      for (const b of blocks) {
        let y = tf.conv2d(h, b.w1, b.stride, b.stride === 1 ? 1 : pad1)
        y = tf.relu(applyBn(y, b.bn1, training)) as tf.Tensor4D
        y = applyBn(tf.conv2d(y, b.w2, 1, 1), b.bn2, training) as tf.Tensor4D
        const shortcut = b.down === undefined ? h : (applyBn(tf.conv2d(h, b.down.w, b.stride, 'valid'), b.down.bn, training) as tf.Tensor4D)
        h = tf.relu(tf.add(y, shortcut)) as tf.Tensor4D
      }
      const pooled = tf.mean(h, [1, 2]) as tf.Tensor2D
      return tf.fused.matMul({ a: pooled, b: fcW as tf.Tensor2D, bias: fcB }) as tf.Tensor2D
    })
  const runner = rawRunner(net, xNhwc, labels, vars, () => {
    for (const f of pending.splice(0)) f()
  })
  return {
    ...runner,
    dispose: () => {
      runner.dispose()
      tf.dispose(bns.flatMap((b) => [b.mean, b.variance]))
    },
  }
}

// ---------------------------------------------------------------------------------------------------------------------
// tfjs-layers
// ---------------------------------------------------------------------------------------------------------------------

function layersRunner(model: tf.LayersModel, xNhwc: tf.Tensor4D, labels: tf.Tensor2D): Runner {
  const optimizer = tf.train.sgd(LR)
  const varList = model.trainableWeights.map((w) => w.read() as tf.Variable)
  return {
    variant: 'tfjs-layers',
    forward: () => tf.dispose(model.predict(xNhwc, { batchSize: xNhwc.shape[0] })),
    train: () => {
      optimizer.minimize(() => tf.losses.softmaxCrossEntropy(labels, model.apply(xNhwc, { training: true }) as tf.Tensor) as tf.Scalar, false, varList)
    },
    dispose: () => {
      model.dispose()
      optimizer.dispose()
    },
  }
}

function layersLenet(): tf.LayersModel {
  return tf.sequential({
    layers: [
      tf.layers.conv2d({ inputShape: [28, 28, 1], filters: 6, kernelSize: 5, padding: 'same', activation: 'sigmoid' }),
      tf.layers.averagePooling2d({ poolSize: 2, strides: 2 }),
      tf.layers.conv2d({ filters: 16, kernelSize: 5, activation: 'sigmoid' }),
      tf.layers.averagePooling2d({ poolSize: 2, strides: 2 }),
      tf.layers.flatten(),
      tf.layers.dense({ units: 120, activation: 'sigmoid' }),
      tf.layers.dense({ units: 84, activation: 'sigmoid' }),
      tf.layers.dense({ units: 10 }),
    ],
  })
}

function layersResnet18(size: number): tf.LayersModel {
  const input = tf.input({ shape: [size, size, 1] })
  const bn = (x: tf.SymbolicTensor) => tf.layers.batchNormalization({ momentum: 0.9, epsilon: 1e-5 }).apply(x) as tf.SymbolicTensor
  const relu = (x: tf.SymbolicTensor) => tf.layers.activation({ activation: 'relu' }).apply(x) as tf.SymbolicTensor
  const conv = (x: tf.SymbolicTensor, filters: number, k: number, stride: number) => {
    // PyTorch's symmetric padding k//2 (zero padding layer + valid conv, as 'same' pads asymmetrically at stride 2).
    const padded = k > 1 ? (tf.layers.zeroPadding2d({ padding: Math.floor(k / 2) }).apply(x) as tf.SymbolicTensor) : x
    return tf.layers.conv2d({ filters, kernelSize: k, strides: stride, padding: 'valid', useBias: false }).apply(padded) as tf.SymbolicTensor
  }
  let h = relu(bn(conv(input, 64, 7, 2)))
  h = tf.layers.maxPooling2d({ poolSize: 3, strides: 2 }).apply(tf.layers.zeroPadding2d({ padding: 1 }).apply(h)) as tf.SymbolicTensor
  let cin = 64
  for (const [cout, stride] of [[64, 1], [64, 1], [128, 2], [128, 1], [256, 2], [256, 1], [512, 2], [512, 1]]) {
    const y = bn(conv(relu(bn(conv(h, cout, 3, stride))), cout, 3, 1))
    const shortcut = stride !== 1 || cin !== cout ? bn(conv(h, cout, 1, stride)) : h
    h = relu(tf.layers.add().apply([y, shortcut]) as tf.SymbolicTensor)
    cin = cout
  }
  const pooled = tf.layers.globalAveragePooling2d({}).apply(h) as tf.SymbolicTensor
  const out = tf.layers.dense({ units: 10 }).apply(pooled) as tf.SymbolicTensor
  return tf.model({ inputs: input, outputs: out })
}

// ---------------------------------------------------------------------------------------------------------------------
// PyTorch
// ---------------------------------------------------------------------------------------------------------------------

/** PyTorch's side of the benchmark, next to this file (bench/) whether run from bench/ or from dist-bench/bench/. */
const torchScript = benchPythonScript('torch_runtime.py')

interface TorchResult {
  readonly torch: string
  readonly nets: Record<string, { forward: number; train: number }>
}

function runTorch(config: unknown, log: (line: string) => void): TorchResult | undefined {
  const python = '/usr/bin/python3'
  if (torchScript === undefined) {
    log('PyTorch skipped: bench/torch_runtime.py not found')
    return undefined
  }
  const result = spawnSync(python, [torchScript, JSON.stringify(config)], { encoding: 'utf8', timeout: 15 * 60_000 })
  if (result.status !== 0) {
    log(`PyTorch skipped: ${result.error?.message ?? result.stderr.trim().split('\n').at(-1) ?? `exit ${result.status}`}`)
    return undefined
  }
  return JSON.parse(result.stdout.trim().split('\n').at(-1)!) as TorchResult
}

// ---------------------------------------------------------------------------------------------------------------------
// driver
// ---------------------------------------------------------------------------------------------------------------------

function timeCalls(f: () => void, calls: number, batch: number): number {
  const t0 = performance.now()
  for (let i = 0; i < calls; i++) f()
  // Wait for pending work (synchronous on wasm/cpu, asynchronous on tfjs-node-gpu).
  return (batch * calls) / ((performance.now() - t0) / 1000)
}

interface NetPlan {
  readonly name: 'lenet' | 'resnet18'
  readonly label: string
  readonly batch: number
  readonly size: number
  readonly calls: { readonly forward: number; readonly train: number }
}

/**
 * Runs the benchmark on the default backend (or `SHAPESAFE_BACKEND`) and returns medians.
 * @example
 * ```ts
 * const report = await benchmarkRuntime({ quick: true, log: console.log })
 * console.log(formatRuntimeReport(report))
 * ```
 */
export async function benchmarkRuntime(options: RuntimeBenchOptions = {}): Promise<RuntimeBenchReport> {
  const log = options.log ?? (() => undefined)
  const started = performance.now()
  const loadStart = loadavg()[0]
  const backend = await selectBackend()
  log(`backend: ${backend.description}`)
  const quick = options.quick ?? false
  const rounds = quick ? 2 : 5
  const nets: NetPlan[] = [
    { name: 'lenet', label: 'LeNet', batch: 256, size: 28, calls: quick ? { forward: 3, train: 2 } : { forward: 10, train: 5 } },
    { name: 'resnet18', label: 'ResNet-18', batch: 32, size: 96, calls: quick ? { forward: 1, train: 1 } : { forward: 2, train: 1 } },
  ]
  const results: NetResult[] = []
  for (const net of nets) {
    const labels = oneHot(net.batch, 10)
    const xNchw = tf.randomUniform([net.batch, 1, net.size, net.size], 0, 1, 'float32', 7)
    const xNhwc = tf.transpose(xNchw, [0, 2, 3, 1]) as tf.Tensor4D
    const runners: Runner[] = [
      shapesafeRunner(net.name, net.batch, [1, net.size, net.size], xNchw, labels),
      net.name === 'lenet' ? rawLenet(xNhwc, labels) : rawResnet18(xNhwc, labels),
      layersRunner(net.name === 'lenet' ? layersLenet() : layersResnet18(net.size), xNhwc, labels),
    ]
    const rates = new Map<string, { forward: number[]; train: number[] }>(runners.map((r) => [r.variant, { forward: [], train: [] }]))
    for (const r of runners) {
      r.forward()
      r.train()
    }
    for (let round = 0; round < rounds; round++) {
      for (const kind of ['forward', 'train'] as const) {
        for (const r of runners) rates.get(r.variant)![kind].push(timeCalls(() => r[kind](), net.calls[kind], net.batch))
      }
      log(`${net.label} round ${round + 1}/${rounds}: ${runners.map((r) => `${r.variant} ${rates.get(r.variant)!.forward.at(-1)!.toFixed(1)}/${rates.get(r.variant)!.train.at(-1)!.toFixed(1)}`).join(', ')} img/s (fwd/train)`)
    }
    for (const r of runners) r.dispose()
    tf.dispose([labels, xNchw, xNhwc])
    results.push({
      net: net.label,
      batch: net.batch,
      input: [1, net.size, net.size],
      variants: runners.map((r) => ({ variant: r.variant, forward: median(rates.get(r.variant)!.forward), train: median(rates.get(r.variant)!.train) })),
    })
  }
  let torchVersion: string | undefined
  if (options.skipTorch !== true) {
    log('PyTorch (2 threads)...')
    const torch = runTorch({ rounds, nets: nets.map((n) => ({ name: n.name, batch: n.batch, size: n.size, calls: n.calls })) }, log)
    if (torch !== undefined) {
      torchVersion = torch.torch
      nets.forEach((n, i) => {
        const t = torch.nets[n.name]
        if (t !== undefined) results[i] = { ...results[i], variants: [...results[i].variants, { variant: 'PyTorch', forward: t.forward, train: t.train }] }
      })
    }
  }
  const cpu = cpus()
  return {
    backend,
    machine: `${cpu.length} × ${cpu[0]?.model ?? 'unknown CPU'}`,
    node: process.version,
    torch: torchVersion,
    rounds,
    nets: results,
    seconds: (performance.now() - started) / 1000,
    load: [loadStart, loadavg()[0]],
  }
}

const fmt = (x: number): string => (x >= 100 ? x.toFixed(0) : x >= 10 ? x.toFixed(1) : x.toFixed(2))

/**
 * The report as the "Runtime" section of docs/benchmarks.md (markdown, starting with `## Runtime`).
 */
export function formatRuntimeReport(r: RuntimeBenchReport): string {
  const lines = [
    '## Runtime',
    '',
    `Measured with \`npm run bench\` (\`node dist-bench/bench/main.js runtime\`) on ${r.machine}, Node ${r.node}, backend ${r.backend.description}` +
      `${r.torch === undefined ? '' : `, PyTorch ${r.torch} (CPU, \`torch.set_num_threads(2)\`)`}; ${r.rounds} interleaved rounds, ${r.seconds.toFixed(0)} s in all; ` +
      `one-minute load average ${r.load[0].toFixed(1)} at the start and ${r.load[1].toFixed(1)} at the end on ${cpus().length} cores.`,
    ...(Math.max(...r.load) > cpus().length
      ? ['', '**The machine was shared and overloaded during this run: absolute figures are far below what it reaches idle, and', 'the ratios carry noise of ±20 % between rounds; rerun on an idle machine for meaningful overhead figures.**']
      : []),
    '',
    'Images per second (median over rounds; higher is better). "vs raw" is the ratio to the same net hand-written in raw',
    'tfjs ops (NHWC input, fused conv/matMul, BatchNorm as plain ops); the interpreter overhead is 1 − that ratio.',
    '',
    '| net | batch | implementation | forward img/s | vs raw | train step img/s | vs raw |',
    '|---|---:|---|---:|---:|---:|---:|',
  ]
  for (const net of r.nets) {
    const raw = net.variants.find((v) => v.variant === 'raw tfjs')
    for (const v of net.variants) {
      const ratio = (a: number, b: number | undefined) => (b === undefined ? '' : `${(a / b).toFixed(3)}×`)
      lines.push(`| ${net.net} ${net.input.slice(1).join('×')} | ${net.batch} | ${v.variant} | ${fmt(v.forward)} | ${ratio(v.forward, raw?.forward)} | ${fmt(v.train)} | ${ratio(v.train, raw?.train)} |`)
    }
  }
  lines.push(
    '',
    'Method: one warm-up call of every variant, then rounds that time each variant in turn (forward: several calls in eval',
    'mode; training step: forward in training mode, softmax cross-entropy, gradients of all parameters, SGD update via',
    '`optimizer.minimize`), so background load on the shared machine affects all variants alike; medians over rounds.',
    'shapesafe gets NCHW input and transposes it once; raw tfjs and tfjs-layers get NHWC input. The tfjs-layers ResNet-18',
    'uses `batchNormalization` (tfjs\'s fused batch-norm gradient) and zero-padding layers for PyTorch\'s symmetric padding.',
    'PyTorch runs the same nets (torchvision resnet18 with a 1-channel stem) in a separate process, same rounds and calls.',
    '',
  )
  return lines.join('\n')
}
