/**
 * The model zoo: the seed's nets (LeNet, AlexNet, VGG, NiN, GoogLeNet, Residual), torchvision's ResNet, DenseNet and
 * VGG-BN families, their reusable blocks, and the registry by name.
 * @module
 */
export * from './netInput.js'
export * from './lenet.js'
export * from './alexnet.js'
export * from './vgg.js'
export * from './nin.js'
export * from './googlenet.js'
export * from './resnet.js'
export * from './densenet.js'
export * from './registry.js'
