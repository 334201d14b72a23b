/**
 * `npm run bench` entry point: `node dist/bench/main.js [runtime|kernels] [--quick] [--no-torch] [--no-write]`.
 * `runtime` (the default) measures the interpreter against raw tfjs, tfjs-layers and PyTorch and writes the "Runtime"
 * section of docs/benchmarks.md; `kernels` times the wasm convolution-gradient kernels.
 * @module
 */
import { existsSync, readFileSync } from 'node:fs'
import { writeFileAtomic } from '../runtime/atomicWrite.js'
import { benchmarkWasmConvGradients, RESNET_LAYER } from './kernels.js'
import { benchmarkRuntime, formatRuntimeReport } from './runtime.js'

/**
 * Replaces (or appends) the section starting with `## <title>` in a markdown document, up to the next `## ` heading.
 * @example
 * ```ts
 * replaceSection('# B\n\n## Runtime\nold\n## Other\n', 'Runtime', '## Runtime\nnew\n') // '# B\n\n## Runtime\nnew\n## Other\n'
 * ```
 */
export function replaceSection(doc: string, title: string, section: string): string {
  const heading = `## ${title}`
  const start = doc.split('\n').findIndex((l) => l.trim() === heading)
  const body = section.endsWith('\n') ? section : `${section}\n`
  if (start < 0) return `${doc.trimEnd()}\n\n${body}`
  const lines = doc.split('\n')
  let end = lines.findIndex((l, i) => i > start && l.startsWith('## '))
  if (end < 0) end = lines.length
  const before = lines.slice(0, start).join('\n')
  const after = lines.slice(end).join('\n')
  return `${before}${before === '' ? '' : '\n'}${body}${after === '' ? '' : `\n${after}`}`
}

async function main(argv: string[]): Promise<number> {
  const flags = new Set(argv.filter((a) => a.startsWith('--')))
  const [command = 'runtime'] = argv.filter((a) => !a.startsWith('--'))
  const log = (line: string) => process.stderr.write(`${line}\n`)
  if (command === 'kernels') {
    const r = await benchmarkWasmConvGradients(RESNET_LAYER)
    process.stdout.write(`${JSON.stringify(r, null, 2)}\n`)
    return 0
  }
  if (command !== 'runtime') {
    log(`unknown benchmark "${command}"; use runtime or kernels`)
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
