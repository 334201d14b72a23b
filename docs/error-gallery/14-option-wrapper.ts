// Options passed on by a generic wrapper
// A helper that passes a whole options object on (`<const O extends Conv2dOptions>(o: O) => conv2d(o)`) gets the
// verdicts the layer gives to options written at it, on the line where the helper is called: inside the helper the
// options are a type parameter, so the layer carries the checks it could not decide there. Without `const` on the
// helper's type parameter TypeScript widens the literals to `number`, which would switch off every check after the
// layer: the call gets the plain-number verdict, which names `const`. (A required option left out is refused first by
// the helper's own constraint, with TypeScript's message.)
import { pipe } from 'fp-ts/lib/function.js'
import { conv2d, input, maxPool2d, N, type Conv2dOptions, type Pool2dOptions } from 'shapesafe'

const conv = <const O extends Conv2dOptions>(o: O) => conv2d(o)
const pool = <const O extends Pool2dOptions>(o: O) => maxPool2d(o)
const plainConv = <O extends Conv2dOptions>(o: O) => conv2d(o)

const misspelt = pipe(input([N, 3, 32, 32]), conv({ out: 8, kernel: 3, paddding: 1 }))
const overPadded = pipe(input([N, 3, 32, 32]), pool({ kernel: 3, padding: 2 }))
const widened = pipe(input([N, 3, 32, 32]), plainConv({ out: 8, kernel: 3, padding: 1 }))
