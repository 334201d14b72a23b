/**
 * `npm run bench -- engines`: runs {@link benchmarkEngines}, prints the table and writes the "Engines" section of
 * docs/benchmarks.md (not with `--quick` or `--no-write`).
 * @module
 */
import { existsSync, readFileSync } from 'node:fs'
import { writeFileAtomic } from '../src/io/atomicWrite.js'
import { benchmarkEngines, formatEnginesReport } from './engines.js'
import { replaceSection } from './markdown.js'

/** Runs the engines benchmark; returns the exit code. */
export async function runEnginesBench(quick: boolean, noWrite: boolean, log: (line: string) => void, webgpuSoftware = false): Promise<number> {
  const report = await benchmarkEngines({ quick, log, webgpuSoftware })
  const markdown = formatEnginesReport(report)
  process.stdout.write(`${markdown}\n`)
  if (quick || noWrite) return 0
  const path = 'docs/benchmarks.md'
  const doc = existsSync(path) ? readFileSync(path, 'utf8') : '# Benchmarks\n'
  const written = await writeFileAtomic(path, new TextEncoder().encode(replaceSection(doc, 'Engines', markdown)))()
  if (written._tag === 'Left') {
    log(`could not write ${path}: ${written.left.message}`)
    return 1
  }
  log(`wrote ${path}`)
  return 0
}
