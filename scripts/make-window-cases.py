#!/usr/bin/env python3
"""Seeded random chains of conv/pool windows with their output sizes from PyTorch (the oracle for the type-level
window rule, its normal form and the runtime trace; tests/windowProperty.test.ts reads the result).

Each case: an input H×W (1..20), 2–4 layers (conv2d: kernel 1–5, stride 1–3, padding 0–2, dilation 1–2;
maxPool2d/avgPool2d: kernel 1–4, stride 1–3, padding ≤ kernel/2, ceil mode on or off). PyTorch runs the chain on a
zero tensor; a layer whose window does not fit raises, and the case records that layer's index. The symbolic normal
form (a, s) of the whole chain, ⌊(H + a)/s⌋ + 1, is composed here and checked against PyTorch at every H where the
chain is valid.

Usage: /usr/bin/python3 scripts/make-window-cases.py > tests/fixtures/window-cases.json
"""
import json
import random

import torch
import torch.nn.functional as F

SEED = 11
CASES = 160


def layer_offset(layer):
    """(a, s, v): the normalised offset, the stride and the fit offset of one axis."""
    k, s, p, d = layer['kernel'], layer['stride'], layer['padding'], layer.get('dilation', 1)
    v = 2 * p - d * (k - 1) - 1
    a = v + min(s - 1, d * (k - 1) - p) if layer.get('ceilMode') else v
    return a, s, v


def compose(layers):
    a, s = -1, 1
    for layer in layers:
        b, t, _ = layer_offset(layer)
        a, s = a + s * (1 + b), s * t
    return a, s


def run(layers, h, w):
    x = torch.zeros(1, 2, h, w)
    with torch.no_grad():
        for i, layer in enumerate(layers):
            try:
                if layer['kind'] == 'conv2d':
                    weight = torch.zeros(3, x.shape[1], layer['kernel'], layer['kernel'])
                    x = F.conv2d(x, weight, stride=layer['stride'], padding=layer['padding'], dilation=layer['dilation'])
                elif layer['kind'] == 'maxPool2d':
                    x = F.max_pool2d(x, layer['kernel'], layer['stride'], layer['padding'], ceil_mode=layer['ceilMode'])
                else:
                    x = F.avg_pool2d(x, layer['kernel'], layer['stride'], layer['padding'], ceil_mode=layer['ceilMode'])
            except RuntimeError:
                return None, i
            if x.shape[2] < 1 or x.shape[3] < 1:
                return None, i
    return [int(x.shape[2]), int(x.shape[3])], None


def random_layer(rng):
    kind = rng.choice(['conv2d', 'conv2d', 'maxPool2d', 'avgPool2d'])
    if kind == 'conv2d':
        return {'kind': kind, 'kernel': rng.randint(1, 5), 'stride': rng.randint(1, 3), 'padding': rng.randint(0, 2), 'dilation': rng.randint(1, 2)}
    k = rng.randint(1, 4)
    return {'kind': kind, 'kernel': k, 'stride': rng.randint(1, 3), 'padding': rng.randint(0, k // 2), 'ceilMode': rng.random() < 0.5}


def main():
    rng = random.Random(SEED)
    cases = []
    for _ in range(CASES):
        layers = [random_layer(rng) for _ in range(rng.randint(2, 4))]
        h, w = rng.randint(1, 20), rng.randint(1, 20)
        out, failed_at = run(layers, h, w)
        a, s = compose(layers)
        # The normal form agrees with PyTorch wherever the chain is valid.
        for hh in range(1, 60):
            got, _ = run(layers, hh, hh)
            if got is not None:
                assert got[0] == (hh + a) // s + 1, (layers, hh, got, a, s)
        cases.append({'layers': layers, 'input': [h, w], 'output': out, 'failedAt': failed_at, 'form': [a, s]})
    print(json.dumps({'seed': SEED, 'cases': cases}, indent=None))


if __name__ == '__main__':
    main()
