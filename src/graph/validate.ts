/**
 * Checking a {@link Graph} before it runs: {@link validateGraph} finds what would otherwise surface as a raw
 * `TypeError` or a TensorFlow.js error deep inside the interpreter (an empty graph, a node whose input is not in the
 * graph, an unknown op, nodes out of order or in a cycle, parameters that do not fit their layer, two parameters
 * with one name), and throws a {@link GraphError} naming the node, what it expected and what it found.
 *
 * Graphs made by `graphOf`/`trace` always pass; the checks are for graphs built or edited by hand (or read from
 * elsewhere), and they run once, in `compile`.
 * @module
 */
import { formatShape, isNamed, type Dim } from '../shape/dim.js'
import type { Graph, Node, OpKind, ParamRole, ParamSpec } from './ir.js'

/**
 * The node a {@link GraphError} is about: its position, module path and op kind, as far as they are known.
 * @category Running
 */
export interface GraphErrorNode {
  /** Position in `graph.nodes` (or the node's own id when it is not in the graph). */
  readonly id: number
  /** Module path (`features.0`). */
  readonly path: string
  /** Op kind (`conv2d`), as found on the node. */
  readonly op: string
}

/**
 * A graph that cannot run: names the node (id, path, op), what was expected and what was found.
 * @example
 * ```ts
 * declare const graph: Graph
 * try { compile(graph) } catch (e) { if (e instanceof GraphError) console.error(e.message) }
 * // graph node 3 (features.3, conv2d): features.3.weight: expected [16, 6, 5, 5], got [16, 3, 5, 5]
 * ```
 * @category Running
 */
export class GraphError extends Error {
  override readonly name = 'GraphError'
  constructor(
    /** The node at fault; `undefined` for a problem of the whole graph (no nodes). */
    readonly node: GraphErrorNode | undefined,
    /** What the graph should have. */
    readonly expected: string,
    /** What it has. */
    readonly actual: string,
  ) {
    super(`${node === undefined ? 'graph' : `graph node ${node.id} (${node.path === '' ? '(no path)' : node.path}, ${node.op})`}: expected ${expected}, got ${actual}`)
  }
}

/**
 * Number of inputs of each op kind (`'many'`: one or more). The one list of the op kinds the interpreter runs.
 * @category Running
 */
export const opArity: Readonly<Record<OpKind, number | 'many'>> = {
  input: 0,
  conv2d: 1,
  maxPool2d: 1,
  avgPool2d: 1,
  adaptiveAvgPool2d: 1,
  flatten: 1,
  linear: 1,
  relu: 1,
  sigmoid: 1,
  tanh: 1,
  softmax: 1,
  dropout: 1,
  batchNorm2d: 1,
  batchNorm1d: 1,
  localResponseNorm: 1,
  concat: 'many',
  add: 2,
  identity: 1,
}

const isOpKind = (kind: unknown): kind is OpKind => typeof kind === 'string' && Object.prototype.hasOwnProperty.call(opArity, kind)

/** A parameter a node must own: suffix of its name after the node's path, shape and role. */
interface ExpectedParam {
  readonly suffix: string
  readonly shape: readonly number[]
  readonly role: ParamRole
}

/** The parameters a node's op requires, in state_dict order. */
function expectedParams(node: Node): readonly ExpectedParam[] {
  const op = node.op
  switch (op.kind) {
    case 'conv2d':
      return [
        { suffix: 'weight', shape: [op.out, op.inChannels / op.groups, op.kernel[0], op.kernel[1]], role: 'weight' },
        ...(op.bias ? [{ suffix: 'bias', shape: [op.out], role: 'bias' as const }] : []),
      ]
    case 'linear':
      return [
        { suffix: 'weight', shape: [op.out, op.inFeatures], role: 'weight' },
        ...(op.bias ? [{ suffix: 'bias', shape: [op.out], role: 'bias' as const }] : []),
      ]
    case 'batchNorm2d':
    case 'batchNorm1d': {
      const c = [op.features]
      return [
        { suffix: 'weight', shape: c, role: 'bnWeight' },
        { suffix: 'bias', shape: c, role: 'bnBias' },
        { suffix: 'running_mean', shape: c, role: 'runningMean' },
        { suffix: 'running_var', shape: c, role: 'runningVar' },
      ]
    }
    default:
      return []
  }
}

