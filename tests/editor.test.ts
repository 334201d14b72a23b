/**
 * The editor plugin `shapesafe/ts-plugin`, driven as an editor drives it: a real tsserver process (from
 * node_modules/typescript) opens files of the fixture project tests/fixtures/editor, whose tsconfig.json enables the
 * plugin and whose node_modules/shapesafe links to this package (the BUILT one: run `npm run build` first). Also
 * `shapesafe check`, which prints the same diagnostics on the command line.
 *
 * Verdict texts are read from the same compile (TypeScript's own message, which carries the `⛔` verdict), so these
 * tests follow wording changes of the type-level checks; one test pins a literal verdict.
 */
import fs from 'node:fs'
import path from 'node:path'
import ts from 'typescript'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { checkCommand } from '../dist/cli/check.js'
import { memoryIo } from '../dist/cli/io.js'
import { findVerdict, formatTrace, unconsumedVerdictCode, unconsumedVerdicts } from '../dist/editor/analysis.cjs'
import { readOptions } from '../dist/editor/options.cjs'
import { captureEditorDoc, editorDoc, updateEditorDoc } from '../scripts/editor-doc.mjs'
import { applyChanges, fixtureDir, linkFixturePackage, offsetOf, root, startServer } from '../scripts/tsserver-client.mjs'

interface Location {
  line: number
  offset: number
}
interface Hint {
  text: string
  position: Location
  whitespaceBefore?: boolean
}
interface Diagnostic {
  start: Location
  end: Location
  text: string
  code: number
  relatedInformation?: { span: { start: Location; file: string }; message: string }[]
}
interface Fix {
  fixName: string
  description: string
  changes: { fileName: string; textChanges: { start: Location; end: Location; newText: string }[] }[]
}

const file = (name: string) => path.join(fixtureDir, name)
const read = (name: string) => fs.readFileSync(file(name), 'utf8')

let server: ReturnType<typeof startServer>

/** The shapes PyTorch prints for each leaf module of a zoo reference, with the batch dim as `N`. */
function goldenShapes(id: string): string[] {
  const golden = JSON.parse(fs.readFileSync(path.join(root, 'tests', 'goldens', 'zoo', `${id}.json`), 'utf8')) as {
    layers: { shape: number[] }[]
  }
  return golden.layers.map((l) => `[${['N', ...l.shape.slice(1)].join(', ')}]`)
}

async function hints(name: string): Promise<Hint[]> {
  return (await server.request('provideInlayHints', { file: file(name), start: 0, length: read(name).length })) as Hint[]
}

/** The dims of a shape text `[a, b<c, d>, …]`, split at its top-level commas. */
function splitDims(shape: string): string[] {
  const dims: string[] = []
  let depth = 0
  let current = ''
  for (const ch of shape.slice(1, -1)) {
    if ('<([{'.includes(ch)) depth++
    if ('>)]}'.includes(ch)) depth--
    if (ch === ',' && depth === 0) {
      dims.push(current.trim())
      current = ''
    } else current += ch
  }
  return [...dims, current.trim()]
}

const stageShapes = (hs: Hint[]) => hs.filter((h) => h.text.startsWith('→ ')).map((h) => h.text.slice(2))

async function diagnostics(name: string): Promise<Diagnostic[]> {
  return (await server.request('semanticDiagnosticsSync', { file: file(name) })) as Diagnostic[]
}

/** TypeScript's own diagnostics of a fixture file (no plugin: the compiler API), for the verdicts it emits. */
function compilerDiagnostics(name: string, text?: string): ts.Diagnostic[] {
  const parsed = ts.getParsedCommandLineOfConfigFile(file('tsconfig.json'), {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => {} })
  if (parsed === undefined) throw new Error('cannot read the fixture tsconfig.json')
  const host = ts.createCompilerHost(parsed.options)
  const original = host.getSourceFile.bind(host)
  host.getSourceFile = (f, v, onError, create) =>
    text !== undefined && path.resolve(f) === file(name) ? ts.createSourceFile(f, text, v, true) : original(f, v, onError, create)
  const program = ts.createProgram({ rootNames: [file(name)], options: parsed.options, host })
  return [...ts.getPreEmitDiagnostics(program, program.getSourceFile(file(name)))]
}

