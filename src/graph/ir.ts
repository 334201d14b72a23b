/**
 * The intermediate representation: a traced pipeline as a plain, inspectable graph of nodes with static shapes and
 * parameters. The runtime interprets it; summaries print it.
 * @module
 */
import type { Dim } from '../shape/dim.js'

/**
 * A pair of per-axis values `[height, width]`.
 * @category Advanced
 */
export type Pair = readonly [number, number]

/**
 * Explicit padding `[top, bottom, left, right]` (asymmetric only for `'same'` with an even effective window).
 * @category Advanced
 */
export type Padding4 = readonly [number, number, number, number]

/**
 * Layer operations and their parameters: one member per layer kind.
 * @category Advanced
 */
export type Op =
  | { readonly kind: 'input' }
  | {
      readonly kind: 'conv2d'
      readonly inChannels: number
      readonly out: number
      readonly kernel: Pair
      readonly stride: Pair
      readonly padding: Padding4
      readonly dilation: Pair
      readonly groups: number
      readonly bias: boolean
    }
  | { readonly kind: 'maxPool2d'; readonly kernel: Pair; readonly stride: Pair; readonly padding: Pair; readonly ceilMode: boolean }
  | {
      readonly kind: 'avgPool2d'
      readonly kernel: Pair
      readonly stride: Pair
      readonly padding: Pair
      readonly ceilMode: boolean
      readonly countIncludePad: boolean
    }
  | { readonly kind: 'adaptiveAvgPool2d'; readonly output: Pair }
  | { readonly kind: 'flatten' }
  | { readonly kind: 'linear'; readonly inFeatures: number; readonly out: number; readonly bias: boolean }
  | { readonly kind: 'relu' }
  | { readonly kind: 'sigmoid' }
  | { readonly kind: 'tanh' }
  | { readonly kind: 'softmax' }
  | { readonly kind: 'dropout'; readonly p: number }
  | { readonly kind: 'batchNorm2d'; readonly features: number; readonly eps: number; readonly momentum: number }
  | { readonly kind: 'batchNorm1d'; readonly features: number; readonly eps: number; readonly momentum: number }
  | { readonly kind: 'localResponseNorm'; readonly size: number; readonly alpha: number; readonly beta: number; readonly k: number }
  | { readonly kind: 'concat' }
  | { readonly kind: 'add' }
  | { readonly kind: 'identity' }

/**
 * The name of a layer kind, e.g. `'conv2d'`.
 * @category Advanced
 */
export type OpKind = Op['kind']

/**
 * The op of one kind: `OpOf<'conv2d'>`.
 * @category Advanced
 */
export type OpOf<K extends OpKind> = Extract<Op, { readonly kind: K }>

/**
 * What a parameter tensor is for; decides its initialiser and whether the optimizer trains it.
 * `runningMean`/`runningVar` are BatchNorm statistics (state, not trained).
 * @category Advanced
 */
export type ParamRole = 'weight' | 'bias' | 'bnWeight' | 'bnBias' | 'runningMean' | 'runningVar'

/**
 * A parameter or state tensor of a node, named as in a PyTorch state_dict (`layer1.0.conv1.weight`).
 * @category Advanced
 */
export interface ParamSpec {
  /** Full state_dict name. */
  readonly name: string
  /** Shape in PyTorch layout (OIHW for conv weights, [out, in] for linear weights). */
  readonly shape: readonly number[]
  /** Role, which decides init and training. */
  readonly role: ParamRole
  /** Fan-in used by PyTorch's default initialisation (in·kh·kw/groups for conv, in for linear). */
  readonly fanIn: number
}

/**
 * One node of the graph: an op applied to input nodes, with its static output shape.
 * @category Advanced
 */
export interface Node {
  /** Position in `graph.nodes`, which is execution order (inputs before users); `compile` checks both. */
  readonly id: number
  /** The op and its parameters. */
  readonly op: Op
  /** Input nodes, in argument order. */
  readonly inputs: readonly Node[]
  /** Static output shape, NCHW, with symbolic dims kept by name. */
  readonly shape: readonly Dim[]
  /** Module path as in PyTorch (`features.0`, `layer1.0.conv1`); parameter names are `path.weight` etc. */
  readonly path: string
  /** Parameters and state owned by this node. */
  readonly params: readonly ParamSpec[]
}

/**
 * A whole traced network: its nodes in execution order, from the input to the output.
 * @category Running
 */
export interface Graph {
  /** All nodes in execution order; `nodes[0]` is the input. */
  readonly nodes: readonly Node[]
  /** The input node. */
  readonly input: Node
  /** The output node. */
  readonly output: Node
}

/**
 * Number of elements of a concrete shape.
 * @category Advanced
 */
export function numel(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1)
}

/**
 * A BatchNorm running statistic: state carried by the model, not a trainable parameter.
 * @category Advanced
 */
export function isStatistic(p: ParamSpec): boolean {
  return p.role === 'runningMean' || p.role === 'runningVar'
}

/**
 * All trainable parameters of a graph (excluding BatchNorm running statistics), in execution order.
 * @category Advanced
 */
export function trainableParams(graph: Graph): ParamSpec[] {
  return graph.nodes.flatMap((n) => n.params.filter((p) => !isStatistic(p)))
}

/**
 * All parameter and state tensors of a graph, in execution order (the state_dict's order).
 * @category Advanced
 */
export function stateDictSpecs(graph: Graph): ParamSpec[] {
  return graph.nodes.flatMap((n) => n.params)
}

/**
 * Count of trainable parameters of one node.
 * @category Advanced
 */
export function nodeParamCount(node: Node): number {
  return node.params
    .filter((p) => !isStatistic(p))
    .reduce((sum, p) => sum + numel(p.shape), 0)
}
