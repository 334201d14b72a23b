/**
 * Threaded wasm in Node: starts `@tensorflow/tfjs-backend-wasm`'s threaded SIMD binary, which tfjs 4.22 never uses
 * in Node.
 *
 * Three things stand in its way, and this module works around each for the duration of the backend's start-up only:
 * - `WASM_HAS_MULTITHREAD_SUPPORT` is hard-coded false in Node: the flag is set to true before start-up.
 * - tfjs hands Emscripten a `blob:` URL for its pthread worker script, which Node's `Worker` refuses
 *   (ERR_WORKER_PATH), and tells each worker to load the glue script from a `Blob`, which the worker cannot read.
 *   Emscripten takes its `Worker` class from `require('worker_threads')` when the module starts, so for that moment
 *   the class there is `ThreadedWasmWorker`: it starts the worker from the package's own worker source and
 *   points the `load` message at the package's glue script (the same Emscripten build as the bundled one).
 * - tfjs caps the thread count at half the logical cores (`emscripten_num_logical_cores() / 2`, computed once when
 *   the module starts, from `os.cpus()`), so on 2 cores it never runs 2 threads: while the module starts, `os.cpus()`
 *   reports at least twice the requested count.
 * After start-up the workers are unref'd (idle pthreads would keep Node alive) and the thread count tfjs reports is
 * checked against the request.
 *
 * All of this relies on internals of tfjs-backend-wasm 4.22.0, which package.json pins. {@link threadedWasmSupport}
 * checks them (version, files, the markers in the bundle that the workarounds depend on) before anything is patched:
 * if one is missing, the backend starts single-threaded with a warning saying why. If the threaded start itself
 * fails or gives another thread count, that is an error (a `BackendError` from `selectBackend`), never a silent slowdown.
 * @module
 */
import os from 'node:os'
import workerThreads from 'node:worker_threads'
import * as tf from '@tensorflow/tfjs'
import { getThreadsCount, setThreadsCount } from '@tensorflow/tfjs-backend-wasm'
import { pinnedWasmVersion, threadedWasmSupport } from '../io/wasmPackage.js'

export { pinnedWasmVersion, threadedWasmSupport, type ThreadedWasmSupport } from '../io/wasmPackage.js'

/**
 * The most threads tfjs-backend-wasm 4.22 runs (its pthread pool has 8 workers; the C++ side caps at 8).
 * @category Running
 */
export const maxWasmThreads = 8

/**
 * What the threaded start-up did; read by tests and reports.
 * @category Running
 */
export interface WasmThreadsState {
  /** Threads XNNPACK runs (tfjs's `getThreadsCount()`), the calling thread included. */
  readonly threads: number
  /** Node worker threads started for the pthread pool. */
  readonly workers: number
  /** Distinct pthreads handed to those workers (`run` messages); `threads − 1` for XNNPACK's pool. */
  readonly pthreads: number
  /** Node `threadId`s of the workers running a pthread. */
  readonly pthreadWorkerIds: readonly number[]
}

const started: { workers: workerThreads.Worker[]; pthreads: Set<number>; pthreadWorkers: Set<workerThreads.Worker> } = {
  workers: [],
  pthreads: new Set(),
  pthreadWorkers: new Set(),
}

/**
 * The `Worker` Emscripten constructs while the module starts: a `blob:` URL (tfjs's pthread script, which Node cannot
 * start) becomes the package's worker source, and the `load` message's glue script `Blob` becomes the glue file's
 * path. Anything else is passed to Node's `Worker` unchanged.
 */
function workerAdapter(base: typeof workerThreads.Worker, files: { workerSource: string; glueScript: string }): typeof workerThreads.Worker {
  return class ThreadedWasmWorker extends base {
    constructor(filename: string | URL, options?: workerThreads.WorkerOptions) {
      if (String(filename).startsWith('blob:')) {
        super(files.workerSource, { eval: true })
        started.workers.push(this)
      } else {
        super(filename, options)
      }
    }
    override postMessage(message: unknown, transfer?: readonly workerThreads.TransferListItem[]): void {
      let msg = message
      if (typeof msg === 'object' && msg !== null && 'cmd' in msg) {
        const m = msg as { cmd: unknown; urlOrBlob?: unknown; pthread_ptr?: unknown }
        if (m.cmd === 'load' && typeof m.urlOrBlob !== 'string') msg = { ...m, urlOrBlob: files.glueScript }
        if (m.cmd === 'run' && typeof m.pthread_ptr === 'number') {
          started.pthreads.add(m.pthread_ptr)
          started.pthreadWorkers.add(this)
        }
      }
      super.postMessage(msg, transfer)
    }
  }
}

