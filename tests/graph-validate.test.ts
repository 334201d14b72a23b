/**
 * The graph and the library API at their boundaries: graphs with unused branches, `compile`'s validation of hand-made
 * graphs (GraphError), `forward`'s check of the state and of disposed tensors (StateError, ShapeError), and
 * `fromStateDict` leaving no tensor behind when it refuses a state_dict.
 */
import * as tf from '@tensorflow/tfjs'
import { pipe } from 'fp-ts/lib/function.js'
import { beforeAll, describe, expect, it } from 'vitest'
import {
  add,
  conv2d,
  dropout,
  flatten,
  graphOf,
  GraphError,
  input,
  linear,
  N,
  relu,
  ShapeError,
  summarize,
  type Graph,
  type Node,
  type Tensor,
} from '../src/index.js'
import { compile, StateError } from '../src/runtime/model.js'
import { zoo } from '../src/zoo/registry.js'

beforeAll(async () => {
  await tf.setBackend('cpu')
})

/** The used path: named parameterised layers, so a graph with extra branches has the same state_dict names. */
const body = (x: Tensor<[N, 1, 4, 4]>) =>
  pipe(x, conv2d({ out: 2, kernel: 3, padding: 1, name: 'c' }), relu, flatten, dropout({ p: 0.5 }), linear({ out: 3, name: 'fc' }))

const reference = () => graphOf(body(input([N, 1, 4, 4])))

/** Output of `graph` on a fixed batch with init seed 7, in eval and in training mode (dropout seeded). */
function outputs(graph: Graph): { eval: number[]; train: number[] } {
  const model = compile(graph)
  const state = model.init(7)
  const x = tf.tensor(Float32Array.from({ length: 2 * 16 }, (_, i) => Math.sin(i)), [2, 1, 4, 4])
  const e = model.forward(state, x, { training: false })
  const t = model.forward(state, x, { training: true, seed: 3 })
  const result = { eval: [...e.output.dataSync()], train: [...t.output.dataSync()] }
  tf.dispose([x, e.output, t.output])
  model.dispose(state)
  return result
}

describe('graphOf with branches the output does not use', () => {
  const variants: Record<string, () => Graph> = {
    // The example: a conv on the input, traced before the used path.
    'before the used path (on the input)': () => {
      const x = input([N, 1, 4, 4])
      conv2d({ out: 2, kernel: 3, name: 'unused' })(x)
      return graphOf(body(x))
    },
    'in the middle (on an intermediate)': () => {
      const x = input([N, 1, 4, 4])
      const h = pipe(x, conv2d({ out: 2, kernel: 3, padding: 1, name: 'c' }), relu)
      pipe(h, conv2d({ out: 5, kernel: 1, name: 'side' }), relu)
      return graphOf(pipe(h, flatten, dropout({ p: 0.5 }), linear({ out: 3, name: 'fc' })))
    },
    'after the output (a layer applied to it)': () => {
      const y = body(input([N, 1, 4, 4]))
      relu(linear({ out: 4, name: 'after' })(y))
      return graphOf(y)
    },
    'several, with a residual sum among them': () => {
      const x = input([N, 1, 4, 4])
      const a = conv2d({ out: 1, kernel: 1, name: 'u1' })(x)
      add(a, x)
      const h = pipe(x, conv2d({ out: 2, kernel: 3, padding: 1, name: 'c' }), relu)
      conv2d({ out: 2, kernel: 1, name: 'u2' })(h)
      const f = flatten(h)
      linear({ out: 7, name: 'u3' })(f)
      return graphOf(pipe(f, dropout({ p: 0.5 }), linear({ out: 3, name: 'fc' })))
    },
  }

  for (const [where, build] of Object.entries(variants)) {
    it(`runs like the graph without the branch: ${where}`, () => {
      const graph = build()
      const ref = reference()
      expect(graph.nodes.map((n) => n.id)).toEqual(graph.nodes.map((_, i) => i))
      expect(graph.nodes.map((n) => n.op.kind)).toEqual(ref.nodes.map((n) => n.op.kind))
      expect(graph.nodes.every((n) => n.inputs.every((i) => graph.nodes.indexOf(i) >= 0 && graph.nodes.indexOf(i) < n.id))).toBe(true)
      expect(graph.output).toBe(graph.nodes.at(-1))
      expect(graph.input).toBe(graph.nodes[0])
      expect(summarize(graph, 'x').layers.map((l) => l.type)).toEqual(summarize(ref, 'x').layers.map((l) => l.type))
      const before = tf.memory().numTensors
      expect(outputs(graph)).toEqual(outputs(ref))
      expect(tf.memory().numTensors).toBe(before)
    })
  }
})

