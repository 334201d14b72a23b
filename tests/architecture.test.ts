// The import graph of src/: rooms in a fixed order, nothing imports upward, and no room mixes file I/O with tfjs.
// docs/conventions.md explains the rooms; change ROOMS there and here together.
import fs from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'

const src = path.resolve(import.meta.dirname, '..', 'src')

/**
 * The rooms of src/, lowest first. A file may import its own room and any room listed before it. `index` is the
 * package's root entry (src/index.ts), which gathers the public API from the rooms below it.
 */
const ROOMS = ['util', 'shape', 'graph', 'layers', 'io', 'runtime', 'data', 'train', 'zoo', 'index', 'cli'] as const

/** Known upward edges, each with the reason it is still here. Remove an entry when its edge goes. */
const ALLOWED_UPWARD: Record<string, string> = {}

/** Files of runtime/ that may touch the file system, and why. */
const RUNTIME_FILE_ACCESS: Record<string, string> = {
  'runtime/torch/engine.ts': 'finds and loads the optional native addon (a .node file), reads no data',
  'runtime/gpuDevices.ts': 'looks for GPU device nodes in /dev before WebGPU is probed, reads no data',
}

const files = (dir: string): string[] =>
  fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name)
    return e.isDirectory() ? files(full) : e.name.endsWith('.ts') ? [full] : []
  })

/** Every module specifier of a source file: static imports and re-exports, side-effect imports, dynamic imports. */
const specifiers = (text: string): string[] => {
  const code = text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '')
  const found: string[] = []
  for (const m of code.matchAll(/\b(?:import|export)\s[^'"`;]*?\bfrom\s*['"]([^'"]+)['"]/g)) found.push(m[1])
  for (const m of code.matchAll(/\bimport\s*['"]([^'"]+)['"]/g)) found.push(m[1])
  for (const m of code.matchAll(/\bimport\(\s*['"]([^'"]+)['"]\s*\)/g)) found.push(m[1])
  return found
}

const relative = (file: string): string => path.relative(src, file).split(path.sep).join('/')
const roomOf = (rel: string): string => (rel.includes('/') ? rel.split('/')[0] : rel.replace(/\.ts$/, ''))
const rank = (room: string): number => (ROOMS as readonly string[]).indexOf(room)

interface Edge {
  readonly from: string
  readonly to: string
}

const sources = files(src).map((f) => ({ rel: relative(f), text: fs.readFileSync(f, 'utf8') }))
const internalEdges: Edge[] = sources.flatMap(({ rel, text }) =>
  specifiers(text)
    .filter((s) => s.startsWith('.'))
    .map((s) => ({ from: rel, to: relative(path.resolve(src, path.dirname(rel), s).replace(/\.js$/, '.ts')) })),
)
const externals = (rel: string): string[] => specifiers(sources.find((s) => s.rel === rel)!.text).filter((s) => !s.startsWith('.'))
const usesTfjs = (rel: string): boolean => externals(rel).some((s) => s.startsWith('@tensorflow/'))
const usesFiles = (rel: string): boolean => externals(rel).some((s) => /^(node:)?fs(\/|$)/.test(s))

describe('import graph of src/', () => {
  it('reads the imports it checks', () => {
    expect(specifiers("import { a } from './a.js'\nexport * from '../b.js'\nimport 'c'\nconst d = await import('./d.js')")).toEqual(['./a.js', '../b.js', 'c', './d.js'])
    expect(specifiers("// import { a } from './a.js'\n/* import 'b' */")).toEqual([])
    expect(internalEdges.length).toBeGreaterThan(100)
    expect(internalEdges).toContainEqual({ from: 'runtime/model.ts', to: 'graph/ir.ts' })
  })

  it('puts every file in a known room', () => {
    const unknown = sources.map((s) => s.rel).filter((rel) => rank(roomOf(rel)) < 0)
    expect(unknown).toEqual([])
  })

  it('has no upward import (a room imports only itself and the rooms below it)', () => {
    const upward = internalEdges
      .filter((e) => rank(roomOf(e.to)) > rank(roomOf(e.from)))
      .map((e) => `${e.from} -> ${e.to}`)
      .filter((edge) => !(edge in ALLOWED_UPWARD))
    expect(upward).toEqual([])
  })

  it('lists no allowed upward edge that is gone', () => {
    const present = new Set(internalEdges.map((e) => `${e.from} -> ${e.to}`))
    expect(Object.keys(ALLOWED_UPWARD).filter((edge) => !present.has(edge))).toEqual([])
  })

  it('keeps tfjs out of src/io and src/util, and files out of src/runtime', () => {
    const tfjsInIo = sources.map((s) => s.rel).filter((rel) => ['io', 'util', 'shape'].includes(roomOf(rel)) && usesTfjs(rel))
    expect(tfjsInIo).toEqual([])
    const filesInRuntime = sources
      .map((s) => s.rel)
      .filter((rel) => roomOf(rel) === 'runtime' && usesFiles(rel) && !(rel in RUNTIME_FILE_ACCESS))
    expect(filesInRuntime).toEqual([])
  })

  it('has no file that both reads or writes files and runs tfjs', () => {
    const mixed = sources.map((s) => s.rel).filter((rel) => roomOf(rel) !== 'cli' && usesTfjs(rel) && usesFiles(rel))
    expect(mixed).toEqual([])
  })

  it('never imports the benchmarks or the tests from src/', () => {
    const out = internalEdges.filter((e) => e.to.startsWith('..')).map((e) => `${e.from} -> ${e.to}`)
    expect(out).toEqual([])
  })
})
