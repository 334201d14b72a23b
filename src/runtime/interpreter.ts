/**
 * The interpreter: one small, obvious mapping from each IR node kind to TensorFlow.js ops, run in NHWC.
 *
 * {@link plan} turns a {@link Graph} into a list of steps once; running a step is a closure call with its
 * attributes precomputed. Fusions: a conv/linear whose only consumer is a relu or sigmoid runs as one
 * `tf.fused.conv2d`/`tf.fused.matMul` with bias and activation (the activation node then passes its input through);
 * in training, as one custom-gradient op ({@link fusedConv2dTraining}, {@link fusedLinearTraining}) because tfjs
 * records the fused op's three parts separately while gradients are taken.
 * Everything else is a plain op:
 * - conv2d: explicit padding (`[[0,0],[t,b],[l,r],[0,0]]`); dilation by a zero-dilated kernel (tfjs has no conv
 *   gradient for dilation > 1 and refuses stride and dilation > 1 together); groups by splitting channels and
 *   concatenating, `groups = in = out` by `depthwiseConv2d`.
 * - maxPool2d: explicit padding, which tfjs pools skip (PyTorch's −∞ padding), ceil mode as extra bottom/right
 *   padding; on wasm with a corrected gradient (see {@link wasmMaxPool}).
 * - avgPool2d: zero padding plus a precomputed divisor map for PyTorch's `count_include_pad` and ceil-mode rules.
 * - adaptiveAvgPool2d: mean (output 1), an average pool (even bins) or two small matrix products (PyTorch's uneven
 *   bins ⌊i·H/o⌋ … ⌈(i+1)·H/o⌉).
 * - batchNorm2d, batchNorm1d: in training a custom-gradient op ({@link batchNormTraining}), far fewer full-size ops than
 *   `tf.batchNorm`'s gradient or autodiff through `tf.moments`; in eval one multiply-add.
 * - localResponseNorm: PyTorch's window (⌊n/2⌋ channels before, ⌈n/2⌉−1 after) as a 1×n average pool of x².
 * @module
 */
import * as tf from '@tensorflow/tfjs'
import type { Graph, Node, OpOf } from '../graph/ir.js'
import { isNamed } from '../shape/dim.js'
import { activate, fusedConv2dTraining, fusedLinearTraining, type ConvPadding, type FusedActivation } from './fusedTraining.js'
import type { ParamLayout } from './layout.js'

/** Tensors by state_dict name. */
export type TensorMap = ReadonlyMap<string, tf.Tensor>

/** What a step may read and write while the graph runs. */
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

/** One node's computation on internal-layout (NHWC) inputs. */
export type Kernel = (inputs: readonly tf.Tensor[], ctx: RunContext) => tf.Tensor

/** A planned step: a node, the ids of its inputs and its kernel. */
export interface Step {
  readonly node: Node
  readonly inputs: readonly number[]
  readonly run: Kernel
  /** The kernel returns its (single) input unchanged: an activation fused into its producer, or an identity. */
  readonly passthrough: boolean
}

/** Options of `plan`. */
export interface PlanOptions {
  /** Fuse bias + relu/sigmoid into conv/linear (default true; false is for testing the fusion). */
  readonly fuse?: boolean
}

/** An executable plan of a graph: its steps, and the internal layout of every parameter. */
export interface Plan {
  readonly steps: readonly Step[]
  readonly layouts: ReadonlyMap<string, ParamLayout>
  /** Number of consumers of each node (by id), the graph output counting as one more. */
  readonly uses: readonly number[]
}

const concreteDim = (node: Node, axis: number): number => {
  const d = node.shape[axis]
  if (isNamed(d)) throw new Error(`internal: ${node.path} has a symbolic dim on axis ${axis}`)
  return d
}

/** Consumers of every node, by id. */
function consumersOf(graph: Graph): Node[][] {
  const consumers: Node[][] = graph.nodes.map(() => [])
  for (const n of graph.nodes) for (const i of n.inputs) consumers[i.id].push(n)
  return consumers
}

