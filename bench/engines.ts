/**
 * `npm run bench -- engines [--quick] [--no-write]`: the engines side by side in one run — tfjs on single-threaded
 * wasm, tfjs on threaded wasm, tfjs on webgpu (on a hardware adapter; a software one such as lavapipe only with
 * `--webgpu-software`: it takes minutes per configuration on a CPU), onnxruntime
 * (CPU, forward only) and PyTorch — on ResNet-18 (96², batch 32) and LeNet
 * (28², batch 256), forward and training step (SGD, softmax cross-entropy), in images per second. Writes the "Engines"
 * section of docs/benchmarks.md.
 *
 * Each configuration runs in its own process (the wasm thread count is fixed per process), through the engine
 * interface: host tensors in and out, as a caller of `EngineModel.forward`/`trainStep` sees them. Threaded
 * configurations use one thread per core (`resolveThreads('auto')`, at least 2), PyTorch the same count.
 * @module
 */
import { spawnSync } from 'node:child_process'
import { loadavg, cpus } from 'node:os'
import { fileURLToPath } from 'node:url'
import { resolveThreads, selectBackend } from '../src/runtime/backend.js'
import { adapterName, probeWebGpu } from '../src/runtime/webgpu.js'
import type { EngineModel, HostTensor, TrainableEngineModel } from '../src/runtime/engine.js'
import { onnxruntimeEngine } from '../src/runtime/onnxruntime.js'
import { tfjsEngine } from '../src/train/engine.js'
import { zoo } from '../src/zoo/registry.js'
import { benchPythonScript } from './python.js'

/** A benchmarked configuration. */
export type EngineConfig =
  | { readonly kind: 'tfjs-wasm'; readonly threads: number }
  | { readonly kind: 'tfjs-webgpu'; readonly adapter: string }
  | { readonly kind: 'onnxruntime'; readonly threads: number }
  | { readonly kind: 'pytorch'; readonly threads: number }

/** One network's workload. */
interface Workload {
  readonly net: 'resnet18' | 'lenet'
  readonly label: string
  readonly batch: number
  readonly size: number
  readonly calls: { readonly forward: number; readonly train: number }
}

/** Images per second (medians over the rounds); `undefined` where the engine cannot train. */
interface Rates {
  readonly forward: number
  readonly train: number | undefined
}

/** What one configuration measured. */
export interface EngineBenchRow {
  readonly label: string
  readonly description: string
  readonly nets: Record<string, Rates>
  readonly error?: string
}

const workloads = (quick: boolean): Workload[] => [
  { net: 'resnet18', label: 'ResNet-18 96² b32', batch: 32, size: 96, calls: quick ? { forward: 1, train: 1 } : { forward: 2, train: 1 } },
  { net: 'lenet', label: 'LeNet 28² b256', batch: 256, size: 28, calls: quick ? { forward: 2, train: 1 } : { forward: 10, train: 4 } },
]

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b)
  return s.length % 2 === 1 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2
}

const inputOf = (w: Workload): HostTensor => ({
  shape: [w.batch, 1, w.size, w.size],
  data: Float32Array.from({ length: w.batch * w.size * w.size }, (_, i) => Math.sin(i * 0.7) * 0.5 + 0.5),
})

async function timed(f: () => Promise<unknown>, calls: number, batch: number): Promise<number> {
  const t0 = performance.now()
  for (let i = 0; i < calls; i++) await f()
  return (batch * calls) / ((performance.now() - t0) / 1000)
}

