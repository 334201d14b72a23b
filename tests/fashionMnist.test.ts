import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { existsSync, readFileSync } from 'node:fs'
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { gunzipSync, gzipSync } from 'node:zlib'
import * as E from 'fp-ts/lib/Either.js'
import * as tf from '@tensorflow/tfjs'
import '@tensorflow/tfjs-backend-wasm'
import { DataError } from '../src/data/errors.js'
import { decodeIdx, encodeIdx, readIdx, type IdxArray } from '../src/data/idx.js'
import {
  FASHION_MNIST,
  MNIST,
  defaultCacheDir,
  loadDataset,
  loadDatasetFromSpec,
  md5Hex,
  type DatasetSpec,
  type FetchLike,
  type LoadOptions,
  type Split,
} from '../src/data/fashionMnist.js'
import {
  FASHION_MNIST_STATS,
  epochSeed,
  mulberry32,
  resizeBilinearNCHW,
  shuffledIndices,
} from '../src/data/transforms.js'
import { batches, epochOrder, numBatches } from '../src/data/batches.js'

// ---------------------------------------------------------------------------------------------
// Fixtures
// ---------------------------------------------------------------------------------------------

let tmp: string
beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'shapesafe-data-'))
  await tf.setBackend('cpu')
})
afterAll(async () => {
  await rm(tmp, { recursive: true, force: true })
})

let dirCounter = 0
const freshDir = async (name = 'd'): Promise<string> => {
  const dir = join(tmp, `${name}-${dirCounter++}`)
  await mkdir(dir, { recursive: true })
  return dir
}

/** `n` images whose pixel p of image i is (i·7 + p) mod 256, so every image is recognisable. */
const images = (n: number, h = 28, w = 28): IdxArray => {
  const data = new Uint8Array(n * h * w)
  for (let i = 0; i < n; i++) for (let p = 0; p < h * w; p++) data[i * h * w + p] = (i * 7 + p) % 256
  return { dtype: 'uint8', shape: [n, h, w], data }
}
const labels = (n: number, f: (i: number) => number = (i) => i % 10): IdxArray => ({
  dtype: 'uint8',
  shape: [n],
  data: Uint8Array.from({ length: n }, (_, i) => f(i)),
})

interface FixtureOptions {
  train?: number
  test?: number
  gzip?: boolean
  trainImages?: IdxArray
  trainLabels?: IdxArray
}

/** Writes the four files of a tiny MNIST-format dataset into `dir`. */
const writeDataset = async (dir: string, o: FixtureOptions = {}): Promise<void> => {
  const train = o.train ?? 12
  const test = o.test ?? 5
  const files: Array<[string, IdxArray]> = [
    ['train-images-idx3-ubyte', o.trainImages ?? images(train)],
    ['train-labels-idx1-ubyte', o.trainLabels ?? labels(train)],
    ['t10k-images-idx3-ubyte', images(test)],
    ['t10k-labels-idx1-ubyte', labels(test)],
  ]
  await mkdir(dir, { recursive: true })
  for (const [name, arr] of files) {
    const bytes = encodeIdx(arr)
    if (o.gzip === false) await writeFile(join(dir, name), bytes)
    else await writeFile(join(dir, `${name}.gz`), gzipSync(bytes))
  }
}

const noNetwork: FetchLike = async () => {
  throw new Error('network disabled in tests')
}

/** Options that isolate a test from the machine: no env, no system dirs, a private cache, no network. */
const isolated = async (extra: Partial<LoadOptions> = {}): Promise<LoadOptions> => ({
  env: {},
  systemDirs: [],
  cacheDir: await freshDir('cache'),
  fetch: noNetwork,
  ...extra,
})

const left = <A>(r: E.Either<DataError, A>): DataError => {
  if (E.isRight(r)) throw new Error('expected a Left')
  expect(r.left).toBeInstanceOf(DataError)
  return r.left
}
const right = <A>(r: E.Either<DataError, A>): A => {
  if (E.isLeft(r)) throw new Error(`expected a Right, got: ${r.left.message}`)
  return r.right
}

// ---------------------------------------------------------------------------------------------
// IDX
// ---------------------------------------------------------------------------------------------

