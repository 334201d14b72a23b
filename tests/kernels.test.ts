// Over 400 lines on purpose: the wasm gradient kernels share one case table and one float64 reference.
import '@tensorflow/tfjs-backend-wasm'
import * as tf from '@tensorflow/tfjs'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import {
  builtinWasmKernel,
  conv2DBackpropFilterWasmConfig,
  conv2DBackpropInputWasmConfig,
  depthwiseConv2dBackpropFilterWasmConfig,
  depthwiseConv2dBackpropInputWasmConfig,
  maxPoolGradWasmConfig,
  registerWasmTrainingKernels,
  unregisterWasmTrainingKernels,
} from '../src/runtime/kernels/index.js'
import type { ConvPadding } from '../src/runtime/kernels/convGeometry.js'
import { compactTranspose } from '../src/runtime/kernels/transpose.js'

type Pair = [number, number]

/** One forward convolution (NHWC); for depthwise cases `cout` is the channel multiplier. */
interface Case {
  readonly name: string
  readonly n: number
  readonly h: number
  readonly w: number
  readonly cin: number
  readonly cout: number
  readonly k: Pair
  readonly stride: Pair
  readonly dilation: Pair
  readonly pad: ConvPadding
  readonly dimRoundingMode?: 'floor' | 'round' | 'ceil'
}

const c = (name: string, n: number, h: number, w: number, cin: number, cout: number, k: number | Pair,
  stride: number | Pair, pad: ConvPadding, dilation: number | Pair = 1, dimRoundingMode?: 'ceil'): Case => ({
  name, n, h, w, cin, cout, pad, dimRoundingMode,
  k: typeof k === 'number' ? [k, k] : k,
  stride: typeof stride === 'number' ? [stride, stride] : stride,
  dilation: typeof dilation === 'number' ? [dilation, dilation] : dilation,
})

const ex = (t: number, b: number, l: number, r: number): ConvPadding => [[0, 0], [t, b], [l, r], [0, 0]]

const CONV_CASES: readonly Case[] = [
  c('1x1 minimal', 1, 5, 5, 1, 1, 1, 1, 'valid'),
  c('3x3 same odd', 2, 7, 9, 3, 4, 3, 1, 'same'),
  c('3x3 s2 same even', 2, 8, 8, 3, 2, 3, 2, 'same'),
  c('3x3 s2 valid odd', 3, 9, 7, 2, 5, 3, 2, 'valid'),
  c('5x5 s2 valid floor drops a row', 1, 12, 11, 4, 4, 5, 2, 'valid'),
  c('7x7 s2 same', 4, 17, 17, 8, 8, 7, 2, 'same'),
  c('3x5 strides 2,3 valid', 2, 10, 13, 3, 6, [3, 5], [2, 3], 'valid'),
  c('5x5 s3 numeric pad 2', 2, 15, 15, 5, 3, 5, 3, 2),
  c('3x3 s2 explicit asym', 1, 13, 12, 2, 3, 3, 2, ex(1, 2, 0, 1)),
  c('1x1 s2 downsample', 2, 14, 14, 8, 1, 1, 2, 'valid'),
  c('1x1 s3 same', 2, 13, 13, 3, 4, 1, 3, 'same'),
  c('1x1 s2 explicit far padding', 2, 9, 10, 3, 4, 1, 2, ex(0, 3, 0, 1)),
  c('3x3 s3 numeric pad 1', 4, 6, 6, 1, 8, 3, 3, 1),
  c('5x1 strides 1,2 same', 1, 5, 17, 2, 3, [5, 1], [1, 2], 'same'),
  c('7x7 numeric pad 3', 2, 12, 12, 6, 7, 7, 1, 3),
  c('padding wider than kernel', 1, 7, 7, 2, 2, 3, 1, ex(4, 0, 0, 5)),
  c('3x3 s2 pad 1 ceil rounding', 1, 8, 8, 2, 3, 3, 2, 1, 1, 'ceil'),
]

