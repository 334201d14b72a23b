/**
 * ONNX export: a traced {@link Graph} and its weights as an ONNX model (opset 17, IR version 8), hand-encoded in the
 * small protobuf subset ONNX needs — no dependency, no tfjs.
 *
 * Every IR op maps to standard ONNX ops in NCHW, PyTorch's layout, so the weights go in unchanged (state_dict
 * layouts: OIHW conv weights, `[out, in]` linear weights):
 * conv2d → Conv; linear → Gemm (transB); maxPool2d → MaxPool (padding never wins, as PyTorch's −∞ padding);
 * avgPool2d → AveragePool (count_include_pad, ceil_mode); adaptiveAvgPool2d → GlobalAveragePool (1×1), AveragePool
 * (even bins) or two MatMuls with PyTorch's bin matrices (uneven bins); batchNorm2d, batchNorm1d → BatchNormalization (eval);
 * localResponseNorm → LRN (odd size; PyTorch's window for an even size as Mul, Pad, AveragePool on the channel axis,
 * Pow and Div); flatten → Flatten; relu, sigmoid, tanh → Relu, Sigmoid, Tanh; softmax → Softmax over axis 1;
 * dropout, identity → Identity; concat → Concat (axis 1); add → Add.
 * Named dims (the batch `N`) become `dim_param`s, so the batch stays dynamic. Float attributes are written as floats
 * (onnxruntime rejects `alpha: 1.0` encoded as an int).
 * @module
 */
import type { Graph, Node, Op, OpOf } from '../graph/ir.js'
import { numel, stateDictSpecs } from '../graph/ir.js'
import { isNamed, type Dim } from '../shape/dim.js'
import { adaptiveBins } from '../shape/window.js'

/**
 * The opset written (Debian's python3-onnx 1.12 checks up to 17).
 * @category Weights and files
 */
export const onnxOpset = 17
/**
 * The IR version that goes with opset 17.
 * @category Weights and files
 */
export const onnxIrVersion = 8

// ---------------------------------------------------------------------------------------------------------------------
// protobuf wire format (the subset ONNX uses)
// ---------------------------------------------------------------------------------------------------------------------

/**
 * A protobuf message under construction: a list of encoded byte chunks. Weights are referenced, not copied, until
 * `encode` writes the whole file into one buffer.
 */
class Message {
  private readonly parts: Uint8Array[] = []
  private size = 0

  private push(bytes: Uint8Array): this {
    this.parts.push(bytes)
    this.size += bytes.length
    return this
  }

  private tag(field: number, wire: number): this {
    return this.push(varint(BigInt((field << 3) | wire)))
  }

  /** A varint field (int32, int64, enum); negative values as 10-byte two's complement. */
  int(field: number, value: number): this {
    return this.tag(field, 0).push(varint(BigInt.asUintN(64, BigInt(value))))
  }

  /** A 32-bit float field. */
  float(field: number, value: number): this {
    const b = new Uint8Array(4)
    new DataView(b.buffer).setFloat32(0, value, true)
    return this.tag(field, 5).push(b)
  }

  bytes(field: number, value: Uint8Array): this {
    return this.tag(field, 2).push(varint(BigInt(value.length))).push(value)
  }

  string(field: number, value: string): this {
    return this.bytes(field, new TextEncoder().encode(value))
  }

  /** A nested message: its parts are shared, not copied (only `encode` copies, once). */
  message(field: number, value: Message): this {
    this.tag(field, 2).push(varint(BigInt(value.size)))
    for (const p of value.parts) this.push(p)
    return this
  }

  /** A packed repeated int64 field. */
  packedInts(field: number, values: readonly number[]): this {
    const m = new Message()
    for (const v of values) m.push(varint(BigInt.asUintN(64, BigInt(v))))
    return this.bytes(field, m.encode())
  }

  encode(): Uint8Array {
    const out = new Uint8Array(this.size)
    let at = 0
    for (const p of this.parts) {
      out.set(p, at)
      at += p.length
    }
    return out
  }
}

function varint(value: bigint): Uint8Array {
  const out: number[] = []
  let v = value
  do {
    let byte = Number(v & 0x7fn)
    v >>= 7n
    if (v > 0n) byte |= 0x80
    out.push(byte)
  } while (v > 0n)
  return Uint8Array.from(out)
}

// ---------------------------------------------------------------------------------------------------------------------
// ONNX messages (field numbers from onnx.proto)
// ---------------------------------------------------------------------------------------------------------------------

const DataType = { FLOAT: 1, INT64: 7 } as const
const AttributeType = { FLOAT: 1, INT: 2, STRING: 3, INTS: 7 } as const

/** An attribute value: an integer, a float (tagged: written as FLOAT even when whole), a string or integers. */
type Attribute = { readonly int: number } | { readonly float: number } | { readonly ints: readonly number[] } | { readonly string: string }

