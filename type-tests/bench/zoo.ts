/**
 * Type-check benchmark fixture: every zoo model applied to a concrete input (its seed/torchvision default size).
 * Excluded from type-tests/tsconfig.json (the zoo's own type tests cover correctness); checked by
 * `npm run bench:types`.
 */
import { pipe } from 'fp-ts/lib/function.js'
import {
  alexnet,
  densenet121,
  densenet161,
  densenet169,
  densenet201,
  googlenet,
  input,
  lenet,
  lenetBn,
  N,
  nin,
  ninSmall,
  resnet101,
  resnet152,
  resnet18,
  resnet34,
  resnet50,
  resnetSmall,
  vgg11,
  vgg11Bn,
  vgg13,
  vgg13Bn,
  vgg16,
  vgg16Bn,
  vgg19,
  vgg19Bn,
} from 'shapesafe'

const gray28 = input([N, 1, 28, 28])
const gray96 = input([N, 1, 96, 96])
const gray224 = input([N, 1, 224, 224])
const rgb224 = input([N, 3, 224, 224])

/** Outputs of every model, `[N, classes]` each. */
export const outputs = {
  lenet: pipe(gray28, lenet()),
  alexnet: pipe(gray224, alexnet()),
  vgg11: pipe(gray224, vgg11()),
  vgg13: pipe(gray224, vgg13()),
  vgg16: pipe(gray224, vgg16()),
  vgg19: pipe(gray224, vgg19()),
  nin: pipe(gray224, nin()),
  googlenet: pipe(gray96, googlenet()),
  lenetBn: pipe(gray28, lenetBn()),
  resnet18: pipe(rgb224, resnet18()),
  resnet34: pipe(rgb224, resnet34()),
  resnet50: pipe(rgb224, resnet50()),
  resnet101: pipe(rgb224, resnet101()),
  resnet152: pipe(rgb224, resnet152()),
  densenet121: pipe(rgb224, densenet121()),
  densenet161: pipe(rgb224, densenet161()),
  densenet169: pipe(rgb224, densenet169()),
  densenet201: pipe(rgb224, densenet201()),
  vgg11Bn: pipe(rgb224, vgg11Bn()),
  vgg13Bn: pipe(rgb224, vgg13Bn()),
  vgg16Bn: pipe(rgb224, vgg16Bn()),
  vgg19Bn: pipe(rgb224, vgg19Bn()),
  resnetSmall: pipe(gray28, resnetSmall()),
  ninSmall: pipe(gray28, ninSmall()),
}
