// An option that fixes a size is a plain number
// An options object kept in a variable without `as const` has the type `{ out: number; kernel: number; … }`; so does
// one spread from such an object, and a `let` or arithmetic (`6 * 2`) gives `number` too. A size that is `number`
// would make every shape after the layer unknown and switch every later check off (here: the wrong `in` of the
// linear layer), so it is refused at the layer that takes it. Keep the check with a literal (`as const` on the object,
// `const` on a wrapper's type parameter, `prod(…)` for a product), or say that the sizes are known only at run time by
// typing the options as the layer's interface (`const c1: Conv2dOptions = …`, or `conv2d<Conv2dOptions>(…)`): the
// layer then gives `number` sizes and the run-time trace checks them. The same holds for the pools (`Pool2dOptions`;
// a `ceilMode` that is a plain `boolean` too), `adaptiveAvgPool2d`'s `output` and `linear`'s `out`. A size read from a
// wrapper's type parameter (`o.out` of `<const O extends { out: number }>(o: O)`, `p[0]` of a `const` tuple) is a
// plain `number` to TypeScript, which reads a property of a type parameter through its constraint, so it is refused
// where the wrapper is written: give each size its own type parameter (`<const Out extends number, const K extends
// number>(out: Out, k: K) => conv2d({ out, kernel: k })`) or pass the whole options object (`conv2d(o)` with
// `<const O extends Conv2dOptions>`), which keep the literals.
import { pipe } from 'fp-ts/lib/function.js'
import { avgPool2d, conv2d, flatten, input, linear, N, sigmoid } from 'shapesafe'

const c1 = { out: 6, kernel: 5, padding: 1 }
const logits = pipe(
  input([N, 1, 28, 28]),
  conv2d(c1), sigmoid,
  avgPool2d({ kernel: 2, stride: 2 }),
  flatten,
  linear({ in: 400, out: 120 }),
)
