/**
 * shapesafe: shape-safe convolutional networks. Layers are pure functions whose types carry NCHW shapes; compose
 * them with fp-ts `pipe`/`flow` and the compiler checks every shape. The same pipeline runs on TensorFlow.js.
 * @module
 */
export * from './shape/dim.js'
export type { Add, Subtract, Multiply, FloorDivide, Modulo, Compare } from './shape/arithmetic.js'
export type { FormatShape, FormatDim, ShapeCheckFailed } from './shape/format.js'
export type { InvalidDim, WindowSize, SymOf, CeilOffset } from './shape/window.js'
export { windowSize } from './shape/window.js'
export * from './graph/ir.js'
export type { Tensor } from './graph/tensor.js'
export { input } from './graph/input.js'
export { graphOf, trace } from './graph/trace.js'
export { scope, sequential, named, residual, parallel, denseBlock, type DenseBlockOptions, type BranchAgrees, type PathsAgree } from './graph/combinators.js'
export type { Verdict, FailKey } from './shape/verdict.js'
export { ShapeError, LayerOptionsError, type LayerInfo } from './layers/layer.js'
export * from './layers/conv2d.js'
export * from './layers/pool2d.js'
export * from './layers/adaptivePool2d.js'
export * from './layers/linear.js'
export * from './layers/flatten.js'
export * from './layers/elementwise.js'
export * from './layers/batchNorm2d.js'
export * from './layers/localResponseNorm.js'
export * from './layers/merge.js'
export { type Same, type Layerlike } from './graph/combinators.js'
export * from './graph/summary.js'
export * from './zoo/index.js'
