// The generated API reference reads well (issue 17): typedoc's JSON and HTML output, made once here, is held to
// short signatures, the fixed category set of docs/conventions.md, modules named as users import them, an example on
// every function a user calls, and a search that finds layers by their PyTorch names. The examples themselves are
// type-checked by tests/docs.test.ts. Needs no build (typedoc reads src/); takes about a minute.
import { execFileSync } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import zlib from 'node:zlib'
import lunr from 'lunr'
import { beforeAll, describe, expect, it } from 'vitest'
// @ts-expect-error plain JavaScript helper without types
import { exportsOf, functionSignatures } from '../scripts/api-signatures.mjs'

const root = path.resolve(import.meta.dirname, '..')
let project: { children: { name: string; categories?: { title: string; children: number[] }[]; children?: { id: number; name: string }[] }[] }
let search: { rows: { name: string; kind: number }[]; index: object }
/** The anchors of the error gallery's page in the reference (docs/errors.md), which the layer pages link. */
let errorAnchors: Set<string>

beforeAll(() => {
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'shapesafe-api-'))
  try {
    execFileSync(process.execPath, [path.join(root, 'node_modules', 'typedoc', 'bin', 'typedoc'), '--json', path.join(out, 'api.json'), '--out', path.join(out, 'html')], {
      cwd: root,
      stdio: 'pipe',
    })
    project = JSON.parse(fs.readFileSync(path.join(out, 'api.json'), 'utf8'))
    const js = fs.readFileSync(path.join(out, 'html', 'assets', 'search.js'), 'utf8')
    search = JSON.parse(zlib.inflateSync(Buffer.from(/"(.*)"/.exec(js)![1], 'base64')).toString())
    const gallery = fs.readFileSync(path.join(out, 'html', 'documents', 'Error_gallery.html'), 'utf8')
    errorAnchors = new Set([...gallery.matchAll(/ id="([^"]+)"/g)].map((m) => m[1]))
  } finally {
    fs.rmSync(out, { recursive: true, force: true })
  }
}, 480_000)

/** The category set of docs/conventions.md, in the order the reference shows it. */
const CATEGORIES = ['Layers', 'Combinators', 'Nets', 'Running', 'Training', 'Data', 'Weights and files', 'Shape types', 'Advanced']

/**
 * Signatures allowed over 200 characters, each with the length it may not exceed (so none grows); the list may only
 * shrink. `pipe` and `flow` are fp-ts's 64 overloads, one type parameter per stage (up to six stages fit), and
 * `sequential`'s overloads of several layers are `flow`'s (up to 32).
 * - parallel (its three- and four-branch overloads): its branches are named (`Layer<S, R>`), but its five type
 *   parameters, four branches and written-out result pass 200 characters. Its returned function type stays written
 *   out: named (`Parallel4<S, A, B, C, D>`, tried), a generic factory returning `parallel(…)` (GoogLeNet's inception
 *   in type-tests/bench/googlenet.ts) kept its channel sum unresolved (`C1 extends number ? …`) under TS 5.9 and 7.
 *   340 → 363 (issue 11, a branch chosen by a flag): each branch also captures its type (`Only<S, R, F>`) to refuse a
 *   choice, which the later overloads check member by member; naming the three `BranchAgrees` of the four-branch
 *   overload (`BranchesAgree<R1, R2, R3, R4>`, tried) cost GoogLeNet 1,200 more instantiations.
 */
const LONG_SIGNATURES: Readonly<Record<string, number>> = {
  parallel: 363,
  residual: 235, // its result carries an undecided check out of a generic function (Agreed)
}

