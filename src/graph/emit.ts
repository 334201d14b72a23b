/**
 * Recording traced nodes, and the run-time shape errors that tracing raises. Shared by the layers and by the
 * graph's own merge ops (`add`, `concat`), so it lives in the graph layer.
 * @module
 */
import type { Dim } from '../shape/dim.js'
import { formatShape, isNamed } from '../shape/dim.js'
import type { Node, Op, ParamSpec } from './ir.js'
import { tensorOf, tracerOf, type Tensor } from './tensor.js'
import { ShapeError } from '../shape/errors.js'

export { ShapeError }

/**
 * Records one node for a layer applied to `inputs` and returns its output tensor.
 * @category Advanced
 */
export function emit(
  inputs: readonly Tensor[],
  op: Op,
  shape: readonly Dim[],
  opts: { readonly name?: string; readonly numbered?: boolean; readonly params?: (path: string) => readonly ParamSpec[] } = {},
): Tensor {
  const tracer = tracerOf(inputs[0])
  for (const t of inputs.slice(1)) {
    if (tracerOf(t) !== tracer) throw new ShapeError(op.kind, 'tensors traced from the same input', 'tensors from different inputs')
  }
  const path = opts.numbered === false && opts.name === undefined ? tracer.helperPath(op.kind) : tracer.childPath(opts.name)
  const nodes: Node[] = inputs.map((t) => t.node)
  const node = tracer.add(op, nodes, shape, path, opts.params?.(path) ?? [])
  return tensorOf(tracer, node)
}

/**
 * Asserts a runtime shape has the given rank; throws a {@link ShapeError} naming the layer.
 * @category Advanced
 */
export function expectRank(layer: string, shape: readonly Dim[], rank: number, what: string): void {
  if (shape.length !== rank) throw new ShapeError(layer, `a ${rank}-D ${what}`, `${formatShape(shape)}`, rankMessage(layer, shape, rank))
}

/**
 * The wrong-rank verdict, as the compile-time check words it (`RankFitsIn`/`ExpectRank` in src/layers/checks.ts):
 * `linear: expects [N, features], got [N,16,5,5] — flatten first`. The trace gives the same text, also where the
 * types leave the rank to it (a stand-alone `flow` that starts with `relu`).
 */
function rankMessage(layer: string, shape: readonly Dim[], rank: number): string {
  const got = formatShape(shape)
  if (rank === 2) {
    const hint = shape.length <= 1 ? '' : layer === 'batchNorm1d' ? ' — use batchNorm2d on [N, C, H, W]' : ' — flatten first'
    return `${layer}: expects [N, features], got ${got}${hint}`
  }
  if (rank === 4) {
    const hint =
      shape.length === 2
        ? layer === 'batchNorm2d'
          ? ' — use batchNorm1d on [N, features]'
          : ' — it needs an image batch; flatten and linear belong after the convolutions and pools'
        : shape.length === 3
          ? ' — add the batch dim N in front'
          : ''
    return `${layer}: expects [N, C, H, W], got ${got}${hint}`
  }
  return `${layer}: expected a ${rank}-D input, got ${got}`
}

/**
 * A concrete spatial size from a runtime dim, or a {@link ShapeError}.
 * @category Advanced
 */
export function concreteSize(layer: string, d: Dim, axis: string): number {
  if (isNamed(d)) throw new ShapeError(layer, `a concrete ${axis}`, `symbolic ${d.dimName}`)
  return d
}
