// A package of reusable blocks built with `declaration: true` against shapesafe installed in node_modules: its
// declarations must emit (every type an inferred block type mentions is exported by 'shapesafe', else TypeScript
// refuses with TS2742/TS2883 "cannot be named without a reference to …/dist/layers/checks.js"), and code using the
// emitted .d.ts gets the shapes and verdicts the source gives. Under TS 5.9 and TS 7. Needs dist/ (`npm test` builds).
import { execFileSync } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

const root = path.resolve(import.meta.dirname, '..')
const fixtures = path.join(root, 'type-tests', 'declarations')
let dir: string

const compilers = {
  'TS 5.9': path.join(root, 'node_modules', 'typescript', 'bin', 'tsc'),
  'TS 7': path.join(root, 'node_modules', 'typescript7', 'bin', 'tsc'),
} as const

const compilerOptions = { strict: true, module: 'nodenext', moduleResolution: 'nodenext', target: 'es2022', skipLibCheck: true }

/** Runs a compiler on a tsconfig; returns its diagnostics (empty when clean). */
const tsc = (bin: string, project: string): string => {
  try {
    execFileSync(process.execPath, [bin, '-p', project], { encoding: 'utf8', stdio: 'pipe' })
    return ''
  } catch (e) {
    const err = e as { stdout?: string; stderr?: string }
    return `${err.stdout ?? ''}${err.stderr ?? ''}`
  }
}

beforeAll(() => {
  // A consumer project outside the repository, with shapesafe (this checkout) and fp-ts in its node_modules.
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'shapesafe-decl-'))
  fs.mkdirSync(path.join(dir, 'node_modules'))
  fs.symlinkSync(root, path.join(dir, 'node_modules', 'shapesafe'))
  fs.symlinkSync(path.join(root, 'node_modules', 'fp-ts'), path.join(dir, 'node_modules', 'fp-ts'))
  fs.writeFileSync(path.join(dir, 'package.json'), '{ "type": "module" }\n')
  fs.copyFileSync(path.join(fixtures, 'blocks.ts'), path.join(dir, 'blocks.ts'))
  fs.mkdirSync(path.join(dir, 'use'))
  fs.writeFileSync(path.join(dir, 'use', 'consumer.ts'), fs.readFileSync(path.join(fixtures, 'consumer.ts'), 'utf8').replace("from './blocks.js'", "from '../out/blocks.js'"))
})

afterAll(() => fs.rmSync(dir, { recursive: true, force: true }))

/** The `// error: <text>` markers of consumer.ts: line (1-based) and text. */
const markers = (): Array<{ line: number; text: string }> =>
  fs
    .readFileSync(path.join(fixtures, 'consumer.ts'), 'utf8')
    .split('\n')
    .flatMap((l, i) => {
      const m = /\/\/ error: (.*)$/.exec(l)
      return m === null ? [] : [{ line: i + 1, text: m[1]! }]
    })

describe.each(Object.entries(compilers))('%s', (name, bin) => {
  it('emits the declarations of a package of reusable blocks (every type they mention can be named)', () => {
    const out = path.join(dir, `out`)
    fs.rmSync(out, { recursive: true, force: true })
    const project = path.join(dir, 'tsconfig.emit.json')
    fs.writeFileSync(project, JSON.stringify({ compilerOptions: { ...compilerOptions, declaration: true, emitDeclarationOnly: true, outDir: 'out' }, files: ['blocks.ts'] }))
    expect(tsc(bin, project)).toBe('')
    const dts = fs.readFileSync(path.join(out, 'blocks.d.ts'), 'utf8')
    expect(dts).toContain('export declare const convBn')
    expect(dts).not.toMatch(/node_modules|dist\//) // named through the package, not a path inside it
  }, 180_000)

  it('code using the emitted .d.ts gets the source’s shapes and, at each marked line, its verdict', () => {
    const project = path.join(dir, 'tsconfig.use.json')
    fs.writeFileSync(project, JSON.stringify({ compilerOptions: { ...compilerOptions, noEmit: true }, files: ['use/consumer.ts'] }))
    const diagnostics = tsc(bin, project)
    const errorLines = [...diagnostics.matchAll(/consumer\.ts\((\d+),\d+\): error/g)].map((m) => Number(m[1]))
    const expected = markers()
    expect(expected.length).toBeGreaterThan(1)
    expect([...new Set(errorLines)]).toEqual(expected.map((m) => m.line))
    for (const { text } of expected) expect(diagnostics, `${name}: ${text}`).toContain(text)
  }, 180_000)
})