/** A graph edited by hand: `edit` receives a copy of the reference graph's nodes (plain mutable objects). */
function edited(edit: (nodes: Node[]) => Partial<Graph> | void): Graph {
  const ref = reference()
  const copies = new Map<Node, Node>()
  const nodes = ref.nodes.map((n) => {
    const copy = { ...n, inputs: n.inputs.map((i) => copies.get(i)!), params: n.params.map((p) => ({ ...p })) }
    copies.set(n, copy)
    return copy
  })
  const graph: Graph = { nodes, input: nodes[0], output: nodes.at(-1)! }
  return { ...graph, ...(edit(nodes) ?? {}) }
}

const mutable = <T>(x: T): { -readonly [K in keyof T]: T[K] } => x as { -readonly [K in keyof T]: T[K] }

/** Compiling `graph` throws a GraphError; returns it. */
function graphError(graph: Graph): GraphError {
  const before = tf.memory().numTensors
  try {
    compile(graph)
  } catch (e) {
    expect(e).toBeInstanceOf(GraphError)
    expect(tf.memory().numTensors).toBe(before)
    return e as GraphError
  }
  throw new Error('compile accepted the graph')
}

describe('compile validates the graph once, naming the node', () => {
  it('accepts every traced graph of the zoo', () => {
    for (const name of ['lenet', 'resnet-small', 'nin-small'] as const) {
      const entry = zoo[name]
      expect(() => compile(entry.graph({ input: entry.defaultInput, classes: 10 }))).not.toThrow()
    }
  })

  it('an empty graph', () => {
    const e = graphError(edited(() => ({ nodes: [] })))
    expect(e.node).toBeUndefined()
    expect(e.message).toBe('graph: expected at least an input node, got no nodes')
  })

  it('an input outside the graph (of a node, of the graph, the output)', () => {
    const stranger = reference().nodes[1]
    const e = graphError(edited((ns) => void (mutable(ns[3]).inputs = [stranger])))
    expect(e.node).toEqual({ id: 3, path: ns3Path(), op: 'flatten' })
    expect(e.expected).toBe('inputs that are nodes of this graph')
    expect(e.actual).toBe('input c (conv2d), which is not in graph.nodes')
    expect(graphError(edited(() => ({ input: reference().input }))).message).toMatch(
      /^graph node 0 \(input, input\): expected graph\.input to be a node of graph\.nodes, got a node outside the graph$/,
    )
    expect(graphError(edited(() => ({ output: reference().output }))).expected).toBe('graph.output to be a node of graph.nodes')
  })

  it('an unknown op, and a wrong number of inputs', () => {
    const e = graphError(edited((ns) => void (mutable(ns[2]).op = { kind: 'gelu' } as never)))
    expect(e.node).toMatchObject({ id: 2, op: 'gelu' })
    expect(e.actual).toBe('op "gelu"')
    expect(e.expected).toMatch(/^a known op \(input, conv2d, /)
    const arity = graphError(edited((ns) => void (mutable(ns[2]).inputs = [ns[1], ns[0]])))
    expect(arity.message).toMatch(/^graph node 2 \(.*, relu\): expected 1 input, got 2$/)
  })

  it('nodes out of order, and ids that are not positions', () => {
    const e = graphError(
      edited((ns) => {
        const [a, b] = [ns[2], ns[3]]
        ns[2] = { ...b, id: 2 }
        ns[3] = { ...a, id: 3 }
        mutable(ns[2]).inputs = [ns[3]]
        mutable(ns[4]).inputs = [ns[2]]
      }),
    )
    expect(e.node).toMatchObject({ id: 2, op: 'flatten' })
    expect(e.expected).toBe('inputs before node 2 (execution order)')
    expect(e.actual).toMatch(/^input node 3 \(.*\), which comes later$/)
    const ids = graphError(edited((ns) => void (mutable(ns[4]).id = 9)))
    expect(ids.message).toMatch(/^graph node 4 \(.*, dropout\): expected id 4 \(ids are positions in graph\.nodes, as graphOf numbers them\), got id 9$/)
  })

  it('a cycle', () => {
    const e = graphError(edited((ns) => void (mutable(ns[2]).inputs = [ns[3]])))
    expect(e.node).toMatchObject({ id: 2, op: 'relu' })
    expect(e.expected).toBe('an acyclic graph')
    expect(e.actual).toMatch(/^a cycle: its input node 3 \(.*\) depends on node 2 itself$/)
    const self = graphError(edited((ns) => void (mutable(ns[1]).inputs = [ns[1]])))
    expect(self.expected).toBe('an acyclic graph')
  })

  it('parameter shapes and layer inputs that do not fit', () => {
    const weight = graphError(edited((ns) => void (mutable(ns[1].params[0]).shape = [2, 3, 3, 3])))
    expect(weight.message).toBe('graph node 1 (c, conv2d): expected c.weight of shape [2,1,3,3], got [2,3,3,3]')
    const bias = graphError(edited((ns) => void (mutable(ns[5].params[1]).shape = [4])))
    expect(bias.message).toBe('graph node 5 (fc, linear): expected fc.bias of shape [3], got [4]')
    const missing = graphError(edited((ns) => void (mutable(ns[5]).params = ns[5].params.slice(0, 1))))
    expect(missing.message).toBe('graph node 5 (fc, linear): expected parameters fc.weight, fc.bias, got fc.weight')
    const features = graphError(edited((ns) => void (mutable(ns[5]).op = { kind: 'linear', inFeatures: 31, out: 3, bias: true })))
    expect(features.message).toBe('graph node 5 (fc, linear): expected an input [N, 31], got [N,32]')
    const channels = graphError(edited((ns) => void (mutable(ns[1]).op = { ...(ns[1].op as object), inChannels: 2 } as never)))
    expect(channels.message).toBe('graph node 1 (c, conv2d): expected an input [N, 2, H, W], got [N,1,4,4]')
  })

  it('duplicate parameter names (two layers given the same name)', () => {
    const x = input([N, 1, 4, 4])
    const graph = graphOf(pipe(x, conv2d({ out: 1, kernel: 1, name: 'same' }), conv2d({ out: 1, kernel: 1, name: 'same' })))
    const e = graphError(graph)
    expect(e.message).toBe('graph node 2 (same, conv2d): expected unique parameter names, got same.weight also owned by node 1 (same)')
  })
})

function ns3Path(): string {
  return reference().nodes[3].path
}

describe('forward checks the state and its tensors', () => {
  const lenet = (classes: number, channels = 1) => compile(zoo.lenet.graph({ input: [1, channels, 28, 28], classes }))
  const batch = () => tf.zeros([2, 1, 28, 28])

  const stateError = (run: () => unknown): StateError => {
    try {
      run()
    } catch (e) {
      expect(e).toBeInstanceOf(StateError)
      return e as StateError
    }
    throw new Error('expected a StateError')
  }

  it('a 5-class state on a 10-class graph names the parameter, expected and actual (PyTorch layout)', () => {
    const ten = lenet(10)
    const five = lenet(5)
    const state = five.init(0)
    const x = batch()
    const before = tf.memory().numTensors
    const e = stateError(() => ten.forward(state, x, { training: false }))
    expect(e.message).toBe('model state: 11.weight: expected a float32 tensor [10,84], got float32 [5,84]')
    expect(stateError(() => ten.forward(state, x, { training: true })).tensor).toBe('11.weight')
    expect(stateError(() => ten.toStateDict(state)).tensor).toBe('11.weight')
    expect(tf.memory().numTensors).toBe(before)
    five.dispose(state)
    x.dispose()
  })

  it('a conv weight of another shape, and a missing tensor', () => {
    const rgb = lenet(10, 3).init(0)
    const x = batch()
    expect(stateError(() => lenet(10).forward(rgb, x, { training: false })).message).toBe(
      'model state: 0.weight: expected a float32 tensor [6,1,5,5], got float32 [6,3,5,5]',
    )
    lenet(10, 3).dispose(rgb)
    const model = lenet(10)
    const state = model.init(0)
    const params = new Map(state.params)
    params.get('3.bias')!.dispose()
    params.delete('3.bias')
    expect(stateError(() => model.forward({ params, stats: state.stats }, x, { training: false })).message).toBe(
      'model state: 3.bias: expected a float32 tensor [16], got no such tensor in the state',
    )
    model.dispose({ params, stats: state.stats })
    x.dispose()
  })

  it('a disposed state tensor or input is named, not "reading \'backend\'"', () => {
    const model = lenet(10)
    const state = model.init(0)
    const x = batch()
    state.params.get('0.bias')!.dispose()
    expect(stateError(() => model.forward(state, x, { training: false })).message).toBe(
      'model state: 0.bias: expected a float32 tensor [6], got a disposed tensor',
    )
    expect(stateError(() => model.toStateDict(state)).actual).toBe('a disposed tensor')
    model.dispose(state)
    const fresh = model.init(0)
    x.dispose()
    let error: unknown
    try {
      model.forward(fresh, x, { training: false })
    } catch (e) {
      error = e
    }
    expect(error).toBeInstanceOf(ShapeError)
    expect((error as Error).message).toBe('model input: expected a float32 tensor of shape [1,1,28,28] (any batch size), got a disposed tensor (shape [2,1,28,28])')
    model.dispose(fresh)
  })
})

describe('fromStateDict refuses without leaking', () => {
  const model = compile(zoo.lenet.graph({ input: [1, 1, 28, 28], classes: 10 }))
  const values = () => {
    const state = model.init(0)
    const dict = new Map([...model.toStateDict(state)].map(([k, v]) => [k, v.data]))
    model.dispose(state)
    return dict
  }

  it('a missing tensor (first, middle, last) or a wrong-size one leaves numTensors flat', () => {
    const names = [...values().keys()]
    const cases: [string, (d: Map<string, Float32Array>) => void, RegExp][] = [
      ['first missing', (d) => d.delete(names[0]), /^model state: 0\.weight: expected 150 values for \[6,1,5,5\], got no tensor of that name$/],
      ['middle missing', (d) => d.delete(names[5]), new RegExp(`^model state: ${names[5].replace('.', '\\.')}: expected .* got no tensor of that name$`)],
      ['last missing', (d) => d.delete(names.at(-1)!), /^model state: 11\.bias: expected 10 values for \[10\], got no tensor of that name$/],
      ['last wrong size', (d) => d.set(names.at(-1)!, new Float32Array(5)), /^model state: 11\.bias: expected 10 values for \[10\], got 5 values$/],
    ]
    for (const [what, edit, message] of cases) {
      const dict = values()
      edit(dict)
      const before = tf.memory().numTensors
      expect(() => model.fromStateDict(dict), what).toThrow(message)
      expect(tf.memory().numTensors, what).toBe(before)
    }
    const ok = model.fromStateDict(values())
    model.dispose(ok)
  })
})
