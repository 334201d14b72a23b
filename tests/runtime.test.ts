import '@tensorflow/tfjs-backend-wasm'
import * as tf from '@tensorflow/tfjs'
import { pipe } from 'fp-ts/lib/function.js'
import { beforeAll, describe, expect, it } from 'vitest'
import {
  add,
  avgPool2d,
  batchNorm2d,
  conv2d,
  dropout,
  flatten,
  input,
  linear,
  maxPool2d,
  N,
  relu,
  sigmoid,
  graphOf,
  ShapeError,
} from '../src/index.js'
import { stateDictSpecs } from '../src/graph/ir.js'
import { fanOutOf, initialValue, uniform } from '../src/runtime/init.js'
import { internalShape, toInternal, toPyTorch, type ParamLayout } from '../src/runtime/layout.js'
import { compile } from '../src/runtime/model.js'
import { registerWasmTrainingKernels } from '../src/runtime/kernels/index.js'

beforeAll(async () => {
  registerWasmTrainingKernels()
  await tf.setBackend('wasm')
})

const maxDiff = (a: tf.Tensor, b: tf.Tensor): number => tf.tidy(() => tf.max(tf.abs(tf.sub(a, b))).dataSync()[0])

/** A small net with every fusion and layout case: conv+relu, conv+BN, residual add, pools, flatten → linear. */
const smallNet = () =>
  graphOf(
    pipe(input([N, 2, 9, 9]), conv2d({ out: 4, kernel: 3, padding: 1 }), relu, (x) =>
      pipe(
        add(pipe(x, conv2d({ out: 4, kernel: 3, padding: 1, bias: false }), batchNorm2d()), x),
        maxPool2d({ kernel: 2, ceilMode: true }),
        avgPool2d({ kernel: 3, stride: 2, padding: 1 }),
        flatten,
        linear({ out: 7 }),
        sigmoid,
        dropout({ p: 0.5 }),
        linear({ out: 3 }),
      ),
    ),
  )

/** The training-fusion cases: strided conv + sigmoid, 'same' (asymmetric) padding + relu, linear + relu, no bias. */
const fusionNet = () =>
  graphOf(
    pipe(
      input([N, 2, 10, 10]),
      conv2d({ out: 3, kernel: 4, stride: 2, padding: [1, 2] }),
      sigmoid,
      conv2d({ out: 5, kernel: 2, padding: 'same' }),
      relu,
      conv2d({ out: 2, kernel: 1, bias: false }),
      relu,
      flatten,
      linear({ out: 6 }),
      relu,
      linear({ out: 4, bias: false }),
      sigmoid,
    ),
  )

