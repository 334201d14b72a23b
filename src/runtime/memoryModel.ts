/**
 * Training memory of a graph on this runtime, predicted from shapes alone: what one training step of
 * `train/fit.ts` (forward in training mode, `tf.valueAndGrads`, `applyStep`) holds at its peak, float32.
 *
 * The model follows what TensorFlow.js and this interpreter actually keep (tfjs-core 4.22):
 * - **weights** and **optimizer slots** (SGD with momentum 1 per parameter, Adam 2) live across steps;
 * - **activations kept for backward**: every tensor an op saves for its gradient (a conv's input and output, a
 *   BatchNorm's centred input, a dropout mask, a max pool's input and output…) stays alive until the whole backward
 *   pass ends, and the outputs nobody saves (a concatenation read only by a BatchNorm) are freed during the forward;
 * - **backward**: tfjs keeps the gradient of every recorded tensor until `valueAndGrads` returns, and the gradient
 *   functions of our custom ops (fused conv/linear + activation, BatchNorm, wasm max pool) run outside a `tidy`, so
 *   their intermediates (`dy·relu'`, `dy·xc`, …) stay too: at the end of the backward pass all of it is alive at once,
 *   with the parameter gradients;
 * - **the largest transient**: the conv filter-gradient kernel's transposed copies of x and dy, XNNPACK's packed copy
 *   of the transposed dy (output channels padded to 8) and its indirection buffer;
 * - XNNPACK's per-layer caches while the weights live: a packed copy of every conv weight, the forward
 *   convolution's indirection buffer (one 4-byte pointer per filter tap of each output pixel of one image: XNNPACK
 *   offsets it per image, so it does not grow with the batch), and a packed copy of a linear layer's weights when its
 *   forward product packs them;
 * - the optimizer step (`applyStep`) afterwards: weights, slots, gradients and one (SGD) or two (Adam) temporaries
 *   of the largest parameter. The peak is the larger of the two moments.
 *
 * The figures are the live bytes; a backend's heap also holds its own fixed part and grows in steps, see
 * {@link backendMemory}. Measured against the wasm heap in docs/benchmarks.md ("Predicted training memory").
 *
 * @module
 */
import type { Graph, Node } from '../graph/ir.js'
import { concreteShape, FLOAT32_BYTES, graphCost } from '../graph/cost.js'
import { numel, trainableParams } from '../graph/ir.js'
import { packsWeights } from './fusedTraining.js'
import { plan, type Step } from './interpreter.js'
import { passThrough } from './ops/dense.js'

/**
 * The optimizers whose state the model knows: SGD with momentum (1 slot) and Adam (2 slots).
 * @category Running
 */
export type MemoryOptimizer = 'sgd' | 'adam' | 'sgd-no-momentum'

/**
 * Optimizer slots per parameter.
 * @category Running
 */
export const optimizerSlots: Readonly<Record<MemoryOptimizer, number>> = { sgd: 1, adam: 2, 'sgd-no-momentum': 0 }

/**
 * The parts of a training step's peak, bytes.
 * @category Running
 */
export interface TrainingMemory {
  readonly batch: number
  readonly optimizer: MemoryOptimizer
  /** Trainable parameters. */
  readonly weights: number
  /** Their gradients. */
  readonly gradients: number
  /** Optimizer slots. */
  readonly optimizerState: number
  /** Tensors saved by the forward pass for the backward pass (the input included). */
  readonly activations: number
  /** Activation gradients and the custom gradients' intermediates, alive together at the end of the backward pass. */
  readonly backward: number
  /** XNNPACK's packed conv weights and forward indirection buffers. */
  readonly caches: number
  /** The largest short-lived buffer set of one kernel during the backward pass. */
  readonly transient: number
  /** The peak: the larger of the end of the backward pass and the optimizer step. */
  readonly peak: number
  /** Which moment is the peak. */
  readonly peakAt: 'backward' | 'optimizer'
  /** The part of the peak outside tensors (XNNPACK's caches when the peak is the backward pass). */
  readonly native: number
}

/** A step that returns its input: an activation fused into its producer, or an identity. */
const passes = (step: Step): boolean => step.run === passThrough

/** XNNPACK's indirection buffers hold one wasm32 pointer per filter tap of each output pixel. */
const INDIRECTION_POINTER_BYTES = 4

/**
 * XNNPACK's f32 matrix-product and convolution routines on wasm SIMD compute 8 output channels at a time, so a packed
 * weight (or a filter-gradient's packed `dy`) holds its output channels rounded up to 8: LeNet's 6-channel first
 * layer packs 8.
 */
