import { readFileSync } from 'node:fs'
import * as tf from '@tensorflow/tfjs'
import { beforeAll, describe, expect, it } from 'vitest'
import { applyStep, makeOptimizer, disposeOptimizerState, type OptimizerConfig } from '../src/train/optimizers.js'
import { learningRate, defaultSchedule, type Schedule } from '../src/train/schedules.js'

interface GoldenTensor {
  shape: number[]
  data: number[]
}
interface OptimizerCase {
  name: string
  config: OptimizerConfig
  params: Record<string, GoldenTensor>
  grads: Record<string, number[]>[]
  after: Record<string, number[]>[]
}
const golden = JSON.parse(readFileSync(new URL('./fixtures/train-golden.json', import.meta.url), 'utf8')) as {
  optimizers: OptimizerCase[]
}

beforeAll(async () => {
  await tf.setBackend('cpu')
})

const maxAbsDiff = (a: ArrayLike<number>, b: ArrayLike<number>): number => {
  expect(a.length).toBe(b.length)
  let m = 0
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]))
  return m
}

describe('optimizers match torch.optim', () => {
  /**
   * Runs the golden case with `takeStep`, checking the parameters after every step against PyTorch's and that a step
   * leaves exactly as many tensors as it found; `consumes` says whether `takeStep` disposes its inputs.
   */
  const runGolden = (c: OptimizerCase, consumes: boolean) => {
    const optimizer = makeOptimizer(c.config)
    const shapes = Object.fromEntries(Object.entries(c.params).map(([n, t]) => [n, t.shape]))
    let params: ReadonlyMap<string, tf.Tensor> = new Map(Object.entries(c.params).map(([n, t]) => [n, tf.tensor(t.data, t.shape)]))
    let state = optimizer.init(params)
    const before = tf.memory().numTensors
    c.grads.forEach((g, k) => {
      const grads = new Map(Object.entries(g).map(([n, d]) => [n, tf.tensor(d, shapes[n])]))
      const inputs = [...params.values(), ...grads.values(), ...[...state.slots.values()].flatMap((m) => [...m.values()])]
      if (consumes) {
        const next = applyStep(optimizer, params, grads, state, c.config.learningRate)
        for (const t of inputs) expect(t.isDisposed).toBe(true)
        params = next.params
        state = next.state
      } else {
        const next = optimizer.step(params, grads, state, c.config.learningRate)
        for (const t of inputs) expect(t.isDisposed).toBe(false)
        tf.dispose([...grads.values(), ...params.values()])
        disposeOptimizerState(state)
        params = next.params
        state = next.state
      }
      expect(state.step).toBe(k + 1)
      for (const [name, expected] of Object.entries(c.after[k]))
        expect(maxAbsDiff(params.get(name)!.dataSync(), expected), `${name} after step ${k + 1}`).toBeLessThan(2e-6)
      // a step leaves exactly as many tensors as it found
      expect(tf.memory().numTensors).toBe(before)
    })
    tf.dispose([...params.values()])
    disposeOptimizerState(state)
  }

  for (const c of golden.optimizers) {
    it(`${c.name}: ${c.after.length} steps`, () => runGolden(c, false))
    it(`${c.name}: applyStep consumes its inputs and takes the same steps`, () => runGolden(c, true))
  }

  it('applyStep checks every gradient before it disposes anything', () => {
    const opt = makeOptimizer({ name: 'sgd', learningRate: 0.1, momentum: 0.9 })
    const p = new Map([['a', tf.ones([2])], ['b', tf.ones([3])]])
    const g = new Map([['a', tf.ones([2])]])
    const s = opt.init(p)
    expect(() => applyStep(opt, p, g, s, 0.1)).toThrow(/no gradient for parameter "b"/)
    for (const t of [...p.values(), ...g.values(), ...s.slots.get('momentum')!.values()]) expect(t.isDisposed).toBe(false)
    tf.dispose([...p.values(), ...g.values()])
    disposeOptimizerState(s)
  })

  it('the step learning rate overrides the configured one (what schedules use)', () => {
    const opt = makeOptimizer({ name: 'sgd', learningRate: 1 })
    const p = new Map([['w', tf.tensor([1, 2])]])
    const g = new Map([['w', tf.tensor([1, 1])]])
    const s = opt.init(p)
    const next = opt.step(p, g, s, 0.5)
    expect(Array.from(next.params.get('w')!.dataSync())).toEqual([0.5, 1.5])
    tf.dispose([...p.values(), ...g.values(), ...next.params.values()])
  })

  it('names the parameter whose gradient is missing', () => {
    const opt = makeOptimizer({ name: 'adam', learningRate: 1e-3 })
    const p = new Map([['fc.weight', tf.zeros([2])]])
    const s = opt.init(p)
    expect(() => opt.step(p, new Map(), s, 1e-3)).toThrow(/fc\.weight/)
    tf.dispose([...p.values()])
    disposeOptimizerState(s)
  })

  it('SGD without momentum keeps no state; Adam keeps m and v', () => {
    expect(makeOptimizer({ name: 'sgd', learningRate: 0.1 }).slotNames).toEqual([])
    expect(makeOptimizer({ name: 'sgd', learningRate: 0.1, momentum: 0.9 }).slotNames).toEqual(['momentum'])
    expect(makeOptimizer({ name: 'adam', learningRate: 0.1 }).slotNames).toEqual(['m', 'v'])
  })
})

describe('learning-rate schedules', () => {
  const at = (epoch: number, iteration = 0, iterationsPerEpoch = 10, epochs = 4) => ({ epoch, iteration, iterationsPerEpoch, epochs })

  it('constant', () => {
    expect(learningRate({ kind: 'constant' }, 0.1, at(3, 5))).toBe(0.1)
  })

  it('step: gamma every stepSize epochs, like StepLR', () => {
    const s: Schedule = { kind: 'step', stepSize: 2, gamma: 0.5 }
    expect([0, 1, 2, 3, 4].map((e) => learningRate(s, 1, at(e)))).toEqual([1, 1, 0.5, 0.5, 0.25])
  })

  it('cosine per epoch equals CosineAnnealingLR(T_max = epochs)', () => {
    const s: Schedule = { kind: 'cosine', per: 'epoch' }
    // torch: lr_t = 0.5 * base * (1 + cos(pi * t / T_max))
    const torchValues = [1, 0.8535533905932737, 0.5, 0.14644660940672627]
    ;[0, 1, 2, 3].forEach((e) => expect(learningRate(s, 1, at(e, 7))).toBeCloseTo(torchValues[e], 12))
  })

  it('cosine per iteration falls within an epoch and reaches minRate at the end', () => {
    const s: Schedule = { kind: 'cosine', per: 'iteration', minRate: 0.01 }
    const within = [0, 5, 9].map((i) => learningRate(s, 1, at(1, i)))
    expect(within[0]).toBeGreaterThan(within[1])
    expect(within[1]).toBeGreaterThan(within[2])
    expect(learningRate(s, 1, at(0, 0))).toBe(1)
    expect(learningRate(s, 1, at(2, 0))).toBeCloseTo(0.505, 12) // halfway
    expect(learningRate(s, 1, at(4, 0))).toBeCloseTo(0.01, 12)
  })

  it('command-line defaults', () => {
    expect(defaultSchedule('step', 9)).toEqual({ kind: 'step', stepSize: 3, gamma: 0.1 })
    expect(defaultSchedule('cosine', 9)).toEqual({ kind: 'cosine', per: 'iteration' })
    expect(defaultSchedule('constant', 9)).toEqual({ kind: 'constant' })
  })
})
