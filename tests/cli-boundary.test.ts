/**
 * The command line at its boundaries: one shape parser, `run`'s input file checks (shape flag, dtype, empty batch,
 * NHWC, files over 2 GiB, duplicate header keys), outputs checked for writability before any work (a read-only
 * mount), error prefixes, and stderr kept free of tfjs's banner and the wasm module's raw `Aborted()` line.
 */
import { spawnSync } from 'node:child_process'
import { closeSync, existsSync, mkdirSync, mkdtempSync, openSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import * as E from 'fp-ts/lib/Either.js'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { parseArgs, parseShape, shapeFlag } from '../src/cli/args.js'
import { memoryIo, reportError } from '../src/cli/io.js'
import { main } from '../src/cli/main.js'
import { checkWritable } from '../src/io/writable.js'
import { compile } from '../src/runtime/model.js'
import { selectBackend } from '../src/runtime/backend.js'
import { decodeSafetensors, encodeSafetensors } from '../src/io/safetensors.js'
import { zoo } from '../src/zoo/registry.js'

const cliPath = new URL('../dist/cli/main.js', import.meta.url).pathname
const dir = mkdtempSync(join(tmpdir(), 'shapesafe-boundary-'))
const weights = join(dir, 'w.safetensors')
afterAll(() => rmSync(dir, { recursive: true, force: true }))
beforeAll(async () => {
  await selectBackend({ backend: 'wasm' })
  const model = compile(zoo.lenet.graph({ input: [1, 1, 28, 28], classes: 10 }))
  const state = model.init(0)
  writeFileSync(weights, encodeSafetensors(model.toStateDict(state)))
  model.dispose(state)
})

const io = () => memoryIo({ env: { SHAPESAFE_BACKEND: 'wasm' } })

/** Writes one tensor named "input" and returns its path. */
const inputFile = (name: string, shape: number[], dtype: 'F32' | 'I32' = 'F32'): string => {
  const count = shape.reduce((a, b) => a * b, 1)
  const data = dtype === 'F32' ? Float32Array.from({ length: count }, (_, i) => Math.cos(i)) : new Int32Array(count)
  const path = join(dir, name)
  writeFileSync(path, encodeSafetensors({ input: { shape, data } }))
  return path
}

const run = async (args: string[]): Promise<{ code: number; err: string; out: string }> => {
  const cli = io()
  const code = await main(['run', 'lenet', '--weights', weights, ...args], cli)
  return { code, err: cli.err(), out: cli.out() }
}

describe('one shape parser for summary --input and run --input-shape', () => {
  it('rejects dims beyond 2^53, non-integers, zeros and wrong counts', () => {
    expect(parseShape('1,3,224,224')).toEqual(E.right([1, 3, 224, 224]))
    expect(parseShape('2x1x28x28')).toEqual(E.right([2, 1, 28, 28]))
    expect(parseShape('1,3,99999999999999999999,224')).toEqual(E.left('99999999999999999999 is beyond 2^53 − 1'))
    expect(parseShape('1,3,9007199254740992,224')).toEqual(E.left('9007199254740992 is beyond 2^53 − 1'))
    expect(E.isRight(parseShape('1,3,9007199254740991,224'))).toBe(true)
    expect(parseShape('1,3,22.5,224')).toEqual(E.left('22.5 is not a positive integer'))
    expect(parseShape('1,3,1e3,224')).toEqual(E.left('1e3 is not a positive integer'))
    expect(parseShape('1,3,-2,224')).toEqual(E.left('-2 is not a positive integer'))
    expect(parseShape('0,3,224,224')).toEqual(E.left('dims must be at least 1, got 0'))
    expect(parseShape('1,3,224')).toEqual(E.left('expected four dims N,C,H,W, got 3'))
    const parsed = parseArgs(['--s', '1,2,3'], { s: shapeFlag('a shape') })
    expect(E.isLeft(parsed) && parsed.left.message).toBe('--s: expected four positive integers N,C,H,W (expected four dims N,C,H,W, got 3), got "1,2,3"')
  })

  it('both commands name their flag and exit 2', async () => {
    const bad = ['1,3,99999999999999999999,224', '1,1,28.5,28', '0,1,28,28', '1,1,28']
    for (const value of bad) {
      const summary = memoryIo()
      expect(await main(['summary', 'lenet', '--input', value], summary), value).toBe(2)
      expect(summary.err()).toMatch(new RegExp(`^shapesafe summary: --input: expected four positive integers N,C,H,W \\(.*\\), got "${value.replace(/\./g, '\\.')}"`))
      const r = await run(['--input', join(dir, 'absent.safetensors'), '--output', join(dir, 'o.safetensors'), '--input-shape', value])
      expect(r.code, value).toBe(2)
      expect(r.err).toMatch(/^shapesafe run: --input-shape: expected four positive integers N,C,H,W \(/)
    }
  })
})

describe('error prefixes', () => {
  it('each command prefixes its name once', async () => {
    const cases: [string[], string][] = [
      [['compare'], 'shapesafe compare: which models?'],
      [['compare', 'lenet', 'lenet'], 'shapesafe compare: lenet is listed twice'],
      [['train'], 'shapesafe train: which model?'],
      [['run', 'lenet'], 'shapesafe run: missing --weights, --input, --output'],
      [['summary'], 'shapesafe summary: expected one model name'],
      [['summary', 'lenett'], "shapesafe summary: unknown model 'lenett'"],
    ]
    for (const [argv, start] of cases) {
      const cli = memoryIo()
      expect(await main(argv, cli), argv.join(' ')).toBe(2)
      expect(cli.err().startsWith(start), cli.err()).toBe(true)
      expect(cli.err()).not.toMatch(/^shapesafe (\w+): \1:/)
    }
  })

  it('run gives the same out-of-memory explanation as train, with advice for run', () => {
    for (const command of ['run', 'train', 'compare']) {
      const cli = memoryIo()
      expect(reportError(command, cli, new Error('memory access out of bounds'))).toBe(1)
      expect(cli.err()).toMatch(new RegExp(`^shapesafe ${command}: the backend ran out of memory \\(memory access out of bounds\\)\\. The wasm backend's heap is capped at 4 GB`))
      expect(cli.err()).toMatch(command === 'run' ? /run fewer images at a time/ : /smaller --batch-size or --resize/)
    }
  })
})

describe('shapesafe run checks its input file', () => {
  const out = () => join(dir, `y-${Math.random().toString(36).slice(2)}.safetensors`)

  it('--input-shape that disagrees with a 4-D tensor is an error; it reads a tensor of another rank', async () => {
    const x = inputFile('x3.safetensors', [3, 1, 28, 28])
    for (const shape of ['5,1,28,28', '3,1,28,29', '1,3,28,28']) {
      const r = await run(['--input', x, '--output', out(), '--input-shape', shape])
      expect(r.code, shape).toBe(2)
      expect(r.err).toBe(`shapesafe run: --input-shape [${shape.split(',').join(', ')}] disagrees with the tensor in ${x}, which is [3, 1, 28, 28]\n`)
    }
    expect((await run(['--input', x, '--output', out(), '--input-shape', '3,1,28,28'])).code).toBe(0)
    const flat = inputFile('flat.safetensors', [3, 784])
    const y = out()
    const ok = await run(['--input', flat, '--output', y, '--input-shape', '3,1,28,28'])
    expect(ok.err).toBe('')
    expect(ok.out).toMatch(/wrote output \[3, 10\]/)
    const noShape = await run(['--input', flat, '--output', out()])
    expect(noShape.code).toBe(1)
    expect(noShape.err).toBe(`shapesafe run: ${flat}: the input tensor is [3, 784]; expected a 4-D NCHW tensor [N, C, H, W] (or give --input-shape N,C,H,W to read its values as one)\n`)
    const wrongCount = await run(['--input', flat, '--output', out(), '--input-shape', '2,1,28,28'])
    expect(wrongCount.err).toMatch(/disagrees with the tensor in .*flat\.safetensors: \[3, 784\] holds 2352 values, not 1568/)
  })

  it('dtype and empty-batch errors name the file', async () => {
    const ints = inputFile('ints.safetensors', [2, 1, 28, 28], 'I32')
    const r = await run(['--input', ints, '--output', out()])
    expect(r.code).toBe(1)
    expect(r.err).toBe(`shapesafe run: ${ints}: tensor "input" has dtype I32, expected a float dtype (F32, F16, BF16 or F64)\n`)
    for (const shape of [[0, 1, 28, 28], [2, 1, 0, 28]]) {
      const empty = inputFile('empty.safetensors', shape)
      const e = await run(['--input', empty, '--output', out()])
      expect(e.code).toBe(1)
      expect(e.err).toContain(`shapesafe run: ${empty}: the input tensor [${shape.join(', ')}]`)
      expect(e.err).toMatch(shape[0] === 0 ? /holds no images \(batch size 0\)/ : /has an empty axis/)
    }
  })

  it('an NHWC input is called NHWC, with the NCHW shape the model takes', async () => {
    const nhwc = inputFile('nhwc.safetensors', [2, 28, 28, 1])
    const r = await run(['--input', nhwc, '--output', out()])
    expect(r.code).toBe(1)
    expect(r.err).toBe(
      `shapesafe run: ${nhwc}: the input tensor is [2, 28, 28, 1], which looks like NHWC (channels last); lenet takes NCHW, ` +
        'here [2, 1, 28, 28]: transpose it (x.permute(0, 3, 1, 2) in PyTorch)\n',
    )
    expect(r.err).not.toContain('[N,28,28,28]')
    // A shape that is wrong either way is reported as such, naming the file.
    const odd = inputFile('odd.safetensors', [2, 1, 30, 30])
    const o = await run(['--input', odd, '--output', out()])
    expect(o.err).toBe(`shapesafe run: lenet cannot take input [2, 1, 30, 30] from ${odd}: lenet: expected input [N,1,28,28], got [2,1,30,30]\n`)
  })

  it('a file over 2 GiB gets a clear message (weights or input), not ERR_FS_FILE_TOO_LARGE', async () => {
    const big = join(dir, 'big.safetensors')
    const fd = openSync(big, 'w')
    closeSync(fd)
    spawnSync('truncate', ['-s', String(2 ** 31 + 64), big]) // sparse: takes no disk space
    const x = inputFile('x1.safetensors', [1, 1, 28, 28])
    for (const args of [['--input', big, '--output', out()], ['--input', x, '--output', out()]]) {
      const cli = io()
      const code = await main(['run', 'lenet', '--weights', args[1] === big ? weights : big, ...args], cli)
      expect(code).toBe(1)
      expect(cli.err()).toBe(
        `shapesafe run: ${big}: the file is larger than 2 GiB, the most Node.js reads into one buffer, so it cannot be loaded whole; ` +
          'store the tensors as F16 or BF16 (half the size) or in a smaller model\n',
      )
    }
    rmSync(big)
  })

  it('duplicate keys in a safetensors header are rejected (top level and nested)', async () => {
    const file = (header: string, data: number) => {
      const json = new TextEncoder().encode(header)
      const bytes = new Uint8Array(8 + json.length + data)
      new DataView(bytes.buffer).setBigUint64(0, BigInt(json.length), true)
      bytes.set(json, 8)
      return bytes
    }
    const t = (begin: number) => `{"dtype":"F32","shape":[1],"data_offsets":[${begin},${begin + 4}]}`
    const top = decodeSafetensors(file(`{"a":${t(0)},"b":${t(4)},"a":${t(8)}}`, 12), { source: 'dup.safetensors' })
    expect(E.isLeft(top) && top.left.reason).toBe('DuplicateKey')
    expect(E.isLeft(top) && top.left.message).toBe(
      'dup.safetensors: header has the key "a" twice (JSON parsers disagree on which one wins, so the file is ambiguous)',
    )
    const nested = decodeSafetensors(file(`{"a":{"dtype":"F32","shape":[1],"dtype":"F16","data_offsets":[0,4]}}`, 4))
    expect(E.isLeft(nested) && nested.left.message).toMatch(/^header has the key "dtype" twice in "a" /)
    const meta = decodeSafetensors(file(`{"__metadata__":{"k":"1","k":"2"},"a":${t(0)}}`, 4))
    expect(E.isLeft(meta) && meta.left.message).toMatch(/^header has the key "k" twice in "__metadata__"/)
    // Keys that only look alike, escaped quotes and keys inside arrays are not duplicates.
    const fine = decodeSafetensors(file(`{"a\\"b":${t(0)},"a":${t(4)},"__metadata__":{"x":"[\\"a\\",{}]"}}`, 8))
    expect(E.isRight(fine)).toBe(true)
    const path = join(dir, 'dup.safetensors')
    writeFileSync(path, file(`{"input":${t(0)},"input":${t(4)}}`, 8))
    const r = await run(['--input', path, '--output', out()])
    expect(r.err).toMatch(/^shapesafe run: .*dup\.safetensors: header has the key "input" twice/)
  })
})

describe('outputs are checked for writability before any work', () => {
  it('checkWritable: fine, a directory in the way, a file in the way; leaves nothing behind', async () => {
    const root = join(dir, 'w')
    mkdirSync(root)
    expect(await checkWritable(join(root, 'new', 'deeper', 'y.safetensors'))).toBeUndefined()
    expect(await checkWritable(join(root, 'out'), 'directory')).toBeUndefined()
    expect(readdirSync(root)).toEqual([])
    expect(await checkWritable(root)).toMatchObject({ code: 'EISDIR', message: `cannot write ${root}: it is a directory (EISDIR)` })
    writeFileSync(join(root, 'file'), '')
    expect(await checkWritable(join(root, 'file', 'y.json'))).toMatchObject({
      code: 'ENOTDIR',
      message: `cannot write ${join(root, 'file', 'y.json')}: ${join(root, 'file')} is not a directory (ENOTDIR)`,
    })
  })

  // A read-only file system needs a mount: root in a private mount namespace (`unshare -m`). Root ignores
  // permission bits, so chmod cannot stand in for it.
  const ro = join(dir, 'ro')
  mkdirSync(ro, { recursive: true })
  const probe = spawnSync('unshare', ['-m', 'sh', '-c', `mount -t tmpfs -o ro tmpfs '${ro}' && touch '${ro}/x'`], { encoding: 'utf8' })
  const canMount = /Read-only file system/.test(probe.stderr)
  const onReadOnly = (args: string) =>
    spawnSync('unshare', ['-m', 'sh', '-c', `mount -t tmpfs -o ro tmpfs '${ro}' && exec node '${cliPath}' ${args}`], {
      encoding: 'utf8',
      env: { ...process.env, SHAPESAFE_BACKEND: 'wasm' },
      timeout: 60_000,
    })

  it.skipIf(!canMount)('run --output, train --checkpoint and compare --out on a read-only mount: EROFS up front (skipped where unshare -m cannot mount)', () => {
    const cases: [string, string][] = [
      // The input does not exist: the output is checked first, before anything is read.
      [`run lenet --weights '${weights}' --input '${dir}/absent.safetensors' --output '${ro}/y.safetensors'`, `shapesafe run: --output: cannot write ${ro}/y.safetensors: read-only file system (EROFS) at ${ro}\n`],
      [`run lenet --weights '${weights}' --input '${dir}/absent.safetensors' --output '${ro}/sub/y.safetensors'`, `shapesafe run: --output: cannot write ${ro}/sub/y.safetensors: read-only file system (EROFS) at ${ro}\n`],
      // No dataset is loaded and nothing is trained before the refusal.
      [`train lenet --checkpoint '${ro}/ckpt' --epochs 1`, `shapesafe train: --checkpoint: cannot write ${ro}/ckpt.json: read-only file system (EROFS) at ${ro}\n`],
      [`compare lenet resnet-small --out '${ro}/cmp'`, `shapesafe compare: --out: cannot write ${ro}/cmp: read-only file system (EROFS) at ${ro}\n`],
    ]
    for (const [args, message] of cases) {
      const r = onReadOnly(args)
      expect(r.stderr, args).toBe(message)
      expect(r.stdout, args).toBe('')
      expect(r.status, args).toBe(1)
    }
  })
})

describe('stderr carries only shapesafe messages', () => {
  it('no tfjs banner on --backend cpu (nor wasm)', () => {
    const x = inputFile('xb.safetensors', [1, 1, 28, 28])
    for (const backend of ['cpu', 'wasm']) {
      const r = spawnSync('node', [cliPath, 'run', 'lenet', '--weights', weights, '--input', x, '--output', join(dir, `yb-${backend}.safetensors`), '--backend', backend], {
        encoding: 'utf8',
        timeout: 60_000,
      })
      expect(r.stderr, backend).toBe('')
      expect(r.status).toBe(0)
      expect(existsSync(join(dir, `yb-${backend}.safetensors`))).toBe(true)
    }
  })

  it("the wasm module's raw Aborted() line is dropped; everything else on stderr stays", () => {
    // Emscripten prints with a console.warn bound when the module is made, before the CLI starts: the script binds
    // its own the same way, then installs the filter the CLI installs.
    const script = `
      const err = console.warn.bind(console)
      const { dropWasmAbortLines } = await import(${JSON.stringify(new URL('../dist/cli/io.js', import.meta.url).href)})
      dropWasmAbortLines(process.stderr)
      err('Aborted()')
      err('Aborted(OOM)')
      err('a warning that stays')
      process.stderr.write(Buffer.from('Aborted()\\n'))
      process.stderr.write('shapesafe train: the backend ran out of memory (Aborted(). Build with -sASSERTIONS for more info.)\\n')
    `
    const r = spawnSync('node', ['--input-type=module', '-e', script], { encoding: 'utf8' })
    expect(r.stderr).toBe('a warning that stays\nshapesafe train: the backend ran out of memory (Aborted(). Build with -sASSERTIONS for more info.)\n')
    expect(r.status).toBe(0)
  })
})