/** The verdict in a TypeScript message: the text after ⛔ in its quoted property name. */
const verdictIn = (d: ts.Diagnostic) => /⛔ ([^"']+)/.exec(ts.flattenDiagnosticMessageText(d.messageText, '\n'))?.[1]

beforeAll(async () => {
  linkFixturePackage()
  server = startServer()
  for (const name of ['alexnet.ts', 'resnet.ts', 'generic.ts', 'mistakes.ts', 'noflatten.ts', 'unconsumed.ts', 'unconsumedUse.ts', 'inline.ts']) await server.open(file(name))
})

afterAll(() => server?.close())

test('docs/editor.md shows what tsserver returns (run `node scripts/editor-doc.mjs` after a change)', async () => {
  const current = fs.readFileSync(editorDoc, 'utf8')
  expect(current).toBe(updateEditorDoc(current, await captureEditorDoc(server)))
})

describe('inlay hints: the shape after each stage', () => {
  test("the seed's AlexNet: each stage's hint is the shape PyTorch prints for that module", async () => {
    const expected = goldenShapes('alexnet_1x224_10')
    expect(expected).toHaveLength(21)
    expect(stageShapes(await hints('alexnet.ts'))).toEqual(expected)
  })

  test("ResNet-18's stem and two stages (residual branches included): hints in order equal PyTorch's shapes", async () => {
    const expected = goldenShapes('resnet18_3x224_1000').slice(0, 30) // conv1 … layer2.1.relu
    expect(stageShapes(await hints('resnet.ts'))).toEqual(expected)
  })

  test('hints sit right after their stage, before the comma', async () => {
    const text = read('alexnet.ts')
    const first = (await hints('alexnet.ts'))[0]
    const at = offsetOf(text, first.position)
    expect(text.slice(at - 'padding: 1 })'.length, at + 1)).toBe('padding: 1 }),')
    expect(first.text).toBe('→ [N, 96, 54, 54]')
  })

  test('inside a generic block the hints are symbolic where the size is, concrete where it is not', async () => {
    const shapes = stageShapes(await hints('generic.ts')).map(splitDims)
    expect(shapes.length).toBeGreaterThanOrEqual(3)
    for (const dims of shapes) {
      expect(dims).toHaveLength(4)
      expect(dims[0]).toMatch(/S/) // the batch dim of the block's input
      expect(dims[1]).toMatch(/^\d+$/) // channels are literal
      expect(dims[2]).not.toMatch(/^\d+$/) // H depends on the input's H
    }
  })

  test('a failing pipe still shows the stages before the failing one', async () => {
    expect(stageShapes(await hints('mistakes.ts'))).toContain('[N, 1600]')
  })

  test("'off' turns them off and 'all' adds each tensor const (configurePlugin)", async () => {
    const pluginName = 'shapesafe/ts-plugin'
    try {
      await server.request('configurePlugin', { pluginName, configuration: { hints: 'off' } })
      expect(await hints('alexnet.ts')).toEqual([])
      await server.request('configurePlugin', { pluginName, configuration: { hints: 'all' } })
      const all = await hints('alexnet.ts')
      expect(all.filter((h) => h.text.startsWith(': ')).map((h) => h.text)).toEqual([': [N, 6400]', ': [N, 10]'])
      expect(stageShapes(all)).toHaveLength(21)
    } finally {
      await server.request('configurePlugin', { pluginName, configuration: { hints: 'stages' } })
    }
  })
})

describe('diagnostics: the verdict first', () => {
  test('every shapesafe error starts with the verdict the compiler emits, then the shapes, then TypeScript\'s message', async () => {
    const own = compilerDiagnostics('mistakes.ts').filter((d) => verdictIn(d) !== undefined)
    const shown = await diagnostics('mistakes.ts')
    expect(own.length).toBeGreaterThanOrEqual(4)
    expect(shown).toHaveLength(own.length)
    for (const [i, d] of own.entries()) {
      const lines = shown[i].text.split('\n')
      expect(lines[0]).toBe(`⛔ ${verdictIn(d)}`)
      expect(lines[1]).toMatch(/^ {2}shapes/)
      expect(shown[i].text).toContain(ts.flattenDiagnosticMessageText(d.messageText, '\n').split('\n')[0].replace('No overload matches this call.', ''))
      expect(shown[i].code).toBe(d.code)
    }
  })

  test('a literal verdict, its trace and the stage that produced the size', async () => {
    const [linear] = await diagnostics('mistakes.ts')
    const lines = linear.text.split('\n')
    expect(lines[0]).toBe('⛔ linear: expected 2304 input features, got 1600')
    expect(lines[1]).toBe('  shapes (stage 8 of pipe): … conv2d → [N, 64, 11, 11] → relu → [N, 64, 11, 11] → maxPool2d → [N, 64, 5, 5] → flatten → [N, 1600] → linear')
    expect(linear.relatedInformation?.map((r) => [r.span.start.line, r.message])).toEqual([[14, '1600 comes from here: flatten → [N, 1600]']])
  })

  test('a merge names its operands and their shapes; the chain keeps only the overload with the verdict', async () => {
    const add = (await diagnostics('mistakes.ts')).find((d) => d.text.startsWith('⛔ add'))
    expect(add?.text.split('\n')[1]).toBe('  shapes: mainPath [N, 128, 28, 28], x [N, 64, 56, 56]')
    expect(add?.text).not.toContain('Overload 1 of 2')
  })

  test('an inline residual or parallel that fails is shown on its own stage, not on the stage before where TypeScript reports it', async () => {
    // TypeScript infers pipe's type for the previous stage's result from the combinator's checked parameter, so its
    // error is on that stage (or on the pipe's input). The plugin moves it to the combinator, verdict first.
    const own = compilerDiagnostics('inline.ts').filter((d) => verdictIn(d) !== undefined)
    const shown = await diagnostics('inline.ts')
    const lines = read('inline.ts').split('\n')
    const lineOf = (text: string, after: number) => lines.findIndex((l, i) => i >= after && l.includes(text)) + 1
    const expected = [
      { verdict: 'residual: main path gives [N,64,28,28], input gives [N,32,28,28]', line: lineOf('residual(', 0), before: 'input' },
      { verdict: 'residual: main path gives [N,64,28,28], input gives [N,32,28,28]', line: lineOf('residual(', lineOf('export const middle', 0)), before: 'relu' },
      { verdict: 'parallel: branch 2 gives H 6, branch 1 gives 8', line: lineOf('parallel(', 0), before: 'relu' },
    ]
    expect(own.map((d) => [ts.getLineAndCharacterOfPosition(d.file!, d.start!).line + 2, verdictIn(d)])).toEqual(expected.map((e) => [e.line, e.verdict]))
    expect(shown.map((d) => [d.start.line, d.text.split('\n')[0]])).toEqual(expected.map((e) => [e.line, `⛔ ${e.verdict}`]))
    for (const [i, d] of shown.entries()) {
      expect(d.start.offset).toBe(lines[expected[i].line - 1].search(/\S/) + 1)
      expect(d.text).toContain(`TypeScript reports this on the stage before (${expected[i].before}); the check is ${expected[i].verdict.split(':')[0]}'s`)
    }
  })

  test('a verdict a block carried out in a dim is put first where a later stage consumes it', async () => {
    // TypeScript's message names it only inside `InvalidDim<"…">` (no ⛔ marker in the chain).
    const shown = await diagnostics('unconsumed.ts')
    const consumed = compilerDiagnostics('unconsumed.ts').filter((d) => d.code !== 61001)
    expect(consumed.length).toBeGreaterThanOrEqual(4)
    for (const d of consumed) {
      const line = ts.getLineAndCharacterOfPosition(d.file!, d.start!).line + 1
      const marked = read('unconsumed.ts').split('\n')[line - 1].match(/\/\/ error: (.*)$/)?.[1]
      expect(marked).toBeDefined()
      const ours = shown.find((x) => x.start.line === line && x.code === d.code)
      expect(ours?.text.split('\n')[0]).toBe(`⛔ ${marked}`)
    }
  })

  test('errors without a verdict are left as TypeScript wrote them', async () => {
    const own = compilerDiagnostics('noflatten.ts')
    const shown = await diagnostics('noflatten.ts')
    expect(shown).toHaveLength(own.length)
    for (const [i, d] of own.entries()) {
      const verdict = verdictIn(d)
      if (verdict === undefined) expect(shown[i].text).toBe(ts.flattenDiagnosticMessageText(d.messageText, '\n'))
      else expect(shown[i].text.split('\n')[0]).toBe(`⛔ ${verdict}`)
    }
  })

  test('files without errors have none (the plugin adds nothing)', async () => {
    expect(await diagnostics('alexnet.ts')).toEqual([])
    expect(await diagnostics('resnet.ts')).toEqual([])
    expect(await diagnostics('generic.ts')).toEqual([])
  })
})

/** The lines of a fixture file marked `// <kind>: <verdict>`, with the verdict. */
function marked(name: string, kind: 'unconsumed' | 'error'): [number, string][] {
  return read(name)
    .split('\n')
    .flatMap((line, i): [number, string][] => {
      const m = new RegExp(`^(?!\\s*//).*// ${kind}: (.+)$`).exec(line)
      return m === null ? [] : [[i + 1, m[1]]]
    })
}

describe('a verdict carried out of a block that nothing checks', () => {
  const ours = (ds: Diagnostic[]) => ds.filter((d) => d.code === unconsumedVerdictCode)

  test('each tensor that carries one and reaches no check is an error at the stage or call that made it, once', async () => {
    const shown = ours(await diagnostics('unconsumed.ts'))
    const expected = marked('unconsumed.ts', 'unconsumed')
    expect(expected.length).toBeGreaterThanOrEqual(12)
    expect(shown.map((d) => [d.start.line, d.text.split('\n')[0]])).toEqual(expected.map(([line, verdict]) => [line, `⛔ ${verdict}`]))
  })

  test('where TypeScript reports it (the next layer, graphOf, an annotated const, a use in another file), nothing is added', async () => {
    const shown = await diagnostics('unconsumed.ts')
    const own = compilerDiagnostics('unconsumed.ts')
    // every error the plugin shows besides its own is TypeScript's, on the lines marked `// error:`
    expect(shown.filter((d) => d.code !== unconsumedVerdictCode)).toHaveLength(own.length)
    const errorLines = marked('unconsumed.ts', 'error').map(([line]) => line)
    expect(errorLines.length).toBeGreaterThanOrEqual(4)
    expect(own.map((d) => d.file!.getLineAndCharacterOfPosition(d.start!).line + 1)).toEqual(errorLines)
    for (const [line, verdict] of marked('unconsumed.ts', 'error')) {
      // TypeScript's message names the verdict (in the ⛔ dim's type) on that line
      expect(own.some((d) => d.file!.getLineAndCharacterOfPosition(d.start!).line + 1 === line && ts.flattenDiagnosticMessageText(d.messageText, '\n').includes(verdict))).toBe(true)
    }
    // `exported` is consumed by unconsumedUse.ts, where TypeScript reports it
    const use = await diagnostics('unconsumedUse.ts')
    expect(ours(use)).toEqual([])
    expect(use.map((d) => d.start.line)).toEqual(marked('unconsumedUse.ts', 'error').map(([line]) => line))
  })

  test('the message: the verdict, the shapes up to the block, where the tensor ends; related: the check inside the block, the end', async () => {
    const text = read('unconsumed.ts')
    const [headWrong] = ours(await diagnostics('unconsumed.ts'))
    expect(text.slice(offsetOf(text, headWrong.start), offsetOf(text, headWrong.end))).toBe('head')
    const lines = headWrong.text.split('\n')
    expect(lines[0]).toBe('⛔ linear: expected 256 input features, got 400')
    expect(lines[1]).toBe('  shapes (stage 1 of pipe): input → [N, 16, 5, 5] → head → [⛔, 10]')
    expect(lines[2]).toMatch(/^ {2}head cannot decide this check inside itself .* this one ends in const headWrong, which is never used\.$/)
    expect(headWrong.relatedInformation?.map((r) => [r.span.start.line, r.message])).toEqual([
      [12, 'the check is this linear inside head, decided where head is applied'],
      [14, 'the tensor ends here without a shape check: const headWrong, which is never used'],
    ])
    const check = headWrong.relatedInformation![0].span.start
    expect(text.slice(offsetOf(text, check)).startsWith('linear({ in: 256, out: 20 })')).toBe(true)
    // a call is marked as a whole, and the check inside the block is the one layer the verdict names
    const called = ours(await diagnostics('unconsumed.ts')).find((d) => d.text.includes('const called'))!
    expect(text.slice(offsetOf(text, called.start), offsetOf(text, called.end))).toBe('block(input([N, 32, 8, 8]))')
    expect(called.text.split('\n')[1]).toBe('  shapes: input [N, 32, 8, 8] → block → [⛔, 64, 6, 6]')
    const inside = called.relatedInformation![0]
    expect(text.split('\n')[inside.span.start.line - 1]).toContain('conv2d({ in: 64, out: 64, kernel: 3 })')
    expect(inside.message).toBe('the check is this conv2d inside block, decided where block is applied')
  })

  test('a later use that checks the tensor takes the error over (the file is edited, as in an editor)', async () => {
    const name = file('unconsumed.ts')
    const lines = read('unconsumed.ts').split('\n')
    const line = lines.length
    const edit = (insertString: string, endOffset = 1) =>
      server.request('change', { file: name, line, offset: 1, endLine: line, endOffset, insertString })
    const appended = 'export const usedLater = relu(headWrong)\n'
    await edit(appended)
    try {
      const shown = await diagnostics('unconsumed.ts')
      expect(ours(shown).map((d) => d.start.line)).not.toContain(14)
      expect(ours(shown)).toHaveLength(marked('unconsumed.ts', 'unconsumed').length - 1)
      const usedLater = shown.filter((d) => d.start.line === line)
      expect(usedLater.map((d) => d.code)).toEqual([2345])
      expect(usedLater[0].text).toContain('linear: expected 256 input features, got 400')
    } finally {
      await server.request('change', { file: name, line, offset: 1, endLine: line + 1, endOffset: 1, insertString: '' })
    }
    expect(ours(await diagnostics('unconsumed.ts'))).toHaveLength(marked('unconsumed.ts', 'unconsumed').length)
  })

  test('correct programs, generic blocks and blocks not yet applied give none', async () => {
    for (const name of ['alexnet.ts', 'resnet.ts', 'generic.ts', 'mistakes.ts', 'noflatten.ts']) expect(ours(await diagnostics(name))).toEqual([])
  })

  test('"unconsumed": "off" leaves TypeScript\'s silence (configurePlugin)', async () => {
    const pluginName = 'shapesafe/ts-plugin'
    try {
      await server.request('configurePlugin', { pluginName, configuration: { unconsumed: 'off' } })
      expect(ours(await diagnostics('unconsumed.ts'))).toEqual([])
      await server.request('configurePlugin', { pluginName, configuration: { unconsumed: 'error', diagnostics: 'original' } })
      expect(ours(await diagnostics('unconsumed.ts'))).toHaveLength(marked('unconsumed.ts', 'unconsumed').length)
    } finally {
      await server.request('configurePlugin', { pluginName, configuration: {} })
    }
  })

  test("an independent trial's mistakes: exactly the ones it marks as silent under tsc are reported", () => {
    // type-tests/negative/{battery,trial}.ts were written apart from this check; the cases tsc passes silently because
    // the block is the last stage are marked there by a comment ("SILENT when … the last stage") before the pipe.
    const parsed = ts.getParsedCommandLineOfConfigFile(path.join(root, 'type-tests', 'tsconfig.json'), {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => {} })!
    const names = ['battery.ts', 'trial.ts'].map((n) => path.join(root, 'type-tests', 'negative', n))
    const program = ts.createProgram({ rootNames: names, options: parsed.options })
    for (const name of names) {
      const sourceFile = program.getSourceFile(name)!
      const text = sourceFile.text.split('\n')
      const found = unconsumedVerdicts(ts, program, sourceFile).map((d) => sourceFile.getLineAndCharacterOfPosition(d.start!).line + 1)
      const silent = text.flatMap((l, i) => (/^\/\/.*\bsilent\b.*\b(last|never consumed)\b/i.test(l) ? [text.findIndex((t, j) => j > i && /= pipe\(/.test(t)) + 1] : []))
      expect(found.length).toBeGreaterThan(0)
      expect(found).toEqual(silent)
    }
  }, 120_000)
})

describe('quick fixes produce code that compiles', () => {
  async function fixesFor(name: string, d: Diagnostic): Promise<Fix[]> {
    const all = (await server.request('getCodeFixes', {
      file: file(name),
      startLine: d.start.line,
      startOffset: d.start.offset,
      endLine: d.end.line,
      endOffset: d.end.offset,
      errorCodes: [d.code],
    })) as Fix[]
    return all.filter((f) => f.fixName.startsWith('shapesafe'))
  }

  /** Applies a fix and returns the compiler's diagnostics of the fixed file that lie on the lines of `d`'s statement. */
  function afterFix(name: string, fix: Fix): ts.Diagnostic[] {
    const fixed = applyChanges(read(name), fix.changes.flatMap((c) => c.textChanges))
    return compilerDiagnostics(name, fixed)
  }

  test('set in / features to the incoming size: each fixed statement compiles, the others keep their errors', async () => {
    const shown = await diagnostics('mistakes.ts')
    const before = compilerDiagnostics('mistakes.ts').length
    const expected = new Map([
      ['linear', 'Set in to 1600 (the incoming size)'],
      ['batchNorm2d', 'Set features to 32 (the incoming size)'],
      ['conv2d', 'Set in to 1 (the incoming size)'],
    ])
    for (const [layer, description] of expected) {
      const d = shown.find((s) => s.text.startsWith(`⛔ ${layer}:`))!
      const fixes = await fixesFor('mistakes.ts', d)
      expect(fixes.map((f) => f.description)).toEqual([description])
      const after = afterFix('mistakes.ts', fixes[0])
      expect(after).toHaveLength(before - 1)
      expect(after.map((a) => a.file!.getLineAndCharacterOfPosition(a.start!).line + 1)).not.toContain(d.start.line)
    }
    const add = shown.find((s) => s.text.startsWith('⛔ add'))!
    expect(await fixesFor('mistakes.ts', add)).toEqual([]) // which operand is wrong is not certain
  })

  test('insert flatten before a linear that receives a 4-D tensor (and import it)', async () => {
    const [d] = await diagnostics('noflatten.ts')
    const fixes = await fixesFor('noflatten.ts', d)
    expect(fixes.map((f) => f.description)).toEqual(['Insert flatten before linear'])
    const fixed = applyChanges(read('noflatten.ts'), fixes[0].changes.flatMap((c) => c.textChanges))
    expect(fixed).toContain('flatten, linear({ in: 2304, out: 10 })')
    expect(fixed).toMatch(/import \{[^}]*\bflatten\b[^}]*\} from 'shapesafe'/)
    expect(compilerDiagnostics('noflatten.ts', fixed)).toEqual([])
  })
})

describe('shapesafe check', () => {
  test('prints the verdict first and exits 1 on errors', async () => {
    const io = memoryIo()
    expect(await checkCommand(['-p', file('tsconfig.json')], io)).toBe(1)
    const out = io.out()
    expect(out).toMatch(/mistakes\.ts\(15,3\): error TS2345: ⛔ linear: expected 2304 input features, got 1600\n {2}shapes \(stage 8 of pipe\): … .* flatten → \[N, 1600\] → linear\n/)
    const total = ['mistakes.ts', 'noflatten.ts', 'unconsumed.ts', 'unconsumedUse.ts', 'inline.ts'].reduce((n, f) => n + compilerDiagnostics(f).length, 0)
    const unconsumed = marked('unconsumed.ts', 'unconsumed')
    expect(out).toContain(`Found ${total + unconsumed.length} errors (TypeScript 5.9.`)
    // the plugin's own check too, as the editor shows it
    const [line, verdict] = unconsumed[0]
    expect(out).toMatch(new RegExp(`unconsumed\\.ts\\(${line},\\d+\\): error TS${unconsumedVerdictCode}: ⛔ ${verdict}\n {2}shapes \\(stage 1 of pipe\\): input → \\[N, 16, 5, 5\\] → head → \\[⛔, 10\\]\n`))
    expect(out.match(/error TS61001/g)).toHaveLength(unconsumed.length)
  })

  test('--json lists each error with its verdict and trace', async () => {
    const io = memoryIo()
    expect(await checkCommand(['--project', fixtureDir, '--json'], io)).toBe(1)
    const report = JSON.parse(io.out()) as { errors: number; diagnostics: { file: string; line: number; verdict?: string; trace?: { stage: string; shape: string | null }[] }[] }
    expect(report.errors).toBe(report.diagnostics.length)
    expect(report.diagnostics.filter((d) => d.verdict !== undefined && d.file.endsWith('unconsumed.ts') && d.line === marked('unconsumed.ts', 'unconsumed')[0][0]).map((d) => d.verdict)).toEqual([
      marked('unconsumed.ts', 'unconsumed')[0][1],
    ])
    const linear = report.diagnostics.find((d) => d.verdict?.startsWith('linear'))
    expect(linear?.line).toBe(15)
    expect(linear?.trace?.slice(-2)).toEqual([
      { stage: 'flatten', shape: '[N, 1600]' },
      { stage: 'linear', shape: null },
    ])
  })

  test('with TypeScript 7 (its unstable/sync API): the same verdicts first, at the same places, exit 1', async () => {
    const io5 = memoryIo()
    await checkCommand(['-p', fixtureDir, '--json'], io5)
    const io7 = memoryIo()
    expect(await checkCommand(['-p', fixtureDir, '--json', '--typescript', 'typescript7'], io7)).toBe(1)
    type Report = { typescript: string; diagnostics: { file: string; line: number; column: number; code: number; verdict?: string; message: string }[] }
    const [r5, r7] = [JSON.parse(io5.out()) as Report, JSON.parse(io7.out()) as Report & { notChecked: string[] }]
    expect(r7.typescript).toMatch(/^7\./)
    const where = (r: Report) => r.diagnostics.map((d) => [d.file, d.line, d.column, d.code, d.verdict ?? null])
    // TypeScript's own errors, at the same places; the check of carried verdicts needs TypeScript 5, and says so
    // (an inline residual/parallel that fails is moved to its own stage with TypeScript 5; TypeScript 7's stays where
    // TypeScript reports it, on the stage before)
    const inline = (d: Report['diagnostics'][number]) => d.file.endsWith('inline.ts')
    expect(where({ ...r7, diagnostics: r7.diagnostics.filter((d) => !inline(d)) })).toEqual(
      where({ ...r5, diagnostics: r5.diagnostics.filter((d) => d.code !== unconsumedVerdictCode && !inline(d)) }),
    )
    expect(r7.diagnostics.filter(inline).map((d) => [d.line + 1, d.verdict])).toEqual(r5.diagnostics.filter(inline).map((d) => [d.line, d.verdict]))
    expect(r7.notChecked).toEqual([expect.stringContaining(`(error ${unconsumedVerdictCode})`)])
    expect(r7.notChecked[0]).toContain('TypeScript 5')
    for (const d of r7.diagnostics.filter((x) => x.verdict !== undefined)) expect(d.message.split('\n')[0]).toBe(`⛔ ${d.verdict}`)
    const text = memoryIo()
    await checkCommand(['-p', fixtureDir, '--typescript', 'typescript7'], text)
    expect(text.out()).toMatch(/mistakes\.ts\(15,3\): error TS2345: ⛔ linear: expected 2304 input features, got 1600\n/)
    expect(text.out()).not.toContain(`TS${unconsumedVerdictCode}`)
    expect(text.err()).toMatch(/^shapesafe check: not checked with TypeScript 7\.[^:]*: tensors that carry a verdict out of a block .* run shapesafe check with TypeScript 5 for it\.\n$/)
    // also on a project without errors, where nothing else is printed
    const clean = memoryIo()
    expect(await checkCommand(['-p', file('tsconfig.clean.json'), '--typescript', 'typescript7'], clean)).toBe(0)
    expect(clean.out()).toBe('')
    expect(clean.err()).toContain('not checked with TypeScript 7')
  })

  test("a project whose only error is a verdict nothing checks: exit 1 with TypeScript 5; TypeScript 7 says it cannot tell", async () => {
    const dir = fs.mkdtempSync(path.join(fixtureDir, 'check-'))
    try {
      fs.writeFileSync(path.join(dir, 'tsconfig.json'), JSON.stringify({ extends: '../tsconfig.json', include: ['*.ts'] }))
      fs.writeFileSync(
        path.join(dir, 'net.ts'),
        [
          "import { pipe } from 'fp-ts/lib/function.js'",
          "import { conv2d, input, N, type Shape4, type Tensor } from 'shapesafe'",
          'const block = <S extends Shape4>(x: Tensor<S>) => pipe(x, conv2d({ in: 64, out: 64, kernel: 3 }))',
          'export const y = pipe(input([N, 32, 8, 8]), block)',
          '',
        ].join('\n'),
      )
      // plain tsc passes it
      const parsed = ts.getParsedCommandLineOfConfigFile(path.join(dir, 'tsconfig.json'), {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => {} })!
      expect(ts.getPreEmitDiagnostics(ts.createProgram({ rootNames: parsed.fileNames, options: parsed.options }))).toEqual([])
      const io = memoryIo()
      expect(await checkCommand(['-p', dir], io)).toBe(1)
      expect(io.out()).toMatch(new RegExp(`net\\.ts\\(4,45\\): error TS${unconsumedVerdictCode}: ⛔ conv2d: expected 64 input channels, got 32\n`))
      expect(io.out()).toContain('Found 1 error (TypeScript 5.9.')
      const io7 = memoryIo()
      expect(await checkCommand(['-p', dir, '--typescript', 'typescript7'], io7)).toBe(0)
      expect(io7.out()).toBe('')
      expect(io7.err()).toContain(`not checked with TypeScript 7`)
    } finally {
      fs.rmSync(dir, { recursive: true, force: true })
    }
  })

  test('exits 0 on a project without errors, 2 without a tsconfig', async () => {
    const io = memoryIo()
    expect(await checkCommand(['-p', file('tsconfig.clean.json')], io)).toBe(0)
    expect(io.out()).toBe('')
    const missing = memoryIo()
    expect(await checkCommand(['-p', file('nope.json')], missing)).toBe(2)
    expect(missing.err()).toContain('nope.json')
  })
})

describe('reading verdicts and options (independent of wording)', () => {
  const chain = (messageText: string, ...next: ts.DiagnosticMessageChain[]): ts.DiagnosticMessageChain => ({ messageText, category: 1, code: 2345, next })

  test('the verdict is found anywhere in the chain, in single or double quotes, or not at all', () => {
    expect(findVerdict(chain('Argument …', chain('Types …', chain(`Property '"⛔ pool: window 3 exceeds 2"' is missing`))))).toBe('pool: window 3 exceeds 2')
    expect(findVerdict(`Type 'X' has no property '⛔ concat: H differs (28 vs 14)'`)).toBe('concat: H differs (28 vs 14)')
    expect(findVerdict(chain('No overload matches this call.', chain('Overload 1 …'), chain(`'"⛔ add: a vs b"'`)))).toBe('add: a vs b')
    expect(findVerdict(chain('Source has 4 element(s) but target allows only 2.'))).toBeUndefined()
  })

  test('a long trace keeps its last stages', () => {
    const step = (label: string, text?: string) => ({ label, shape: text === undefined ? undefined : { text, dims: undefined }, node: undefined as never })
    const trace = [step('input', '[N, 1]'), step('a', '[N, 2]'), step('b', '[N, 3]'), step('c', '[N, 4]'), step('d', '[N, 5]'), step('e')]
    expect(formatTrace(trace)).toBe('… a → [N, 2] → b → [N, 3] → c → [N, 4] → d → [N, 5] → e')
    expect(formatTrace(trace.slice(3))).toBe('c → [N, 4] → d → [N, 5] → e')
  })

  test('options: defaults, values, and unknown values ignored', () => {
    expect(readOptions(undefined)).toEqual({ hints: 'stages', diagnostics: 'verdictFirst', unconsumed: 'error' })
    expect(readOptions({ hints: 'all', diagnostics: 'original', unconsumed: 'off' })).toEqual({ hints: 'all', diagnostics: 'original', unconsumed: 'off' })
    expect(readOptions({ hints: false, unconsumed: false })).toEqual({ hints: 'off', diagnostics: 'verdictFirst', unconsumed: 'off' })
    expect(readOptions({ hints: 'sometimes', unconsumed: 'warning' })).toEqual({ hints: 'stages', diagnostics: 'verdictFirst', unconsumed: 'error' })
  })
})
