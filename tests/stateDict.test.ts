import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import * as E from 'fp-ts/lib/Either.js'
import { type SafetensorsFile, decodeSafetensors, encodeSafetensors } from '../src/io/safetensors.js'
import { type StateDictMismatch, formatStateDictMismatch, matchStateDict } from '../src/io/stateDict.js'

const right = <A>(e: E.Either<unknown, A>): A => {
  if (E.isLeft(e)) throw new Error(`expected Right, got ${JSON.stringify(e.left)}`)
  return e.right
}
const left = <L>(e: E.Either<L, unknown>): L => {
  if (E.isRight(e)) throw new Error('expected Left, got Right')
  return e.left
}

const decode = (bytes: Uint8Array, source?: string): SafetensorsFile =>
  right(decodeSafetensors(bytes, source === undefined ? {} : { source }))

const lenetHead = [
  { name: 'features.0.weight', shape: [6, 1, 5, 5] },
  { name: 'features.0.bias', shape: [6] },
  { name: 'features.1.weight', shape: [6] },
  { name: 'features.1.bias', shape: [6] },
  { name: 'features.1.running_mean', shape: [6] },
  { name: 'features.1.running_var', shape: [6] },
] as const

const fill = (n: number, start: number) => Float32Array.from({ length: n }, (_, i) => start + i)

describe('matchStateDict', () => {
  it('returns every expected tensor as Float32Array in the expected order, skipping I64 num_batches_tracked', () => {
    const file = decode(
      encodeSafetensors([
        // file order differs from the expected order on purpose
        { name: 'features.1.running_var', shape: [6], data: fill(6, 100) },
        { name: 'features.1.num_batches_tracked', shape: [], data: new BigInt64Array([938n]) },
        { name: 'features.0.weight', shape: [6, 1, 5, 5], data: fill(150, 0) },
        { name: 'features.0.bias', shape: [6], data: fill(6, 10) },
        { name: 'features.1.weight', shape: [6], data: fill(6, 20) },
        { name: 'features.1.bias', shape: [6], data: fill(6, 30) },
        // F16 is converted: 0x3c00 = 1, 0xc000 = -2
        {
          name: 'features.1.running_mean',
          shape: [6],
          dtype: 'F16',
          bytes: new Uint8Array([0, 0x3c, 0, 0xc0, 0, 0x3c, 0, 0x3c, 0, 0x3c, 0, 0x3c]),
        },
      ]),
    )
    const values = right(matchStateDict(lenetHead, file))
    expect([...values.keys()]).toEqual(lenetHead.map((t) => t.name))
    expect(values.get('features.0.weight')).toEqual(fill(150, 0))
    expect(values.get('features.1.running_var')).toEqual(fill(6, 100))
    expect([...values.get('features.1.running_mean')!]).toEqual([1, -2, 1, 1, 1, 1])
    // fresh copies, not views into the file
    values.get('features.0.bias')![0] = -1
    expect(right(matchStateDict(lenetHead, file)).get('features.0.bias')![0]).toBe(10)
  })

  it('lists every missing, unexpected, mis-shaped and wrongly typed tensor, and loads nothing', () => {
    const file = decode(
      encodeSafetensors([
        { name: 'features.0.weight', shape: [6, 3, 5, 5], data: new Float32Array(450) },
        { name: 'features.0.b', shape: [6], data: new Float32Array(6) },
        { name: 'features.1.weight', shape: [6], data: new Int32Array(6) },
        { name: 'features.1.bias', shape: [3], data: new Float32Array(3) },
        { name: 'features.1.running_mean', shape: [6], data: new Float32Array(6) },
        { name: 'features.1.num_batches_tracked', shape: [], data: new BigInt64Array([1n]) },
        { name: 'classifier.index', shape: [2], data: new BigInt64Array([1n, 2n]) },
      ]),
      'lenet.safetensors',
    )
    const mismatch = left<StateDictMismatch>(matchStateDict(lenetHead, file))
    expect(mismatch).toEqual({
      _tag: 'StateDictMismatch',
      source: 'lenet.safetensors',
      missing: [
        { name: 'features.0.bias', shape: [6] },
        { name: 'features.1.running_var', shape: [6] },
      ],
      unexpected: [
        // in file order (the encoder puts 8-byte items first)
        { name: 'classifier.index', dtype: 'I64', shape: [2] },
        { name: 'features.0.b', dtype: 'F32', shape: [6] },
      ],
      wrongShape: [
        { name: 'features.0.weight', expected: [6, 1, 5, 5], got: [6, 3, 5, 5] },
        { name: 'features.1.bias', expected: [6], got: [3] },
      ],
      wrongDtype: [{ name: 'features.1.weight', dtype: 'I32' }],
    })
    expect(formatStateDictMismatch(mismatch)).toBe(
      [
        'lenet.safetensors does not match the model (2 missing, 2 unexpected, 2 wrong shape, 1 wrong dtype); nothing was loaded:',
        '  missing     features.0.bias  [6]',
        '  missing     features.1.running_var  [6]',
        '  unexpected  classifier.index  I64 [2]',
        '  unexpected  features.0.b  F32 [6]',
        '  wrong shape features.0.weight  expected [6, 1, 5, 5], file has [6, 3, 5, 5]',
        '  wrong shape features.1.bias  expected [6], file has [3]',
        '  wrong dtype features.1.weight  I32, expected a float dtype',
      ].join('\n'),
    )
  })

  it('reports a non-integer num_batches_tracked and an unsourced file plainly', () => {
    const file = decode(encodeSafetensors({ 'bn.num_batches_tracked': { shape: [], data: new Float32Array(1) } }))
    const mismatch = left<StateDictMismatch>(matchStateDict([], file))
    expect(mismatch.unexpected).toEqual([{ name: 'bn.num_batches_tracked', dtype: 'F32', shape: [] }])
    expect(formatStateDictMismatch(mismatch).split('\n')[0]).toBe(
      'the weights file does not match the model (1 unexpected); nothing was loaded:',
    )
  })

  it('loads the PyTorch fixture state_dict (conv + BatchNorm with num_batches_tracked)', () => {
    const file = decode(new Uint8Array(readFileSync(join(import.meta.dirname, 'fixtures', 'tiny.safetensors'))))
    const model = [
      { name: 'conv.weight', shape: [2, 1, 3, 3] },
      { name: 'conv.bias', shape: [2] },
      { name: 'bn.weight', shape: [2] },
      { name: 'bn.bias', shape: [2] },
      { name: 'bn.running_mean', shape: [2] },
      { name: 'bn.running_var', shape: [2] },
    ]
    // The fixture also holds extra.* tensors: they are reported, nothing else is.
    const mismatch = left<StateDictMismatch>(matchStateDict(model, file))
    expect(mismatch.unexpected.map((u) => u.name).sort()).toEqual(['extra.bfloat', 'extra.double', 'extra.half'])
    expect(mismatch.missing.length + mismatch.wrongShape.length + mismatch.wrongDtype.length).toBe(0)

    const withExtras = [...model, { name: 'extra.half', shape: [10] }, { name: 'extra.bfloat', shape: [7] }, { name: 'extra.double', shape: [2, 2] }]
    const values = right(matchStateDict(withExtras, file))
    expect(values.size).toBe(9)
    expect(values.get('bn.weight')).toEqual(new Float32Array([1, 1]))
    expect(values.get('conv.weight')!.length).toBe(18)
  })
})
