/**
 * Choosing the TensorFlow.js backend.
 *
 * Order: an explicit option → the `SHAPESAFE_BACKEND` environment variable → automatic
 * (`@tensorflow/tfjs-node-gpu` → `@tensorflow/tfjs-node` → wasm → cpu). The native packages are optional peer
 * dependencies: they are detected with a dynamic `import()` and skipped when not installed. When wasm is chosen the
 * wasm training kernels (conv filter gradient, faster input gradient, depthwise gradients) are registered.
 * @module
 */
import '@tensorflow/tfjs-backend-wasm'
import * as tf from '@tensorflow/tfjs'
import { registerWasmTrainingKernels } from './kernels/index.js'

/** The tfjs backend names shapesafe can run on: `tensorflow` (tfjs-node or tfjs-node-gpu), `wasm`, `cpu`. */
export type BackendName = 'tensorflow' | 'wasm' | 'cpu'

/** The backend in use. */
export interface BackendInfo {
  /** tfjs backend name. */
  readonly name: BackendName
  /** The npm package providing it. */
  readonly package: string
  /** Whether it runs on a GPU (tfjs-node-gpu). */
  readonly gpu: boolean
  /** One line for logs, e.g. `wasm (@tensorflow/tfjs-backend-wasm, SIMD, 1 thread)`. */
  readonly description: string
}

/** Options of {@link selectBackend}. */
export interface SelectBackendOptions {
  /** `tensorflow-gpu`, `tensorflow` (alias `node`), `wasm` or `cpu`; overrides the environment. */
  readonly backend?: string
  /** Environment to read `SHAPESAFE_BACKEND` from (default `process.env`). */
  readonly env?: NodeJS.ProcessEnv
}

/** A requested backend that is unknown or unavailable; the message lists the available ones. */
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
type Choice = 'tensorflow-gpu' | 'tensorflow' | 'wasm' | 'cpu'

const choices: readonly Choice[] = ['tensorflow-gpu', 'tensorflow', 'wasm', 'cpu']

const aliases: Readonly<Record<string, Choice>> = {
  'tensorflow-gpu': 'tensorflow-gpu',
  'tfjs-node-gpu': 'tensorflow-gpu',
  'node-gpu': 'tensorflow-gpu',
  gpu: 'tensorflow-gpu',
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

/** Whether a choice can be used here (imports the native package to find out). */
async function isAvailable(choice: Choice): Promise<boolean> {
  if (choice === 'wasm' || choice === 'cpu') return true
  return (await importOptional(nativePackages[choice])) !== undefined && tf.findBackendFactory('tensorflow') != null
}

/**
 * The backends usable on this machine, best first, e.g. `['wasm', 'cpu']`.
 * @example
 * ```ts
 * await availableBackends() // ['wasm', 'cpu'] without tfjs-node
 * ```
 */
export async function availableBackends(): Promise<Choice[]> {
  const out: Choice[] = []
  for (const c of choices) if (await isAvailable(c)) out.push(c)
  return out
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

async function activate(choice: Choice): Promise<BackendInfo> {
  if (choice === 'wasm') registerWasmTrainingKernels()
  const name: BackendName = choice === 'tensorflow-gpu' ? 'tensorflow' : choice
  const ok = await tf.setBackend(name)
  if (!ok) throw new BackendError(`backend ${choice} failed to initialise`, await availableBackends())
  await tf.ready()
  if (choice === 'cpu') silenceCpuBanner()
  switch (choice) {
    case 'wasm':
      return { name, package: '@tensorflow/tfjs-backend-wasm', gpu: false, description: 'wasm (@tensorflow/tfjs-backend-wasm, XNNPACK)' }
    case 'cpu':
      return { name, package: '@tensorflow/tfjs-backend-cpu', gpu: false, description: 'cpu (@tensorflow/tfjs-backend-cpu, plain JavaScript; slow)' }
    case 'tensorflow-gpu':
    case 'tensorflow': {
      const pkg = nativePackages[choice]
      return { name, package: pkg, gpu: choice === 'tensorflow-gpu', description: `tensorflow (${pkg}, native libtensorflow${choice === 'tensorflow-gpu' ? ', GPU' : ''})` }
    }
  }
}

/**
 * Selects and initialises the backend: `options.backend`, else `SHAPESAFE_BACKEND`, else the best available.
 * Throws a {@link BackendError} for an unknown or unavailable name, listing the available ones.
 * @example
 * ```ts
 * const info = await selectBackend({ backend: process.env.CI ? 'cpu' : undefined })
 * console.log(`backend: ${info.description}`)
 * ```
 */
export async function selectBackend(options: SelectBackendOptions = {}): Promise<BackendInfo> {
  const env = options.env ?? process.env
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
      throw new BackendError(
        `${source} "${requested}" is not available (${choice === 'tensorflow-gpu' || choice === 'tensorflow' ? `install ${nativePackages[choice]}` : 'failed to load'}); available here: ${available.join(', ')}`,
        available,
      )
    }
    return activate(choice)
  }
  for (const c of choices) if (await isAvailable(c)) return activate(c)
  // Unreachable: cpu is always available.
  return activate('cpu')
}
