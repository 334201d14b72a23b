#!/usr/bin/env node
// The native engine against PyTorch on the same graph, side by side in one run: for each net, rounds that alternate
// the native engine (dist/, libtorch through the addon) and PyTorch (scripts/bench_torch_graph.py interpreting the
// same node list with torch.nn.functional), forward passes and training steps (SGD with momentum), same threads.
// Prints a markdown table of medians and the ratio native/PyTorch.
// Usage: node scripts/bench-torch.mjs [--threads 2] [--rounds 3] [--nets resnet18,lenet,densenet121]
import { spawnSync } from 'node:child_process'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import * as tf from '@tensorflow/tfjs'
import { stateDictSpecs, trainableParams } from '../dist/graph/ir.js'
import { compile } from '../dist/runtime/model.js'
import { nativeGraph } from '../dist/runtime/torch/graphSpec.js'
import { setTorchThreads, torchStatus, TorchModel } from '../dist/runtime/torch/engine.js'
import { lookupModel } from '../dist/zoo/registry.js'

const { values } = parseArgs({ options: { threads: { type: 'string', default: '2' }, rounds: { type: 'string', default: '3' }, nets: { type: 'string', default: 'resnet18,lenet,densenet121' } } })
const threads = Number(values.threads)
const rounds = Number(values.rounds)
const status = torchStatus()
if (!status.available) {
  console.error(status.reason)
  process.exit(1)
}
await tf.setBackend('cpu')
setTorchThreads(threads)

const configs = {
  resnet18: { input: [32, 1, 96, 96], steps: { forward: 5, train: 3 } },
  lenet: { input: [256, 1, 28, 28], steps: { forward: 20, train: 10 } },
  densenet121: { input: [32, 1, 96, 96], steps: { forward: 3, train: 2 } },
}
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]
const dir = mkdtempSync(join(tmpdir(), 'shapesafe-bench-torch-'))
const rows = []
for (const name of values.nets.split(',')) {
  const { input, steps } = configs[name]
  const entry = lookupModel(name)
  if (entry._tag === 'Left') throw new Error(entry.left)
  const graph = entry.right.graph({ input: [1, ...input.slice(1)], classes: 10 })
  const specFile = join(dir, `${name}.json`)
  const g = nativeGraph(graph)
  writeFileSync(specFile, JSON.stringify({
    ...g,
    params: Object.fromEntries(stateDictSpecs(graph).map((s) => [s.name, [s.shape, s.role]])),
    trainable: trainableParams(graph).map((p) => p.name),
    input,
    classes: 10,
  }))
  const m = compile(graph)
  const s = m.init(0)
  const model = TorchModel.create(graph, m.toStateDict(s))
  m.dispose(s)
  model.setOptimizer({ name: 'sgd', learningRate: 0.01, momentum: 0.9 })
  const n = input.reduce((p, d) => p * d, 1)
  const x = Float32Array.from({ length: n }, (_, i) => Math.sin(i))
  const y = Int32Array.from({ length: input[0] }, (_, i) => i % 10)
  for (const mode of ['forward', 'train']) {
    const native = []
    const torch = []
    const run = () => (mode === 'forward' ? model.forward(x, input) : model.trainStep(x, input, y, 0.01))
    run() // warm-up
    for (let r = 0; r < rounds; r++) {
      const t0 = performance.now()
      for (let k = 0; k < steps[mode]; k++) run()
      native.push((input[0] * steps[mode]) / ((performance.now() - t0) / 1000))
      const p = spawnSync('/usr/bin/python3', ['scripts/bench_torch_graph.py', specFile, mode, String(steps[mode]), String(threads)], { encoding: 'utf8' })
      if (p.status !== 0) throw new Error(p.stderr)
      torch.push(JSON.parse(p.stdout).imagesPerSecond)
    }
    rows.push({ name, input, mode, native: median(native), torch: median(torch) })
    console.error(`${name} ${mode}: native ${median(native).toFixed(1)} img/s, PyTorch ${median(torch).toFixed(1)} img/s`)
  }
  model.dispose()
}
console.log(`| net | input | pass | native engine img/s | PyTorch img/s | native / PyTorch |\n|---|---|---|---:|---:|---:|`)
for (const r of rows) {
  console.log(`| ${r.name} | ${r.input.join('×')} | ${r.mode === 'train' ? 'training step' : 'forward'} | ${r.native.toFixed(1)} | ${r.torch.toFixed(1)} | ${(r.native / r.torch).toFixed(2)}× |`)
}
console.log(`\n${threads} threads, medians of ${rounds} interleaved rounds, libtorch ${status.version} (${status.path}).`)
