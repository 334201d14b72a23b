/**
 * Default training hyper-parameters per zoo model, used when the command line does not set them.
 *
 * | model                                   | optimizer | learning rate | batch | epochs |
 * |-----------------------------------------|-----------|---------------|-------|--------|
 * | lenet                                   | adam      | 0.005         | 128   | 2      |
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
 * @module
 */
import type { OptimizerName } from './optimizers.js'

/**
 * Default hyper-parameters of one model.
 *
 * @category model
 */
export interface TrainDefaults {
  readonly optimizer: OptimizerName
  readonly learningRate: number
  readonly batchSize: number
  readonly epochs: number
}

/**
 * Defaults for models without an entry in {@link modelTrainDefaults}.
 *
 * @category constants
 */
export const genericTrainDefaults: TrainDefaults = { optimizer: 'adam', learningRate: 1e-3, batchSize: 128, epochs: 2 }

/**
 * Per-model overrides of {@link genericTrainDefaults}.
 *
 * @category constants
 */
export const modelTrainDefaults: Readonly<Record<string, Partial<TrainDefaults>>> = {
  lenet: { learningRate: 5e-3 },
  alexnet: { batchSize: 32 },
  nin: { batchSize: 32 },
  googlenet: { batchSize: 32 },
  ...Object.fromEntries(['resnet18', 'resnet34', 'resnet50', 'resnet101', 'resnet152'].map((name) => [name, { batchSize: 32 }])),
  ...Object.fromEntries(['densenet121', 'densenet161', 'densenet169', 'densenet201'].map((name) => [name, { batchSize: 16 }])),
  ...Object.fromEntries(
    ['vgg11', 'vgg13', 'vgg16', 'vgg19', 'vgg11_bn', 'vgg13_bn', 'vgg16_bn', 'vgg19_bn'].map((name) => [name, { optimizer: 'sgd', learningRate: 0.01, batchSize: 4 }]),
  ),
}

/**
 * The default learning rate of an optimizer when `--optimizer` differs from the model's default one
 * (Adam 0.001, SGD with momentum 0.05).
 *
 * @category constants
 */
export const optimizerDefaultRates: Readonly<Record<OptimizerName, number>> = { adam: 1e-3, sgd: 0.05 }

/**
 * The defaults for `model`.
 *
 * @example
 * ```ts
 * trainDefaults('lenet').learningRate // 0.005
 * trainDefaults('vgg11').optimizer     // 'sgd'
 * ```
 * @category utils
 */
export const trainDefaults = (model: string): TrainDefaults => ({
  ...genericTrainDefaults,
  ...(Object.prototype.hasOwnProperty.call(modelTrainDefaults, model) ? modelTrainDefaults[model] : {}),
})
