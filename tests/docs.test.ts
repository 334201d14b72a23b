// Keeps the documentation honest: every ```ts block in README.md and docs/*.md, and every ```ts block after an
// `@example` tag in the TSDoc of src/, type-checks against the built package, every ```ts error block fails with exactly the output shown after it, docs/errors.md is what
// scripts/error-gallery.mjs generates, and relative links point at files that exist.
// Needs dist/ (`npm test` builds first).
import fs from 'node:fs'
import path from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import {
  compileAll,
  expectedFiles,
  fencedBlocks,
  galleryFile,
  markdownFiles,
  root,
  type Compiled,
} from '../scripts/error-gallery.mjs'

let compiled: Compiled

// One program over every snippet and example: about a minute and a half on an idle machine, more under load.
beforeAll(() => {
  compiled = compileAll()
}, 480_000)

const rel = (f: string) => path.relative(root, f)

describe('code blocks in README.md and docs/*.md', () => {
  it('finds the guides and their snippets', () => {
    const names = markdownFiles().map(rel)
    expect(names).toContain('README.md')
    expect(names).toContain(path.join('docs', 'getting-started.md'))
    expect(compiled.snippets.length).toBeGreaterThan(5)
    expect(compiled.snippets.some((s) => s.error)).toBe(true)
  })

  it('type-checks every ```ts block without errors', () => {
    const failures = compiled.snippets
      .filter((s) => !s.example && !s.error && s.diagnostics !== '')
      .map((s) => `${rel(s.file)}:${s.line}\n${s.diagnostics}`)
    expect(failures).toEqual([])
  })

  it('fails every ```ts error block with a shapesafe message', () => {
    const errorBlocks = compiled.snippets.filter((s) => s.error)
    for (const s of errorBlocks) {
      expect(s.diagnostics, `${rel(s.file)}:${s.line} should not compile`).toMatch(/error TS\d+/)
      expect(s.diagnostics, `${rel(s.file)}:${s.line} should fail a shape check`).toContain('⛔')
    }
  })

  it('shows the real compiler output after every ```ts error block', () => {
    for (const s of compiled.snippets.filter((s) => s.error)) {
      const text = fs.readFileSync(s.file, 'utf8')
      const next = fencedBlocks(text)[s.index + 1]
      expect(next?.lang, `${rel(s.file)}:${s.line}: a \`\`\`text block must follow`).toBe('text')
      expect(next!.body.trimEnd(), `${rel(s.file)}:${s.line}: run \`node scripts/error-gallery.mjs\``).toBe(s.diagnostics)
    }
  })
})

describe('@example blocks in the TSDoc of src/', () => {
  it('finds the examples', () => {
    expect(compiled.snippets.filter((s) => s.example).length).toBeGreaterThan(100)
  })

  it('imports for an example what its module has in scope, and public names from their entry point', () => {
    const example = (file: string, first: string) =>
      compiled.snippets.find((s) => s.example && rel(s.file) === path.join('src', file) && s.first === first)?.code
    const prepared = example(path.join('runtime', 'kernels', 'transposedConvInput.ts'), 'declare const run: KernelRunner, dy: tf.TensorInfo, geometry: ConvGeometry')
    expect(prepared).toContain("import { KernelRunner } from '../../../src/runtime/kernels/compose.js'")
    expect(prepared).toContain("import { ConvGeometry } from '../../../src/runtime/kernels/convGeometry.js'")
    expect(prepared).toContain("import { transposedConvInput } from '../../../src/runtime/kernels/transposedConvInput.js'")
    expect(example(path.join('graph', 'merge.ts'), 'declare const a: Tensor<[N, 64, 28, 28]>')).toMatch(/^import \{ [^}]*\bconcat\b[^}]*\} from 'shapesafe'$/m)
  })

  // Every example compiles on its own: it imports or declares what it uses (see exampleSnippets in
  // scripts/error-gallery.mjs for the imports a block that has none gets). There is no list of exceptions.
  it('type-checks every example', () => {
    const failures = compiled.snippets
      .filter((s) => s.example && s.diagnostics !== '')
      .map((s) => `${rel(s.file)}:${s.line}\n${s.diagnostics}`)
    expect(failures).toEqual([])
  })
})

describe('types the docs show', () => {
  // A hover (`//    ^? Tensor<[N, 96, 54, 54]>`) or a `// Tensor<…>` comment after a statement, in the guides and in
  // the TSDoc examples, is the type the compiler gives (compared as text, spaces ignored).
  it('shows every value with the type the compiler gives it', () => {
    const squash = (t: string) => t.replace(/\s+/g, '')
    const shown = compiled.snippets.flatMap((s) => (s.hovers ?? []).map((h) => ({ ...h, where: `${rel(s.file)}:${s.line}` })))
    expect(shown.length).toBeGreaterThan(40)
    const wrong = shown.filter((h) => squash(h.shown) !== squash(h.actual)).map((h) => `${h.where} (+${h.line}): shows ${h.shown}, is ${h.actual}`)
    expect(wrong).toEqual([])
  })
})

describe('error gallery', () => {
  it('has entries that each fail to compile', () => {
    expect(compiled.fixtures.length).toBeGreaterThanOrEqual(5)
    for (const f of compiled.fixtures) expect(f.output, rel(f.file)).toMatch(/error TS\d+/)
  })

  it('docs/errors.md and the error blocks of the guides are up to date', () => {
    for (const [file, content] of expectedFiles(compiled)) {
      expect(fs.readFileSync(file, 'utf8'), `${rel(file)} is stale: run \`node scripts/error-gallery.mjs\``).toBe(content)
    }
    expect(fs.existsSync(galleryFile)).toBe(true)
  })
})

describe('links and commands', () => {
  it('relative links in the docs point at existing files', () => {
    const broken: string[] = []
    for (const file of [...markdownFiles(), galleryFile]) {
      const text = fs.readFileSync(file, 'utf8').replace(/```[\s\S]*?```/g, '')
      for (const m of text.matchAll(/\]\(([^)\s]+)\)/g)) {
        const target = m[1].split('#')[0]
        if (target === '' || /^[a-z]+:/i.test(target)) continue
        if (target.startsWith('docs/api')) continue // built by `npm run docs`
        if (!fs.existsSync(path.resolve(path.dirname(file), target))) broken.push(`${rel(file)}: ${m[1]}`)
      }
    }
    expect(broken).toEqual([])
  })

  it("README's set-up commands exist in package.json", () => {
    const readme = fs.readFileSync(path.join(root, 'README.md'), 'utf8')
    const scripts = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')).scripts as Record<string, string>
    expect(readme).toContain('npm ci && npm start')
    expect(readme).toContain('npm ci && npm test')
    expect(scripts.start).toBeDefined()
    expect(scripts.test).toBeDefined()
    for (const m of readme.matchAll(/npm run ([\w:-]+)/g)) expect(scripts[m[1]], `npm run ${m[1]}`).toBeDefined()
  })
})
