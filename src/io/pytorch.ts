/**
 * PyTorch export: a traced {@link Graph} as a readable Python file holding a `torch.nn.Module`, for users who train
 * on a cluster with `torchrun` and DistributedDataParallel and bring the weights back.
 *
 * The module tree is rebuilt from the nodes' paths (`layer1.0.conv1`), so the module's `state_dict` has exactly
 * shapesafe's names and order (plus PyTorch's `num_batches_tracked` counters, which shapesafe skips on load) and a
 * state dict saved by shapesafe loads with `load_state_dict(strict=True)`. A module whose nodes form a chain becomes
 * an `nn.Sequential`; any other (residual sums, Inception branches, dense concatenations) becomes a small class
 * whose `forward` spells out the data flow; blocks with the same structure share one class.
 *
 * Pure code generation: no TensorFlow.js, no torch.
 * @module
 */
import type { Graph, Node, Op } from '../graph/ir.js'

/**
 * Options of {@link toPyTorch}.
 * @category Weights and files
 */
export interface PyTorchOptions {
  /** The zoo name (or any name) of the net: the class is named after it (`resnet-small` → `ResnetSmall`). */
  readonly name: string
  /** The input shape the graph was traced for, `[N, C, H, W]` (also printed in the docstring and `__main__`). */
  readonly input: readonly number[]
  /** Shapesafe's version, for the header. */
  readonly producerVersion?: string
  /** The weights file the `__main__` hint loads, relative to the Python file (default `<name>.safetensors`). */
  readonly weightsFile?: string
}

/**
 * The generated file and what a caller needs to use it.
 * @category Weights and files
 */
export interface PyTorchModule {
  /** The Python source. */
  readonly source: string
  /** The top-level class's name. */
  readonly className: string
}

/** A module of the rebuilt tree: a leaf (one layer, possibly applied more than once) or a container of children. */
interface ModuleNode {
  readonly path: string
  readonly key: string
  readonly children: Map<string, ModuleNode>
  /** Graph nodes whose path is exactly this module's (a leaf's applications). */
  readonly own: Node[]
  /** Every graph node in this subtree, in execution order. */
  readonly all: Node[]
}

const isIdentifier = (s: string): boolean => /^[A-Za-z_][A-Za-z0-9_]*$/.test(s) && !pythonKeywords.has(s)

const pythonKeywords = new Set(
  'False None True and as assert async await break class continue def del elif else except finally for from global if import in is lambda nonlocal not or pass raise return try while with yield'.split(
    ' ',
  ),
)

/** How a block's `forward` reaches its child `key`: `self.conv1`, or `getattr(self, "0")` for a numbered child. */
const attr = (key: string): string => (isIdentifier(key) ? `self.${key}` : `getattr(self, ${str(key)})`)

/** Registers child `key` in `__init__`. */
const assign = (key: string, value: string): string => (isIdentifier(key) ? `self.${key} = ${value}` : `self.add_module(${str(key)}, ${value})`)

/** The constructor argument holding child `key`: the key itself, or `m_0` for a numbered one. */
const argName = (key: string): string => (isIdentifier(key) && key !== 'self' ? key : `m_${key.replace(/[^A-Za-z0-9_]/g, '_')}`)

/**
 * `resnet-small` → `ResnetSmall`, `vgg11_bn` → `Vgg11Bn`.
 * @example
 * ```ts
 * import { pythonClassName } from 'shapesafe/io'
 * pythonClassName('resnet-small') // 'ResnetSmall'
 * pythonClassName('vgg11_bn') // 'Vgg11Bn'
 * pythonClassName('3d-net') // 'Net3dNet': a class name cannot start with a digit
 * ```
 * @category Weights and files
 */
export const pythonClassName = (name: string): string => {
  const camel = name
    .split(/[^A-Za-z0-9]+/)
    .filter((p) => p !== '')
    .map((p) => p[0].toUpperCase() + p.slice(1))
    .join('')
  return camel === '' || /^[0-9]/.test(camel) ? `Net${camel}` : camel
}

const num = (x: number): string => {
  if (Number.isInteger(x)) return String(x)
  const s = String(x)
  return s.includes('e') || s.includes('.') ? s : `${s}.0`
}
const pair = ([a, b]: readonly [number, number]): string => (a === b ? String(a) : `(${a}, ${b})`)
const bool = (b: boolean): string => (b ? 'True' : 'False')
const str = (s: string): string => JSON.stringify(s)

