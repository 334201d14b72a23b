/**
 * Model summaries: the leaf layers of a traced graph with their output shapes and parameter counts, as a plain
 * value (for `--json`) and as a table like torchinfo/Keras and the seed's `print(layer, 'output shape:', X.shape)`.
 * @module
 */
import { concreteShape, formatBytes, formatMacs, nodeCosts } from './cost.js'
import type { Graph, OpKind } from './ir.js'

/**
 * One leaf layer of a summary.
 * @category Running
 */
export interface SummaryLayer {
  /** Module path as in PyTorch (`features.0`, `layer1.0.conv1`); functional ops get `<scope>.concat` etc. */
  readonly path: string
  /** Layer kind (`conv2d`, `relu`, …). */
  readonly kind: OpKind
  /** Output shape, with the batch as a number. */
  readonly shape: number[]
  /** Trainable parameters of this layer (BatchNorm running statistics excluded, as PyTorch's `parameters()`). */
  readonly params: number
  /** Forward multiply-accumulates of this layer for the whole input (conv2d and linear; see graph/cost.ts). */
  readonly macs: number
  /** Bytes of this layer's output (float32), for the whole input. */
  readonly outputBytes: number
}

/**
 * A network's summary: input and output shapes, total trainable parameters, and its leaf layers in execution order.
 * @category Running
 */
export interface Summary {
  /** Model name. */
  readonly model: string
  /** Input shape `[N, C, H, W]`. */
  readonly input: number[]
  /** Output shape. */
  readonly output: number[]
  /** Total trainable parameters. */
  readonly params: number
  /** Forward multiply-accumulates for the whole input, batch included (torchvision's GFLOPS convention). */
  readonly macs: number
  /** Sum of the layers' output bytes (float32): what one forward pass writes. */
  readonly activationBytes: number
  /** Leaf layers in execution order (no input node, no identities). */
  readonly layers: SummaryLayer[]
}

/**
 * Summarises a traced graph: shapes, parameters, MACs and output bytes per layer and in total. A symbolic dim (the
 * batch `N`) takes the value `batch` (default 1).
 * @example
 * ```ts
 * const s = summarize(zoo.alexnet.graph({ input: [1, 1, 224, 224], classes: 10 }), 'alexnet')
 * s.params // 46764746
 * s.macs   // 938146176
 * ```
 * @category Running
 */
export function summarize(graph: Graph, modelName: string, options: { readonly batch?: number } = {}): Summary {
  const batch = options.batch ?? 1
  const costs = nodeCosts(graph, batch)
  const layers = graph.nodes
    .filter((n) => n.op.kind !== 'input' && n.op.kind !== 'identity')
    .map((n) => ({
      path: n.path,
      kind: n.op.kind,
      shape: concreteShape(n.shape, batch),
      params: costs[n.id].params,
      macs: costs[n.id].macs,
      outputBytes: costs[n.id].outputBytes,
    }))
  return {
    model: modelName,
    input: concreteShape(graph.input.shape, batch),
    output: concreteShape(graph.output.shape, batch),
    params: layers.reduce((sum, l) => sum + l.params, 0),
    macs: layers.reduce((sum, l) => sum + l.macs, 0),
    activationBytes: layers.reduce((sum, l) => sum + l.outputBytes, 0),
    layers,
  }
}

/** PyTorch class names, so the table reads like the seed's prints (`Conv2d output shape: ...`). */
const torchNames: Readonly<Record<OpKind, string>> = {
  input: 'Input',
  conv2d: 'Conv2d',
  maxPool2d: 'MaxPool2d',
  avgPool2d: 'AvgPool2d',
  adaptiveAvgPool2d: 'AdaptiveAvgPool2d',
  flatten: 'Flatten',
  linear: 'Linear',
  relu: 'ReLU',
  sigmoid: 'Sigmoid',
  tanh: 'Tanh',
  softmax: 'Softmax',
  dropout: 'Dropout',
  batchNorm2d: 'BatchNorm2d',
  batchNorm1d: 'BatchNorm1d',
  localResponseNorm: 'LocalResponseNorm',
  concat: 'cat',
  add: 'add',
  identity: 'Identity',
}

/** `1234567` → `1,234,567`. */
function thousands(n: number): string {
  return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',')
}

/**
 * Formats a summary as a table: layer path, PyTorch layer type, output shape, parameters, forward MACs and output
 * size, then totals.
 * @example
 * ```ts
 * declare const graph: Graph
 * console.log(formatSummary(summarize(graph, 'lenet')))
 * // Layer  Type     Output shape    Param #     MACs    Output
 * // 0      Conv2d   [1, 6, 28, 28]      156  117,600  18.4 KiB
 * // ...
 * ```
 * @category Running
 */
export function formatSummary(summary: Summary): string {
  const rows = summary.layers.map((l) => [
    l.path,
    torchNames[l.kind],
    `[${l.shape.join(', ')}]`,
    l.params === 0 ? '' : thousands(l.params),
    l.macs === 0 ? '' : thousands(l.macs),
    formatBytes(l.outputBytes),
  ])
  const header = ['Layer', 'Type', 'Output shape', 'Param #', 'MACs', 'Output']
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)))
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (i >= 3 ? c.padStart(widths[i]) : c.padEnd(widths[i])))
      .join('  ')
      .trimEnd()
  const rule = '─'.repeat(widths.reduce((a, b) => a + b, 0) + 2 * (widths.length - 1))
  const withParams = summary.layers.filter((l) => l.params > 0).length
  return [
    `Model: ${summary.model}    input [${summary.input.join(', ')}]`,
    rule,
    line(header),
    rule,
    ...rows.map(line),
    rule,
    `Output shape: [${summary.output.join(', ')}]`,
    `Total params: ${thousands(summary.params)} (${withParams} parameterised layers, ${summary.layers.length} layers)`,
    `Forward MACs: ${thousands(summary.macs)} (${formatMacs(summary.macs)}) for input [${summary.input.join(', ')}]`,
    `Activations: ${formatBytes(summary.activationBytes)} (every layer's output, float32)`,
    '',
  ].join('\n')
}
