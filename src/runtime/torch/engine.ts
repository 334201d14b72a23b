/**
 * The native engine: a graph compiled once into libtorch calls by the optional addon in native/torch (built by
 * `npm run build:native` where libtorch is found). Parameters, running statistics, autograd and the optimizer live
 * on the native side; JavaScript feeds batches and reads outputs, losses and the state dict (PyTorch names and
 * layouts, so state dicts move freely between this engine, the TensorFlow.js one and PyTorch).
 * @module
 */
import { existsSync } from 'node:fs'
import { createRequire } from 'node:module'
import { availableParallelism } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { Graph } from '../../graph/ir.js'
import { stateDictSpecs, trainableParams } from '../../graph/ir.js'
import { nativeGraph } from './graphSpec.js'

/**
 * A state dict in PyTorch layout: values and shapes by name.
 * @category Running
 */
export type TorchStateDict = ReadonlyMap<string, { readonly shape: readonly number[]; readonly data: Float32Array }>

/** What the addon exports (native/torch/engine.cc). */
interface Addon {
  create(nodes: unknown, output: number, state: Record<string, unknown>, trainable: string[], device: string): unknown
  setOptimizer(handle: unknown, config: Record<string, number | string>): void
  forward(handle: unknown, data: Float32Array, shape: readonly number[], training: boolean): { data: Float32Array; shape: number[] }
  trainStep(handle: unknown, data: Float32Array, shape: readonly number[], labels: Int32Array, lr: number): { loss: number; correct: number }
  gradients(handle: unknown, data: Float32Array, shape: readonly number[], labels: Int32Array): Record<string, Float32Array>
  state(handle: unknown): Record<string, Float32Array>
  load(handle: unknown, state: Record<string, unknown>): void
  optimizerState(handle: unknown): { step: number; slots: Record<string, Record<string, Float32Array>> }
  setOptimizerState(handle: unknown, step: number, slots: Record<string, Record<string, unknown>>): void
  dispose(handle: unknown): void
  setThreads(n: number): number
  manualSeed(seed: number): void
  info(): { version: string; cuda: boolean; cudaDevices: number; threads: number; mallocMmapThreshold?: number; mallocTrimThreshold?: number }
}

/**
 * Why the native engine is or is not available, for `shapesafe doctor` and error messages.
 * @category Running
 */
export type TorchStatus =
  | {
      readonly available: true
      readonly path: string
      readonly version: string
      readonly cuda: boolean
      readonly cudaDevices: number
      readonly threads: number
      /**
       * The glibc thresholds the engine set (`mallopt`, so freed activations are reused instead of page-faulted in
       * again); absent when it left glibc's defaults (`SHAPESAFE_TORCH_MALLOC=default`, or not glibc).
       */
      readonly malloc?: { readonly mmapThreshold: number; readonly trimThreshold: number }
    }
  | { readonly available: false; readonly path: string; readonly reason: string }

/**
 * An error of the native engine: not built, bad device, or a libtorch error (its first line).
 * @category Running
 */
export class TorchEngineError extends Error {
  override readonly name = 'TorchEngineError'
}

/**
 * Where the addon is looked for: `SHAPESAFE_TORCH_ADDON`, else native/torch/build/Release in the package (the first
 * directory above this module with a package.json: dist/, src/ and the benchmarks' dist-bench/ all sit below it).
 * @example
 * ```ts
 * import { torchAddonPath } from 'shapesafe/runtime'
 * torchAddonPath() // '/home/me/app/node_modules/shapesafe/native/torch/build/Release/shapesafe_torch.node'
 * ```
 * @category Running
 */
export function torchAddonPath(): string {
  const fromEnv = process.env.SHAPESAFE_TORCH_ADDON
  if (fromEnv !== undefined && fromEnv !== '') return fromEnv
  const relative = join('native', 'torch', 'build', 'Release', 'shapesafe_torch.node')
  let dir = dirname(fileURLToPath(import.meta.url))
  while (!existsSync(join(dir, 'package.json')) && dirname(dir) !== dir) dir = dirname(dir)
  return join(dir, relative)
}

