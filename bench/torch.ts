/**
 * `npm run bench -- torch [--threads T] [--rounds R] [--nets resnet18,lenet,densenet121] [--device cpu|cuda] [--torch-malloc engine|default]`: the
 * native libtorch engine against PyTorch on the same graph, side by side in one run. For each net, rounds alternate
 * the native engine (libtorch through the addon) and PyTorch (bench/torch_graph.py, interpreting the same node list
 * with torch.nn.functional), forward passes (eval) and training steps (SGD with momentum), same threads and device.
 * Both sides live for the whole net (PyTorch in one child process answering a request per round) and take one
 * untimed step per round before their timed ones.
 * Prints a markdown table of medians and the ratio native / PyTorch; nonzero exit when the engine is not built.
 * PyTorch is `PYTHON`, else /usr/bin/python3.
 * @module
 */
import { spawn } from 'node:child_process'
import { createInterface } from 'node:readline'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import * as tf from '@tensorflow/tfjs'
import { stateDictSpecs, trainableParams } from '../src/graph/ir.js'
import { compile } from '../src/runtime/model.js'
import { nativeGraph } from '../src/runtime/torch/graphSpec.js'
import { setTorchThreads, torchStatus, TorchModel } from '../src/runtime/torch/engine.js'
import { zoo } from '../src/zoo/registry.js'
import { benchPythonScript } from './python.js'

/** The workloads: input `[N, C, H, W]` and calls per round. */
const configs: Record<string, { input: [number, number, number, number]; steps: { forward: number; train: number } }> = {
  resnet18: { input: [32, 1, 96, 96], steps: { forward: 5, train: 3 } },
  lenet: { input: [256, 1, 28, 28], steps: { forward: 20, train: 10 } },
  densenet121: { input: [32, 1, 96, 96], steps: { forward: 3, train: 2 } },
}

/** PyTorch's side: one long-lived `torch_graph.py` process; `request('train 3')` answers one round. */
function startPython(script: string, args: string[], env: Record<string, string>): { request(line: string): Promise<{ imagesPerSecond: number }>; close(): void } {
  const child = spawn(process.env.PYTHON ?? '/usr/bin/python3', [script, ...args], { stdio: ['pipe', 'pipe', 'pipe'], env: { ...process.env, ...env } })
  let stderr = ''
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()))
  const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]()
  return {
    async request(line) {
      child.stdin.write(`${line}\n`)
      const next = await lines.next()
      if (next.done === true) throw new Error(`bench/torch_graph.py exited: ${stderr.trim().split('\n').slice(-3).join(' | ')}`)
      return JSON.parse(next.value) as { imagesPerSecond: number }
    },
    close() {
      child.stdin.end()
    },
  }
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]

interface Row {
  readonly name: string
  readonly input: readonly number[]
  readonly mode: 'forward' | 'train'
  readonly native: number
  readonly torch: number
}

