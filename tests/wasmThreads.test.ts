/**
 * Threaded wasm: this file's process starts the wasm backend with 2 threads (vitest runs each file in its own process;
 * the other files keep 1 thread). Proves that the threads exist and do the work (counts, and CPU time spent on OS
 * threads other than the main one, not a timing), that results match single-threaded runs and the cpu backend, and
 * that the requests are validated.
 */
import { spawnSync } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import * as tf from '@tensorflow/tfjs'
import * as E from 'fp-ts/lib/Either.js'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { BackendError, parseThreads, resolveThreads, selectBackend, type BackendInfo } from '../src/runtime/backend.js'
import { compile } from '../src/runtime/model.js'
import { decodeSafetensors, encodeSafetensors, toFloat32Array } from '../src/io/safetensors.js'
import { threadedWasmSupport, wasmThreadsState } from '../src/runtime/wasmThreads.js'
import { zoo } from '../src/zoo/registry.js'

const root = join(import.meta.dirname, '..')

/** CPU ticks of every OS thread of this process (Linux), by thread id. */
function threadTicks(): Map<string, number> | undefined {
  if (!existsSync('/proc/self/task')) return undefined
  const out = new Map<string, number>()
  for (const tid of readdirSync('/proc/self/task')) {
    try {
      const stat = readFileSync(`/proc/self/task/${tid}/stat`, 'utf8')
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
      out.set(tid, Number(fields[11]) + Number(fields[12])) // utime + stime
    } catch {
      // the thread ended
    }
  }
  return out
}

const threadsBefore = threadTicks()
let info: BackendInfo

beforeAll(async () => {
  info = await selectBackend({ backend: 'wasm', threads: 2 })
})

describe('threaded wasm', () => {
  it('finds the pinned internals it relies on', () => {
    expect(threadedWasmSupport()).toMatchObject({ ok: true })
  })

  it('runs 2 threads and reports them with the backend', () => {
    expect(info).toMatchObject({ name: 'wasm', threads: 2 })
    expect(info.description).toBe('wasm (@tensorflow/tfjs-backend-wasm, XNNPACK, 2 threads)')
    expect(info.warning).toBeUndefined()
    const state = wasmThreadsState()!
    expect(state.threads).toBe(2)
    // XNNPACK's pool: the calling thread plus one pthread, on one of the pool's Node workers.
    expect(state.pthreads).toBe(1)
    expect(state.pthreadWorkerIds).toHaveLength(1)
    expect(state.workers).toBeGreaterThanOrEqual(2)
  })

  it.skipIf(threadsBefore === undefined)('does work on another OS thread (CPU time, Linux /proc)', async () => {
    const x = tf.randomNormal([8, 56, 56, 64], 0, 1, 'float32', 1)
    const w = tf.randomNormal([3, 3, 64, 64], 0, 1, 'float32', 2)
    const before = threadTicks()!
    for (let i = 0; i < 20; i++) {
      const y = tf.conv2d(x as tf.Tensor4D, w as tf.Tensor4D, 1, 'same')
      await y.data()
      y.dispose()
    }
    const after = threadTicks()!
    tf.dispose([x, w])
    const spent = (tid: string) => (after.get(tid) ?? 0) - (before.get(tid) ?? 0)
    const main = spent(String(process.pid))
    // Threads that did not exist before wasm started: its pool workers (and any thread V8 started since).
    const fresh = [...after.keys()].filter((tid) => !threadsBefore!.has(tid)).reduce((s, tid) => s + spent(tid), 0)
    expect(main).toBeGreaterThan(0)
    // With 2 threads XNNPACK splits each conv between the main thread and the pthread (work stealing evens out a
    // busy machine, so only a share is asserted); a single-threaded backend leaves these threads idle.
    expect(fresh / (main + fresh)).toBeGreaterThan(0.1)
  })

  it('computes what the cpu backend computes: resnet-small forward and gradients', async () => {
    const graph = zoo['resnet-small'].graph({ input: [2, 1, 28, 28], classes: 10 })
    const model = compile(graph)
    const x = Float32Array.from({ length: 2 * 28 * 28 }, (_, i) => Math.sin(i * 0.37))
    const run = (backend: string) =>
      tf.tidy(() => {
        tf.setBackend(backend)
        const state = model.init(3)
        const xt = tf.tensor(x, [2, 1, 28, 28])
        const loss = (...ps: tf.Tensor[]) => {
          const params = new Map([...state.params.keys()].map((k, i) => [k, ps[i]]))
          const { output, stats } = model.forward({ params, stats: state.stats }, xt, { training: true })
          tf.dispose([...stats.values()])
          return tf.sum(tf.mul(output, output)) as tf.Scalar
        }
        const { value, grads } = tf.valueAndGrads(loss)([...state.params.values()])
        const eval_ = model.forward(state, xt, { training: false }).output
        const out = { value: value.dataSync()[0], grads: grads.map((g) => g.dataSync().slice()), eval: eval_.dataSync().slice() }
        model.dispose(state)
        return out
      })
    const before = tf.memory().numTensors
    const threaded = run('wasm')
    const reference = run('cpu')
    await tf.setBackend('wasm')
    expect(tf.memory().numTensors).toBe(before)
    // Scale-aware: max |a − b| / max |b|. Gradients that are zero up to rounding (a conv bias before BatchNorm: both
    // backends give ~1e-6 noise there) are measured against the model's largest gradient instead.
    const largest = Math.max(...reference.grads.map((g) => Math.max(...g.map(Math.abs))))
    const rel = (a: Float32Array | Int32Array | Uint8Array, b: Float32Array | Int32Array | Uint8Array, noiseFloor = 0) => {
      let diff = 0
      let scale = 1e-3
      for (let i = 0; i < b.length; i++) {
        diff = Math.max(diff, Math.abs(a[i] - b[i]))
        scale = Math.max(scale, Math.abs(b[i]))
      }
      return diff / (scale < 1e-3 * noiseFloor ? noiseFloor : scale)
    }
    expect(Math.abs(threaded.value - reference.value) / Math.abs(reference.value)).toBeLessThan(1e-4)
    expect(rel(threaded.eval, reference.eval)).toBeLessThan(1e-4)
    threaded.grads.forEach((g, i) => expect(rel(g, reference.grads[i], largest), `gradient ${i}`).toBeLessThan(1e-4))
  })

  it('rejects another thread count once wasm runs, and bad requests', async () => {
    await expect(selectBackend({ backend: 'wasm', threads: 1 })).rejects.toThrow(/already runs 2 threads in this process; its thread count is fixed/)
    await expect(selectBackend({ backend: 'wasm', env: { SHAPESAFE_THREADS: 'many' } })).rejects.toThrow(/SHAPESAFE_THREADS: expected auto or an integer from 1 to 8, got "many"/)
    await expect(selectBackend({ backend: 'wasm', threads: 0 })).rejects.toThrow(BackendError)
    // A default gives way to the running count.
    expect(await selectBackend({ backend: 'wasm', defaultThreads: 1 })).toMatchObject({ threads: 2 })
    expect(await selectBackend({ backend: 'wasm', env: { SHAPESAFE_THREADS: '2' } })).toMatchObject({ threads: 2 })
    expect([parseThreads('auto'), parseThreads(' 3 '), parseThreads('9'), parseThreads('1.5'), parseThreads('')]).toEqual(['auto', 3, undefined, undefined, undefined])
    expect(resolveThreads('auto')).toBeGreaterThanOrEqual(1)
    expect(resolveThreads('auto')).toBeLessThanOrEqual(8)
  })
})

