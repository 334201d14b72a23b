"""Parity goldens: detweights-filled nets, a detweights input, and PyTorch's eval-mode output."""
import json
import os

import numpy as np
import torch

from .detweights import det_tensor, fill_model
from .safetensors_io import write_safetensors
from .zoo import build

# (model, C, H, K, batch)
PARITY = [
    ("resnet18", 3, 64, 1000, 2),
    ("resnet50", 3, 64, 1000, 2),
    ("densenet121", 3, 64, 1000, 2),
    ("alexnet", 1, 224, 10, 2),
    ("googlenet", 1, 96, 10, 2),
    ("nin", 1, 224, 10, 2),
    ("lenet-bn", 1, 28, 10, 2),
]


def run(model, c, h, k, batch):
    net = build(model, c, k).eval()
    entries = fill_model(net)
    x = det_tensor("input", [batch, c, h, h], "input")
    with torch.no_grad():
        y = net(torch.from_numpy(x)).numpy()
    return net, entries, x, y


def generate(out_dir, log=print):
    os.makedirs(out_dir, exist_ok=True)
    stats = []
    for model, c, h, k, batch in PARITY:
        _, entries, x, y = run(model, c, h, k, batch)
        if not np.all(np.isfinite(y)):
            raise AssertionError(f"parity {model}: non-finite output")
        rms = float(np.sqrt(np.mean(y.astype(np.float64) ** 2)))
        spread = float(np.std(y, axis=1).mean())
        meta = {"model": model, "input": json.dumps([batch, c, h, h]), "classes": str(k),
                "spec": "detweights v1 (tests/goldens/README.md)", "mode": "eval",
                "state_dict": json.dumps([[n, s, r] for n, s, r in entries], separators=(",", ":"))}
        write_safetensors(os.path.join(out_dir, model + ".safetensors"), {"input": x, "output": y}, meta)
        stats.append({"model": model, "rms": rms, "std_over_classes": spread, "max_abs": float(np.abs(y).max())})
        log(f"parity {model}: output {list(y.shape)} rms {rms:.4g} std-over-classes {spread:.4g} "
            f"max|y| {np.abs(y).max():.4g}")
    return stats
