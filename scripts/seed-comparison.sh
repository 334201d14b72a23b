#!/bin/sh
# The seed comparison of docs/benchmarks.md ("The seed nets on full Fashion-MNIST"): every seed net trained on all
# 60000 training images with the native libtorch engine, tested on all 10000, then merged into one table and one pair
# of plots. Needs the Debian dataset (or --data-dir) and the native engine (`npm run build:native`); takes about 4 h
# on 2 cores. Usage: sh scripts/seed-comparison.sh [OUT_DIR]   (default runs/seed-comparison)
set -eu
out=${1:-runs/seed-comparison}
mkdir -p "$out"
run() { # name, then compare flags
  name=$1; shift
  node dist/cli/main.js compare "$@" --engine torch --threads 2 --out "$out/$name"
}
run lenet        lenet       --epochs 10
run lenet-bn     lenet-bn    --epochs 10
run resnet18     resnet18    --resize 32 --epochs 5 --batch-size 128
run googlenet    googlenet   --resize 32 --epochs 3 --batch-size 128
run densenet121  densenet121 --resize 32 --epochs 1 --batch-size 128
run nin          nin         --resize 96 --epochs 1 --batch-size 128
run alexnet      alexnet     --resize 96 --fit-classifier --epochs 1 --batch-size 128
# VGG-11 (no BatchNorm) stays on the loss plateau at PyTorch's default init with SGD (also at d2l's Xavier + SGD 0.05
# for 80 steps in PyTorch itself); with Xavier and Adam 1e-4 it learns from its first steps.
run vgg11        vgg11       --resize 32 --fit-classifier --epochs 2 --batch-size 128 --optimizer adam --lr 0.0001 --init xavier
# In the seed's order: LeNet, AlexNet, VGG, NiN, GoogLeNet, BatchNorm (LeNet), ResNet, DenseNet.
node dist/cli/main.js compare --merge "$out/lenet" "$out/alexnet" "$out/vgg11" "$out/nin" "$out/googlenet" \
  "$out/lenet-bn" "$out/resnet18" "$out/densenet121" --out "$out/all"