describe('decodeIdx', () => {
  it('decodes a uint8 array with big-endian dimensions', () => {
    const bytes = new Uint8Array([0, 0, 8, 2, 0, 0, 0, 2, 0, 0, 0, 3, 1, 2, 3, 4, 5, 6])
    const arr = right(decodeIdx(bytes, 'x.idx'))
    expect(arr.dtype).toBe('uint8')
    expect(arr.shape).toEqual([2, 3])
    expect(Array.from(arr.data)).toEqual([1, 2, 3, 4, 5, 6])
  })

  it('decodes dimensions above 255 (big-endian, multi-byte)', () => {
    const arr = right(decodeIdx(encodeIdx(labels(300)), 'l'))
    expect(arr.shape).toEqual([300])
    expect(arr.data[299]).toBe(9)
  })

  it('round-trips the signed and floating element types', () => {
    const cases: IdxArray[] = [
      { dtype: 'int8', shape: [3], data: new Int8Array([-128, 0, 127]) },
      { dtype: 'int16', shape: [2, 2], data: new Int16Array([-32768, -1, 258, 32767]) },
      { dtype: 'int32', shape: [3], data: new Int32Array([-2147483648, 65537, 2147483647]) },
      { dtype: 'float32', shape: [2], data: new Float32Array([-1.5, 3.25]) },
      { dtype: 'float64', shape: [2], data: new Float64Array([Math.PI, -1e-300]) },
    ]
    for (const c of cases) {
      const back = right(decodeIdx(encodeIdx(c), c.dtype))
      expect(back.dtype).toBe(c.dtype)
      expect(back.shape).toEqual(c.shape)
      expect(Array.from(back.data)).toEqual(Array.from(c.data))
    }
    // int16 is stored big-endian: 258 = 0x0102
    const raw = encodeIdx(cases[1])
    expect(Array.from(raw.subarray(12 + 4, 12 + 6))).toEqual([0x01, 0x02])
  })

  it('rejects a wrong magic number, naming the file', () => {
    const e = left(decodeIdx(new Uint8Array([1, 2, 8, 1, 0, 0, 0, 0]), 'weird.bin'))
    expect(e.kind).toBe('bad-magic')
    expect(e.message).toContain('weird.bin')
    expect(e.message).toContain('01 02 08 01')
  })

  it('hints at gzip when given compressed bytes', () => {
    const e = left(decodeIdx(gzipSync(encodeIdx(labels(4))), 'l.gz'))
    expect(e.kind).toBe('bad-magic')
    expect(e.message).toMatch(/gzip/)
  })

  it('rejects unknown element types and zero dimensions', () => {
    expect(left(decodeIdx(new Uint8Array([0, 0, 0x42, 1, 0, 0, 0, 0]), 'f')).kind).toBe('unsupported-dtype')
    expect(left(decodeIdx(new Uint8Array([0, 0, 8, 0]), 'f')).kind).toBe('bad-magic')
  })

  it('rejects truncated headers and truncated data', () => {
    expect(left(decodeIdx(new Uint8Array([0, 0]), 'short')).kind).toBe('truncated')
    const header = left(decodeIdx(new Uint8Array([0, 0, 8, 3, 0, 0, 0, 1]), 'hdr'))
    expect(header.kind).toBe('truncated')
    expect(header.message).toContain('hdr')
    const full = encodeIdx(images(2))
    const e = left(decodeIdx(full.subarray(0, full.length - 1), 'train-images'))
    expect(e.kind).toBe('truncated')
    expect(e.message).toContain('train-images')
    expect(e.message).toContain('[2, 28, 28]')
    expect(e.message).toContain(`needs ${2 * 784} bytes, found ${2 * 784 - 1}`)
  })

  it('rejects trailing bytes', () => {
    const full = encodeIdx(labels(5))
    const e = left(decodeIdx(new Uint8Array([...full, 0, 0, 0]), 'labels.idx'))
    expect(e.kind).toBe('trailing-bytes')
    expect(e.message).toContain('labels.idx')
    expect(e.message).toContain('3 unexpected trailing bytes')
  })
})

