// Choices between layers and joins of two type parameters (issue 11, the second user trial): a residual whose shortcut
// is chosen by a flag (the seed's Residual with `use_1x1conv`), in a flow block generic in its channels, used at two
// sizes, first and last, swapped members, a strided main path, two convs, named dims and a hand-written generic
// function; a choice as a pipe or flow stage; and a generic two-input block `(a, b) => pipe(add(a, b), relu)`.
// Correct programs keep their exact shapes; a choice that disagrees is refused where the block is applied, naming the
// member by its layer kind. tests/deferredChecks.test.ts traces the same blocks.
import { flow, pipe } from 'fp-ts/lib/function.js'
import { add, avgPool2d, conv2d, dim, graphOf, identity, input, maxPool2d, N, parallel, relu, residual, type Named, type Shape4, type Sym, type Tensor } from 'shapesafe'

declare const flag: boolean

// The seed's Residual: the shortcut is a 1×1 conv or the identity, chosen by a flag.
const residualBlock = <const C extends number>(c: C, use1x1: boolean) =>
  residual(flow(conv2d({ out: c, kernel: 3, padding: 1 }), relu, conv2d({ out: c, kernel: 3, padding: 1 })), use1x1 ? conv2d({ out: c, kernel: 1 }) : identity)
export const seed: Tensor<[N, 64, 28, 28]> = pipe(input([N, 64, 28, 28]), residualBlock(64, false))
export const seedTwoSizes: Tensor<[N, 32, 7, 7]> = pipe(input([N, 32, 7, 7]), residualBlock(32, true), relu, residualBlock(32, false))
export const seedFlow: Tensor<[N, 64, 28, 28]> = pipe(input([N, 64, 28, 28]), flow(residualBlock(64, true), relu))
export const seedWrongChannels = pipe(input([N, 32, 28, 28]), residualBlock(64, false)) // error: residual: shortcut identity does not give the main path's [N,64,28,28] on [N,32,28,28]
export const seedWrongFirst = pipe(input([N, 32, 28, 28]), residualBlock(64, true), relu) // error: residual: shortcut identity does not give the main path's [N,64,28,28] on [N,32,28,28]

// The members swapped.
const swapped = <const C extends number>(c: C, plain: boolean) => residual(flow(conv2d({ out: c, kernel: 3, padding: 1 })), plain ? identity : conv2d({ out: c, kernel: 1 }))
export const swappedOk: Tensor<[N, 16, 8, 8]> = pipe(input([N, 16, 8, 8]), swapped(16, true))
export const swappedBad = pipe(input([N, 8, 8, 8]), swapped(16, true)) // error: residual: shortcut identity does not give the main path's [N,16,8,8] on [N,8,8,8]

// A stride-2 main path: the 1×1 conv at stride 2 agrees, the identity does not.
const down = <const C extends number>(c: C, use1x1: boolean) =>
  residual(flow(conv2d({ out: c, kernel: 3, padding: 1, stride: 2 }), relu, conv2d({ out: c, kernel: 3, padding: 1 })), use1x1 ? conv2d({ out: c, kernel: 1, stride: 2 }) : identity)
export const downBad = pipe(input([N, 64, 28, 28]), down(128, true)) // error: residual: shortcut identity does not give the main path's [N,128,14,14] on [N,64,28,28]
export const downBadMiddle = pipe(input([N, 64, 28, 28]), relu, down(64, true), relu) // error: residual: shortcut identity does not give the main path's [N,64,14,14] on [N,64,28,28]

// Two convs of which one shrinks H: both members are checked (TypeScript no longer merges the two conv types).
const twoConvs = (same: boolean) => residual(flow(conv2d({ out: 8, kernel: 3, padding: 1 })), same ? conv2d({ out: 8, kernel: 3, padding: 1 }) : conv2d({ out: 8, kernel: 3 }))
export const twoConvsBad = pipe(input([N, 8, 8, 8]), twoConvs(true)) // error: residual: shortcut conv2d does not give the main path's [N,8,8,8] on [N,8,8,8]
export const twoConvsInline = pipe(input([N, 8, 8, 8]), residual(flow(conv2d({ out: 8, kernel: 1 })), flag ? conv2d({ out: 8, kernel: 1 }) : conv2d({ out: 8, kernel: 1, stride: 2 }))) // error: residual: shortcut conv2d does not give the main path's [N,8,8,8] on [N,8,8,8]

