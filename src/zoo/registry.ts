/**
 * The model zoo by name, as the CLI and the training code look models up: each entry builds the traced graph of a
 * net for a concrete input and class count.
 * @module
 */
import * as E from 'fp-ts/lib/Either.js'
import type { Graph } from '../graph/ir.js'
import type { Tensor } from '../graph/tensor.js'
import { input } from '../graph/input.js'
import { graphOf } from '../graph/trace.js'
import type { NetOptions } from './netInput.js'
import { alexnet } from './alexnet.js'
import { densenet121, densenet161, densenet169, densenet201 } from './densenet.js'
import { googlenet } from './googlenet.js'
import { lenet, lenetBn } from './lenet.js'
import { nin, ninSmall } from './nin.js'
import { resnet101, resnet152, resnet18, resnet34, resnet50, resnetSmall } from './resnet.js'
import { vgg11, vgg11Bn, vgg13, vgg13Bn, vgg16, vgg16Bn, vgg19, vgg19Bn } from './vgg.js'
import { editDistance, typoDistance } from '../util/editDistance.js'
import { genericTrainDefaults, type TrainDefaults } from '../train/defaults.js'

/**
 * Names of the zoo's models, as typed on the command line.
 * @category Nets
 */
export type ModelName =
  | 'lenet' | 'alexnet' | 'vgg11' | 'vgg13' | 'vgg16' | 'vgg19' | 'nin' | 'googlenet' | 'lenet-bn'
  | 'resnet18' | 'resnet34' | 'resnet50' | 'resnet101' | 'resnet152'
  | 'densenet121' | 'densenet161' | 'densenet169' | 'densenet201'
  | 'vgg11_bn' | 'vgg13_bn' | 'vgg16_bn' | 'vgg19_bn'
  | 'resnet-small' | 'nin-small'

/**
 * One model of the zoo.
 * @category Nets
 */
export interface ZooEntry {
  /** The CLI name. */
  readonly name: ModelName
  /** One line: what it is and where it comes from. */
  readonly description: string
  /** The input it is defined for, `[N, C, H, W]` with N = 1. */
  readonly defaultInput: [number, number, number, number]
  /** The class count it is defined for. */
  readonly defaultClasses: number
  /** The input size used to train it on Fashion-MNIST, `[C, H, W]`. */
  readonly fashionInput: [number, number, number]
  /** Its training defaults (used when the command line does not set them; see {@link modelTrainDefaults}). */
  readonly training: TrainDefaults
  /**
   * The net's graph for a concrete input and class count; throws ShapeError/LayerOptionsError when the input cannot
   * go through the net (e.g. alexnet at 20×20).
   */
  graph(options: { readonly input: readonly [number, number, number, number]; readonly classes: number }): Graph
}

/** A zoo net at run-time types: any class count and channel count, applied to an input of run-time sizes. */
type Build = (options: NetOptions<number, number>, x: Tensor<[number, number, number, number]>) => Tensor

function entry(
  name: ModelName,
  description: string,
  build: Build,
  defaults: { readonly input: [number, number, number, number]; readonly classes: number; readonly fashion: [number, number, number] },
): ZooEntry {
  return {
    name,
    description,
    defaultInput: defaults.input,
    defaultClasses: defaults.classes,
    fashionInput: defaults.fashion,
    training: trainDefaults(name),
    graph: ({ input: shape, classes }) => {
      const x = input<[number, number, number, number]>([shape[0], shape[1], shape[2], shape[3]])
      return graphOf(build({ classes, inChannels: shape[1] }, x))
    },
  }
}

/**
 * Per-model overrides of the generic training defaults, keyed by model name (every name listed, a misspelt one is a
 * compile error).
 *
 * | model                                   | optimizer | learning rate | batch | epochs |
 * |-----------------------------------------|-----------|---------------|-------|--------|
 * | lenet                                   | adam      | 0.005         | 128   | 2      |
 * | lenet-bn                                | sgd       | 0.1           | 256   | 2      |
 * | alexnet, nin (224×224)                  | adam      | 0.001         | 32    | 2      |
 * | googlenet, resnet* (96×96)              | adam      | 0.001         | 32    | 2      |
 * | densenet* (96×96)                       | adam      | 0.001         | 16    | 2      |
 * | vgg11…vgg19, vgg*_bn (224×224)          | sgd       | 0.01          | 4     | 2      |
 * | any other model                         | adam      | 0.001         | 128   | 2      |
 *
 * Batch sizes of the large-input nets keep a training step within the wasm backend's 4 GB heap (NiN at 224×224 ran out
 * of memory at batch 128, DenseNet-121 at 96×96 at batch 32 after two other nets had trained in the same process).
 * The VGGs (129–140 M parameters) train with SGD with momentum, as in their paper (lr 0.01): Adam's two slots add
 * 1 GB, and VGG-16 with Adam ran out of memory even at batch 4 (VGG-11 with SGD peaks at 2.5 GB at batch 4, 3.7 GB at
 * batch 8; `npm run bench -- memory vgg11`).
 *
 * Adam needs little tuning across the other nets; LeNet's sigmoids learn slowly at Adam's usual 0.001 (test accuracy
 * 0.75 after two epochs on Fashion-MNIST), so it gets a larger rate (≥ 0.80 after two epochs). SGD defaults to
 * momentum 0.9; weight decay defaults to 0. The schedule defaults to a constant rate.
 *
 * The BatchNorm LeNet keeps d2l's batch of 256 and its plain SGD at rate 1.0 in the form our SGD has: with momentum
 * 0.9 a rate of 0.1 takes the same steady-state step (lr / (1 − momentum) = 1.0). Measured on 20,000 training images,
 * two epochs, `--engine torch`: SGD 0.1 with momentum reached train loss 0.53 and test accuracy 0.75, d2l's own
 * setting (`--lr 1 --momentum 0`) 0.69 and 0.44, SGD 0.5 with momentum 0.55 and 0.73, Adam 0.01 0.50 and 0.73
 * (the test accuracy of a BatchNorm net early in training swings with its running statistics).
 *
 * @category Nets
 */
