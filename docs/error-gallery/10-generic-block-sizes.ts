// Two paths of a generic block that compute different sizes
// Inside a block generic in its input, sizes are formulas over the input's H and W, compared by their normal form
// ⌊(H + a)/s⌋ + 1: equal sizes pass however they are written (two stride-2 convs and one stride-4 conv, a ResNet-D
// shortcut and a 3×3/stride-2/padding-1 conv), different ones fail at the `add` itself, for every input size. Here
// a 2×2/stride-2 pool gives ⌊H/2⌋ where the main path gives ⌈H/2⌉ (they differ for odd H).
import { pipe } from 'fp-ts/lib/function.js'
import { add, avgPool2d, conv2d, type Shape4, type Tensor } from 'shapesafe'

export const down = <S extends Shape4>(x: Tensor<S>) =>
  add(pipe(x, conv2d({ out: 64, kernel: 3, stride: 2, padding: 1 })), pipe(x, avgPool2d({ kernel: 2, stride: 2 }), conv2d({ out: 64, kernel: 1 })))