function attributeProto(name: string, value: Attribute): Message {
  const m = new Message().string(1, name)
  if ('float' in value) return m.float(2, value.float).int(20, AttributeType.FLOAT)
  if ('int' in value) return m.int(3, value.int).int(20, AttributeType.INT)
  if ('string' in value) return m.string(4, value.string).int(20, AttributeType.STRING)
  return m.packedInts(8, value.ints).int(20, AttributeType.INTS)
}

function tensorProto(name: string, dims: readonly number[], data: Float32Array | BigInt64Array): Message {
  const raw = new Uint8Array(data.buffer, data.byteOffset, data.byteLength)
  // raw_data is little-endian; so is every platform Node runs on, checked here once.
  if (new Uint8Array(new Uint16Array([1]).buffer)[0] !== 1) throw new Error('toOnnx: big-endian hosts are not supported')
  return new Message()
    .packedInts(1, dims)
    .int(2, data instanceof Float32Array ? DataType.FLOAT : DataType.INT64)
    .string(8, name)
    .bytes(9, raw)
}

function valueInfoProto(name: string, shape: readonly Dim[]): Message {
  const dims = new Message()
  for (const d of shape) dims.message(1, isNamed(d) ? new Message().string(2, d.dimName) : new Message().int(1, d))
  const tensorType = new Message().int(1, DataType.FLOAT).message(2, dims)
  return new Message().string(1, name).message(2, new Message().message(1, tensorType))
}

/** One ONNX node: op type, inputs, outputs and attributes. */
interface OnnxNode {
  readonly op: string
  readonly inputs: readonly string[]
  readonly outputs: readonly string[]
  readonly name: string
  readonly attributes?: Readonly<Record<string, Attribute>>
}

function nodeProto(n: OnnxNode): Message {
  const m = new Message()
  for (const i of n.inputs) m.string(1, i)
  for (const o of n.outputs) m.string(2, o)
  m.string(3, n.name).string(4, n.op)
  for (const [k, v] of Object.entries(n.attributes ?? {})) m.message(5, attributeProto(k, v))
  return m
}

// ---------------------------------------------------------------------------------------------------------------------
// graph → ONNX
// ---------------------------------------------------------------------------------------------------------------------

/**
 * The weights to export: PyTorch state_dict values by name (as `CompiledModel.toStateDict` or a safetensors file).
 * @category Weights and files
 */
export type OnnxWeights = ReadonlyMap<string, Float32Array | { readonly data: Float32Array }>

/**
 * Options of {@link toOnnx}.
 * @category Weights and files
 */
export interface OnnxOptions {
  /** Graph name (default `shapesafe`). */
  readonly name?: string
  /** Written as the model's producer_version (default `0`). */
  readonly producerVersion?: string
  /**
   * `dynamic` (default): the batch dim of the input and output is the `dim_param` `N` (or the graph's own name for
   * it), so the model takes any batch size; `fixed`: the traced size.
   */
  readonly batch?: 'dynamic' | 'fixed'
  /**
   * `embedded` (default): the weights are initializers of the file. `inputs`: they are graph inputs instead (no
   * values; `weights` may be empty) — the network's structure alone, e.g. to check a large net's ops and shapes.
   */
  readonly weightsAs?: 'embedded' | 'inputs'
}

/**
 * A weight missing from, or mis-sized in, the state given to {@link toOnnx}.
 * @category Weights and files
 */
export class OnnxExportError extends Error {
  override readonly name = 'OnnxExportError'
}

/**
 * The name of the exported model's input.
 * @category Weights and files
 */
export const onnxInputName = 'input'
/**
 * The name of the exported model's output.
 * @category Weights and files
 */
export const onnxOutputName = 'output'

const concrete = (node: Node, axis: number): number => {
  const d = node.shape[axis]
  if (isNamed(d)) throw new OnnxExportError(`toOnnx: ${node.path || node.op.kind} needs a concrete size on axis ${axis}, got ${d.dimName}`)
  return d
}

/** Transposes a row-major `[rows, cols]` matrix. */
function transpose(m: Float32Array, rows: number, cols: number): Float32Array {
  const out = new Float32Array(m.length)
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) out[c * rows + r] = m[r * cols + c]
  return out
}

/**
 * The graph and its weights as an ONNX model file (bytes). Throws {@link OnnxExportError} naming a weight that is
 * missing or has the wrong number of values.
 * @example
 * ```ts
 * const graph = zoo.lenet.graph({ input: [1, 1, 28, 28], classes: 10 })
 * const model = compile(graph)
 * const bytes = toOnnx(graph, model.toStateDict(model.init(0))) // about 248 kB, the batch a dim_param
 * ```
 * @category Weights and files
 */