describe('readIdx', () => {
  it('reads plain and gzipped files alike (gzip detected by magic bytes, not name)', async () => {
    const dir = await freshDir()
    const bytes = encodeIdx(images(3))
    await writeFile(join(dir, 'plain'), bytes)
    await writeFile(join(dir, 'zipped.gz'), gzipSync(bytes))
    await writeFile(join(dir, 'zipped-no-suffix'), gzipSync(bytes))
    for (const name of ['plain', 'zipped.gz', 'zipped-no-suffix']) {
      const arr = right(await readIdx(join(dir, name))())
      expect(arr.shape).toEqual([3, 28, 28])
      expect(Array.from(arr.data)).toEqual(Array.from(images(3).data))
    }
  })

  it('reports corrupt gzip data with the file name', async () => {
    const dir = await freshDir()
    const gz = gzipSync(encodeIdx(images(3)))
    const truncated = join(dir, 'cut.gz')
    await writeFile(truncated, gz.subarray(0, gz.length >> 1))
    const e1 = left(await readIdx(truncated)())
    expect(e1.kind).toBe('corrupt-gzip')
    expect(e1.message).toContain(truncated)
    const flipped = Buffer.from(gz)
    for (let i = 20; i < 40; i++) flipped[i] ^= 0xff
    const bad = join(dir, 'flipped.gz')
    await writeFile(bad, flipped)
    const e2 = left(await readIdx(bad)())
    expect(e2.kind).toBe('corrupt-gzip')
    expect(e2.message).toContain(bad)
  })

  it('reports errors inside a gzip member with the file name', async () => {
    const dir = await freshDir()
    const full = encodeIdx(images(2))
    const path = join(dir, 'short.gz')
    await writeFile(path, gzipSync(full.subarray(0, 100)))
    const e = left(await readIdx(path)())
    expect(e.kind).toBe('truncated')
    expect(e.message).toContain(path)
  })

  it('reports a missing file as an io error naming it', async () => {
    const path = join(tmp, 'does-not-exist.idx')
    const e = left(await readIdx(path)())
    expect(e.kind).toBe('io')
    expect(e.message).toContain(path)
    expect(e.message).toContain('ENOENT')
  })
})

// ---------------------------------------------------------------------------------------------
// Loading
// ---------------------------------------------------------------------------------------------