/** Runs one configuration in this process (the child side). */
async function measure(config: EngineConfig, quick: boolean, rounds: number): Promise<EngineBenchRow> {
  const nets: Record<string, Rates> = {}
  let description = ''
  for (const w of workloads(quick)) {
    const graph = zoo[w.net].graph({ input: [w.batch, 1, w.size, w.size], classes: 10 })
    const x = inputOf(w)
    const labels = Int32Array.from({ length: w.batch }, (_, i) => i % 10)
    let model: EngineModel
    let trainable: TrainableEngineModel | undefined
    if (config.kind === 'tfjs-wasm' || config.kind === 'tfjs-webgpu') {
      const backend = config.kind === 'tfjs-wasm' ? await selectBackend({ backend: 'wasm', threads: config.threads }) : await selectBackend({ backend: 'webgpu' })
      const engine = tfjsEngine(backend)
      description = engine.info.description
      trainable = await engine.compileForTraining!(graph, { seed: 0, optimizer: { name: 'sgd', learningRate: 0.01 } })
      model = trainable
    } else {
      const engine = await onnxruntimeEngine({ threads: config.threads })
      description = engine.info.description
      model = await engine.compile(graph, { seed: 0 })
    }
    await model.forward(x)
    if (trainable !== undefined) await trainable.trainStep({ x, labels }, 0.01)
    const forward: number[] = []
    const train: number[] = []
    for (let r = 0; r < rounds; r++) {
      forward.push(await timed(() => model.forward(x), w.calls.forward, w.batch))
      if (trainable !== undefined) train.push(await timed(() => trainable!.trainStep({ x, labels }, 0.01), w.calls.train, w.batch))
    }
    model.dispose()
    nets[w.label] = { forward: median(forward), train: train.length > 0 ? median(train) : undefined }
  }
  return { label: labelOf(config), description, nets }
}

/** PyTorch's side (the same script as the runtime benchmark's). */
const torchScript = benchPythonScript('torch_runtime.py')

function labelOf(config: EngineConfig): string {
  if (config.kind === 'tfjs-webgpu') return `shapesafe, tfjs webgpu on ${config.adapter}`
  const t = `${config.threads} thread${config.threads === 1 ? '' : 's'}`
  switch (config.kind) {
    case 'tfjs-wasm':
      return `shapesafe, tfjs wasm, ${t}`
    case 'onnxruntime':
      return `shapesafe export → onnxruntime-node (CPU), ${t}`
    case 'pytorch':
      return `PyTorch, ${t}`
  }
}

/** Runs a configuration in a child process and parses its row. */
function runChild(config: EngineConfig, quick: boolean, rounds: number, log: (line: string) => void): EngineBenchRow {
  const fail = (error: string): EngineBenchRow => ({ label: labelOf(config), description: '', nets: {}, error })
  if (config.kind === 'pytorch') {
    if (torchScript === undefined) return fail('bench/torch_runtime.py not found')
    const nets = workloads(quick).map((w) => ({ name: w.net, label: w.label, batch: w.batch, size: w.size, calls: w.calls }))
    const r = spawnSync('/usr/bin/python3', [torchScript, JSON.stringify({ threads: config.threads, rounds, nets })], { encoding: 'utf8', timeout: 30 * 60_000 })
    if (r.status !== 0) return fail(r.error?.message ?? r.stderr.trim().split('\n').at(-1) ?? `exit ${r.status}`)
    const out = JSON.parse(r.stdout.trim().split('\n').at(-1)!) as { torch: string; nets: Record<string, Rates> }
    return { label: labelOf(config), description: `PyTorch ${out.torch} (CPU, torch.set_num_threads(${config.threads}))`, nets: out.nets }
  }
  const script = fileURLToPath(import.meta.url)
  const r = spawnSync(process.execPath, [script, '--child', JSON.stringify({ config, quick, rounds })], {
    encoding: 'utf8',
    timeout: 30 * 60_000,
    env: { ...process.env, SHAPESAFE_THREADS: '' },
  })
  if (r.status !== 0) return fail(r.stderr.trim().split('\n').filter((l) => l.trim() !== '').at(-1) ?? `exit ${r.status}`)
  const row = JSON.parse(r.stdout.trim().split('\n').at(-1)!) as EngineBenchRow
  log(`${row.label}: ${Object.entries(row.nets).map(([k, v]) => `${k} ${v.forward.toFixed(1)}/${v.train?.toFixed(1) ?? '–'}`).join(', ')} img/s (fwd/train)`)
  return row
}

/** The report of {@link benchmarkEngines}. */
export interface EngineBenchReport {
  readonly rows: readonly EngineBenchRow[]
  readonly threads: number
  readonly rounds: number
  readonly seconds: number
  readonly load: readonly [number, number]
  readonly cpu: string
  readonly cores: number
}

/**
 * Runs every configuration, each in its own process, and returns the rows.
 * @example
 * ```ts
 * const report = await benchmarkEngines({ quick: true, log: console.error })
 * console.log(formatEnginesReport(report))
 * ```
 */
