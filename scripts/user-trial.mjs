// An independent user trial of the compile-time checks (issue 11), re-runnable: the seed-style programs of
// scripts/user-trial/neg.txt (mistakes; `//!` marks the line a verdict belongs on) and pos.txt (correct programs;
// `//= T` gives the exact type expected of the `export const` it ends) are compiled as a user's project would:
// in a scratch directory that installs the packed package (`npm pack` of this checkout; run `npm run build` first),
// under TypeScript 5.9 (compiler API) and TypeScript 7 (its CLI). Each mistake is classed as a verdict at its line,
// a verdict elsewhere, TypeScript's message only, or silent; each correct program as exact, widened or a false error.
// Every program is also run (emitted by TS 5.9, imported, `graphOf` on its `y`/`z`) to show what the trace says.
// type-tests/negative/trial6.ts holds the result as fixtures; this script shows the current table.
//
//   node scripts/user-trial.mjs           the table of classes, then every case that is not clean
//   node scripts/user-trial.mjs --json    every case as JSON
//   node scripts/user-trial.mjs --battery DIR   another battery (DIR/neg.txt, DIR/pos.txt in the same format)
import { execFileSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { pathToFileURL } from 'node:url'

const root = resolve(import.meta.dirname, '..')
const batteryArg = process.argv.indexOf('--battery')
const battery = batteryArg >= 0 ? resolve(process.argv[batteryArg + 1]) : join(root, 'scripts', 'user-trial')
const json = process.argv.includes('--json')
const work = mkdtempSync(join(tmpdir(), 'shapesafe-user-trial-'))
const header = `import { flow, pipe } from 'fp-ts/lib/function.js'
import { adaptiveAvgPool2d, add, alexnet, avgPool2d, batchNorm1d, batchNorm2d, concat, conv2d, denseBlock, dim, dropout, flatten, flow as sflow, globalAvgPool2d, graphOf, identity, input, lenet, linear, localResponseNorm, maxPool2d, N, named, parallel, pipe as spipe, prod, relu, residual, resnet18, scope, sequential, sigmoid, softmax, tanh, trace, type Conv2dOptions, type Dim, type LinearOptions, type Named, type Pool2dOptions, type Shape, type Shape4, type Tensor, type ValidConv2dOptions } from 'shapesafe'
`
const headerLines = header.split('\n').length - 1

try {
  // The package as a user installs it, with the dependencies of this checkout.
  const tgz = execFileSync('npm', ['pack', '--silent', '--pack-destination', work], { cwd: root, encoding: 'utf8' }).trim().split('\n').pop()
  const pkg = join(work, 'node_modules', 'shapesafe')
  mkdirSync(pkg, { recursive: true })
  execFileSync('tar', ['xzf', join(work, tgz), '-C', pkg, '--strip-components=1'])
  mkdirSync(join(work, 'node_modules', '@tensorflow'), { recursive: true })
  for (const dep of ['fp-ts', 'typescript', 'typescript7', '@tensorflow/tfjs', '@tensorflow/tfjs-core', '@tensorflow/tfjs-backend-cpu', '@tensorflow/tfjs-backend-wasm']) {
    symlinkSync(join(root, 'node_modules', dep), join(work, 'node_modules', dep))
  }
  writeFileSync(join(work, 'package.json'), JSON.stringify({ name: 'user-trial', type: 'module', private: true }))
  writeFileSync(
    join(work, 'tsconfig.json'),
    JSON.stringify({
      compilerOptions: { target: 'ES2022', module: 'NodeNext', moduleResolution: 'NodeNext', lib: ['ES2022'], strict: true, skipLibCheck: true, outDir: 'out', rootDir: 'cases', types: [] },
      include: ['cases/**/*.ts'],
    }),
  )

  // The cases, one file each.
  const cases = []
  for (const kind of ['neg', 'pos']) {
    mkdirSync(join(work, 'cases', kind), { recursive: true })
    for (const part of readFileSync(join(battery, `${kind}.txt`), 'utf8').split(/^### /m).slice(1)) {
      const nl = part.indexOf('\n')
      const name = part.slice(0, nl).trim()
      const code = part.slice(nl + 1)
      const file = join('cases', kind, `${name}.ts`)
      writeFileSync(join(work, file), header + code)
      const lines = code.split('\n')
      const bad = []
      const expects = []
      lines.forEach((l, i) => {
        if (l.includes('//!')) bad.push(i + 1 + headerLines)
        const m = /\/\/= (.*)$/.exec(l)
        if (m === null) return
        let v = (/export const (\w+)/.exec(l) ?? [])[1]
        for (let j = i; v === undefined && j >= 0; j--) v = (/export const (\w+)/.exec(lines[j]) ?? [])[1]
        expects.push({ v, type: m[1].trim() })
      })
      cases.push({ kind, name, file, bad, expects })
    }
  }

  // TypeScript 5.9: diagnostics, the declared types, and the JavaScript to run.
  const ts = (await import(pathToFileURL(join(work, 'node_modules', 'typescript', 'lib', 'typescript.js')).href)).default
  const config = ts.getParsedCommandLineOfConfigFile(join(work, 'tsconfig.json'), {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => {} })
  const program = ts.createProgram(config.fileNames, { ...config.options, noEmitOnError: false })
  const checker = program.getTypeChecker()
  for (const c of cases) {
    const sf = program.getSourceFile(join(work, c.file))
    c.ts5 = [...program.getSyntacticDiagnostics(sf), ...program.getSemanticDiagnostics(sf)].map((d) => ({
      line: sf.getLineAndCharacterOfPosition(d.start).line + 1,
      msg: ts.flattenDiagnosticMessageText(d.messageText, '\n'),
    }))
    c.types = {}
    ts.forEachChild(sf, (n) => {
      if (!ts.isVariableStatement(n)) return
      for (const d of n.declarationList.declarations) {
        if (ts.isIdentifier(d.name)) c.types[d.name.text] = checker.typeToString(checker.getTypeAtLocation(d.name), undefined, ts.TypeFormatFlags.NoTruncation)
      }
    })
  }
  program.emit()

  // TypeScript 7: its CLI's plain output.
  let out7 = ''
  try {
    out7 = execFileSync(process.execPath, [join(work, 'node_modules', 'typescript7', 'bin', 'tsc'), '-p', 'tsconfig.json', '--noEmit', '--pretty', 'false'], { cwd: work, encoding: 'utf8', maxBuffer: 1 << 28 })
  } catch (e) {
    out7 = String(e.stdout ?? '')
  }
  const by7 = {}
  let last = null
  for (const line of out7.split(/\r?\n/)) {
    const m = /^(cases\/\S+\.ts)\((\d+),(\d+)\): error TS\d+: (.*)$/.exec(line)
    if (m !== null) (by7[join('cases', m[1].slice(6))] ??= []).push((last = { line: Number(m[2]), msg: m[4] }))
    else if (last !== null && /^\s/.test(line)) last.msg += '\n' + line.trim()
  }

  // shapesafe check (TypeScript 5.9 with the editor plugin's analysis): its errors, which add the verdicts `tsc`
  // passes silently (a tensor that carries a verdict out of a block and that nothing checks, code 61001).
  let outCheck = '{}'
  try {
    outCheck = execFileSync(process.execPath, [join(pkg, 'dist', 'cli', 'main.js'), 'check', '-p', 'tsconfig.json', '--json'], { cwd: work, encoding: 'utf8', maxBuffer: 1 << 28 })
  } catch (e) {
    outCheck = String(e.stdout ?? '{}')
  }
  const byCheck = {}
  for (const d of JSON.parse(outCheck).diagnostics ?? []) {
    if (d.file === undefined || d.category !== 'error') continue
    ;(byCheck[join('cases', d.file.replace(/^.*?cases[\\/]/, ''))] ??= []).push({ line: d.line, msg: d.message, code: d.code })
  }

  // Classes, and what the trace says.
  const { graphOf } = await import(pathToFileURL(join(pkg, 'dist', 'index.js')).href)
  const verdictLike = (m) => /⛔|InvalidDim<"|ShapeCheckFailed<"/.test(m)
  const classOf = (c, diags) => {
    if (c.kind === 'pos') return diags.length > 0 ? 'false error' : 'compiles'
    if (diags.length === 0) return 'silent'
    const atLine = diags.filter((d) => c.bad.includes(d.line))
    if (atLine.some((d) => verdictLike(d.msg))) return 'verdict at its line'
    const v = diags.find((d) => verdictLike(d.msg))
    if (v !== undefined) return `verdict elsewhere (${v.line - c.bad[0] > 0 ? '+' : ''}${v.line - c.bad[0]} lines)`
    return atLine.length > 0 ? "TypeScript's message only" : `TypeScript's message only, elsewhere (${diags[0].line - c.bad[0]} lines)`
  }
  const squash = (s) => s.replace(/\s+/g, '')
  const rows = []
  for (const c of cases) {
    const row = { kind: c.kind, name: c.name, ts59: classOf(c, c.ts5), ts7: classOf(c, by7[c.file] ?? []), check: classOf(c, byCheck[c.file] ?? []) }
    if (row.check === 'compiles') row.check = 'passes'
    if (row.ts59 === 'compiles') {
      const off = c.expects.filter((e) => squash(c.types[e.v] ?? '') !== squash(e.type))
      row.ts59 = off.length === 0 ? 'exact' : `widened (${off.map((e) => `${e.v}: ${c.types[e.v]}`).join('; ').slice(0, 200)})`
    }
    const trace = []
    try {
      const mod = await import(pathToFileURL(join(work, 'out', c.file.slice('cases/'.length).replace(/\.ts$/, '.js'))).href)
      for (const k of ['y', 'z']) {
        if (mod[k] === undefined) continue
        try {
          graphOf(mod[k])
          trace.push(`${k} traces`)
        } catch (e) {
          trace.push(`${k}: ${e.message}`)
        }
      }
    } catch (e) {
      trace.push(`throws ${e.constructor.name}: ${e.message}`)
    }
    row.trace = trace.join('; ')
    row.message = c.ts5.map((d) => d.msg.split('\n').slice(-1)[0].trim()).join(' | ').slice(0, 300)
    rows.push(row)
  }

  if (json) console.log(JSON.stringify(rows, null, 1))
  else {
    const table = new Map()
    for (const r of rows) {
      const key = `${r.kind === 'neg' ? 'mistake' : 'correct'} | ${r.ts59.replace(/ \(.*/, '')} | ${r.ts7.replace(/ \(.*/, '')} | ${r.check.replace(/ \(.*/, '')}`
      table.set(key, (table.get(key) ?? 0) + 1)
    }
    console.log(`${rows.filter((r) => r.kind === 'neg').length} mistakes, ${rows.filter((r) => r.kind === 'pos').length} correct programs\n`)
    console.log('| program | TS 5.9 | TS 7 | shapesafe check | count |\n|---|---|---|---|---:|')
    for (const [k, v] of [...table].sort()) console.log(`| ${k} | ${v} |`)
    console.log('\nNot clean:')
    for (const r of rows) {
      if (r.ts59 === 'exact' || (r.ts59 === 'verdict at its line' && r.ts7 === 'verdict at its line')) continue
      console.log(`- ${r.kind} ${r.name}: TS 5.9 ${r.ts59}; TS 7 ${r.ts7}; check ${r.check}; trace: ${r.trace}${r.message ? `; message: ${r.message.slice(0, 160)}` : ''}`)
    }
  }
} finally {
  rmSync(work, { recursive: true, force: true })
}