describe('loadDataset: sources', () => {
  it('loads gzipped files and builds splits', async () => {
    const dir = await freshDir()
    await writeDataset(dir, { train: 12, test: 5 })
    const ds = right(await loadDataset('fashion-mnist', await isolated({ dataDir: dir }))())
    expect(ds.name).toBe('fashion-mnist')
    expect(ds.train.count).toBe(12)
    expect(ds.test.count).toBe(5)
    expect(ds.train.images.length).toBe(12 * 784)
    expect([ds.train.height, ds.train.width]).toEqual([28, 28])
    expect(Array.from(ds.train.labels)).toEqual(Array.from(labels(12).data))
    expect(ds.train.images[3 * 784 + 5]).toBe((3 * 7 + 5) % 256)
    expect(ds.classes[9]).toBe('Ankle boot')
    expect(ds.source).toContain('--data-dir')
    expect(ds.normalization).toEqual(FASHION_MNIST_STATS)
  })

  it('loads plain (uncompressed) files', async () => {
    const dir = await freshDir()
    await writeDataset(dir, { gzip: false, train: 4 })
    expect(right(await loadDataset('fashion-mnist', await isolated({ dataDir: dir }))()).train.count).toBe(4)
  })

  it('finds <dir>/<name> and the torchvision layout <dir>/FashionMNIST/raw', async () => {
    const a = await freshDir()
    await writeDataset(join(a, 'fashion-mnist'), { train: 6 })
    const dsA = right(await loadDataset('fashion-mnist', await isolated({ dataDir: a }))())
    expect(dsA.train.count).toBe(6)
    expect(dsA.directory).toBe(join(a, 'fashion-mnist'))
    const b = await freshDir()
    await writeDataset(join(b, 'FashionMNIST', 'raw'), { train: 7, gzip: false })
    expect(right(await loadDataset('fashion-mnist', await isolated({ dataDir: b }))()).train.count).toBe(7)
  })

  it('prefers --data-dir over SHAPESAFE_DATA over the system directory', async () => {
    const [cli, env, sys] = [await freshDir('cli'), await freshDir('env'), await freshDir('sys')]
    await writeDataset(cli, { train: 3 })
    await writeDataset(env, { train: 4 })
    await writeDataset(sys, { train: 5 })
    const base = await isolated({ env: { SHAPESAFE_DATA: env }, systemDirs: [sys] })
    const fromCli = right(await loadDataset('fashion-mnist', { ...base, dataDir: cli })())
    expect(fromCli.train.count).toBe(3)
    const fromEnv = right(await loadDataset('fashion-mnist', base)())
    expect(fromEnv.train.count).toBe(4)
    expect(fromEnv.source).toContain('SHAPESAFE_DATA')
    const fromSys = right(await loadDataset('fashion-mnist', { ...base, env: {} })())
    expect(fromSys.train.count).toBe(5)
    expect(fromSys.source).toContain('dataset-fashion-mnist')
  })

  it('prefers the system directory over the cache, and uses the cache before downloading', async () => {
    const sys = await freshDir('sys')
    const opts = await isolated({ systemDirs: [sys] })
    await writeDataset(opts.cacheDir!, { train: 9 })
    expect(right(await loadDataset('fashion-mnist', opts)()).train.count).toBe(9)
    await writeDataset(sys, { train: 5 })
    expect(right(await loadDataset('fashion-mnist', opts)()).train.count).toBe(5)
  })

  it('fails on a --data-dir without the data instead of silently using another source', async () => {
    const empty = await freshDir()
    const sys = await freshDir('sys')
    await writeDataset(sys)
    const e = left(await loadDataset('fashion-mnist', await isolated({ dataDir: empty, systemDirs: [sys] }))())
    expect(e.kind).toBe('not-found')
    expect(e.message).toContain(`--data-dir ${empty}`)
    expect(e.message).toContain('train-images-idx3-ubyte')
  })

  it('lists the missing files of an incomplete directory', async () => {
    const dir = await freshDir()
    await writeDataset(dir)
    await rm(join(dir, 't10k-labels-idx1-ubyte.gz'))
    const e = left(await loadDataset('fashion-mnist', await isolated({ env: { SHAPESAFE_DATA: dir } }))())
    expect(e.message).toContain(`SHAPESAFE_DATA=${dir}`)
    expect(e.message).toContain('lacks t10k-labels-idx1-ubyte')
    expect(e.message).not.toContain('lacks train-images')
  })

  it('puts the download cache under XDG_CACHE_HOME or ~/.cache', () => {
    expect(defaultCacheDir('fashion-mnist', { HOME: '/home/ada' })).toBe('/home/ada/.cache/shapesafe/fashion-mnist')
    expect(defaultCacheDir('mnist', { HOME: '/home/ada', XDG_CACHE_HOME: '/var/c' })).toBe('/var/c/shapesafe/mnist')
  })

  it('loads MNIST with digit class names', async () => {
    const dir = await freshDir()
    await writeDataset(join(dir, 'mnist'))
    const ds = right(await loadDataset('mnist', await isolated({ dataDir: dir }))())
    expect(ds.name).toBe('mnist')
    expect(ds.classes).toEqual(['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'])
  })
})

describe('loadDataset: validation', () => {
  const check = async (o: FixtureOptions, kind: DataError['kind'], ...fragments: string[]) => {
    const dir = await freshDir()
    await writeDataset(dir, o)
    const e = left(await loadDataset('fashion-mnist', await isolated({ dataDir: dir }))())
    expect(e.kind).toBe(kind)
    for (const f of fragments) expect(e.message).toContain(f)
  }

  it('rejects a label count different from the image count', () =>
    check({ train: 6, trainLabels: labels(5) }, 'invalid-dataset', 'train-labels-idx1-ubyte', '5 labels', '6 images'))

  it('rejects images that are not 28×28', () =>
    check({ trainImages: images(12, 28, 27) }, 'invalid-dataset', 'train-images-idx3-ubyte', '[12, 28, 27]'))

  it('rejects a label ≥ 10', () =>
    check({ trainLabels: labels(12, (i) => (i === 7 ? 10 : 1)) }, 'invalid-dataset', 'label 10 at index 7'))

  it('rejects non-uint8 labels', () =>
    check(
      { trainLabels: { dtype: 'int32', shape: [12], data: new Int32Array(12) } },
      'invalid-dataset',
      'labels must be uint8',
    ))
})

