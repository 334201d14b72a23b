/**
 * `add` and `concat` as layers: they live with the graph (the combinators build on them) and are re-exported here.
 * @module
 */
export { add, concat, type AddCheck, type AddCheckOn, type DimsLike, type AddText, type Agreed, type AgreedBatch, type AgreedDim, type AgreedByRank, type AgreedOnFirst, type AgreedOnSecond, type AgreedRule, type ConcatCheck, type ConcatRanks, type ShapesOfAny, type ConcatRest, type DifferKey, type DimVerdict, type FailTable, type RankedAs, type ShapesAgree, type ShapesVerdict, type SumDims } from '../graph/merge.js'