/** Runs the benchmark with command-line `argv`; returns the exit code. */
export async function runTorchBench(argv: string[], log: (line: string) => void): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      threads: { type: 'string', default: '2' },
      rounds: { type: 'string', default: '3' },
      nets: { type: 'string', default: 'resnet18,lenet,densenet121' },
      passes: { type: 'string', default: 'forward,train' },
      device: { type: 'string', default: 'cpu' },
      'torch-malloc': { type: 'string', default: 'engine' },
    },
  })
  const threads = Number(values.threads)
  const rounds = Number(values.rounds)
  const device = values.device
  const status = torchStatus()
  if (!status.available) {
    log(status.reason)
    return 1
  }
  // The engine keeps freed memory for reuse (it sets glibc's mmap and trim thresholds and reports them; a forward
  // pass would otherwise page-fault its activations in again every time). PyTorch gets the same thresholds through
  // glibc's environment variables, so the two are compared with the same allocator behaviour; `--torch-malloc
  // default` runs PyTorch with glibc's defaults instead, as a plain `python3` does (and so does an engine started
  // with SHAPESAFE_TORCH_MALLOC=default, which reports no thresholds).
  const malloc = values['torch-malloc'] === 'default' ? undefined : status.malloc
  const mallocEnv: Record<string, string> =
    malloc === undefined ? {} : { MALLOC_MMAP_THRESHOLD_: String(malloc.mmapThreshold), MALLOC_TRIM_THRESHOLD_: String(malloc.trimThreshold) }
  const script = benchPythonScript('torch_graph.py')
  if (script === undefined) {
    log('bench/torch_graph.py not found')
    return 1
  }
  await tf.setBackend('cpu')
  setTorchThreads(threads)
  const dir = mkdtempSync(join(tmpdir(), 'shapesafe-bench-torch-'))
  const rows: Row[] = []
  try {
    for (const name of values.nets.split(',')) {
      const config = configs[name]
      if (config === undefined) {
        log(`unknown net ${name}: use ${Object.keys(configs).join(', ')}`)
        return 2
      }
      const { input, steps } = config
      const graph = zoo[name as 'resnet18'].graph({ input: [1, input[1], input[2], input[3]], classes: 10 })
      const specFile = join(dir, `${name}.json`)
      const params = Object.fromEntries(stateDictSpecs(graph).map((s) => [s.name, [s.shape, s.role]]))
      writeFileSync(specFile, JSON.stringify({ ...nativeGraph(graph), params, trainable: trainableParams(graph).map((p) => p.name), input, classes: 10 }))
      const m = compile(graph)
      const s = m.init(0)
      const model = TorchModel.create(graph, m.toStateDict(s), { device })
      m.dispose(s)
      model.setOptimizer({ name: 'sgd', learningRate: 0.01, momentum: 0.9 })
      // PyTorch runs in one process for the whole net, started before the native side touches its memory: a process
      // forked later (spawnSync per round) would leave every page of the engine's memory to take a copy-on-write
      // fault on its next write (≈ 235,000 faults, 2–3 s for DenseNet-121), a cost of the benchmark, not the engine.
      const python = startPython(script, [specFile, String(threads), device], mallocEnv)
      try {
      const x = Float32Array.from({ length: input.reduce((p, d) => p * d, 1) }, (_, i) => Math.sin(i))
      const y = Int32Array.from({ length: input[0] }, (_, i) => i % 10)
      for (const mode of values.passes.split(',') as ('forward' | 'train')[]) {
        const native: number[] = []
        const torch: number[] = []
        const run = () => (mode === 'forward' ? model.forward(x, input) : model.trainStep(x, input, y, 0.01))
        for (let r = 0; r < rounds; r++) {
          // Each side takes one untimed step per round before its timed ones.
          run()
          const t0 = performance.now()
          for (let k = 0; k < steps[mode]; k++) run()
          native.push((input[0] * steps[mode]) / ((performance.now() - t0) / 1000))
          torch.push((await python.request(`${mode} ${steps[mode]}`)).imagesPerSecond)
        }
        rows.push({ name, input, mode, native: median(native), torch: median(torch) })
        log(`${name} ${mode}: native ${median(native).toFixed(1)} img/s, PyTorch ${median(torch).toFixed(1)} img/s`)
      }
      } finally {
        model.dispose()
        python.close()
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
  const lines = [
    '| net | input | pass | native engine img/s | PyTorch img/s | native / PyTorch |',
    '|---|---|---|---:|---:|---:|',
    ...rows.map(
      (r) =>
        `| ${r.name} | ${r.input.join('×')} | ${r.mode === 'train' ? 'training step' : 'forward'} | ${r.native.toFixed(1)} | ${r.torch.toFixed(1)} | ${(r.native / r.torch).toFixed(2)}× |`,
    ),
    '',
    `${device}, ${threads} threads, medians of ${rounds} interleaved rounds, libtorch ${status.version} (${status.path}); PyTorch's glibc malloc: ${malloc === undefined ? 'defaults' : `the engine's thresholds (MALLOC_MMAP_THRESHOLD_=${malloc.mmapThreshold}, MALLOC_TRIM_THRESHOLD_=${malloc.trimThreshold})`}; the engine's: ${status.malloc === undefined ? 'defaults' : 'those thresholds'}.`,
  ]
  process.stdout.write(`${lines.join('\n')}\n`)
  return 0
}
