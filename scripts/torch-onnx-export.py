"""Reference export for the ONNX tests: torchvision's resnet18 (detweights-filled, as the parity golden) written by
torch.onnx.export (opset 17, batch dynamic). Needs Debian's PyTorch 1.13 / torchvision 0.14 (/usr/bin/python3); the
python onnx package is not needed. tests/onnx.test.ts runs it when torch is importable and compares, in onnxruntime,
this file's outputs with the outputs of shapesafe's own export of the same weights.

Usage: /usr/bin/python3 scripts/torch-onnx-export.py OUT.onnx [MODEL]   (MODEL: a name of scripts/goldens/zoo.py; resnet18)
"""
import os
import sys

import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from goldens.detweights import fill_model  # noqa: E402
from goldens.zoo import build  # noqa: E402


def main():
    out = sys.argv[1]
    model = sys.argv[2] if len(sys.argv) > 2 else "resnet18"
    torch.manual_seed(0)
    net = build(model, 3, 1000).eval()
    fill_model(net)
    x = torch.zeros(2, 3, 64, 64)
    torch.onnx.export(net, x, out, opset_version=17, input_names=["input"], output_names=["output"],
                      dynamic_axes={"input": {0: "N"}, "output": {0: "N"}}, do_constant_folding=True)
    print(out)


if __name__ == "__main__":
    main()