const packedChannels = (channels: number): number => Math.ceil(channels / XNNPACK_CHANNEL_TILE) * XNNPACK_CHANNEL_TILE
const XNNPACK_CHANNEL_TILE = 8

const bytesOf = (node: Node, batch: number): number => numel(concreteShape(node.shape, batch)) * FLOAT32_BYTES

/**
 * Predicts the peak memory of one training step of `graph` (its input's batch dim, or `batch` for a symbolic one)
 * with `optimizer`.
 *
 * @example
 * ```ts
 * const m = trainingMemory(zoo.vgg11.graph({ input: [4, 1, 224, 224], classes: 10 }), { optimizer: 'sgd' })
 * formatBytes(m.peak) // '2.27 GiB'
 * ```
 * @category Running
 */
export function trainingMemory(
  graph: Graph,
  options: { readonly optimizer: MemoryOptimizer; readonly batch?: number; readonly weightDecay?: boolean },
): TrainingMemory {
  const batch = options.batch ?? 1
  const { steps } = plan(graph)
  const consumers: Node[][] = graph.nodes.map(() => [])
  for (const n of graph.nodes) for (const i of n.inputs) consumers[i.id].push(n)
  const bytes = (n: Node) => bytesOf(n, batch)
  /**
   * Buffers the gradient of a conv/linear's folded-in activation leaves (the activation step passes its input
   * through): relu' = step(y) and dz; sigmoid' = 1 − y, y·(1 − y) and dz.
   */
  const activationGradientBuffers = (n: Node): number => {
    const cs = consumers[n.id]
    if (cs.length !== 1 || !passes(steps[cs[0].id])) return 0
    return cs[0].op.kind === 'relu' ? 2 : cs[0].op.kind === 'sigmoid' ? 3 : 0
  }
  /** The node whose buffer a node's output is (through passthrough steps and reshapes). */
  const bufferOf = (n: Node): Node => {
    let cur = n
    for (;;) {
      const k = cur.op.kind
      if (passes(steps[cur.id]) && cur.inputs.length === 1) cur = cur.inputs[0]
      else if (k === 'flatten' && !transposesOnFlatten(cur)) cur = cur.inputs[0]
      else return cur
    }
  }
  const transposesOnFlatten = (n: Node): boolean => {
    const src = n.inputs[0]
    if (src.shape.length !== 4) return false
    const [h, w] = [src.shape[2], src.shape[3]]
    const spatial = h !== 1 || w !== 1
    const allLinear = consumers[n.id].length > 0 && consumers[n.id].every((c) => c.op.kind === 'linear') && n !== graph.output
    return spatial && !allLinear
  }

  const held = new Set<Node>() // buffers saved for backward
  let extraSaved = 0 // saved buffers that are not any node's output (BatchNorm's centred input, dropout masks)
  let backward = 0
  let transient = 0
  let caches = 0
  const inputBytes = bytes(graph.input)
  // The caller's NCHW batch and its NHWC transpose, which the first layer saves.
  extraSaved += inputBytes
  held.add(graph.input)

  for (const n of graph.nodes) {
    const op = n.op
    if (op.kind === 'input' || passes(steps[n.id])) continue
    const out = bytes(n)
    const src = n.inputs[0] === undefined ? undefined : bufferOf(n.inputs[0])
    const inBytes = n.inputs[0] === undefined ? 0 : bytes(n.inputs[0])
    switch (op.kind) {
      case 'conv2d': {
        held.add(n)
        if (src !== undefined) held.add(src)
        // Gradient: dx (input size) kept in the gradient map, and the activation's buffers (output size).
        backward += inBytes + activationGradientBuffers(n) * out
        const [kh, kw] = op.kernel
        const [ho, wo] = [Number(concreteShape(n.shape, batch)[2]), Number(concreteShape(n.shape, batch)[3])]
        const pointwise = kh === 1 && kw === 1
        // The packed weights, and (but for 1×1 filters, run as a matrix product) the indirection buffer of one
        // image: XNNPACK builds it for a single image and offsets it per image, so it does not grow with the batch.
        const depthwise = op.groups > 1 && op.groups === op.inChannels && op.groups === op.out
        const groupOut = depthwise ? op.out : op.groups * packedChannels(op.out / op.groups)
        caches += kh * kw * (op.inChannels / op.groups) * groupOut * FLOAT32_BYTES + (pointwise ? 0 : ho * wo * kh * kw * INDIRECTION_POINTER_BYTES)
        // Filter gradient: x and dy transposed, dy packed as XNNPACK's filter (its Cout padded to the tile), and the
        // indirection buffer of that convolution's one image (kh·kw output pixels, Ho·Wo taps each).
        const packedDy = (out * packedChannels(op.out)) / op.out
        const filterGradient = pointwise ? inBytes + out : inBytes + out + packedDy + kh * kw * ho * wo * INDIRECTION_POINTER_BYTES
        transient = Math.max(transient, filterGradient)
        break
      }
      case 'linear': {
        held.add(n)
        if (src !== undefined) held.add(src)
        // The activation's buffers, dzᵀ, W·dzᵀ and its transpose dx, xᵀ.
        backward += activationGradientBuffers(n) * out + out + 3 * inBytes
        // XNNPACK's packed copy of the weights, kept while they live, when the forward product packs them.
        const rows = Number(concreteShape(n.shape, batch)[0])
        if (packsWeights(rows, op.inFeatures * op.out)) caches += op.inFeatures * packedChannels(op.out) * FLOAT32_BYTES
        break
      }
      case 'batchNorm2d':
      case 'batchNorm1d':
        // Saves the centred input; its gradient leaves dy·xc, dy·s, xc·k1, +k0 and dx.
        extraSaved += out
        backward += 5 * out
        break
      case 'maxPool2d':
        held.add(n)
        if (src !== undefined) held.add(src)
        // x + shift, y + shift, dx.
        backward += 2 * inBytes + out
        break
      case 'avgPool2d':
      case 'adaptiveAvgPool2d':
      case 'relu':
      case 'tanh':
      case 'localResponseNorm':
        if (src !== undefined) held.add(src)
        backward += inBytes
        if (op.kind === 'localResponseNorm') {
          extraSaved += 4 * out
          backward += 4 * out
        }
        break
      case 'sigmoid':
      case 'softmax':
        held.add(n)
        backward += inBytes
        break
      case 'dropout':
        if (src !== undefined) held.add(src)
        held.add(n)
        extraSaved += inBytes // the mask
        backward += inBytes
        break
      case 'flatten':
        if (transposesOnFlatten(n)) {
          held.add(n)
          backward += inBytes
        }
        break
      case 'concat':
        for (const i of n.inputs) held.add(bufferOf(i))
        backward += out
        break
      case 'add':
        backward += out
        break
      case 'identity':
        break
    }
  }
  const activations = extraSaved + [...held].reduce((sum, n) => sum + bytes(n), 0)
  const params = trainableParams(graph)
  const weights = params.reduce((sum, p) => sum + numel(p.shape), 0) * FLOAT32_BYTES
  const largestParam = params.reduce((m, p) => Math.max(m, numel(p.shape)), 0) * FLOAT32_BYTES
  const slots = optimizerSlots[options.optimizer]
  const optimizerState = slots * weights
  const gradients = weights
  const atBackward = weights + optimizerState + caches + activations + backward + gradients + transient
  // applyStep updates parameter by parameter; the largest one's update holds one temporary of its size beyond its
  // value, gradient and slots with SGD, two with Adam (m1 and g1 beside the new m).
  // Its buffers come from fresh heap: the freed gradients of the backward pass are in pieces too small for them.
  // Weight decay adds one more (wd·p before g + wd·p).
  const temporaries = (options.optimizer === 'adam' ? 3 : 2) + (options.weightDecay === true ? 1 : 0)
  const atOptimizer = weights + optimizerState + gradients + temporaries * largestParam
  return {
    batch,
    optimizer: options.optimizer,
    weights,
    gradients,
    optimizerState,
    activations,
    backward,
    caches,
    transient,
    peak: Math.max(atBackward, atOptimizer),
    peakAt: atBackward >= atOptimizer ? 'backward' : 'optimizer',
    native: atBackward >= atOptimizer ? caches : 0,
  }
}

