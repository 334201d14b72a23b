// A size computed with `*` in an option that is checked
// The seed writes `nn.Linear(16 * 5 * 5, 120)`. In TypeScript `16 * 5 * 5` has type `number`, not `400`, and a
// check against `number` could not fail: the option would switch its own check off. So a plain `number` is rejected
// where a check applies (`in` of `linear` and `conv2d`, `features` of the BatchNorms), and the verdict says what to
// write instead: `prod(16, 5, 5)`, whose type is `400`, keeps the check; omitting `in` takes the size from the input.
import { pipe } from 'fp-ts/lib/function.js'
import { flatten, input, linear, N } from 'shapesafe'

const logits = pipe(input([N, 16, 4, 4]), flatten, linear({ in: 16 * 5 * 5, out: 120 }))