const DEPTHWISE_CASES: readonly Case[] = [
  c('dw 3x3 same', 2, 9, 9, 3, 1, 3, 1, 'same'),
  c('dw 3x3 s2 valid mult 2', 2, 10, 11, 4, 2, 3, 2, 'valid'),
  c('dw 5x5 s2 same mult 3', 1, 13, 13, 2, 3, 5, 2, 'same'),
  c('dw 1x1 s2 pad 1', 2, 12, 12, 5, 1, 1, 2, 1),
  c('dw 3x5 strides 3,1 explicit', 1, 11, 8, 3, 2, [3, 5], [3, 1], ex(0, 2, 1, 1)),
  c('dw 3x3 dilation 2 valid mult 2', 3, 9, 9, 3, 2, 3, 1, 'valid', 2),
]

const unitDilation = (k: Case): boolean => k.dilation[0] === 1 && k.dilation[1] === 1

/** Deterministic values in [-1, 1). */
function randomValues(size: number, seed: number): Float32Array {
  let s = seed >>> 0
  const out = new Float32Array(size)
  for (let i = 0; i < size; i++) {
    s = (s + 0x6d2b79f5) >>> 0
    let t = s
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    out[i] = ((t ^ (t >>> 14)) >>> 0) / 2 ** 31 - 1
  }
  return out
}

interface Geometry { outH: number, outW: number, padTop: number, padLeft: number }

function geometry(k: Case, depthwise: boolean): Geometry {
  const info = tf.backend_util.computeConv2DInfo([k.n, k.h, k.w, k.cin], [k.k[0], k.k[1], k.cin, k.cout],
    k.stride, k.dilation, k.pad as 'same', k.dimRoundingMode, depthwise)
  return { outH: info.outHeight, outW: info.outWidth, padTop: info.padInfo.top, padLeft: info.padInfo.left }
}

interface Data {
  readonly x: Float32Array
  readonly filter: Float32Array
  readonly dy: Float32Array
  readonly xShape: [number, number, number, number]
  readonly filterShape: [number, number, number, number]
  readonly dyShape: [number, number, number, number]
}

function makeData(k: Case, depthwise: boolean, seed: number): Data {
  const g = geometry(k, depthwise)
  const outC = depthwise ? k.cin * k.cout : k.cout
  const xShape: Data['xShape'] = [k.n, k.h, k.w, k.cin]
  const filterShape: Data['filterShape'] = [k.k[0], k.k[1], k.cin, k.cout]
  const dyShape: Data['dyShape'] = [k.n, g.outH, g.outW, outC]
  const size = (s: readonly number[]) => s.reduce((a, b) => a * b, 1)
  return {
    x: randomValues(size(xShape), seed), filter: randomValues(size(filterShape), seed + 1),
    dy: randomValues(size(dyShape), seed + 2), xShape, filterShape, dyShape,
  }
}

/** Float64 reference gradients of a (depthwise) convolution, straight from the definition. */
function referenceGradients(k: Case, d: Data, depthwise: boolean): { dx: Float64Array, dw: Float64Array } {
  const g = geometry(k, depthwise)
  const [n, h, w, cin] = d.xShape
  const [kh, kw, , m] = d.filterShape
  const outC = d.dyShape[3]
  const dx = new Float64Array(d.x.length)
  const dw = new Float64Array(d.filter.length)
  for (let b = 0; b < n; b++) {
    for (let oh = 0; oh < g.outH; oh++) {
      for (let ow = 0; ow < g.outW; ow++) {
        for (let co = 0; co < outC; co++) {
          const grad = d.dy[((b * g.outH + oh) * g.outW + ow) * outC + co]
          for (let i = 0; i < kh; i++) {
            const ih = oh * k.stride[0] + i * k.dilation[0] - g.padTop
            if (ih < 0 || ih >= h) continue
            for (let j = 0; j < kw; j++) {
              const iw = ow * k.stride[1] + j * k.dilation[1] - g.padLeft
              if (iw < 0 || iw >= w) continue
              const xBase = ((b * h + ih) * w + iw) * cin
              if (depthwise) {
                const ci = Math.floor(co / m)
                const fi = ((i * kw + j) * cin + ci) * m + (co % m)
                dx[xBase + ci] += grad * d.filter[fi]
                dw[fi] += grad * d.x[xBase + ci]
              } else {
                for (let ci = 0; ci < cin; ci++) {
                  const fi = ((i * kw + j) * cin + ci) * outC + co
                  dx[xBase + ci] += grad * d.filter[fi]
                  dw[fi] += grad * d.x[xBase + ci]
                }
              }
            }
          }
        }
      }
    }
  }
  return { dx, dw }
}

