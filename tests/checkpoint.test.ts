import { createHash } from 'node:crypto'
import { mkdirSync, readFileSync, readdirSync, writeFileSync, existsSync, unlinkSync } from 'node:fs'
import { basename, dirname, join } from 'node:path'
import { describe, expect, it } from 'vitest'
import * as E from 'fp-ts/lib/Either.js'
import {
  type AtomicWriteFileSystem,
  nodeAtomicWriteFileSystem,
  temporaryPathFor,
  writeFileAtomic,
} from '../src/io/atomicWrite.js'
import {
  type CheckpointMeta,
  type CheckpointTensor,
  checkpointPaths,
  checkpointTensorsPath,
  loadCheckpoint,
  optimizerTensorName,
  saveCheckpoint,
  splitCheckpointTensors,
} from '../src/io/checkpoint.js'
import { scratchDirs } from './helpers/scratch.js'
import { decodeSafetensors, encodeSafetensors } from '../src/io/safetensors.js'

const { freshDir } = scratchDirs('shapesafe-checkpoint-')

const right = <A>(e: E.Either<unknown, A>): A => {
  if (E.isLeft(e)) throw new Error(`expected Right, got ${JSON.stringify(e.left)}`)
  return e.right
}
const left = <L>(e: E.Either<L, unknown>): L => {
  if (E.isRight(e)) throw new Error('expected Left, got Right')
  return e.left
}

/** Files in `dir` other than the ones named: leftover temporaries would show up here. */
const strayFiles = (dir: string, ...expected: string[]): string[] => readdirSync(dir).filter((f) => !expected.includes(f))

describe('writeFileAtomic', () => {
  it('creates missing parent directories and writes bytes or text', async () => {
    const path = join(freshDir(), 'a', 'b', 'out.bin')
    right(await writeFileAtomic(path, new Uint8Array([1, 2, 3]))())
    expect([...readFileSync(path)]).toEqual([1, 2, 3])
    right(await writeFileAtomic(path, 'héllo\n')())
    expect(readFileSync(path, 'utf8')).toBe('héllo\n')
    expect(strayFiles(dirname(path), 'out.bin')).toEqual([])
  })

  it('uses a unique hidden temporary file in the same directory', () => {
    const a = temporaryPathFor('/x/y/model.safetensors')
    const b = temporaryPathFor('/x/y/model.safetensors')
    expect(dirname(a)).toBe('/x/y')
    expect(a).toMatch(/^\/x\/y\/\.model\.safetensors\.\d+\.[0-9a-f]{12}\.tmp$/)
    expect(a).not.toBe(b)
  })

  it('a failure mid-write leaves the old file intact and removes the temporary file', async () => {
    const dir = freshDir()
    const path = join(dir, 'weights.bin')
    writeFileSync(path, 'old content')
    let tempSeen = ''
    const failing: AtomicWriteFileSystem = {
      ...nodeAtomicWriteFileSystem,
      writeNew: async (temp, data) => {
        tempSeen = temp
        // half the bytes reach the disk, then the disk is full
        await nodeAtomicWriteFileSystem.writeNew(temp, data.subarray(0, data.length >> 1))
        throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' })
      },
    }
    const error = left(await writeFileAtomic(path, 'new content, much longer than the old one', { fileSystem: failing })())
    expect(error).toMatchObject({ _tag: 'IoError', operation: 'write', path, code: 'ENOSPC' })
    expect(error.message).toBe(`could not write ${path}: ENOSPC: no space left on device, write`)
    expect(dirname(tempSeen)).toBe(dir)
    expect(readFileSync(path, 'utf8')).toBe('old content')
    expect(strayFiles(dir, 'weights.bin')).toEqual([])
  })

  it('a failing rename leaves the old file intact and removes the temporary file', async () => {
    const dir = freshDir()
    const path = join(dir, 'weights.bin')
    writeFileSync(path, 'old')
    const failing: AtomicWriteFileSystem = {
      ...nodeAtomicWriteFileSystem,
      rename: async () => {
        throw Object.assign(new Error('EXDEV: cross-device link not permitted'), { code: 'EXDEV' })
      },
    }
    expect(left(await writeFileAtomic(path, 'new', { fileSystem: failing })())).toMatchObject({ operation: 'rename', code: 'EXDEV' })
    expect(readFileSync(path, 'utf8')).toBe('old')
    expect(strayFiles(dir, 'weights.bin')).toEqual([])
  })

  it('real failures: target is a non-empty directory, parent is a regular file', async () => {
    const dir = freshDir()
    const target = join(dir, 'taken')
    mkdirSync(target)
    writeFileSync(join(target, 'inside'), 'x')
    expect(left(await writeFileAtomic(target, 'data')())).toMatchObject({ _tag: 'IoError', operation: 'rename', path: target })
    expect(strayFiles(dir, 'taken')).toEqual([])
    expect(readFileSync(join(target, 'inside'), 'utf8')).toBe('x')

    writeFileSync(join(dir, 'file'), 'x')
    const underFile = join(dir, 'file', 'sub', 'out.bin')
    expect(left(await writeFileAtomic(underFile, 'data')())).toMatchObject({ operation: 'mkdir', path: underFile })
  })

  it('concurrent writers never leave a mixed or partial file', async () => {
    const dir = freshDir()
    const path = join(dir, 'shared.txt')
    const contents = Array.from({ length: 8 }, (_, i) => String(i).repeat(10_000 + i))
    const results = await Promise.all(contents.map((c) => writeFileAtomic(path, c)()))
    expect(results.every(E.isRight)).toBe(true)
    expect(contents).toContain(readFileSync(path, 'utf8'))
    expect(strayFiles(dir, 'shared.txt')).toEqual([])
  })
})

