/**
 * `shapesafe export --format pytorch`: the command's files and refusals, and the round trip a user makes: export
 * with weights, train a step in PyTorch with the generated module, save with its `save_safetensors`, and
 * `shapesafe run` those weights to the same output as torch (the torch part is skipped, with the reason, where
 * /usr/bin/python3 has no torch).
 */
import { spawnSync } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import * as E from 'fp-ts/lib/Either.js'
import { afterAll, describe, expect, it } from 'vitest'
import { stateDictSpecs } from '../src/graph/ir.js'
import { exportCommand } from '../src/cli/export.js'
import { memoryIo } from '../src/cli/io.js'
import { main } from '../src/cli/main.js'
import { runCommand } from '../src/cli/run.js'
import { decodeSafetensors, encodeSafetensors, toFloat32Array } from '../src/io/safetensors.js'
import { zoo } from '../src/zoo/registry.js'
import { detTensor } from './helpers/detweights.js'

const python = '/usr/bin/python3'
const probe = spawnSync(python, ['-c', 'import torch'], { encoding: 'utf8' })
const hasTorch = probe.status === 0
const dir = mkdtempSync(join(tmpdir(), 'shapesafe-export-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

const input: [number, number, number, number] = [2, 1, 28, 28]
const graph = zoo['resnet-small'].graph({ input, classes: 10 })
const specs = stateDictSpecs(graph)
const weightsFile = join(dir, 'det.safetensors')
writeFileSync(weightsFile, encodeSafetensors(specs.map((s) => ({ name: s.name, shape: s.shape, data: detTensor(s.name, s.shape, s.role) }))))

const tensorOf = (path: string, name: string): Float32Array => {
  const file = decodeSafetensors(new Uint8Array(readFileSync(path)))
  if (E.isLeft(file)) throw new Error(file.left.message)
  const t = toFloat32Array(file.right.tensors.get(name)!)
  if (E.isLeft(t)) throw new Error(t.left.message)
  return t.right
}

describe('shapesafe export --format pytorch', () => {
  it('writes net.py and, with --weights, the checked weights as net.safetensors beside it', async () => {
    const io = memoryIo()
    const out = join(dir, 'net.py')
    const code = await main(['export', 'resnet-small', '--format', 'pytorch', '--output', out, '--weights', weightsFile, '--input-shape', input.join(',')], io)
    expect(io.err()).toBe('')
    expect(code).toBe(0)
    expect(io.out()).toContain(`to ${join(dir, 'net.safetensors')}`)
    expect(readFileSync(out, 'utf8')).toContain('class ResnetSmall(nn.Sequential)')
    expect(readFileSync(out, 'utf8')).toContain('load_safetensors("net.safetensors")')
    for (const s of specs) expect(tensorOf(join(dir, 'net.safetensors'), s.name)).toEqual(detTensor(s.name, s.shape, s.role))
  })

  it('runs from the built command (dist/cli/main.js): the command module loads without a circular import', () => {
    const cli = join(import.meta.dirname, '..', 'dist', 'cli', 'main.js')
    const out = join(dir, 'spawned.py')
    const result = spawnSync(process.execPath, [cli, 'export', 'lenet', '--format', 'pytorch', '--output', out], { encoding: 'utf8' })
    expect(result.stderr).toBe('')
    expect(result.status).toBe(0)
    expect(result.stdout).toContain('class Lenet')
    expect(readFileSync(out, 'utf8')).toContain('class Lenet(nn.Sequential)')
  })

  it('without --weights writes only the module', async () => {
    const io = memoryIo()
    const out = join(dir, 'bare.py')
    expect(await exportCommand(['lenet', '--format', 'pytorch', '--output', out], io)).toBe(0)
    expect(existsSync(out)).toBe(true)
    expect(existsSync(join(dir, 'bare.safetensors'))).toBe(false)
    expect(io.out()).toContain("starts from PyTorch's default initialisation")
  })

  it('refuses weights of another model, naming every problem, and writes nothing', async () => {
    const io = memoryIo()
    const out = join(dir, 'wrong.py')
    expect(await exportCommand(['lenet', '--format', 'pytorch', '--output', out, '--weights', weightsFile], io)).toBe(1)
    expect(io.err()).toMatch(/^shapesafe export: --weights do not fit lenet at input \[1, 1, 28, 28\]/)
    expect(io.err()).toContain('0.weight')
    expect(existsSync(out)).toBe(false)
    expect(existsSync(join(dir, 'wrong.safetensors'))).toBe(false)
  })

  it.each([
    [['lenet', '--output', 'x.py'], 'missing --format'],
    [['lenet', '--format', 'pytorch'], 'missing --output'],
    [['lenet', '--format', 'keras', '--output', 'x.py'], '--format'],
    [['lenet', 'alexnet', '--format', 'pytorch', '--output', 'x.py'], 'expected one model name, got lenet alexnet'],
    [['lenett', '--format', 'pytorch', '--output', 'x.py'], 'did you mean lenet'],
  ])('usage error: %j', async (argv, message) => {
    const io = memoryIo()
    expect(await exportCommand(argv, io)).toBe(2)
    expect(io.err()).toContain(message)
  })

  it('an input the model cannot take is a failure naming the model', async () => {
    const io = memoryIo()
    expect(await exportCommand(['alexnet', '--format', 'pytorch', '--output', join(dir, 'a.py'), '--input-shape', '1,1,64,64'], io)).toBe(1)
    expect(io.err()).toContain('alexnet cannot take input [1, 1, 64, 64]')
  })

  it.skipIf(!hasTorch)(
    `weights trained in PyTorch come back: run gives torch's output${hasTorch ? '' : ' (skipped: /usr/bin/python3 cannot import torch)'}`,
    async () => {
      const x = detTensor('input', input, 'input')
      writeFileSync(join(dir, 'x.safetensors'), encodeSafetensors({ input: { shape: input, data: x } }))
      // One SGD step in train mode (BatchNorm statistics and counters move), then eval, with the file's own helpers.
      const py = `
import sys, torch
sys.path.insert(0, ${JSON.stringify(dir)})
from net import ResnetSmall, load_safetensors, save_safetensors
torch.manual_seed(0)
model = ResnetSmall()
model.load_state_dict(load_safetensors(${JSON.stringify(join(dir, 'net.safetensors'))}))
opt = torch.optim.SGD(model.parameters(), lr=0.1)
model.train()
loss = torch.nn.functional.cross_entropy(model(torch.randn(4, 1, 28, 28)), torch.tensor([0, 1, 2, 3]))
loss.backward()
opt.step()
save_safetensors(model.state_dict(), ${JSON.stringify(join(dir, 'trained.safetensors'))})
model.eval()
with torch.no_grad():
    y = model(load_safetensors(${JSON.stringify(join(dir, 'x.safetensors'))})["input"])
save_safetensors({"output": y}, ${JSON.stringify(join(dir, 'y-torch.safetensors'))})
`
      const result = spawnSync(python, ['-c', py], { encoding: 'utf8' })
      expect(result.stderr).toBe('')
      expect(result.status).toBe(0)
      const trained = decodeSafetensors(new Uint8Array(readFileSync(join(dir, 'trained.safetensors'))))
      if (E.isLeft(trained)) throw new Error(trained.left.message)
      expect(trained.right.tensors.get('0.1.num_batches_tracked')?.dtype).toBe('I64')
      expect(tensorOf(join(dir, 'trained.safetensors'), '0.0.weight')).not.toEqual(detTensor('0.0.weight', [16, 1, 3, 3], 'weight'))

      const io = memoryIo()
      const yOurs = join(dir, 'y-ours.safetensors')
      const code = await runCommand(
        ['resnet-small', '--weights', join(dir, 'trained.safetensors'), '--input', join(dir, 'x.safetensors'), '--output', yOurs, '--backend', 'wasm'],
        io,
      )
      expect(io.err()).toBe('')
      expect(code).toBe(0)
      const ours = tensorOf(yOurs, 'output')
      const theirs = tensorOf(join(dir, 'y-torch.safetensors'), 'output')
      expect(ours.length).toBe(theirs.length)
      const scale = Math.max(...theirs.map(Math.abs))
      const diff = Math.max(...ours.map((v, i) => Math.abs(v - theirs[i])))
      expect(diff / scale).toBeLessThan(1e-4)
    },
    120_000,
  )
})
