import * as tf from '@tensorflow/tfjs'
import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import * as E from 'fp-ts/lib/Either.js'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { selectBackend } from '../src/runtime/backend.js'
import { runCommand, runGraph } from '../src/cli/run.js'
import { memoryIo } from '../src/cli/io.js'
import { compile } from '../src/runtime/model.js'
import { decodeSafetensors, encodeSafetensors, toFloat32Array } from '../src/io/safetensors.js'
import { zoo } from '../src/zoo/registry.js'

const dir = mkdtempSync(join(tmpdir(), 'shapesafe-run-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))
beforeAll(async () => {
  await selectBackend({ backend: 'wasm' })
})

const io = () => memoryIo({ env: { SHAPESAFE_BACKEND: 'wasm' } })

/** LeNet weights and an input batch on disk, and the expected output computed in-process. */
async function lenetFixture() {
  const graph = zoo.lenet.graph({ input: [3, 1, 28, 28], classes: 10 })
  const model = compile(graph)
  const state = model.init(42)
  const sd = model.toStateDict(state)
  writeFileSync(join(dir, 'w.safetensors'), encodeSafetensors(sd))
  const x = Float32Array.from({ length: 3 * 28 * 28 }, (_, i) => Math.sin(i))
  writeFileSync(join(dir, 'x.safetensors'), encodeSafetensors({ input: { shape: [3, 1, 28, 28], data: x } }))
  const xt = tf.tensor(x, [3, 1, 28, 28])
  const { output } = model.forward(state, xt, { training: false })
  const expected = (await output.data()) as Float32Array
  tf.dispose([xt, output])
  model.dispose(state)
  return { sd, expected }
}

const readOutput = (path: string) => {
  const file = decodeSafetensors(new Uint8Array(readFileSync(path)))
  if (E.isLeft(file)) throw new Error(file.left.message)
  const t = file.right.tensors.get('output')!
  const data = toFloat32Array(t)
  if (E.isLeft(data)) throw new Error(data.left.message)
  return { shape: t.shape, data: data.right }
}

describe('shapesafe run', () => {
  it('runs a zoo model on a file and writes the output', async () => {
    const { expected } = await lenetFixture()
    const out = join(dir, 'y.safetensors')
    const cli = io()
    const code = await runCommand(['lenet', '--weights', join(dir, 'w.safetensors'), '--input', join(dir, 'x.safetensors'), '--output', out], cli)
    expect(cli.err()).toBe('')
    expect(code).toBe(0)
    expect(cli.out()).toMatch(/wrote output \[3, 10\] to .*y\.safetensors \(backend wasm, 1 thread\)/)
    const y = readOutput(out)
    expect(y.shape).toEqual([3, 10])
    for (let i = 0; i < expected.length; i++) expect(Math.abs(y.data[i] - expected[i])).toBeLessThan(1e-5)
  })

  it('reports every weight problem and writes nothing', async () => {
    const { sd } = await lenetFixture()
    const last = [...sd.keys()].at(-1)!
    const broken = new Map([...sd].filter(([k]) => k !== '0.bias').map(([k, v]) => [k === '3.weight' ? '3.w' : k, v]))
    broken.set(last, { shape: [1, 2], data: new Float32Array(2) })
    writeFileSync(join(dir, 'bad.safetensors'), encodeSafetensors(broken))
    const out = join(dir, 'never.safetensors')
    const cli = io()
    const code = await runCommand(['lenet', '--weights', join(dir, 'bad.safetensors'), '--input', join(dir, 'x.safetensors'), '--output', out], cli)
    expect(code).toBe(1)
    expect(cli.err()).toMatch(/nothing was loaded/)
    expect(cli.err()).toMatch(/missing\s+0\.bias/)
    expect(cli.err()).toMatch(/missing\s+3\.weight/)
    expect(cli.err()).toMatch(/unexpected\s+3\.w/)
    expect(cli.err()).toContain(`wrong shape ${last}`)
    expect(existsSync(out)).toBe(false)
  })

  it('rejects usage errors with exit code 2 and no stack trace', async () => {
    await lenetFixture()
    const base = ['--weights', join(dir, 'w.safetensors'), '--input', join(dir, 'x.safetensors'), '--output', join(dir, 'z.safetensors')]
    const cases: [string[], RegExp][] = [
      [['lenett', ...base], /unknown model 'lenett'; did you mean lenet/],
      [['lenet', '--input', 'x'], /missing --weights, --output/],
      [['lenet', ...base, '--backend', 'webgl'], /unknown backend "webgl"; available here: .*wasm, cpu/],
      [['lenet', ...base, '--input-shape', '1,2,3'], /--input-shape: expected four positive integers/],
      [['lenet', ...base, '--bogus'], /unknown flag --bogus/],
    ]
    for (const [argv, message] of cases) {
      const cli = io()
      expect(await runCommand(argv, cli)).toBe(2)
      expect(cli.err()).toMatch(message)
      expect(cli.err()).not.toMatch(/\n\s+at /)
    }
  })

  it('names the expected and actual shape when the input does not fit', async () => {
    await lenetFixture()
    const cli = io()
    const argv = ['lenet', '--weights', join(dir, 'w.safetensors'), '--input', join(dir, 'x.safetensors'), '--output', join(dir, 'q.safetensors'), '--input-shape', '1,3,28,28']
    expect(await runCommand(argv, cli)).toBe(2)
    expect(cli.err()).toBe(`shapesafe run: --input-shape [1, 3, 28, 28] disagrees with the tensor in ${join(dir, 'x.safetensors')}, which is [3, 1, 28, 28]\n`)
    // A graph that does not take the tensor: the file is named with the expected and actual shapes.
    const graph = zoo.lenet.graph({ input: [1, 3, 28, 28], classes: 10 })
    const x = { shape: [3, 1, 28, 28], data: new Float32Array(3 * 784), source: 'x.safetensors' }
    await expect(runGraph(graph, { weights: join(dir, 'w.safetensors'), input: x, output: join(dir, 'q.safetensors') }, io())).rejects.toThrow(
      'x.safetensors: model input: expected a float32 tensor of shape [1,3,28,28] (any batch size), got float32 [3,1,28,28]',
    )
    const missing = io()
    expect(await runCommand(['lenet', '--weights', join(dir, 'nope.safetensors'), '--input', join(dir, 'x.safetensors'), '--output', join(dir, 'q.safetensors')], missing)).toBe(1)
    expect(missing.err()).toMatch(/nope\.safetensors: file not found/)
  })
})