const meta: CheckpointMeta = {
  model: 'lenet',
  modelOptions: { batchNorm: true, classes: 10 },
  epoch: 3,
  optimizer: { name: 'adam', hyperParameters: { learningRate: 0.001, beta1: 0.9, beta2: 0.999 }, state: { step: 1407 } },
  metrics: [
    { epoch: 1, trainLoss: 0.9, testAccuracy: 0.71 },
    { epoch: 2, trainLoss: 0.6, testAccuracy: 0.8 },
    { epoch: 3, trainLoss: Number.NaN, testAccuracy: 0.82 },
  ],
  seed: 42,
  extra: { git: 'abc123', notes: ['a', 1] },
}

const tensors = (scale = 1): Map<string, CheckpointTensor> =>
  new Map([
    ['features.0.weight', { shape: [2, 1, 2, 2], data: Float32Array.from({ length: 8 }, (_, i) => i * scale) }],
    ['features.0.bias', { shape: [2], data: new Float32Array([0.5, -0.5]) }],
    [optimizerTensorName('m', 'features.0.weight'), { shape: [2, 1, 2, 2], data: new Float32Array(8).fill(0.01) }],
    [optimizerTensorName('m', 'features.0.bias'), { shape: [2], data: new Float32Array([1, 2]) }],
    [optimizerTensorName('v', 'features.0.weight'), { shape: [2, 1, 2, 2], data: new Float32Array(8).fill(1e-4) }],
  ])

