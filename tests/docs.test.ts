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

beforeAll(() => {
  compiled = compileAll()
})

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

/**
 * `@example` blocks that are still fragments: they use names from their context (`x`, `model`, `graph`) that they
 * neither import nor declare. Fix one (declare or import what it uses, or show it in a ```text fence) and remove its
 * line here; the list may only shrink.
 */
const FRAGMENT_EXAMPLES: readonly (readonly [string, string])[] = [
  ["src/cli/compare.ts", "resultsTable(report.results)"],
  ["src/cli/compare.ts", "process.exitCode = await compareCommand(['lenet', 'nin-small', '--epochs', '1', '--out', 'runs/cmp'], processIo())"],
  ["src/cli/io.ts", "const lines: string[] = []"],
  ["src/cli/io.ts", "process.exitCode = await main(process.argv.slice(2), processIo())"],
  ["src/cli/io.ts", "reportError('train', io, new CliError('--epochs: expected a positive integer, got \"x\"', 2)) // 2"],
  ["src/cli/main.ts", "await main(['--version'], io) // 0, prints \"0.1.0\""],
  ["src/cli/run.ts", "const input = { shape: [1, 1, 28, 28], data: new Float32Array(784) }"],
  ["src/cli/run.ts", "await runCommand(['lenet', '--weights', 'w.safetensors', '--input', 'x.safetensors', '--output', 'y.safetensors'], processIo())"],
  ["src/cli/summary.ts", "await summaryCommand(['alexnet', '--json'], processIo())"],
  ["src/cli/train.ts", "JSON.stringify(jsonSummary(result, backend)) // {\"model\":\"lenet\",\"epochs\":2,\"train_loss\":0.52,...}"],
  ["src/cli/train.ts", "process.exitCode = await trainCommand(['lenet', '--epochs', '2', '--json'], processIo())"],
  ["src/data/batches.ts", "for (const { x, y } of batches(ds.train, { batchSize: 128, seed: 7, epoch, resize: 224 })) {"],
  ["src/data/fashionMnist.ts", "await readDatasetFiles(FASHION_MNIST, files, 'my copy', '/data/fm')()"],
  ["src/data/fashionMnist.ts", "const result = await loadDataset('fashion-mnist', { dataDir: args.dataDir })()"],
  ["src/data/idx.ts", "const plain = await gunzipIfNeeded(fileBytes, 'train-images-idx3-ubyte.gz')()"],
  ["src/data/transforms.ts", "const x = gatherPixels(split.images, [5, 2], 28 * 28, 'scale') // 2·784 floats in [0, 1]"],
  ["src/graph/combinators.ts", "pipe(x, sequential(flow(conv2d({ out: 64, kernel: 3, padding: 1 }), relu))) // paths 0.0, 0.1"],
  ["src/graph/combinators.ts", "pipe(x, named('relu', relu), named('maxpool', maxPool2d({ kernel: 3, stride: 2, padding: 1 })))"],
  ["src/graph/combinators.ts", "const block = parallel(branch1, branch2, branch3, branch4)"],
  ["src/graph/summary.ts", "console.log(formatSummary(summarize(graph, 'lenet')))"],
  ["src/io/safetensors.ts", "const decoded = decodeSafetensors(bytes, { source: 'lenet.safetensors' })"],
  ["src/io/safetensors.ts", "const w = toFloat32Array(file.tensors.get('fc.weight')!) // Either<SafetensorsError, Float32Array>"],
  ["src/io/stateDict.ts", "const matched = matchStateDict([{ name: 'fc.weight', shape: [10, 84] }, { name: 'fc.bias', shape: [10] }], file)"],
  ["src/io/stateDict.ts", "formatStateDictMismatch(mismatch)"],
  ["src/layers/elementwise.ts", "pipe(x, identity) // same tensor"],
  ["src/graph/merge.ts", "concat(a, b) // a: Tensor<[N, 64, 28, 28]>, b: Tensor<[N, 32, 28, 28]> → Tensor<[N, 96, 28, 28]>"],
  ["src/graph/merge.ts", "add(mainPath, shortcut) // both Tensor<[N, 64, 56, 56]>"],
  ["src/io/checkpoint.ts", "const { weights, optimizer } = splitCheckpointTensors(checkpoint.tensors)"],
  ["src/cli/check.ts", "await checkCommand(['-p', 'tsconfig.json'], processIo())"],
  ["src/train/job.ts", "try { await trainOne(job, dataset) } catch (e) { if (e instanceof TrainError && e.kind === 'diverged') ... }"],
  ["src/train/job.ts", "const result = await trainOne(resolveTrainJob('lenet', zoo.lenet, { epochs: 2 }), dataset, {"],
  ["src/train/trainingCheckpoint.ts", "datasetFingerprint(dataset, 4000) // { name: 'fashion-mnist', source: '…', train: { images: 4000, sha256: '…' } }"],
  ["src/runtime/fusedTraining.ts", "const y = fusedConv2dTraining(x, filter, bias, { strides: [1, 1], pad: 1, activation: 'relu' })"],
  ["src/runtime/fusedTraining.ts", "const y = fusedLinearTraining(x, w, b, 'relu')"],
  ["src/runtime/kernels/compose.ts", "const out = composeKernels(backend, 'wasm', ({ run }) => {"],
  ["src/runtime/kernels/index.ts", "import * as tf from '@tensorflow/tfjs'"],
  ["src/runtime/kernels/transposedConvInput.ts", "const { input, pad } = transposedConvInput(run, dy, geometry)"],
  ["src/runtime/model.ts", "validateInput(graph, tf.zeros([8, 1, 28, 28])) // ok for an [N, 1, 28, 28] graph"],
  ["src/train/fit.ts", "const state = initialTrainingState(compile(graph), { epochs: 2, batchSize: 128, seed: 0, optimizer: { name: 'adam', learningRate: 1e-3 } })"],
  ["src/train/fit.ts", "const { accuracy } = await evaluate(model, state.model, dataset.test, { batchSize: 256 })"],
  ["src/train/fit.ts", "const final = await fit(model, dataset, options, initialTrainingState(model, options), {"],
  ["src/train/optimizers.ts", "const next = applyStep(makeOptimizer({ name: 'sgd', learningRate: 0.1, momentum: 0.9 }), params, grads, state, 0.1)"],
  ["src/train/optimizers.ts", "const opt = sgd({ name: 'sgd', learningRate: 0.1, momentum: 0.9, weightDecay: 5e-4 })"],
  ["src/train/progress.ts", "formatEpoch(m, 2) // 'epoch 1/2  train loss 0.6123  train acc 0.771  test loss 0.5010  test acc 0.812  2690 img/s  24.1 s'"],
  ["src/train/trainingCheckpoint.ts", "await saveTrainingCheckpoint('runs/lenet', model, state, { model: 'lenet', modelOptions }, options)()"],
  ["src/train/trainingCheckpoint.ts", "const resumed = await loadTrainingCheckpoint('runs/lenet', model)()"],
]

describe('@example blocks in the TSDoc of src/', () => {
  const key = (s: { file: string; first?: string }) => `${rel(s.file)}: ${s.first}`
  const fragments = new Set(FRAGMENT_EXAMPLES.map(([file, first]) => `${file}: ${first}`))

  it('finds the examples', () => {
    expect(compiled.snippets.filter((s) => s.example).length).toBeGreaterThan(100)
  })

  it('type-checks every example that is not a listed fragment', () => {
    const failures = compiled.snippets
      .filter((s) => s.example && s.diagnostics !== '' && !fragments.has(key(s)))
      .map((s) => `${rel(s.file)}:${s.line}\n${s.diagnostics}`)
    expect(failures).toEqual([])
  })

  it('lists no fragment that now compiles or is gone', () => {
    const failing = new Set(compiled.snippets.filter((s) => s.example && s.diagnostics !== '').map(key))
    expect([...fragments].filter((f) => !failing.has(f))).toEqual([])
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
