/**
 * The onnxruntime engine: exports the graph with {@link toOnnx} and runs it with `onnxruntime-node`'s CPU execution
 * provider. Inference only (onnxruntime-node has no training API).
 *
 * `onnxruntime-node` is an optional peer dependency (288 MB installed): install it with
 * `ONNXRUNTIME_NODE_INSTALL=skip npm install onnxruntime-node` (its install script otherwise fetches CUDA parts from
 * the network; the CPU build ships in the package). It is loaded with a dynamic `import()`, so shapesafe works
 * without it and says how to install it when it is asked for.
 * @module
 */
import type { Graph } from '../graph/ir.js'
import { stateDictSpecs } from '../graph/ir.js'
import { onnxInputName, onnxOutputName, toOnnx } from '../io/onnx.js'
import { BackendError } from './backend.js'
import type { Engine, EngineInfo, EngineModel, HostTensor } from './engine.js'
import { initialValue } from './init.js'
import type { StateDictTensor } from './model.js'

/**
 * An onnxruntime tensor (the part of its API used here, so its types are not needed where it is not installed).
 * @category Running
 */
export interface OrtTensor {
  readonly dims: readonly number[]
  readonly data: unknown
  /** Frees the tensor's native memory. */
  dispose?(): void
}
/**
 * An onnxruntime inference session.
 * @category Running
 */
export interface OrtSession {
  /** Runs the model on named inputs. */
  run(feeds: Record<string, OrtTensor>): Promise<Record<string, OrtTensor>>
  /** Frees the session. */
  release(): Promise<void>
}
/**
 * The part of onnxruntime-node's module used by shapesafe.
 * @category Running
 */
export interface Ort {
  readonly InferenceSession: {
    /** Loads a model from its bytes. */
    create(model: Uint8Array, options?: Record<string, unknown>): Promise<OrtSession>
  }
  readonly Tensor: new (type: 'float32', data: Float32Array, dims: readonly number[]) => OrtTensor
  readonly env: { readonly versions?: { readonly node?: string } }
}

/**
 * The npm package of the engine.
 * @category Running
 */
export const onnxruntimePackage = 'onnxruntime-node'

let loaded: Ort | undefined

/**
 * Loads onnxruntime-node, or throws a {@link BackendError} saying how to install it. `specifier` is the package to
 * import (default {@link onnxruntimePackage}; another name lets tests meet the error where onnxruntime is installed).
 * @example
 * ```ts
 * import { readFile } from 'node:fs/promises'
 * import { loadOnnxruntime } from 'shapesafe/runtime'
 * const ort = await loadOnnxruntime() // throws a BackendError saying how to install onnxruntime-node when it is missing
 * const session = await ort.InferenceSession.create(await readFile('lenet.onnx'))
 * ```
 * @category Running
 */
export async function loadOnnxruntime(specifier: string = onnxruntimePackage): Promise<Ort> {
  if (loaded !== undefined && specifier === onnxruntimePackage) return loaded
  try {
    const mod = (await import(specifier)) as Ort & { default?: Ort }
    const ort = mod.InferenceSession !== undefined ? mod : mod.default!
    if (specifier === onnxruntimePackage) loaded = ort
    return ort
  } catch (e) {
    throw new BackendError(
      `engine onnxruntime is not available: install ${onnxruntimePackage} (ONNXRUNTIME_NODE_INSTALL=skip npm install ${onnxruntimePackage}; ` +
        `it is an optional peer dependency) — ${e instanceof Error ? e.message.split('\n')[0] : String(e)}`,
      ['tfjs'],
    )
  }
}

/**
 * Options of {@link onnxruntimeEngine}.
 * @category Running
 */
export interface OnnxruntimeOptions {
  /** Intra-op threads (default: onnxruntime's choice, one per core). */
  readonly threads?: number
  /** The package to load (default {@link onnxruntimePackage}); see {@link loadOnnxruntime}. */
  readonly specifier?: string
}

/**
 * The onnxruntime engine (CPU execution provider). Throws a {@link BackendError} when onnxruntime-node is missing.
 * @example
 * ```ts
 * const engine = await onnxruntimeEngine({ threads: 2 })
 * const model = await engine.compile(zoo.lenet.graph({ input: [1, 1, 28, 28], classes: 10 }), { seed: 0 })
 * const y = await model.forward({ shape: [1, 1, 28, 28], data: new Float32Array(784) }) // y.shape [1, 10]
 * model.dispose()
 * ```
 * @category Running
 */
export async function onnxruntimeEngine(options: OnnxruntimeOptions = {}): Promise<Engine> {
  const ort = await loadOnnxruntime(options.specifier)
  const version = ort.env.versions?.node ?? 'unknown'
  const threads = options.threads === undefined ? '' : `, ${options.threads} thread${options.threads === 1 ? '' : 's'}`
  const info: EngineInfo = {
    engine: 'onnxruntime',
    device: `cpu${threads}`,
    description: `onnxruntime (${onnxruntimePackage} ${version}, CPUExecutionProvider${threads})`,
  }
  const sessionOptions = {
    executionProviders: ['cpu'],
    graphOptimizationLevel: 'all',
    ...(options.threads === undefined ? {} : { intraOpNumThreads: options.threads, interOpNumThreads: 1 }),
  }
  return {
    info,
    compile: async (graph: Graph, compileOptions): Promise<EngineModel> => {
      const specs = stateDictSpecs(graph)
      let weights = new Map(specs.map((s) => [s.name, initialValue(s, compileOptions.seed, compileOptions.init)]))
      let session = await ort.InferenceSession.create(toOnnx(graph, weights), sessionOptions)
      return {
        graph,
        info,
        forward: async (x: HostTensor) => {
          const input = new ort.Tensor('float32', x.data, x.shape)
          const result = await session.run({ [onnxInputName]: input })
          const out = result[onnxOutputName]
          const data = Float32Array.from(out.data as Float32Array)
          const shape = [...out.dims]
          out.dispose?.()
          input.dispose?.()
          return { shape, data }
        },
        stateDict: async () => new Map<string, StateDictTensor>(specs.map((s) => [s.name, { shape: [...s.shape], data: weights.get(s.name)!.slice() }])),
        loadStateDict: async (tensors) => {
          const next = new Map(specs.map((s) => [s.name, tensors.get(s.name)]))
          const missing = specs.filter((s) => next.get(s.name) === undefined)
          if (missing.length > 0) throw new Error(`loadStateDict: missing ${missing.map((s) => s.name).join(', ')}`)
          // toOnnx checks every size before the old session is replaced.
          const bytes = toOnnx(graph, next as Map<string, Float32Array>)
          const created = await ort.InferenceSession.create(bytes, sessionOptions)
          await session.release()
          session = created
          weights = next as Map<string, Float32Array>
        },
        dispose: () => {
          void session.release()
        },
      }
    },
  }
}
