/**
 * Choosing the TensorFlow.js backend.
 *
 * Order: an explicit option → the `SHAPESAFE_BACKEND` environment variable → automatic
 * (`@tensorflow/tfjs-node-gpu` → webgpu on a hardware adapter → `@tensorflow/tfjs-node` → wasm → cpu). The native
 * packages and WebGPU's (`webgpu`, `@tensorflow/tfjs-backend-webgpu`) are optional peer dependencies: they are
 * detected with a dynamic `import()` and skipped when not installed. webgpu on a software adapter (lavapipe) runs
 * only when asked for by name. When wasm is chosen the wasm training kernels (conv filter gradient, faster input
 * gradient, depthwise gradients) are registered.
 *
 * wasm threads: `options.threads` → `SHAPESAFE_THREADS` → `options.defaultThreads` → 1. `'auto'` means one thread per
 * available core (at most {@link maxWasmThreads}); the CLI commands default to `'auto'`. The count is fixed when wasm
 * first starts in a process (see {@link startWasm}).
 * @module
 */
import '@tensorflow/tfjs-backend-wasm'
import os from 'node:os'
import * as tf from '@tensorflow/tfjs'
import { registerWasmTrainingKernels } from './kernels/index.js'
import { maxWasmThreads, startWasm, wasmThreadsState } from './wasmThreads.js'
import { mayHaveGpuDevice } from './gpuDevices.js'
import { adapterName, probeWebGpu, registerWebGpuBackend, type WebGpuAdapterInfo } from './webgpu.js'

/**
 * The tfjs backend names shapesafe can run on: `tensorflow` (tfjs-node or tfjs-node-gpu), `webgpu`, `wasm`, `cpu`.
 * @category Running
 */
export type BackendName = 'tensorflow' | 'webgpu' | 'wasm' | 'cpu'

/**
 * The backend in use.
 * @category Running
 */
export interface BackendInfo {
  /** tfjs backend name. */
  readonly name: BackendName
  /** The npm package providing it. */
  readonly package: string
  /** Whether it runs on a GPU (tfjs-node-gpu, webgpu on a hardware adapter). */
  readonly gpu: boolean
  /** webgpu's adapter (also when it is a software one). */
  readonly adapter?: WebGpuAdapterInfo
  /** Threads the backend computes on: wasm's XNNPACK threads; `undefined` where the backend decides (tensorflow). */
  readonly threads: number | undefined
  /** One line for logs, e.g. `wasm (@tensorflow/tfjs-backend-wasm, XNNPACK, 2 threads)`. */
  readonly description: string
  /** Why the backend runs differently from what was asked (e.g. fewer wasm threads), for a warning line. */
  readonly warning?: string
}

/**
 * A wasm thread request: a count, or `'auto'` (one per available core, at most {@link maxWasmThreads}).
 * @category Running
 */
export type ThreadsRequest = number | 'auto'

/**
 * Options of {@link selectBackend}.
 * @category Running
 */
export interface SelectBackendOptions {
  /** `tensorflow-gpu`, `webgpu`, `tensorflow` (alias `node`), `wasm` or `cpu`; overrides the environment. */
  readonly backend?: string
  /** Environment to read `SHAPESAFE_BACKEND` and `SHAPESAFE_THREADS` from (default `process.env`). */
  readonly env?: NodeJS.ProcessEnv
  /** wasm threads; overrides `SHAPESAFE_THREADS`. */
  readonly threads?: ThreadsRequest
  /** wasm threads when neither `threads` nor `SHAPESAFE_THREADS` is given (default 1; the CLI passes `'auto'`). */
  readonly defaultThreads?: ThreadsRequest
}

/**
 * A requested backend that is unknown or unavailable; the message lists the available ones.
 * @category Running
 */
export class BackendError extends Error {
  override readonly name = 'BackendError'
  constructor(
    message: string,
    /** Names that would work here. */
    readonly available: readonly string[],
  ) {
    super(message)
  }
}

/** A choice the user can ask for. */
type Choice = 'tensorflow-gpu' | 'webgpu' | 'tensorflow' | 'wasm' | 'cpu'

const choices: readonly Choice[] = ['tensorflow-gpu', 'webgpu', 'tensorflow', 'wasm', 'cpu']

const aliases: Readonly<Record<string, Choice>> = {
  'tensorflow-gpu': 'tensorflow-gpu',
  'tfjs-node-gpu': 'tensorflow-gpu',
  'node-gpu': 'tensorflow-gpu',
  gpu: 'tensorflow-gpu',
  webgpu: 'webgpu',
  tensorflow: 'tensorflow',
  'tfjs-node': 'tensorflow',
  node: 'tensorflow',
  wasm: 'wasm',
  cpu: 'cpu',
}

/**
 * Imports an optional package by name; `undefined` when it is not installed or fails to load (e.g. a missing native
 * library). The specifier is a variable so TypeScript does not require the package's types.
 */