/** Largest absolute difference relative to the largest expected magnitude. */
function relativeError(actual: ArrayLike<number>, expected: ArrayLike<number>): number {
  expect(actual.length).toBe(expected.length)
  let err = 0
  let scale = 0
  for (let i = 0; i < expected.length; i++) {
    err = Math.max(err, Math.abs(actual[i] - expected[i]))
    scale = Math.max(scale, Math.abs(expected[i]))
  }
  return err / Math.max(scale, 1e-6)
}

const TOLERANCE = 1e-4

/** Runs `f` on `backend` and returns the values of the tensors it yields, leaving nothing behind. */
async function on(backend: 'wasm' | 'cpu', f: () => tf.Tensor[]): Promise<Float32Array[]> {
  await tf.setBackend(backend)
  const ts = tf.tidy(f)
  const values = ts.map((t) => t.dataSync() as Float32Array)
  tf.dispose(ts)
  return values
}

function rawKernels(k: Case, d: Data, depthwise: boolean): tf.Tensor[] {
  const x = tf.tensor4d(d.x, d.xShape)
  const filter = tf.tensor4d(d.filter, d.filterShape)
  const dy = tf.tensor4d(d.dy, d.dyShape)
  const common = { strides: k.stride, pad: k.pad, dimRoundingMode: k.dimRoundingMode }
  // The attributes tfjs's gradients pass: the depthwise ones carry \`dilations\`, the conv2d ones do not (the
  // interpreter runs a dilated conv2d over a zero-dilated filter, src/runtime/ops/conv.ts).
  const conv = depthwise ? { dilations: k.dilation } : { dataFormat: 'NHWC' }
  const dx = tf.engine().runKernel(depthwise ? 'DepthwiseConv2dNativeBackpropInput' : 'Conv2DBackpropInput',
    { dy, filter }, { ...common, ...conv, inputShape: d.xShape } as unknown as tf.NamedAttrMap) as tf.Tensor
  const dw = tf.engine().runKernel(depthwise ? 'DepthwiseConv2dNativeBackpropFilter' : 'Conv2DBackpropFilter',
    { x, dy }, { ...common, ...conv, filterShape: d.filterShape } as unknown as tf.NamedAttrMap) as tf.Tensor
  return [dx, dw]
}

function gradsThroughOp(k: Case, d: Data, depthwise: boolean): tf.Tensor[] {
  const x = tf.tensor4d(d.x, d.xShape)
  const filter = tf.tensor4d(d.filter, d.filterShape)
  const cotangent = tf.tensor4d(d.dy, d.dyShape)
  const loss = (xs: tf.Tensor, ws: tf.Tensor) => {
    const y = depthwise
      ? tf.depthwiseConv2d(xs as tf.Tensor4D, ws as tf.Tensor4D, k.stride, k.pad as 'same', 'NHWC', 1, k.dimRoundingMode)
      : tf.conv2d(xs as tf.Tensor4D, ws as tf.Tensor4D, k.stride, k.pad as 'same', 'NHWC', 1, k.dimRoundingMode)
    return tf.sum(tf.mul(y, cotangent))
  }
  return tf.grads(loss)([x, filter])
}

beforeAll(async () => {
  registerWasmTrainingKernels()
  await tf.setBackend('wasm')
})

afterAll(async () => {
  await tf.setBackend('wasm')
})

