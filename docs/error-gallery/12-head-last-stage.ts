// A reusable block used last, with the wrong size
// A `flow`'s type keeps only its first layer's input check, so a head such as `flow(flatten, linear({ in: 256,
// out: 10 }))` applied to `[N, 16, 5, 5]` cannot be refused where it is applied: its result carries the verdict
// (`Tensor<[N, ⛔ linear: expected 256 input features, got 400]>`). Every consumer of a tensor refuses such a
// shape with the verdict: the next layer, `add`/`concat`, `graphOf` and `trace` (so nothing reaches `compile`,
// training or export); the run-time trace throws at the head itself.
import { flow, pipe } from 'fp-ts/lib/function.js'
import { flatten, graphOf, input, linear, N } from 'shapesafe'

const head = flow(flatten, linear({ in: 256, out: 10 }))
const logits = pipe(input([N, 16, 5, 5]), head)
const graph = graphOf(logits)