async function importOptional(specifier: string): Promise<unknown> {
  try {
    return await import(specifier)
  } catch {
    return undefined
  }
}

const nativePackages = { 'tensorflow-gpu': '@tensorflow/tfjs-node-gpu', tensorflow: '@tensorflow/tfjs-node' } as const

/**
 * Whether a choice can be used here (imports the native package, or looks for a WebGPU adapter, to find out).
 * `automatic`: whether the automatic order may take it (webgpu only on a hardware adapter, and on Linux only when a
 * GPU device node exists, so that machines without a GPU never load Dawn).
 */
async function isAvailable(choice: Choice, automatic = false): Promise<boolean> {
  if (choice === 'wasm' || choice === 'cpu') return true
  if (choice === 'webgpu') {
    if (automatic && !mayHaveGpuDevice()) return false
    const probe = await probeWebGpu()
    return probe.available && !(automatic && probe.adapter.software)
  }
  return (await importOptional(nativePackages[choice])) !== undefined && tf.findBackendFactory('tensorflow') != null
}

/** Why a requested backend is not available, for the error message. */
async function unavailableReason(choice: Choice): Promise<string> {
  if (choice === 'tensorflow-gpu' || choice === 'tensorflow') return `install ${nativePackages[choice]}`
  if (choice === 'webgpu') {
    const probe = await probeWebGpu()
    return probe.available ? 'failed to load' : probe.reason
  }
  return 'failed to load'
}

/**
 * The backends usable on this machine, best first, e.g. `['wasm', 'cpu']`; `webgpu` is listed on any adapter, a
 * software one included (it runs when asked for by name).
 * @example
 * ```ts
 * await availableBackends() // ['wasm', 'cpu'] without tfjs-node
 * ```
 * @category Running
 */
export async function availableBackends(): Promise<Choice[]> {
  const out: Choice[] = []
  for (const c of choices) if (await isAvailable(c)) out.push(c)
  return out
}

/**
 * Cores this process may use (`os.availableParallelism`).
 * @example
 * ```ts
 * import { availableCores } from 'shapesafe/runtime'
 * availableCores() // 16 on a 16-core machine, fewer when the process is pinned to some cores
 * ```
 * @category Running
 */
export const availableCores = (): number => (typeof os.availableParallelism === 'function' ? os.availableParallelism() : os.cpus().length)

/**
 * The wasm thread count for a request: `'auto'` is one per available core, at most {@link maxWasmThreads}.
 * @example
 * ```ts
 * resolveThreads('auto') // 2 on a 2-core machine
 * ```
 * @category Running
 */
export const resolveThreads = (request: ThreadsRequest): number => (request === 'auto' ? Math.max(1, Math.min(maxWasmThreads, availableCores())) : request)

/**
 * Parses a thread request (`--threads`, `SHAPESAFE_THREADS`): `auto` or an integer from 1 to {@link maxWasmThreads};
 * `undefined` for anything else.
 * @example
 * ```ts
 * import { parseThreads } from 'shapesafe/runtime'
 * parseThreads('auto') // 'auto'
 * parseThreads(' 4 ') // 4
 * parseThreads('0') // undefined
 * parseThreads(process.env.SHAPESAFE_THREADS ?? 'auto') // ThreadsRequest | undefined
 * ```
 * @category Running
 */
export function parseThreads(text: string): ThreadsRequest | undefined {
  const t = text.trim().toLowerCase()
  if (t === 'auto') return 'auto'
  const n = Number(t)
  return /^[0-9]+$/.test(t) && n >= 1 && n <= maxWasmThreads ? n : undefined
}

/** The thread request from the options and environment (see the module comment); `explicit` unless a default. */
function threadsRequest(options: SelectBackendOptions, env: NodeJS.ProcessEnv): { request: ThreadsRequest; explicit: boolean } {
  const request = explicitThreads(options, env)
  return request === undefined ? { request: options.defaultThreads ?? 1, explicit: false } : { request, explicit: true }
}

function explicitThreads(options: SelectBackendOptions, env: NodeJS.ProcessEnv): ThreadsRequest | undefined {
  if (options.threads !== undefined) {
    if (options.threads !== 'auto' && parseThreads(String(options.threads)) === undefined) {
      throw new BackendError(`threads: expected auto or an integer from 1 to ${maxWasmThreads}, got ${options.threads}`, [])
    }
    return options.threads
  }
  const fromEnv = env.SHAPESAFE_THREADS
  if (fromEnv !== undefined && fromEnv !== '') {
    const parsed = parseThreads(fromEnv)
    if (parsed === undefined) throw new BackendError(`SHAPESAFE_THREADS: expected auto or an integer from 1 to ${maxWasmThreads}, got "${fromEnv}"`, [])
    return parsed
  }
  return undefined
}