describe.each([
  ['conv2d', CONV_CASES, false],
  ['depthwise conv2d', DEPTHWISE_CASES, true],
] as const)('%s gradients on wasm', (_label, cases, depthwise) => {
  it.each(cases.map((k, i) => [k.name, k, i] as const))('%s: raw kernels match a float64 reference', async (_n, k, i) => {
    const d = makeData(k, depthwise, 100 + i)
    const ref = referenceGradients(k, d, depthwise)
    const [dx, dw] = await on('wasm', () => rawKernels(k, d, depthwise))
    expect(relativeError(dx, ref.dx)).toBeLessThan(TOLERANCE)
    expect(relativeError(dw, ref.dw)).toBeLessThan(TOLERANCE)
  })

  it.each(cases.filter(unitDilation).map((k, i) => [k.name, k, i] as const))(
    '%s: raw kernels and tf.grads agree with the cpu backend', async (_n, k, i) => {
      const d = makeData(k, depthwise, 500 + i)
      const [cpuDx, cpuDw] = await on('cpu', () => rawKernels(k, d, depthwise))
      const [wasmDx, wasmDw] = await on('wasm', () => rawKernels(k, d, depthwise))
      expect(relativeError(wasmDx, cpuDx)).toBeLessThan(TOLERANCE)
      expect(relativeError(wasmDw, cpuDw)).toBeLessThan(TOLERANCE)
      const [wasmGx, wasmGw] = await on('wasm', () => gradsThroughOp(k, d, depthwise))
      if (k.dimRoundingMode === undefined) {
        const [cpuGx, cpuGw] = await on('cpu', () => gradsThroughOp(k, d, depthwise))
        expect(relativeError(wasmGx, cpuGx)).toBeLessThan(TOLERANCE)
        expect(relativeError(wasmGw, cpuGw)).toBeLessThan(TOLERANCE)
      } else {
        // tfjs's conv2d gradient drops dimRoundingMode, and the cpu kernels then misread dy;
        // the wasm kernels take dy's real size, so compare with the definition instead.
        const ref = referenceGradients(k, d, depthwise)
        expect(relativeError(wasmGx, ref.dx)).toBeLessThan(TOLERANCE)
        expect(relativeError(wasmGw, ref.dw)).toBeLessThan(TOLERANCE)
      }
    })
})

describe('Conv2DBackpropInput replacement', () => {
  it.each(CONV_CASES.filter(unitDilation).map((k, i) => [k.name, k, i] as const))(
    '%s: equals the built-in wasm kernel', async (_n, k, i) => {
      await tf.setBackend('wasm')
      const builtin = builtinWasmKernel('Conv2DBackpropInput')
      expect(builtin).toBeDefined()
      const d = makeData(k, false, 900 + i)
      const backend = tf.backend()
      const [ours] = await on('wasm', () => rawKernels(k, d, false))
      const dy = tf.tensor4d(d.dy, d.dyShape)
      const filter = tf.tensor4d(d.filter, d.filterShape)
      const out = builtin!.kernelFunc({
        inputs: { dy, filter }, backend,
        attrs: { strides: k.stride, pad: k.pad, dataFormat: 'NHWC', dimRoundingMode: k.dimRoundingMode, inputShape: d.xShape } as unknown as tf.NamedAttrMap,
      }) as tf.TensorInfo
      const theirs = Float32Array.from(backend.readSync(out.dataId) as Float32Array)
      backend.disposeData(out.dataId)
      tf.dispose([dy, filter])
      expect(relativeError(ours, theirs)).toBeLessThan(1e-5)
    })
})

