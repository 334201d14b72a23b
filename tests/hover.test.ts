/**
 * Editor hovers show concrete shapes: the TypeScript language service's quick info for the intermediate values of
 * type-tests/hover/alexnet.ts (the seed's AlexNet and a residual block) is a literal `Tensor<[N, 96, 54, 54]>`, not a
 * formula. The fixture imports the built library (`shapesafe` → dist/index.d.ts): run `npm run build` first.
 */
import { existsSync, readFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
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
  ])('%s: %s', (name, shape) => {
    const shown = hover(name)
    expect(shown).toBe(`const ${name}: ${shape}`)
  })

  test('the fixture has no type errors', () => {
    const diagnostics = [...service.getSyntacticDiagnostics(fixture), ...service.getSemanticDiagnostics(fixture)]
    expect(diagnostics.map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'))).toEqual([])
  })
})

describe('hovering a generic block applied to numbers or named dims shows its sizes', () => {
  // type-tests/hover/generic.ts: the same block at two sizes, pipe vs flow, ceil mode, a stride-1 block, the
  // ResNet-D shortcut, a block nested in a block, named dims (their formula).
  test.each([
    ['at32', 'Tensor<[N, 8, 8, 8]>'],
    ['at64', 'Tensor<[N, 8, 16, 16]>'],
    ['flowAt32', 'Tensor<[N, 8, 8, 8]>'],
    ['ceilAt7', 'Tensor<[N, 3, 3, 4]>'],
    ['keepAt9', 'Tensor<[N, 8, 9, 9]>'],
    ['resnetDAt7', 'Tensor<[N, 8, 4, 4]>'],
    ['nestedAt64', 'Tensor<[N, 8, 4, 4]>'],
    ['named', 'Tensor<[N, 8, Sym<"⌊(H+1)/4⌋", "H", -3, 4>, Sym<"⌊(W+1)/4⌋", "W", -3, 4>]>'],
    ['namedFlow', 'Tensor<[N, 8, Sym<"⌊(H+1)/4⌋", "H", -3, 4>, Sym<"⌊(W+1)/4⌋", "W", -3, 4>]>'],
  ])('%s: %s', (name, shape) => {
    expect(hover(name, genericFixture)).toBe(`const ${name}: ${shape}`)
  })

  test('the fixture has no type errors', () => {
    const diagnostics = [...service.getSyntacticDiagnostics(genericFixture), ...service.getSemanticDiagnostics(genericFixture)]
    expect(diagnostics.map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'))).toEqual([])
  })
})
