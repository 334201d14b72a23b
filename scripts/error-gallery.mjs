#!/usr/bin/env node
// Keeps the documentation's compile-time error messages true by compiling them.
//
//   node scripts/error-gallery.mjs          rewrite docs/errors.md and the output blocks in README.md and docs/*.md
//   node scripts/error-gallery.mjs --check  exit 1 (listing the stale files) if any of them is out of date
//
// Sources of messages:
//   - docs/error-gallery/*.ts: one mistake per file. Leading `//` lines are the entry's title (first line) and prose;
//     the rest is the code shown. docs/errors.md is generated from them.
//   - ```ts error blocks in README.md and docs/*.md: the next fenced block (```text) is replaced by the real output.
// Everything is type-checked with the TypeScript API against the built package (`import ... from 'shapesafe'`
// resolves to dist/ through the package's self-reference), so run `npm run build` first.
import fs from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import ts from 'typescript'

/** Repository root. */
export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
/** Folder of gallery fixtures. */
export const galleryDir = path.join(root, 'docs', 'error-gallery')
/** The generated gallery. */
export const galleryFile = path.join(root, 'docs', 'errors.md')

/** Markdown files whose ```ts blocks are checked: README.md and docs/*.md (except the generated gallery). */
export function markdownFiles() {
  const docs = fs
    .readdirSync(path.join(root, 'docs'))
    .filter((f) => f.endsWith('.md') && f !== 'errors.md')
    .sort()
    .map((f) => path.join(root, 'docs', f))
  return [path.join(root, 'README.md'), ...docs].filter((f) => fs.existsSync(f))
}

const fenceRe = /^(`{3,})([^\n`]*)\n([\s\S]*?)^\1[ \t]*$/gm

/**
 * Fenced blocks of a markdown text: `{ lang, flags, body, start, end, bodyStart, bodyEnd }` (offsets into `text`).
 */
export function fencedBlocks(text) {
  const blocks = []
  for (const m of text.matchAll(fenceRe)) {
    const [lang = '', ...flags] = m[2].trim().split(/\s+/)
    const bodyStart = m.index + m[1].length + m[2].length + 1
    blocks.push({ lang, flags, body: m[3], start: m.index, end: m.index + m[0].length, bodyStart, bodyEnd: bodyStart + m[3].length })
  }
  return blocks
}

/** The ```ts / ```typescript blocks of a markdown file, with `error` set for ```ts error blocks. */
export function tsSnippets(file) {
  const text = fs.readFileSync(file, 'utf8')
  const blocks = fencedBlocks(text)
  return blocks.flatMap((b, i) =>
    b.lang === 'ts' || b.lang === 'typescript'
      ? [{ file, index: i, code: b.body, error: b.flags.includes('error'), line: text.slice(0, b.start).split('\n').length, next: blocks[i + 1] }]
      : [],
  )
}

/** The public entry points, as a snippet imports them, and their built typings. */
const entryPoints = [
  ['shapesafe', 'dist/index.d.ts'],
  ['shapesafe/io', 'dist/io/index.d.ts'],
  ['shapesafe/runtime', 'dist/runtime/index.d.ts'],
  ['shapesafe/train', 'dist/train/index.d.ts'],
  ['shapesafe/data', 'dist/data/index.d.ts'],
]

/** Names exported by each entry point (the first entry point exporting a name wins). */
function publicNames() {
  const program = ts.createProgram(entryPoints.map(([, f]) => path.join(root, f)), { module: ts.ModuleKind.NodeNext, moduleResolution: ts.ModuleResolutionKind.NodeNext, noEmit: true, skipLibCheck: true })
  const checker = program.getTypeChecker()
  const owner = new Map()
  for (const [spec, file] of entryPoints) {
    const source = program.getSourceFile(path.join(root, file))
    const symbol = source === undefined ? undefined : checker.getSymbolAtLocation(source)
    if (symbol === undefined) continue
    for (const e of checker.getExportsOfModule(symbol)) if (!owner.has(e.name)) owner.set(e.name, spec)
  }
  return owner
}

