/**
 * `npm run bench` entry point: `node dist-bench/bench/main.js [runtime|engines|torch|kernels|memory] [--quick] [--no-torch] [--no-write]`.
 * `engines` runs the engines side by side (see engines.ts); `torch` the native engine against PyTorch on the same
 * graph (see torch.ts, its own flags). `runtime` (the default) measures the interpreter against raw tfjs, tfjs-layers and PyTorch and writes the "Runtime"
 * section of docs/benchmarks.md; `kernels` times the wasm convolution-gradient kernels; `memory <model> [--batch B]
 * [--optimizer adam|sgd] [--steps K] [--backend wasm|cpu|tensorflow]` prints the wasm heap and time of a few training
 * steps (see memory.ts); `speed [models…] [--backend wasm|cpu|tensorflow|torch]` measures an engine's training speed
 * and fits the time estimate's constants (see speed.ts).
 * @module
 */
import { existsSync, readFileSync } from 'node:fs'
import { booleanFlag, choiceFlag, integerFlag, parseArgs } from '../src/cli/args.js'
import { writeFileAtomic } from '../src/io/atomicWrite.js'
import { benchmarkWasmConvGradients, RESNET_LAYER } from './kernels.js'
import { benchmarkTrainingMemory, formatMemoryRow } from './memory.js'
import { benchmarkSpeed, fitSpeed, formatSpeedRows, SPEED_MODELS } from './speed.js'
import { replaceSection } from './markdown.js'
import { benchmarkRuntime, formatRuntimeReport } from './runtime.js'
import { runEnginesBench } from './enginesMain.js'
import { runTorchBench } from './torch.js'

/** The benchmark's flags (`memory` uses the first three). */
const benchFlags = {
  batch: integerFlag('mini-batch size (default: the model\'s)', 'B'),
  optimizer: choiceFlag(['adam', 'sgd'] as const, 'optimizer (default: the model\'s)'),
  steps: integerFlag('training steps (default 4)', 'K'),
  backend: choiceFlag(['wasm', 'cpu', 'tensorflow', 'torch'] as const, 'TensorFlow.js backend, or torch for `speed` (default: the best available; speed: wasm)'),
  quick: booleanFlag('a short runtime benchmark, not written to docs/benchmarks.md'),
  'no-torch': booleanFlag('skip the PyTorch comparison'),
  'no-write': booleanFlag('do not write docs/benchmarks.md'),
  'webgpu-software': booleanFlag('engines: also measure webgpu on a software adapter (lavapipe; minutes per configuration)'),
} as const

async function main(argv: string[]): Promise<number> {
  const log = (line: string) => process.stderr.write(`${line}\n`)
  // `torch` has its own flags (see torch.ts).
  if (argv[0] === 'torch') return runTorchBench(argv.slice(1), log)
  const parsed = parseArgs(argv, benchFlags)
  if (parsed._tag === 'Left') {
    log(parsed.left.message)
    return 2
  }
  const { flags } = parsed.right
  const [command = 'runtime', target] = parsed.right.positionals
  if (command === 'memory') {
    const report = await benchmarkTrainingMemory({
      model: target ?? 'vgg11',
      ...(flags.batch === undefined ? {} : { batch: flags.batch }),
      ...(flags.optimizer === undefined ? {} : { optimizer: flags.optimizer }),
      ...(flags.steps === undefined ? {} : { steps: flags.steps }),
      ...(flags.backend === undefined || flags.backend === 'torch' ? {} : { backend: flags.backend }),
    })
    for (const s of report.steps)
      log(`step ${s.step}: ${s.seconds.toFixed(1)} s (cpu ${s.cpuSeconds.toFixed(1)} s), heap ${s.heapMiB?.toFixed(0) ?? 'n/a'} MiB, tensors ${s.tensorMiB.toFixed(0)} MiB`)
    process.stdout.write(`${formatMemoryRow(report)}\n`)
    return 0
  }
  if (command === 'speed') {
    const engine = flags.backend ?? 'wasm'
    const models = parsed.right.positionals.slice(1)
    const rows = await benchmarkSpeed(engine, models.length > 0 ? models : SPEED_MODELS, flags.steps ?? 2)
    const { speed, worst } = fitSpeed(rows, `npm run bench -- speed --backend ${engine}`)
    process.stdout.write(`${formatSpeedRows(engine, rows, speed)}\n\n`)
    process.stdout.write(
      `fitted: ${(speed.macsPerSecond / 1e9).toPrecision(3)} G multiply-adds/s, ${(speed.activationBytesPerSecond / 1e6).toPrecision(3)} MB/s of activations; ` +
        `worst row ${(worst * 100).toFixed(0)} %\n`,
    )
    return 0
  }
  if (command === 'kernels') {
    const r = await benchmarkWasmConvGradients(RESNET_LAYER)
    process.stdout.write(`${JSON.stringify(r, null, 2)}\n`)
    return 0
  }
  if (command === 'engines') return runEnginesBench(flags.quick === true, flags['no-write'] === true, log, flags['webgpu-software'] === true)
  if (command !== 'runtime') {
    log(`unknown benchmark "${command}"; use runtime, engines, torch, kernels, memory or speed`)
    return 2
  }
  const report = await benchmarkRuntime({ quick: flags.quick === true, skipTorch: flags['no-torch'] === true, log })
  const markdown = formatRuntimeReport(report)
  process.stdout.write(`${markdown}\n`)
  if (flags['no-write'] !== true && flags.quick !== true) {
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
