/**
 * `sequential` (src/graph/sequential.ts): one block or, as PyTorch's `nn.Sequential(*layers)`, the layers themselves,
 * run as the next numbered child module; both spellings trace the same graph with the same state_dict names.
 */
import { flow, pipe } from 'fp-ts/lib/function.js'
import { describe, expect, it } from 'vitest'
import { batchNorm2d, conv2d, flatten, graphOf, input, linear, maxPool2d, N, relu, sequential, ShapeError, stateDictSpecs, type Tensor } from '../src/index.js'

const namesOf = (y: Tensor) => stateDictSpecs(graphOf(y)).map((p) => p.name)

describe('sequential', () => {
  it('of several layers traces as sequential of their flow: same shapes, same numbered names', () => {
    const many = pipe(input([N, 1, 28, 28]), sequential(conv2d({ out: 6, kernel: 5, padding: 2 }), batchNorm2d(), relu, maxPool2d({ kernel: 2, stride: 2 })), sequential(flatten, linear({ in: 1176, out: 10 })))
    const one = pipe(input([N, 1, 28, 28]), sequential(flow(conv2d({ out: 6, kernel: 5, padding: 2 }), batchNorm2d(), relu, maxPool2d({ kernel: 2, stride: 2 }))), sequential(flow(flatten, linear({ in: 1176, out: 10 }))))
    expect(many.shape).toEqual([N, 10])
    expect(namesOf(many)).toEqual(namesOf(one))
    expect(namesOf(many)).toEqual(['0.0.weight', '0.0.bias', '0.1.weight', '0.1.bias', '0.1.running_mean', '0.1.running_var', '1.1.weight', '1.1.bias'])
  })
  it('a single layer is a numbered child too', () => {
    expect(namesOf(pipe(input([N, 3, 8, 8]), sequential(conv2d({ out: 4, kernel: 1 })), sequential(conv2d({ out: 4, kernel: 1 }))))).toEqual(['0.0.weight', '0.0.bias', '1.0.weight', '1.0.bias'])
  })
  it('a layer that does not fit the one before it throws the verdict of the types where traced', () => {
    const run = () => pipe(input([N, 1, 28, 28]) as Tensor, sequential(conv2d({ out: 6, kernel: 5 }), relu, conv2d({ in: 8, out: 16, kernel: 5 })) as unknown as (x: Tensor) => Tensor)
    expect(run).toThrow(ShapeError)
    expect(run).toThrow('conv2d: expected 8 input channels, got 6')
  })
})