export const modelTrainDefaults: Readonly<Record<ModelName, Partial<TrainDefaults>>> = {
  lenet: { learningRate: 5e-3 },
  alexnet: { batchSize: 32 },
  nin: { batchSize: 32 },
  googlenet: { batchSize: 32 },
  'lenet-bn': { optimizer: 'sgd', learningRate: 0.1, batchSize: 256 },
  resnet18: { batchSize: 32 },
  resnet34: { batchSize: 32 },
  resnet50: { batchSize: 32 },
  resnet101: { batchSize: 32 },
  resnet152: { batchSize: 32 },
  densenet121: { batchSize: 16 },
  densenet161: { batchSize: 16 },
  densenet169: { batchSize: 16 },
  densenet201: { batchSize: 16 },
  vgg11: { optimizer: 'sgd', learningRate: 0.01, batchSize: 4 },
  vgg13: { optimizer: 'sgd', learningRate: 0.01, batchSize: 4 },
  vgg16: { optimizer: 'sgd', learningRate: 0.01, batchSize: 4 },
  vgg19: { optimizer: 'sgd', learningRate: 0.01, batchSize: 4 },
  vgg11_bn: { optimizer: 'sgd', learningRate: 0.01, batchSize: 4 },
  vgg13_bn: { optimizer: 'sgd', learningRate: 0.01, batchSize: 4 },
  vgg16_bn: { optimizer: 'sgd', learningRate: 0.01, batchSize: 4 },
  vgg19_bn: { optimizer: 'sgd', learningRate: 0.01, batchSize: 4 },
  'resnet-small': {},
  'nin-small': {},
}

/**
 * The training defaults of `model` (the generic ones for a name outside the zoo).
 *
 * @example
 * ```ts
 * import { trainDefaults } from 'shapesafe'
 * trainDefaults('lenet').learningRate // 0.005
 * trainDefaults('vgg11').optimizer // 'sgd'
 * ```
 * @category Nets
 */
export const trainDefaults = (model: string): TrainDefaults => ({
  ...genericTrainDefaults,
  ...(Object.prototype.hasOwnProperty.call(modelTrainDefaults, model) ? modelTrainDefaults[model as ModelName] : {}),
})

const seed = (c: number, h: number): [number, number, number, number] => [1, c, h, h]

/**
 * All models by name.
 * @category Nets
 */