/**
 * Whether tfjs has already started the wasm backend in this process (the thread count is then fixed).
 * @example
 * ```ts
 * import { selectBackend, wasmStarted } from 'shapesafe/runtime'
 * wasmStarted() // false
 * await selectBackend({ backend: 'wasm', threads: 2 })
 * wasmStarted() // true: its thread count is now fixed
 * ```
 * @category Running
 */
export function wasmStarted(): boolean {
  return (tf.engine().registry as Record<string, unknown>)['wasm'] !== undefined
}

/**
 * The threads of the running wasm backend and the workers behind them; `undefined` before wasm starts.
 * @example
 * ```ts
 * wasmThreadsState() // { threads: 2, workers: 8, pthreads: 1, pthreadWorkerIds: [3] }
 * ```
 * @category Running
 */
export function wasmThreadsState(): WasmThreadsState | undefined {
  if (!wasmStarted()) return undefined
  return {
    threads: getThreadsCount(),
    workers: started.workers.length,
    pthreads: started.pthreads.size,
    pthreadWorkerIds: [...started.pthreadWorkers].map((w) => w.threadId),
  }
}

/**
 * The outcome of {@link startWasm}: the thread count running, and a warning when fewer were started than asked.
 * @category Running
 */
export interface WasmStart {
  readonly threads: number
  readonly warning?: string
}

/**
 * Starts the wasm backend with `threads` threads (1 = the single-threaded SIMD binary) and makes it current.
 * If wasm has already started in this process its thread count cannot change: asking for another count throws.
 * Throws an `Error` naming the cause when the threaded start fails or tfjs reports another count.
 * @example
 * ```ts
 * await startWasm(2) // { threads: 2 }
 * ```
 * @category Running
 */
export async function startWasm(threads: number): Promise<WasmStart> {
  if (!Number.isInteger(threads) || threads < 1 || threads > maxWasmThreads) {
    throw new Error(`wasm threads must be an integer from 1 to ${maxWasmThreads}, got ${threads}`)
  }
  if (wasmStarted()) {
    if (!(await tf.setBackend('wasm'))) throw new Error('the wasm backend failed to initialise')
    const running = getThreadsCount()
    if (running !== threads) {
      throw new Error(
        `the wasm backend already runs ${running} thread${running === 1 ? '' : 's'} in this process; ` +
          `its thread count is fixed when it first starts (asked for ${threads})`,
      )
    }
    return { threads }
  }
  const check = threads > 1 ? threadedWasmSupport() : undefined
  if (check === undefined || !check.ok) {
    tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false)
    if (!(await tf.setBackend('wasm'))) throw new Error('the wasm backend failed to initialise')
    return check === undefined ? { threads: 1 } : { threads: 1, warning: `${check.reason}; running 1 thread` }
  }

  tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', true)
  setThreadsCount(threads)
  const baseWorker = workerThreads.Worker
  const baseCpus = os.cpus
  const mutable = workerThreads as { Worker: typeof workerThreads.Worker }
  mutable.Worker = workerAdapter(baseWorker, check)
  os.cpus = () => {
    const cpus = baseCpus()
    while (cpus.length > 0 && cpus.length < 2 * threads) cpus.push(cpus[0])
    return cpus
  }
  let ok: boolean
  try {
    ok = await tf.setBackend('wasm')
  } catch (e) {
    throw new Error(`the threaded wasm backend failed to start: ${e instanceof Error ? e.message : String(e)}`)
  } finally {
    mutable.Worker = baseWorker
    os.cpus = baseCpus
  }
  // Idle pool workers, and the ones running XNNPACK's pthreads (which wait forever), must not keep Node alive.
  for (const w of started.workers) w.unref()
  if (!ok) throw new Error('the threaded wasm backend failed to initialise')
  const running = getThreadsCount()
  if (running !== threads || started.pthreads.size !== threads - 1) {
    throw new Error(
      `the threaded wasm backend started ${running} thread(s) with ${started.pthreads.size} pthread(s) for ${threads} ` +
        `requested: tfjs-backend-wasm's internals differ from ${pinnedWasmVersion}'s; set SHAPESAFE_THREADS=1`,
    )
  }
  return { threads }
}