/**
 * Plans a graph: picks each node's kernel, the fusions and the parameter layouts.
 * @example
 * ```ts
 * const { steps } = plan(trace(lenet(), [N, 1, 28, 28]))
 * ```
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
    const step = (run: Kernel, passthrough = false): Step => ({ node, inputs, run, passthrough })
    for (const p of node.params) layouts.set(p.name, { kind: 'same' })
    switch (op.kind) {
      case 'input':
        return step(() => {
          throw new Error('internal: the input node is not run')
        })
      case 'conv2d': {
        const act = activationAfter(node)
        if (act !== undefined) fusedInto.add(consumers[node.id][0].id)
        const depthwise = op.groups > 1 && op.groups === op.inChannels && op.out === op.inChannels
        layouts.set(`${node.path}.weight`, { kind: depthwise ? 'depthwise' : 'convHwio' })
        return step(convKernel(node, op, act ?? 'linear', depthwise))
      }
      case 'linear': {
        const act = activationAfter(node)
        if (act !== undefined) fusedInto.add(consumers[node.id][0].id)
        const src = node.inputs[0]
        const layout: ParamLayout =
          nhwcFlatten.has(src.id) && src.op.kind === 'flatten'
            ? { kind: 'linearAfterNhwcFlatten', chw: [concreteDim(src.inputs[0], 1), concreteDim(src.inputs[0], 2), concreteDim(src.inputs[0], 3)] }
            : { kind: 'linear' }
        layouts.set(`${node.path}.weight`, layout)
        return step(linearKernel(node, op, act ?? 'linear'))
      }
      case 'relu':
      case 'sigmoid':
        if (fusedInto.has(node.id)) return step(([x]) => x, true)
        return step(op.kind === 'relu' ? ([x]) => tf.relu(x) : ([x]) => tf.sigmoid(x))
      case 'tanh':
        return step(([x]) => tf.tanh(x))
      case 'softmax':
        // Channels (NHWC) or features (2-D) are the last axis.
        return step(([x]) => tf.softmax(x))
      case 'identity':
        return step(([x]) => x, true)
      case 'dropout':
        return step(dropoutKernel(node, op))
      case 'maxPool2d':
        return step(maxPoolKernel(node, op))
      case 'avgPool2d':
        return step(avgPoolKernel(node, op))
      case 'adaptiveAvgPool2d':
        return step(adaptiveAvgPoolKernel(node, op))
      case 'flatten':
        return step(flattenKernel(node, nhwcFlatten.has(node.id)))
      case 'batchNorm2d':
      case 'batchNorm1d':
        return step(batchNormKernel(node, op))
      case 'localResponseNorm':
        return step(localResponseNormKernel(op))
      case 'concat':
        return step((xs) => (xs.length === 1 ? xs[0] : tf.concat(xs as tf.Tensor[], xs[0].rank - 1)), false)
      case 'add':
        return step(([a, b]) => tf.add(a, b))
    }
  })
  const uses = graph.nodes.map((n) => consumers[n.id].length + (n === graph.output ? 1 : 0))
  return { steps, layouts, uses }
}

const param = (ctx: RunContext, name: string): tf.Tensor => {
  const t = ctx.params.get(name) ?? ctx.stats.get(name)
  if (t === undefined) throw new Error(`shapesafe: the model state has no tensor ${name}`)
  return t
}

/** Inserts d−1 zeros between kernel taps along H and W: a dilated conv as a plain conv (HWIO or depthwise filter). */
export function dilateKernel(w: tf.Tensor4D, [dh, dw]: readonly [number, number]): tf.Tensor4D {
  let out = w
  const [kh, kw, i, o] = w.shape
  if (dh > 1) {
    const spread = tf.pad(out.reshape([kh, 1, kw, i, o]), [[0, 0], [0, dh - 1], [0, 0], [0, 0], [0, 0]])
    out = spread.reshape([kh * dh, kw, i, o]).slice([0, 0, 0, 0], [(kh - 1) * dh + 1, kw, i, o]) as tf.Tensor4D
  }
  if (dw > 1) {
    const h = out.shape[0]
    const spread = tf.pad(out.reshape([h, kw, 1, i, o]), [[0, 0], [0, 0], [0, dw - 1], [0, 0], [0, 0]])
    out = spread.reshape([h, kw * dw, i, o]).slice([0, 0, 0, 0], [h, (kw - 1) * dw + 1, i, o]) as tf.Tensor4D
  }
  return out
}



