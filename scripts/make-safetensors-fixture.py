#!/usr/bin/env python3
"""Write tests/fixtures/tiny.safetensors the way PyTorch tooling does, without the `safetensors` package.

The file is built by hand (json + struct) from real torch tensors, in the reference writer's layout:
8-byte little-endian header length, JSON header padded with spaces to a multiple of 8, tensors sorted by
decreasing item size then name, back to back. It holds a small conv + BatchNorm state_dict (F32, with the
I64 scalar `bn.num_batches_tracked`) plus F16, BF16 and F64 tensors with awkward values.

Next to it, tests/fixtures/tiny.expected.json records torch's own float32 view of every float tensor
(non-finite values as the strings "Infinity", "-Infinity", "NaN"), so the TypeScript decoder is checked
against torch's conversions, not against itself.

If the `safetensors` package is installed, the file is also read back with it and compared.

Run: /usr/bin/python3 scripts/make-safetensors-fixture.py
"""
import json
import math
import os
import struct
import sys

import torch

assert sys.byteorder == "little", "this script writes native bytes and needs a little-endian host"

OUT_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests", "fixtures")

DTYPE_NAMES = {
    torch.float32: "F32",
    torch.float16: "F16",
    torch.bfloat16: "BF16",
    torch.float64: "F64",
    torch.int64: "I64",
}


def state_dict():
    torch.manual_seed(0)
    conv = torch.nn.Conv2d(1, 2, kernel_size=3)
    bn = torch.nn.BatchNorm2d(2)
    # One training step so the running statistics and the counter are not their defaults.
    bn.train()
    bn(conv(torch.randn(4, 1, 5, 5)))
    tensors = {}
    for prefix, module in (("conv", conv), ("bn", bn)):
        for name, t in module.state_dict().items():
            tensors[f"{prefix}.{name}"] = t.detach().clone()
    tensors["extra.half"] = torch.tensor(
        [1.0, -2.5, 1.0 / 3.0, 65504.0, 1e-6, 6e-8, -0.0, math.inf, -math.inf, math.nan], dtype=torch.float16
    )
    tensors["extra.bfloat"] = torch.tensor([1.0, -2.5, 1.0 / 3.0, 3.0e38, 1e-40, math.inf, math.nan], dtype=torch.bfloat16)
    tensors["extra.double"] = torch.tensor([[0.1, -1e-300], [1e300, 2.0 / 3.0]], dtype=torch.float64)
    return tensors


def raw_bytes(t):
    t = t.contiguous()
    if t.dtype == torch.bfloat16:  # numpy has no bfloat16: reinterpret the same 2-byte patterns
        t = t.view(torch.int16)
    return t.numpy().tobytes()


def encode(tensors, metadata):
    ordered = sorted(tensors.items(), key=lambda kv: (-kv[1].element_size(), kv[0]))
    header = {"__metadata__": metadata}
    chunks = []
    offset = 0
    for name, t in ordered:
        data = raw_bytes(t)
        header[name] = {"dtype": DTYPE_NAMES[t.dtype], "shape": list(t.shape), "data_offsets": [offset, offset + len(data)]}
        chunks.append(data)
        offset += len(data)
    text = json.dumps(header, separators=(",", ":")).encode("utf-8")
    text += b" " * ((8 - len(text) % 8) % 8)
    return struct.pack("<Q", len(text)) + text + b"".join(chunks)


def json_float(x):
    if math.isnan(x):
        return "NaN"
    if math.isinf(x):
        return "Infinity" if x > 0 else "-Infinity"
    return x


def main():
    tensors = state_dict()
    metadata = {"format": "pt", "source": "scripts/make-safetensors-fixture.py"}
    blob = encode(tensors, metadata)
    os.makedirs(OUT_DIR, exist_ok=True)
    path = os.path.join(OUT_DIR, "tiny.safetensors")
    with open(path, "wb") as f:
        f.write(blob)

    expected = {}
    for name, t in tensors.items():
        entry = {"dtype": DTYPE_NAMES[t.dtype], "shape": list(t.shape)}
        if t.is_floating_point():
            # torch's own conversion to float32, then exactly representable as a Python float
            entry["float32"] = [json_float(v) for v in t.float().flatten().tolist()]
        else:
            entry["int"] = [int(v) for v in t.flatten().tolist()]
        expected[name] = entry
    with open(os.path.join(OUT_DIR, "tiny.expected.json"), "w") as f:
        json.dump({"metadata": metadata, "tensors": expected}, f, indent=1)
        f.write("\n")

    try:
        from safetensors.torch import load_file  # optional cross-check
    except ImportError:
        print("safetensors package not installed: skipped the cross-check")
    else:
        loaded = load_file(path)
        assert set(loaded) == set(tensors)
        for name, t in tensors.items():
            assert torch.equal(loaded[name].view(-1).float().nan_to_num(), t.view(-1).float().nan_to_num()), name
        print("cross-checked with the safetensors package")
    print(f"wrote {path} ({len(blob)} bytes, {len(tensors)} tensors)")


if __name__ == "__main__":
    main()