/**
 * tfjs's cpu backend prints "Hi, looks like you are running TensorFlow.js in Node.js …" on stderr at its first tensor,
 * advising tfjs-node. The choice of backend is made and reported here (and tfjs-node is taken when installed), so
 * the banner is switched off through the backend's own first-use flag; other tfjs warnings are left on.
 */
function silenceCpuBanner(): void {
  const backend = tf.findBackend('cpu') as unknown as { firstUse?: unknown } | null
  if (backend !== null && typeof backend.firstUse === 'boolean') backend.firstUse = false
}

async function activate(choice: Choice, threads: { request: ThreadsRequest; explicit: boolean }): Promise<BackendInfo> {
  const name: BackendName = choice === 'tensorflow-gpu' ? 'tensorflow' : choice
  if (choice === 'webgpu') {
    const adapter = await registerWebGpuBackend().catch(async (e: unknown) => {
      throw new BackendError(`backend webgpu: ${e instanceof Error ? e.message : String(e)}`, await availableBackends())
    })
    const ok = await tf.setBackend('webgpu').catch(() => false)
    if (!ok) throw new BackendError(`backend webgpu failed to initialise on ${adapterName(adapter)}`, await availableBackends())
    await tf.ready()
    return {
      name,
      package: '@tensorflow/tfjs-backend-webgpu',
      gpu: !adapter.software,
      adapter,
      threads: undefined,
      description: `webgpu (@tensorflow/tfjs-backend-webgpu on Dawn, adapter: ${adapterName(adapter)})`,
    }
  }
  if (choice === 'wasm') {
    registerWasmTrainingKernels()
    // A default gives way to the count wasm already runs with in this process (it cannot change); a request does not.
    const running = wasmThreadsState()?.threads
    const count = !threads.explicit && running !== undefined ? running : resolveThreads(threads.request)
    const start = await startWasm(count).catch(async (e: unknown) => {
      throw new BackendError(`backend wasm: ${e instanceof Error ? e.message : String(e)}`, await availableBackends())
    })
    await tf.ready()
    const n = start.threads
    return {
      name,
      package: '@tensorflow/tfjs-backend-wasm',
      gpu: false,
      threads: n,
      description: `wasm (@tensorflow/tfjs-backend-wasm, XNNPACK, ${n} thread${n === 1 ? '' : 's'})`,
      ...(start.warning === undefined ? {} : { warning: start.warning }),
    }
  }
  const ok = await tf.setBackend(name)
  if (!ok) throw new BackendError(`backend ${choice} failed to initialise`, await availableBackends())
  await tf.ready()
  if (choice === 'cpu') silenceCpuBanner()
  switch (choice) {
    case 'cpu':
      return { name, package: '@tensorflow/tfjs-backend-cpu', gpu: false, threads: 1, description: 'cpu (@tensorflow/tfjs-backend-cpu, plain JavaScript, 1 thread; slow)' }
    case 'tensorflow-gpu':
    case 'tensorflow': {
      const pkg = nativePackages[choice]
      return {
        name,
        package: pkg,
        gpu: choice === 'tensorflow-gpu',
        threads: undefined,
        description: `tensorflow (${pkg}, native libtensorflow${choice === 'tensorflow-gpu' ? ', GPU' : ''})`,
      }
    }
  }
}

/**
 * Selects and initialises the backend: `options.backend`, else `SHAPESAFE_BACKEND`, else the best available; on
 * wasm with the thread count of `options.threads`, else `SHAPESAFE_THREADS`, else `options.defaultThreads`, else 1.
 * Throws a {@link BackendError} for an unknown or unavailable name (listing the available ones), a bad thread count,
 * or a threaded start that fails.
 * @example
 * ```ts
 * const info = await selectBackend({ backend: process.env.CI ? 'cpu' : undefined, defaultThreads: 'auto' })
 * console.log(`backend: ${info.description}`)
 * ```
 * @category Running
 */
export async function selectBackend(options: SelectBackendOptions = {}): Promise<BackendInfo> {
  const env = options.env ?? process.env
  const threads = threadsRequest(options, env)
  const requested = options.backend ?? (env.SHAPESAFE_BACKEND !== undefined && env.SHAPESAFE_BACKEND !== '' ? env.SHAPESAFE_BACKEND : undefined)
  if (requested !== undefined) {
    const source = options.backend !== undefined ? 'backend' : 'SHAPESAFE_BACKEND'
    const choice = aliases[requested.trim().toLowerCase()]
    if (choice === undefined) {
      const available = await availableBackends()
      throw new BackendError(`unknown ${source} "${requested}"; available here: ${available.join(', ')}`, available)
    }
    if (!(await isAvailable(choice))) {
      const available = await availableBackends()
      throw new BackendError(`${source} "${requested}" is not available (${await unavailableReason(choice)}); available here: ${available.join(', ')}`, available)
    }
    return activate(choice, threads)
  }
  for (const c of choices) if (await isAvailable(c, true)) return activate(c, threads)
  // Unreachable: cpu is always available.
  return activate('cpu', threads)
}