/** Builds the module tree from the nodes' paths. */
function moduleTree(graph: Graph): ModuleNode {
  const root: ModuleNode = { path: '', key: '', children: new Map(), own: [], all: [] }
  for (const n of graph.nodes) {
    if (n.op.kind === 'input') continue
    let m = root
    m.all.push(n)
    for (const key of n.path.split('.')) {
      let child = m.children.get(key)
      if (child === undefined) {
        child = { path: m.path === '' ? key : `${m.path}.${key}`, key, children: new Map(), own: [], all: [] }
        m.children.set(key, child)
      }
      m = child
      m.all.push(n)
    }
    m.own.push(n)
  }
  return root
}

/** The graph's consumers of each node, by id. */
const consumersOf = (graph: Graph): Node[][] => {
  const c: Node[][] = graph.nodes.map(() => [])
  for (const n of graph.nodes) for (const i of n.inputs) c[i.id].push(n)
  return c
}

/** A subtree's boundary: the outside values it reads and its values read outside (or the graph output). */
interface Boundary {
  readonly inputs: Node[]
  readonly outputs: Node[]
}

class Exporter {
  private readonly consumers: Node[][]
  private readonly classes = new Map<string, { name: string; code: string; paths: string[] }>()
  private readonly kindCount = new Map<string, number>()
  readonly helpers = new Set<'PaddedConv2d'>()

  constructor(private readonly graph: Graph) {
    this.consumers = consumersOf(graph)
  }

  boundary(m: ModuleNode): Boundary {
    const inside = new Set(m.all)
    const inputs = new Set<Node>()
    const outputs = new Set<Node>()
    for (const n of m.all) {
      for (const i of n.inputs) if (!inside.has(i)) inputs.add(i)
      if (n === this.graph.output || this.consumers[n.id].some((c) => !inside.has(c))) outputs.add(n)
    }
    const byId = (a: Node, b: Node): number => a.id - b.id
    return { inputs: [...inputs].sort(byId), outputs: [...outputs].sort(byId) }
  }

  /** Children in the order of their first node (the order PyTorch registers them, hence the state_dict's). */
  children(m: ModuleNode): ModuleNode[] {
    return [...m.children.values()].sort((a, b) => a.all[0].id - b.all[0].id)
  }

  isLeaf(m: ModuleNode): boolean {
    return m.children.size === 0
  }

  /** Whether `m` runs as one call on one input with one output: an `nn.Sequential` element or a `forward`. */
  callable(m: ModuleNode): boolean {
    const b = this.boundary(m)
    if (b.inputs.length !== 1 || b.outputs.length !== 1) return false
    if (this.isLeaf(m)) return m.own.length === 1 || m.own.every((n) => n.params.length === 0)
    return m.own.length === 0
  }

  /** Whether `m`'s children form a chain: each child is one call on the previous child's output. */
  isChain(m: ModuleNode): boolean {
    if (this.isLeaf(m) || m.own.length > 0 || !this.callable(m)) return false
    const kids = this.children(m)
    let prev = this.boundary(m).inputs[0]
    for (const k of kids) {
      if (this.isLeaf(k) && k.own.length !== 1) return false
      if (this.isLeaf(k) && k.own[0].inputs.length !== 1) return false
      if (!this.callable(k)) return false
      const b = this.boundary(k)
      if (b.inputs[0] !== prev) return false
      // The previous value feeds only this child.
      if (prev !== this.boundary(m).inputs[0] && this.consumers[prev.id].some((c) => !k.all.includes(c))) return false
      prev = b.outputs[0]
    }
    return prev === this.boundary(m).outputs[0]
  }