describe('loadDataset: downloads', () => {
  it('explains the alternatives when offline', async () => {
    const opts = await isolated({
      fetch: async () => {
        throw new TypeError('fetch failed', { cause: new Error('getaddrinfo ENOTFOUND example') })
      },
    })
    const e = left(await loadDataset('fashion-mnist', opts)())
    expect(e.kind).toBe('download')
    expect(e.message).toContain('http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/train-images-idx3-ubyte.gz')
    expect(e.message).toContain('ENOTFOUND')
    expect(e.message).toContain('--data-dir')
    expect(e.message).toContain('SHAPESAFE_DATA')
    expect(e.message).toContain('apt-get install dataset-fashion-mnist')
    expect(await readdir(opts.cacheDir!)).toEqual([])
  })

  it('reports HTTP errors per mirror', async () => {
    const tried: string[] = []
    const opts = await isolated({
      fetch: async (url) => {
        tried.push(url)
        return { ok: false, status: 404, statusText: 'Not Found', arrayBuffer: async () => new ArrayBuffer(0) }
      },
    })
    const e = left(await loadDataset('mnist', opts)())
    expect(e.kind).toBe('download')
    expect(tried).toEqual(MNIST.mirrors.map((m) => `${m}train-images-idx3-ubyte.gz`))
    expect(tried[0]).toBe('https://ossci-datasets.s3.amazonaws.com/mnist/train-images-idx3-ubyte.gz')
    expect(e.message).toContain('HTTP 404 Not Found')
    expect(e.message).not.toContain('apt-get') // Debian has no MNIST package
  })

  it('says where to put the data when downloading is disabled', async () => {
    const e = left(await loadDataset('fashion-mnist', await isolated({ download: false }))())
    expect(e.kind).toBe('not-found')
    expect(e.message).toMatch(/downloading is disabled/)
    expect(e.message).toContain('apt-get install dataset-fashion-mnist')
  })

  it('rejects downloads with a wrong checksum and writes nothing', async () => {
    const opts = await isolated({
      fetch: async () => ({ ok: true, status: 200, arrayBuffer: async () => new Uint8Array([1, 2, 3]).buffer }),
    })
    const e = left(await loadDataset('fashion-mnist', opts)())
    expect(e.kind).toBe('checksum')
    expect(e.message).toContain('expected MD5 8d4fb7e6c68d591d4c3dfef9ec88bf0d')
    expect(e.message).toContain(`got ${md5Hex(new Uint8Array([1, 2, 3]))}`)
    expect(await readdir(opts.cacheDir!)).toEqual([])
  })

  it('downloads, verifies and caches files, then loads from the cache offline', async () => {
    // A spec whose checksums are those of our tiny fixture files.
    const served = await freshDir('served')
    await writeDataset(served, { train: 8, test: 3 })
    const body = async (name: string) => new Uint8Array(await readFile(join(served, name)))
    const file = async (name: string) => ({ name, gzMd5: md5Hex(await body(`${name}.gz`)) })
    const spec: DatasetSpec = {
      ...FASHION_MNIST,
      mirrors: ['https://broken.example/', 'https://good.example/'],
      files: {
        trainImages: await file('train-images-idx3-ubyte'),
        trainLabels: await file('train-labels-idx1-ubyte'),
        testImages: await file('t10k-images-idx3-ubyte'),
        testLabels: await file('t10k-labels-idx1-ubyte'),
      },
    }
    const tried: string[] = []
    const fetch: FetchLike = async (url) => {
      tried.push(url)
      if (url.startsWith('https://broken.example/')) {
        // A mirror serving wrong content: must be rejected by the checksum, then the next mirror tried.
        return { ok: true, status: 200, arrayBuffer: async () => new Uint8Array([0x1f, 0x8b, 0]).buffer }
      }
      const bytes = await body(url.slice('https://good.example/'.length))
      return { ok: true, status: 200, arrayBuffer: async () => bytes.slice().buffer }
    }
    const opts = await isolated({ fetch })
    const ds = right(await loadDatasetFromSpec(spec, opts)())
    expect(ds.train.count).toBe(8)
    expect(ds.test.count).toBe(3)
    expect(ds.source).toContain('download')
    expect(tried).toHaveLength(8)
    expect((await readdir(opts.cacheDir!)).sort()).toEqual(
      ['t10k-images-idx3-ubyte.gz', 't10k-labels-idx1-ubyte.gz', 'train-images-idx3-ubyte.gz', 'train-labels-idx1-ubyte.gz'],
    )
    // Second load: no network needed.
    const again = right(await loadDatasetFromSpec(spec, { ...opts, fetch: noNetwork })())
    expect(again.source).toContain('cache')
    expect(Array.from(again.train.images)).toEqual(Array.from(ds.train.images))
  })
})

