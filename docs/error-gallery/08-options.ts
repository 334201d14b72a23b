// Impossible layer options
// Some options are wrong whatever the input: a zero stride, a negative padding, a fractional kernel, a dropout
// probability outside [0, 1), `padding: 'same'` with a stride, pooling padding beyond half the kernel, channels that
// groups do not divide, a `linear`'s `in` or a BatchNorm's `features` that is not a positive integer. They are
// reported where the layer is configured, with the text the layer throws when it is created (which is where a value
// that is a generic block's type parameter is checked).
import { batchNorm2d, conv2d, dropout, linear, maxPool2d } from 'shapesafe'

const zeroStride = conv2d({ out: 64, kernel: 3, stride: 0 })
const negativePadding = conv2d({ out: 64, kernel: 3, padding: -1 })
const fractionalKernel = conv2d({ out: 64, kernel: 2.5 })
const certainDropout = dropout({ p: 1.5 })
const sameStrided = conv2d({ out: 64, kernel: 3, stride: 2, padding: 'same' })
const overPadded = maxPool2d({ kernel: 3, padding: 2 })
const badGroups = conv2d({ out: 30, kernel: 3, groups: 4 })
const noFeatures = linear({ in: 0, out: 10 })
const negativeChannels = batchNorm2d({ features: -64 })