// Named dims: ResNet-D's shortcut or a strided 1×1 conv, both ⌈H/2⌉.
type H = Named<'H'>
const H = dim<H>('H')
export const named: Tensor<[N, 8, Sym<'⌈H/2⌉', 'H', -1, 2>, Sym<'⌈H/2⌉', 'H', -1, 2>]> = pipe(
  input([N, 8, H, H]),
  residual(flow(conv2d({ out: 8, kernel: 3, padding: 1, stride: 2 })), flag ? flow(avgPool2d({ kernel: 2, stride: 2, ceilMode: true }), conv2d({ out: 8, kernel: 1 })) : conv2d({ out: 8, kernel: 1, stride: 2 })),
)
export const namedBad = pipe(input([N, 8, H, H]), residual(flow(conv2d({ out: 8, kernel: 3, padding: 1, stride: 2 })), flag ? avgPool2d({ kernel: 2, stride: 2 }) : identity)) // error: residual: shortcut avgPool2d does not give the main path's [N,8,⌈H/2⌉,⌈H/2⌉] on [N,8,H,H]

// In a hand-written generic function the choice is undecided: it passes there and its verdict is carried out.
const handWritten = <S extends Shape4>(x: Tensor<S>) => pipe(x, residual(flow(conv2d({ out: 8, kernel: 3, padding: 1 })), flag ? conv2d({ out: 8, kernel: 1 }) : identity), relu)
export const handWrittenOk: Tensor<[N, 8, 28, 28]> = pipe(input([N, 8, 28, 28]), handWritten)
export const handWrittenBad = pipe(input([N, 4, 28, 28]), handWritten, relu) // error: residual: shortcut identity does not give the main path's [N,8,28,28] on [N,4,28,28]

// A choice as a pipe or flow stage: accepted when the members agree.
export const stage: Tensor<[N, 16, 8, 8]> = pipe(input([N, 16, 8, 8]), flag ? relu : identity)
export const stageConv: Tensor<[N, 16, 8, 8]> = pipe(input([N, 16, 8, 8]), flag ? conv2d({ out: 16, kernel: 1 }) : identity)
const flowStage = flow(conv2d({ out: 8, kernel: 3, padding: 1 }), flag ? conv2d({ out: 8, kernel: 1 }) : identity)
export const flowStageOk: Tensor<[N, 8, 6, 6]> = pipe(input([N, 3, 6, 6]), flowStage)
export const stageBad = pipe(input([N, 16, 8, 8]), flag ? conv2d({ out: 8, kernel: 1 }) : identity) // error: is not assignable to parameter of type '(a: Tensor<[N, 16, 8, 8]>) => Tensor<[N, 

// Two inputs, two type parameters: the sum stays exact through the block's next layers and is decided where applied.
const merge = <A extends Shape4, B extends Shape4>(a: Tensor<A>, b: Tensor<B>) => pipe(add(a, b), relu)
export const mergeOk: Tensor<[N, 8, 4, 4]> = merge(input([N, 8, 4, 4]), input([N, 8, 4, 4]))
export const mergeBad = pipe(merge(input([N, 8, 4, 4]), input([N, 8, 2, 2])), relu) // error: add: [N,8,4,4] vs [N,8,2,2]
export const mergeBadSwapped = pipe(merge(input([N, 8, 2, 2]), input([N, 8, 4, 4])), relu) // error: add: [N,8,2,2] vs [N,8,4,4]
export const mergeBadLast = graphOf(merge(input([N, 8, 4, 4]), input([N, 8, 2, 2]))) // error: add: [N,8,4,4] vs [N,8,2,2]
const mergeConv = <A extends Shape4, B extends Shape4>(a: Tensor<A>, b: Tensor<B>) => pipe(add(a, b), relu, conv2d({ out: 4, kernel: 1 }))
export const mergeConvOk: Tensor<[N, 4, 4, 4]> = mergeConv(input([N, 8, 4, 4]), input([N, 8, 4, 4]))
export const mergeConvBad = pipe(mergeConv(input([N, 8, 4, 4]), input([N, 16, 4, 4])), relu) // error: add: [N,8,4,4] vs [N,16,4,4]
export const mergeNested: Tensor<[N, 8, 4, 4]> = merge(merge(input([N, 8, 4, 4]), input([N, 8, 4, 4])), input([N, 8, 4, 4]))