function convKernel(node: Node, op: OpOf<'conv2d'>, activation: FusedActivation, depthwise: boolean): Kernel {
  const wName = `${node.path}.weight`
  const bName = op.bias ? `${node.path}.bias` : undefined
  const [t, b, l, r] = op.padding
  const pad: ConvPadding =
    t === 0 && b === 0 && l === 0 && r === 0 ? 'valid' : t === b && l === r && t === l ? t : [[0, 0], [t, b], [l, r], [0, 0]]
  const dilated = op.dilation[0] > 1 || op.dilation[1] > 1
  const strides = [op.stride[0], op.stride[1]] as [number, number]
  const groups = op.groups
  return (xs, ctx) => {
    const x = xs[0] as tf.Tensor4D
    let filter = param(ctx, wName) as tf.Tensor4D
    if (dilated) filter = dilateKernel(filter, op.dilation)
    const bias = bName === undefined ? undefined : param(ctx, bName)
    if (depthwise) {
      // tf.fused.depthwiseConv2d takes no explicit padding: pad first.
      const explicit = typeof pad === 'object'
      const xp = explicit ? (tf.pad(x, pad) as tf.Tensor4D) : x
      return tf.fused.depthwiseConv2d({ x: xp, filter, strides, pad: explicit ? 'valid' : pad, bias, activation })
    }
    if (groups === 1) {
      // Training with an activation: one recorded op instead of three (see fusedTraining.ts).
      if (ctx.training && activation !== 'linear') return fusedConv2dTraining(x, filter, bias, { strides, pad, activation })
      return tf.fused.conv2d({ x, filter, strides, pad, bias, activation })
    }
    const xParts = tf.split(x, groups, 3) as tf.Tensor4D[]
    const wParts = tf.split(filter, groups, 3) as tf.Tensor4D[]
    const y = tf.concat(xParts.map((xp, g) => tf.conv2d(xp, wParts[g], strides, pad)), 3)
    return activate(bias === undefined ? y : tf.add(y, bias), activation)
  }
}

function linearKernel(node: Node, op: OpOf<'linear'>, activation: FusedActivation): Kernel {
  const wName = `${node.path}.weight`
  const bName = op.bias ? `${node.path}.bias` : undefined
  return (xs, ctx) => {
    const a = xs[0] as tf.Tensor2D
    const b = param(ctx, wName) as tf.Tensor2D
    const bias = bName === undefined ? undefined : param(ctx, bName)
    // Training: one recorded op whose gradient uses untransposed products (see fusedTraining.ts).
    return ctx.training ? fusedLinearTraining(a, b, bias, activation) : tf.fused.matMul({ a, b, bias, activation })
  }
}

function dropoutKernel(node: Node, op: OpOf<'dropout'>): Kernel {
  return ([x], ctx) => (ctx.training && op.p > 0 ? tf.dropout(x, op.p, undefined, (ctx.seed >>> 0) * 1009 + node.id) : x)
}

/** Extra bottom/right cells a ceil-mode pool reads beyond the symmetric padding (0 in floor mode). */
function ceilExtra(input: number, output: number, kernel: number, stride: number, pad: number): number {
  return Math.max(0, (output - 1) * stride + kernel - (input + 2 * pad))
}

interface PoolGeometry {
  readonly h: number
  readonly w: number
  readonly ho: number
  readonly wo: number
  readonly extraH: number
  readonly extraW: number
}

