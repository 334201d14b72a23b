/**
 * Compile-time shape errors read well: every line of type-tests/negative/*.ts marked `// error: <text>` must fail to
 * compile with a message containing <text>, under TypeScript 5.9 (compiler API) and TypeScript 7 (its CLI), and no
 * other line may fail. The fixtures import the built library (`shapesafe` → dist/index.d.ts): run `npm run build`
 * first.
 */
import { execFileSync } from 'node:child_process'
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, relative, resolve } from 'node:path'
import ts from 'typescript'
import { beforeAll, describe, expect, test } from 'vitest'

const root = resolve(import.meta.dirname, '..')
const fixtureDir = join(root, 'type-tests', 'negative')
const tsconfigPath = join(root, 'type-tests', 'tsconfig.json')
const tsc7 = join(root, 'node_modules', 'typescript7', 'bin', 'tsc')

/** One expected error: a fixture line and a substring of the message. */
interface Expectation {
  readonly file: string
  readonly line: number
  readonly text: string
}

/** One reported diagnostic, flattened to a single string (all chained messages). */
interface Reported {
  readonly file: string
  readonly line: number
  readonly message: string
}

const fixtures = readdirSync(fixtureDir)
  .filter((f) => f.endsWith('.ts'))
  .sort()
  .map((f) => join(fixtureDir, f))

const expectations: Expectation[] = fixtures.flatMap((file) =>
  readFileSync(file, 'utf8')
    .split('\n')
    .flatMap((text, i) => {
      // A code line ending in `// error: <text>` (comment-only lines merely describe the convention).
      const m = /^\s*[^\s/].*\/\/ error: (.+?)\s*$/.exec(text)
      return m === null ? [] : [{ file, line: i + 1, text: m[1] }]
    }),
)

const key = (file: string, line: number) => `${relative(root, file)}:${line}`

/** Checks reported diagnostics against the expectations; returns readable problems (empty when all is well). */
function compare(reported: readonly Reported[]): string[] {
  const byLine = new Map<string, string[]>()
  for (const r of reported) byLine.set(key(r.file, r.line), [...(byLine.get(key(r.file, r.line)) ?? []), r.message])
  const expectedLines = new Set(expectations.map((e) => key(e.file, e.line)))
  const problems: string[] = []
  for (const e of expectations) {
    const messages = byLine.get(key(e.file, e.line)) ?? []
    if (!messages.some((m) => m.includes(e.text))) {
      problems.push(`${key(e.file, e.line)}: expected an error containing "${e.text}", got ${messages.length === 0 ? 'none' : JSON.stringify(messages)}`)
    }
  }
  for (const [where, messages] of byLine) {
    if (!expectedLines.has(where)) problems.push(`${where}: unexpected error ${JSON.stringify(messages)}`)
  }
  return problems
}

describe('negative type fixtures', () => {
  beforeAll(() => {
    if (!existsSync(join(root, 'dist', 'index.d.ts'))) throw new Error('dist/index.d.ts is missing: run `npm run build` first')
  })

  test('there are at least 40 expected messages', () => {
    expect(expectations.length).toBeGreaterThanOrEqual(40)
  })

  test('TypeScript 5.9 reports each expected message on its line, and nothing else', () => {
    const parsed = ts.getParsedCommandLineOfConfigFile(tsconfigPath, {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => {} })
    if (parsed === undefined) throw new Error(`cannot read ${tsconfigPath}`)
    const program = ts.createProgram(fixtures, parsed.options)
    const reported: Reported[] = []
    for (const file of fixtures) {
      const sf = program.getSourceFile(file)
      if (sf === undefined) throw new Error(`fixture not in program: ${file}`)
      for (const d of [...program.getSyntacticDiagnostics(sf), ...program.getSemanticDiagnostics(sf)]) {
        const line = sf.getLineAndCharacterOfPosition(d.start ?? 0).line + 1
        reported.push({ file, line, message: ts.flattenDiagnosticMessageText(d.messageText, '\n') })
      }
    }
    expect(compare(reported)).toEqual([])
  })

  test('TypeScript 7 reports each expected message on its line, and nothing else', () => {
    const dir = mkdtempSync(join(tmpdir(), 'shapesafe-neg-'))
    try {
      const config = join(dir, 'tsconfig.json')
      writeFileSync(
        config,
        JSON.stringify({
          extends: tsconfigPath,
          compilerOptions: { noEmit: true, typeRoots: [join(root, 'node_modules', '@types')] },
          files: fixtures,
          include: [],
        }),
      )
      let output: string
      try {
        output = execFileSync(process.execPath, [tsc7, '--pretty', 'false', '-p', config], { cwd: root, encoding: 'utf8' })
      } catch (e) {
        // tsc exits non-zero when it reports errors, which is the point here.
        output = String((e as { stdout?: string }).stdout ?? '')
      }
      expect(compare(parseTscOutput(output))).toEqual([])
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })
})

/** Parses `file(line,col): error TSxxxx: message` blocks (continuation lines are indented) from tsc's plain output. */
function parseTscOutput(output: string): Reported[] {
  const reported: { file: string; line: number; lines: string[] }[] = []
  for (const text of output.split(/\r?\n/)) {
    const m = /^(.+?)\((\d+),(\d+)\): error TS\d+: (.*)$/.exec(text)
    if (m !== null) reported.push({ file: resolve(root, m[1]), line: Number(m[2]), lines: [m[4]] })
    else if (/^\s/.test(text) && reported.length > 0) reported[reported.length - 1].lines.push(text.trim())
    else if (text.trim() !== '') reported.push({ file: '(tsc)', line: 0, lines: [text] })
  }
  return reported.map((r) => ({ file: r.file, line: r.line, message: r.lines.join('\n') }))
}
