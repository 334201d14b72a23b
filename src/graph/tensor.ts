/**
 * Symbolic tensors: the values a pipeline is traced with. A `Tensor<S>` carries its shape `S` in its type and the
 * graph node that produced it at run time.
 * @module
 */
import type { Dim, Shape } from '../shape/dim.js'
import { formatShape } from '../shape/dim.js'
import type { Node, Op, ParamSpec } from './ir.js'

/** Internal: the graph under construction that a tensor belongs to. */
const tracerKey: unique symbol = Symbol('shapesafe.tracer')

interface Scope {
  readonly path: string
  counter: number
}

/**
 * Records nodes and the current module-path scope while a pipeline is traced.
 * @category Shape types
 */
export class Tracer {
  /** Nodes in execution order. */
  readonly nodes: Node[] = []
  private readonly scopes: Scope[] = [{ path: '', counter: 0 }]

  private pendingName: string | undefined

  /** Full path of the next child of the current scope: its explicit name, or the next index as in `nn.Sequential`. */
  childPath(name?: string): string {
    const scope = this.scopes[this.scopes.length - 1]
    const forced = this.pendingName
    this.pendingName = undefined
    const local = name ?? forced ?? String(scope.counter++)
    return scope.path === '' ? local : `${scope.path}.${local}`
  }

  /** Path for an unnumbered helper node (concat, add): the scope's path plus the kind. */
  helperPath(kind: string): string {
    const scope = this.scopes[this.scopes.length - 1]
    return scope.path === '' ? kind : `${scope.path}.${kind}`
  }

  /** Runs `body` inside a child scope. */
  within<T>(name: string | undefined, body: () => T): T {
    const path = this.childPath(name)
    this.scopes.push({ path, counter: 0 })
    try {
      return body()
    } finally {
      this.scopes.pop()
    }
  }

  /** Runs `body` with the next child (leaf or scope) named `name`. */
  withNextName<T>(name: string, body: () => T): T {
    this.pendingName = name
    try {
      return body()
    } finally {
      this.pendingName = undefined
    }
  }

  /** Appends a node and returns it. */
  add(op: Op, inputs: readonly Node[], shape: readonly Dim[], path: string, params: readonly ParamSpec[]): Node {
    const node: Node = Object.freeze({ id: this.nodes.length, op, inputs, shape: Object.freeze([...shape]), path, params })
    this.nodes.push(node)
    return node
  }
}

/**
 * A symbolic tensor of shape `S` (NCHW). Layers take and return these; hovering one in an editor shows its shape,
 * e.g. `Tensor<[N, 96, 54, 54]>`.
 *
 * `S` may hold more than dims: a result whose check could only be decided where a generic function is applied
 * carries its verdict as a `⛔` dim (an `InvalidDim`: `Tensor<[N, 8, ⛔ add: …, 16]>`). Every layer and consumer
 * takes `Tensor<S extends Shape>`, so such a tensor is refused, with the verdict, wherever it is used next.
 * @category Shape types
 */
export interface Tensor<S extends readonly unknown[] = Shape> {
  /** The static shape, as a runtime value too. */
  readonly shape: S
  /** The graph node that produced this tensor. */
  readonly node: Node
  /** @internal */
  readonly [tracerKey]: Tracer
}

/**
 * Wraps a node as a tensor of the given tracer.
 * @category Shape types
 */
export function tensorOf<S extends Shape>(tracer: Tracer, node: Node): Tensor<S> {
  return Object.freeze({ shape: node.shape as S, node, [tracerKey]: tracer })
}

/**
 * The tracer a tensor belongs to.
 * @category Shape types
 */
export function tracerOf(x: Tensor): Tracer {
  const t = (x as Partial<Tensor>)?.[tracerKey]
  if (t === undefined) {
    throw new TypeError(`shapesafe: expected a traced Tensor (from input(...)), got ${describe(x)}`)
  }
  return t
}

function describe(x: unknown): string {
  if (x === null || typeof x !== 'object') return String(x)
  const shape = (x as { shape?: unknown }).shape
  return Array.isArray(shape) ? `an object with shape ${formatShape(shape as Dim[])}` : 'an object'
}