function poolGeometry(node: Node, op: OpOf<'maxPool2d'> | OpOf<'avgPool2d'>): PoolGeometry {
  const src = node.inputs[0]
  const h = concreteDim(src, 2)
  const w = concreteDim(src, 3)
  const ho = concreteDim(node, 2)
  const wo = concreteDim(node, 3)
  return { h, w, ho, wo, extraH: ceilExtra(h, ho, op.kernel[0], op.stride[0], op.padding[0]), extraW: ceilExtra(w, wo, op.kernel[1], op.stride[1], op.padding[1]) }
}

function maxPoolKernel(node: Node, op: OpOf<'maxPool2d'>): Kernel {
  const g = poolGeometry(node, op)
  const [ph, pw] = op.padding
  const k = [op.kernel[0], op.kernel[1]] as [number, number]
  const s = [op.stride[0], op.stride[1]] as [number, number]
  // tfjs pools skip padded cells, which is PyTorch's −∞ padding; ceil mode reads `extra` more cells bottom/right.
  const pad: ConvPadding =
    g.extraH === 0 && g.extraW === 0 && ph === pw ? (ph === 0 ? 'valid' : ph) : [[0, 0], [ph, ph + g.extraH], [pw, pw + g.extraW], [0, 0]]
  const wasmPool = wasmMaxPool(k, s, pad)
  return ([x]) => (tf.getBackend() === 'wasm' ? wasmPool(x as tf.Tensor4D) : tf.maxPool(x as tf.Tensor4D, k, s, pad))
}

/**
 * Max pooling with a gradient that is right on wasm: tfjs-backend-wasm 4.22's `MaxPoolGrad` drops the gradient of
 * windows whose values are all negative. The backward pass runs it on x and y shifted by the same constant so that
 * every value is ≥ 1, which keeps each window's argmax.
 */
function wasmMaxPool(
  k: [number, number],
  s: [number, number],
  pad: ConvPadding,
): (x: tf.Tensor4D) => tf.Tensor4D {
  return tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const x = args[0] as tf.Tensor4D
    const save = args[1] as tf.GradSaveFunc
    const y = tf.maxPool(x, k, s, pad)
    save([x, y])
    return {
      value: y,
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const [xs, ys] = saved
        const shift = tf.sub(1, tf.min(xs))
        return tf.engine().runKernel(
          'MaxPoolGrad',
          { dy, input: tf.add(xs, shift), output: tf.add(ys, shift) },
          { filterSize: k, strides: s, pad, dimRoundingMode: undefined } as unknown as tf.NamedAttrMap,
        ) as tf.Tensor4D
      },
    }
  }) as (x: tf.Tensor4D) => tf.Tensor4D
}

/**
 * Per-output factor `kh·kw / divisor` turning tfjs's `mean over kh·kw` into PyTorch's average: the divisor is the
 * window clipped to the padded input (count_include_pad) or to the real input (not counting padding).
 */
export function avgPoolCorrection(g: PoolGeometry, op: OpOf<'avgPool2d'>): Float32Array | undefined {
  const [kh, kw] = op.kernel
  const [sh, sw] = op.stride
  const [ph, pw] = op.padding
  const out = new Float32Array(g.ho * g.wo)
  let needed = false
  for (let i = 0; i < g.ho; i++) {
    for (let j = 0; j < g.wo; j++) {
      let h0 = i * sh - ph
      let h1 = Math.min(h0 + kh, g.h + ph)
      let w0 = j * sw - pw
      let w1 = Math.min(w0 + kw, g.w + pw)
      if (!op.countIncludePad) {
        h0 = Math.max(h0, 0)
        w0 = Math.max(w0, 0)
        h1 = Math.min(h1, g.h)
        w1 = Math.min(w1, g.w)
      }
      const f = (kh * kw) / ((h1 - h0) * (w1 - w0))
      out[i * g.wo + j] = f
      if (f !== 1) needed = true
    }
  }
  return needed ? out : undefined
}

