import { spawn } from 'node:child_process'
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import * as E from 'fp-ts/lib/Either.js'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { booleanFlag, choiceFlag, closestMatch, formatFlagHelp, integerFlag, numberFlag, parseArgs, stringFlag } from '../src/cli/args.js'
import { memoryIo, reportError } from '../src/cli/io.js'
import { main } from '../src/cli/main.js'
import { checkpointTensorsPath } from '../src/io/checkpoint.js'
import { lineChartSvg, niceTicks } from '../src/cli/plot.js'
import { selectBackend } from '../src/runtime/backend.js'

// Tests keep 1 wasm thread (parallel test files share the cores); the commands' default then gives way to it.
beforeAll(async () => {
  await selectBackend({ backend: 'wasm', threads: 1 })
})

const specs = {
  epochs: integerFlag('epochs', 'E'),
  seed: integerFlag('seed', 'S', 0),
  lr: numberFlag('learning rate', 'LR'),
  optimizer: choiceFlag(['sgd', 'adam'], 'optimizer'),
  out: stringFlag('output', 'DIR'),
  json: booleanFlag('json'),
}

describe('flag parsing', () => {
  const ok = (argv: string[]) => {
    const r = parseArgs(argv, specs)
    if (E.isLeft(r)) throw new Error(r.left.message)
    return r.right
  }
  const error = (argv: string[]) => {
    const r = parseArgs(argv, specs)
    if (E.isRight(r)) throw new Error(`expected an error for ${argv.join(' ')}`)
    return r.left.message
  }

  it('parses values, = syntax, booleans, positionals and --', () => {
    const r = ok(['lenet', '--epochs', '3', '--lr=0.01', '--optimizer', 'sgd', '--json', 'nin', '--', '--not-a-flag'])
    expect(r.positionals).toEqual(['lenet', 'nin', '--not-a-flag'])
    expect(r.flags).toEqual({ epochs: 3, lr: 0.01, optimizer: 'sgd', json: true })
    expect(r.help).toBe(false)
    expect(ok(['-h']).help).toBe(true)
    expect(ok(['--seed', '0']).flags.seed).toBe(0)
  })

  it('explains bad values', () => {
    expect(error(['--epochs', 'x'])).toBe('--epochs: expected a positive integer, got "x"')
    expect(error(['--epochs', '0'])).toBe('--epochs: expected a positive integer, got "0"')
    expect(error(['--epochs', '1.5'])).toBe('--epochs: expected a positive integer, got "1.5"')
    expect(error(['--seed', '-1'])).toBe('--seed: expected a non-negative integer, got "-1"')
    expect(error(['--lr', '-0.1'])).toBe('--lr: expected a positive number, got "-0.1"')
    expect(error(['--lr', 'fast'])).toBe('--lr: expected a positive number, got "fast"')
    expect(error(['--optimizer', 'rmsprop'])).toBe('--optimizer: expected one of sgd, adam, got "rmsprop"')
    expect(error(['--epochs'])).toBe('--epochs: missing value (expected E)')
    expect(error(['--epochs', '--json'])).toBe('--epochs: missing value (expected E)')
    expect(error(['--epoch', '2'])).toBe('unknown flag --epoch (did you mean --epochs?)')
    expect(error(['--frobnicate'])).toBe('unknown flag --frobnicate')
    expect(error(['--epochs', '1', '--epochs', '2'])).toBe('--epochs given more than once')
    expect(error(['-e'])).toBe('unknown option -e (flags start with --)')
  })

  it('formats help and suggests close names', () => {
    expect(formatFlagHelp({ json: booleanFlag('one JSON line'), epochs: integerFlag('epochs', 'E') })).toBe(
      '  --json      one JSON line\n  --epochs E  epochs',
    )
    expect(closestMatch('trian', ['train', 'compare'])).toBe('train')
    expect(closestMatch('zzzzzz', ['train', 'compare'])).toBeUndefined()
  })
})