  /** The constructor expression of a leaf layer (an `nn.Sequential` element or a child of a class). */
  leafModule(n: Node): string {
    const op = n.op
    switch (op.kind) {
      case 'conv2d': {
        const [t, b, l, r] = op.padding
        const symmetric = t === b && l === r
        const args = [String(op.inChannels), String(op.out), pair(op.kernel)]
        if (op.stride[0] !== 1 || op.stride[1] !== 1) args.push(`stride=${pair(op.stride)}`)
        if (symmetric && (t !== 0 || l !== 0)) args.push(`padding=${pair([t, l])}`)
        if (op.dilation[0] !== 1 || op.dilation[1] !== 1) args.push(`dilation=${pair(op.dilation)}`)
        if (op.groups !== 1) args.push(`groups=${op.groups}`)
        if (!op.bias) args.push('bias=False')
        if (symmetric) return `nn.Conv2d(${args.join(', ')})`
        this.helpers.add('PaddedConv2d')
        return `PaddedConv2d(${args.join(', ')}, pad=(${l}, ${r}, ${t}, ${b}))`
      }
      case 'linear':
        return `nn.Linear(${op.inFeatures}, ${op.out}${op.bias ? '' : ', bias=False'})`
      case 'batchNorm1d':
      case 'batchNorm2d':
        return `nn.${op.kind === 'batchNorm1d' ? 'BatchNorm1d' : 'BatchNorm2d'}(${op.features}${op.eps === 1e-5 ? '' : `, eps=${num(op.eps)}`}${op.momentum === 0.1 ? '' : `, momentum=${num(op.momentum)}`})`
      case 'relu':
        return 'nn.ReLU()'
      case 'sigmoid':
        return 'nn.Sigmoid()'
      case 'tanh':
        return 'nn.Tanh()'
      case 'softmax':
        return 'nn.Softmax(dim=1)'
      case 'dropout':
        return `nn.Dropout(${num(op.p)})`
      case 'maxPool2d':
        return `nn.MaxPool2d(${poolArgs(op)})`
      case 'avgPool2d':
        return `nn.AvgPool2d(${poolArgs(op)}${op.countIncludePad ? '' : ', count_include_pad=False'})`
      case 'adaptiveAvgPool2d':
        return `nn.AdaptiveAvgPool2d(${pair(op.output)})`
      case 'flatten':
        return 'nn.Flatten()'
      case 'localResponseNorm':
        return `nn.LocalResponseNorm(${op.size}, alpha=${num(op.alpha)}, beta=${num(op.beta)}, k=${num(op.k)})`
      case 'identity':
      case 'concat': // of one tensor
        return 'nn.Identity()'
      case 'add':
      case 'input':
        throw new Error(`toPyTorch: internal: ${op.kind} at ${n.path} is not a module`)
    }
  }

  /** The expression applying a parameter-free op to `args` inside a `forward`. */
  functional(op: Op, args: readonly string[]): string {
    const [x] = args
    switch (op.kind) {
      case 'relu':
        return `F.relu(${x})`
      case 'sigmoid':
        return `torch.sigmoid(${x})`
      case 'tanh':
        return `torch.tanh(${x})`
      case 'softmax':
        return `F.softmax(${x}, dim=1)`
      case 'dropout':
        return `F.dropout(${x}, ${num(op.p)}, self.training)`
      case 'maxPool2d':
        return `F.max_pool2d(${x}, ${poolArgs(op)})`
      case 'avgPool2d':
        return `F.avg_pool2d(${x}, ${poolArgs(op)}${op.countIncludePad ? '' : ', count_include_pad=False'})`
      case 'adaptiveAvgPool2d':
        return `F.adaptive_avg_pool2d(${x}, ${pair(op.output)})`
      case 'flatten':
        return `torch.flatten(${x}, 1)`
      case 'localResponseNorm':
        return `F.local_response_norm(${x}, ${op.size}, alpha=${num(op.alpha)}, beta=${num(op.beta)}, k=${num(op.k)})`
      case 'concat':
        return args.length === 1 ? x : `torch.cat([${args.join(', ')}], 1)`
      case 'add':
        return args.join(' + ')
      case 'identity':
        return x
      case 'conv2d':
      case 'linear':
      case 'batchNorm1d':
      case 'batchNorm2d':
      case 'input':
        throw new Error(`toPyTorch: internal: ${op.kind} has parameters or is the input`)
    }
  }

  /**
   * The constructor expression of module `m` (as an element or child), at indentation `indent`, defining the
   * classes it needs on the way.
   */
  moduleExpr(m: ModuleNode, indent: string): string {
    if (this.isLeaf(m)) return this.leafModule(m.own[0])
    if (this.isChain(m)) return this.sequentialExpr(m, indent)
    const kids = this.children(m).filter((k) => this.holdsModule(k))
    const cls = this.blockClass(m)
    const inner = indent + '    '
    const args = kids.map((k) => `${inner}${argName(k.key)}=${this.moduleExpr(k, inner)},`)
    return `${cls}(\n${args.join('\n')}\n${indent})`
  }

  /** Whether a child of a non-chain module is kept as a submodule (it has parameters, or is a whole sub-block). */
  holdsModule(k: ModuleNode): boolean {
    return !this.isLeaf(k) || k.own.some((n) => n.params.length > 0)
  }

