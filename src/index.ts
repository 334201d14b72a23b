/**
 * shapesafe: shape-safe convolutional networks. Layers are pure functions whose types carry NCHW shapes; compose
 * them with `pipe`/`flow` (fp-ts's, or shapesafe's for chains of up to 64) and the compiler checks every shape. The same pipeline runs on TensorFlow.js.
 * @module shapesafe
 */
export * from './shape/dim.js'
export type { Add, Subtract, Multiply, FloorDivide, Modulo, Compare } from './shape/arithmetic.js'
export { prod, type Product } from './shape/product.js'
export type { FormatShape, FormatDim, ShapeCheckFailed } from './shape/format.js'
export type { InvalidDim, WindowSize, WindowDim, Size, SizeRule, SizeAlone, SymOf, CeilOffset } from './shape/window.js'
export { windowSize } from './shape/window.js'
// The types a layer's or combinator's inferred type mentions, so that a package of reusable blocks built with
// `declaration: true` can name them (tests/declarationEmit.test.ts checks it under TS 5.9 and 7).
export type { PairOf } from './shape/window.js'
export type { DimsDiffer, DivisibleOption, ExpectDim, ExpectTable, ExpectRank, FlattenFitsIn, NoOptionOrSame, PendingCheck, PendingCheckRule, RankFitsIn, WindowFitsIn } from './layers/checks.js'
export * from './graph/ir.js'
export type { Tensor } from './graph/tensor.js'
export { input } from './graph/input.js'
export { graphOf, trace } from './graph/trace.js'
export { validateGraph, GraphError, type GraphErrorNode } from './graph/validate.js'
export { pipe, flow } from './graph/compose.js'
export { scope, sequential, named, residual, parallel, denseBlock, type DenseBlockOptions, type BranchAgrees, type BranchRank, type PathsAgree, type PathsTable, type PathsText, type ShortcutGives, type ShortcutText, type ShortcutAgreed, type ShortcutKey, type ShortcutTable, type ShortcutVerdict, type FailingMembers, type ChoiceOnly, type IsUnion, type AnyChoice, type NoChoice, type ChoiceAgrees, type ChoiceGate, type ChoiceTable, type ChoicesAgree, type ChannelsOf, type Only, type BranchChannels, type ShapesDecided, type LayerGives, type LayerMarker, type Layer, type DenseBlock } from './graph/combinators.js'
export type { Verdict, FailKey } from './shape/verdict.js'
export { ShapeError, LayerOptionsError } from './shape/errors.js'
export type { LayerInfo } from './layers/layer.js'
export * from './layers/conv2d.js'
export * from './layers/pool2d.js'
export * from './layers/adaptivePool2d.js'
export * from './layers/linear.js'
export * from './layers/flatten.js'
export * from './layers/elementwise.js'
export { batchNorm2d, type BatchNorm2d, type BatchNorm2dOptions, type ValidBatchNorm2dOptions } from './layers/batchNorm2d.js'
export * from './layers/batchNorm1d.js'
export * from './layers/localResponseNorm.js'
export * from './layers/merge.js'
export { type Same, type Layerlike } from './graph/combinators.js'
export * from './graph/summary.js'
export * from './graph/cost.js'
export * from './zoo/index.js'