// The CLI in child processes (needs dist/: `npm test` builds first): the same output with 1 and 2 threads.
describe.skipIf(!existsSync(join(root, 'dist', 'cli', 'main.js')))('shapesafe run --threads', () => {
  const dir = mkdtempSync(join(tmpdir(), 'shapesafe-threads-'))
  afterAll(() => rmSync(dir, { recursive: true, force: true }))

  it('gives the same output on 1 and 2 threads and reports the count', () => {
    const graph = zoo['resnet-small'].graph({ input: [8, 1, 28, 28], classes: 10 })
    const model = compile(graph)
    const state = model.init(11)
    writeFileSync(join(dir, 'w.safetensors'), encodeSafetensors(model.toStateDict(state)))
    model.dispose(state)
    const x = Float32Array.from({ length: 8 * 28 * 28 }, (_, i) => Math.cos(i * 0.11))
    writeFileSync(join(dir, 'x.safetensors'), encodeSafetensors({ input: { shape: [8, 1, 28, 28], data: x } }))
    const outputs = ['1', '2'].map((n) => {
      const out = join(dir, `y${n}.safetensors`)
      const r = spawnSync(
        process.execPath,
        ['dist/cli/main.js', 'run', 'resnet-small', '--backend', 'wasm', '--threads', n, '--weights', join(dir, 'w.safetensors'), '--input', join(dir, 'x.safetensors'), '--output', out],
        { cwd: root, encoding: 'utf8', env: { ...process.env, SHAPESAFE_THREADS: '' } },
      )
      expect(r.stderr).toBe('')
      expect(r.status).toBe(0)
      expect(r.stdout).toContain(`(backend wasm, ${n} thread${n === '1' ? '' : 's'})`)
      const file = decodeSafetensors(new Uint8Array(readFileSync(out)))
      if (E.isLeft(file)) throw new Error(file.left.message)
      const data = toFloat32Array(file.right.tensors.get('output')!)
      if (E.isLeft(data)) throw new Error(data.left.message)
      return data.right
    })
    const scale = Math.max(...outputs[0].map(Math.abs))
    const diff = Math.max(...outputs[0].map((v, i) => Math.abs(v - outputs[1][i])))
    expect(diff).toBeLessThanOrEqual(1e-5 * scale)
  })
})
