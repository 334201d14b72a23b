/**
 * The interpreter: one small, obvious mapping from each IR node kind to its lowering on TensorFlow.js, run in NHWC.
 *
 * {@link plan} turns a {@link Graph} into a list of steps once; running a step is a closure call with its
 * attributes precomputed. Fusions: a conv/linear whose only consumer is a relu or sigmoid runs as one
 * `tf.fused.conv2d`/`tf.fused.matMul` with bias and activation (the activation node then passes its input through);
 * in training, as one custom-gradient op ({@link fusedConv2dTraining}, {@link fusedLinearTraining}) because tfjs
 * records the fused op's three parts separately while gradients are taken.
 *
 * The lowerings live by op family in ops/: conv.ts (conv2d), pool.ts (max, average, adaptive), norm.ts (BatchNorm,
 * local response norm; BatchNorm's training gradient in batchNormTraining.ts), dense.ts (linear, activations,
 * dropout, flatten, concat, add). Backend quirks are tfjs kernels registered for their backend (kernels/), never a
 * backend test here.
 * @module
 */
import type { Graph, Node } from '../graph/ir.js'
import type { fusedConv2dTraining, fusedLinearTraining } from './fusedTraining.js'
import type { ParamLayout } from './layout.js'
import { concreteDim, type Lowering, requiredParamName } from './lowering.js'
import { isDepthwise, lowerConv2d } from './ops/conv.js'
import { lowerActivation, lowerAdd, lowerConcat, lowerDropout, lowerFlatten, lowerLinear, passThrough } from './ops/dense.js'
import { lowerBatchNorm, lowerLocalResponseNorm } from './ops/norm.js'
import { lowerAdaptiveAvgPool2d, lowerAvgPool2d, lowerMaxPool2d } from './ops/pool.js'

export type { Lowering, RunContext, TensorMap } from './lowering.js'

/**
 * A planned step: a node, the ids of its inputs and its lowering.
 * @category Advanced
 */
export interface Step {
  readonly node: Node
  readonly inputs: readonly number[]
  readonly run: Lowering
}

/**
 * Options of `plan`.
 * @category Advanced
 */
export interface PlanOptions {
  /** Fuse bias + relu/sigmoid into conv/linear (default true; false is for testing the fusion). */
  readonly fuse?: boolean
}

/**
 * An executable plan of a graph: its steps, and the internal layout of every parameter.
 * @category Advanced
 */
export interface Plan {
  readonly steps: readonly Step[]
  readonly layouts: ReadonlyMap<string, ParamLayout>
  /** Number of consumers of each node (by id), the graph output counting as one more. */
  readonly uses: readonly number[]
}

/** Consumers of every node, by id. */
function consumersOf(graph: Graph): Node[][] {
  const consumers: Node[][] = graph.nodes.map(() => [])
  for (const n of graph.nodes) for (const i of n.inputs) consumers[i.id].push(n)
  return consumers
}

/**
 * Plans a graph: picks each node's lowering, the fusions and the parameter layouts.
 * @example
 * ```ts
 * const { steps } = plan(trace(lenet(), [N, 1, 28, 28]))
 * ```
 * @category Advanced
 */
export function plan(graph: Graph, options: PlanOptions = {}): Plan {
  const fuse = options.fuse ?? true
  const consumers = consumersOf(graph)
  const layouts = new Map<string, ParamLayout>()
  const fusedInto = new Set<number>() // activation nodes folded into their producer
  const nhwcFlatten = new Set<number>() // flatten nodes whose consumers are all linear layers

  for (const n of graph.nodes) {
    if (n.op.kind === 'flatten' && n.inputs[0].shape.length === 4 && n !== graph.output) {
      const cs = consumers[n.id]
      if (cs.length > 0 && cs.every((c) => c.op.kind === 'linear')) nhwcFlatten.add(n.id)
    }
  }

  const activationAfter = (n: Node): 'relu' | 'sigmoid' | undefined => {
    if (!fuse || n === graph.output) return undefined
    const cs = consumers[n.id]
    if (cs.length !== 1) return undefined
    const k = cs[0].op.kind
    return k === 'relu' || k === 'sigmoid' ? k : undefined
  }

  const steps: Step[] = graph.nodes.map((node): Step => {
    const inputs = node.inputs.map((i) => i.id)
    const op = node.op
    const step = (run: Lowering): Step => ({ node, inputs, run })
    for (const p of node.params) layouts.set(p.name, { kind: 'same' })
    switch (op.kind) {
      case 'input':
        return step(() => {
          throw new Error('internal: the input node is not run')
        })
      case 'conv2d': {
        const act = activationAfter(node)
        if (act !== undefined) fusedInto.add(consumers[node.id][0].id)
        layouts.set(requiredParamName(node, 'weight'), { kind: isDepthwise(op) ? 'depthwise' : 'convHwio' })
        return step(lowerConv2d(node, op, act ?? 'linear'))
      }
      case 'linear': {
        const act = activationAfter(node)
        if (act !== undefined) fusedInto.add(consumers[node.id][0].id)
        const src = node.inputs[0]
        const layout: ParamLayout =
          nhwcFlatten.has(src.id) && src.op.kind === 'flatten'
            ? { kind: 'linearAfterNhwcFlatten', chw: [concreteDim(src.inputs[0], 1), concreteDim(src.inputs[0], 2), concreteDim(src.inputs[0], 3)] }
            : { kind: 'linear' }
        layouts.set(requiredParamName(node, 'weight'), layout)
        return step(lowerLinear(node, op, act ?? 'linear'))
      }
      case 'relu':
      case 'sigmoid':
        return step(fusedInto.has(node.id) ? passThrough : lowerActivation(op.kind))
      case 'tanh':
      case 'softmax':
        return step(lowerActivation(op.kind))
      case 'identity':
        return step(passThrough)
      case 'dropout':
        return step(lowerDropout(node, op))
      case 'maxPool2d':
        return step(lowerMaxPool2d(node, op))
      case 'avgPool2d':
        return step(lowerAvgPool2d(node, op))
      case 'adaptiveAvgPool2d':
        return step(lowerAdaptiveAvgPool2d(node, op))
      case 'flatten':
        return step(lowerFlatten(node, nhwcFlatten.has(node.id)))
      case 'batchNorm2d':
      case 'batchNorm1d':
        return step(lowerBatchNorm(node, op))
      case 'localResponseNorm':
        return step(lowerLocalResponseNorm(op))
      case 'concat':
        return step(lowerConcat)
      case 'add':
        return step(lowerAdd)
    }
  })
  const uses = graph.nodes.map((n) => consumers[n.id].length + (n === graph.output ? 1 : 0))
  return { steps, layouts, uses }
}
