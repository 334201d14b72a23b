/**
 * `npm run bench` entry point: `node dist/bench/main.js [runtime|kernels|memory] [--quick] [--no-torch] [--no-write]`.
 * `runtime` (the default) measures the interpreter against raw tfjs, tfjs-layers and PyTorch and writes the "Runtime"
 * section of docs/benchmarks.md; `kernels` times the wasm convolution-gradient kernels; `memory <model> [--batch B]
 * [--optimizer adam|sgd] [--steps K]` prints the wasm heap and time of a few training steps (see memory.ts).
 * @module
 */
import { existsSync, readFileSync } from 'node:fs'
import { writeFileAtomic } from '../runtime/atomicWrite.js'
import { benchmarkWasmConvGradients, RESNET_LAYER } from './kernels.js'
import { benchmarkTrainingMemory, formatMemoryRow } from './memory.js'
import { replaceSection } from './markdown.js'
import { benchmarkRuntime, formatRuntimeReport } from './runtime.js'

async function main(argv: string[]): Promise<number> {
  const valued = new Set(['--batch', '--optimizer', '--steps'])
  const values = new Map<string, string>()
  const positional: string[] = []
  const flags = new Set<string>()
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]
    if (valued.has(a)) values.set(a, argv[++i] ?? '')
    else if (a.startsWith('--')) flags.add(a)
    else positional.push(a)
  }
  const [command = 'runtime', target] = positional
  const log = (line: string) => process.stderr.write(`${line}\n`)
  if (command === 'memory') {
    const count = (flag: string): number | undefined => {
      const v = values.get(flag)
      if (v === undefined) return undefined
      const n = Number(v)
      if (!Number.isInteger(n) || n < 1) throw new Error(`${flag} must be a positive integer, got "${v}"`)
      return n
    }
    const optimizer = values.get('--optimizer')
    if (optimizer !== undefined && optimizer !== 'adam' && optimizer !== 'sgd') {
      log(`--optimizer must be adam or sgd, got "${optimizer}"`)
      return 2
    }
    const report = await benchmarkTrainingMemory({
      model: target ?? 'vgg11',
      ...(count('--batch') === undefined ? {} : { batch: count('--batch') }),
      ...(optimizer === undefined ? {} : { optimizer }),
      ...(count('--steps') === undefined ? {} : { steps: count('--steps') }),
    })
    for (const s of report.steps)
      log(`step ${s.step}: ${s.seconds.toFixed(1)} s, heap ${s.heapMiB?.toFixed(0) ?? 'n/a'} MiB, tensors ${s.tensorMiB.toFixed(0)} MiB`)
    process.stdout.write(`${formatMemoryRow(report)}\n`)
    return 0
  }
  if (command === 'kernels') {
    const r = await benchmarkWasmConvGradients(RESNET_LAYER)
    process.stdout.write(`${JSON.stringify(r, null, 2)}\n`)
    return 0
  }
  if (command !== 'runtime') {
    log(`unknown benchmark "${command}"; use runtime, kernels or memory`)
    return 2
  }
  const report = await benchmarkRuntime({ quick: flags.has('--quick'), skipTorch: flags.has('--no-torch'), log })
  const markdown = formatRuntimeReport(report)
  process.stdout.write(`${markdown}\n`)
  if (!flags.has('--no-write') && !flags.has('--quick')) {
    const path = 'docs/benchmarks.md'
    const doc = existsSync(path) ? readFileSync(path, 'utf8') : '# Benchmarks\n'
    const written = await writeFileAtomic(path, new TextEncoder().encode(replaceSection(doc, 'Runtime', markdown)))()
    if (written._tag === 'Left') {
      log(`could not write ${path}: ${written.left.message}`)
      return 1
    }
    log(`wrote ${path}`)
  }
  return 0
}

process.exitCode = await main(process.argv.slice(2))
