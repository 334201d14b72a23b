// Impossible layer options
// Some options are wrong whatever the input: a zero stride, `padding: 'same'` with a stride, pooling padding
// beyond half the kernel, channels that groups do not divide. They are reported where the layer is configured.
import { conv2d, maxPool2d } from 'shapesafe'

const zeroStride = conv2d({ out: 64, kernel: 3, stride: 0 })
const sameStrided = conv2d({ out: 64, kernel: 3, stride: 2, padding: 'same' })
const overPadded = maxPool2d({ kernel: 3, padding: 2 })
const badGroups = conv2d({ out: 30, kernel: 3, groups: 4 })
