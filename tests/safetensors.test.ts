import { mkdtempSync, readFileSync, existsSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import * as E from 'fp-ts/lib/Either.js'
import {
  type SafetensorsError,
  type SafetensorsErrorReason,
  type SafetensorsFile,
  SafetensorsException,
  decodeSafetensors,
  dtypeItemSize,
  encodeSafetensors,
  encodeSafetensorsEither,
  halfToFloat,
  readSafetensors,
  toFloat32Array,
  writeSafetensors,
} from '../src/io/safetensors.js'

const fixtures = join(import.meta.dirname, 'fixtures')
const scratch = mkdtempSync(join(tmpdir(), 'shapesafe-safetensors-'))
afterAll(() => rmSync(scratch, { recursive: true, force: true }))

const right = <A>(e: E.Either<unknown, A>): A => {
  if (E.isLeft(e)) throw new Error(`expected Right, got ${JSON.stringify(e.left)}`)
  return e.right
}
const left = <L>(e: E.Either<L, unknown>): L => {
  if (E.isRight(e)) throw new Error('expected Left, got Right')
  return e.left
}
const floats = (t: SafetensorsFile, name: string): number[] => [...right(toFloat32Array(t.tensors.get(name)!))]

/** A file with an arbitrary header object (or raw header text) and data bytes, bypassing the encoder's checks. */
const rawFile = (header: unknown, data: Uint8Array = new Uint8Array(0), headerLength?: bigint): Uint8Array => {
  const text = new TextEncoder().encode(typeof header === 'string' ? header : JSON.stringify(header))
  const out = new Uint8Array(8 + text.length + data.length)
  new DataView(out.buffer).setBigUint64(0, headerLength ?? BigInt(text.length), true)
  out.set(text, 8)
  out.set(data, 8 + text.length)
  return out
}

const decodeError = (bytes: Uint8Array): SafetensorsError => left(decodeSafetensors(bytes, { source: 'w.safetensors' }))

const expectError = (bytes: Uint8Array, reason: SafetensorsErrorReason, messagePart?: string | RegExp): SafetensorsError => {
  const error = decodeError(bytes)
  expect(error._tag).toBe('SafetensorsError')
  expect(error.reason).toBe(reason)
  expect(error.message.startsWith('w.safetensors: ')).toBe(true)
  if (messagePart !== undefined) expect(error.message).toMatch(messagePart)
  return error
}

describe('encode/decode round trip', () => {
  const weight = Float32Array.from({ length: 24 }, (_, i) => i * 0.5 - 3)
  const bias = new Float32Array([1.25, -0.5])

  it('keeps names, shapes, values and metadata (list input)', () => {
    const bytes = encodeSafetensors(
      [
        { name: 'features.0.weight', shape: [2, 3, 2, 2], data: weight },
        { name: 'features.0.bias', shape: [2], data: bias },
      ],
      { format: 'pt', note: 'héllo' },
    )
    const file = right(decodeSafetensors(bytes))
    expect([...file.tensors.keys()]).toEqual(['features.0.weight', 'features.0.bias'])
    expect(file.tensors.get('features.0.weight')).toMatchObject({ dtype: 'F32', shape: [2, 3, 2, 2] })
    expect(floats(file, 'features.0.weight')).toEqual([...weight])
    expect(floats(file, 'features.0.bias')).toEqual([...bias])
    expect(file.metadata).toEqual({ format: 'pt', note: 'héllo' })
  })

  it('accepts a record or a map, scalars and empty tensors', () => {
    const record = {
      scalar: { shape: [], data: new Float32Array([7]) },
      empty: { shape: [0, 3], data: new Float32Array(0) },
    }
    for (const input of [record, new Map(Object.entries(record))]) {
      const file = right(decodeSafetensors(encodeSafetensors(input)))
      expect(file.tensors.get('scalar')).toMatchObject({ dtype: 'F32', shape: [] })
      expect(floats(file, 'scalar')).toEqual([7])
      expect(file.tensors.get('empty')).toMatchObject({ shape: [0, 3] })
      expect(floats(file, 'empty')).toEqual([])
      expect(file.metadata).toEqual({})
    }
  })

  it('stores BigInt64Array as I64 (num_batches_tracked) and other typed arrays by their dtype', () => {
    const bytes = encodeSafetensors({
      'bn.num_batches_tracked': { shape: [], data: new BigInt64Array([123456789012n]) },
      'a.f64': { shape: [2], data: new Float64Array([0.1, -2]) },
      'a.i32': { shape: [3], data: new Int32Array([1, -2, 3]) },
      'a.u8': { shape: [2], data: new Uint8Array([0, 255]) },
    })
    const file = right(decodeSafetensors(bytes))
    const counter = file.tensors.get('bn.num_batches_tracked')!
    expect(counter.dtype).toBe('I64')
    expect(new DataView(counter.data.buffer, counter.data.byteOffset).getBigInt64(0, true)).toBe(123456789012n)
    expect(file.tensors.get('a.i32')!.dtype).toBe('I32')
    expect(file.tensors.get('a.u8')!.dtype).toBe('U8')
    expect(floats(file, 'a.f64')).toEqual([Math.fround(0.1), -2])
    expect(left(toFloat32Array(counter, { name: 'bn.num_batches_tracked' }))).toMatchObject({
      reason: 'NotFloat',
      tensor: 'bn.num_batches_tracked',
    })
  })

  it('pads the header with spaces to 8 bytes and aligns every tensor to its item size', () => {
    const bytes = encodeSafetensors([
      { name: 'h', shape: [1], dtype: 'F16', bytes: new Uint8Array([0, 0x3c]) },
      { name: 'w', shape: [3], data: new Float32Array([1, 2, 3]) },
      { name: 'c', shape: [], data: new BigInt64Array([5n]) },
      { name: 'v', shape: [1], data: new Float32Array([4]) },
    ])
    const headerLength = Number(new DataView(bytes.buffer).getBigUint64(0, true))
    expect(headerLength % 8).toBe(0)
    const text = new TextDecoder().decode(bytes.subarray(8, 8 + headerLength))
    expect(text.trimEnd().endsWith('}')).toBe(true)
    expect(/^[^ ]* *$/.test(text.replace(/"[^"]*"/g, ''))).toBe(true)
    const file = right(decodeSafetensors(bytes))
    // Largest items first, caller's order kept within an item size.
    expect([...file.tensors.keys()]).toEqual(['c', 'w', 'v', 'h'])
    for (const t of file.tensors.values()) expect(t.data.byteOffset % dtypeItemSize[t.dtype]).toBe(0)
    expect(floats(file, 'h')).toEqual([1])
  })

  it('decodes from a view at an odd offset of a larger buffer', () => {
    const bytes = encodeSafetensors({ x: { shape: [3], data: new Float32Array([1.5, -2, 3.25]) }, d: { shape: [1], data: new Float64Array([9]) } })
    const big = new Uint8Array(bytes.length + 5)
    big.set(bytes, 3)
    const file = right(decodeSafetensors(big.subarray(3, 3 + bytes.length)))
    expect(floats(file, 'x')).toEqual([1.5, -2, 3.25])
    expect(floats(file, 'd')).toEqual([9])
  })

  it('reports invalid input instead of writing a wrong file', () => {
    const short = { 'fc.weight': { shape: [10, 4], data: new Float32Array(39) } }
    expect(() => encodeSafetensors(short)).toThrow(SafetensorsException)
    expect(() => encodeSafetensors(short)).toThrow(/tensor "fc.weight": shape \[10, 4\] F32 needs 160 bytes \(40 elements\), got 156 bytes \(39 elements\)/)
    expect(left(encodeSafetensorsEither(short))).toMatchObject({ reason: 'InvalidInput', tensor: 'fc.weight' })
    expect(left(encodeSafetensorsEither([
      { name: 'a', shape: [1], data: new Float32Array(1) },
      { name: 'a', shape: [1], data: new Float32Array(1) },
    ])).message).toMatch(/duplicate/)
    expect(left(encodeSafetensorsEither({ __metadata__: { shape: [1], data: new Float32Array(1) } })).message).toMatch(/reserved/)
    expect(left(encodeSafetensorsEither({ a: { shape: [-1], data: new Float32Array(1) } })).message).toMatch(/shape/)
  })
})

describe('float conversions', () => {
  it('decodes half-precision bit patterns', () => {
    expect(halfToFloat(0x3c00)).toBe(1)
    expect(halfToFloat(0xc000)).toBe(-2)
    expect(halfToFloat(0x7bff)).toBe(65504)
    expect(halfToFloat(0x0001)).toBe(2 ** -24)
    expect(halfToFloat(0x03ff)).toBe(1023 * 2 ** -24)
    expect(Object.is(halfToFloat(0x8000), -0)).toBe(true)
    expect(halfToFloat(0x7c00)).toBe(Infinity)
    expect(halfToFloat(0xfc00)).toBe(-Infinity)
    expect(halfToFloat(0x7e00)).toBeNaN()
  })

  it('converts BF16 by widening the bit pattern', () => {
    // 1.0 = 0x3f80, -2.5 = 0xc020, +inf = 0x7f80
    const bytes = encodeSafetensors({ b: { shape: [3], dtype: 'BF16', bytes: new Uint8Array([0x80, 0x3f, 0x20, 0xc0, 0x80, 0x7f]) } })
    expect(floats(right(decodeSafetensors(bytes)), 'b')).toEqual([1, -2.5, Infinity])
  })
})

describe('a file written by PyTorch (tests/fixtures/tiny.safetensors, see scripts/make-safetensors-fixture.py)', () => {
  const bytes = new Uint8Array(readFileSync(join(fixtures, 'tiny.safetensors')))
  const expected = JSON.parse(readFileSync(join(fixtures, 'tiny.expected.json'), 'utf8')) as {
    metadata: Record<string, string>
    tensors: Record<string, { dtype: string; shape: number[]; float32?: Array<number | string>; int?: number[] }>
  }
  const file = right(decodeSafetensors(bytes, { source: 'tiny.safetensors' }))

  it('has every tensor with its dtype and shape, and the metadata', () => {
    expect(bytes.length).toBeLessThan(10_000)
    expect(new Set(file.tensors.keys())).toEqual(new Set(Object.keys(expected.tensors)))
    for (const [name, e] of Object.entries(expected.tensors))
      expect(file.tensors.get(name), name).toMatchObject({ dtype: e.dtype, shape: e.shape })
    expect(file.metadata).toEqual(expected.metadata)
    expect(file.source).toBe('tiny.safetensors')
  })

  it("matches torch's float32 values for F32, F16, BF16 and F64 tensors (bit for bit, incl. -0, subnormals, inf, NaN)", () => {
    const parse = (v: number | string): number => (typeof v === 'number' ? v : Number(v))
    let checked = 0
    for (const [name, e] of Object.entries(expected.tensors)) {
      if (e.float32 === undefined) continue
      const got = floats(file, name)
      const want = e.float32.map(parse)
      expect(got.length, name).toBe(want.length)
      for (let i = 0; i < want.length; i++) expect(Object.is(got[i], want[i]), `${name}[${i}]: ${got[i]} vs ${want[i]}`).toBe(true)
      checked++
    }
    expect(checked).toBe(9)
  })

  it('reads the I64 scalar bn.num_batches_tracked', () => {
    const t = file.tensors.get('bn.num_batches_tracked')!
    expect(t).toMatchObject({ dtype: 'I64', shape: [] })
    expect(Number(new DataView(t.data.buffer, t.data.byteOffset, 8).getBigInt64(0, true))).toBe(
      expected.tensors['bn.num_batches_tracked'].int![0],
    )
  })

  it('survives our own re-encoding', () => {
    const again = right(decodeSafetensors(encodeSafetensors(
      [...file.tensors].map(([name, t]) => ({ name, shape: t.shape, dtype: t.dtype, bytes: t.data })),
      file.metadata,
    )))
    for (const [name, t] of file.tensors) expect(again.tensors.get(name)).toEqual(t)
  })
})

describe('validation: every corruption is a Left naming the problem, never a throw', () => {
  const f32 = (n: number) => new Uint8Array(n * 4)

  it('file shorter than the length field', () => {
    expectError(new Uint8Array(5), 'TooShort', /5 bytes/)
  })

  it('header length beyond the file', () => {
    expectError(rawFile({}, new Uint8Array(0), 1000n), 'HeaderLengthOutOfRange', /header length 1000 exceeds the 2 bytes/)
    expectError(rawFile({}, new Uint8Array(0), 2n ** 63n), 'HeaderLengthOutOfRange')
  })

  it('header not UTF-8, not JSON, not an object', () => {
    const bad = rawFile('{}')
    bad[8] = 0xff
    expectError(bad, 'HeaderNotUtf8')
    expectError(rawFile('{"a": '), 'HeaderNotJson', /not valid JSON/)
    expectError(rawFile('[1, 2]'), 'HeaderNotObject', /array/)
    expectError(rawFile('42'), 'HeaderNotObject', /number/)
    expectError(rawFile('null'), 'HeaderNotObject', /null/)
  })

  it('metadata that is not string to string', () => {
    expectError(rawFile({ __metadata__: { epoch: 3 } }), 'InvalidMetadata', /"epoch" must be a string/)
    expectError(rawFile({ __metadata__: ['x'] }), 'InvalidMetadata')
  })

  it('malformed tensor entries, naming the tensor', () => {
    const e = expectError(rawFile({ 'fc.weight': { dtype: 'F32', shape: [1] } }), 'InvalidTensorEntry', /tensor "fc.weight"/)
    expect(e.tensor).toBe('fc.weight')
    expectError(rawFile({ 'fc.weight': 3 }), 'InvalidTensorEntry', /tensor "fc.weight"/)
  })

  it('bad dtype', () => {
    expectError(rawFile({ w: { dtype: 'F17', shape: [1], data_offsets: [0, 4] } }, f32(1)), 'UnknownDtype', /tensor "w": unknown dtype "F17"/)
    expectError(rawFile({ w: { dtype: 7, shape: [1], data_offsets: [0, 4] } }, f32(1)), 'UnknownDtype')
  })

  it('bad shape', () => {
    for (const shape of [[-1], [1.5], 'abc', [2 ** 40, 2 ** 40]])
      expectError(rawFile({ w: { dtype: 'F32', shape, data_offsets: [0, 4] } }, f32(1)), 'InvalidShape', /tensor "w"/)
  })

  it('bad offsets', () => {
    for (const data_offsets of [[4, 0], [0], [-1, 3], [0, 'x'], 'ab'])
      expectError(rawFile({ w: { dtype: 'F32', shape: [1], data_offsets } }, f32(1)), 'InvalidOffsets', /tensor "w"/)
  })

  it('byte size not equal to product(shape) x item size', () => {
    expectError(
      rawFile({ 'fc.weight': { dtype: 'F32', shape: [10, 512], data_offsets: [0, 1024] } }, new Uint8Array(1024)),
      'SizeMismatch',
      'w.safetensors: tensor "fc.weight" has shape [10, 512] F32 = 20480 bytes, but data_offsets [0, 1024] span 1024 bytes',
    )
  })

  it('overlapping tensors', () => {
    const e = expectError(
      rawFile(
        { a: { dtype: 'F32', shape: [2], data_offsets: [0, 8] }, b: { dtype: 'F32', shape: [2], data_offsets: [4, 12] } },
        f32(3),
      ),
      'OverlappingOffsets',
      /tensor "b" .* overlaps tensor "a"/,
    )
    expect(e.tensor).toBe('b')
  })

  it('gaps: between tensors and before the first', () => {
    expectError(
      rawFile(
        { a: { dtype: 'F32', shape: [2], data_offsets: [0, 8] }, b: { dtype: 'F32', shape: [2], data_offsets: [12, 20] } },
        f32(5),
      ),
      'GapBetweenTensors',
      /tensor "b" starts at byte 12, but tensor "a" ends at byte 8/,
    )
    expectError(rawFile({ a: { dtype: 'F32', shape: [1], data_offsets: [4, 8] } }, f32(2)), 'GapBetweenTensors', /must start/)
  })

  it('truncated file names the first tensor that does not fit', () => {
    const bytes = encodeSafetensors([
      { name: 'conv.weight', shape: [4, 4], data: new Float32Array(16) },
      { name: 'fc.weight', shape: [10, 512], data: new Float32Array(5120) },
    ])
    const cut = bytes.subarray(0, bytes.length - 20480 + 1024 - 64)
    expectError(cut, 'Truncated', /tensor "fc.weight" needs data bytes \[64, 20544\), but the file has only 1024 data bytes/)
  })

  it('trailing bytes after the last tensor', () => {
    const bytes = encodeSafetensors({ a: { shape: [1], data: new Float32Array(1) } })
    const longer = new Uint8Array(bytes.length + 3)
    longer.set(bytes)
    expectError(longer, 'TrailingBytes', /3 unexplained trailing bytes/)
  })

  it('every prefix of a valid file is a Left, and random byte flips never throw', () => {
    const bytes = encodeSafetensors(
      { a: { shape: [3, 2], data: new Float32Array(6).fill(1) }, b: { shape: [], data: new BigInt64Array([2n]) } },
      { k: 'v' },
    )
    for (let k = 0; k < bytes.length; k++) expect(E.isLeft(decodeSafetensors(bytes.subarray(0, k))), `prefix ${k}`).toBe(true)
    let seed = 12345
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31)
    for (let trial = 0; trial < 2000; trial++) {
      const copy = bytes.slice()
      for (let j = 0; j < 3; j++) copy[Math.floor(random() * copy.length)] = Math.floor(random() * 256)
      expect(() => decodeSafetensors(copy)).not.toThrow()
    }
  })
})

describe('files', () => {
  it('writes atomically and reads back', async () => {
    const path = join(scratch, 'nested', 'dir', 'model.safetensors')
    right(await writeSafetensors(path, { 'fc.bias': { shape: [2], data: new Float32Array([1, 2]) } }, { format: 'pt' })())
    const file = right(await readSafetensors(path)())
    expect(floats(file, 'fc.bias')).toEqual([1, 2])
    expect(file.metadata).toEqual({ format: 'pt' })
    expect(file.source).toBe(path)
  })

  it('reads the PyTorch fixture from disk', async () => {
    const file = right(await readSafetensors(join(fixtures, 'tiny.safetensors'))())
    expect(file.tensors.get('conv.weight')?.shape).toEqual([2, 1, 3, 3])
  })

  it('missing file, unreadable path and corrupt file are Lefts that start with the path', async () => {
    const missing = join(scratch, 'nope.safetensors')
    expect(left(await readSafetensors(missing)())).toMatchObject({ reason: 'FileNotFound', message: `${missing}: file not found` })
    expect(left(await readSafetensors(scratch)())).toMatchObject({ reason: 'ReadFailed', source: scratch })
    const truncated = join(scratch, 'cut.safetensors')
    right(await writeSafetensors(truncated, { w: { shape: [8], data: new Float32Array(8) } })())
    const { writeFileSync } = await import('node:fs')
    writeFileSync(truncated, readFileSync(truncated).subarray(0, -4))
    const error = left(await readSafetensors(truncated)())
    expect(error.reason).toBe('Truncated')
    expect(error.message.startsWith(`${truncated}: tensor "w" needs`)).toBe(true)
  })

  it('invalid tensors are a Left and write nothing', async () => {
    const path = join(scratch, 'invalid.safetensors')
    const error = left(await writeSafetensors(path, { w: { shape: [3], data: new Float32Array(2) } })())
    expect(error).toMatchObject({ _tag: 'SafetensorsError', reason: 'InvalidInput' })
    expect(error.message.startsWith(`${path}: cannot encode tensor "w"`)).toBe(true)
    expect(existsSync(path)).toBe(false)
  })
})
