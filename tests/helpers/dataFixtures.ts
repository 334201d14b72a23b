// Shared fixtures of the src/data tests: a private temporary folder, tiny MNIST-format datasets, Either unwrapping.
import { afterAll, beforeAll, expect } from 'vitest'
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { gzipSync } from 'node:zlib'
import * as E from 'fp-ts/lib/Either.js'
import * as tf from '@tensorflow/tfjs'
import { DataError } from '../../src/data/errors.js'
import { encodeIdx, type IdxArray } from '../../src/data/idx.js'
import type { FetchLike, LoadOptions, Split } from '../../src/data/fashionMnist.js'

/**
 * Registers a temporary folder for the calling test file (removed after it; the cpu backend selected before it) and
 * returns a maker of fresh sub-folders in it.
 */
export const useTmpDirs = (): ((name?: string) => Promise<string>) => {
  let tmp: string
  let dirCounter = 0
  beforeAll(async () => {
    tmp = await mkdtemp(join(tmpdir(), 'shapesafe-data-'))
    await tf.setBackend('cpu')
  })
  afterAll(async () => {
    await rm(tmp, { recursive: true, force: true })
  })
  return async (name = 'd') => {
    const dir = join(tmp, `${name}-${dirCounter++}`)
    await mkdir(dir, { recursive: true })
    return dir
  }
}

// ---------------------------------------------------------------------------------------------
// Fixtures
// ---------------------------------------------------------------------------------------------

/** `n` images whose pixel p of image i is (i·7 + p) mod 256, so every image is recognisable. */
export const images = (n: number, h = 28, w = 28): IdxArray => {
  const data = new Uint8Array(n * h * w)
  for (let i = 0; i < n; i++) for (let p = 0; p < h * w; p++) data[i * h * w + p] = (i * 7 + p) % 256
  return { dtype: 'uint8', shape: [n, h, w], data }
}
export const labels = (n: number, f: (i: number) => number = (i) => i % 10): IdxArray => ({
  dtype: 'uint8',
  shape: [n],
  data: Uint8Array.from({ length: n }, (_, i) => f(i)),
})

export interface FixtureOptions {
  train?: number
  test?: number
  gzip?: boolean
  trainImages?: IdxArray
  trainLabels?: IdxArray
}

/** Writes the four files of a tiny MNIST-format dataset into `dir`. */
export const writeDataset = async (dir: string, o: FixtureOptions = {}): Promise<void> => {
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

export const noNetwork: FetchLike = async () => {
  throw new Error('network disabled in tests')
}

/** Options that isolate a test from the machine: no env, no system dirs, a private cache, no network. */
export const isolated = async (freshDir: (name?: string) => Promise<string>, extra: Partial<LoadOptions> = {}): Promise<LoadOptions> => ({
  env: {},
  systemDirs: [],
  cacheDir: await freshDir('cache'),
  fetch: noNetwork,
  ...extra,
})

export const left = <A>(r: E.Either<DataError, A>): DataError => {
  if (E.isRight(r)) throw new Error('expected a Left')
  expect(r.left).toBeInstanceOf(DataError)
  return r.left
}
export const right = <A>(r: E.Either<DataError, A>): A => {
  if (E.isLeft(r)) throw new Error(`expected a Right, got: ${r.left.message}`)
  return r.right
}

/** A split of `n` fixture images with labels (3·i) mod 10. */
export const split = (n: number): Split => ({
  images: images(n).data as Uint8Array,
  labels: labels(n, (i) => (i * 3) % 10).data as Uint8Array,
  count: n,
  height: 28,
  width: 28,
})

/** A deterministic synthetic split whose label is learnable from the image (a bright square at a class position). */
export const syntheticSplit = (count: number, seed: number): Split => {
  const images = new Uint8Array(count * 784)
  const labels = new Uint8Array(count)
  let s = seed
  const rand = () => ((s = (Math.imul(s, 1103515245) + 12345) >>> 0) / 2 ** 32)
  for (let i = 0; i < count; i++) {
    const label = Math.floor(rand() * 10)
    labels[i] = label
    for (let p = 0; p < 784; p++) images[i * 784 + p] = Math.floor(rand() * 60)
    const row = (label % 5) * 5 + 2
    const col = label < 5 ? 4 : 16
    for (let r = row; r < row + 4; r++) for (let c = col; c < col + 8; c++) images[i * 784 + r * 28 + c] = 255
  }
  return { images, labels, count, height: 28, width: 28 }
}