export function toOnnx(graph: Graph, weights: OnnxWeights, options: OnnxOptions = {}): Uint8Array {
  const nodes: OnnxNode[] = []
  const initializers: Message[] = []
  const valueName = (n: Node): string => (n === graph.input ? onnxInputName : n === graph.output ? onnxOutputName : `${n.path === '' ? n.op.kind : n.path}#${n.id}`)

  const weightInputs: Message[] = []
  for (const spec of stateDictSpecs(graph)) {
    if (options.weightsAs === 'inputs') {
      weightInputs.push(valueInfoProto(spec.name, spec.shape))
      continue
    }
    const entry = weights.get(spec.name)
    if (entry === undefined) throw new OnnxExportError(`toOnnx: missing weight ${spec.name} [${spec.shape.join(', ')}]`)
    const data = entry instanceof Float32Array ? entry : entry.data
    if (data.length !== numel(spec.shape)) {
      throw new OnnxExportError(`toOnnx: ${spec.name} has ${data.length} values, expected ${numel(spec.shape)} for [${spec.shape.join(', ')}]`)
    }
    initializers.push(tensorProto(spec.name, spec.shape, data))
  }
  const constant = (name: string, dims: readonly number[], data: Float32Array | BigInt64Array): string => {
    initializers.push(tensorProto(name, dims, data))
    return name
  }

  for (const node of graph.nodes) {
    if (node.op.kind === 'input') continue
    const ins = node.inputs.map(valueName)
    const out = valueName(node)
    const name = `${node.path === '' ? node.op.kind : node.path}#${node.id}`
    const emit = (op: string, inputs: readonly string[], attributes?: Record<string, Attribute>, output = out, suffix = ''): string => {
      nodes.push({ op, inputs, outputs: [output], name: `${name}${suffix}`, ...(attributes === undefined ? {} : { attributes }) })
      return output
    }
    const op = node.op
    switch (op.kind) {
      case 'conv2d': {
        const [t, b, l, r] = op.padding
        emit('Conv', [...ins, `${node.path}.weight`, ...(op.bias ? [`${node.path}.bias`] : [])], {
          kernel_shape: { ints: op.kernel },
          strides: { ints: op.stride },
          pads: { ints: [t, l, b, r] },
          dilations: { ints: op.dilation },
          group: { int: op.groups },
        })
        break
      }
      case 'linear':
        emit('Gemm', [...ins, `${node.path}.weight`, ...(op.bias ? [`${node.path}.bias`] : [])], { transB: { int: 1 }, alpha: { float: 1 }, beta: { float: 1 } })
        break
      case 'maxPool2d':
        emit('MaxPool', ins, poolAttributes(op))
        break
      case 'avgPool2d':
        emit('AveragePool', ins, { ...poolAttributes(op), count_include_pad: { int: op.countIncludePad ? 1 : 0 } })
        break
      case 'adaptiveAvgPool2d':
        adaptiveAvgPool(node, op, ins[0], emit, constant)
        break
      case 'flatten':
        emit('Flatten', ins, { axis: { int: 1 } })
        break
      case 'relu':
        emit('Relu', ins)
        break
      case 'sigmoid':
        emit('Sigmoid', ins)
        break
      case 'tanh':
        emit('Tanh', ins)
        break
      case 'softmax':
        emit('Softmax', ins, { axis: { int: 1 } })
        break
      case 'dropout':
      case 'identity':
        emit('Identity', ins)
        break
      case 'batchNorm1d': // ONNX's BatchNormalization normalises axis 1 of [N, C] as of [N, C, H, W]
      case 'batchNorm2d': {
        const p = (s: string) => `${node.path}.${s}`
        emit('BatchNormalization', [...ins, p('weight'), p('bias'), p('running_mean'), p('running_var')], {
          epsilon: { float: op.eps },
          momentum: { float: 1 - op.momentum },
        })
        break
      }
      case 'localResponseNorm':
        localResponseNorm(node, op, ins[0], emit, constant)
        break
      case 'concat':
        emit(ins.length === 1 ? 'Identity' : 'Concat', ins, ins.length === 1 ? undefined : { axis: { int: 1 } })
        break
      case 'add':
        emit('Add', ins)
        break
      default: {
        // Every op kind has a case: a new kind without one is a compile error here, not a file with a dangling input.
        const unmapped: never = op
        throw new OnnxExportError(`toOnnx: no ONNX mapping for ${(unmapped as Op).kind}`)
      }
    }
  }

  const graphProto = new Message()
  for (const n of nodes) graphProto.message(1, nodeProto(n))
  graphProto.string(2, options.name ?? 'shapesafe')
  for (const t of initializers) graphProto.message(5, t)
  const batched = (shape: readonly Dim[]): readonly Dim[] =>
    options.batch === 'fixed' || shape.length === 0 || isNamed(shape[0]) ? shape : [{ dimName: 'N' }, ...shape.slice(1)]
  graphProto.message(11, valueInfoProto(onnxInputName, batched(graph.input.shape)))
  for (const w of weightInputs) graphProto.message(11, w)
  graphProto.message(12, valueInfoProto(onnxOutputName, batched(graph.output.shape)))
  return new Message()
    .int(1, onnxIrVersion)
    .string(2, 'shapesafe')
    .string(3, options.producerVersion ?? '0')
    .message(7, graphProto)
    .message(8, new Message().string(1, '').int(2, onnxOpset))
    .encode()
}