describe('init', () => {
  it('follows PyTorch defaults and is deterministic per seed', () => {
    const spec = { name: 'features.0.weight', shape: [6, 1, 5, 5], role: 'weight' as const, fanIn: 25 }
    const a = initialValue(spec, 1)
    expect(initialValue(spec, 1)).toEqual(a)
    expect(initialValue(spec, 2)).not.toEqual(a)
    expect(Math.max(...a.map(Math.abs))).toBeLessThanOrEqual(1 / 5)
    expect(Math.max(...a.map(Math.abs))).toBeGreaterThan(0.15)
    const bias = initialValue({ name: 'fc.bias', shape: [1000], role: 'bias', fanIn: 84 }, 0)
    expect(Math.max(...bias.map(Math.abs))).toBeLessThanOrEqual(1 / Math.sqrt(84))
    expect([...initialValue({ name: 'bn.weight', shape: [3], role: 'bnWeight', fanIn: 3 }, 0)]).toEqual([1, 1, 1])
    expect([...initialValue({ name: 'bn.running_var', shape: [2], role: 'runningVar', fanIn: 2 }, 0)]).toEqual([1, 1])
    expect([...initialValue({ name: 'bn.running_mean', shape: [2], role: 'runningMean', fanIn: 2 }, 0)]).toEqual([0, 0])
  })

  it('xavier: xavier_uniform_ on conv and linear weights (PyTorch fan_out), PyTorch defaults elsewhere', () => {
    // PyTorch's _calculate_fan_in_and_fan_out: fan_out = size(0) · receptive field (grouped convs included).
    expect(fanOutOf([64, 3, 11, 11])).toBe(64 * 121)
    expect(fanOutOf([32, 4, 3, 3])).toBe(32 * 9) // groups 8: weight [out, in/groups, k, k]
    expect(fanOutOf([4096, 6400])).toBe(4096)
    const cases = [
      { name: 'features.0.weight', shape: [64, 3, 11, 11], role: 'weight' as const, fanIn: 3 * 121 },
      { name: 'classifier.1.weight', shape: [96, 640], role: 'weight' as const, fanIn: 640 },
      { name: 'b.1.weight', shape: [10, 84], role: 'weight' as const, fanIn: 84 },
    ]
    for (const spec of cases) {
      const bound = Math.sqrt(6 / (spec.fanIn + fanOutOf(spec.shape)))
      const x = initialValue(spec, 3, 'xavier')
      let max = 0
      let sumSq = 0
      for (const v of x) {
        max = Math.max(max, Math.abs(v))
        sumSq += v * v
      }
      expect(max).toBeLessThanOrEqual(bound * (1 + 1e-6)) // float32 rounding
      expect(max).toBeGreaterThan(0.95 * bound)
      // U(−b, b) has variance b²/3 = 2/(fan_in + fan_out): Glorot's variance.
      expect(sumSq / x.length).toBeCloseTo((bound * bound) / 3, 3)
      expect(initialValue(spec, 3, 'xavier')).toEqual(x) // deterministic per seed
      expect(initialValue(spec, 3, 'pytorch')).toEqual(initialValue(spec, 3))
      expect(initialValue(spec, 3, 'pytorch')).not.toEqual(x)
    }
    const bias = { name: 'fc.bias', shape: [10], role: 'bias' as const, fanIn: 84 }
    expect(initialValue(bias, 0, 'xavier')).toEqual(initialValue(bias, 0))
    const bn = { name: 'bn.weight', shape: [3], role: 'bnWeight' as const, fanIn: 3 }
    expect(initialValue(bn, 0, 'xavier')).toEqual(initialValue(bn, 0))
  })

  it('model.init(seed, scheme) gives the state_dict initialValue gives, for both schemes', () => {
    const model = compile(smallNet())
    for (const scheme of ['pytorch', 'xavier'] as const) {
      const state = model.init(7, scheme)
      const dict = model.toStateDict(state)
      for (const spec of stateDictSpecs(model.graph)) expect(dict.get(spec.name)?.data).toEqual(initialValue(spec, 7, scheme))
      model.dispose(state)
    }
  })

  it('uniform() is mulberry32 with 24-bit floats in [0, 1)', () => {
    const next = uniform(0)
    const xs = Array.from({ length: 1000 }, next)
    expect(xs.every((x) => x >= 0 && x < 1)).toBe(true)
    expect(xs.reduce((a, b) => a + b) / xs.length).toBeCloseTo(0.5, 1)
  })
})

describe('layout', () => {
  it('round-trips every parameter layout', () => {
    const cases: [ParamLayout, number[]][] = [
      [{ kind: 'same' }, [5]],
      [{ kind: 'convHwio' }, [4, 3, 2, 5]],
      [{ kind: 'depthwise' }, [6, 1, 3, 3]],
      [{ kind: 'linear' }, [3, 7]],
      [{ kind: 'linearAfterNhwcFlatten', chw: [2, 3, 4] }, [5, 24]],
    ]
    for (const [layout, shape] of cases) {
      const n = shape.reduce((a, b) => a * b)
      const data = Float32Array.from({ length: n }, (_, i) => i)
      const inner = toInternal(layout, shape, data)
      expect(internalShape(layout, shape).reduce((a, b) => a * b)).toBe(n)
      expect(toPyTorch(layout, shape, inner)).toEqual(data)
    }
  })

  it('stores conv weights as HWIO', () => {
    const w = tf.tensor(toInternal({ kind: 'convHwio' }, [2, 1, 1, 2], Float32Array.of(1, 2, 3, 4)), [1, 2, 1, 2])
    // OIHW [o][0][0][w]: o0 = (1, 2), o1 = (3, 4) → HWIO [0][w][0][o]: w0 = (1, 3), w1 = (2, 4)
    expect([...w.dataSync()]).toEqual([1, 3, 2, 4])
    w.dispose()
  })
})

