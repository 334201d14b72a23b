import * as tf from '@tensorflow/tfjs'
import { spawnSync } from 'node:child_process'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { availableBackends, BackendError, selectBackend } from '../src/runtime/backend.js'
import { mayHaveGpuDevice } from '../src/runtime/gpuDevices.js'
import { adapterName, describeAdapter, probeWebGpu } from '../src/runtime/webgpu.js'

/** Whether the automatic order may take webgpu here: a hardware adapter (and, on Linux, a GPU device node). */
const webgpuAutomatic = async (): Promise<boolean> => {
  const probe = await probeWebGpu()
  return probe.available && !probe.adapter.software && mayHaveGpuDevice()
}

describe('selectBackend', () => {
  it('lists what is available here (tfjs-node is an optional peer, not installed)', async () => {
    const available = await availableBackends()
    expect(available).toContain('wasm')
    expect(available).toContain('cpu')
    expect(available.indexOf('wasm')).toBeLessThan(available.indexOf('cpu'))
  })

  it('honours an explicit option over SHAPESAFE_BACKEND', async () => {
    const info = await selectBackend({ backend: 'cpu', env: { SHAPESAFE_BACKEND: 'wasm' } })
    expect(info).toMatchObject({ name: 'cpu', package: '@tensorflow/tfjs-backend-cpu', gpu: false })
    expect(tf.getBackend()).toBe('cpu')
  })

  it('reads SHAPESAFE_BACKEND and registers the wasm training kernels', async () => {
    const info = await selectBackend({ env: { SHAPESAFE_BACKEND: 'WASM' } })
    expect(info.name).toBe('wasm')
    expect(tf.getBackend()).toBe('wasm')
    expect(tf.getKernel('Conv2DBackpropFilter', 'wasm')).toBeDefined()
    // The conv filter gradient now runs on wasm.
    const x = tf.ones([1, 4, 4, 1])
    const g = tf.grad((w: tf.Tensor4D) => tf.sum(tf.conv2d(x as tf.Tensor4D, w, 1, 'valid')))(tf.ones([3, 3, 1, 1]) as tf.Tensor4D)
    expect([...g.dataSync()]).toEqual(new Array(9).fill(4))
    tf.dispose([x, g])
  })

  it('picks the best available backend automatically', async () => {
    await selectBackend({ backend: 'cpu' })
    const info = await selectBackend({ env: {} })
    const automatic: string[] = []
    for (const c of await availableBackends()) if (c !== 'webgpu' || (await webgpuAutomatic())) automatic.push(c)
    expect(info.name).toBe(automatic[0] === 'tensorflow-gpu' ? 'tensorflow' : automatic[0])
    expect(info.description).toMatch(info.name)
  })

  it('never takes a software WebGPU adapter automatically, but lists it and runs it when asked for', async () => {
    const probe = await probeWebGpu()
    if (!probe.available || !probe.adapter.software) return
    expect(await availableBackends()).toContain('webgpu')
    const auto = await selectBackend({ env: {} })
    expect(auto.name).not.toBe('webgpu')
  })

  it('rejects unknown and unavailable backends with the available list', async () => {
    await expect(selectBackend({ backend: 'webgl' })).rejects.toThrow(BackendError)
    await expect(selectBackend({ backend: 'webgl' })).rejects.toThrow(/unknown backend "webgl"; available here: .*wasm, cpu/)
    await expect(selectBackend({ env: { SHAPESAFE_BACKEND: 'nope' } })).rejects.toThrow(/unknown SHAPESAFE_BACKEND "nope"/)
    const available = await availableBackends()
    if (!available.includes('tensorflow')) {
      await expect(selectBackend({ backend: 'tensorflow' })).rejects.toThrow(/is not available \(install @tensorflow\/tfjs-node\); available here: (webgpu, )?wasm, cpu/)
      const error = await selectBackend({ backend: 'node-gpu' }).catch((e: unknown) => e)
      expect(error).toBeInstanceOf(BackendError)
      expect((error as BackendError).available).toEqual(available)
    }
  })
})

describe('webgpu adapters', () => {
  it('tells software adapters from GPUs', () => {
    const lavapipe = describeAdapter({
      info: { vendor: 'mesa', architecture: 'software', device: 'llvmpipe-llvm-15-0-6-256-bits-', description: 'llvmpipe: Mesa 25.0.7-2~bpo12+1 (LLVM 15.0.6) 0.0.1', isFallbackAdapter: true },
    })
    expect(lavapipe.software).toBe(true)
    expect(adapterName(lavapipe)).toBe('llvmpipe: Mesa 25.0.7-2~bpo12+1 (LLVM 15.0.6) 0.0.1 (software adapter)')
    // Each sign alone: the spec's fallback flag, Dawn's architecture, the driver's name.
    expect(describeAdapter({ info: { vendor: 'mesa', description: 'x' }, isFallbackAdapter: true }).software).toBe(true)
    expect(describeAdapter({ info: { vendor: 'google', architecture: 'software', description: 'x' } }).software).toBe(true)
    expect(describeAdapter({ info: { vendor: 'google', device: 'swiftshader', description: 'SwiftShader Device (Subzero)' } }).software).toBe(true)
    const nvidia = describeAdapter({ info: { vendor: 'nvidia', architecture: 'hopper', device: '0x2335', description: 'NVIDIA H200', isFallbackAdapter: false } })
    expect(nvidia).toEqual({ vendor: 'nvidia', architecture: 'hopper', device: '0x2335', description: 'NVIDIA H200', software: false })
    expect(adapterName(nvidia)).toBe('NVIDIA H200')
    expect(adapterName(describeAdapter({ info: { vendor: 'amd', device: 'gfx1100' } }))).toBe('amd gfx1100')
    expect(adapterName(describeAdapter({}))).toBe('unnamed adapter')
  })

  it('reports a missing adapter as a usage error with the reason, not a crash', () => {
    // No Vulkan driver visible to the loader: Dawn finds no adapter (or the optional package is absent).
    const cli = join(import.meta.dirname, '..', 'dist', 'cli', 'main.js')
    const r = spawnSync(process.execPath, [cli, 'train', 'lenet', '--backend', 'webgpu', '--epochs', '1', '--limit-train', '8', '--limit-test', '8'], {
      encoding: 'utf8',
      env: { ...process.env, VK_ICD_FILENAMES: '/nonexistent/icd.json', VK_DRIVER_FILES: '/nonexistent/icd.json' },
    })
    expect(r.status, r.stderr).toBe(2)
    expect(r.stderr).toMatch(/shapesafe train: backend "webgpu" is not available \((Dawn found no WebGPU adapter: |the npm package [^ ]+ is not installed).*\); available here: (tensorflow, )?wasm, cpu\n/)
    expect(r.stderr).not.toMatch(/TypeError|at .*\.js:\d+/)
  })
})
