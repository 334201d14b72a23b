/**
 * ONNX export: every zoo net's export passes Debian's python3-onnx 1.12 checker with its full check (shape inference
 * included), and onnxruntime runs it to the tfjs interpreter's output and to PyTorch's (the torchvision parity
 * goldens) within 1e-4 · max |ref|. Skips with the reason when /usr/bin/python3 lacks onnx or onnxruntime-node is
 * not installed (an optional peer: `ONNXRUNTIME_NODE_INSTALL=skip npm install --no-save onnxruntime-node@1.30.0`);
 * with SHAPESAFE_REQUIRE_ONNXRUNTIME=1 (set by .ci/run) a missing onnxruntime-node fails instead.
 *
 * Inputs are small where the zoo allows (the seed's AlexNet, NiN and VGG pin 224², GoogLeNet needs 96²). The checker
 * reads the files with embedded weights up to 50 MB and checks the larger nets (AlexNet, ResNet-34…152,
 * DenseNet-161/201, the VGG family) by structure: the same export with the weights as graph inputs (its ops, attributes
 * and inferred shapes; only the initializer bytes are left out). onnxruntime runs every net but the VGG family
 * (130–140 M parameters: 0.5 GB files each, too heavy for a unit test).
 */
import { spawnSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import * as tf from '@tensorflow/tfjs'
import * as E from 'fp-ts/lib/Either.js'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { memoryIo } from '../src/cli/io.js'
import { main } from '../src/cli/main.js'
import { stateDictSpecs } from '../src/graph/ir.js'
import { OnnxExportError, toOnnx } from '../src/io/onnx.js'
import { selectBackend } from '../src/runtime/backend.js'
import { compile } from '../src/runtime/model.js'
import { loadOnnxruntime, onnxruntimeEngine } from '../src/runtime/onnxruntime.js'
import { decodeSafetensors, encodeSafetensors, toFloat32Array } from '../src/io/safetensors.js'
import { lookupModel, modelNames, zoo, type ModelName } from '../src/zoo/registry.js'
import { detTensor, type DetRole } from './helpers/detweights.js'
import { relError } from './helpers/relError.js'

const dir = mkdtempSync(join(tmpdir(), 'shapesafe-onnx-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

const python = '/usr/bin/python3'
const hasOnnx = spawnSync(python, ['-c', 'import onnx'], { encoding: 'utf8' }).status === 0
const hasTorch = spawnSync(python, ['-c', 'import torch, torchvision'], { encoding: 'utf8' }).status === 0
const ort = await loadOnnxruntime().catch((e: unknown) => {
  // onnxruntime-node is an optional peer, not a dev dependency: .ci/run installs it and sets the variable.
  const why = e instanceof Error ? e.message : String(e)
  if (process.env.SHAPESAFE_REQUIRE_ONNXRUNTIME === '1') throw new Error(`SHAPESAFE_REQUIRE_ONNXRUNTIME=1 but ${why}`)
  console.warn(`onnxruntime tests skipped: ${why}`)
  return undefined
})

/** detweights role of a state_dict tensor (tests/goldens/README.md). */
const roleOf = (role: string): DetRole => role as DetRole

/** Small inputs the zoo accepts (batch 2), and the class count. */
const inputs: Record<ModelName, readonly [number, number, number, number]> = Object.fromEntries(
  modelNames.map((name) => {
    const [, c, h] = zoo[name].defaultInput
    const small = name.startsWith('resnet') && name !== 'resnet-small' ? 32 : name.startsWith('densenet') ? 32 : h
    return [name, [2, c, small, small] as const]
  }),
) as Record<ModelName, readonly [number, number, number, number]>
const isVgg = (name: string) => name.startsWith('vgg')
const runnable = modelNames.filter((n) => !isVgg(n))

const graphOf = (name: ModelName) => zoo[name].graph({ input: inputs[name], classes: 10 })
const xOf = (shape: readonly number[]) => Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, (_, i) => Math.sin(i * 0.013) * 2)

beforeAll(async () => {
  await selectBackend({ backend: 'wasm', threads: 1 })
})

describe('toOnnx', () => {
  it('names a missing or mis-sized weight', () => {
    const graph = graphOf('lenet')
    const weights = new Map(stateDictSpecs(graph).map((s) => [s.name, new Float32Array(s.shape.reduce((a, b) => a * b, 1))]))
    weights.delete('0.bias')
    expect(() => toOnnx(graph, weights)).toThrow(OnnxExportError)
    expect(() => toOnnx(graph, weights)).toThrow('toOnnx: missing weight 0.bias [6]')
    weights.set('0.bias', new Float32Array(5))
    expect(() => toOnnx(graph, weights)).toThrow('toOnnx: 0.bias has 5 values, expected 6 for [6]')
  })
})

describe.skipIf(!hasOnnx)('python3-onnx full check (onnx.checker with shape inference)', () => {
  it('accepts every zoo net, the batch a dim_param and the output shape inferred', () => {
    const files: { name: string; path: string; classes: number }[] = []
    for (const name of modelNames) {
      const graph = graphOf(name)
      const path = join(dir, `${name}.onnx`)
      const sizes = stateDictSpecs(graph).map((s) => [s.name, s.shape.reduce((a, b) => a * b, 1)] as const)
      const embedded = sizes.reduce((sum, [, n]) => sum + 4 * n, 0) <= 50 * 2 ** 20
      const weights = new Map(embedded ? sizes.map(([n, size]) => [n, Float32Array.from({ length: size }, (_, i) => ((i * 7919) % 97) / 97 - 0.5)]) : [])
      writeFileSync(path, toOnnx(graph, weights, embedded ? {} : { weightsAs: 'inputs' }))
      files.push({ name, path, classes: 10 })
    }
    const script = `
import json, sys, onnx
from onnx import shape_inference
out = {}
for name, path in json.loads(sys.argv[1]):
    m = onnx.load(path)
    assert m.graph.input[0].name == "input" and m.graph.output[0].name == "output"
    onnx.checker.check_model(m, full_check=True)
    inferred = shape_inference.infer_shapes(m, check_type=True, strict_mode=True)
    dims = lambda v: [d.dim_param or d.dim_value for d in v.type.tensor_type.shape.dim]
    out[name] = {"opset": m.opset_import[0].version, "input": dims(m.graph.input[0]), "output": dims(inferred.graph.output[0]),
                 "ops": sorted({n.op_type for n in m.graph.node})}
print(json.dumps(out))
`
    const r = spawnSync(python, ['-c', script, JSON.stringify(files.map((f) => [f.name, f.path]))], { encoding: 'utf8', maxBuffer: 1 << 24 })
    expect(r.stderr).toBe('')
    expect(r.status).toBe(0)
    const report = JSON.parse(r.stdout) as Record<string, { opset: number; input: (string | number)[]; output: (string | number)[]; ops: string[] }>
    expect(Object.keys(report)).toEqual([...modelNames])
    for (const name of modelNames) {
      expect(report[name].opset, name).toBe(17)
      expect(report[name].input, name).toEqual(['N', ...inputs[name].slice(1)])
      expect(report[name].output, name).toEqual(['N', 10])
    }
    // Every IR op kind the zoo uses went through its mapping.
    const ops = new Set(Object.values(report).flatMap((r) => r.ops))
    for (const op of ['Conv', 'Gemm', 'MaxPool', 'AveragePool', 'GlobalAveragePool', 'BatchNormalization', 'Relu', 'Sigmoid', 'Concat', 'Add', 'Flatten', 'Identity']) {
      expect(ops, op).toContain(op)
    }
  })
})

describe.skipIf(ort === undefined)('onnxruntime runs the export', () => {
  it.each(runnable.map((n) => [n]))('%s: the same output as the tfjs interpreter', async (name) => {
    const graph = graphOf(name)
    const model = compile(graph)
    const state = model.init(7)
    const x = xOf(inputs[name])
    const xt = tf.tensor(x, [...inputs[name]])
    const { output } = model.forward(state, xt, { training: false })
    const expected = output.dataSync() as Float32Array
    const weights = model.toStateDict(state)
    tf.dispose([xt, output])
    model.dispose(state)
    const engine = await onnxruntimeEngine({ threads: 1 })
    const m = await engine.compile(graph, { seed: 0 })
    await m.loadStateDict(new Map([...weights].map(([k, v]) => [k, v.data])))
    const y = await m.forward({ shape: inputs[name], data: x })
    // A different batch size runs too (the batch is a dim_param).
    const one = await m.forward({ shape: [1, ...inputs[name].slice(1)], data: x.slice(0, x.length / 2) })
    m.dispose()
    expect(y.shape).toEqual([2, 10])
    expect(relError(y.data, expected)).toBeLessThan(1e-4)
    expect(one.shape).toEqual([1, 10])
    expect(relError(one.data, expected.slice(0, 10))).toBeLessThan(1e-4)
  })

  it.each(['resnet18', 'resnet50', 'densenet121', 'alexnet', 'googlenet', 'nin', 'lenet-bn'])('%s: the same output as PyTorch (parity golden)', async (name) => {
    const decoded = decodeSafetensors(new Uint8Array(readFileSync(join(import.meta.dirname, 'goldens', 'parity', `${name}.safetensors`))))
    if (E.isLeft(decoded)) throw new Error(decoded.left.message)
    const meta = decoded.right.metadata
    const shape = JSON.parse(meta.input) as [number, number, number, number]
    const specs = JSON.parse(meta.state_dict) as [string, number[], DetRole][]
    const entry = lookupModel(meta.model)
    if (E.isLeft(entry)) throw new Error(entry.left)
    const graph = entry.right.graph({ input: shape, classes: Number(meta.classes) })
    const m = await (await onnxruntimeEngine()).compile(graph, { seed: 0 })
    await m.loadStateDict(new Map(specs.map(([n, s, role]) => [n, detTensor(n, s, role)])))
    const y = await m.forward({ shape, data: detTensor('input', shape, 'input') })
    m.dispose()
    const expected = toFloat32Array(decoded.right.tensors.get('output')!)
    if (E.isLeft(expected)) throw new Error(expected.left.message)
    expect(y.shape).toEqual([...decoded.right.tensors.get('output')!.shape])
    expect(relError(y.data, expected.right)).toBeLessThan(1e-4)
  })

  it('shapesafe export + run --engine onnxruntime: the output of run on tfjs', async () => {
    const graph = graphOf('resnet-small')
    const model = compile(graph)
    const state = model.init(3)
    writeFileSync(join(dir, 'w.safetensors'), encodeSafetensors(model.toStateDict(state)))
    model.dispose(state)
    writeFileSync(join(dir, 'x.safetensors'), encodeSafetensors({ input: { shape: [...inputs['resnet-small']], data: xOf(inputs['resnet-small']) } }))
    const outputs: Float32Array[] = []
    for (const engine of ['tfjs', 'onnxruntime']) {
      const io = memoryIo()
      const out = join(dir, `y-${engine}.safetensors`)
      const code = await main(['run', 'resnet-small', '--engine', engine, '--threads', '1', '--weights', join(dir, 'w.safetensors'), '--input', join(dir, 'x.safetensors'), '--output', out], io)
      expect(io.err()).toBe('')
      expect(code).toBe(0)
      expect(io.out()).toContain(engine === 'tfjs' ? '(backend wasm, 1 thread)' : '(engine onnxruntime, cpu, 1 thread)')
      const file = decodeSafetensors(new Uint8Array(readFileSync(out)))
      if (E.isLeft(file)) throw new Error(file.left.message)
      const data = toFloat32Array(file.right.tensors.get('output')!)
      if (E.isLeft(data)) throw new Error(data.left.message)
      outputs.push(data.right)
    }
    expect(relError(outputs[1], outputs[0])).toBeLessThan(1e-4)

    const io = memoryIo()
    const onnxPath = join(dir, 'cli.onnx')
    expect(await main(['export', 'resnet-small', '--format', 'onnx', '--weights', join(dir, 'w.safetensors'), '--output', onnxPath], io)).toBe(0)
    expect(io.out()).toMatch(/^wrote resnet-small as ONNX \(opset 17, [\d.]+ MiB\) to /)
    const graphBytes = toOnnx(graph, new Map([...readWeights(join(dir, 'w.safetensors'))]), { name: 'resnet-small', producerVersion: '0.1.0' })
    expect(readFileSync(onnxPath).length).toBe(graphBytes.length)
  })

  it.skipIf(!hasTorch)("torch.onnx.export's resnet18 and ours give the same outputs (detweights)", async () => {
    const torchFile = join(dir, 'torch-resnet18.onnx')
    const r = spawnSync(python, [join(import.meta.dirname, '..', 'scripts', 'torch-onnx-export.py'), torchFile, 'resnet18'], { encoding: 'utf8' })
    expect(r.status, r.stderr).toBe(0)
    const graph = zoo.resnet18.graph({ input: [2, 3, 64, 64], classes: 1000 })
    const ours = await (await onnxruntimeEngine()).compile(graph, { seed: 0 })
    await ours.loadStateDict(new Map(stateDictSpecs(graph).map((s) => [s.name, detTensor(s.name, s.shape, roleOf(s.role))])))
    const x = detTensor('input', [2, 3, 64, 64], 'input')
    const y = await ours.forward({ shape: [2, 3, 64, 64], data: x })
    ours.dispose()
    const session = await ort!.InferenceSession.create(new Uint8Array(readFileSync(torchFile)))
    const result = await session.run({ input: new ort!.Tensor('float32', x, [2, 3, 64, 64]) })
    await session.release()
    expect([...result.output.dims]).toEqual([2, 1000])
    expect(relError(y.data, Float32Array.from(result.output.data as Float32Array))).toBeLessThan(1e-4)
  })

  it('export reports bad weights and usage errors', async () => {
    const bad = memoryIo()
    writeFileSync(join(dir, 'bad.safetensors'), encodeSafetensors({ 'conv.weight': { shape: [1], data: new Float32Array(1) } }))
    expect(await main(['export', 'lenet', '--format', 'onnx', '--weights', join(dir, 'bad.safetensors'), '--output', join(dir, 'never.onnx')], bad)).toBe(1)
    expect(bad.err()).toMatch(/^shapesafe export: .*missing/)
    const usage = memoryIo()
    expect(await main(['export', 'lenet', '--format', 'tflite', '--output', 'x'], usage)).toBe(2)
    expect(usage.err()).toMatch(/--format/)
  })
})

function readWeights(path: string): Map<string, Float32Array> {
  const file = decodeSafetensors(new Uint8Array(readFileSync(path)))
  if (E.isLeft(file)) throw new Error(file.left.message)
  return new Map(
    [...file.right.tensors].map(([k, t]) => {
      const v = toFloat32Array(t)
      if (E.isLeft(v)) throw new Error(v.left.message)
      return [k, v.right]
    }),
  )
}