describe('NCHW data format', () => {
  it('matches the NHWC result after transposing', async () => {
    const k = c('nchw', 2, 9, 8, 3, 4, 3, 2, 'same')
    const d = makeData(k, false, 77)
    const ref = referenceGradients(k, d, false)
    const [dx, dw] = await on('wasm', () => {
      const x = tf.transpose(tf.tensor4d(d.x, d.xShape), [0, 3, 1, 2])
      const dy = tf.transpose(tf.tensor4d(d.dy, d.dyShape), [0, 3, 1, 2])
      const filter = tf.tensor4d(d.filter, d.filterShape)
      const attrs = { strides: k.stride, pad: k.pad, dataFormat: 'NCHW' }
      const inputShape = [k.n, k.cin, k.h, k.w]
      const dxNCHW = tf.engine().runKernel('Conv2DBackpropInput', { dy, filter },
        { ...attrs, inputShape } as unknown as tf.NamedAttrMap) as tf.Tensor
      const dwOut = tf.engine().runKernel('Conv2DBackpropFilter', { x, dy },
        { ...attrs, filterShape: d.filterShape } as unknown as tf.NamedAttrMap) as tf.Tensor
      return [tf.transpose(dxNCHW, [0, 2, 3, 1]), dwOut]
    })
    expect(relativeError(dx, ref.dx)).toBeLessThan(TOLERANCE)
    expect(relativeError(dw, ref.dw)).toBeLessThan(TOLERANCE)
  })
})

describe('MaxPoolGrad on wasm', () => {
  // Distinct values (no ties between backends), every window all negative, or mixed, or all positive.
  const values = (n: number, offset: number, seed: number): number[] =>
    Array.from({ length: n }, (_, i) => offset + ((i * 7919 + seed * 104729) % 1009) / 1009 - 0.5 * ((i * 31) % 3))
  const pools: readonly [string, Pair, Pair, 'valid' | 'same' | number | [[number, number], [number, number], [number, number], [number, number]]][] = [
    ['2x2 s2 valid', [2, 2], [2, 2], 'valid'],
    ['3x3 s2 pad 1', [3, 3], [2, 2], 1],
    ['3x3 s2 ceil-mode overhang', [3, 3], [2, 2], [[0, 0], [0, 1], [0, 1], [0, 0]]],
    ['3x2 s1 same', [3, 2], [1, 1], 'same'],
  ]
  const grad = (xv: number[], pool: (typeof pools)[number]) => () => {
    const [, k, s, pad] = pool
    const x = tf.tensor4d(xv, [2, 6, 6, 3])
    const cot = tf.tensor4d(values(tf.maxPool(x, k, s, pad).size, 0, 3), tf.maxPool(x, k, s, pad).shape)
    return [tf.grad((xs: tf.Tensor4D) => tf.sum(tf.mul(tf.maxPool(xs, k, s, pad), cot)))(x)]
  }

  it.each(pools.flatMap((p) => ([['negative', -10], ['mixed', 0], ['positive', 10]] as const).map(([sign, offset]) => [p[0], sign, p, offset] as const)))(
    '%s, %s values: the gradient equals the cpu backend\'s', async (_n, _sign, pool, offset) => {
      const xv = values(2 * 6 * 6 * 3, offset, 1)
      const [cpu] = await on('cpu', grad(xv, pool))
      const [wasm] = await on('wasm', grad(xv, pool))
      expect(relativeError(wasm, cpu)).toBeLessThan(1e-6)
    })

  it('is needed: the built-in kernel loses the gradient of all-negative windows', async () => {
    await tf.setBackend('wasm')
    unregisterWasmTrainingKernels()
    try {
      const xv = values(2 * 6 * 6 * 3, -10, 1)
      const [cpu] = await on('cpu', grad(xv, pools[0]))
      const [stock] = await on('wasm', grad(xv, pools[0]))
      expect(relativeError(stock, cpu)).toBeGreaterThan(0.5)
    } finally {
      registerWasmTrainingKernels()
    }
  })
})