/** fp-ts's composition helpers, which examples use without importing them. */
const fpTs = new Map([['pipe', 'fp-ts/lib/function.js'], ['flow', 'fp-ts/lib/function.js']])

/** Names a source file exports by declaration (`export function f`, `export const c`, `export type T`, …). */
function ownExports(text) {
  return new Set([...text.matchAll(/^export\s+(?:declare\s+)?(?:async\s+)?(?:function\*?|const|let|class|interface|type|enum)\s+([A-Za-z_$][\w$]*)/gm)].map((m) => m[1]))
}

/**
 * Names a source file imports by name from another module of src/ (`import { a, type B } from './x.js'`), with that
 * module's path (without aliases: `a as b` is left out).
 */
function ownImports(file, text) {
  const found = new Map()
  for (const m of text.matchAll(/^import\s+(?:type\s+)?\{([^}]*)\}\s+from\s+'(\.{1,2}\/[^']+)'/gm)) {
    const target = path.resolve(path.dirname(file), m[2]).replace(/\.js$/, '.ts')
    if (!fs.existsSync(target)) continue
    for (const part of m[1].split(',')) {
      const name = part.trim().replace(/^type\s+/, '')
      if (/^[A-Za-z_$][\w$]*$/.test(name)) found.set(name, target)
    }
  }
  return found
}

/** TypeScript files under a folder, recursively, sorted. */
function sourceFiles(dir) {
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .flatMap((e) => (e.isDirectory() ? sourceFiles(path.join(dir, e.name)) : e.name.endsWith('.ts') ? [path.join(dir, e.name)] : []))
    .sort()
}

/**
 * The ```ts blocks after `@example` tags in the TSDoc comments of src/**\/*.ts. A block that imports nothing gets the
 * public names it mentions imported from their entry point (and `tf` when it uses `tf.`), so a one-line example of
 * an exported function compiles as a reader would run it. An example of an internal module may also use what that
 * module exports or imports by name from another module of src/; anything else it uses it must declare.
 */
