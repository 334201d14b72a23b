"""Counts the forward multiply-accumulates of the seed nets with PyTorch forward hooks (run by hand, not in CI).

    /usr/bin/python3 scripts/count-macs.py   # writes tests/goldens/macs.json

The oracle for src/graph/cost.ts: each nn.Conv2d counts N*Cout*Ho*Wo*(Cin/groups)*kh*kw and each nn.Linear N*in*out,
read off the real output tensor of a forward pass of the seed nets (scripts/goldens/seednets.py, the d2l listings) on
a zero input; every other module counts zero (torchvision's "GFLOPS" convention). Debian's torch 1.13.
"""
import json
import os
import sys

import torch
from torch import nn

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from goldens.seednets import SEED_INPUT, build_seed  # noqa: E402

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests", "goldens", "macs.json")

# (model, channels, side, classes, batch)
CASES = [("lenet", 1, 28, 10, 2), ("alexnet", 1, 224, 10, 1), ("vgg11", 1, 224, 10, 1),
         ("vgg11", 3, 224, 1000, 1), ("nin", 1, 224, 10, 1), ("googlenet", 1, 96, 10, 3)]


def count(model, c, h, k, n):
    net = build_seed(model, c, k).eval()
    layers = {}

    def hook(path):
        def record(module, inputs, output):
            if isinstance(module, nn.Conv2d):
                kh, kw = module.kernel_size
                macs = output.numel() * (module.in_channels // module.groups) * kh * kw
            else:
                macs = output.numel() * module.in_features
            layers[path] = layers.get(path, 0) + macs
        return record

    for path, m in net.named_modules():
        if isinstance(m, (nn.Conv2d, nn.Linear)):
            m.register_forward_hook(hook(path))
    with torch.no_grad():
        net(torch.zeros(n, c, h, h))
    return {"model": model, "input": [n, c, h, h], "classes": k, "macs": sum(layers.values()), "layers": layers}


def main():
    assert all(SEED_INPUT[m] == h for m, c, h, k, n in CASES if c == 1)
    refs = [count(*case) for case in CASES]
    with open(OUT, "w") as f:
        json.dump({"source": "scripts/count-macs.py (PyTorch forward hooks on conv/linear)", "torch": torch.__version__,
                   "cases": refs}, f, indent=1)
        f.write("\n")
    for r in refs:
        print(r["model"], r["input"], r["classes"], r["macs"])


if __name__ == "__main__":
    main()