/**
 * What a backend can hold and how its memory grows.
 * @category Running
 */
export interface BackendMemory {
  /** The backend's name. */
  readonly backend: string
  /** The most a training step may use, bytes (undefined: no fixed limit known). */
  readonly limit: number | undefined
  /** Where the limit comes from, for messages. */
  readonly limitText: string
  /** Live bytes → bytes the backend needs (the allocator's overhead, {@link WASM_ALLOCATOR_OVERHEAD} on wasm). */
  readonly overhead: number
  /** Measured speed of a training step, for time estimates (undefined: none measured). */
  readonly speed: TrainingSpeed | undefined
}

/**
 * The measured training speed of an engine: seconds per image = 3·forward MACs / `macsPerSecond` + activation bytes /
 * `activationBytesPerSecond` (the three products of a step, then the elementwise, pooling and normalisation passes).
 * @category Running
 */
export interface TrainingSpeed {
  readonly macsPerSecond: number
  readonly activationBytesPerSecond: number
  /** Where the constants come from, for messages and docs. */
  readonly source: string
}

/**
 * The memory limits of a tfjs backend. wasm: tfjs-backend-wasm 4.22 is built with `-s MAXIMUM_MEMORY=4GB` (wasm32's
 * 4 GiB address space, 65,536 pages of 64 KiB) and an initial 16 MiB heap; a request past 4 GiB aborts the process
 * ("Aborted(OOM)"). cpu and tensorflow allocate from the process's own memory: no fixed limit.
 *
 * @example
 * ```ts
 * backendMemory('wasm').limit // 4294967296
 * ```
 * @category Running
 */