  sequentialExpr(m: ModuleNode, indent: string): string {
    const kids = this.children(m)
    const inner = indent + '    '
    const numbered = kids.every((k, i) => k.key === String(i))
    const items = numbered
      ? kids.map((k) => `${inner}${this.moduleExpr(k, inner)},`)
      : kids.map((k) => `${inner}(${str(k.key)}, ${this.moduleExpr(k, inner)}),`)
    return numbered ? `nn.Sequential(\n${items.join('\n')}\n${indent})` : `nn.Sequential(OrderedDict([\n${items.join('\n')}\n${indent}]))`
  }

  /** The `forward` body of a non-chain module, and the submodules it calls, in registration order. */
  forwardOf(m: ModuleNode): { params: string[]; body: string[]; children: ModuleNode[] } {
    const b = this.boundary(m)
    const kids = this.children(m)
    const modules = kids.filter((k) => this.holdsModule(k))
    for (const k of modules) {
      if (!this.isLeaf(k) && !this.callable(k)) {
        const kb = this.boundary(k)
        throw new Error(`toPyTorch: the block ${k.path} takes ${kb.inputs.length} inputs and gives ${kb.outputs.length} outputs; only one of each can be exported`)
      }
    }
    // Steps: whole sub-blocks (called once, at their output) and single nodes of this module's leaves.
    type Step = { out: Node; expr: (v: (n: Node) => string) => string; key: string; inputs: Node[] }
    const steps: Step[] = []
    for (const k of kids) {
      if (!this.isLeaf(k)) {
        const kb = this.boundary(k)
        steps.push({ out: kb.outputs[0], key: k.key, inputs: kb.inputs, expr: (v) => `${attr(k.key)}(${v(kb.inputs[0])})` })
      } else {
        for (const n of k.own) {
          const viaModule = n.params.length > 0
          steps.push({
            out: n,
            key: k.key,
            inputs: [...n.inputs],
            expr: (v) => (viaModule ? `${attr(k.key)}(${v(n.inputs[0])})` : this.functional(n.op, n.inputs.map(v))),
          })
        }
      }
    }
    steps.sort((a, c) => a.out.id - c.out.id)
    // Variables: a value used only by the next step keeps its variable (x = f(x) style); `out` holds the result.
    const names = new Map<Node, string>()
    const taken = new Set<string>(['self', 'torch', 'nn', 'F'])
    const params = b.inputs.map((_, i) => (b.inputs.length === 1 ? 'x' : `x${i + 1}`))
    b.inputs.forEach((n, i) => {
      names.set(n, params[i])
      taken.add(params[i])
    })
    const fresh = (base: string): string => {
      let name = base
      for (let i = 2; taken.has(name); i++) name = `${base}_${i}`
      taken.add(name)
      return name
    }
    const stepOf = new Map<Node, Step>(steps.map((s) => [s.out, s]))
    const resultOut = b.outputs.length === 1 ? b.outputs[0] : undefined
    // Runs: a step continues its first input's variable when it is that value's only reader (not for concat,
    // whose branches read better by name); the run holding the result is `out`.
    const runOf = new Map<Node, number>()
    const runName: string[] = []
    const runs = steps.map((s) => {
      const first = s.inputs[0]
      const continues =
        s.out.op.kind !== 'concat' && first !== undefined && stepOf.has(first) && this.consumers[first.id].length === 1 && !b.outputs.includes(first)
      const run = continues ? runOf.get(first)! : runName.push('') - 1
      runOf.set(s.out, run)
      return run
    })
    if (resultOut !== undefined) runName[runOf.get(resultOut)!] = fresh('out')
    steps.forEach((s, i) => {
      if (runName[runs[i]] !== '') return
      const merge = s.out.op.kind === 'add' ? 'sum' : s.out.op.kind === 'concat' ? 'cat' : undefined
      runName[runs[i]] = fresh(merge ?? (isIdentifier(s.key) ? s.key : 'h'))
    })
    const body: string[] = []
    steps.forEach((s, i) => {
      names.set(s.out, runName[runs[i]])
      body.push(`${runName[runs[i]]} = ${s.expr((n) => names.get(n)!)}`)
    })
    const ret = b.outputs.map((n) => names.get(n)!)
    body.push(`return ${ret.length === 1 ? ret[0] : ret.join(', ')}`)
    return { params, body, children: modules }
  }

