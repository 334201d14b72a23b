/**
 * What every op's lowering shares: the run context a planned step reads and writes, the {@link Lowering} type (one
 * node's computation on NHWC tensors), and parameter names and tensors looked up from the node's parameter specs.
 * @module
 */
import type * as tf from '@tensorflow/tfjs'
import { isNamed } from '../shape/dim.js'
import type { Node, ParamRole } from '../graph/ir.js'

/**
 * Tensors by state_dict name.
 * @category Advanced
 */
export type TensorMap = ReadonlyMap<string, tf.Tensor>

/**
 * What a step may read and write while the graph runs.
 * @category Advanced
 */
export interface RunContext {
  /** Training mode: batch statistics in BatchNorm, dropout active. */
  readonly training: boolean
  /** Dropout seed of this call. */
  readonly seed: number
  /** Trainable parameters (internal layout). */
  readonly params: TensorMap
  /** BatchNorm running statistics. */
  readonly stats: TensorMap
  /** Updated running statistics written by BatchNorm in training (kept: they outlive any enclosing tidy). */
  readonly newStats: Map<string, tf.Tensor>
}

/**
 * One node's computation on internal-layout (NHWC) inputs: what the interpreter lowers a node to.
 * @category Advanced
 */
export type Lowering = (inputs: readonly tf.Tensor[], ctx: RunContext) => tf.Tensor

/**
 * A node's concrete size on `axis` (the interpreter runs traced graphs, whose sizes are all concrete).
 * @category Advanced
 */
export const concreteDim = (node: Node, axis: number): number => {
  const d = node.shape[axis]
  if (isNamed(d)) throw new Error(`internal: ${node.path} has a symbolic dim on axis ${axis}`)
  return d
}

/**
 * The state_dict names of a node's parameters by role, read from the specs the layer declared when it was traced
 * (the one place names are made): `{ weight: 'features.0.weight', bias: 'features.0.bias' }`.
 * @category Advanced
 */
export function paramNames(node: Node): Partial<Record<ParamRole, string>> {
  return Object.fromEntries(node.params.map((p) => [p.role, p.name]))
}

/**
 * The name of the parameter of `role` that the node must have.
 * @category Advanced
 */
export function requiredParamName(node: Node, role: ParamRole): string {
  const name = paramNames(node)[role]
  if (name === undefined) throw new Error(`internal: ${node.path} (${node.op.kind}) declares no ${role} parameter`)
  return name
}

/**
 * A parameter or running statistic of the state by name.
 * @category Advanced
 */
export const paramTensor = (ctx: RunContext, name: string): tf.Tensor => {
  const t = ctx.params.get(name) ?? ctx.stats.get(name)
  if (t === undefined) throw new Error(`shapesafe: the model state has no tensor ${name}`)
  return t
}
