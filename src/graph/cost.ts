/**
 * The static cost of a traced graph, computed from its shapes alone (nothing runs): per layer the forward
 * multiply-accumulates, the trainable parameters and the bytes of its output; per net the totals.
 *
 * MACs follow the convention of torchvision's published "GFLOPS" (its weights metadata `_ops`, one multiply-add
 * counted as one): only convolutions and linear layers count, `N·Cout·Ho·Wo·(Cin/groups)·kh·kw` and `N·in·out`,
 * without their bias additions; BatchNorm, pooling, activations, additions and concatenations count zero (which is why
 * torchvision lists the same figure for vgg11 and vgg11_bn). A dilated convolution counts its nominal taps.
 *
 * @module
 */
import { isNamed, type Dim } from '../shape/dim.js'
import type { Graph, Node } from './ir.js'
import { nodeParamCount, numel } from './ir.js'

/**
 * Bytes of one float32 value: every tensor of the runtime is float32.
 * @category Running
 */
export const FLOAT32_BYTES = 4

/**
 * The cost of one node for a concrete batch.
 * @category Running
 */
export interface NodeCost {
  /** Forward multiply-accumulates (conv2d and linear only; see the module comment). */
  readonly macs: number
  /** Trainable parameters (BatchNorm running statistics excluded). */
  readonly params: number
  /** Bytes of the node's output, float32. */
  readonly outputBytes: number
}

/**
 * A node's output shape with every symbolic dim (the batch `N`) replaced by `batch`.
 *
 * @example
 * ```ts
 * concreteShape([N, 3, 224, 224], 8) // [8, 3, 224, 224]
 * ```
 * @category Running
 */
export function concreteShape(shape: readonly Dim[], batch: number): number[] {
  return shape.map((d) => (isNamed(d) ? batch : d))
}

/**
 * Forward multiply-accumulates of one node at batch `batch` (a symbolic batch dim takes this value; a concrete one is
 * used as it is).
 *
 * @example
 * ```ts
 * const graph = zoo.resnet18.graph({ input: [1, 3, 224, 224], classes: 1000 })
 * // conv1: 3→64, 7×7, stride 2 on 224² → 64×112×112: 112·112·64·3·49
 * nodeMacs(graph.nodes[1]) // 118013952
 * ```
 * @category Running
 */
export function nodeMacs(node: Node, batch = 1): number {
  const op = node.op
  const out = numel(concreteShape(node.shape, batch))
  switch (op.kind) {
    case 'conv2d':
      return out * (op.inChannels / op.groups) * op.kernel[0] * op.kernel[1]
    case 'linear':
      return out * op.inFeatures
    default:
      return 0
  }
}

/**
 * The cost of every node of `graph` at batch `batch`, indexed by node id.
 *
 * @example
 * ```ts
 * const costs = nodeCosts(zoo.resnet18.graph({ input: [1, 3, 224, 224], classes: 1000 }))
 * ```
 * @category Running
 */
export function nodeCosts(graph: Graph, batch = 1): NodeCost[] {
  return graph.nodes.map((n) => ({
    macs: nodeMacs(n, batch),
    params: nodeParamCount(n),
    outputBytes: numel(concreteShape(n.shape, batch)) * FLOAT32_BYTES,
  }))
}

/**
 * The totals of a graph's cost.
 * @category Running
 */
export interface GraphCost {
  /** Forward multiply-accumulates for the whole input (batch included). */
  readonly macs: number
  /** Trainable parameters. */
  readonly params: number
  /** Sum of every layer's output bytes (the input excluded): what a forward pass writes. */
  readonly activationBytes: number
}

/**
 * Forward MACs, parameters and activation bytes of a whole graph at batch `batch`.
 *
 * @example
 * ```ts
 * graphCost(zoo.resnet50.graph({ input: [1, 3, 224, 224], classes: 1000 })).macs // 4,089,184,256
 * ```
 * @category Running
 */
export function graphCost(graph: Graph, batch = 1): GraphCost {
  let macs = 0
  let params = 0
  let activationBytes = 0
  for (const [i, c] of nodeCosts(graph, batch).entries()) {
    macs += c.macs
    params += c.params
    if (graph.nodes[i].op.kind !== 'input' && graph.nodes[i].op.kind !== 'identity') activationBytes += c.outputBytes
  }
  return { macs, params, activationBytes }
}

/**
 * A byte count for people: `1.5 GiB`, `312 MiB`, `4.0 KiB` (binary units, three significant digits).
 *
 * @example
 * ```ts
 * formatBytes(5.3 * 2 ** 30) // '5.3 GiB'
 * ```
 * @category Running
 */
export function formatBytes(bytes: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB']
  let v = bytes
  let u = 0
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024
    u++
  }
  const digits = u === 0 || v >= 100 ? 0 : v >= 10 ? 1 : 2
  return `${v.toFixed(digits)} ${units[u]}`
}

/**
 * A MAC count for people: `1.81 G`, `725 M`, `61.5 k` (decimal units, three significant digits).
 *
 * @example
 * ```ts
 * formatMacs(1_814_083_944) // '1.81 G'
 * ```
 * @category Running
 */
export function formatMacs(macs: number): string {
  const units: [number, string][] = [[1e12, 'T'], [1e9, 'G'], [1e6, 'M'], [1e3, 'k']]
  for (const [scale, unit] of units) {
    if (macs >= scale) {
      const v = macs / scale
      return `${v.toFixed(v >= 100 ? 0 : v >= 10 ? 1 : 2)} ${unit}`
    }
  }
  return String(macs)
}