describe('error reporting', () => {
  it('explains a wasm out-of-memory abort instead of calling it an internal error', () => {
    for (const message of ['memory access out of bounds', 'Aborted(). Build with -sASSERTIONS for more info.']) {
      const io = memoryIo()
      expect(reportError('train', io, new Error(message))).toBe(1)
      expect(io.err()).toMatch(/ran out of memory .*smaller --batch-size or --resize/)
      expect(io.err()).not.toMatch(/internal error/)
    }
  })
})

describe('SVG line charts', () => {
  it('chooses nice ticks that enclose the data', () => {
    const ticks = niceTicks(0.62, 0.87, 5)
    expect(ticks[0]).toBeLessThanOrEqual(0.62)
    expect(ticks[ticks.length - 1]).toBeGreaterThanOrEqual(0.87)
    expect(ticks).toEqual([0.6, 0.65, 0.7, 0.75, 0.8, 0.85, 0.9])
    expect(niceTicks(1, 3, 6, true)).toEqual([1, 2, 3])
    expect(niceTicks(1, 1, 5, true).length).toBeGreaterThanOrEqual(2)
  })

  it('draws axes, ticks, one line per series and a legend, escaping names', () => {
    const svg = lineChartSvg({
      title: 'Test accuracy',
      xLabel: 'epoch',
      yLabel: 'accuracy',
      integerX: true,
      series: [
        { name: 'lenet', points: [[1, 0.7], [2, 0.8]] },
        { name: 'a<b', points: [[1, 0.5], [2, NaN]] },
      ],
    })
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true)
    expect(svg.trimEnd().endsWith('</svg>')).toBe(true)
    expect(svg.match(/<polyline /g)).toHaveLength(1) // the second series has one finite point: a marker only
    expect(svg.match(/<circle /g)?.length).toBe(3 + 2) // 3 data points + 2 legend markers
    expect(svg).toContain('>lenet</text>')
    expect(svg).toContain('>a&lt;b</text>')
    expect(svg).toContain('>epoch</text>')
    expect(svg).toContain('>0.8</text>')
    expect(svg).not.toContain('NaN')
  })
})