export function backendMemory(backend: string): BackendMemory {
  if (backend === 'wasm')
    return { backend, limit: 2 ** 32, limitText: 'the wasm heap holds 4 GiB', overhead: WASM_ALLOCATOR_OVERHEAD, speed: WASM_TRAINING_SPEED }
  return { backend, limit: undefined, limitText: `${backend} has no fixed memory limit`, overhead: 1, speed: trainingSpeedOf(backend) }
}

/**
 * The measured training speed of an engine by its name as the CLI reports it: the TensorFlow.js backends `wasm` and
 * `cpu`, and `torch-cpu` (the libtorch engine on the CPU). undefined where none was measured: `tensorflow`
 * (tfjs-node was not installed where the constants were measured) and `torch-cuda`.
 *
 * @example
 * ```ts
 * trainingSpeedOf('cpu')?.macsPerSecond // 1.96e7
 * trainingSpeedOf('tensorflow') // undefined
 * ```
 * @category Running
 */
export function trainingSpeedOf(engine: string): TrainingSpeed | undefined {
  return engine === 'wasm' ? WASM_TRAINING_SPEED : engine === 'cpu' ? CPU_TRAINING_SPEED : engine === 'torch-cpu' ? TORCH_CPU_TRAINING_SPEED : undefined
}

/**
 * The wasm backend's training speed (one thread, XNNPACK): 4.4 G multiply-adds per second over the three products of
 * a training step (forward, input gradient, weight gradient: 3 × the forward MACs), plus 175 MB/s over the bytes of
 * the activations (the elementwise, pooling and normalisation passes). Fitted by least squares (on the logarithm of
 * the time per image) to the twelve wasm training runs of docs/benchmarks.md "Training on Fashion-MNIST" (lenet …
 * vgg19, train img/s); the fit is within ±35 % of each of them. Those runs shared two cores, so estimates lean slow.
 * @category Running
 */
export const WASM_TRAINING_SPEED: TrainingSpeed = {
  macsPerSecond: 4.4e9,
  activationBytesPerSecond: 175e6,
  source: 'fitted to the wasm training runs of docs/benchmarks.md',
}

/**
 * The cpu backend's training speed (plain JavaScript, one thread): 19.6 M multiply-adds and 14.1 MB of activations per
 * second, fitted to the CPU seconds per image of lenet, nin-small and resnet-small (`npm run bench -- speed --backend
 * cpu lenet nin-small resnet-small`, bench/speed.ts; within ±7 % of each); docs/benchmarks.md "Training speed per
 * engine".
 * @category Running
 */
export const CPU_TRAINING_SPEED: TrainingSpeed = {
  macsPerSecond: 19.6e6,
  activationBytesPerSecond: 14.1e6,
  source: 'fitted to npm run bench -- speed --backend cpu',
}

/**
 * The libtorch engine's training speed on the CPU with one thread (`SHAPESAFE_THREADS=1`; more threads are faster):
 * 15.2 G multiply-adds and 818 MB of activations per second, fitted to the CPU seconds per image of lenet, nin-small,
 * resnet-small and resnet18 (`npm run bench -- speed --backend torch --steps 10`; within −20 … +53 % of each, the
 * small nets' steps being a few milliseconds); docs/benchmarks.md "Training speed per engine".
 * @category Running
 */
export const TORCH_CPU_TRAINING_SPEED: TrainingSpeed = {
  macsPerSecond: 15.2e9,
  activationBytesPerSecond: 818e6,
  source: 'fitted to npm run bench -- speed --backend torch (one thread)',
}

/**
 * Estimated seconds of training per image of `graph` (forward MACs and activation bytes per image) at `speed`.
 *
 * @example
 * ```ts
 * trainingSecondsPerImage(zoo.resnet18.graph({ input: [1, 1, 96, 96], classes: 10 }), WASM_TRAINING_SPEED) // ≈ 0.25
 * ```
 * @category Running
 */