// ---------------------------------------------------------------------------------------------
// Shuffling and batches
// ---------------------------------------------------------------------------------------------

const split = (n: number): Split => ({
  images: images(n).data as Uint8Array,
  labels: labels(n, (i) => (i * 3) % 10).data as Uint8Array,
  count: n,
  height: 28,
  width: 28,
})

describe('shuffle', () => {
  it('mulberry32 is deterministic and in [0, 1)', () => {
    const a = mulberry32(123)
    const b = mulberry32(123)
    const xs = Array.from({ length: 1000 }, () => a())
    expect(xs).toEqual(Array.from({ length: 1000 }, () => b()))
    expect(Math.min(...xs)).toBeGreaterThanOrEqual(0)
    expect(Math.max(...xs)).toBeLessThan(1)
    const mean = xs.reduce((s, x) => s + x, 0) / xs.length
    expect(Math.abs(mean - 0.5)).toBeLessThan(0.05)
    expect(mulberry32(124)()).not.toBe(mulberry32(123)())
  })

  it('shuffledIndices is a permutation fixed by (seed, epoch)', () => {
    const p = shuffledIndices(100, 7, 0)
    expect(Array.from(p).sort((x, y) => x - y)).toEqual(Array.from({ length: 100 }, (_, i) => i))
    expect(shuffledIndices(100, 7, 0)).toEqual(p)
    expect(shuffledIndices(100, 7, 1)).not.toEqual(p)
    expect(shuffledIndices(100, 8, 0)).not.toEqual(p)
    expect(Array.from(p)).not.toEqual(Array.from({ length: 100 }, (_, i) => i))
    expect(epochSeed(0, 1)).not.toBe(epochSeed(1, 0))
  })

  it('limit takes the first N images of the file order, then shuffles them', () => {
    const order = epochOrder(50, { batchSize: 4, seed: 3, epoch: 2, limit: 10 })
    expect(order).toHaveLength(10)
    expect(Array.from(order).sort((x, y) => x - y)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9])
    expect(Array.from(epochOrder(50, { batchSize: 4, limit: 4, shuffle: false }))).toEqual([0, 1, 2, 3])
    expect(epochOrder(5, { batchSize: 4, limit: 10 })).toHaveLength(5)
  })

  it('numBatches counts a partial last batch unless dropLast', () => {
    expect(numBatches({ count: 60000 }, { batchSize: 256 })).toBe(235)
    expect(numBatches({ count: 60000 }, { batchSize: 256, dropLast: true })).toBe(234)
    expect(numBatches({ count: 60000 }, { batchSize: 100, limit: 1000 })).toBe(10)
    expect(numBatches({ count: 3 }, { batchSize: 4, dropLast: true })).toBe(0)
  })
})

