// A linear layer that expects other input features
// AlexNet on 224×224 images flattens 256·5·5 = 6400 features after its third max pooling. This copy stops after
// two (H: 224 → 54 → 26 → 26 → 12), so 256·12·12 = 36864 features reach the classifier that was declared with
// `in: 6400`. The error points at the `linear` call and names both numbers.
import { pipe } from 'fp-ts/lib/function.js'
import { conv2d, flatten, input, linear, maxPool2d, N, relu } from 'shapesafe'

const logits = pipe(
  input([N, 1, 224, 224]),
  conv2d({ out: 96, kernel: 11, stride: 4, padding: 1 }),
  relu,
  maxPool2d({ kernel: 3, stride: 2 }),
  conv2d({ out: 256, kernel: 5, padding: 2 }),
  relu,
  maxPool2d({ kernel: 3, stride: 2 }),
  flatten,
  linear({ in: 6400, out: 4096 }),
)
