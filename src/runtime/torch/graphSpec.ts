/**
 * A traced {@link Graph} as the native engine's input: each node's op kind, its inputs by position, its numeric
 * attributes in a fixed order and its parameters by state_dict name. The attribute order of each op is the contract
 * with native/torch/engine.cc (one home for it: this file; the C++ side comments each op's order).
 * @module
 */
import type { Graph, Node, ParamRole } from '../../graph/ir.js'

/**
 * One node as the native engine reads it.
 * @category Running
 */
export interface NativeNode {
  readonly kind: string
  /** Positions of the input nodes in the node list (always earlier positions). */
  readonly inputs: readonly number[]
  /** Numeric attributes in the op's fixed order (booleans as 0/1). */
  readonly attrs: readonly number[]
  /** State dict names of the node's tensors, in the op's parameter order. */
  readonly params: readonly string[]
}

/**
 * The graph in the native engine's form.
 * @category Running
 */
export interface NativeGraph {
  readonly nodes: readonly NativeNode[]
  /** Position of the output node. */
  readonly output: number
}

const b = (v: boolean): number => (v ? 1 : 0)

/** The parameter names of a node in the order the native op takes them. */
function paramOrder(node: Node): string[] {
  const byRole = (...roles: ParamRole[]): string[] =>
    roles.flatMap((role) => node.params.filter((p) => p.role === role).map((p) => p.name))
  return byRole('weight', 'bnWeight', 'bias', 'bnBias', 'runningMean', 'runningVar')
}

/** The numeric attributes of an op, in the order native/torch/engine.cc reads them. */
function attributes(node: Node): number[] {
  const op = node.op
  switch (op.kind) {
    case 'conv2d':
      return [...op.kernel, ...op.stride, ...op.padding, ...op.dilation, op.groups, b(op.bias)]
    case 'maxPool2d':
      return [...op.kernel, ...op.stride, ...op.padding, b(op.ceilMode)]
    case 'avgPool2d':
      return [...op.kernel, ...op.stride, ...op.padding, b(op.ceilMode), b(op.countIncludePad)]
    case 'adaptiveAvgPool2d':
      return [...op.output]
    case 'linear':
      return [b(op.bias)]
    case 'dropout':
      return [op.p]
    case 'batchNorm1d':
    case 'batchNorm2d':
      return [op.eps, op.momentum]
    case 'localResponseNorm':
      return [op.size, op.alpha, op.beta, op.k]
    case 'input':
    case 'flatten':
    case 'relu':
    case 'sigmoid':
    case 'tanh':
    case 'softmax':
    case 'concat':
    case 'add':
    case 'identity':
      return []
  }
}

/**
 * The native engine's form of a graph. Nodes keep their execution order; inputs become positions in it.
 * @category Running
 */
export function nativeGraph(graph: Graph): NativeGraph {
  const position = new Map(graph.nodes.map((n, i) => [n, i]))
  const at = (n: Node): number => {
    const i = position.get(n)
    if (i === undefined) throw new Error(`node ${n.path || n.op.kind} is not in the graph`)
    return i
  }
  return {
    nodes: graph.nodes.map((node) => ({
      kind: node.op.kind,
      inputs: node.inputs.map(at),
      attrs: attributes(node),
      params: paramOrder(node),
    })),
    output: at(graph.output),
  }
}
