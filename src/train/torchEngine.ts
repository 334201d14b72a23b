/**
 * The native libtorch engine ({@link TorchModel}) behind the {@link Engine} interface, with training: the weights
 * start from the same PyTorch-style initialisation as the TensorFlow.js engine's (same seed, same values), dropout
 * masks are drawn from `(seed, step)` (so a resumed run draws what an uninterrupted one would), and the optimizer
 * state goes in and out under shapesafe's slot names, so checkpoints move between the two engines.
 * @module
 */
import { trainableParams, type Graph } from '../graph/ir.js'
import type { Engine, EngineInfo, EngineModel, EngineOptimizerState, TrainableEngineModel } from '../runtime/engine.js'
import { validateHostInput } from '../runtime/engine.js'
import type { InitScheme } from '../runtime/init.js'
import { compile, type StateDictTensor } from '../runtime/model.js'
import { seedTorch, setTorchThreads, TorchEngineError, TorchModel, torchStatus, type TorchOptimizerState } from '../runtime/torch/engine.js'
import { dropoutSeed } from './fit.js'
import type { OptimizerConfig } from './optimizers.js'

/**
 * PyTorch's name of each optimizer slot (`torch.optim.SGD`'s `momentum_buffer`, `Adam`'s `exp_avg`/`exp_avg_sq`)
 * by shapesafe's (the checkpoint's `optim.<slot>.<param>`). The update rules are the same, so the values map as is:
 * shapesafe's SGD buffer starts at zero, which equals PyTorch's first-step `buf = d`.
 *
 * @category Training
 */
export const torchSlotNames: Readonly<Record<string, string>> = { momentum: 'momentum_buffer', m: 'exp_avg', v: 'exp_avg_sq' }

/** The slots of an optimizer, shapesafe's names (as `makeOptimizer(config).slotNames`). */
const slotsOf = (config: OptimizerConfig): readonly string[] =>
  config.name === 'adam' ? ['m', 'v'] : (config.momentum ?? 0) === 0 ? [] : ['momentum']

/**
 * Options of {@link torchEngine}.
 *
 * @category Training
 */
export interface TorchEngineOptions {
  /** `cpu` (default), `cuda` or `cuda:K`. */
  readonly device?: string
  /** libtorch's intra-op threads (default: `SHAPESAFE_THREADS`, else every core). */
  readonly threads?: number
}

/**
 * The native engine on a device. Throws a {@link TorchEngineError} when the addon is not built, the device is not
 * one of `cpu`, `cuda`, `cuda:K`, or this libtorch has no CUDA for a `cuda` device.
 *
 * @example
 * ```ts
 * const engine = torchEngine({ device: 'cpu' })
 * const graph = zoo.lenet.graph({ input: [4, 1, 28, 28], classes: 10 })
 * const model = await engine.compileForTraining!(graph, { seed: 0, optimizer: { name: 'sgd', learningRate: 0.1 } })
 * ```
 * @category Training
 */
export function torchEngine(options: TorchEngineOptions = {}): Engine<OptimizerConfig> {
  const status = torchStatus()
  if (!status.available) throw new TorchEngineError(status.reason)
  const device = options.device ?? 'cpu'
  if (!/^(cpu|cuda(:\d+)?)$/.test(device)) throw new TorchEngineError(`device: expected cpu, cuda or cuda:K, got '${device}'`)
  if (device !== 'cpu' && !status.cuda)
    throw new TorchEngineError(`device ${device}: this libtorch has no CUDA (a CPU build, or no GPU visible); use --device cpu`)
  const threads = options.threads === undefined ? status.threads : setTorchThreads(options.threads)
  const info: EngineInfo = {
    engine: 'libtorch',
    device: `${device}, ${threads} thread${threads === 1 ? '' : 's'}`,
    description: `native libtorch ${status.version} on ${device}, ${threads} thread${threads === 1 ? '' : 's'}`,
  }
  /**
   * The graph's weights initialised from `seed`, as the TensorFlow.js engine initialises them (read asynchronously:
   * the current tfjs backend may be webgpu, which cannot read synchronously).
   */
  const initial = async (graph: Graph, seed: number, scheme?: InitScheme): Promise<Map<string, StateDictTensor>> => {
    const model = compile(graph)
    const state = model.init(seed, scheme)
    try {
      return await model.readStateDict(state)
    } finally {
      model.dispose(state)
    }
  }
  const engineModel = (graph: Graph, native: TorchModel): EngineModel => ({
    graph,
    info,
    forward: async (x) => {
      validateHostInput(graph, x)
      return native.forward(x.data, x.shape)
    },
    stateDict: async () => native.stateDict(),
    loadStateDict: async (tensors) => {
      const specs = native.stateDict()
      native.loadStateDict(new Map([...specs].map(([name, t]) => [name, { shape: t.shape, data: tensors.get(name) ?? new Float32Array(0) }])))
    },
    dispose: () => native.dispose(),
  })
  return {
    info,
    compile: async (graph, { seed, init }) => engineModel(graph, TorchModel.create(graph, await initial(graph, seed, init), { device })),
    compileForTraining: async (graph, { seed, init, optimizer }): Promise<TrainableEngineModel> => {
      const native = TorchModel.create(graph, await initial(graph, seed, init), { device })
      native.setOptimizer(optimizer)
      const slots = slotsOf(optimizer)
      return {
        ...engineModel(graph, native),
        trainStep: async (batch, learningRate) => {
          seedTorch(dropoutSeed(seed, native.step))
          return native.trainStep(batch.x.data, batch.x.shape, batch.labels, learningRate)
        },
        optimizerState: async (): Promise<EngineOptimizerState> => {
          const s = native.optimizerState()
          const params = native.stateDict()
          return {
            step: s.step,
            slots: new Map(
              slots.map((slot) => {
                const values = s.slots.get(torchSlotNames[slot]) ?? new Map<string, Float32Array>()
                // A parameter libtorch holds no state for has not been stepped: zeros, as shapesafe's optimizers start.
                const tensors = graphTrainable(graph).map((name): [string, StateDictTensor] => {
                  const shape = params.get(name)!.shape
                  return [name, { shape, data: values.get(name) ?? new Float32Array(shape.reduce((a, b) => a * b, 1)) }]
                })
                return [slot, new Map(tensors)]
              }),
            ),
          }
        },
        loadOptimizerState: async (state) => {
          const mapped: TorchOptimizerState = {
            step: state.step,
            slots: new Map(
              slots.map((slot) => {
                const given = state.slots.get(slot)
                if (given === undefined) throw new TorchEngineError(`optimizer state has no "${slot}" slot`)
                for (const name of graphTrainable(graph))
                  if (!given.has(name)) throw new TorchEngineError(`optimizer state "${slot}" has no tensor for ${name}`)
                return [torchSlotNames[slot], new Map([...given].map(([name, t]) => [name, t.data]))]
              }),
            ),
          }
          native.setOptimizerState(mapped)
        },
      }
    },
  }
}

const graphTrainable = (graph: Graph): string[] => trainableParams(graph).map((p) => p.name)
