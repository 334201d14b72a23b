/**
 * `shapesafe doctor`: what this machine can run — the TensorFlow.js backends found, and the native libtorch engine
 * (built or not, against which libtorch, CUDA or not, and why not). `--json` prints the same as one object.
 * @module
 */
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { availableBackends } from '../runtime/backend.js'
import { mayHaveGpuDevice } from '../runtime/gpuDevices.js'
import { adapterName, probeWebGpu, type WebGpuProbe } from '../runtime/webgpu.js'
import { torchAddonPath, torchStatus } from '../runtime/torch/engine.js'
import type { CliIo } from './io.js'

/** What `doctor` found. */
export interface DoctorReport {
  readonly node: string
  /** TensorFlow.js backends usable here, best first. */
  readonly tfjsBackends: readonly string[]
  /** WebGPU: the adapter Dawn found (`software` for lavapipe/SwiftShader), or why there is none. */
  readonly webgpu: WebGpuProbe
  /** The native engine: available with its libtorch, or the reason it is not. */
  readonly torch: ReturnType<typeof torchStatus> & { readonly builtAgainst?: string }
}

/** Collects the report (imports the optional packages to find out). */
export async function doctor(): Promise<DoctorReport> {
  const status = torchStatus()
  const meta = join(torchAddonPath(), '..', '..', 'libtorch.json')
  const builtAgainst = existsSync(meta) ? (JSON.parse(readFileSync(meta, 'utf8')) as { how?: string }).how : undefined
  return {
    node: process.version,
    tfjsBackends: await availableBackends(),
    webgpu: await probeWebGpu(),
    torch: builtAgainst === undefined ? status : { ...status, builtAgainst },
  }
}

/** The `doctor` command. */
export async function doctorCommand(argv: string[], io: CliIo): Promise<number> {
  const { values } = parseArgs({ args: argv, options: { json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } }, strict: true })
  if (values.help === true) {
    io.stdout('Usage: shapesafe doctor [--json]\n\nSays which engines and backends can run here, and why one cannot.\n')
    return 0
  }
  const report = await doctor()
  if (values.json === true) {
    io.stdout(`${JSON.stringify(report, null, 2)}\n`)
    return 0
  }
  const t = report.torch
  const torchLine = t.available
    ? `available: libtorch ${t.version}${t.builtAgainst === undefined ? '' : ` (${t.builtAgainst})`}, ${t.cuda ? `CUDA with ${t.cudaDevices} device(s)` : 'CPU only (no CUDA in this libtorch)'}, ${t.threads} thread(s) (SHAPESAFE_THREADS, default: the cores available)${t.malloc === undefined ? '' : `, glibc malloc keeps ${t.malloc.trimThreshold / 2 ** 20} MiB for reuse (SHAPESAFE_TORCH_MALLOC=default: glibc's defaults)`}`
    : `not available: ${t.reason}`
  const w = report.webgpu
  const webgpuLine = !w.available
    ? `not available: ${w.reason}`
    : w.adapter.software
      ? `${adapterName(w.adapter)}: runs with --backend webgpu, never chosen automatically`
      : `${adapterName(w.adapter)}${mayHaveGpuDevice() ? '' : ' (no GPU device node: not chosen automatically)'}`
  io.stdout(
    [
      `node ${report.node}`,
      `TensorFlow.js backends: ${report.tfjsBackends.join(', ')} (--backend; the automatic order: tensorflow-gpu, webgpu on a hardware adapter, tensorflow, wasm, cpu)`,
      `webgpu adapter: ${webgpuLine}`,
      `native engine (--engine torch): ${torchLine}`,
      '',
    ].join('\n'),
  )
  return 0
}