describe('API reference (typedoc)', () => {
  it('names the modules as users import them', () => {
    expect(project.children.map((m) => m.name).sort()).toEqual(['shapesafe', 'shapesafe/data', 'shapesafe/io', 'shapesafe/runtime', 'shapesafe/train'])
  })

  it('prints every function signature in about 200 characters (the checks behind named aliases)', () => {
    const rows: { name: string; text: string }[] = functionSignatures(project)
    const layers = ['conv2d', 'maxPool2d', 'avgPool2d', 'adaptiveAvgPool2d', 'linear', 'batchNorm1d', 'batchNorm2d', 'localResponseNorm', 'dropout']
    for (const name of layers) {
      const sig = rows.find((r) => r.name === name)
      expect(sig, name).toBeDefined()
      expect(sig!.text.length, sig!.text).toBeLessThanOrEqual(180)
    }
    expect(rows.find((r) => r.name === 'conv2d')!.text).toBe('conv2d<const O extends Conv2dOptions, K extends PropertyKey = keyof O>(options: ValidConv2dOptions<O, K>): Conv2d<ConfigOf<O, K>>')
    const tooLong = rows.filter((r) => {
      if (r.text.length <= 200) return false
      if (r.name === 'pipe' || r.name === 'flow' || r.name === 'sequential') return false
      return r.text.length > (LONG_SIGNATURES[r.name] ?? 200)
    })
    expect(tooLong.map((r) => `${r.text.length} ${r.text}`)).toEqual([])
  })

  it('groups every export into the fixed category set, users first', () => {
    const byName = new Map<number, string>()
    for (const m of project.children) for (const c of m.children ?? []) byName.set(c.id, c.name)
    for (const m of project.children) {
      const titles = (m.categories ?? []).map((c) => c.title)
      expect(titles.every((t) => CATEGORIES.includes(t)), `${m.name}: ${titles.join(', ')}`).toBe(true)
      expect(titles, m.name).toEqual([...titles].sort((a, b) => CATEGORIES.indexOf(a) - CATEGORIES.indexOf(b)))
      const listed = (m.categories ?? []).flatMap((c) => c.children)
      expect(listed.length, `${m.name}: every export is in a category`).toBe((m.children ?? []).length)
    }
    const main = project.children.find((m) => m.name === 'shapesafe')!
    const inCategory = (title: string) => (main.categories ?? []).find((c) => c.title === title)!.children.map((id) => byName.get(id))
    expect(inCategory('Layers')).toEqual(expect.arrayContaining(['conv2d', 'maxPool2d', 'avgPool2d', 'adaptiveAvgPool2d', 'linear', 'flatten', 'relu', 'batchNorm1d', 'batchNorm2d', 'dropout', 'Conv2dOptions', 'ValidConv2dOptions']))
    expect(inCategory('Combinators')).toEqual(expect.arrayContaining(['pipe', 'flow', 'parallel', 'residual', 'denseBlock', 'sequential', 'add', 'concat']))
    expect(inCategory('Nets')).toEqual(expect.arrayContaining(['lenet', 'alexnet', 'resnet18', 'zoo']))
    expect(inCategory('Shape types')).toEqual(expect.arrayContaining(['Tensor', 'input', 'N', 'Dim', 'Shape4']))
    // internal helpers are out of the users' groups
    for (const helper of ['ConvDim', 'Conv2dInputCheck', 'Conv2dOptionsCheck', 'PoolDim', 'LayerInfo', 'Verdict', 'FailKey']) {
      expect(inCategory('Advanced'), helper).toContain(helper)
    }
  })

  /**
   * Functions of the users' categories still without an `@example`: none now (every function, layer, combinator and
   * net has one); the list may only shrink, so keep it empty.
   */
  const NO_EXAMPLE_YET = new Set<string>([])

  it('has an example on every function of the users’ categories and every layer value', () => {
    const userCategories = new Set(['Layers', 'Combinators', 'Nets', 'Running', 'Training', 'Data', 'Weights and files', 'Shape types'])
    const missing: string[] = []
    for (const e of exportsOf(project) as {
      module: string
      id: number
      name: string
      kind: number
      comment?: { blockTags?: { tag: string }[] }
      signatures?: { comment?: { blockTags?: { tag: string }[] } }[]
    }[]) {
      const mod = project.children.find((m) => m.name === e.module)!
      const category = (mod.categories ?? []).find((c) => c.children.includes(e.id))?.title ?? ''
      if (!userCategories.has(category)) continue
      // functions, and the layer and combinator values (relu, flatten)
      if (e.kind !== 64 && !(e.kind === 32 && ['Layers', 'Combinators'].includes(category))) continue
      const tags = [...(e.comment?.blockTags ?? []), ...(e.signatures ?? []).flatMap((s) => s.comment?.blockTags ?? [])]
      if (!tags.some((t) => t.tag === '@example')) missing.push(`${e.module} ${e.name}`)
    }
    expect(missing.filter((m) => !NO_EXAMPLE_YET.has(m))).toEqual([])
    expect([...NO_EXAMPLE_YET].filter((m) => !missing.includes(m)), 'has an example now: remove it from NO_EXAMPLE_YET').toEqual([])
  })

  it('gives every layer page its shape rule, PyTorch call, errors and an example showing the type', () => {
    const main = project.children.find((m) => m.name === 'shapesafe')!
    const layers = (main.categories ?? []).find((c) => c.title === 'Layers')!.children
    const text = (parts?: { text: string }[]) => (parts ?? []).map((p) => p.text).join('')
    const gaps: string[] = []
    let pages = 0
    for (const e of exportsOf(project) as {
      module: string
      id: number
      name: string
      kind: number
      comment?: { summary?: { text: string }[]; blockTags?: { tag: string; content: { text: string }[] }[] }
      signatures?: { comment?: { summary?: { text: string }[]; blockTags?: { tag: string; content: { text: string }[] }[] } }[]
    }[]) {
      if (e.module !== 'shapesafe' || !layers.includes(e.id) || (e.kind !== 64 && e.kind !== 32)) continue
      pages++
      const comment = e.comment ?? e.signatures?.[0]?.comment ?? {}
      const summary = text(comment.summary)
      const example = (comment.blockTags ?? []).filter((t) => t.tag === '@example').map((t) => text(t.content)).join('\n')
      if (!/Shape rule: `[^`]*→[^`]*`/.test(summary)) gaps.push(`${e.name}: no shape rule formula`)
      if (!/PyTorch: `nn\.\w+\(/.test(summary)) gaps.push(`${e.name}: no PyTorch call`)
      if (!/Errors: /.test(summary)) gaps.push(`${e.name}: no Errors line`)
      for (const link of summary.matchAll(/\(\.\.\/\.\.\/docs\/errors\.md#([\w-]+)\)/g)) {
        if (!errorAnchors.has(link[1])) gaps.push(`${e.name}: links a missing error entry #${link[1]}`)
      }
      // the type is shown (an editor's hover `^?` or a `// Tensor<…>` comment), and tests/docs.test.ts checks it
      if (!/\^\? Tensor<|\/\/ Tensor</.test(example)) gaps.push(`${e.name}: no example showing the type`)
    }
    expect(pages).toBeGreaterThanOrEqual(15)
    expect(gaps).toEqual([])
  })

  it('finds layers by their PyTorch names', () => {
    const index = lunr.Index.load(search.index as object)
    const top = (q: string) => index.search(q).slice(0, 3).map((r) => search.rows[Number(r.ref)].name)
    for (const [torch, ours] of [
      ['Conv2d', 'conv2d'],
      ['BatchNorm2d', 'batchNorm2d'],
      ['BatchNorm1d', 'batchNorm1d'],
      ['AdaptiveAvgPool2d', 'adaptiveAvgPool2d'],
      ['MaxPool2d', 'maxPool2d'],
      ['AvgPool2d', 'avgPool2d'],
      ['Linear', 'linear'],
      ['Flatten', 'flatten'],
      ['ReLU', 'relu'],
      ['Dropout', 'dropout'],
      ['LocalResponseNorm', 'localResponseNorm'],
      ['Sequential', 'sequential'],
      ['cat', 'concat'],
    ]) {
      expect(top(torch), torch).toContain(ours)
    }
  })
})
