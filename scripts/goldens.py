#!/usr/bin/env python3
"""Regenerate the PyTorch reference data under tests/goldens/ (run by hand, not in CI).

    /usr/bin/python3 scripts/goldens.py                 # everything
    /usr/bin/python3 scripts/goldens.py layers zoo      # only some parts (detweights, layers, zoo, parity)

Deterministic: fixed seeds, 2 threads, float64 layer references. See tests/goldens/README.md.
"""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import numpy as np  # noqa: E402
import torch  # noqa: E402

from goldens import detweights, layers, parity, zoo  # noqa: E402
from goldens.safetensors_io import read_safetensors, write_json  # noqa: E402

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests", "goldens")

# detweights test vectors: (name, shape, role); includes a non-ASCII name to pin UTF-8 hashing
VECTORS = [
    ("input", [2, 1, 4, 4], "input"),
    ("0.weight", [96, 1, 11, 11], "weight"),
    ("0.bias", [96], "bias"),
    ("fc.weight", [1000, 512], "weight"),
    ("layer1.0.bn1.weight", [64], "bnWeight"),
    ("layer1.0.bn1.bias", [64], "bnBias"),
    ("layer1.0.bn1.running_mean", [64], "runningMean"),
    ("layer1.0.bn1.running_var", [64], "runningVar"),
    ("features.denseblock1.denselayer1.conv2.weight", [32, 128, 3, 3], "weight"),
    ("2.0.p1_1.weight", [64, 192, 1, 1], "weight"),
    ("层.weight", [3, 5], "weight"),
    ("", [7], "bias"),
]


def gen_detweights(path):
    def hexbits(a):
        return [f"{int(b):08x}" for b in np.asarray(a, dtype="<f4").view("<u4")]
    vectors = []
    for name, shape, role in VECTORS:
        t = detweights.det_tensor(name, shape, role).ravel()
        vectors.append({"name": name, "shape": shape, "role": role, "seed": detweights.fnv1a32(name),
                        "first8": [float(v) for v in t[:8]], "first8_bits": hexbits(t[:8]),
                        "checksum": detweights.checksum(t), "sum": float(t.astype(np.float64).sum())})
    doc = {
        "spec": "detweights v1: see tests/goldens/README.md",
        "fnv1a32": [{"text": s, "hash": detweights.fnv1a32(s)} for s in ["", "a", "foobar", "input", "层"]],
        "mulberry32": [{"seed": s, "first8": [int(v) for v in detweights.mulberry32(s, 8)]}
                       for s in [0, 1, 0xDEADBEEF, 0xFFFFFFFF]],
        "vectors": vectors,
    }
    write_json(path, doc, compact_lists=True)


def verify_dir(d):
    """Read every safetensors file back and check it is finite."""
    for f in sorted(os.listdir(d)):
        if f.endswith(".safetensors"):
            tensors, _ = read_safetensors(os.path.join(d, f))
            for n, t in tensors.items():
                if not np.all(np.isfinite(t)):
                    raise AssertionError(f"{f}:{n} not finite")


def main(argv):
    torch.set_num_threads(2)
    parts = argv or ["detweights", "layers", "zoo", "parity"]
    os.makedirs(ROOT, exist_ok=True)
    if "detweights" in parts:
        gen_detweights(os.path.join(ROOT, "detweights.json"))
        print("detweights.json written")
    if "layers" in parts:
        m = layers.generate(os.path.join(ROOT, "layers"))
        verify_dir(os.path.join(ROOT, "layers"))
        print(f"layers: {len(m)} cases")
    if "zoo" in parts:
        zoo.generate(os.path.join(ROOT, "zoo"))
    if "parity" in parts:
        parity.generate(os.path.join(ROOT, "parity"))
        verify_dir(os.path.join(ROOT, "parity"))


if __name__ == "__main__":
    main(sys.argv[1:])