export function exampleSnippets(names = publicNames()) {
  const snippets = []
  for (const file of sourceFiles(path.join(root, 'src'))) {
    const text = fs.readFileSync(file, 'utf8')
    for (const comment of text.matchAll(/\/\*\*[\s\S]*?\*\//g)) {
      const lines = comment[0].split('\n').map((l) => l.replace(/^\s*\/?\*+\/?\s?/, ''))
      for (let i = 0; i < lines.length; i++) {
        if (!lines[i].startsWith('@example')) continue
        let j = i + 1
        while (j < lines.length && lines[j].trim() === '') j++
        if (!/^```(ts|typescript)\s*$/.test(lines[j] ?? '')) continue
        const end = lines.findIndex((l, k) => k > j && l.startsWith('```'))
        if (end < 0) continue
        let code = lines.slice(j + 1, end).join('\n') + '\n'
        if (!/^\s*import\s/m.test(code)) {
          const bySpec = new Map()
          const own = ownExports(text)
          const imported = ownImports(file, text)
          // Names only the example's own (internal) module exports, or imports from another module of src/, come from
          // their source, found from the snippet's folder: .cache/docs-snippets-*/snippetN/example.ts.
          const internal = (source) => path.relative(path.join(root, '.cache', 'x', 'y'), source).split(path.sep).join('/').replace(/\.ts$/, '.js')
          const declared = new Set([...code.matchAll(/\b(?:const|let|var|function|class|type|interface)\s+([A-Za-z_$][\w$]*)/g)].map((m) => m[1]))
          for (const word of new Set(code.replace(/\/\/.*$/gm, '').replace(/'[^']*'/g, '').match(/[A-Za-z_$][\w$]*/g) ?? [])) {
            if (declared.has(word)) continue
            const spec = names.get(word) ?? (own.has(word) ? `#own` : fpTs.get(word) ?? (imported.has(word) ? internal(imported.get(word)) : undefined))
            if (spec !== undefined) bySpec.set(spec, [...(bySpec.get(spec) ?? []), word])
          }
          const ownSpec = internal(file)
          if (bySpec.has('#own')) {
            bySpec.set(ownSpec, bySpec.get('#own'))
            bySpec.delete('#own')
          }
          const imports = [...bySpec].map(([spec, ws]) => `import { ${ws.join(', ')} } from '${spec}'`)
          if (/\btf\./.test(code)) imports.push("import * as tf from '@tensorflow/tfjs'")
          code = [...imports, 'export {}', code].join('\n')
        }
        const line = text.slice(0, comment.index).split('\n').length + j
        snippets.push({ file, index: -1, code, error: false, line, next: undefined, example: true, first: lines[j + 1].trim() })
      }
    }
  }
  return snippets
}

/** A gallery fixture split into title, prose and the code shown. */
export function readFixture(file) {
  const lines = fs.readFileSync(file, 'utf8').split('\n')
  const header = []
  while (lines.length > 0 && lines[0].startsWith('//')) header.push(lines.shift().replace(/^\/\/ ?/, ''))
  while (lines.length > 0 && lines[0].trim() === '') lines.shift()
  const [title = path.basename(file, '.ts'), ...prose] = header
  return { file, title, prose: prose.join('\n').trim(), code: lines.join('\n').trimEnd(), headerLines: header.length }
}

/** Gallery fixture files, sorted by name. */
export function fixtureFiles() {
  return fs
    .readdirSync(galleryDir)
    .filter((f) => f.endsWith('.ts'))
    .sort()
    .map((f) => path.join(galleryDir, f))
}

function compilerOptions() {
  const configPath = path.join(galleryDir, 'tsconfig.json')
  const config = ts.readConfigFile(configPath, ts.sys.readFile)
  if (config.error) throw new Error(ts.flattenDiagnosticMessageText(config.error.messageText, '\n'))
  const { options } = ts.parseJsonConfigFileContent(config.config, ts.sys, galleryDir, undefined, configPath)
  // Snippets live in a temporary folder outside docs/error-gallery; nothing is emitted anyway.
  return { ...options, rootDir: root, noEmit: true }
}

/**
 * Type-checks the gallery fixtures and every ```ts block of the markdown files in one program. Returns the
 * diagnostics per fixture and per snippet, formatted as `tsc` prints them (paths relative to the repository for
 * fixtures, and `example.ts` for snippets).
 */
export function compileAll() {
  if (!fs.existsSync(path.join(root, 'dist', 'index.d.ts'))) {
    throw new Error("dist/index.d.ts is missing: run `npm run build` first (snippets import 'shapesafe' from dist/)")
  }
  fs.mkdirSync(path.join(root, '.cache'), { recursive: true })
  // Inside the package, so `import ... from 'shapesafe'` resolves to dist/ by self-reference and files are ESM.
  const tmp = fs.mkdtempSync(path.join(root, '.cache', 'docs-snippets-'))
  try {
    const snippets = [...markdownFiles().flatMap(tsSnippets), ...exampleSnippets()]
    snippets.forEach((s, i) => {
      s.path = path.join(tmp, `snippet${i}`, 'example.ts')
      fs.mkdirSync(path.dirname(s.path))
      fs.writeFileSync(s.path, s.code)
    })
    const fixtures = fixtureFiles().map(readFixture)
    const program = ts.createProgram([...fixtures.map((f) => f.file), ...snippets.map((s) => s.path)], compilerOptions())
    const all = ts.getPreEmitDiagnostics(program)
    const format = (file, displayDir) => {
      const own = all.filter((d) => d.file !== undefined && path.resolve(d.file.fileName) === path.resolve(file))
      return ts
        .formatDiagnostics(own, {
          getCanonicalFileName: (f) => f,
          getCurrentDirectory: () => displayDir,
          getNewLine: () => '\n',
        })
        .trimEnd()
    }
    const global = all.filter((d) => d.file === undefined)
    if (global.length > 0) throw new Error(ts.formatDiagnostics(global, { getCanonicalFileName: (f) => f, getCurrentDirectory: () => root, getNewLine: () => '\n' }))
    for (const f of fixtures) f.output = format(f.file, root)
    const checker = program.getTypeChecker()
    for (const s of snippets) {
      s.diagnostics = format(s.path, path.dirname(s.path))
      s.hovers = shownTypes(program.getSourceFile(s.path), checker)
    }
    return { fixtures, snippets }
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true })
  }
}

/**
 * The types a snippet shows for its values, each with the type the compiler gives: an editor's hover written as a
 * twoslash query (`//    ^? Tensor<[N, 96, 54, 54]>`, the caret under the value on the line above), and a
 * `// Tensor<…>` comment ending a statement (`const y = pipe(…) // Tensor<[N, 10]>`: the type of `y`; of the whole
 * expression when the statement declares nothing). Returns `{ line, shown, actual }` for each (1-based snippet line).
 */
export function shownTypes(sourceFile, checker) {
  const out = []
  const text = sourceFile.text
  const lines = text.split('\n')
  const starts = []
  for (let i = 0, at = 0; i < lines.length; at += lines[i].length + 1, i++) starts.push(at)
  const print = (node) =>
    checker.typeToString(checker.getTypeAtLocation(node), undefined, ts.TypeFormatFlags.NoTruncation | ts.TypeFormatFlags.UseAliasDefinedOutsideCurrentScope)
  const tensorText = (comment) => {
    if (!comment.startsWith('Tensor<')) return undefined
    let depth = 0
    for (let i = 0; i < comment.length; i++) {
      if (comment[i] === '<' || comment[i] === '[') depth++
      if (comment[i] === '>' || comment[i] === ']') depth--
      if (depth === 0 && comment[i] === '>') return comment.slice(0, i + 1)
    }
    return undefined
  }
  const deepest = (pos) => {
    let found
    const visit = (node) => {
      if (pos >= node.getStart(sourceFile) && pos < node.getEnd()) {
        found = node
        ts.forEachChild(node, visit)
      }
    }
    visit(sourceFile)
    return found
  }
  lines.forEach((line, i) => {
    const query = /^(\s*)\/\/\s*\^\?\s*(.*)$/.exec(line)
    if (query !== null && i > 0) {
      const node = deepest(starts[i - 1] + line.indexOf('^'))
      out.push({ line: i + 1, shown: query[2].trim(), actual: node === undefined ? '(nothing under the caret)' : print(node) })
      return
    }
    const comment = /\/\/\s*(Tensor<.*)$/.exec(line)
    const shown = comment === null ? undefined : tensorText(comment[1])
    if (shown === undefined || line.slice(0, comment.index).trim() === '') return
    const end = starts[i] + comment.index
    const statement = sourceFile.statements.find((st) => st.getEnd() <= end && st.getEnd() > starts[i] && text.slice(st.getEnd(), end).trim() === '')
    if (statement === undefined) return
    const target = ts.isVariableStatement(statement)
      ? statement.declarationList.declarations.at(-1).name
      : ts.isExpressionStatement(statement)
        ? statement.expression
        : undefined
    if (target !== undefined) out.push({ line: i + 1, shown, actual: print(target) })
  })
  return out
}

/** Shifts the line numbers in a fixture's diagnostics so they match the code shown (header comments removed). */
function shiftLines(output, fixture) {
  const rel = path.relative(root, fixture.file).split(path.sep).join('/')
  const shift = fixture.headerLines + blankLinesAfterHeader(fixture.file, fixture.headerLines)
  return output.replaceAll(new RegExp(`${rel.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\((\\d+),(\\d+)\\)`, 'g'), (_, l, c) => `${path.basename(rel)}(${Number(l) - shift},${c})`)
}

function blankLinesAfterHeader(file, headerLines) {
  const lines = fs.readFileSync(file, 'utf8').split('\n').slice(headerLines)
  let n = 0
  while (n < lines.length && lines[n].trim() === '') n++
  return n
}

/** The text of docs/errors.md for compiled fixtures. */
export function renderGallery(fixtures) {
  const parts = [
    '---',
    'title: Error gallery',
    'group: Guides',
    '---',
    '',
    '# Error gallery',
    '',
    '<!-- Generated by scripts/error-gallery.mjs from docs/error-gallery/*.ts: edit those, then run',
    '     `npm run build && node scripts/error-gallery.mjs`. -->',
    '',
    'Real messages from `tsc` (TypeScript 5.9) for common shape mistakes. Each entry is a file in',
    '`docs/error-gallery/`; `npx tsc -p docs/error-gallery` (after `npm run build`) prints the same output.',
    'Line numbers count from the first line shown.',
    '',
    'How to read them: the last line of each message is the one that matters. shapesafe puts its verdict into',
    'the name of a property that the argument is "missing", so the text after `⛔` is the reason, written as',
    '`<layer>: expected …, got …`. The lines above it say which call it is (`Argument of type \'Linear<…>\'`) and',
    'what shape reached it (`Tensor<[N, 36864]>`). Only the first error in a `pipe` is real: once a stage',
    'fails, the stages after it may report follow-up errors.',
    '',
  ]
  for (const f of fixtures) {
    if (f.output === '') throw new Error(`${path.relative(root, f.file)} compiles without errors; a gallery entry must fail`)
    parts.push(`## ${f.title}`, '')
    if (f.prose !== '') parts.push(f.prose, '')
    parts.push('```ts', f.code, '```', '', '```text', shiftLines(f.output, f), '```', '')
  }
  return parts.join('\n')
}

/** A markdown file with the block after each ```ts error snippet replaced by the snippet's real output. */
export function renderMarkdown(file, snippets) {
  let text = fs.readFileSync(file, 'utf8')
  const own = snippets.filter((s) => s.file === file && s.error).sort((a, b) => b.index - a.index)
  for (const s of own) {
    const block = '```text\n' + s.diagnostics + '\n```'
    if (s.next !== undefined && s.next.lang === 'text') {
      text = text.slice(0, s.next.start) + block + text.slice(s.next.end)
    } else {
      const end = fencedBlocks(text)[s.index].end
      text = text.slice(0, end) + '\n\n' + block + text.slice(end)
    }
  }
  return text
}

/** Every generated file's expected content: docs/errors.md and each markdown file with ```ts error blocks. */
export function expectedFiles(compiled = compileAll()) {
  const files = new Map([[galleryFile, renderGallery(compiled.fixtures)]])
  for (const file of markdownFiles()) files.set(file, renderMarkdown(file, compiled.snippets))
  return files
}

function main() {
  const check = process.argv.includes('--check')
  const compiled = compileAll()
  const problems = []
  // @example blocks of src/ are checked by tests/docs.test.ts.
  for (const s of compiled.snippets.filter((s) => !s.example)) {
    const where = `${path.relative(root, s.file)}:${s.line}`
    if (s.error && s.diagnostics === '') problems.push(`${where}: a \`\`\`ts error block compiles without errors`)
    if (!s.error && s.diagnostics !== '') problems.push(`${where}: a \`\`\`ts block has errors:\n${s.diagnostics}`)
  }
  const stale = []
  for (const [file, content] of expectedFiles(compiled)) {
    const current = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : undefined
    if (current === content) continue
    stale.push(path.relative(root, file))
    if (!check) {
      const tmp = `${file}.${process.pid}.tmp`
      fs.writeFileSync(tmp, content)
      fs.renameSync(tmp, file)
    }
  }
  for (const p of problems) console.error(p)
  if (check) {
    if (stale.length > 0) console.error(`out of date (run node scripts/error-gallery.mjs): ${stale.join(', ')}`)
    process.exitCode = stale.length > 0 || problems.length > 0 ? 1 : 0
  } else {
    console.log(stale.length > 0 ? `updated ${stale.join(', ')}` : 'docs are up to date')
    process.exitCode = problems.length > 0 ? 1 : 0
  }
}

if (process.argv[1] !== undefined && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) main()
