#!/usr/bin/env node
// Keeps docs/editor.md ("In your editor") true: the hints, diagnostics, quick fixes and `shapesafe check` output it
// shows are captured from a real tsserver with the plugin loaded (the same session tests/editor.test.ts drives).
//
//   node scripts/editor-doc.mjs          rewrite the captured blocks of docs/editor.md
//   node scripts/editor-doc.mjs --check  exit 1 if docs/editor.md is out of date
//
// A captured block sits between `<!-- captured:NAME -->` and `<!-- /captured:NAME -->`. Needs `npm run build` first.
import fs from 'node:fs'
import path from 'node:path'
import { pathToFileURL } from 'node:url'
import { fixtureDir, linkFixturePackage, offsetOf, renderHints, root, startServer } from './tsserver-client.mjs'

/** The guide. */
export const editorDoc = path.join(root, 'docs', 'editor.md')

const rel = (f) => path.relative(fixtureDir, f)

/** Captures every block of the guide from a running server (files of the fixture project must be open). */
export async function captureEditorDoc(server) {
  const blocks = new Map()
  const file = (name) => path.join(fixtureDir, name)
  const read = (name) => fs.readFileSync(file(name), 'utf8')

  // Hints: the feature extractor of the seed's AlexNet as an editor draws it.
  const alexnet = read('alexnet.ts')
  const hints = await server.request('provideInlayHints', { file: file('alexnet.ts'), start: 0, length: alexnet.length })
  const drawn = renderHints(alexnet, hints)
  const start = drawn.indexOf('export const features')
  blocks.set('hints', drawn.slice(start, drawn.indexOf('\n)\n', start) + 2))

  // Diagnostics: the first error of mistakes.ts as the editor's problem list shows it, with its related location.
  const mistakes = read('mistakes.ts')
  const diagnostics = await server.request('semanticDiagnosticsSync', { file: file('mistakes.ts') })
  const at = (l) => `${l.line},${l.offset}`
  const [first] = diagnostics
  const related = (first.relatedInformation ?? []).map((r) => `  ↳ ${rel(r.span.file)}(${at(r.span.start)}): ${r.message}`)
  blocks.set('diagnostic', [`mistakes.ts(${at(first.start)}): error TS${first.code}: ${first.text}`, ...related].join('\n'))

  // The same statement without the plugin's rewrite: the verdict is the last line of TypeScript's chain.
  await server.request('configurePlugin', { pluginName: 'shapesafe/ts-plugin', configuration: { diagnostics: 'original' } })
  try {
    const [original] = await server.request('semanticDiagnosticsSync', { file: file('mistakes.ts') })
    blocks.set('original', `mistakes.ts(${at(original.start)}): error TS${original.code}: ${original.text}`)
  } finally {
    await server.request('configurePlugin', { pluginName: 'shapesafe/ts-plugin', configuration: { diagnostics: 'verdictFirst' } })
  }

  // The plugin's own error: a tensor that carries a verdict out of a block and that nothing checks (tsc is silent).
  const unconsumed = (await server.request('semanticDiagnosticsSync', { file: file('unconsumed.ts') })).find((d) => d.code === 61001)
  const unconsumedText = read('unconsumed.ts').split('\n')
  const unconsumedRelated = (unconsumed.relatedInformation ?? []).map((r) => `  ↳ ${rel(r.span.file)}(${at(r.span.start)}): ${r.message}`)
  blocks.set(
    'unconsumed',
    [
      ...unconsumedText.slice(unconsumedText.findIndex((l) => l.startsWith('const head = ')), unconsumedText.findIndex((l) => l.startsWith('export const headWrong')) + 1).map((l) => l.replace(/ \/\/ unconsumed:.*$/, '')),
      '',
      `unconsumed.ts(${at(unconsumed.start)}): error TS${unconsumed.code}: ${unconsumed.text}`,
      ...unconsumedRelated,
    ].join('\n'),
  )

  // Quick fixes offered for each error of mistakes.ts and noflatten.ts.
  const fixLines = []
  for (const name of ['mistakes.ts', 'noflatten.ts']) {
    const text = read(name)
    const shown = name === 'mistakes.ts' ? diagnostics : await server.request('semanticDiagnosticsSync', { file: file(name) })
    for (const d of shown) {
      const fixes = await server.request('getCodeFixes', {
        file: file(name),
        startLine: d.start.line,
        startOffset: d.start.offset,
        endLine: d.end.line,
        endOffset: d.end.offset,
        errorCodes: [d.code],
      })
      const ours = fixes.filter((f) => f.fixName.startsWith('shapesafe')).map((f) => f.description)
      const code = text.slice(offsetOf(text, d.start), offsetOf(text, d.end))
      fixLines.push(`${name}(${at(d.start)}) ${code.length > 40 ? `${code.slice(0, 39)}…` : code}\n    ${ours.length === 0 ? '(none: not certain)' : ours.join('; ')}`)
    }
  }
  blocks.set('fixes', fixLines.join('\n'))

  // `shapesafe check` on the fixture project: its first error and the summary.
  const { checkCommand } = await import(pathToFileURL(path.join(root, 'dist', 'cli', 'check.js')).href)
  const { memoryIo } = await import(pathToFileURL(path.join(root, 'dist', 'cli', 'io.js')).href)
  const io = memoryIo()
  const cwd = process.cwd()
  process.chdir(fixtureDir)
  let code
  try {
    code = await checkCommand([], io)
  } finally {
    process.chdir(cwd)
  }
  const out = io.out().trimEnd().split('\n')
  const next = out.findIndex((l, i) => i > 0 && /^\S/.test(l))
  const end = next < 0 ? out.length - 1 : next
  blocks.set('check', ['$ npx shapesafe check', ...out.slice(0, end), '…', out[out.length - 1], `$ echo $?`, String(code)].join('\n'))
  return blocks
}

/** `text` with each captured block replaced by its new content (in a ```text fence). */
export function updateEditorDoc(text, blocks) {
  let out = text
  for (const [name, body] of blocks) {
    const re = new RegExp(`(<!-- captured:${name} -->\\n)[\\s\\S]*?(<!-- /captured:${name} -->)`)
    if (!re.test(out)) throw new Error(`docs/editor.md has no captured:${name} block`)
    out = out.replace(re, (_, open, close) => `${open}\`\`\`text\n${body}\n\`\`\`\n${close}`)
  }
  return out
}

/** Starts a server on the fixture project, captures the blocks and stops it. */
export async function captureWithServer() {
  linkFixturePackage()
  const server = startServer()
  try {
    for (const name of ['alexnet.ts', 'mistakes.ts', 'noflatten.ts', 'unconsumed.ts']) await server.open(path.join(fixtureDir, name))
    return await captureEditorDoc(server)
  } finally {
    server.close()
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const current = fs.readFileSync(editorDoc, 'utf8')
  const next = updateEditorDoc(current, await captureWithServer())
  if (process.argv.includes('--check')) {
    if (next !== current) {
      console.error('docs/editor.md is out of date: run `node scripts/editor-doc.mjs`')
      process.exit(1)
    }
  } else if (next !== current) {
    fs.writeFileSync(editorDoc, next)
    console.log('wrote docs/editor.md')
  }
}