describe('batches', () => {
  it('yields NCHW float32 images and int32 labels matching the split', () => {
    const s = split(10)
    const before = tf.memory().numTensors
    const out = [...batches(s, { batchSize: 4, seed: 1, normalize: 'scale' })]
    expect(out.map((b) => b.x.shape)).toEqual([
      [4, 1, 28, 28],
      [4, 1, 28, 28],
      [2, 1, 28, 28],
    ])
    const seen: number[] = []
    for (const { x, y, indices } of out) {
      expect(x.dtype).toBe('float32')
      expect(y.dtype).toBe('int32')
      expect(y.shape).toEqual([indices.length])
      expect(Array.from(y.dataSync())).toEqual(Array.from(indices, (i) => s.labels[i]))
      const xs = x.dataSync()
      indices.forEach((img, k) => {
        for (const p of [0, 100, 783]) expect(xs[k * 784 + p]).toBeCloseTo(s.images[img * 784 + p] / 255, 6)
      })
      seen.push(...indices)
      tf.dispose([x, y])
    }
    expect(seen.sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9])
    expect(tf.memory().numTensors).toBe(before)
  })

  it('is reproducible per (seed, epoch) and re-iterable', () => {
    const s = split(20)
    const order = (o: { seed: number; epoch: number }) => {
      const idx: number[] = []
      for (const b of batches(s, { batchSize: 8, ...o })) {
        idx.push(...b.indices)
        tf.dispose([b.x, b.y])
      }
      return idx
    }
    expect(order({ seed: 5, epoch: 0 })).toEqual(order({ seed: 5, epoch: 0 }))
    expect(order({ seed: 5, epoch: 1 })).not.toEqual(order({ seed: 5, epoch: 0 }))
    expect(order({ seed: 6, epoch: 0 })).not.toEqual(order({ seed: 5, epoch: 0 }))
    const it = batches(s, { batchSize: 8, seed: 5 })
    const first = [...it].map((b) => (tf.dispose([b.x, b.y]), Array.from(b.indices)))
    const second = [...it].map((b) => (tf.dispose([b.x, b.y]), Array.from(b.indices)))
    expect(second).toEqual(first)
  })

  it('shuffle: false keeps file order; dropLast drops the short batch; limit restricts', () => {
    const s = split(10)
    const idx = [...batches(s, { batchSize: 4, shuffle: false, dropLast: true })].map((b) => {
      tf.dispose([b.x, b.y])
      return Array.from(b.indices)
    })
    expect(idx).toEqual([
      [0, 1, 2, 3],
      [4, 5, 6, 7],
    ])
    const limited = [...batches(s, { batchSize: 4, seed: 9, limit: 6 })]
    expect(limited.flatMap((b) => Array.from(b.indices)).sort()).toEqual([0, 1, 2, 3, 4, 5])
    limited.forEach((b) => tf.dispose([b.x, b.y]))
  })

  it('normalises with the Fashion-MNIST statistics by default', () => {
    const s = split(2)
    const [b] = [...batches(s, { batchSize: 2, shuffle: false })]
    const xs = b.x.dataSync()
    const { mean, std } = FASHION_MNIST_STATS
    expect(mean).toBe(0.286)
    expect(std).toBe(0.353)
    for (const p of [0, 1, 300, 783]) expect(xs[784 + p]).toBeCloseTo((s.images[784 + p] / 255 - mean) / std, 5)
    const [c] = [...batches(s, { batchSize: 2, shuffle: false, normalize: { mean: 0.5, std: 0.5 } })]
    expect(Math.min(...c.x.dataSync())).toBeGreaterThanOrEqual(-1)
    expect(Math.max(...c.x.dataSync())).toBeLessThanOrEqual(1)
    tf.dispose([b.x, b.y, c.x, c.y])
  })

  it('resizes per batch to S×S', () => {
    const s = split(3)
    const before = tf.memory().numTensors
    const [b] = [...batches(s, { batchSize: 3, shuffle: false, resize: 56, normalize: 'scale' })]
    expect(b.x.shape).toEqual([3, 1, 56, 56])
    expect(b.x.dtype).toBe('float32')
    // Upsampling by 2 with half-pixel centres: output pixel (1, 1) is 0.75·in(0,0) + 0.25·in(1,1) in each axis.
    const xs = b.x.dataSync()
    const at = (img: number, r: number, c: number) => s.images[img * 784 + r * 28 + c] / 255
    const expected = 0.5625 * at(1, 0, 0) + 0.1875 * at(1, 0, 1) + 0.1875 * at(1, 1, 0) + 0.0625 * at(1, 1, 1)
    expect(xs[56 * 56 + 56 + 1]).toBeCloseTo(expected, 5)
    tf.dispose([b.x, b.y])
    expect(tf.memory().numTensors).toBe(before)
  })

  it('rejects bad options with a DataError', () => {
    const s = split(3)
    expect(() => batches(s, { batchSize: 0 })).toThrow(/batchSize must be an integer ≥ 1/)
    expect(() => batches(s, { batchSize: 2, limit: -1 })).toThrow(DataError)
    expect(() => batches(s, { batchSize: 2, resize: 1.5 })).toThrow(/resize/)
    expect(() => batches(s, { batchSize: 2, normalize: { mean: 0, std: 0 } })).toThrow(/positive std/)
  })
})

