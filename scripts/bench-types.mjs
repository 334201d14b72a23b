#!/usr/bin/env node
/**
 * Type-check cost of shapesafe pipelines: runs `tsc --extendedDiagnostics` (TypeScript 5.9) and TypeScript 7's tsc on
 * each fixture in type-tests/bench/ (the library imported from its built dist/*.d.ts, as users get it), several runs
 * each, and writes the medians to the "## Type-check cost" section of docs/benchmarks.md.
 *
 * Usage: `npm run bench:types` (builds first) or `node scripts/bench-types.mjs [--runs 5] [--no-write]`.
 */
import { execFileSync } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs'
import { cpus, loadavg, tmpdir, totalmem } from 'node:os'
import { dirname, join, relative, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..')
const args = process.argv.slice(2)
const runsArg = args.indexOf('--runs')
const runs = runsArg >= 0 ? Number(args[runsArg + 1]) : 5
const write = !args.includes('--no-write')
if (!Number.isInteger(runs) || runs < 1) {
  console.error('bench-types: --runs needs a positive integer')
  process.exit(2)
}

if (!existsSync(join(root, 'dist', 'index.d.ts'))) {
  console.error('bench-types: dist/index.d.ts is missing; run `npm run build` first (or `npm run bench:types`)')
  process.exit(2)
}

/** Fixtures: a baseline (library imported, nothing checked) and the nets. */
const fixtures = [
  { name: 'baseline (import only)', file: 'type-tests/bench/baseline.ts' },
  { name: 'ResNet-152 pipeline', file: 'type-tests/bench/resnet152.ts', target: { instantiations: 30_000, checkSeconds: 0.5 } },
  { name: 'GoogLeNet pipeline', file: 'type-tests/bench/googlenet.ts' },
]
if (existsSync(join(root, 'src', 'zoo')) && existsSync(join(root, 'type-tests', 'bench', 'zoo.ts'))) {
  if (/['"]\.\/zoo\/index\.js['"]/.test(readFileSync(join(root, 'dist', 'index.d.ts'), 'utf8'))) {
    fixtures.push({ name: 'every zoo model', file: 'type-tests/bench/zoo.ts' })
  } else {
    console.warn('bench-types: skipping type-tests/bench/zoo.ts: the built index does not export ./zoo/index.js yet')
  }
}

const compilers = [
  { name: 'TS 5.9', bin: join(root, 'node_modules', 'typescript', 'bin', 'tsc') },
  { name: 'TS 7', bin: join(root, 'node_modules', 'typescript7', 'bin', 'tsc') },
]

const version = (bin) => execFileSync(process.execPath, [bin, '--version'], { encoding: 'utf8' }).trim()

/** Parses `Name: value` lines of --extendedDiagnostics (field names differ between TS 5.9 and TS 7). */
function parseDiagnostics(output) {
  const fields = {}
  for (const line of output.split(/\r?\n/)) {
    const m = /^([A-Za-z][A-Za-z /]*?):\s+([\d.]+)(s|K)?\s*$/.exec(line.trim())
    if (m) fields[m[1]] = Number(m[2])
  }
  return fields
}

/** One tsc run on one fixture: check time (s), instantiations, types, or throws with tsc's errors. */
function runOnce(bin, config) {
  let output
  try {
    output = execFileSync(process.execPath, [bin, '--extendedDiagnostics', '--pretty', 'false', '-p', config], {
      cwd: root,
      encoding: 'utf8',
      maxBuffer: 64 * 1024 * 1024,
    })
  } catch (e) {
    throw new Error(`type errors in a benchmark fixture:\n${String(e.stdout ?? e.message).split('\n').slice(0, 20).join('\n')}`)
  }
  const f = parseDiagnostics(output)
  return { check: f['Check time'], instantiations: f['Instantiations'], types: f['Types'], total: f['Total time'] }
}

const median = (xs) => {
  const v = xs.filter((x) => typeof x === 'number' && !Number.isNaN(x)).sort((a, b) => a - b)
  if (v.length === 0) return undefined
  return v.length % 2 === 1 ? v[(v.length - 1) / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2
}

const tmp = mkdtempSync(join(tmpdir(), 'shapesafe-bench-types-'))
const results = []
try {
  for (const fixture of fixtures) {
    const config = join(tmp, `${fixture.file.replace(/[^a-z0-9]+/gi, '_')}.json`)
    writeFileSync(
      config,
      JSON.stringify({
        extends: join(root, 'type-tests', 'tsconfig.json'),
        compilerOptions: { noEmit: true, typeRoots: [join(root, 'node_modules', '@types')] },
        files: [join(root, fixture.file)],
        include: [],
      }),
    )
    const row = { ...fixture, by: {} }
    for (const c of compilers) {
      const samples = []
      for (let i = 0; i < runs; i++) samples.push(runOnce(c.bin, config))
      row.by[c.name] = {
        check: median(samples.map((s) => s.check)),
        instantiations: median(samples.map((s) => s.instantiations)),
        types: median(samples.map((s) => s.types)),
      }
      const r = row.by[c.name]
      console.log(`${fixture.name.padEnd(24)} ${c.name.padEnd(7)} check ${r.check?.toFixed(3)} s  instantiations ${r.instantiations ?? 'n/a'}  types ${r.types ?? 'n/a'}`)
    }
    results.push(row)
  }
} finally {
  rmSync(tmp, { recursive: true, force: true })
}

// Net cost: each fixture minus the import-only baseline.
const base = results[0].by
const fmtS = (x) => (x === undefined ? 'n/a' : `${x.toFixed(3)} s`)
const fmtN = (x) => (x === undefined ? 'n/a' : x.toLocaleString('en-US'))
const net = (x, b) => (x === undefined || b === undefined ? undefined : x - b)

const lines = []
lines.push('## Type-check cost')
lines.push('')
lines.push(
  `Measured by \`npm run bench:types\` (scripts/bench-types.mjs) on ${new Date().toISOString().slice(0, 10)}: ${cpus().length} × ${cpus()[0]?.model.trim() ?? 'unknown CPU'}, ` +
    `${Math.round(totalmem() / 2 ** 30)} GiB RAM, Node ${process.version}, load average ${loadavg()[0].toFixed(1)} when it finished ` +
    '(the machine was shared with other jobs, so times are noisy; instantiation counts are deterministic).',
)
lines.push('')
lines.push(
  `Method: each fixture in \`type-tests/bench/\` is checked alone (\`noEmit\`, strict, NodeNext, the library imported from its built ` +
    `\`dist/*.d.ts\`) with \`tsc --extendedDiagnostics\`; ${runs} runs per compiler, median shown. ` +
    `Compilers: ${compilers.map((c) => `${c.name} = ${version(c.bin)}`).join(', ')}. "Net" subtracts the baseline fixture, ` +
    'which only imports the library (parsing and checking fp-ts, @types/node and the .d.ts files).',
)
lines.push('')
lines.push('| Fixture | TS 5.9 check | TS 5.9 instantiations | net instantiations | TS 7 check | TS 7 instantiations |')
lines.push('| --- | ---: | ---: | ---: | ---: | ---: |')
for (const r of results) {
  const a = r.by['TS 5.9']
  const b = r.by['TS 7']
  lines.push(
    `| ${r.name} (\`${r.file}\`) | ${fmtS(a.check)} | ${fmtN(a.instantiations)} | ${r === results[0] ? '—' : fmtN(net(a.instantiations, base['TS 5.9'].instantiations))} | ${fmtS(b.check)} | ${fmtN(b.instantiations)} |`,
  )
}
lines.push('')
for (const r of results.filter((x) => x.target)) {
  const a = r.by['TS 5.9']
  const okI = a.instantiations !== undefined && a.instantiations <= r.target.instantiations
  const okT = a.check !== undefined && a.check <= r.target.checkSeconds
  lines.push(
    `Target for the ${r.name} on TS 5.9: ≤ ${fmtN(r.target.instantiations)} instantiations (${okI ? 'met' : 'not met'}: ${fmtN(a.instantiations)}) ` +
      `and ≤ ${r.target.checkSeconds} s check time (${okT ? 'met' : 'not met'}: ${fmtS(a.check)}).`,
  )
}
lines.push('')
const section = lines.join('\n')
console.log(`\n${section}`)

if (write) {
  const docPath = join(root, 'docs', 'benchmarks.md')
  const old = existsSync(docPath) ? readFileSync(docPath, 'utf8') : '# Benchmarks\n\n'
  const start = old.indexOf('## Type-check cost')
  let updated
  if (start < 0) {
    updated = `${old.replace(/\s*$/, '')}\n\n${section}`
  } else {
    const next = old.slice(start + 1).search(/^## /m)
    const end = next < 0 ? old.length : start + 1 + next
    updated = `${old.slice(0, start)}${section}${end < old.length ? '\n' + old.slice(end) : ''}`
  }
  const tmpFile = join(dirname(docPath), `.benchmarks.md.${process.pid}.tmp`)
  writeFileSync(tmpFile, updated.endsWith('\n') ? updated : `${updated}\n`)
  renameSync(tmpFile, docPath)
  console.log(`bench-types: wrote the "Type-check cost" section of ${relative(root, docPath)}`)
}