export async function benchmarkEngines(
  options: { readonly quick?: boolean; readonly log?: (line: string) => void; readonly webgpuSoftware?: boolean } = {},
): Promise<EngineBenchReport> {
  const log = options.log ?? (() => undefined)
  const quick = options.quick ?? false
  const rounds = quick ? 1 : 3
  const threads = Math.max(2, resolveThreads('auto'))
  const load0 = loadavg()[0]
  const started = performance.now()
  const probe = await probeWebGpu()
  const webgpu = probe.available && (!probe.adapter.software || options.webgpuSoftware === true) ? probe.adapter : undefined
  if (!probe.available) log(`tfjs webgpu: not measured (${probe.reason})`)
  else if (webgpu === undefined) log(`tfjs webgpu: not measured on the software adapter ${adapterName(probe.adapter)} (--webgpu-software to include it)`)
  const configs: EngineConfig[] = [
    { kind: 'tfjs-wasm', threads: 1 },
    { kind: 'tfjs-wasm', threads },
    ...(webgpu === undefined ? [] : [{ kind: 'tfjs-webgpu', adapter: adapterName(webgpu) } as const]),
    { kind: 'onnxruntime', threads },
    { kind: 'pytorch', threads },
  ]
  const rows: EngineBenchRow[] = []
  for (const c of configs) {
    log(`${labelOf(c)}...`)
    const row = runChild(c, quick, rounds, log)
    if (row.error !== undefined) log(`${row.label}: skipped (${row.error})`)
    rows.push(row)
  }
  return { rows, threads, rounds, seconds: (performance.now() - started) / 1000, load: [load0, loadavg()[0]], cpu: cpus()[0]?.model ?? 'unknown', cores: cpus().length }
}

const rate = (v: number | undefined): string => (v === undefined ? '–' : v >= 100 ? v.toFixed(0) : v.toFixed(1))

/** The report as the "Engines" section of docs/benchmarks.md. */
export function formatEnginesReport(r: EngineBenchReport): string {
  const labels = workloads(false).map((w) => w.label)
  const base = r.rows[0]
  const ratio = (v: number | undefined, b: number | undefined) => (v === undefined || b === undefined ? '' : ` (${(v / b).toFixed(2)}×)`)
  const lines = r.rows.map((row) => {
    if (row.error !== undefined) return `| ${row.label} | ${labels.map(() => 'skipped | skipped').join(' | ')} |`
    const cells = labels.flatMap((l) => {
      const v = row.nets[l]
      const b = base.nets[l]
      return [`${rate(v?.forward)}${row === base ? '' : ratio(v?.forward, b?.forward)}`, `${rate(v?.train)}${row === base ? '' : ratio(v?.train, b?.train)}`]
    })
    return `| ${row.label} | ${cells.join(' | ')} |`
  })
  return [
    '## Engines',
    '',
    `\`npm run bench -- engines\` on ${r.cores} × ${r.cpu}; each engine in its own process, ${r.rounds} round(s) each, ` +
      `medians; load average ${r.load[0].toFixed(1)} before, ${r.load[1].toFixed(1)} after; ${r.seconds.toFixed(0)} s in all. ` +
      'Images per second (× the single-threaded wasm row); forward in eval mode, a training step is forward, softmax ' +
      'cross-entropy, backward and an SGD update. onnxruntime has no training API.',
    '',
    `| implementation | ${labels.map((l) => `${l} forward | ${l} train`).join(' | ')} |`,
    `|---|${labels.map(() => '---:|---:').join('|')}|`,
    ...lines,
    '',
    ...r.rows.filter((row) => row.description !== '').map((row) => `- ${row.label}: ${row.description}`),
  ].join('\n')
}

// Child process: measure one configuration and print its row as JSON.
if (process.argv[2] === '--child' && process.argv[1] === fileURLToPath(import.meta.url)) {
  const { config, quick, rounds } = JSON.parse(process.argv[3]) as { config: EngineConfig; quick: boolean; rounds: number }
  const row = await measure(config, quick, rounds)
  process.stdout.write(`${JSON.stringify(row)}\n`)
}