// A choice as a parallel branch: every member is checked against the other branches' N, H and W where the block is
// applied, and named; a choice whose members agree is exact (type-tests/vitest/combinators.test-d.ts).
const convChoice = parallel(flow(conv2d({ out: 4, kernel: 1 })), flag ? conv2d({ out: 4, kernel: 1 }) : conv2d({ out: 4, kernel: 3 }))
export const branchChoice = pipe(input([N, 8, 8, 8]), convChoice) // error: parallel: branch 2 member conv2d does not give branch 1's N, H and W ([N,4,8,8]) on [N,8,8,8]
export const branchChoiceFlow = pipe(input([N, 8, 8, 8]), flow(convChoice, relu)) // error: parallel: branch 2 member conv2d does not give branch 1's N, H and W ([N,4,8,8]) on [N,8,8,8]
const channelChoice = <const C extends number>(c: C) =>
  parallel(flow(conv2d({ out: c, kernel: 1 })), flag ? conv2d({ out: c, kernel: 1 }) : conv2d({ out: c, kernel: 3 }))
export const branchChoiceGeneric = pipe(input([N, 8, 8, 8]), channelChoice(4)) // error: parallel: branch 2 member conv2d does not give branch 1's N, H and W ([N,4,8,8]) on [N,8,8,8]
export const branchChoiceGenericSecond = pipe(input([N, 16, 5, 5]), relu, channelChoice(16), relu) // error: parallel: branch 2 member conv2d does not give branch 1's N, H and W ([N,16,5,5]) on [N,16,5,5]
const poolChoice = <const C extends number>(c: C) => parallel(flow(conv2d({ out: c, kernel: 1 })), flag ? identity : maxPool2d({ kernel: 2 }))
export const branchChoicePool = pipe(input([N, 8, 8, 8]), poolChoice(4)) // error: parallel: branch 2 member maxPool2d does not give branch 1's N, H and W ([N,4,8,8]) on [N,8,8,8]
const firstChoice = parallel(flag ? conv2d({ out: 4, kernel: 1 }) : conv2d({ out: 4, kernel: 3 }), flow(conv2d({ out: 4, kernel: 1 })))
export const branchChoiceFirst = pipe(input([N, 8, 8, 8]), firstChoice) // error: parallel: branch 1 member conv2d does not give branch 2's N, H and W ([N,4,8,8]) on [N,8,8,8]
const twoChoices = <const C extends number>(c: C) =>
  parallel(flow(conv2d({ out: c, kernel: 1 })), flag ? relu : identity, flag ? maxPool2d({ kernel: 3, stride: 1, padding: 1 }) : conv2d({ out: 2, kernel: 1 }))
export const branchChoicesChannels = pipe(input([N, 3, 8, 8]), twoChoices(4)) // error: parallel: branch 3 members give different channels on [N,3,8,8]; each choice must give one shape
const flowChoice = parallel(conv2d({ out: 4, kernel: 1 }), relu, flag ? conv2d({ out: 4, kernel: 1 }) : flow(conv2d({ out: 8, kernel: 3, padding: 1 }), relu), identity)
export const branchChoiceOfFlows = pipe(input([N, 8, 8, 8]), flowChoice) // error: parallel: branch 3 members give different channels on [N,8,8,8]; each choice must give one shape