// ---------------------------------------------------------------------------------------------
// Resize golden (PyTorch F.interpolate bilinear, align_corners=False)
// ---------------------------------------------------------------------------------------------

interface Golden {
  input: { shape: [number, number, number, number]; data: number[] }
  cases: Array<{ size: [number, number]; data: number[] }>
}

describe('resizeBilinearNCHW matches PyTorch', () => {
  const golden = JSON.parse(readFileSync(new URL('./fixtures/resize-golden.json', import.meta.url), 'utf8')) as Golden

  for (const backend of ['cpu', 'wasm'] as const) {
    it(`on the ${backend} backend`, async () => {
      const previous = tf.getBackend()
      expect(await tf.setBackend(backend)).toBe(true)
      try {
        for (const c of golden.cases) {
          const out = tf.tidy(() => {
            const x = tf.tensor4d(golden.input.data, golden.input.shape)
            return resizeBilinearNCHW(x, c.size)
          })
          expect(out.shape).toEqual([1, 1, ...c.size])
          const got = out.dataSync()
          let maxDiff = 0
          c.data.forEach((v, i) => (maxDiff = Math.max(maxDiff, Math.abs(v - got[i]))))
          expect(maxDiff, `size ${c.size.join('×')}`).toBeLessThan(1e-5)
          out.dispose()
        }
      } finally {
        await tf.setBackend(previous)
      }
    })
  }
})

// ---------------------------------------------------------------------------------------------
// The real Fashion-MNIST (Debian package dataset-fashion-mnist)
// ---------------------------------------------------------------------------------------------

const DEBIAN_DIR = '/usr/share/datasets/fashion-mnist'
const hasDebian = existsSync(join(DEBIAN_DIR, 'train-images-idx3-ubyte.gz'))

describe.skipIf(!hasDebian)('real Fashion-MNIST from the Debian package', () => {
  it('loads 60000/10000 images with balanced labels 0..9 and the documented statistics', async () => {
    const cacheDir = await freshDir('cache')
    const ds = right(await loadDataset('fashion-mnist', { env: {}, cacheDir, download: false })())
    expect(ds.source).toContain('dataset-fashion-mnist')
    expect(ds.directory).toBe(DEBIAN_DIR)
    expect(ds.train.count).toBe(60000)
    expect(ds.test.count).toBe(10000)
    expect(ds.train.images.length).toBe(60000 * 784)
    const histogram = (l: Uint8Array) => l.reduce((h, v) => (h[v]++, h), new Array<number>(10).fill(0))
    expect(histogram(ds.train.labels)).toEqual(new Array(10).fill(6000))
    expect(histogram(ds.test.labels)).toEqual(new Array(10).fill(1000))
    // The default normalisation constants are the training set's statistics.
    let sum = 0
    let sumSq = 0
    for (const p of ds.train.images) {
      sum += p
      sumSq += p * p
    }
    const n = ds.train.images.length
    const mean = sum / n / 255
    const std = Math.sqrt(sumSq / n / 255 / 255 - mean * mean)
    expect(mean).toBeCloseTo(FASHION_MNIST_STATS.mean, 3)
    expect(std).toBeCloseTo(FASHION_MNIST_STATS.std, 3)
  })

  it('holds the upstream file contents (MD5 of the decompressed files)', async () => {
    for (const f of Object.values(FASHION_MNIST.files)) {
      const raw = gunzipSync(await readFile(join(DEBIAN_DIR, `${f.name}.gz`)))
      expect(md5Hex(raw), f.name).toBe(f.rawMd5)
    }
  })
})
