// src/data/idx.ts: decoding and reading IDX files (plain or gzipped), with errors naming the file.
import { describe, expect, it } from 'vitest'
import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { gzipSync } from 'node:zlib'
import { decodeIdx, encodeIdx, readIdx, type IdxArray } from '../src/data/idx.js'
import { images, labels, left, right, useTmpDirs } from './helpers/dataFixtures.js'

const freshDir = useTmpDirs()

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
    const path = join(await freshDir(), 'does-not-exist.idx')
    const e = left(await readIdx(path)())
    expect(e.kind).toBe('io')
    expect(e.message).toContain(path)
    expect(e.message).toContain('ENOENT')
  })
})