describe('compile', () => {
  it('flattens in PyTorch (NCHW) order, so linear weights load unchanged', () => {
    const graph = graphOf(pipe(input([N, 2, 3, 3]), flatten, linear({ out: 4 })))
    const model = compile(graph)
    const state = model.init(3)
    const sd = model.toStateDict(state)
    const w = sd.get('1.weight')!
    const b = sd.get('1.bias')!
    const x = tf.randomNormal([5, 2, 3, 3], 0, 1, 'float32', 1)
    const expected = tf.tidy(() => tf.add(tf.matMul(x.reshape([5, 18]), tf.tensor2d(w.data, [4, 18]), false, true), tf.tensor1d(b.data)))
    const { output } = model.forward(state, x, { training: false })
    expect(maxDiff(output, expected)).toBeLessThan(1e-5)
    tf.dispose([x, expected, output])
    model.dispose(state)
  })

  for (const backend of ['wasm', 'cpu'])
    for (const [label, makeGraph, shape] of [
      ['small net', smallNet, [3, 2, 9, 9]],
      ['fusion net', fusionNet, [3, 2, 10, 10]],
    ] as const)
      it(`fused and unfused plans agree on outputs and gradients in training (${label}, ${backend})`, async () => {
        await tf.setBackend(backend)
        const graph = makeGraph()
        const fused = compile(graph)
        const plain = compile(graph, { fuse: false })
        const state = fused.init(7)
        const x = tf.randomNormal([...shape], 0, 1, 'float32', 2)
        for (const model of [fused, plain]) expect(model.trainable.map((p) => p.name)).toEqual(fused.trainable.map((p) => p.name))
        const names = fused.trainable.map((p) => p.name)
        const run = (model: typeof fused) => {
          const f = (...ps: tf.Tensor[]) => {
            const { output, stats } = model.forward({ params: new Map(names.map((n, i) => [n, ps[i]])), stats: state.stats }, x, { training: true, seed: 5 })
            tf.dispose([...stats.values()])
            return tf.sum(tf.square(output)) as tf.Scalar
          }
          const { value, grads } = tf.valueAndGrads(f)(names.map((n) => state.params.get(n)!))
          return { value, grads }
        }
        const before = tf.memory().numTensors
        const a = run(fused)
        const b = run(plain)
        // Only the values and gradients stay alive: the fused ops keep nothing else.
        expect(tf.memory().numTensors - before).toBe(2 * (1 + names.length))
        expect(Math.abs(a.value.dataSync()[0] - b.value.dataSync()[0])).toBeLessThan(1e-4 * Math.abs(b.value.dataSync()[0]) + 1e-6)
        a.grads.forEach((g, i) => {
          expect(g.shape).toEqual(b.grads[i].shape)
          const scale = tf.tidy(() => tf.max(tf.abs(b.grads[i])).dataSync()[0])
          expect(maxDiff(g, b.grads[i])).toBeLessThan(1e-4 * Math.max(1, scale))
        })
        tf.dispose([x, a.value, b.value, ...a.grads, ...b.grads])
        fused.dispose(state)
        await tf.setBackend('wasm')
      })

  it('round-trips the state dict and gives PyTorch names and shapes', () => {
    const graph = smallNet()
    const model = compile(graph)
    const state = model.init(11)
    const sd = model.toStateDict(state)
    expect([...sd.keys()]).toEqual(stateDictSpecs(graph).map((s) => s.name))
    for (const s of stateDictSpecs(graph)) expect(sd.get(s.name)!.shape).toEqual(s.shape)
    const again = model.fromStateDict(new Map([...sd].map(([k, v]) => [k, v.data])))
    const x = tf.randomUniform([2, 2, 9, 9], -1, 1, 'float32', 4)
    const y1 = model.forward(state, x, { training: false }).output
    const y2 = model.forward(again, x, { training: false }).output
    expect(maxDiff(y1, y2)).toBe(0)
    expect(() => model.fromStateDict(new Map())).toThrow(/model state: 0\.weight: expected \d+ values for .*, got no tensor of that name/)
    tf.dispose([x, y1, y2])
    model.dispose(state)
    model.dispose(again)
  })

  it('updates BatchNorm running stats in training only and keeps them outside tidy', () => {
    const model = compile(smallNet())
    const state = model.init(0)
    const x = tf.randomNormal([4, 2, 9, 9], 1, 2, 'float32', 9)
    const ev = model.forward(state, x, { training: false })
    expect(ev.stats).toBe(state.stats)
    let stats = new Map<string, tf.Tensor>()
    tf.tidy(() => {
      stats = new Map(model.forward(state, x, { training: true }).stats)
    })
    expect([...stats.keys()].sort()).toEqual(['3.running_mean', '3.running_var'])
    const mean = stats.get('3.running_mean')!.dataSync()
    expect(mean.some((v) => v !== 0)).toBe(true)
    tf.dispose([x, ev.output, ...stats.values()])
    model.dispose(state)
  })

  it('applies dropout only in training, deterministically per seed', () => {
    const model = compile(graphOf(pipe(input([N, 50]), dropout({ p: 0.5 }))))
    const state = model.init(0)
    const x = tf.ones([4, 50])
    const run = (training: boolean, seed?: number) => model.forward(state, x, { training, seed }).output
    const ev = run(false)
    expect(maxDiff(ev, x)).toBe(0)
    const [a, b, c] = [run(true, 1), run(true, 1), run(true, 2)]
    expect(maxDiff(a, b)).toBe(0)
    expect(maxDiff(a, c)).toBeGreaterThan(0)
    const values = new Set(a.dataSync())
    expect([...values].sort()).toEqual([0, 2])
    tf.dispose([x, ev, a, b, c])
  })

  it('rejects inputs of the wrong shape or dtype with a ShapeError naming both shapes', () => {
    const model = compile(smallNet())
    const state = model.init(0)
    const bad = [tf.zeros([2, 3, 9, 9]), tf.zeros([2, 2, 9]), tf.zeros([2, 2, 9, 9], 'int32')]
    for (const x of bad) expect(() => model.forward(state, x, { training: false })).toThrow(ShapeError)
    expect(() => model.forward(state, bad[0], { training: false })).toThrow('model input: expected a float32 tensor of shape [N,2,9,9] (any batch size), got float32 [2,3,9,9]')
    expect(() => model.forward(state, bad[2], { training: false })).toThrow(/got int32 \[2,2,9,9\]/)
    const before = tf.memory().numTensors
    for (const n of [1, 5]) {
      const x = tf.zeros([n, 2, 9, 9])
      const { output } = model.forward(state, x, { training: false })
      expect(output.shape).toEqual([n, 3])
      tf.dispose([x, output])
    }
    expect(tf.memory().numTensors).toBe(before)
    tf.dispose(bad)
    model.dispose(state)
  })

  it('leaks no tensors in eval, training and gradients', () => {
    const model = compile(smallNet())
    const state = model.init(0)
    const x = tf.randomNormal([2, 2, 9, 9])
    const before = tf.memory().numTensors
    const { output } = model.forward(state, x, { training: false })
    output.dispose()
    const names = model.trainable.map((p) => p.name)
    const grads = tf.grads((...ps: tf.Tensor[]) => {
      const { output, stats } = model.forward({ params: new Map(names.map((n, i) => [n, ps[i]])), stats: state.stats }, x, { training: true })
      tf.dispose([...stats.values()])
      return tf.sum(output)
    })(names.map((n) => state.params.get(n)!))
    tf.dispose(grads)
    expect(tf.memory().numTensors).toBe(before)
    x.dispose()
    model.dispose(state)
  })
})
