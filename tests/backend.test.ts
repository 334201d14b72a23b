import * as tf from '@tensorflow/tfjs'
import { describe, expect, it } from 'vitest'
import { availableBackends, BackendError, selectBackend } from '../src/runtime/backend.js'

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
    const available = await availableBackends()
    expect(info.name).toBe(available[0] === 'tensorflow-gpu' ? 'tensorflow' : available[0])
    expect(info.description).toMatch(info.name)
  })

  it('rejects unknown and unavailable backends with the available list', async () => {
    await expect(selectBackend({ backend: 'webgpu' })).rejects.toThrow(BackendError)
    await expect(selectBackend({ backend: 'webgpu' })).rejects.toThrow(/unknown backend "webgpu"; available here: .*wasm, cpu/)
    await expect(selectBackend({ env: { SHAPESAFE_BACKEND: 'nope' } })).rejects.toThrow(/unknown SHAPESAFE_BACKEND "nope"/)
    const available = await availableBackends()
    if (!available.includes('tensorflow')) {
      await expect(selectBackend({ backend: 'tensorflow' })).rejects.toThrow(/is not available \(install @tensorflow\/tfjs-node\); available here: wasm, cpu/)
      const error = await selectBackend({ backend: 'node-gpu' }).catch((e: unknown) => e)
      expect(error).toBeInstanceOf(BackendError)
      expect((error as BackendError).available).toEqual(available)
    }
  })
})
