/**
 * Turning a traced output tensor (or a network function and an input shape) into a {@link Graph}.
 * @module
 */
import type { Shape } from '../shape/dim.js'
import type { Graph, Node } from './ir.js'
import { input } from './input.js'
import type { Tensor } from './tensor.js'
import { tracerOf } from './tensor.js'

/**
 * The graph that computes `output`: every node it depends on, in execution order.
 * @example
 * ```ts
 * const y = pipe(input([N, 1, 28, 28]), lenet())
 * const graph = graphOf(y) // graph.nodes[0] is the input
 * ```
 * @category Running
 */
export function graphOf(output: Tensor): Graph {
  const all = tracerOf(output).nodes
  const needed = new Set<Node>()
  const stack: Node[] = [output.node]
  while (stack.length > 0) {
    const n = stack.pop()!
    if (needed.has(n)) continue
    needed.add(n)
    stack.push(...n.inputs)
  }
  const { nodes, renamed } = renumber(all.filter((n) => needed.has(n)))
  const inputs = nodes.filter((n) => n.op.kind === 'input')
  if (inputs.length !== 1) throw new Error(`graphOf: expected one input, found ${inputs.length}`)
  return { nodes, input: inputs[0], output: renamed.get(output.node) ?? output.node }
}

/**
 * The nodes with ids equal to their positions (what {@link Node.id} promises): a traced branch the output does not
 * use leaves a gap in the tracer's numbering, so the nodes after it are copied with new ids and inputs. Nodes whose
 * id and inputs are already right are kept as they are.
 */
function renumber(traced: readonly Node[]): { nodes: Node[]; renamed: ReadonlyMap<Node, Node> } {
  const renamed = new Map<Node, Node>()
  const nodes = traced.map((n, id) => {
    const inputs = n.inputs.map((i) => renamed.get(i) ?? i)
    if (n.id === id && inputs.every((i, k) => i === n.inputs[k])) return n
    const copy: Node = Object.freeze({ ...n, id, inputs: Object.freeze(inputs) })
    renamed.set(n, copy)
    return copy
  })
  return { nodes, renamed }
}

/**
 * Traces `net` on a symbolic input of `shape` and returns its graph.
 * @example
 * ```ts
 * const graph = trace(lenet(), [N, 1, 28, 28])
 * ```
 * @category Running
 */
export function trace<const S extends Shape>(net: (x: Tensor<S>) => Tensor, shape: S): Graph {
  return graphOf(net(input(shape)))
}