let loaded: { addon: Addon; path: string } | { error: string; path: string } | undefined

function load(): { addon: Addon; path: string } | { error: string; path: string } {
  if (loaded !== undefined) return loaded
  const path = torchAddonPath()
  if (!existsSync(path)) {
    loaded = { path, error: `the native engine is not built (no ${path}); run \`npm run build:native\` where libtorch is installed (see docs/backends.md)` }
    return loaded
  }
  try {
    const a = createRequire(import.meta.url)(path) as Addon
    // libtorch may start with one thread (Debian's does): use the cores given, unless SHAPESAFE_THREADS says otherwise.
    const threads = Number(process.env.SHAPESAFE_THREADS)
    a.setThreads(Number.isInteger(threads) && threads >= 1 ? threads : availableParallelism())
    loaded = { path, addon: a }
  } catch (e) {
    loaded = { path, error: `the native engine at ${path} does not load: ${(e as Error).message.split('\n')[0]}` }
  }
  return loaded
}

/**
 * Whether the native engine can run here, and what it found.
 * @example
 * ```ts
 * import { torchStatus } from 'shapesafe/runtime'
 * const status = torchStatus()
 * if (status.available) console.log(`libtorch ${status.version}, ${status.cudaDevices} CUDA devices, ${status.threads} threads`)
 * else console.log(status.reason) // 'the native engine is not built (no …/shapesafe_torch.node); run `npm run build:native` …'
 * ```
 * @category Running
 */
export function torchStatus(): TorchStatus {
  const l = load()
  if ('error' in l) return { available: false, path: l.path, reason: l.error }
  const { mallocMmapThreshold, mallocTrimThreshold, ...info } = l.addon.info()
  return {
    available: true,
    path: l.path,
    ...info,
    ...(mallocMmapThreshold && mallocTrimThreshold ? { malloc: { mmapThreshold: mallocMmapThreshold, trimThreshold: mallocTrimThreshold } } : {}),
  }
}

function addon(): Addon {
  const l = load()
  if ('error' in l) throw new TorchEngineError(l.error)
  return l.addon
}

/** Runs a native call, turning libtorch's errors into {@link TorchEngineError}s. */
function call<T>(f: () => T): T {
  try {
    return f()
  } catch (e) {
    if (e instanceof TorchEngineError) throw e
    throw new TorchEngineError((e as Error).message)
  }
}

/**
 * Sets libtorch's intra-op thread count; returns the count in force.
 * @example
 * ```ts
 * import { setTorchThreads, torchStatus } from 'shapesafe/runtime'
 * if (torchStatus().available) setTorchThreads(4) // 4
 * ```
 * @category Running
 */
export function setTorchThreads(threads: number): number {
  return call(() => addon().setThreads(threads))
}

/**
 * Seeds libtorch's random generator (dropout masks), so that a native run repeats.
 * @example
 * ```ts
 * import { seedTorch, torchStatus } from 'shapesafe/runtime'
 * if (torchStatus().available) seedTorch(42) // the same dropout masks on every run
 * ```
 * @category Running
 */
export function seedTorch(seed: number): void {
  call(() => addon().manualSeed(seed >>> 0))
}

/**
 * Options of {@link TorchModel.create}.
 * @category Running
 */
export interface TorchModelOptions {
  /** `cpu` (default) or `cuda`/`cuda:K` where libtorch was built with CUDA. */
  readonly device?: string
}

/**
 * The optimizer settings the native engine takes: the same fields as shapesafe/train's `OptimizerConfig` (which
 * satisfies this type; declared here because the runtime sits below train).
 * @category Running
 */
