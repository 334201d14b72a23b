#!/usr/bin/python3
"""Writes tests/fixtures/resize-golden.json: PyTorch bilinear resizes of a small image.

The reference is F.interpolate(x, size, mode='bilinear', align_corners=False) (no antialias),
which shapesafe's resizeBilinearNCHW (tf.image.resizeBilinear with halfPixelCenters) must match.
Run with Debian's python3-torch:  /usr/bin/python3 scripts/make-resize-golden.py
"""
import json
import pathlib

import torch
import torch.nn.functional as F

H, W = 7, 7
# Deterministic uint8-like pattern with strong edges, scaled to [0, 1] as ToTensor would.
pixels = [[(r * 7 + c) * 37 % 256 for c in range(W)] for r in range(H)]
x = torch.tensor(pixels, dtype=torch.float32).div(255).reshape(1, 1, H, W)

cases = []
for size in [(16, 16), (4, 4), (11, 11), (9, 13), (28, 28)]:
    y = F.interpolate(x, size=size, mode='bilinear', align_corners=False)
    cases.append({'size': list(size), 'data': [round(v, 7) for v in y.flatten().tolist()]})

out = {
    'generator': 'scripts/make-resize-golden.py',
    'torch': torch.__version__,
    'op': "F.interpolate(mode='bilinear', align_corners=False)",
    'input': {'shape': [1, 1, H, W], 'data': [round(v, 7) for v in x.flatten().tolist()]},
    'cases': cases,
}
path = pathlib.Path(__file__).resolve().parent.parent / 'tests' / 'fixtures' / 'resize-golden.json'
path.write_text(json.dumps(out, separators=(',', ':')) + '\n')
print(f'wrote {path} ({path.stat().st_size} bytes)')