function avgPoolKernel(node: Node, op: OpOf<'avgPool2d'>): Kernel {
  const g = poolGeometry(node, op)
  const [ph, pw] = op.padding
  const k = [op.kernel[0], op.kernel[1]] as [number, number]
  const s = [op.stride[0], op.stride[1]] as [number, number]
  if (ph === 0 && pw === 0 && g.extraH === 0 && g.extraW === 0) return ([x]) => tf.avgPool(x as tf.Tensor4D, k, s, 'valid')
  const paddings: [number, number][] = [[0, 0], [ph, ph + g.extraH], [pw, pw + g.extraW], [0, 0]]
  const correction = avgPoolCorrection(g, op)
  return ([x]) => {
    const y = tf.avgPool(tf.pad(x, paddings) as tf.Tensor4D, k, s, 'valid')
    return correction === undefined ? y : tf.mul(y, tf.tensor4d(correction, [1, g.ho, g.wo, 1]))
  }
}

/** PyTorch's adaptive-pool averaging matrix `[out, size]`: row i averages ⌊i·size/out⌋ … ⌈(i+1)·size/out⌉ − 1. */
export function adaptiveBins(size: number, out: number): Float32Array {
  const m = new Float32Array(out * size)
  for (let i = 0; i < out; i++) {
    const start = Math.floor((i * size) / out)
    const end = Math.ceil(((i + 1) * size) / out)
    for (let j = start; j < end; j++) m[i * size + j] = 1 / (end - start)
  }
  return m
}

function adaptiveAvgPoolKernel(node: Node, op: OpOf<'adaptiveAvgPool2d'>): Kernel {
  const src = node.inputs[0]
  const h = concreteDim(src, 2)
  const w = concreteDim(src, 3)
  const c = concreteDim(src, 1)
  const [oh, ow] = op.output
  if (oh === 1 && ow === 1) return ([x]) => tf.mean(x, [1, 2], true)
  if (h % oh === 0 && w % ow === 0) {
    const k = [h / oh, w / ow] as [number, number]
    return ([x]) => tf.avgPool(x as tf.Tensor4D, k, k, 'valid')
  }
  const rows = adaptiveBins(h, oh)
  const cols = adaptiveBins(w, ow)
  return ([x]) => {
    const n = x.shape[0]
    // Over H: [1, oh, H] × [N, H, W·C] → [N, oh, W·C]; over W: [1, ow, W] × [N·oh, W, C] → [N·oh, ow, C].
    const byRows = tf.matMul(tf.tensor3d(rows, [1, oh, h]).tile([n, 1, 1]) as tf.Tensor3D, x.reshape([n, h, w * c]) as tf.Tensor3D)
    const byCols = tf.matMul(tf.tensor3d(cols, [1, ow, w]).tile([n * oh, 1, 1]) as tf.Tensor3D, byRows.reshape([n * oh, w, c]) as tf.Tensor3D)
    return byCols.reshape([n, oh, ow, c])
  }
}

function flattenKernel(node: Node, keepNhwc: boolean): Kernel {
  const src = node.inputs[0]
  const features = concreteDim(node, 1)
  const spatial = src.shape.length === 4 && (concreteDim(src, 2) > 1 || concreteDim(src, 3) > 1)
  if (!spatial || keepNhwc) return ([x]) => x.reshape([x.shape[0], features])
  // PyTorch's feature order is C-major: back to NCHW before reshaping.
  return ([x]) => tf.transpose(x, [0, 3, 1, 2]).reshape([x.shape[0], features])
}

function batchNormKernel(node: Node, op: OpOf<'batchNorm2d' | 'batchNorm1d'>): Kernel {
  const [wName, bName, meanName, varName] = ['weight', 'bias', 'running_mean', 'running_var'].map((s) => `${node.path}.${s}`)
  return ([x], ctx) => {
    const gamma = param(ctx, wName)
    const beta = param(ctx, bName)
    if (!ctx.training) {
      // y = x·scale + shift with scale = γ/√(var+eps), shift = β − mean·scale.
      const scale = tf.mul(gamma, tf.rsqrt(tf.add(param(ctx, varName), op.eps)))
      const shift = tf.sub(beta, tf.mul(param(ctx, meanName), scale))
      return tf.add(tf.mul(x, scale), shift)
    }
    const { y, mean, variance } = batchNormTraining(x, gamma, beta, op.eps)
    const count = x.size / x.shape[x.rank - 1]
    const m = op.momentum
    const unbiased = count > 1 ? count / (count - 1) : 1
    // Running statistics leave the step (and any enclosing tidy or gradient scope): kept. They are not on the loss's
    // path, so no gradient flows through them.
    ctx.newStats.set(meanName, tf.keep(tf.add(tf.mul(param(ctx, meanName), 1 - m), tf.mul(mean, m))))
    ctx.newStats.set(varName, tf.keep(tf.add(tf.mul(param(ctx, varName), 1 - m), tf.mul(variance, m * unbiased))))
    mean.dispose()
    variance.dispose()
    return y
  }
}