  /** The name of the class implementing `m`'s `forward`, defined once per distinct structure. */
  blockClass(m: ModuleNode): string {
    const { params, body, children } = this.forwardOf(m)
    const keys = children.map((k) => k.key)
    const code = [
      `    def __init__(self, ${keys.map(argName).join(', ')}):`,
      '        super().__init__()',
      ...keys.map((k) => `        ${assign(k, argName(k))}`),
      '',
      `    def forward(self, ${params.join(', ')}):`,
      ...body.map((l) => `        ${l}`),
    ].join('\n')
    const existing = this.classes.get(code)
    if (existing !== undefined) {
      existing.paths.push(m.path)
      return existing.name
    }
    const kinds = new Set(m.all.filter((n) => m.children.get(n.path.slice(m.path.length + 1).split('.')[0])?.own.includes(n)).map((n) => n.op.kind))
    const base = kinds.has('add') ? 'Residual' : kinds.has('concat') ? 'Concat' : 'Block'
    const count = (this.kindCount.get(base) ?? 0) + 1
    this.kindCount.set(base, count)
    const name = `${base}${count}`
    this.classes.set(code, { name, code, paths: [m.path] })
    return name
  }

  classDefs(): string[] {
    return [...this.classes.values()].map((c) => {
      const where = c.paths.length <= 4 ? c.paths.join(', ') : `${c.paths.slice(0, 3).join(', ')}, … (${c.paths.length} in all)`
      return `class ${c.name}(nn.Module):\n    """Used at ${where}."""\n\n${c.code}\n`
    })
  }
}

function poolArgs(op: Extract<Op, { kind: 'maxPool2d' | 'avgPool2d' }>): string {
  const args = [pair(op.kernel)]
  const strideDefault = op.stride[0] === op.kernel[0] && op.stride[1] === op.kernel[1]
  if (!strideDefault) args.push(`stride=${pair(op.stride)}`)
  if (op.padding[0] !== 0 || op.padding[1] !== 0) args.push(`padding=${pair(op.padding)}`)
  if (op.ceilMode) args.push('ceil_mode=True')
  return args.join(', ')
}

const paddedConv2d = `class PaddedConv2d(nn.Conv2d):
    """nn.Conv2d after an explicit zero padding (left, right, top, bottom): PyTorch's 'same' padding of an even
    kernel is asymmetric, which nn.Conv2d(padding=...) cannot express. Same parameters as nn.Conv2d."""

    pad: List[int]

    def __init__(self, *args, pad: Tuple[int, int, int, int], **kwargs):
        super().__init__(*args, **kwargs)
        self.pad = list(pad)

    def forward(self, x):
        return self._conv_forward(F.pad(x, self.pad), self.weight, self.bias)
`

const safetensorsHelpers = `_DTYPES = {
    "F64": torch.float64, "F32": torch.float32, "F16": torch.float16, "BF16": torch.bfloat16,
    "I64": torch.int64, "I32": torch.int32, "I16": torch.int16, "I8": torch.int8, "U8": torch.uint8,
    "BOOL": torch.bool,
}


def load_safetensors(path: str) -> Dict[str, torch.Tensor]:
    """The tensors of a .safetensors file (the format shapesafe reads and writes), with torch only."""
    with open(path, "rb") as f:
        data = bytearray(os.fstat(f.fileno()).st_size)
        f.readinto(data)
    (header_len,) = struct.unpack("<Q", data[:8])
    header = json.loads(data[8:8 + header_len])
    header.pop("__metadata__", None)
    tensors: Dict[str, torch.Tensor] = {}
    for name, info in sorted(header.items(), key=lambda item: item[1]["data_offsets"][0]):
        start, end = info["data_offsets"]
        dtype = _DTYPES[info["dtype"]]
        count = (end - start) // torch.tensor([], dtype=dtype).element_size()
        flat = torch.frombuffer(data, dtype=dtype, count=count, offset=8 + header_len + start) if count > 0 else torch.empty(0, dtype=dtype)
        tensors[name] = flat.reshape(info["shape"])  # views of one buffer read once
    return tensors


def save_safetensors(tensors: Dict[str, torch.Tensor], path: str) -> None:
    """Writes tensors (e.g. model.state_dict()) as .safetensors, in their order, for \`shapesafe run --weights\`."""
    names = {v: k for k, v in _DTYPES.items()}
    header: Dict[str, object] = {}
    blobs: List[bytes] = []
    offset = 0
    for name, t in tensors.items():
        t = t.detach().to("cpu").contiguous()
        blob = ctypes.string_at(t.data_ptr(), t.numel() * t.element_size()) if t.numel() > 0 else b""
        header[name] = {"dtype": names[t.dtype], "shape": list(t.shape), "data_offsets": [offset, offset + len(blob)]}
        blobs.append(blob)
        offset += len(blob)
    text = json.dumps(header, separators=(",", ":")).encode()
    text += b" " * (-len(text) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)))
        f.write(text)
        for blob in blobs:
            f.write(blob)
`

