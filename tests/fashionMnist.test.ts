// src/data/fashionMnist.ts: finding, downloading, verifying and loading Fashion-MNIST and MNIST.
import { describe, expect, it } from 'vitest'
import { existsSync, readFileSync } from 'node:fs'
import { readdir, readFile, rm } from 'node:fs/promises'
import { join } from 'node:path'
import { gunzipSync } from 'node:zlib'
import type { DataError } from '../src/data/errors.js'
import {
  FASHION_MNIST,
  MNIST,
  defaultCacheDir,
  loadDataset,
  loadDatasetFromSpec,
  md5Hex,
  type DatasetSpec,
  type FetchLike,
} from '../src/data/fashionMnist.js'
import { FASHION_MNIST_STATS } from '../src/data/transforms.js'
import { type FixtureOptions, images, isolated, labels, left, noNetwork, right, useTmpDirs, writeDataset } from './helpers/dataFixtures.js'

const freshDir = useTmpDirs()

// ---------------------------------------------------------------------------------------------
// Loading
// ---------------------------------------------------------------------------------------------

describe('loadDataset: sources', () => {
  it('loads gzipped files and builds splits', async () => {
    const dir = await freshDir()
    await writeDataset(dir, { train: 12, test: 5 })
    const ds = right(await loadDataset('fashion-mnist', await isolated(freshDir, { dataDir: dir }))())
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
    expect(right(await loadDataset('fashion-mnist', await isolated(freshDir, { dataDir: dir }))()).train.count).toBe(4)
  })

  it('finds <dir>/<name> and the torchvision layout <dir>/FashionMNIST/raw', async () => {
    const a = await freshDir()
    await writeDataset(join(a, 'fashion-mnist'), { train: 6 })
    const dsA = right(await loadDataset('fashion-mnist', await isolated(freshDir, { dataDir: a }))())
    expect(dsA.train.count).toBe(6)
    expect(dsA.directory).toBe(join(a, 'fashion-mnist'))
    const b = await freshDir()
    await writeDataset(join(b, 'FashionMNIST', 'raw'), { train: 7, gzip: false })
    expect(right(await loadDataset('fashion-mnist', await isolated(freshDir, { dataDir: b }))()).train.count).toBe(7)
  })

  it('prefers --data-dir over SHAPESAFE_DATA over the system directory', async () => {
    const [cli, env, sys] = [await freshDir('cli'), await freshDir('env'), await freshDir('sys')]
    await writeDataset(cli, { train: 3 })
    await writeDataset(env, { train: 4 })
    await writeDataset(sys, { train: 5 })
    const base = await isolated(freshDir, { env: { SHAPESAFE_DATA: env }, systemDirs: [sys] })
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
    const opts = await isolated(freshDir, { systemDirs: [sys] })
    await writeDataset(opts.cacheDir!, { train: 9 })
    expect(right(await loadDataset('fashion-mnist', opts)()).train.count).toBe(9)
    await writeDataset(sys, { train: 5 })
    expect(right(await loadDataset('fashion-mnist', opts)()).train.count).toBe(5)
  })

  it('fails on a --data-dir without the data instead of silently using another source', async () => {
    const empty = await freshDir()
    const sys = await freshDir('sys')
    await writeDataset(sys)
    const e = left(await loadDataset('fashion-mnist', await isolated(freshDir, { dataDir: empty, systemDirs: [sys] }))())
    expect(e.kind).toBe('not-found')
    expect(e.message).toContain(`--data-dir ${empty}`)
    expect(e.message).toContain('train-images-idx3-ubyte')
  })

  it('lists the missing files of an incomplete directory', async () => {
    const dir = await freshDir()
    await writeDataset(dir)
    await rm(join(dir, 't10k-labels-idx1-ubyte.gz'))
    const e = left(await loadDataset('fashion-mnist', await isolated(freshDir, { env: { SHAPESAFE_DATA: dir } }))())
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
    const ds = right(await loadDataset('mnist', await isolated(freshDir, { dataDir: dir }))())
    expect(ds.name).toBe('mnist')
    expect(ds.classes).toEqual(['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'])
  })
})

