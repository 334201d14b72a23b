/**
 * Property test of the window rule: 160 seeded random chains of 2–4 conv/pool layers (kernel, stride, padding,
 * dilation, ceil mode, inputs down to 1×1; tests/fixtures/window-cases.json, made by scripts/make-window-cases.py
 * with PyTorch as the oracle). For every chain, in one TypeScript program (compiler API, the built library):
 * - on a concrete input the type is PyTorch's output size, or, when a window does not fit, the first error is at
 *   that layer's line with the verdict;
 * - on named dims `H`, `W` the type is the symbolic normal form ⌊(H + a)/s⌋ + 1 with PyTorch's (a, s) (the script
 *   checks that form against PyTorch at every H from 1 to 59 where the chain is valid);
 * - the runtime trace gives the same shape, or throws a ShapeError; on named dims it never throws (the types accept
 *   every chain there) and gives the derived dims with PyTorch's (a, s) and the very names of their types.
 */
import { readFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import ts from 'typescript'
import { describe, expect, test } from 'vitest'
import { avgPool2d, conv2d, dim, input, maxPool2d, N, ShapeError, type Named, type Sym, type Tensor } from '../dist/index.js'

interface Layer {
  readonly kind: 'conv2d' | 'maxPool2d' | 'avgPool2d'
  readonly kernel: number
  readonly stride: number
  readonly padding: number
  readonly dilation?: number
  readonly ceilMode?: boolean
}
interface Case {
  readonly layers: readonly Layer[]
  readonly input: readonly [number, number]
  readonly output: readonly [number, number] | null
  readonly failedAt: number | null
  readonly form: readonly [number, number]
}

const root = resolve(import.meta.dirname, '..')
const { cases } = JSON.parse(readFileSync(join(root, 'tests', 'fixtures', 'window-cases.json'), 'utf8')) as { cases: Case[] }

const source = (l: Layer) =>
  l.kind === 'conv2d'
    ? `conv2d({ out: 3, kernel: ${l.kernel}, stride: ${l.stride}, padding: ${l.padding}, dilation: ${l.dilation} })`
    : `${l.kind}({ kernel: ${l.kernel}, stride: ${l.stride}, padding: ${l.padding}, ceilMode: ${l.ceilMode} })`
const channels = (c: Case) => (c.layers.some((l) => l.kind === 'conv2d') ? 3 : 2)
const make = (l: Layer) =>
  l.kind === 'conv2d'
    ? conv2d({ out: 3, kernel: l.kernel, stride: l.stride, padding: l.padding, dilation: l.dilation })
    : (l.kind === 'maxPool2d' ? maxPool2d : avgPool2d)({ kernel: l.kernel, stride: l.stride, padding: l.padding, ceilMode: l.ceilMode })
const trace = (c: Case, h: number | Named, w: number | Named) =>
  c.layers.reduce<Tensor>((x, l) => (make(l) as unknown as (t: Tensor) => Tensor)(x), input([N, 2, h, w]))
/** The runtime trace over named dims H, W: its derived dims name the types below (`Sym<'⌈H/2⌉', 'H', -1, 2>`). */
const tracedNamed = cases.map((c) => trace(c, dim('H'), dim('W')).shape as readonly (number | Named)[])
const symbolic = (i: number, axis: 2 | 3, base: string, [a, s]: readonly [number, number]) =>
  a === -1 && s === 1 ? base : `Sym<'${(tracedNamed[i][axis] as Named).dimName}', '${base}', ${a}, ${s}>`

/** The generated program, and for each case the line of each of its layers (1-based). */
function program(): { text: string; layerLines: number[][] } {
  const lines = [
    "import { pipe } from 'fp-ts/lib/function.js'",
    "import { avgPool2d, conv2d, dim, input, maxPool2d, N, type Named, type Sym, type Tensor } from 'shapesafe'",
    "interface H extends Named<'H'> {}",
    "const H = dim<H>('H')",
    "interface W extends Named<'W'> {}",
    "const W = dim<W>('W')",
  ]
  const layerLines: number[][] = []
  cases.forEach((c, i) => {
    lines.push(`export const c${i} = pipe(`, `  input([N, 2, ${c.input[0]}, ${c.input[1]}]),`)
    layerLines.push(c.layers.map((l) => (lines.push(`  ${source(l)},`), lines.length)))
    lines.push(')')
    if (c.output !== null) lines.push(`export const c${i}Shape: Tensor<[N, ${channels(c)}, ${c.output[0]}, ${c.output[1]}]> = c${i}`)
    lines.push(`export const s${i}: Tensor<[N, ${channels(c)}, ${symbolic(i, 2, 'H', c.form)}, ${symbolic(i, 3, 'W', c.form)}]> = pipe(input([N, 2, H, W]), ${c.layers.map(source).join(', ')})`)
  })
  return { text: lines.join('\n') + '\n', layerLines }
}

describe('window rule: types, symbolic normal form and runtime trace agree with PyTorch', () => {
  test('the fixture has valid and invalid chains', () => {
    expect(cases.length).toBeGreaterThanOrEqual(150)
    expect(cases.filter((c) => c.output === null).length).toBeGreaterThan(20)
    expect(cases.filter((c) => c.output !== null).length).toBeGreaterThan(50)
  })

  test('compile-time sizes and verdicts (TypeScript 5.9, one program)', () => {
    const { text, layerLines } = program()
    const file = join(root, 'type-tests', 'window-cases.generated.ts')
    const parsed = ts.getParsedCommandLineOfConfigFile(join(root, 'type-tests', 'tsconfig.json'), {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => {} })
    if (parsed === undefined) throw new Error('cannot read type-tests/tsconfig.json')
    const host = ts.createCompilerHost(parsed.options)
    const readFile = host.readFile.bind(host)
    host.readFile = (f) => (resolve(f) === file ? text : readFile(f))
    const fileExists = host.fileExists.bind(host)
    host.fileExists = (f) => resolve(f) === file || fileExists(f)
    const prog = ts.createProgram([file], parsed.options, host)
    const sf = prog.getSourceFile(file)!
    const errors = prog.getSemanticDiagnostics(sf).map((d) => ({
      line: sf.getLineAndCharacterOfPosition(d.start ?? 0).line + 1,
      message: ts.flattenDiagnosticMessageText(d.messageText, '\n'),
    }))
    const problems: string[] = []
    cases.forEach((c, i) => {
      const lines = layerLines[i]
      const first = lines[0] - 2
      const last = lines[lines.length - 1] + 3
      const mine = errors.filter((e) => e.line >= first && e.line <= last).sort((x, y) => x.line - y.line)
      if (c.failedAt === null) {
        if (mine.length > 0) problems.push(`case ${i}: unexpected ${JSON.stringify(mine)}`)
      } else {
        const at = lines[c.failedAt]
        const firstError = mine[0]
        if (firstError === undefined || firstError.line !== at || !firstError.message.includes('kernel larger than padded input')) {
          problems.push(`case ${i}: expected the verdict at layer ${c.failedAt} (line ${at}), got ${JSON.stringify(mine.slice(0, 2))}`)
        }
      }
    })
    expect(problems).toEqual([])
  }, 300_000)

  test('the runtime trace gives the same shapes and throws where the types reject', () => {
    for (const c of cases) {
      const run = () => trace(c, c.input[0], c.input[1])
      if (c.output === null) expect(run).toThrow(ShapeError)
      else expect(run().shape).toEqual([N, channels(c), c.output[0], c.output[1]])
    }
  })

  test('on named dims the runtime trace never throws and gives the normal form (a, s) of PyTorch, as the types do', () => {
    cases.forEach((c, i) => {
      const [, , h, w] = tracedNamed[i]
      const form = (d: number | Named) => (d as Partial<Sym>).form ?? [(d as Named).dimName, -1, 1]
      expect([form(h), form(w)]).toEqual([
        ['H', ...c.form],
        ['W', ...c.form],
      ])
    })
  })
})