/**
 * The graph as a Python file defining a `torch.nn.Module` with shapesafe's module names, plus a torch-only
 * safetensors reader and writer and a `__main__` that loads weights and runs one input.
 * @example
 * ```ts
 * const graph = zoo.lenet.graph({ input: [1, 1, 28, 28], classes: 10 })
 * const { source, className } = toPyTorch(graph, { name: 'lenet', input: [1, 1, 28, 28] }) // className 'Lenet'
 * ```
 * @category Weights and files
 */
export function toPyTorch(graph: Graph, options: PyTorchOptions): PyTorchModule {
  if (graph.nodes.length < 2) throw new Error('toPyTorch: the graph has no layers')
  const className = pythonClassName(options.name)
  const tree = moduleTree(graph)
  const ex = new Exporter(graph)
  const weightsFile = options.weightsFile ?? `${options.name}.safetensors`
  const input = `(${options.input.join(', ')})`
  const outShape = graph.output.shape.map((d) => (typeof d === 'number' ? String(d) : String(d))).join(', ')
  let classCode: string
  if (ex.isChain(tree)) {
    const expr = ex.sequentialExpr(tree, '        ')
    const args = expr.replace(/^nn\.Sequential\(/, '').replace(/\)$/, '')
    classCode = `class ${className}(nn.Sequential):\n    def __init__(self):\n        super().__init__(${args})\n`
  } else {
    if (!ex.callable(tree)) throw new Error('toPyTorch: the graph must have one input and one output')
    const { params, body, children } = ex.forwardOf(tree)
    const inits = children.map((k) => `        ${assign(k.key, ex.moduleExpr(k, '        '))}`)
    classCode = [
      `class ${className}(nn.Module):`,
      '    def __init__(self):',
      '        super().__init__()',
      ...inits,
      '',
      `    def forward(self, ${params.join(', ')}):`,
      ...body.map((l) => `        ${l}`),
      '',
    ].join('\n')
  }
  const doc = `"""${className}: shapesafe's \`${options.name}\` as a torch.nn.Module (input [${options.input.join(', ')}], output [${outShape}]).

Generated by shapesafe${options.producerVersion === undefined ? '' : ` ${options.producerVersion}`} (\`shapesafe export ${options.name} --format pytorch\`)
from the traced graph. The submodule names are shapesafe's state_dict names, so its weights load as they are:

    model = ${className}()
    model.load_state_dict(load_safetensors("${weightsFile}"))  # strict

Train on several GPUs or machines with torchrun and DistributedDataParallel, e.g. in train.py:

    torch.distributed.init_process_group("nccl")  # "gloo" on CPUs
    model = torch.nn.parallel.DistributedDataParallel(${className}().cuda(), device_ids=[local_rank])

    torchrun --nproc_per_node=8 train.py

then bring the weights back to shapesafe (state dicts are interchangeable):

    save_safetensors(model.module.state_dict(), "trained.safetensors")
    shapesafe run ${options.name} --weights trained.safetensors --input x.safetensors --output y.safetensors

\`python3 ${options.name}.py [weights.safetensors]\` runs one random input through the model.
"""
`
  const imports = `import ctypes
import json
import os
import struct
from collections import OrderedDict
from typing import Dict, List, Tuple

import torch
import torch.nn as nn
import torch.nn.functional as F
`
  const classes = ex.classDefs()
  const helpers = ex.helpers.has('PaddedConv2d') ? [paddedConv2d] : []
  const main = `if __name__ == "__main__":
    import sys

    model = ${className}()
    if len(sys.argv) > 1:
        model.load_state_dict(load_safetensors(sys.argv[1]))
    model.eval()
    with torch.no_grad():
        y = model(torch.randn(INPUT_SHAPE))
    print(f"${className}: input {list(INPUT_SHAPE)} -> output {list(y.shape)}")
`
  const source = [
    doc,
    imports,
    `INPUT_SHAPE = ${input}\n`,
    ...helpers,
    ...classes,
    classCode,
    safetensorsHelpers,
    main,
  ].join('\n\n')
  return { source: source.replace(/\n{4,}/g, '\n\n\n'), className }
}