export function trainingSecondsPerImage(graph: Graph, speed: TrainingSpeed): number {
  const n = graph.input.shape[0]
  const images = typeof n === 'number' ? n : 1
  const cost = graphCost(graph, 1)
  return ((3 * cost.macs) / speed.macsPerSecond + cost.activationBytes / speed.activationBytesPerSecond) / images
}

/**
 * The memory of an inference pass, bytes.
 * @category Running
 */
export interface InferenceMemory {
  /** Weights (BatchNorm statistics included) and XNNPACK's packed copies of the conv and linear weights. */
  readonly fixed: number
  /** The largest set of activations alive at once (grows with the batch). */
  readonly activations: number
  readonly peak: number
}

/**
 * Peak bytes of an inference (eval-mode forward) pass: the weights, XNNPACK's packed weights, and the largest set of
 * activations alive at once as the interpreter frees each after its last use.
 *
 * @example
 * ```ts
 * inferenceMemory(zoo.resnet50.graph({ input: [8, 3, 224, 224], classes: 1000 })).peak
 * ```
 * @category Running
 */
export function inferenceMemory(graph: Graph, batch = 1): InferenceMemory {
  const { steps, uses } = plan(graph)
  const remaining = [...uses]
  const size = (n: Node) => bytesOf(n, batch)
  let live = 2 * size(graph.input) // the caller's NCHW input and its NHWC transpose
  let peak = live
  for (const n of graph.nodes) {
    if (n.op.kind === 'input') continue
    if (!passes(steps[n.id])) live += size(n)
    peak = Math.max(peak, live)
    for (const i of n.inputs) {
      remaining[i.id]--
      if (remaining[i.id] === 0 && !passes(steps[i.id]) && i.op.kind !== 'input') live -= size(i)
    }
  }
  const weights = graph.nodes.reduce((sum, n) => sum + n.params.reduce((s, p) => s + numel(p.shape), 0), 0) * FLOAT32_BYTES
  const packed = graph.nodes.reduce((sum, n) => sum + (n.op.kind === 'conv2d' || n.op.kind === 'linear' ? n.params.filter((p) => p.role === 'weight').reduce((s, p) => s + numel(p.shape), 0) : 0), 0) * FLOAT32_BYTES
  return { fixed: weights + packed, activations: peak, peak: weights + packed + peak }
}


/**
 * The allocator's overhead on the tensor bytes of a training step on wasm: freed tensors of one size are reused only
 * by allocations that fit, so the heap's high-water mark exceeds the live peak. Fitted once on the measurements of
 * docs/benchmarks.md ("Predicted training memory": lenet, resnet18, densenet121, vgg11). XNNPACK's caches, allocated
 * once per layer and step, are counted as they are.
 * @category Running
 */
export const WASM_ALLOCATOR_OVERHEAD = 1.1

/**
 * Bytes `backend` needs for a training step whose live peak is `memory`: its tensors with the allocator's overhead,
 * plus the native caches.
 *
 * @example
 * ```ts
 * const graph = zoo.vgg11.graph({ input: [4, 1, 224, 224], classes: 10 })
 * backendNeeds(trainingMemory(graph, { optimizer: 'sgd' }), backendMemory('wasm')) // ≈ 2.4 GiB
 * ```
 * @category Running
 */
export function backendNeeds(memory: Pick<TrainingMemory, 'peak' | 'native'>, backend: BackendMemory): number {
  return (memory.peak - memory.native) * backend.overhead + memory.native
}

/**
 * The wasm heap size reached when `needBytes` (see {@link backendNeeds}) are needed at once: Emscripten grows the heap from its initial 16 MiB
 * by a fifth of its size at a time, at most 96 MiB past the request, in 64 KiB pages, up to 4 GiB (the heap sizes
 * measured for small nets are these steps: 33 MiB = 16 · 1.2⁴, 120 MiB = 16 · 1.2¹¹).
 *
 * @example
 * ```ts
 * wasmHeapFor(22 * 2 ** 20) // 16 MiB · 1.2 · 1.2 ≈ 23 MiB
 * ```
 * @category Running
 */
export function wasmHeapFor(needBytes: number): number {
  const page = 65536
  const need = needBytes
  let size = 16 * 2 ** 20
  // Allocations come a tensor at a time, so each growth asks for a little more than the heap has.
  while (size < need) size = Math.ceil(Math.min(size * 1.2, size + 96 * 2 ** 20) / page) * page
  return size
}