describe('loadDataset: the embedded sample', () => {
  const sampleDir = FASHION_MNIST.sample!.directory

  it('ships the first 4000/2000 images in data/fashion-mnist-sample, with the MIT licence notice', async () => {
    expect(sampleDir).toMatch(/data[/\\]fashion-mnist-sample$/)
    const names = (await readdir(sampleDir)).sort()
    expect(names).toEqual(['LICENSE', 'README.md', 't10k-images-idx3-ubyte.gz', 't10k-labels-idx1-ubyte.gz', 'train-images-idx3-ubyte.gz', 'train-labels-idx1-ubyte.gz'])
    expect(await readFile(join(sampleDir, 'LICENSE'), 'utf8')).toMatch(/MIT License[\s\S]*Zalando SE/)
  })

  it('serves a job within its size when no other source has the data, and says it is the sample', async () => {
    const ds = right(await loadDataset('fashion-mnist', await isolated(freshDir, { need: { train: 4000, test: 2000 } }))())
    expect(ds.source).toBe(`sample (4000/2000 images) in ${sampleDir}`)
    expect([ds.train.count, ds.test.count]).toEqual([4000, 2000])
    const histogram = (l: Uint8Array) => l.reduce((h, v) => (h[v]++, h), new Array<number>(10).fill(0))
    expect(histogram(ds.train.labels).every((n) => n > 300)).toBe(true) // all ten classes, roughly balanced
  })

  it('comes after --data-dir, SHAPESAFE_DATA, the system directory and the cache', async () => {
    const dir = await freshDir('mine')
    await writeDataset(dir, { train: 9 })
    const need = { train: 5, test: 5 }
    expect(right(await loadDataset('fashion-mnist', await isolated(freshDir, { need, dataDir: dir }))()).train.count).toBe(9)
    expect(right(await loadDataset('fashion-mnist', await isolated(freshDir, { need, env: { SHAPESAFE_DATA: dir } }))()).train.count).toBe(9)
    expect(right(await loadDataset('fashion-mnist', await isolated(freshDir, { need, systemDirs: [dir] }))()).train.count).toBe(9)
    expect(right(await loadDataset('fashion-mnist', await isolated(freshDir, { need, cacheDir: dir }))()).train.count).toBe(9)
  })

  it('a job on the full data still needs the full files and says so', async () => {
    for (const need of [undefined, { train: 4001, test: 10 }, { train: 10, test: 2001 }, { train: 60000 }]) {
      const e = left(await loadDataset('fashion-mnist', await isolated(freshDir, need === undefined ? {} : { need }))())
      expect(e.message).toMatch(/Could not download Fashion-MNIST/)
      expect(e.message).toMatch(/embedded sample .* holds only the first 4000 training and 2000 test images; this job needs .* so it needs the full files/)
    }
    const offline = left(await loadDataset('fashion-mnist', await isolated(freshDir, { download: false, need: { train: 5000 } }))())
    expect(offline.message).toMatch(/downloading is disabled[\s\S]*this job needs 5000 training and all 10000 test images/)
  })

  it('is not used for MNIST, nor when disabled', async () => {
    expect(MNIST.sample).toBeUndefined()
    const e = left(await loadDataset('fashion-mnist', await isolated(freshDir, { sample: false, need: { train: 10, test: 10 } }))())
    expect(e.message).not.toMatch(/embedded sample/)
  })

  it('is not in the npm package (package.json "files")', () => {
    const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { files: string[] }
    expect(pkg.files.some((f) => f === 'data' || f.startsWith('data/'))).toBe(false)
  })
})

describe('loadDataset: validation', () => {
  const check = async (o: FixtureOptions, kind: DataError['kind'], ...fragments: string[]) => {
    const dir = await freshDir()
    await writeDataset(dir, o)
    const e = left(await loadDataset('fashion-mnist', await isolated(freshDir, { dataDir: dir }))())
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
    const opts = await isolated(freshDir, {
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
    const opts = await isolated(freshDir, {
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
    const e = left(await loadDataset('fashion-mnist', await isolated(freshDir, { download: false }))())
    expect(e.kind).toBe('not-found')
    expect(e.message).toMatch(/downloading is disabled/)
    expect(e.message).toContain('apt-get install dataset-fashion-mnist')
  })

  it('rejects downloads with a wrong checksum and writes nothing', async () => {
    const opts = await isolated(freshDir, {
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
    const opts = await isolated(freshDir, { fetch })
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

  it('the embedded sample is the first 4000/2000 records of these files', async () => {
    const sample = FASHION_MNIST.sample!
    for (const f of Object.values(FASHION_MNIST.files)) {
      const full = gunzipSync(await readFile(join(DEBIAN_DIR, `${f.name}.gz`)))
      const part = gunzipSync(await readFile(join(sample.directory, `${f.name}.gz`)))
      const count = f.name.startsWith('train') ? sample.train : sample.test
      const rank = full[3]
      const header = 4 + 4 * rank
      const record = f.name.includes('images') ? 784 : 1
      expect(part.readUInt32BE(4), f.name).toBe(count)
      expect(part.subarray(header).equals(full.subarray(header, header + count * record)), f.name).toBe(true)
    }
  })

  it('holds the upstream file contents (MD5 of the decompressed files)', async () => {
    for (const f of Object.values(FASHION_MNIST.files)) {
      const raw = gunzipSync(await readFile(join(DEBIAN_DIR, `${f.name}.gz`)))
      expect(md5Hex(raw), f.name).toBe(f.rawMd5)
    }
  })
})