export type TorchOptimizerConfig =
  | { readonly name: 'sgd'; readonly learningRate: number; readonly momentum?: number; readonly weightDecay?: number }
  | {
      readonly name: 'adam'
      readonly learningRate: number
      readonly beta1?: number
      readonly beta2?: number
      readonly epsilon?: number
      readonly weightDecay?: number
    }

/**
 * The optimizer's state in PyTorch's own terms: `step` (Adam's step count; the steps taken through this model for
 * SGD, which keeps none) and, per slot (`momentum_buffer` for SGD, `exp_avg`/`exp_avg_sq` for Adam), one tensor per
 * trainable parameter in the parameter's layout. A parameter without state (no step taken yet) is absent.
 * @category Running
 */
export interface TorchOptimizerState {
  readonly step: number
  readonly slots: ReadonlyMap<string, ReadonlyMap<string, Float32Array>>
}

/** The state dict as the addon takes it, every tensor of the graph checked by name and shape. */
function stateValues(graph: Graph, state: TorchStateDict): Record<string, unknown> {
  const values: Record<string, unknown> = {}
  for (const spec of stateDictSpecs(graph)) {
    const t = state.get(spec.name)
    if (t === undefined) throw new TorchEngineError(`state dict has no tensor ${spec.name}`)
    if (t.shape.length !== spec.shape.length || t.shape.some((d, i) => d !== spec.shape[i])) {
      throw new TorchEngineError(`${spec.name}: expected shape [${spec.shape.join(', ')}], got [${t.shape.join(', ')}]`)
    }
    values[spec.name] = { data: t.data, shape: [...t.shape] }
  }
  return values
}

/**
 * A graph compiled into libtorch calls, with its state on the native side.
 * @category Running
 */
export class TorchModel {
  private disposed = false
  /** Optimizer steps taken since {@link setOptimizer} (or the step of the state loaded with {@link setOptimizerState}). */
  private steps = 0

  private constructor(
    /** The graph this model runs. */
    readonly graph: Graph,
    /** The device the tensors live on. */
    readonly device: string,
    private readonly handle: unknown,
  ) {}

  /**
   * Compiles `graph` with the state dict `state` (every tensor of the graph, PyTorch layout). Throws a
   * {@link TorchEngineError} when the engine is not built, the device is not available or a tensor is missing or
   * mis-sized (naming it).
   */
  static create(graph: Graph, state: TorchStateDict, options: TorchModelOptions = {}): TorchModel {
    const device = options.device ?? 'cpu'
    const a = addon()
    if (device.startsWith('cuda') && !a.info().cuda) {
      throw new TorchEngineError(`device ${device}: this libtorch has no CUDA (a CPU build, or no GPU visible); use --device cpu`)
    }
    const values = stateValues(graph, state)
    const g = nativeGraph(graph)
    const handle = call(() => a.create(g.nodes, g.output, values, trainableParams(graph).map((p) => p.name), device))
    return new TorchModel(graph, device, handle)
  }

  private live(): Addon {
    if (this.disposed) throw new TorchEngineError('the model was disposed')
    return addon()
  }

  private checkInput(data: Float32Array, shape: readonly number[]): void {
    const want = this.graph.input.shape
    const ok = shape.length === want.length && want.every((d, i) => i === 0 || typeof d !== 'number' || d === shape[i])
    if (!ok) throw new TorchEngineError(`input: expected [N, ${want.slice(1).join(', ')}], got [${shape.join(', ')}]`)
    const n = shape.reduce((p, d) => p * d, 1)
    if (n !== data.length) throw new TorchEngineError(`input: ${data.length} values for shape [${shape.join(', ')}]`)
  }

  /** The output for an NCHW float32 batch (eval mode unless `training`). */
  forward(data: Float32Array, shape: readonly number[], training = false): { data: Float32Array; shape: number[] } {
    this.checkInput(data, shape)
    return call(() => this.live().forward(this.handle, data, shape, training))
  }