export const zoo: Readonly<Record<ModelName, ZooEntry>> = {
  lenet: entry('lenet', 'LeNet-5 (d2l): sigmoid, average pooling, 28×28', (o, x) => lenet(o)(x), { input: seed(1, 28), classes: 10, fashion: [1, 28, 28] }),
  alexnet: entry('alexnet', 'AlexNet as in the seed, 1×224×224', (o, x) => alexnet(o)(x), { input: seed(1, 224), classes: 10, fashion: [1, 224, 224] }),
  vgg11: entry('vgg11', 'VGG-11 as in the seed (vgg(conv_arch_11))', (o, x) => vgg11(o)(x), { input: seed(1, 224), classes: 10, fashion: [1, 224, 224] }),
  vgg13: entry('vgg13', 'VGG-13 as in the seed (vgg(conv_arch_13))', (o, x) => vgg13(o)(x), { input: seed(1, 224), classes: 10, fashion: [1, 224, 224] }),
  vgg16: entry('vgg16', 'VGG-16 as in the seed (vgg(conv_arch_16))', (o, x) => vgg16(o)(x), { input: seed(1, 224), classes: 10, fashion: [1, 224, 224] }),
  vgg19: entry('vgg19', 'VGG-19 as in the seed (vgg(conv_arch_19))', (o, x) => vgg19(o)(x), { input: seed(1, 224), classes: 10, fashion: [1, 224, 224] }),
  nin: entry('nin', 'Network in Network as in the seed', (o, x) => nin(o)(x), { input: seed(1, 224), classes: 10, fashion: [1, 224, 224] }),
  googlenet: entry('googlenet', 'GoogLeNet (Inception v1) as in the seed, 1×96×96', (o, x) => googlenet(o)(x), { input: seed(1, 96), classes: 10, fashion: [1, 96, 96] }),
  'lenet-bn': entry('lenet-bn', 'LeNet with BatchNorm (d2l §8.5): sigmoid, average pooling, 28×28', (o, x) => lenetBn(o)(x), { input: seed(1, 28), classes: 10, fashion: [1, 28, 28] }),
  resnet18: entry('resnet18', "torchvision's resnet18 (BasicBlock [2, 2, 2, 2])", (o, x) => resnet18(o)(x), { input: seed(3, 224), classes: 1000, fashion: [1, 96, 96] }),
  resnet34: entry('resnet34', "torchvision's resnet34 (BasicBlock [3, 4, 6, 3])", (o, x) => resnet34(o)(x), { input: seed(3, 224), classes: 1000, fashion: [1, 96, 96] }),
  resnet50: entry('resnet50', "torchvision's resnet50 (Bottleneck [3, 4, 6, 3])", (o, x) => resnet50(o)(x), { input: seed(3, 224), classes: 1000, fashion: [1, 96, 96] }),
  resnet101: entry('resnet101', "torchvision's resnet101 (Bottleneck [3, 4, 23, 3])", (o, x) => resnet101(o)(x), { input: seed(3, 224), classes: 1000, fashion: [1, 96, 96] }),
  resnet152: entry('resnet152', "torchvision's resnet152 (Bottleneck [3, 8, 36, 3])", (o, x) => resnet152(o)(x), { input: seed(3, 224), classes: 1000, fashion: [1, 96, 96] }),
  densenet121: entry('densenet121', "torchvision's densenet121 (growth 32, [6, 12, 24, 16])", (o, x) => densenet121(o)(x), { input: seed(3, 224), classes: 1000, fashion: [1, 96, 96] }),
  densenet161: entry('densenet161', "torchvision's densenet161 (growth 48, [6, 12, 36, 24])", (o, x) => densenet161(o)(x), { input: seed(3, 224), classes: 1000, fashion: [1, 96, 96] }),
  densenet169: entry('densenet169', "torchvision's densenet169 (growth 32, [6, 12, 32, 32])", (o, x) => densenet169(o)(x), { input: seed(3, 224), classes: 1000, fashion: [1, 96, 96] }),
  densenet201: entry('densenet201', "torchvision's densenet201 (growth 32, [6, 12, 48, 32])", (o, x) => densenet201(o)(x), { input: seed(3, 224), classes: 1000, fashion: [1, 96, 96] }),
  vgg11_bn: entry('vgg11_bn', "torchvision's vgg11_bn", (o, x) => vgg11Bn(o)(x), { input: seed(3, 224), classes: 1000, fashion: [1, 224, 224] }),
  vgg13_bn: entry('vgg13_bn', "torchvision's vgg13_bn", (o, x) => vgg13Bn(o)(x), { input: seed(3, 224), classes: 1000, fashion: [1, 224, 224] }),
  vgg16_bn: entry('vgg16_bn', "torchvision's vgg16_bn", (o, x) => vgg16Bn(o)(x), { input: seed(3, 224), classes: 1000, fashion: [1, 224, 224] }),
  vgg19_bn: entry('vgg19_bn', "torchvision's vgg19_bn", (o, x) => vgg19Bn(o)(x), { input: seed(3, 224), classes: 1000, fashion: [1, 224, 224] }),
  'resnet-small': entry('resnet-small', 'shapesafe addition: a narrow ResNet from the seed\'s Residual block, 28×28', (o, x) => resnetSmall(o)(x), {
    input: seed(1, 28),
    classes: 10,
    fashion: [1, 28, 28],
  }),
  'nin-small': entry('nin-small', 'shapesafe addition: a small NiN for 28×28', (o, x) => ninSmall(o)(x), { input: seed(1, 28), classes: 10, fashion: [1, 28, 28] }),
}

/**
 * The zoo's model names, in the order above (seed nets, torchvision families, shapesafe additions).
 * @category Nets
 */
export const modelNames: readonly ModelName[] = Object.keys(zoo) as ModelName[]

/**
 * The zoo entry of `name`, or a message naming the closest names (`unknown model 'resnet5'; did you mean resnet50?`).
 * @example
 * ```ts
 * lookupModel('resnet18') // right(zoo.resnet18)
 * ```
 * @category Nets
 */
export function lookupModel(name: string): E.Either<string, ZooEntry> {
  if (Object.prototype.hasOwnProperty.call(zoo, name)) return E.right(zoo[name as ModelName])
  const normalized = name.toLowerCase().replace(/[-_\s]/g, '')
  const ranked = modelNames
    .map((m) => ({ m, d: editDistance(normalized, m.replace(/[-_]/g, '')) }))
    .sort((a, b) => a.d - b.d)
  const close = ranked.filter((r) => r.d <= typoDistance(normalized)).slice(0, 3).map((r) => r.m)
  const hint = close.length > 0 ? `; did you mean ${close.join(', ')}?` : ''
  return E.left(`unknown model '${name}'${hint}\navailable models: ${modelNames.join(', ')}`)
}
