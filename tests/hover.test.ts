/**
 * Editor hovers show concrete shapes: the TypeScript language service's quick info for the intermediate values of
 * type-tests/hover/alexnet.ts (the seed's AlexNet and a residual block) is a literal `Tensor<[N, 96, 54, 54]>`, not a
 * formula. Inside generic blocks (type-tests/hover/generic.ts) each window's size reads as its formula
 * (`Size<S[2], "⌈H/2⌉">`), under TypeScript 5.9 and 7. The fixtures import the built library (`shapesafe` →
 * dist/index.d.ts): run `npm run build` first.
 */
import { existsSync, readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { join, resolve } from 'node:path'
import { pathToFileURL } from 'node:url'
import ts from 'typescript'
import { beforeAll, describe, expect, test } from 'vitest'

const root = resolve(import.meta.dirname, '..')
const fixture = join(root, 'type-tests', 'hover', 'alexnet.ts')
const genericFixture = join(root, 'type-tests', 'hover', 'generic.ts')
const tsconfigPath = join(root, 'type-tests', 'tsconfig.json')

let service: ts.LanguageService

/** The hover text over the declaration `export const <name> =` in a fixture. */
function hover(name: string, file = fixture): string {
  const text = readFileSync(file, 'utf8')
  const at = text.indexOf(`export const ${name} =`)
  if (at < 0) throw new Error(`no declaration of ${name} in ${file}`)
  const info = service.getQuickInfoAtPosition(file, at + 'export const '.length)
  if (info === undefined) throw new Error(`no quick info for ${name}`)
  return ts.displayPartsToString(info.displayParts)
}

beforeAll(() => {
  if (!existsSync(join(root, 'dist', 'index.d.ts'))) throw new Error('dist/index.d.ts is missing: run `npm run build` first')
  const parsed = ts.getParsedCommandLineOfConfigFile(tsconfigPath, {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => {} })
  if (parsed === undefined) throw new Error(`cannot read ${tsconfigPath}`)
  const host: ts.LanguageServiceHost = {
    getScriptFileNames: () => [fixture, genericFixture],
    getScriptVersion: () => '1',
    getScriptSnapshot: (f) => (ts.sys.fileExists(f) ? ts.ScriptSnapshot.fromString(ts.sys.readFile(f) ?? '') : undefined),
    getCurrentDirectory: () => root,
    getCompilationSettings: () => parsed.options,
    getDefaultLibFileName: (o) => ts.getDefaultLibFilePath(o),
    fileExists: ts.sys.fileExists,
    readFile: ts.sys.readFile,
    readDirectory: ts.sys.readDirectory,
    directoryExists: ts.sys.directoryExists,
    getDirectories: ts.sys.getDirectories,
  }
  service = ts.createLanguageService(host, ts.createDocumentRegistry())
})

describe('hovering a traced tensor shows its concrete shape', () => {
  test.each([
    ['x', 'Tensor<[N, 1, 224, 224]>'],
    ['conv1', 'Tensor<[N, 96, 54, 54]>'],
    ['pool1', 'Tensor<[N, 96, 26, 26]>'],
    ['conv2', 'Tensor<[N, 256, 26, 26]>'],
    ['pool2', 'Tensor<[N, 256, 12, 12]>'],
    ['conv5', 'Tensor<[N, 256, 12, 12]>'],
    ['pool5', 'Tensor<[N, 256, 5, 5]>'],
    ['features', 'Tensor<[N, 6400]>'],
    ['hidden', 'Tensor<[N, 4096]>'],
    ['logits', 'Tensor<[N, 10]>'],
    ['mainPath', 'Tensor<[N, 128, 28, 28]>'],
    ['shortcut', 'Tensor<[N, 128, 28, 28]>'],
    ['block', 'Tensor<[N, 128, 28, 28]>'],
    ['identityBlock', 'Tensor<[N, 128, 28, 28]>'],
    ['lenetConv', 'Tensor<[N, 6, 28, 28]>'],
    ['kernelOf3', 'Tensor<[N, 8, 26, 26]>'],
  ])('%s: %s', (name, shape) => {
    const shown = hover(name)
    expect(shown).toBe(`const ${name}: ${shape}`)
  })

  test('the fixture has no type errors', () => {
    const diagnostics = [...service.getSyntacticDiagnostics(fixture), ...service.getSemanticDiagnostics(fixture)]
    expect(diagnostics.map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'))).toEqual([])
  })
})

/** Blocks inside generic code: each window's output is `Size<input, "formula">`, the formula over that input. */
const blocks: [string, string][] = [
  ['down', '<S extends Shape4>(x: Tensor<S>) => Tensor<[S[0], 8, Size<Size<S[2], "⌈H/2⌉">, "⌊H/2⌋ (maxPool2d needs H ≥ 2)">, Size<Size<S[3], "⌈W/2⌉">, "⌊W/2⌋ (maxPool2d needs W ≥ 2)">]>'],
  ['ceilPool', '<S extends Shape4>(x: Tensor<S>) => Tensor<[S[0], S[1], Size<S[2], "⌊H/2⌋ (maxPool2d needs H ≥ 2)">, Size<S[3], "⌊W/2⌋ (maxPool2d needs W ≥ 2)">]>'],
  ['keep', '<S extends Shape4>(x: Tensor<S>) => Tensor<[S[0], 8, S[2], S[3]]>'],
  ['resnetD', '<S extends Shape4>(x: Tensor<S>) => Tensor<[S[0], 8, Size<S[2], "⌈H/2⌉">, Size<S[3], "⌈W/2⌉">]>'],
  [
    'nested',
    '<S extends Shape4>(x: Tensor<S>) => Tensor<[S[0], 8, Size<Size<Size<Size<S[2], "⌈H/2⌉">, "⌊H/2⌋ (maxPool2d needs H ≥ 2)">, "⌈H/2⌉">, "⌊H/2⌋ (maxPool2d needs H ≥ 2)">, Size<Size<Size<Size<S[3], "⌈W/2⌉">, "⌊W/2⌋ (maxPool2d needs W ≥ 2)">, "⌈W/2⌉">, "⌊W/2⌋ (maxPool2d needs W ≥ 2)">]>',
  ],
  ['valid', '<S extends Shape4>(x: Tensor<S>) => Tensor<[S[0], 8, Size<S[2], "H−2 (conv2d needs H ≥ 3)">, Size<S[3], "W−2 (conv2d needs W ≥ 3)">]>'],
  ['projection', '<S extends Shape4>(x: Tensor<S>) => Tensor<[S[0], 16, Size<S[2], "⌈H/2⌉">, Size<S[3], "⌈W/2⌉">]>'],
]

/** The same blocks applied: the same block at two sizes, pipe vs flow, ceil mode, stride 1, ResNet-D, nested, named dims. */
const applied: [string, string][] = [
  ['at32', 'Tensor<[N, 8, 8, 8]>'],
  ['at64', 'Tensor<[N, 8, 16, 16]>'],
  ['flowAt32', 'Tensor<[N, 8, 8, 8]>'],
  ['ceilAt7', 'Tensor<[N, 3, 3, 4]>'],
  ['keepAt9', 'Tensor<[N, 8, 9, 9]>'],
  ['resnetDAt7', 'Tensor<[N, 8, 4, 4]>'],
  ['nestedAt64', 'Tensor<[N, 8, 4, 4]>'],
  ['named', 'Tensor<[N, 8, Sym<"⌊(H+1)/4⌋", "H", -3, 4>, Sym<"⌊(W+1)/4⌋", "W", -3, 4>]>'],
  ['namedFlow', 'Tensor<[N, 8, Sym<"⌊(H+1)/4⌋", "H", -3, 4>, Sym<"⌊(W+1)/4⌋", "W", -3, 4>]>'],
]

describe('hovering inside generic blocks shows formulas, and their uses show sizes (TypeScript 5.9)', () => {
  test.each([...blocks, ...applied])('%s: %s', (name, type) => {
    expect(hover(name, genericFixture)).toBe(`const ${name}: ${type}`)
  })

  test('the fixture has no type errors', () => {
    const diagnostics = [...service.getSyntacticDiagnostics(genericFixture), ...service.getSemanticDiagnostics(genericFixture)]
    expect(diagnostics.map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'))).toEqual([])
  })
})

/**
 * TypeScript 7 loads no language service into Node; its `unstable/sync` API (the one `shapesafe check` uses) gives
 * the checker's `typeToString` of each declaration, which is what its editor prints. It qualifies a type the
 * fixture does not import (`import("…/window").Size`); that qualification is dropped before comparing.
 */
describe('TypeScript 7 prints the same types', () => {
  test('every block and use', async () => {
    const require = createRequire(import.meta.url)
    const { API } = (await import(pathToFileURL(require.resolve('typescript7/unstable/sync')).href)) as Ts7Api
    const api = new API({ cwd: root })
    try {
      const project = api.updateSnapshot({ openProject: tsconfigPath }).getProjects()[0]
      const text = readFileSync(genericFixture, 'utf8')
      const printed = [...blocks, ...applied].map(([name]) => {
        const symbol = project.checker.getSymbolAtPosition(genericFixture, text.indexOf(`export const ${name} =`) + 'export const '.length)
        const type = symbol === undefined ? undefined : project.checker.getTypeOfSymbol(symbol)
        const shown = type === undefined ? '(no type)' : project.checker.typeToString(type, undefined, 1 /* NoTruncation */)
        return [name, shown.replace(/import\("[^"]*"\)\./g, '')]
      })
      expect(printed).toEqual([...blocks, ...applied])
    } finally {
      api.close()
    }
  })
})

/** The part of TypeScript 7's `unstable/sync` API this test uses. */
interface Ts7Api {
  API: new (options: { cwd: string }) => {
    updateSnapshot(params: { openProject: string }): {
      getProjects(): readonly {
        checker: {
          getSymbolAtPosition(file: string, position: number): object | undefined
          getTypeOfSymbol(symbol: object): object | undefined
          typeToString(type: object, enclosing?: undefined, flags?: number): string
        }
      }[]
    }
    close(): void
  }
}