describe('registerWasmTrainingKernels', () => {
  it('is idempotent and installs every kernel', async () => {
    const warn = vi.spyOn(console, 'warn')
    registerWasmTrainingKernels()
    registerWasmTrainingKernels()
    expect(warn).not.toHaveBeenCalled()
    warn.mockRestore()
    expect(tf.getKernel('Conv2DBackpropFilter', 'wasm')).toBe(conv2DBackpropFilterWasmConfig)
    expect(tf.getKernel('Conv2DBackpropInput', 'wasm')).toBe(conv2DBackpropInputWasmConfig)
    expect(tf.getKernel('DepthwiseConv2dNativeBackpropFilter', 'wasm')).toBe(depthwiseConv2dBackpropFilterWasmConfig)
    expect(tf.getKernel('DepthwiseConv2dNativeBackpropInput', 'wasm')).toBe(depthwiseConv2dBackpropInputWasmConfig)
    expect(tf.getKernel('MaxPoolGrad', 'wasm')).toBe(maxPoolGradWasmConfig)
  })

  it('can be undone and redone, restoring the built-in input-gradient kernel', async () => {
    await tf.setBackend('wasm')
    unregisterWasmTrainingKernels()
    expect(tf.getKernel('Conv2DBackpropFilter', 'wasm')).toBeUndefined()
    const builtin = tf.getKernel('Conv2DBackpropInput', 'wasm')
    expect(builtin).toBeDefined()
    expect(builtin).not.toBe(conv2DBackpropInputWasmConfig)
    const k = CONV_CASES[2]
    const d = makeData(k, false, 1)
    const [stock] = await on('wasm', () => [tf.engine().runKernel('Conv2DBackpropInput',
      { dy: tf.tensor4d(d.dy, d.dyShape), filter: tf.tensor4d(d.filter, d.filterShape) },
      { strides: k.stride, pad: k.pad, dataFormat: 'NHWC', inputShape: d.xShape } as unknown as tf.NamedAttrMap) as tf.Tensor])
    registerWasmTrainingKernels()
    expect(tf.getKernel('Conv2DBackpropInput', 'wasm')).toBe(conv2DBackpropInputWasmConfig)
    const [ours] = await on('wasm', () => rawKernels(k, d, false))
    expect(relativeError(ours, stock)).toBeLessThan(1e-5)
  })
})

describe('compactTranspose', () => {
  it('merges axes that stay adjacent and drops size-1 axes', () => {
    expect(compactTranspose([32, 24, 2, 24, 2, 64], [2, 4, 5, 0, 1, 3])).toEqual({ shape: [768, 2, 24, 128], perm: [1, 3, 0, 2] })
    expect(compactTranspose([2, 3, 1, 5], [3, 2, 0, 1])).toEqual({ shape: [6, 5], perm: [1, 0] })
    expect(compactTranspose([4, 5, 6], [0, 1, 2])).toEqual({ shape: [120], perm: [0] })
  })

  it('gives the same values as a direct 6-D transpose', async () => {
    const values = randomValues(2 * 3 * 2 * 4 * 1 * 5, 9)
    const perm = [2, 4, 5, 0, 1, 3]
    const [direct] = await on('cpu', () => [tf.transpose(tf.tensor(values, [2, 3, 2, 4, 1, 5]), perm)])
    const [viaWasm] = await on('wasm', () => {
      const x = tf.tensor(values, [2, 3, 2, 4, 1, 5])
      const { shape, perm: p } = compactTranspose(x.shape, perm)
      return [tf.transpose(x.reshape(shape), p)]
    })
    expect(Array.from(viaWasm)).toEqual(Array.from(direct))
  })
})

describe('memory', () => {
  it('repeated gradient computations leak neither tensors nor backend buffers', async () => {
    await tf.setBackend('wasm')
    const backend = tf.backend()
    const cases = [CONV_CASES[5], CONV_CASES[14], CONV_CASES[8]]
    const dwCase = DEPTHWISE_CASES[1]
    const step = () => {
      for (const [k, depthwise] of [...cases.map((k) => [k, false] as const), [dwCase, true] as const]) {
        const d = makeData(k, depthwise, 3)
        tf.dispose(tf.tidy(() => [...gradsThroughOp(k, d, depthwise), ...rawKernels(k, d, depthwise)]))
      }
      const dilated = DEPTHWISE_CASES[5] // the depthwise kernels honour tfjs's dilations attribute
      const dil = makeData(dilated, true, 3)
      tf.dispose(tf.tidy(() => rawKernels(dilated, dil, true)))
    }
    step()
    const tensors = tf.memory().numTensors
    const buffers = backend.numDataIds()
    for (let i = 0; i < 5; i++) step()
    expect(tf.memory().numTensors).toBe(tensors)
    expect(backend.numDataIds()).toBe(buffers)
  })
})
