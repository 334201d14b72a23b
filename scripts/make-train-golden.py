#!/usr/bin/python3
"""Golden values for the training tests (tests/optim.test.ts, tests/train.test.ts), from PyTorch.

- Optimizers: a few steps of torch.optim.SGD (momentum, weight decay) and torch.optim.Adam (bias correction, L2 weight
  decay) on fixed parameters with fixed per-step gradients (set on .grad by hand), recording the parameters after
  every step.
- Cross-entropy: F.cross_entropy (mean) of fixed logits, some of them large, and its gradient w.r.t. the logits.

Run with Debian's python3-torch:  /usr/bin/python3 scripts/make-train-golden.py > tests/fixtures/train-golden.json
"""
import json

import torch
import torch.nn.functional as F

torch.manual_seed(1234)


def values(t):
    return [float(v) for v in t.detach().reshape(-1).tolist()]


def optimizer_case(name, make, steps=4):
    torch.manual_seed(7)
    w = torch.randn(3, 4)
    b = torch.randn(4)
    grads = [(torch.randn(3, 4), torch.randn(4)) for _ in range(steps)]
    pw = w.clone().requires_grad_(True)
    pb = b.clone().requires_grad_(True)
    opt = make([pw, pb])
    after = []
    for gw, gb in grads:
        pw.grad = gw.clone()
        pb.grad = gb.clone()
        opt.step()
        after.append({"w": values(pw), "b": values(pb)})
    return {
        "name": name,
        "params": {"w": {"shape": [3, 4], "data": values(w)}, "b": {"shape": [4], "data": values(b)}},
        "grads": [{"w": values(gw), "b": values(gb)} for gw, gb in grads],
        "after": after,
    }


cases = [
    {"config": {"name": "sgd", "learningRate": 0.1, "momentum": 0.9, "weightDecay": 0.01},
     **optimizer_case("sgd-momentum-wd", lambda p: torch.optim.SGD(p, lr=0.1, momentum=0.9, weight_decay=0.01))},
    {"config": {"name": "sgd", "learningRate": 0.05},
     **optimizer_case("sgd-plain", lambda p: torch.optim.SGD(p, lr=0.05))},
    {"config": {"name": "adam", "learningRate": 0.01, "weightDecay": 0.01},
     **optimizer_case("adam-wd", lambda p: torch.optim.Adam(p, lr=0.01, weight_decay=0.01))},
    {"config": {"name": "adam", "learningRate": 0.001, "beta1": 0.8, "beta2": 0.99, "epsilon": 1e-6},
     **optimizer_case("adam-betas", lambda p: torch.optim.Adam(p, lr=0.001, betas=(0.8, 0.99), eps=1e-6))},
]

torch.manual_seed(3)
logits = torch.randn(5, 7) * 3
logits[1, 2] = 100.0  # large logits: a naive softmax overflows
logits[3] = torch.tensor([-80.0, 90.0, 0.0, 5.0, -3.0, 89.0, 1.0])
labels = torch.tensor([0, 2, 6, 5, 3])
z = logits.clone().requires_grad_(True)
loss = F.cross_entropy(z, labels)
loss.backward()

print(json.dumps({
    "torch": torch.__version__,
    "optimizers": cases,
    "crossEntropy": {
        "logits": {"shape": [5, 7], "data": values(logits)},
        "labels": labels.tolist(),
        "loss": float(loss),
        "grad": values(z.grad),
    },
}, indent=1))
