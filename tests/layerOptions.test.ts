/**
 * Run-time checks of layer options (issue 11 §3, §7): unknown keys throw naming the layer, the key and the closest
 * valid key, for every layer constructor (JavaScript callers and `as any` get no type error); `prod` multiplies
 * exactly or throws; `batchNorm1d` traces on `[N, F]` and rejects the rest.
 */
import { readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { describe, expect, it } from 'vitest'
import {
  adaptiveAvgPool2d,
  avgPool2d,
  batchNorm1d,
  batchNorm2d,
  conv2d,
  densenet121,
  dropout,
  flatten,
  graphOf,
  input,
  LayerOptionsError,
  linear,
  localResponseNorm,
  maxPool2d,
  lenet,
  N,
  prod,
  resnet18,
  ShapeError,
  relu,
  sigmoid,
  softmax,
  summarize,
  tanh,
  vgg11,
  type BatchNorm2dOptions,
  type Conv2dOptions,
  type LayerInfo,
  type Pool2dOptions,
} from '../src/index.js'

/** Each constructor with valid options, and the misspelling a PyTorch user would write, with the key we suggest. */
const constructors: readonly { layer: string; make: (o: object) => unknown; valid: object; typo: [string, unknown]; suggestion: string | undefined }[] = [
  { layer: 'conv2d', make: (o) => conv2d(o as never), valid: { out: 96, kernel: 11 }, typo: ['kernel_size', 11], suggestion: 'kernel' },
  { layer: 'conv2d', make: (o) => conv2d(o as never), valid: { out: 96, kernel: 11 }, typo: ['strides', 4], suggestion: 'stride' },
  { layer: 'conv2d', make: (o) => conv2d(o as never), valid: { out: 96, kernel: 11 }, typo: ['paddng', 1], suggestion: 'padding' },
  { layer: 'conv2d', make: (o) => conv2d(o as never), valid: { out: 96, kernel: 11 }, typo: ['in_channels', 1], suggestion: 'in' },
  { layer: 'maxPool2d', make: (o) => maxPool2d(o as never), valid: { kernel: 3 }, typo: ['ceil_mode', true], suggestion: 'ceilMode' },
  { layer: 'maxPool2d', make: (o) => maxPool2d(o as never), valid: { kernel: 3 }, typo: ['countIncludePad', false], suggestion: undefined },
  { layer: 'avgPool2d', make: (o) => avgPool2d(o as never), valid: { kernel: 3 }, typo: ['count_include_pad', false], suggestion: 'countIncludePad' },
  { layer: 'adaptiveAvgPool2d', make: (o) => adaptiveAvgPool2d(o as never), valid: { output: 1 }, typo: ['output_size', 1], suggestion: 'output' },
  { layer: 'linear', make: (o) => linear(o as never), valid: { out: 10 }, typo: ['in_features', 400], suggestion: 'in' },
  { layer: 'linear', make: (o) => linear(o as never), valid: { out: 10 }, typo: ['baias', false], suggestion: 'bias' },
  { layer: 'batchNorm2d', make: (o) => batchNorm2d(o as never), valid: {}, typo: ['num_features', 16], suggestion: 'features' },
  { layer: 'batchNorm1d', make: (o) => batchNorm1d(o as never), valid: {}, typo: ['momentun', 0.1], suggestion: 'momentum' },
  { layer: 'dropout', make: (o) => dropout(o as never), valid: { p: 0.5 }, typo: ['inplace', true], suggestion: undefined },
  // TensorFlow.js (Keras) names: `rate` is not taken for `name`, the nearest spelling.
  { layer: 'dropout', make: (o) => dropout(o as never), valid: { p: 0.5 }, typo: ['rate', 0.5], suggestion: 'p' },
  { layer: 'conv2d', make: (o) => conv2d(o as never), valid: { out: 96, kernel: 11 }, typo: ['filters', 96], suggestion: 'out' },
  { layer: 'conv2d', make: (o) => conv2d(o as never), valid: { out: 96, kernel: 11 }, typo: ['useBias', false], suggestion: 'bias' },
  { layer: 'maxPool2d', make: (o) => maxPool2d(o as never), valid: { kernel: 3 }, typo: ['poolSize', 2], suggestion: 'kernel' },
  { layer: 'linear', make: (o) => linear(o as never), valid: { out: 10 }, typo: ['units', 10], suggestion: 'out' },
  { layer: 'localResponseNorm', make: (o) => localResponseNorm(o as never), valid: { size: 5 }, typo: ['alfa', 1e-4], suggestion: 'alpha' },
]

describe('unknown option keys throw at run time', () => {
  it.each(constructors)('$layer: $typo.0', ({ layer, make, valid, typo: [key, value], suggestion }) => {
    expect(() => make(valid)).not.toThrow()
    let error: unknown
    try {
      make({ ...valid, [key]: value })
    } catch (e) {
      error = e
    }
    expect(error).toBeInstanceOf(LayerOptionsError)
    const message = (error as Error).message
    expect(message).toMatch(new RegExp(`^${layer}: unknown option '${key}'`))
    if (suggestion === undefined) expect(message).not.toContain('did you mean')
    else expect(message).toContain(`(did you mean '${suggestion}'?)`)
  })

  it("the issue's case: conv2d({ kernel_size: 11 }) no longer becomes a 1×1 kernel", () => {
    expect(() => conv2d({ out: 96, kernel_size: 11 } as never)).toThrow(
      "conv2d: unknown option 'kernel_size' (did you mean 'kernel'?); its options are out, kernel, stride, padding, dilation, groups, bias, in, name",
    )
  })

  it('every documented option is accepted', () => {
    expect(() => conv2d({ out: 8, kernel: 3, stride: 1, padding: 1, dilation: 1, groups: 1, bias: false, in: 8, name: 'c' })).not.toThrow()
    expect(() => maxPool2d({ kernel: 3, stride: 2, padding: 1, ceilMode: true, name: 'p' })).not.toThrow()
    expect(() => avgPool2d({ kernel: 3, stride: 2, padding: 1, ceilMode: true, countIncludePad: false, name: 'p' })).not.toThrow()
    expect(() => adaptiveAvgPool2d({ output: [2, 3], name: 'a' })).not.toThrow()
    expect(() => linear({ out: 4, in: 3, bias: false, name: 'fc' })).not.toThrow()
    expect(() => batchNorm2d({ features: 4, eps: 1e-3, momentum: 0.2, name: 'bn' })).not.toThrow()
    expect(() => batchNorm1d({ features: 4, eps: 1e-3, momentum: 0.2, name: 'bn' })).not.toThrow()
    expect(() => dropout({ p: 0.1, name: 'd' })).not.toThrow()
    expect(() => localResponseNorm({ size: 5, alpha: 1e-4, beta: 0.75, k: 2, name: 'lrn' })).not.toThrow()
  })

  it('zoo factories check their option keys too', () => {
    expect(() => lenet({ num_classes: 10 } as never)).toThrow("lenet: unknown option 'num_classes' (did you mean 'classes'?); its options are classes, inChannels")
    expect(() => resnet18({ in_channels: 1 } as never)).toThrow("resnet18: unknown option 'in_channels' (did you mean 'inChannels'?)")
    expect(() => vgg11({ clases: 10 } as never)).toThrow("vgg: unknown option 'clases' (did you mean 'classes'?)")
    expect(() => densenet121({ classes: 10, inChannels: 1 })).not.toThrow()
  })

  it("a wrapper over a whole options object (type-tests/negative/option-keys.ts) compiles; the layer checks the options when it is created", () => {
    // `<const O extends Conv2dOptions>(o: O) => conv2d(o)` cannot decide its option checks on `O`, so it compiles;
    // the checks the types leave to creation are made by the layer: unknown keys, 'same' padding with a stride,
    // padding more than half a pool's kernel.
    const convW = <const O extends Conv2dOptions>(o: O) => conv2d(o)
    const maxW = <const O extends Pool2dOptions>(o: O) => maxPool2d(o)
    const sameAt = <const St extends number>(stride: St) => conv2d({ out: 8, kernel: 3, padding: 'same', stride })
    expect(() => convW({ out: 8, kernel: 3 })).not.toThrow()
    expect(() => convW({ out: 8, kernel: 3, dilaton: 2 })).toThrow("conv2d: unknown option 'dilaton'")
    expect(() => convW({ out: 8, kernel: 3, padding: 'same', stride: 2 })).toThrow(LayerOptionsError)
    expect(() => sameAt(1)).not.toThrow()
    expect(() => sameAt(2)).toThrow(LayerOptionsError)
    expect(() => maxW({ kernel: 3, padding: 2 })).toThrow('maxPool2d: padding 2 is more than half the kernel 3')
  })

  it('options that are not an object are reported', () => {
    expect(() => linear(null as never)).toThrow(LayerOptionsError)
  })
})

/**
 * Option values and keys the types refuse (type-tests/negative/option-values.ts, option-keys.ts) are refused by the
 * layer when it is created, with the same text: each case's message is asserted here at run time and found as a
 * `// error:` verdict of those fixtures, so the two wordings cannot drift apart.
 */
describe('option values: the run-time verdict is the compile-time one', () => {
  const fixture = ['option-values.ts', 'option-keys.ts'].map((f) => readFileSync(resolve(import.meta.dirname, '../type-tests/negative', f), 'utf8')).join('\n')
  const cases: readonly [string, () => unknown][] = [
    ['conv2d: kernel must be a positive integer, got 2.5', () => conv2d({ out: 6, kernel: 2.5 })],
    ['conv2d: kernel must be a positive integer, got -1', () => conv2d({ out: 6, kernel: [3, -1] } as never)],
    ['conv2d: stride must be a positive integer, got 1e-7', () => conv2d({ out: 6, kernel: 3, stride: 1e-7 })],
    ['conv2d: stride must be a positive integer, got 0.5', () => conv2d({ out: 6, kernel: 3, stride: [2, 0.5] } as never)],
    ['conv2d: dilation must be a positive integer, got -2', () => conv2d({ out: 6, kernel: 3, dilation: -2 })],
    ['conv2d: groups must be a positive integer, got 1.5', () => conv2d({ out: 6, kernel: 3, groups: 1.5 })],
    ['conv2d: out channels must be a positive integer, got -8', () => conv2d({ out: -8, kernel: 3 })],
    ['conv2d: padding must be a non-negative integer, got -1', () => conv2d({ out: 6, kernel: 5, padding: -1 })],
    ['conv2d: padding must be a non-negative integer, got 0.5', () => conv2d({ out: 6, kernel: 5, padding: [1, 0.5] } as never)],
    ['maxPool2d: kernel must be a positive integer, got -2', () => maxPool2d({ kernel: [2, -2] } as never)],
    ['maxPool2d: stride must be a positive integer, got 1.5', () => maxPool2d({ kernel: 2, stride: 1.5 })],
    ['maxPool2d: padding must be a non-negative integer, got -1', () => maxPool2d({ kernel: 3, padding: [1, -1] } as never)],
    ['avgPool2d: padding must be a non-negative integer, got -1', () => avgPool2d({ kernel: 2, padding: -1 })],
    ['adaptiveAvgPool2d: output size must be a positive integer, got 0.5', () => adaptiveAvgPool2d({ output: 0.5 })],
    ['adaptiveAvgPool2d: output size must be a positive integer, got -7', () => adaptiveAvgPool2d({ output: [7, -7] } as never)],
    ['linear: out features must be a positive integer, got -120', () => linear({ in: 400, out: -120 })],
    ['linear: out features must be a positive integer, got 10.5', () => linear({ out: 10.5 })],
    ['dropout: p must be in [0, 1), got 1.5', () => dropout({ p: 1.5 })],
    ['dropout: p must be in [0, 1), got 1', () => dropout({ p: 1 })],
    ['dropout: p must be in [0, 1), got -0.1', () => dropout({ p: -0.1 })],
    ['dropout: p must be in [0, 1), got 1e+21', () => dropout({ p: 1e21 })],
    ['localResponseNorm: size must be a positive integer, got 0', () => localResponseNorm({ size: 0 })],
    ['localResponseNorm: size must be a positive integer, got 2.5', () => localResponseNorm({ size: 2.5 })],
    ["conv2d: unknown option 'kernel_size' (did you mean 'kernel'?); its options are out, kernel, stride, padding, dilation, groups, bias, in, name", () => conv2d({ out: 6, kernel_size: 5 } as never)],
    ["dropout: unknown option 'rate' (did you mean 'p'?); its options are p, name", () => dropout({ rate: 0.5 } as never)],
    ['conv2d: kernel is required', () => conv2d({ out: 6 } as never)],
    ['dropout: p is required', () => dropout({ name: 'drop' } as never)],
    // The other layers with options: unknown keys (PyTorch's names), required keys, the checked sizes' values.
    ["adaptiveAvgPool2d: unknown option 'output_size' (did you mean 'output'?); its options are output, name", () => adaptiveAvgPool2d({ output_size: 1 } as never)],
    ["linear: unknown option 'in_features' (did you mean 'in'?); its options are out, in, bias, name", () => linear({ in_features: 400, out_features: 120 } as never)],
    ["linear: unknown option 'out_features' (did you mean 'out'?); its options are out, in, bias, name", () => linear({ in: 400, out_features: 120 } as never)],
    ["batchNorm2d: unknown option 'num_features' (did you mean 'features'?); its options are features, eps, momentum, name", () => batchNorm2d({ num_features: 16 } as never)],
    ["batchNorm1d: unknown option 'num_features' (did you mean 'features'?); its options are features, eps, momentum, name", () => batchNorm1d({ num_features: 120 } as never)],
    ["localResponseNorm: unknown option 'depth_radius'; its options are size, alpha, beta, k, name", () => localResponseNorm({ size: 5, depth_radius: 2 } as never)],
    ['adaptiveAvgPool2d: output is required', () => adaptiveAvgPool2d({ name: 'gap' } as never)],
    ['linear: out is required', () => linear({ in: 400 } as never)],
    ['localResponseNorm: size is required', () => localResponseNorm({ alpha: 1e-4 } as never)],
    ['linear: in features must be a positive integer, got 0', () => linear({ in: 0, out: 10 } as never)],
    ['linear: in features must be a positive integer, got -48', () => linear({ in: -48, out: 10 } as never)],
    ['linear: in features must be a positive integer, got 2.5', () => linear({ in: 2.5, out: 10 } as never)],
    ['batchNorm2d: features must be a positive integer, got 0', () => batchNorm2d({ features: 0 } as never)],
    ['batchNorm2d: features must be a positive integer, got -8', () => batchNorm2d({ features: -8 } as never)],
    ['batchNorm2d: features must be a positive integer, got 7.5', () => batchNorm2d({ features: 7.5 } as never)],
    ['batchNorm1d: features must be a positive integer, got 0', () => batchNorm1d({ features: 0 } as never)],
    ['batchNorm1d: features must be a positive integer, got -4', () => batchNorm1d({ features: -4 } as never)],
    // Misspellings: the closest option (or none), as the types find it.
    ["conv2d: unknown option 'dilaton' (did you mean 'dilation'?); its options are out, kernel, stride, padding, dilation, groups, bias, in, name", () => conv2d({ out: 8, kernel: 3, dilaton: 2 } as never)],
    ["batchNorm1d: unknown option 'momentun' (did you mean 'momentum'?); its options are features, eps, momentum, name", () => batchNorm1d({ momentun: 0.2 } as never)],
    ["localResponseNorm: unknown option 'alfa' (did you mean 'alpha'?); its options are size, alpha, beta, k, name", () => localResponseNorm({ size: 5, alfa: 1e-4 } as never)],
    ["linear: unknown option 'baias' (did you mean 'bias'?); its options are out, in, bias, name", () => linear({ out: 10, baias: false } as never)],
    ["batchNorm2d: unknown option 'kernel'; its options are features, eps, momentum, name", () => batchNorm2d({ features: 8, kernel: 3 } as never)],
    ["maxPool2d: unknown option 'dilation'; its options are kernel, stride, padding, ceilMode, name", () => maxPool2d({ kernel: 2, dilation: 2 } as never)],
  ]
  it.each(cases)('%s', (message, make) => {
    expect(make).toThrow(new LayerOptionsError(message))
    expect(fixture).toContain(`// error: ${message}`)
  })

  it('the checks the types do not make are made when the layer is created, with the same wording', () => {
    // conv2d's `in` below 1 (the types compare it with the input instead: `conv2d: expected -1 input channels, got 3`).
    expect(() => maxPool2d({ stride: 2 } as never)).toThrow(new LayerOptionsError('maxPool2d: kernel is required'))
    expect(() => linear({} as never)).toThrow(new LayerOptionsError('linear: out is required'))
    expect(() => conv2d({ out: 8, kernel: 3, in: -1 })).toThrow(new LayerOptionsError('conv2d: in channels must be a positive integer, got -1'))
  })

  it('a BatchNorm wrapper over its whole options (type-tests/negative/option-keys.ts) compiles and checks its options when the layer is created', () => {
    const bnW = <const O extends BatchNorm2dOptions>(o: O) => batchNorm2d(o)
    expect(() => bnW({ features: 8, eps: 1e-3 })).not.toThrow()
    expect(() => bnW({ features: 0 })).toThrow(new LayerOptionsError('batchNorm2d: features must be a positive integer, got 0'))
    expect(() => bnW({ features: 16 })(input([N, 8, 4, 4]))).toThrow(new ShapeError('batchNorm2d', '16 channels', '8'))
    expect(() => batchNorm2d()(input([N, 8, 4, 4]))).not.toThrow()
  })

  it('values a generic block or a wrapper leaves to creation are checked then', () => {
    const kernelOf = <K extends number>(k: K) => conv2d({ out: 8, kernel: k })
    const dropW = <const P extends number>(p: P) => dropout({ p })
    const convW = <const O extends Conv2dOptions>(o: O) => conv2d(o)
    expect(() => kernelOf(3)).not.toThrow()
    expect(() => kernelOf(2.5)).toThrow(new LayerOptionsError('conv2d: kernel must be a positive integer, got 2.5'))
    expect(() => dropW(0.5)).not.toThrow()
    expect(() => dropW(1)).toThrow(new LayerOptionsError('dropout: p must be in [0, 1), got 1'))
    expect(() => convW({ out: 8, kernel: 3, padding: -2 })).toThrow(new LayerOptionsError('conv2d: padding must be a non-negative integer, got -2'))
    expect(() => dropout({ p: 0 })).not.toThrow()
    expect(() => conv2d({ out: 8, kernel: 3, padding: 0 })).not.toThrow()
  })
})

describe('prod', () => {
  it('multiplies exactly', () => {
    expect(prod(16, 5, 5)).toBe(400)
    expect(prod(512, 7, 7)).toBe(25088)
    expect(prod()).toBe(1)
    expect(prod(4096, 25088)).toBe(102760448)
  })
  it('rejects negative, fractional and inexact products', () => {
    expect(() => prod(16, -5)).toThrow('prod: factors must be non-negative integers, got -5')
    expect(() => prod(2.5, 2)).toThrow('prod: factors must be non-negative integers, got 2.5')
    expect(() => prod(2 ** 30, 2 ** 30)).toThrow('exceeds 2^53')
  })
  it('feeds a checked linear at run time too', () => {
    const x = input([N, 16, 4, 4])
    expect(() => linear({ in: prod(16, 5, 5), out: 120 })(flatten(x) as never)).toThrow('linear: expected 400 input features, got 256')
  })
})

describe('batchNorm1d at run time', () => {
  it('traces on [N, F] with PyTorch names and the BatchNorm1d summary type', () => {
    const x = input([1, 16, 5, 5])
    const y = batchNorm1d({ features: 120 })(linear({ in: 400, out: 120 })(flatten(x)))
    const graph = graphOf(y)
    const node = graph.output
    expect(node.op).toEqual({ kind: 'batchNorm1d', features: 120, eps: 1e-5, momentum: 0.1 })
    expect(node.params.map((p) => [p.name, p.shape])).toEqual([
      ['2.weight', [120]],
      ['2.bias', [120]],
      ['2.running_mean', [120]],
      ['2.running_var', [120]],
    ])
    expect(summarize(graph, 'bn1d').layers.map((l) => l.kind)).toEqual(['flatten', 'linear', 'batchNorm1d'])
  })
  it('rejects a wrong feature count, an image batch and bad options', () => {
    expect(() => batchNorm1d({ features: 84 })(input([N, 120]))).toThrow(new ShapeError('batchNorm1d', '84 features', '120'))
    expect(() => batchNorm1d()(input([N, 16, 5, 5]) as never)).toThrow('batchNorm1d: expects [N, features], got [N,16,5,5] — use batchNorm2d on [N, C, H, W]')
    expect(() => batchNorm1d({ eps: 0 })).toThrow('batchNorm1d: eps must be positive, got 0')
    expect(() => batchNorm1d({ momentum: 2 })).toThrow('batchNorm1d: momentum must be in [0, 1], got 2')
  })
})

describe('LayerInfo: every layer value carries its kind and options', () => {
  // The metadata is public (`LayerInfo`): a layer value says what it is without being called, and that must be
  // what it records when it is: the kind of the node it emits, with the options it was given (frozen).
  const cases: readonly { layer: LayerInfo & ((x: never) => unknown); options: object; shape: number[] }[] = [
    { layer: conv2d({ out: 8, kernel: 3, padding: 1 }), options: { out: 8, kernel: 3, padding: 1 }, shape: [2, 3, 8, 8] },
    { layer: maxPool2d({ kernel: 2 }), options: { kernel: 2 }, shape: [2, 3, 8, 8] },
    { layer: avgPool2d({ kernel: 2, ceilMode: true }), options: { kernel: 2, ceilMode: true }, shape: [2, 3, 7, 7] },
    { layer: adaptiveAvgPool2d({ output: 1 }), options: { output: 1 }, shape: [2, 3, 8, 8] },
    { layer: linear({ out: 4 }), options: { out: 4 }, shape: [2, 16] },
    { layer: batchNorm2d({ features: 3 }), options: { features: 3 }, shape: [2, 3, 8, 8] },
    { layer: batchNorm1d({ features: 16 }), options: { features: 16 }, shape: [2, 16] },
    { layer: dropout({ p: 0.25 }), options: { p: 0.25 }, shape: [2, 16] },
    { layer: localResponseNorm({ size: 3 }), options: { size: 3 }, shape: [2, 3, 8, 8] },
    { layer: flatten, options: {}, shape: [2, 3, 8, 8] },
    { layer: relu, options: {}, shape: [2, 16] },
    { layer: sigmoid, options: {}, shape: [2, 16] },
    { layer: tanh, options: {}, shape: [2, 16] },
    { layer: softmax, options: {}, shape: [2, 16] },
  ]
  it.each(cases.map((c) => [c.layer.kind, c] as const))('%s', (_kind, c) => {
    expect(c.layer.options).toEqual(c.options)
    expect(Object.isFrozen(c.layer.options)).toBe(true)
    const graph = graphOf((c.layer as unknown as (x: unknown) => never)(input(c.shape as never)))
    expect(graph.output.op.kind).toBe(c.layer.kind)
  })
})