const sameDims = (a: readonly Dim[], b: readonly Dim[]): boolean =>
  a.length === b.length && a.every((d, i) => (isNamed(d) && isNamed(b[i]) ? d.dimName === (b[i] as typeof d).dimName : d === b[i]))

/** A concrete dim equal to `n`, or a symbolic one (which cannot be decided here and is left to the input check). */
const fits = (d: Dim | undefined, n: number): boolean => d !== undefined && (isNamed(d) || d === n)

/**
 * Checks `graph` and throws a {@link GraphError} at the first problem, naming the node:
 * - at least one node; `nodes[0]` is `graph.input`, the only `input` node; `graph.output` is one of the nodes;
 * - every node's id is its position, its op kind is known, it has the op's number of inputs, and each input is a
 *   node of this graph that comes earlier (a later one is reported as out of order, or as a cycle when it depends
 *   on the node itself);
 * - each parameterised layer fits its input (conv2d input channels, linear input features, batchNorm2d channels, batchNorm1d features)
 *   and owns exactly the parameters its op needs, with the right names, roles and shapes; no two parameters share
 *   a name.
 * @example
 * ```ts
 * declare const graph: Graph
 * validateGraph(trace(lenet(), [N, 1, 28, 28])) // passes
 * validateGraph({ ...graph, nodes: [] })        // GraphError: graph: expected at least an input node, got no nodes
 * ```
 * @category Running
 */
export function validateGraph(graph: Graph): void {
  const nodes: readonly Node[] = Array.isArray(graph.nodes) ? graph.nodes : []
  if (nodes.length === 0) throw new GraphError(undefined, 'at least an input node', 'no nodes')
  const position = new Map<Node, number>()
  nodes.forEach((n, i) => position.set(n, i))
  const about = (n: Node, i?: number): GraphErrorNode => ({
    id: i ?? position.get(n) ?? (typeof n?.id === 'number' ? n.id : -1),
    path: typeof n?.path === 'string' ? n.path : '',
    op: String((n?.op as { kind?: unknown } | undefined)?.kind),
  })

  const first = nodes[0]
  if (graph.input === undefined || !position.has(graph.input))
    throw new GraphError(graph.input === undefined ? undefined : about(graph.input), 'graph.input to be a node of graph.nodes', 'a node outside the graph')
  if (first !== graph.input) throw new GraphError(about(first, 0), 'graph.input as nodes[0]', `node ${position.get(graph.input)} as the input`)
  if (graph.output === undefined || !position.has(graph.output))
    throw new GraphError(graph.output === undefined ? undefined : about(graph.output), 'graph.output to be a node of graph.nodes', 'a node outside the graph')

  /** Whether `from` depends on `target` through inputs (cycle-safe). */
  const dependsOn = (from: Node, target: Node): boolean => {
    const seen = new Set<Node>()
    const stack = [from]
    while (stack.length > 0) {
      const n = stack.pop()!
      if (n === target) return true
      if (seen.has(n)) continue
      seen.add(n)
      if (Array.isArray(n.inputs)) stack.push(...n.inputs)
    }
    return false
  }

  const paramNames = new Map<string, number>()
  nodes.forEach((node, i) => {
    const at = about(node, i)
    if (node === null || typeof node !== 'object') throw new GraphError(at, 'a node object', String(node))
    const kind: unknown = (node.op as { kind?: unknown } | undefined)?.kind
    if (!isOpKind(kind)) throw new GraphError(at, `a known op (${Object.keys(opArity).join(', ')})`, `op ${JSON.stringify(kind)}`)
    if (node.id !== i) throw new GraphError(at, `id ${i} (ids are positions in graph.nodes, as graphOf numbers them)`, `id ${node.id}`)
    if (node.op.kind === 'input' && i !== 0) throw new GraphError(at, 'one input node, nodes[0]', 'a second input node')
    const arity = opArity[node.op.kind]
    const inputs: readonly Node[] = Array.isArray(node.inputs) ? node.inputs : []
    if (arity === 'many' ? inputs.length < 1 : inputs.length !== arity)
      throw new GraphError(at, `${arity === 'many' ? 'at least 1' : arity} input${arity === 1 ? '' : 's'}`, `${inputs.length}`)
    for (const src of inputs) {
      const j = position.get(src)
      if (j === undefined)
        throw new GraphError(at, 'inputs that are nodes of this graph', `input ${about(src).path || '(no path)'} (${about(src).op}), which is not in graph.nodes`)
      if (j >= i) {
        if (dependsOn(src, node))
          throw new GraphError(at, 'an acyclic graph', `a cycle: its input node ${j} (${src.path}) depends on node ${i} itself`)
        throw new GraphError(at, `inputs before node ${i} (execution order)`, `input node ${j} (${src.path}), which comes later`)
      }
    }
    if (!Array.isArray(node.shape)) throw new GraphError(at, 'a shape', String(node.shape))
    checkLayerInputs(node, at)

    const params: readonly ParamSpec[] = Array.isArray(node.params) ? node.params : []
    for (const p of params) {
      const other = paramNames.get(p.name)
      if (other !== undefined)
        throw new GraphError(at, 'unique parameter names', `${p.name} also owned by node ${other} (${nodes[other].path})`)
      paramNames.set(p.name, i)
    }
    const wanted = expectedParams(node)
    const names = (ps: readonly { readonly name: string }[]) => ps.map((p) => p.name).join(', ') || 'none'
    const wantedNamed = wanted.map((w) => ({ ...w, name: `${node.path}.${w.suffix}` }))
    if (params.length !== wanted.length || wantedNamed.some((w, k) => params[k].name !== w.name))
      throw new GraphError(at, `parameters ${names(wantedNamed)}`, names(params))
    wantedNamed.forEach((w, k) => {
      const p = params[k]
      if (p.role !== w.role) throw new GraphError(at, `${w.name} with role ${w.role}`, `role ${p.role}`)
      if (!Array.isArray(p.shape) || !sameDims(p.shape, w.shape))
        throw new GraphError(at, `${w.name} of shape ${formatShape(w.shape)}`, Array.isArray(p.shape) ? formatShape(p.shape) : String(p.shape))
    })
  })
}