/**
 * BatchNorm in training mode on NHWC `x` (or `[N, F]` for BatchNorm1d: features last either way) with batch statistics, with a hand-written gradient: `tf.moments` plus
 * broadcasting ops would record a dozen full-size ops whose gradients reduce over N, H, W again and again. With
 * `x̂ = (x − μ)·r`, `r = 1/√(σ² + eps)` and `y = γ·x̂ + β` (σ² biased), the gradients are `dβ = Σdy`,
 * `dγ = r·Σ dy·(x − μ)` and `dx = γr·(dy − dβ/M − (x − μ)·r²·Σ dy·(x − μ)/M)` with M = N·H·W (N for `[N, F]`).
 * Returns `y` and the batch mean and biased variance (the caller owns these two; they carry no gradient).
 */
export function batchNormTraining(
  x: tf.Tensor,
  gamma: tf.Tensor,
  beta: tf.Tensor,
  eps: number,
): { y: tf.Tensor; mean: tf.Tensor; variance: tf.Tensor } {
  const axes = x.shape.slice(0, -1).map((_, i) => i) // every axis but the features/channels (last)
  const count = x.size / x.shape[x.rank - 1]
  let mean: tf.Tensor | undefined
  let variance: tf.Tensor | undefined
  const run = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const [xs, g, b] = args as tf.Tensor[]
    const save = args[3] as tf.GradSaveFunc
    const mu = tf.div(tf.sum(xs, axes), count)
    const centred = tf.sub(xs, mu)
    const sigma2 = tf.div(tf.sum(tf.square(centred), axes), count)
    const rstd = tf.rsqrt(tf.add(sigma2, eps))
    const scale = tf.mul(g, rstd)
    mean = tf.keep(mu)
    variance = tf.keep(sigma2)
    save([centred, rstd, scale])
    return {
      value: tf.add(tf.mul(centred, scale), b),
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const [xc, r, s] = saved
        const dBeta = tf.sum(dy, axes)
        const dyXc = tf.sum(tf.mul(dy, xc), axes)
        const dGamma = tf.mul(dyXc, r)
        const k1 = tf.div(tf.mul(s, tf.mul(tf.square(r), dyXc)), count)
        const k0 = tf.div(tf.mul(s, dBeta), count)
        const dx = tf.sub(tf.mul(dy, s), tf.add(tf.mul(xc, k1), k0))
        return [dx, dGamma, dBeta]
      },
    }
  })
  const y = run(x, gamma, beta)
  if (mean === undefined || variance === undefined) throw new Error('internal: batchNormTraining ran no forward pass')
  return { y, mean, variance }
}

function localResponseNormKernel(op: OpOf<'localResponseNorm'>): Kernel {
  const before = Math.floor(op.size / 2)
  const after = op.size - 1 - before
  return ([x]) => {
    const [n, h, w, c] = x.shape
    // Mean of x² over the channel window, as a 1×size average pool over [N, H·W, C + size − 1, 1].
    const sq = tf.pad(tf.square(x).reshape([n, h * w, c, 1]), [[0, 0], [0, 0], [before, after], [0, 0]])
    const mean = tf.avgPool(sq as tf.Tensor4D, [1, op.size], 1, 'valid').reshape([n, h, w, c])
    return tf.div(x, tf.pow(tf.add(tf.mul(mean, op.alpha), op.k), op.beta))
  }
}
