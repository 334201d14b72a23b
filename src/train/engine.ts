/**
 * The tfjs engine with training: `tfjsInferenceEngine`'s forward and state_dict, plus one optimizer step per
 * call through {@link trainStep} (the same step `shapesafe train` takes).
 * @module
 */
import * as tf from '@tensorflow/tfjs'
import type { BackendInfo } from '../runtime/backend.js'
import { tfjsEngineInfo, tfjsEngineModel, toTfTensor, type Engine, type TrainableEngineModel } from '../runtime/engine.js'
import { compile, type StateDictTensor, type TensorMap } from '../runtime/model.js'
import { disposeTrainingState, initialTrainingState, trainStep, type TrainingState } from './fit.js'
import { disposeOptimizerState, makeOptimizer, type OptimizerConfig } from './optimizers.js'

/**
 * The tfjs engine on the current backend, with training.
 * @example
 * ```ts
 * const engine = tfjsEngine(await selectBackend())
 * const graph = zoo.lenet.graph({ input: [4, 1, 28, 28], classes: 10 })
 * const model = await engine.compileForTraining!(graph, { seed: 0, optimizer: { name: 'sgd', learningRate: 0.1 } })
 * const x = { shape: [4, 1, 28, 28], data: new Float32Array(4 * 784) }
 * const { loss } = await model.trainStep({ x, labels: Int32Array.of(0, 1, 2, 3) }, 0.1)
 * ```
 * @category Training
 */
export function tfjsEngine(backend: BackendInfo): Engine<OptimizerConfig> {
  const info = tfjsEngineInfo(backend)
  return {
    info,
    compile: async (graph, options) => {
      const model = compile(graph)
      return tfjsEngineModel(model, { state: model.init(options.seed, options.init) }, info)
    },
    compileForTraining: async (graph, options): Promise<TrainableEngineModel> => {
      const model = compile(graph)
      const trainOptions = { epochs: 1, batchSize: 1, seed: options.seed, optimizer: options.optimizer, ...(options.init === undefined ? {} : { init: options.init }) }
      let training: TrainingState = initialTrainingState(model, trainOptions)
      // The inference half reads and replaces the model state; a new state_dict restarts the optimizer.
      const holder = {
        get state() {
          return training.model
        },
        set state(next) {
          disposeOptimizerState(training.optimizer)
          training = { ...training, model: next, optimizer: makeOptimizer(options.optimizer).init(next.params) }
        },
      }
      const inference = tfjsEngineModel(model, holder, info)
      let step = 0
      return {
        optimizerState: async () => {
          const slots = new Map<string, Map<string, StateDictTensor>>()
          const trainable = new Set(model.trainable.map((p) => p.name))
          for (const [slot, values] of training.optimizer.slots) {
            // A slot has its parameter's internal layout: toStateDict converts it like the parameter.
            const dict = await model.readStateDict({ params: values, stats: training.model.stats })
            slots.set(slot, new Map([...dict].filter(([name]) => trainable.has(name))))
          }
          return { step: training.optimizer.step, slots }
        },
        loadOptimizerState: async (state) => {
          const slots = new Map<string, TensorMap>()
          try {
            for (const slot of makeOptimizer(options.optimizer).slotNames) {
              const given = state.slots.get(slot)
              if (given === undefined) throw new Error(`optimizer state has no "${slot}" slot`)
              // A full state dict (slot values for the parameters, the real running statistics); keep the parameters.
              const dict = new Map([...(await model.readStateDict(training.model))].map(([n, t]) => [n, t.data]))
              for (const p of model.trainable) {
                const t = given.get(p.name)
                if (t === undefined) throw new Error(`optimizer state "${slot}" has no tensor for ${p.name}`)
                dict.set(p.name, t.data)
              }
              const converted = model.fromStateDict(dict)
              for (const t of converted.stats.values()) t.dispose()
              slots.set(slot, converted.params)
            }
          } catch (e) {
            for (const m of slots.values()) for (const t of m.values()) t.dispose()
            throw e
          }
          disposeOptimizerState(training.optimizer)
          training = { ...training, optimizer: { step: state.step, slots } }
          step = state.step
        },
        ...inference,
        dispose: () => disposeTrainingState(model, training),
        trainStep: async (batch, learningRate) => {
          const x = toTfTensor(batch.x)
          const y = tf.tensor1d(batch.labels, 'int32')
          try {
            const optimizer = { ...options.optimizer, learningRate }
            const result = await trainStep(model, training, { x, y }, { ...trainOptions, optimizer }, { epoch: 0, iteration: step, iterationsPerEpoch: step + 1 })
            training = result.state
            step++
            return { loss: result.loss, correct: result.correct }
          } finally {
            tf.dispose([x, y])
          }
        },
      }
    },
  }
}