/** The checks of one layer against its input shapes that its parameters and the interpreter rely on. */
function checkLayerInputs(node: Node, at: GraphErrorNode): void {
  const op = node.op
  const shapes = node.inputs.map((i) => i.shape)
  const x = shapes[0]
  switch (op.kind) {
    case 'conv2d':
      if (x.length !== 4 || !fits(x[1], op.inChannels)) throw new GraphError(at, `an input [N, ${op.inChannels}, H, W]`, formatShape(x))
      if (!Number.isInteger(op.inChannels / op.groups) || !Number.isInteger(op.out / op.groups))
        throw new GraphError(at, `in and out channels divisible by groups ${op.groups}`, `${op.inChannels} in, ${op.out} out`)
      return
    case 'linear':
      if (x.length !== 2 || !fits(x[1], op.inFeatures)) throw new GraphError(at, `an input [N, ${op.inFeatures}]`, formatShape(x))
      return
    case 'batchNorm2d':
      if (x.length !== 4 || !fits(x[1], op.features)) throw new GraphError(at, `an input [N, ${op.features}, H, W]`, formatShape(x))
      return
    case 'batchNorm1d':
      if (x.length !== 2 || !fits(x[1], op.features)) throw new GraphError(at, `an input [N, ${op.features}]`, formatShape(x))
      return
    case 'maxPool2d':
    case 'avgPool2d':
    case 'adaptiveAvgPool2d':
    case 'localResponseNorm':
      if (x.length !== 4) throw new GraphError(at, 'a 4-D input [N, C, H, W]', formatShape(x))
      return
    case 'add':
      if (!sameDims(shapes[0], shapes[1])) throw new GraphError(at, 'two inputs of the same shape', `${formatShape(shapes[0])} and ${formatShape(shapes[1])}`)
      return
    case 'concat':
      if (shapes.some((s) => s.length !== x.length)) throw new GraphError(at, 'inputs of the same rank', shapes.map((s) => formatShape(s)).join(' and '))
      return
    default:
      return
  }
}