type Emit = (op: string, inputs: readonly string[], attributes?: Record<string, Attribute>, output?: string, suffix?: string) => string
type Constant = (name: string, dims: readonly number[], data: Float32Array | BigInt64Array) => string

function poolAttributes(op: OpOf<'maxPool2d'> | OpOf<'avgPool2d'>): Record<string, Attribute> {
  const [ph, pw] = op.padding
  return {
    kernel_shape: { ints: op.kernel },
    strides: { ints: op.stride },
    pads: { ints: [ph, pw, ph, pw] },
    ceil_mode: { int: op.ceilMode ? 1 : 0 },
  }
}

function adaptiveAvgPool(node: Node, op: OpOf<'adaptiveAvgPool2d'>, x: string, emit: Emit, constant: Constant): void {
  const src = node.inputs[0]
  const h = concrete(src, 2)
  const w = concrete(src, 3)
  const [oh, ow] = op.output
  if (oh === 1 && ow === 1) {
    emit('GlobalAveragePool', [x])
  } else if (h % oh === 0 && w % ow === 0) {
    const k = [h / oh, w / ow]
    emit('AveragePool', [x], { kernel_shape: { ints: k }, strides: { ints: k } })
  } else {
    // [oh, H] · x[N, C, H, W] → [N, C, oh, W]; then · [W, ow] → [N, C, oh, ow].
    const rows = constant(`${node.path}#${node.id}.rows`, [oh, h], adaptiveBins(h, oh))
    const cols = constant(`${node.path}#${node.id}.cols`, [w, ow], transpose(adaptiveBins(w, ow), ow, w))
    const byRows = emit('MatMul', [rows, x], undefined, `${node.path}#${node.id}.byRows`, '.rows')
    emit('MatMul', [byRows, cols], undefined, undefined, '.cols')
  }
}

function localResponseNorm(node: Node, op: OpOf<'localResponseNorm'>, x: string, emit: Emit, constant: Constant): void {
  if (op.size % 2 === 1) {
    // ONNX's window is PyTorch's for odd sizes: (size − 1)/2 channels each side.
    emit('LRN', [x], { size: { int: op.size }, alpha: { float: op.alpha }, beta: { float: op.beta }, bias: { float: op.k } })
    return
  }
  // Even size: PyTorch averages x² over ⌊n/2⌋ channels before and n/2 − 1 after (ONNX's LRN the other way round).
  const c = concrete(node, 1)
  const h = concrete(node, 2)
  const w = concrete(node, 3)
  const id = `${node.path}#${node.id}`
  const before = Math.floor(op.size / 2)
  const after = op.size - 1 - before
  const sq = emit('Mul', [x, x], undefined, `${id}.sq`, '.sq')
  const pads = constant(`${id}.pads`, [8], BigInt64Array.from([0, before, 0, 0, 0, after, 0, 0].map(BigInt)))
  const padded = emit('Pad', [sq, pads], undefined, `${id}.padded`, '.pad')
  const asImage = constant(`${id}.asImage`, [4], BigInt64Array.from([0n, 1n, BigInt(c + op.size - 1), BigInt(h * w)]))
  const image = emit('Reshape', [padded, asImage], undefined, `${id}.image`, '.image')
  const pooled = emit('AveragePool', [image], { kernel_shape: { ints: [op.size, 1] } }, `${id}.pooled`, '.pool')
  const asNchw = constant(`${id}.asNchw`, [4], BigInt64Array.from([0n, BigInt(c), BigInt(h), BigInt(w)]))
  const mean = emit('Reshape', [pooled, asNchw], undefined, `${id}.mean`, '.mean')
  const alpha = constant(`${id}.alpha`, [], Float32Array.of(op.alpha))
  const k = constant(`${id}.k`, [], Float32Array.of(op.k))
  const beta = constant(`${id}.beta`, [], Float32Array.of(op.beta))
  const scaled = emit('Mul', [mean, alpha], undefined, `${id}.scaled`, '.scale')
  const shifted = emit('Add', [scaled, k], undefined, `${id}.shifted`, '.shift')
  const denominator = emit('Pow', [shifted, beta], undefined, `${id}.denominator`, '.pow')
  emit('Div', [x, denominator], undefined, undefined, '.div')
}