describe('shapesafe command line', () => {
  let dir: string
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'shapesafe-cli-'))
  })
  afterAll(() => {
    rmSync(dir, { recursive: true, force: true })
  })

  it('prints help and the version; rejects unknown commands with exit 2', async () => {
    const help = memoryIo()
    expect(await main(['--help'], help)).toBe(0)
    expect(help.out()).toMatch(/Usage: shapesafe <command>[\s\S]*train <model>[\s\S]*compare <model>/)
    const version = memoryIo()
    expect(await main(['--version'], version)).toBe(0)
    expect(version.out().trim()).toBe(JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')).version)
    const unknown = memoryIo()
    expect(await main(['trian'], unknown)).toBe(2)
    expect(unknown.err()).toMatch(/^shapesafe: unknown command 'trian' \(did you mean train\?\)\n\nshapesafe /)
    expect(await main([], memoryIo())).toBe(2)
  })

  it('reports bad train flags without a stack trace (exit 2)', async () => {
    const cases: [string[], RegExp][] = [
      [['train', 'lenet', '--epochs', 'x'], /^shapesafe train: --epochs: expected a positive integer, got "x"\n/],
      [['train', 'lenett'], /unknown model 'lenett'; did you mean lenet, lenet-bn\?/],
      [['train'], /which model\?/],
      [['train', 'lenet', '--resume'], /--resume needs --checkpoint PATH/],
      [['train', 'lenet', '--momentum', '0.9'], /--momentum applies to --optimizer sgd only/],
      [['train', 'alexnet', '--resize', '20'], /alexnet cannot take input \[1, 1, 20, 20\]/],
      [['train', 'lenet', '--backend', 'quantum'], /unknown backend "quantum"/],
      [['compare', '--epochs', '1'], /which models\?/],
    ]
    for (const [argv, message] of cases) {
      const io = memoryIo()
      expect(await main(argv, io), argv.join(' ')).toBe(2)
      expect(io.err()).toMatch(message)
      expect(io.err()).not.toMatch(/\n\s+at /)
    }
  })

  const tiny = ['--limit-train', '256', '--limit-test', '128', '--backend', 'wasm']
  const lastJson = (out: string) => JSON.parse(out.trimEnd().split('\n').at(-1)!) as Record<string, unknown>

  it('train --json ends stdout with one JSON object (real Fashion-MNIST)', async () => {
    const io = memoryIo()
    expect(await main(['train', 'lenet', '--epochs', '1', '--json', ...tiny], io)).toBe(0)
    const summary = lastJson(io.out())
    expect(Object.keys(summary).sort()).toEqual(
      ['backend', 'epochs', 'images_per_s', 'model', 'seconds', 'test_acc', 'train_acc', 'train_loss'].sort(),
    )
    expect(summary).toMatchObject({ model: 'lenet', epochs: 1, backend: 'wasm' })
    expect(summary.test_acc).toBeGreaterThanOrEqual(0)
    expect(summary.test_acc).toBeLessThanOrEqual(1)
    expect(summary.images_per_s).toBeGreaterThan(0)
    expect(io.out().trimEnd().split('\n')).toHaveLength(1)
    expect(io.err()).toBe('')
  })

  it('train --checkpoint then --resume gives the uninterrupted result; conflicting flags are refused', async () => {
    const ckpt = join(dir, 'lenet')
    const full = memoryIo()
    expect(await main(['train', 'lenet', '--epochs', '2', '--json', ...tiny], full)).toBe(0)
    const first = memoryIo()
    expect(await main(['train', 'lenet', '--epochs', '1', '--checkpoint', ckpt, ...tiny], first)).toBe(0)
    expect(first.out()).toMatch(/epoch 1\/1 .*test acc/)
    expect(existsSync(`${ckpt}.json`) && existsSync((await checkpointTensorsPath(ckpt))!)).toBe(true)
    const conflict = memoryIo()
    expect(await main(['train', 'lenet', '--checkpoint', ckpt, '--resume', '--lr', '0.1'], conflict)).toBe(2)
    expect(conflict.err()).toMatch(/cannot resume with --lr 0.1: .* was trained with --lr 0.005/)
    const resumed = memoryIo()
    expect(await main(['train', 'lenet', '--epochs', '2', '--checkpoint', ckpt, '--resume', '--json', '--backend', 'wasm'], resumed)).toBe(0)
    const a = lastJson(full.out())
    const b = lastJson(resumed.out())
    expect(b.epochs).toBe(2)
    expect(b.train_loss).toBe(a.train_loss)
    expect(b.train_acc).toBe(a.train_acc)
    expect(b.test_acc).toBe(a.test_acc)
    const meta = JSON.parse(readFileSync(`${ckpt}.json`, 'utf8')).meta
    expect(meta.epoch).toBe(2)
    expect(meta.metrics).toHaveLength(2)
  })

  it('a diverging run stops with a clear message (exit 1)', async () => {
    const io = memoryIo()
    expect(await main(['train', 'lenet', '--epochs', '1', '--optimizer', 'sgd', '--lr', '1e38', '--json', ...tiny], io)).toBe(1)
    expect(io.err()).toMatch(/^shapesafe train: training diverged: the loss is (NaN|Infinity) at epoch 1, batch \d+;.*no checkpoint was written/)
  })

  it('compare writes results.md, accuracy.svg, loss.svg and results.json', async () => {
    const out = join(dir, 'cmp')
    const io = memoryIo()
    const code = await main(
      ['compare', 'lenet', 'resnet-small', '--epochs', '2', '--limit-train', '64', '--limit-test', '32', '--batch-size', '32', '--backend', 'wasm', '--out', out],
      io,
    )
    expect(io.err()).toBe('')
    expect(code).toBe(0)
    const table = readFileSync(join(out, 'results.md'), 'utf8')
    expect(table).toContain('| model | input | params | optimizer | batch | epochs | test acc | train acc | train loss | images/s | seconds | engine |')
    expect(table).toMatch(/\| lenet \| 1×28×28 \| 61,706 \| adam 0\.005 \| 32 \| 2 \| \d+\.\d\d % \|.* \| tfjs wasm, 1 thread \|\n/)
    expect(table).toMatch(/\| resnet-small \| 1×28×28 \| [\d,]+ \|/)
    expect(io.out()).toContain('| model | input | params |')
    expect(io.out()).toContain(join(out, 'accuracy.svg'))
    for (const svg of ['accuracy.svg', 'loss.svg']) {
      const text = readFileSync(join(out, svg), 'utf8')
      expect(text).toMatch(/^<svg /)
      expect(text.match(/<polyline /g)).toHaveLength(2)
      expect(text).toContain('>resnet-small</text>')
    }
    const report = JSON.parse(readFileSync(join(out, 'results.json'), 'utf8'))
    expect(report.results.map((r: { model: string }) => r.model)).toEqual(['lenet', 'resnet-small'])
    expect(report.results[0].history).toHaveLength(2)
    expect(report.results[0]).toMatchObject({ optimizer: { name: 'adam', learningRate: 0.005 }, batchSize: 32, engine: 'tfjs', device: 'wasm, 1 thread' })
    expect(report.budget).toMatchObject({ epochs: 2, limitTrain: 64, limitTest: 32 })
  })

  it('compare --merge joins runs with different epochs and sizes into one table and one pair of plots', async () => {
    const run = async (name: string, extra: string[]) => {
      const io = memoryIo()
      const code = await main(['compare', ...extra, '--limit-train', '64', '--limit-test', '32', '--batch-size', '32', '--backend', 'wasm', '--out', join(dir, name), '--json'], io)
      expect(io.err()).toBe('')
      expect(code).toBe(0)
    }
    await run('m-lenet', ['lenet', '--epochs', '2'])
    await run('m-nin', ['nin-small', '--epochs', '1', '--resize', '32'])
    const io = memoryIo()
    const out = join(dir, 'm-all')
    expect(await main(['compare', '--merge', join(dir, 'm-lenet'), join(dir, 'm-nin'), '--out', out], io)).toBe(0)
    expect(io.err()).toBe('')
    const table = readFileSync(join(out, 'results.md'), 'utf8')
    expect(table).toMatch(/\| lenet \| 1×28×28 \| 61,706 \| adam 0\.005 \| 32 \| 2 \|/)
    expect(table).toMatch(/\| nin-small \| 1×32×32 \| [\d,]+ \| adam 0\.001 \| 32 \| 1 \|/)
    expect(table).toContain(`Merged from ${join(dir, 'm-lenet')}, ${join(dir, 'm-nin')}`)
    const text = readFileSync(join(out, 'accuracy.svg'), 'utf8')
    expect(text).toContain('>lenet</text>')
    expect(text).toContain('>nin-small</text>')
    const report = JSON.parse(readFileSync(join(out, 'results.json'), 'utf8'))
    expect(report.budget).toEqual({ epochs: null, limitTrain: 64, limitTest: 32, batchSize: null })
    expect(report.mergedFrom).toEqual([join(dir, 'm-lenet'), join(dir, 'm-nin')])
    expect(report.results.map((r: { model: string }) => r.model)).toEqual(['lenet', 'nin-small'])

    // Boundary errors name the file or the difference, exit 2, write nothing.
    const missing = memoryIo()
    expect(await main(['compare', '--merge', join(dir, 'm-lenet'), join(dir, 'nowhere'), '--out', join(dir, 'm-bad')], missing)).toBe(2)
    expect(missing.err()).toContain(`--merge: cannot read ${join(dir, 'nowhere', 'results.json')}: no such file`)
    writeFileSync(join(dir, 'm-nin', 'results.json'), '{"dataset": ')
    const broken = memoryIo()
    expect(await main(['compare', '--merge', join(dir, 'm-lenet'), join(dir, 'm-nin'), '--out', join(dir, 'm-bad')], broken)).toBe(2)
    expect(broken.err()).toContain(`--merge: ${join(dir, 'm-nin', 'results.json')} is not JSON`)
    const other = JSON.parse(readFileSync(join(dir, 'm-lenet', 'results.json'), 'utf8'))
    writeFileSync(join(dir, 'm-nin', 'results.json'), JSON.stringify({ ...other, budget: { ...other.budget, limitTrain: 128 } }))
    const differs = memoryIo()
    expect(await main(['compare', '--merge', join(dir, 'm-lenet'), join(dir, 'm-nin'), '--out', join(dir, 'm-bad')], differs)).toBe(2)
    expect(differs.err()).toContain(`--merge: ${join(dir, 'm-nin')} was run with train/test limits [128,32]`)
    expect(existsSync(join(dir, 'm-bad', 'results.md'))).toBe(false)
  })
})