describe('saveCheckpoint / loadCheckpoint', () => {
  it('round-trips tensors and metadata; NaN metrics become null', async () => {
    const path = join(freshDir(), 'runs', 'lenet', 'epoch-3')
    right(await saveCheckpoint(path, { tensors: tensors(), meta })())
    const tensorsPath = (await checkpointTensorsPath(path))!
    expect(tensorsPath).toMatch(/\/epoch-3\.\d+-[0-9a-f]{12}\.safetensors$/)
    expect(existsSync(tensorsPath) && existsSync(`${path}.json`)).toBe(true)
    expect(strayFiles(dirname(path), basename(tensorsPath), 'epoch-3.json')).toEqual([])

    const loaded = right(await loadCheckpoint(path)())
    expect([...loaded.tensors.keys()].sort()).toEqual([...tensors().keys()].sort())
    for (const [name, t] of tensors()) expect(loaded.tensors.get(name), name).toEqual({ shape: t.shape, data: t.data })
    expect(loaded.meta).toEqual({ ...meta, metrics: [meta.metrics[0], meta.metrics[1], { epoch: 3, trainLoss: null, testAccuracy: 0.82 }] })

    // The JSON is readable and the tensors file is a plain safetensors file.
    const json = JSON.parse(readFileSync(`${path}.json`, 'utf8'))
    expect(json).toMatchObject({ format: 'shapesafe-checkpoint', version: 2, tensors: { file: basename(tensorsPath), count: 5 } })
    const file = right(decodeSafetensors(new Uint8Array(readFileSync(tensorsPath))))
    expect([...file.tensors.values()].every((t) => t.dtype === 'F32')).toBe(true)
  })

  it('accepts a record of tensors and overwrites an earlier save', async () => {
    const path = join(freshDir(), 'last')
    right(await saveCheckpoint(path, { tensors: tensors(1), meta })())
    right(await saveCheckpoint(path, { tensors: Object.fromEntries(tensors(2)), meta: { ...meta, epoch: 4 } })())
    const loaded = right(await loadCheckpoint(path)())
    expect(loaded.meta.epoch).toBe(4)
    expect(loaded.tensors.get('features.0.weight')!.data[3]).toBe(6)
    // the superseded tensors file is gone
    expect(strayFiles(dirname(path), basename((await checkpointTensorsPath(path))!), 'last.json')).toEqual([])
  })

  it('splits weights from optimizer state', () => {
    const { weights, optimizer } = splitCheckpointTensors(tensors())
    expect([...weights.keys()]).toEqual(['features.0.weight', 'features.0.bias'])
    expect([...optimizer.keys()]).toEqual(['m', 'v'])
    expect([...optimizer.get('m')!.keys()]).toEqual(['features.0.weight', 'features.0.bias'])
    expect(optimizer.get('v')!.get('features.0.weight')!.data[0]).toBeCloseTo(1e-4)
    expect(() => optimizerTensorName('a.b', 'w')).toThrow(/slot/)
  })

  it('invalid input is InvalidInput and writes nothing', async () => {
    const dir = freshDir()
    const path = join(dir, 'bad')
    const short = new Map([['w', { shape: [2, 2], data: new Float32Array(3) }]])
    const e1 = left(await saveCheckpoint(path, { tensors: short, meta })())
    expect(e1).toMatchObject({ _tag: 'CheckpointError', reason: 'InvalidInput', path })
    expect(e1.message).toMatch(/tensor "w": shape \[2, 2\] F32 needs 16 bytes/)
    const e2 = left(await saveCheckpoint(path, { tensors: tensors(), meta: { ...meta, extra: { big: 1n } } })())
    expect(e2.message).toMatch(/not JSON-serialisable/)
    const e3 = left(await saveCheckpoint(path, { tensors: tensors(), meta: { ...meta, epoch: -1 } })())
    expect(e3.message).toMatch(/"meta.epoch" must be a non-negative integer/)
    const e4 = left(await saveCheckpoint(path, {
      tensors: new Map([['w', { shape: [1], data: new Float64Array(1) as unknown as Float32Array }]]),
      meta,
    })())
    expect(e4.message).toMatch(/must hold a Float32Array/)
    expect(readdirSync(dir)).toEqual([])
  })

  it('a write failure is WriteFailed', async () => {
    const dir = freshDir()
    writeFileSync(join(dir, 'file'), 'x')
    const error = left(await saveCheckpoint(join(dir, 'file', 'ckpt'), { tensors: tensors(), meta })())
    expect(error).toMatchObject({ reason: 'WriteFailed' })
    expect(error.message).toMatch(/^cannot save checkpoint .*: could not create the directory/)
  })

  describe('missing or corrupt files give clear errors', () => {
    const saved = async (): Promise<{ path: string; paths: { meta: string; tensors: string } }> => {
      const path = join(freshDir(), 'ckpt')
      right(await saveCheckpoint(path, { tensors: tensors(), meta })())
      return { path, paths: { meta: checkpointPaths(path).meta, tensors: (await checkpointTensorsPath(path))! } }
    }

    it('nothing saved', async () => {
      const path = join(freshDir(), 'never')
      const error = left(await loadCheckpoint(path)())
      expect(error).toMatchObject({ _tag: 'CheckpointError', reason: 'MissingMeta', path })
      expect(error.message).toBe(`cannot load checkpoint ${path}: ${path}.json not found`)
    })

    it('tensors without JSON: a first save that never completed', async () => {
      const { path, paths } = await saved()
      unlinkSync(paths.meta)
      const error = left(await loadCheckpoint(path)())
      expect(error.reason).toBe('MissingMeta')
      expect(error.message).toBe(`cannot load checkpoint ${path}: ${path}.json not found`)
    })

    it('JSON without tensors', async () => {
      const { path, paths } = await saved()
      unlinkSync(paths.tensors)
      expect(left(await loadCheckpoint(path)())).toMatchObject({
        reason: 'MissingTensors',
        message: `cannot load checkpoint ${path}: ${paths.tensors} (named by ${paths.meta}) not found`,
      })
    })

    it('JSON that is not JSON, not ours, from another version, or with a bad field', async () => {
      const { path, paths } = await saved()
      const good = JSON.parse(readFileSync(paths.meta, 'utf8'))
      const cases: Array<[string, RegExp]> = [
        ['{"format": "shapesafe-checkp', /is not valid JSON/],
        ['[1, 2]', /is not a shapesafe checkpoint/],
        [JSON.stringify({ ...good, version: 99 }), /has version 99; this version reads 1 and 2/],
        [JSON.stringify({ ...good, tensors: {} }), /must record the tensor file's "bytes" and "sha256"/],
        [JSON.stringify({ ...good, meta: { ...good.meta, model: 3 } }), /"meta.model" must be a string/],
        [JSON.stringify({ ...good, meta: { ...good.meta, optimizer: { name: 'sgd' } } }), /"meta.optimizer.hyperParameters" must be an object/],
        [JSON.stringify({ ...good, meta: { ...good.meta, metrics: [1] } }), /"meta.metrics" must be a list of objects/],
      ]
      for (const [text, message] of cases) {
        writeFileSync(paths.meta, text)
        const error = left(await loadCheckpoint(path)())
        expect(error.reason, text).toBe('CorruptMeta')
        expect(error.message, text).toMatch(message)
      }
    })

    it('a tensors file replaced by another save\'s is Inconsistent', async () => {
      const { path, paths } = await saved()
      const other = join(freshDir(), 'other')
      right(await saveCheckpoint(other, { tensors: tensors(5), meta })())
      writeFileSync(paths.tensors, readFileSync((await checkpointTensorsPath(other))!))
      const error = left(await loadCheckpoint(path)())
      expect(error.reason).toBe('Inconsistent')
      expect(error.message).toMatch(/is not the file .*ckpt\.json describes/)
    })

    it('a truncated tensors file is Inconsistent; a corrupt one that matches its JSON is CorruptTensors', async () => {
      const { path, paths } = await saved()
      writeFileSync(paths.tensors, readFileSync(paths.tensors).subarray(0, 100))
      expect(left(await loadCheckpoint(path)()).reason).toBe('Inconsistent')

      // A tensors file that is what the JSON says but not valid safetensors (or not float) is reported as such.
      const patchJson = (bytes: Uint8Array) => {
        writeFileSync(paths.tensors, bytes)
        const json = JSON.parse(readFileSync(paths.meta, 'utf8'))
        json.tensors.bytes = bytes.length
        json.tensors.sha256 = createHashHex(bytes)
        writeFileSync(paths.meta, JSON.stringify(json))
      }
      patchJson(new Uint8Array(readFileSync(paths.tensors)).subarray(0, 60))
      const corrupt = left(await loadCheckpoint(path)())
      expect(corrupt.reason).toBe('CorruptTensors')
      expect(corrupt.message.startsWith(`cannot load checkpoint ${path}: ${paths.tensors}: `)).toBe(true)

      patchJson(encodeSafetensors({ step: { shape: [], data: new BigInt64Array([1n]) } }))
      const notFloat = left(await loadCheckpoint(path)())
      expect(notFloat.reason).toBe('CorruptTensors')
      expect(notFloat.message).toMatch(/tensor "step" has dtype I64, expected a float dtype/)
    })
  })
})

const createHashHex = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex')
