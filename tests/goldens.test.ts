/**
 * Numerics proof against PyTorch: every case of tests/goldens/layers/manifest.json (checks in
 * tests/helpers/layerGoldens.ts) on the cpu and the wasm backend; tests/webgpu.test.ts runs them on webgpu.
 *
 * Tolerance (scale-aware): max |ours − ref| ≤ 1e-4 · max(max |ref|, 1e-3) per tensor.
 */
import '@tensorflow/tfjs-backend-wasm'
import * as tf from '@tensorflow/tfjs'
import { beforeAll, describe, expect, it } from 'vitest'
import { registerWasmTrainingKernels } from '../src/runtime/kernels/index.js'
import { checkCase, manifest } from './helpers/layerGoldens.js'

describe.each(['cpu', 'wasm'])('layer goldens on %s', (backend) => {
  beforeAll(async () => {
    if (backend === 'wasm') registerWasmTrainingKernels()
    await tf.setBackend(backend)
    await tf.ready()
  })

  it('covers every manifest case', () => {
    expect(manifest.length).toBeGreaterThanOrEqual(50)
  })

  it.each(manifest.map((c) => [c.case, c] as const))('%s', async (_name, c) => {
    expect(tf.getBackend()).toBe(backend)
    await checkCase(c)
  })
})