describe('shapesafe train: checkpoints, resume and signals', () => {
  let dir: string
  let base: string
  const tiny = ['--limit-train', '256', '--limit-test', '128', '--backend', 'wasm']
  /** A copy of the one-epoch lenet checkpoint at `base`, at a fresh path. */
  let copies = 0
  const copyOfBase = (): string => {
    const to = join(dir, `copy-${copies++}`)
    cpSync(join(dir, 'base'), to, { recursive: true })
    return join(to, 'ckpt')
  }
  const run = async (argv: string[]) => {
    const io = memoryIo()
    const code = await main(argv, io)
    return { code, out: io.out(), err: io.err() }
  }
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'shapesafe-cli-ckpt-'))
    base = join(dir, 'base', 'ckpt')
    const first = await run(['train', 'lenet', '--epochs', '1', '--checkpoint', base, ...tiny])
    expect(first.code, first.err).toBe(0)
  }, 60_000)
  afterAll(() => {
    rmSync(dir, { recursive: true, force: true })
  })

  it('records the dataset and a checksum of the training images used', async () => {
    const meta = JSON.parse(readFileSync(`${base}.json`, 'utf8')).meta
    expect(meta.extra.dataset).toMatchObject({ name: 'fashion-mnist', train: { images: 256 } })
    expect(meta.extra.dataset.train.sha256).toMatch(/^[0-9a-f]{64}$/)
    expect(meta.extra.dataset.source).toMatch(/^(sample \(4000\/2000 images\)|Debian package dataset-fashion-mnist|cache|download|SHAPESAFE_DATA)/)
  })

  it('refuses to replace an existing checkpoint without --resume unless --overwrite', async () => {
    const path = copyOfBase()
    const before = readFileSync(`${path}.json`, 'utf8')
    const refused = await run(['train', 'lenet', '--epochs', '1', '--checkpoint', path, ...tiny])
    expect(refused.code).toBe(2)
    expect(refused.err).toMatch(/already holds a checkpoint \(a run of lenet, epoch 1\): add --resume to continue it, or --overwrite/)
    expect(readFileSync(`${path}.json`, 'utf8')).toBe(before)
    expect((await run(['train', 'lenet', '--checkpoint', path, '--resume', '--overwrite'])).err).toMatch(/--resume and --overwrite contradict/)
    const replaced = await run(['train', 'lenet', '--epochs', '1', '--seed', '3', '--checkpoint', path, '--overwrite', ...tiny])
    expect(replaced.code, replaced.err).toBe(0)
    expect(JSON.parse(readFileSync(`${path}.json`, 'utf8')).meta.seed).toBe(3)
    expect(readdirSync(dirname(path))).toHaveLength(2) // the JSON and its tensors file; the old tensors are gone
  })

  it('--checkpoint DIR/ and an existing directory write DIR/checkpoint.json, never a hidden DIR/.json', async () => {
    const slash = join(dir, 'slashdir')
    const made = await run(['train', 'lenet', '--epochs', '1', '--checkpoint', `${slash}/`, ...tiny])
    expect(made.code, made.err).toBe(0)
    expect(existsSync(join(slash, 'checkpoint.json'))).toBe(true)
    expect(readdirSync(slash).filter((f) => f.startsWith('.'))).toEqual([])
    expect(made.out).toContain(`checkpoint: ${join(slash, 'checkpoint')}`)
    // the same directory without the slash: it exists, so it is the directory again; resume finds the run
    const resumed = await run(['train', 'lenet', '--epochs', '2', '--checkpoint', slash, '--resume', '--json', '--backend', 'wasm'])
    expect(resumed.code, resumed.err).toBe(0)
    expect(JSON.parse(readFileSync(join(slash, 'checkpoint.json'), 'utf8')).meta.epoch).toBe(2)
  })

  it('--resume with --epochs at or below the saved epoch, or on a finished run, says there is nothing to train (exit 2)', async () => {
    const path = copyOfBase()
    for (const extra of [['--epochs', '1'], []]) {
      const r = await run(['train', 'lenet', '--checkpoint', path, '--resume', ...extra, '--backend', 'wasm'])
      expect(r.code, extra.join(' ')).toBe(2)
      expect(r.err).toMatch(/nothing to train: .* (has already done 1 epoch\(s\) and --epochs 1 asks for as many|has finished its 1 epoch\(s\)); give --epochs E \(E > 1\) to train on/)
    }
  })

  it('pins the dataset: another --dataset, or other images under the same name, are refused', async () => {
    const path = copyOfBase()
    const other = await run(['train', 'lenet', '--checkpoint', path, '--resume', '--epochs', '2', '--dataset', 'mnist'])
    expect(other.code).toBe(2)
    expect(other.err).toMatch(/cannot resume with --dataset mnist: .* was trained with --dataset fashion-mnist/)
    // a directory with 300 other images in Fashion-MNIST's format
    const fake = join(dir, 'fake-data')
    mkdirSync(fake)
    const idx = (shape: number[], fill: (i: number) => number) => {
      const n = shape.reduce((a, b) => a * b, 1)
      const header = Buffer.alloc(4 + 4 * shape.length)
      header.writeUInt32BE(0x0800 + shape.length, 0)
      shape.forEach((d, i) => header.writeUInt32BE(d, 4 + 4 * i))
      return Buffer.concat([header, Buffer.from(Uint8Array.from({ length: n }, (_, i) => fill(i)))])
    }
    writeFileSync(join(fake, 'train-images-idx3-ubyte'), idx([300, 28, 28], (i) => i % 251))
    writeFileSync(join(fake, 'train-labels-idx1-ubyte'), idx([300], (i) => i % 10))
    writeFileSync(join(fake, 't10k-images-idx3-ubyte'), idx([200, 28, 28], (i) => i % 13))
    writeFileSync(join(fake, 't10k-labels-idx1-ubyte'), idx([200], (i) => i % 10))
    const differs = await run(['train', 'lenet', '--checkpoint', path, '--resume', '--epochs', '2', '--data-dir', fake, '--backend', 'wasm'])
    expect(differs.code).toBe(1)
    expect(differs.err).toMatch(/cannot resume: .* was trained on other data \(fashion-mnist, 256 training images from .*\) than fashion-mnist now gives \(256 images from --data-dir/)
  })

  it('options read back from a checkpoint are validated: a corrupt checkpoint is reported as corrupt', async () => {
    const cases: Array<[(o: Record<string, any>) => void, RegExp]> = [
      [(o) => (o.schedule = { kind: 'bogus' }), /schedule\.kind must be "constant", "step" or "cosine", got "bogus"/],
      [(o) => (o.optimizer.learningRate = -1), /optimizer\.learningRate must be a positive number, got -1/],
      [(o) => (o.batchSize = 0), /batchSize must be a positive integer, got 0/],
      [(o) => (o.optimizer.name = 'lion'), /optimizer\.name must be "sgd" or "adam", got "lion"/],
      [(o) => (o.epochs = 'many'), /epochs must be a positive integer, got "many"/],
    ]
    for (const [corrupt, message] of cases) {
      const path = copyOfBase()
      const json = JSON.parse(readFileSync(`${path}.json`, 'utf8'))
      corrupt(json.meta.extra.trainOptions)
      writeFileSync(`${path}.json`, JSON.stringify(json))
      const r = await run(['train', 'lenet', '--checkpoint', path, '--resume', '--epochs', '3', '--backend', 'wasm'])
      expect(r.code, String(message)).toBe(1)
      expect(r.err).toMatch(new RegExp(`^shapesafe train: checkpoint ${path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} is corrupt: ${message.source}`))
    }
  })

  const cli = fileURLToPath(new URL('../dist/cli/main.js', import.meta.url))
  /** Starts `shapesafe train` in a child process and resolves once stdout matches `ready`. */
  const startTraining = (argv: string[], ready: RegExp) => {
    const proc = spawn(process.execPath, [cli, 'train', ...argv], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, SHAPESAFE_BACKEND: 'wasm' } })
    let out = ''
    let err = ''
    proc.stdout.on('data', (d: Buffer) => (out += d.toString()))
    proc.stderr.on('data', (d: Buffer) => (err += d.toString()))
    const exited = new Promise<{ code: number | null; out: string; err: string }>((resolve) => proc.on('exit', (code) => resolve({ code, out, err })))
    const started = new Promise<void>((resolve, reject) => {
      proc.stdout.on('data', () => (ready.test(out) ? resolve() : undefined))
      proc.on('exit', () => reject(new Error(`exited before ${ready}: ${err}`)))
    })
    return { proc, exited, started }
  }

  it('Ctrl-C stops between steps, keeps the last checkpoint, and says how to resume (exit 130)', async () => {
    const path = join(dir, 'signal', 'ckpt')
    const { proc, exited, started } = startTraining(['lenet', '--epochs', '50', '--checkpoint', path, ...tiny], /epoch 1\/50/)
    await started
    proc.kill('SIGINT')
    const { code, out, err } = await exited
    expect(code, err).toBe(130)
    expect(err).toMatch(/SIGINT: stopping after the current step/)
    const done = [...out.matchAll(/epoch (\d+)\/50/g)].map((m) => Number(m[1])).at(-1)!
    expect(err).toMatch(new RegExp(`stopped at epoch ${done + 1} after \\d+ batch\\(es\\); the last good checkpoint \\(epoch ${done}\\) is kept at ${path}`))
    expect(err).toContain(`resume with: shapesafe train lenet --checkpoint ${path} --resume`)
    expect(JSON.parse(readFileSync(`${path}.json`, 'utf8')).meta.epoch).toBe(done)
    const resumed = await run(['train', 'lenet', '--checkpoint', path, '--resume', '--epochs', String(done + 1), '--json', '--backend', 'wasm'])
    expect(resumed.code, resumed.err).toBe(0)
  }, 60_000)

  it('SIGTERM likewise (exit 143); a second signal exits at once', async () => {
    const path = join(dir, 'sigterm', 'ckpt')
    const one = startTraining(['lenet', '--epochs', '50', '--checkpoint', path, ...tiny], /epoch 1\/50/)
    await one.started
    one.proc.kill('SIGTERM')
    const first = await one.exited
    expect(first.code, first.err).toBe(143)
    expect(first.err).toMatch(/stopped at epoch \d+ .*the last good checkpoint \(epoch \d+\) is kept at/)

    // One step of resnet-small on 256 images takes seconds: the second signal, sent as soon as the first is
    // acknowledged (two pending signals would merge into one), arrives while that step still runs.
    const twice = join(dir, 'twice', 'ckpt')
    const two = startTraining(['resnet-small', '--epochs', '5', '--batch-size', '256', '--checkpoint', twice, ...tiny], /training resnet-small/)
    await two.started
    let acknowledged = false
    two.proc.stderr.on('data', (d: Buffer) => {
      if (!acknowledged && d.toString().includes('send it again to exit at once')) {
        acknowledged = true
        two.proc.kill('SIGINT')
      }
    })
    await new Promise((r) => setTimeout(r, 500))
    two.proc.kill('SIGINT')
    const second = await two.exited
    expect(second.code).toBe(130)
    expect(second.err).toMatch(/second SIGINT: exiting at once/)
    expect(second.err).not.toMatch(/stopped at epoch/)
  }, 90_000)
})