  /** Chooses the optimizer (PyTorch's `torch.optim.SGD`/`Adam` with the same hyper-parameters). Resets its state. */
  setOptimizer(config: TorchOptimizerConfig): void {
    const c: Record<string, number | string> =
      config.name === 'sgd'
        ? { name: 'sgd', learningRate: config.learningRate, momentum: config.momentum ?? 0, weightDecay: config.weightDecay ?? 0 }
        : {
            name: 'adam',
            learningRate: config.learningRate,
            beta1: config.beta1 ?? 0.9,
            beta2: config.beta2 ?? 0.999,
            epsilon: config.epsilon ?? 1e-8,
            weightDecay: config.weightDecay ?? 0,
          }
    call(() => this.live().setOptimizer(this.handle, c))
    this.steps = 0
  }

  /** Optimizer steps taken (counting those of a state loaded with {@link setOptimizerState}). */
  get step(): number {
    return this.steps
  }

  /** The optimizer's state (see {@link TorchOptimizerState}), copied out of libtorch. */
  optimizerState(): TorchOptimizerState {
    const s = call(() => this.live().optimizerState(this.handle))
    return { step: this.steps, slots: new Map(Object.entries(s.slots).map(([slot, byName]) => [slot, new Map(Object.entries(byName))])) }
  }

  /**
   * Replaces the optimizer's state (after {@link setOptimizer}, which chooses the optimizer): every trainable
   * parameter in every slot of the optimizer, shaped like the parameter; a tensor missing or mis-sized is a
   * {@link TorchEngineError} naming it.
   */
  setOptimizerState(state: TorchOptimizerState): void {
    const shapes = new Map(trainableParams(this.graph).map((p) => [p.name, p.shape]))
    const slots: Record<string, Record<string, unknown>> = {}
    for (const [slot, byName] of state.slots) {
      slots[slot] = {}
      for (const [name, data] of byName) {
        const shape = shapes.get(name)
        if (shape === undefined) throw new TorchEngineError(`optimizer state ${slot} names ${name}, which is not a trainable parameter`)
        slots[slot][name] = { data, shape: [...shape] }
      }
    }
    call(() => this.live().setOptimizerState(this.handle, state.step, slots))
    this.steps = state.step
  }

  /** Replaces every tensor of the state (a PyTorch state dict, every tensor of the graph, checked as by {@link create}). */
  loadStateDict(state: TorchStateDict): void {
    const values = stateValues(this.graph, state)
    call(() => this.live().load(this.handle, values))
  }

  /** One training step (softmax cross-entropy, mean over the batch) at learning rate `lr`. */
  trainStep(data: Float32Array, shape: readonly number[], labels: Int32Array, lr: number): { loss: number; correct: number } {
    this.checkInput(data, shape)
    if (labels.length !== shape[0]) throw new TorchEngineError(`labels: expected ${shape[0]}, got ${labels.length}`)
    const r = call(() => this.live().trainStep(this.handle, data, shape, labels, lr))
    this.steps++
    return r
  }

  /** The loss's gradients by parameter name, computed in training mode without changing any state. */
  gradients(data: Float32Array, shape: readonly number[], labels: Int32Array): Map<string, Float32Array> {
    this.checkInput(data, shape)
    return new Map(Object.entries(call(() => this.live().gradients(this.handle, data, shape, labels))))
  }

  /** The state as a PyTorch state dict (state_dict order). */
  stateDict(): Map<string, { shape: number[]; data: Float32Array }> {
    const values = call(() => this.live().state(this.handle))
    return new Map(stateDictSpecs(this.graph).map((s) => [s.name, { shape: [...s.shape], data: values[s.name] }]))
  }

  /** Frees the native tensors now (they are freed at garbage collection otherwise). */
  dispose(): void {
    if (this.disposed) return
    call(() => addon().dispose(this.handle))
    this.disposed = true
  }
}
