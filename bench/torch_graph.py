"""PyTorch side of the native-engine benchmark (bench/torch.ts, `npm run bench -- torch`): runs the same traced graph as the native
engine (the node list of src/runtime/torch/graphSpec.ts, read from a JSON file) with torch.nn.functional, and prints
images per second for forward passes or training steps (cross-entropy, SGD with momentum), as JSON on stdout.

Usage: /usr/bin/python3 bench/torch_graph.py SPEC.json THREADS [DEVICE(cpu|cuda)]
then one request per line on stdin, `MODE(forward|train) STEPS`: one untimed step, then STEPS timed ones; one JSON
line per request on stdout. The process lives for the whole benchmark, as the native engine's does, so both sides
are measured with their memory already in use (a fresh process per round would time first-touch page faults).
"""
import json
import sys
import time

import torch
import torch.nn.functional as F


def run_node(node, ins, t, training):
    k, a = node["kind"], node["attrs"]
    p = [t[n] for n in node["params"]]
    if k in ("input", "identity"):
        return ins[0]
    if k == "conv2d":
        kh, kw, sh, sw, top, bottom, left, right, dh, dw, groups, bias = [int(v) for v in a]
        x = ins[0]
        pad = (top, left)
        if top != bottom or left != right:
            x = F.pad(x, (left, right, top, bottom))
            pad = (0, 0)
        return F.conv2d(x, p[0], p[1] if bias else None, (sh, sw), pad, (dh, dw), groups)
    if k == "maxPool2d":
        return F.max_pool2d(ins[0], (int(a[0]), int(a[1])), (int(a[2]), int(a[3])), (int(a[4]), int(a[5])), ceil_mode=bool(a[6]))
    if k == "avgPool2d":
        return F.avg_pool2d(ins[0], (int(a[0]), int(a[1])), (int(a[2]), int(a[3])), (int(a[4]), int(a[5])), bool(a[6]), bool(a[7]))
    if k == "adaptiveAvgPool2d":
        return F.adaptive_avg_pool2d(ins[0], (int(a[0]), int(a[1])))
    if k == "flatten":
        return ins[0].flatten(1)
    if k == "linear":
        return F.linear(ins[0], p[0], p[1] if a[0] else None)
    if k == "relu":
        return F.relu(ins[0])
    if k == "sigmoid":
        return torch.sigmoid(ins[0])
    if k == "tanh":
        return torch.tanh(ins[0])
    if k == "softmax":
        return F.softmax(ins[0], 1)
    if k == "dropout":
        return F.dropout(ins[0], a[0], training)
    if k in ("batchNorm2d", "batchNorm1d"):
        return F.batch_norm(ins[0], p[2], p[3], p[0], p[1], training, a[1], a[0])
    if k == "localResponseNorm":
        return F.local_response_norm(ins[0], int(a[0]), a[1], a[2], a[3])
    if k == "concat":
        return ins[0] if len(ins) == 1 else torch.cat(ins, 1)
    if k == "add":
        return ins[0] + ins[1]
    raise ValueError(k)


def forward(spec, t, x, training):
    values = []
    for node in spec["nodes"]:
        ins = [x] if node["kind"] == "input" else [values[j] for j in node["inputs"]]
        values.append(run_node(node, ins, t, training))
    return values[spec["output"]]


def main():
    spec = json.load(open(sys.argv[1]))
    threads = int(sys.argv[2])
    device = sys.argv[3] if len(sys.argv) > 3 else "cpu"
    sync = torch.cuda.synchronize if device.startswith("cuda") else (lambda: None)
    torch.set_num_threads(threads)
    torch.manual_seed(0)
    t = {}
    for name, (shape, role) in spec["params"].items():
        if role in ("runningVar", "bnWeight"):
            t[name] = torch.ones(shape)
        elif role in ("runningMean", "bnBias", "bias"):
            t[name] = torch.zeros(shape)
        else:
            t[name] = torch.randn(shape) * 0.05
    t = {name: v.to(device) for name, v in t.items()}
    trainable = [t[n] for n in spec["trainable"]]
    for p in trainable:
        p.requires_grad_(True)
    opt = torch.optim.SGD(trainable, lr=0.01, momentum=0.9)
    shape = spec["input"]
    x = torch.randn(shape).to(device)
    y = torch.randint(0, spec["classes"], (shape[0],)).to(device)

    def step(mode):
        if mode == "forward":
            with torch.no_grad():
                forward(spec, t, x, False).cpu()  # the native engine hands its output back to the host too
        else:
            opt.zero_grad()
            loss = F.cross_entropy(forward(spec, t, x, True), y)
            loss.backward()
            opt.step()
            loss.item()  # as the native engine reads the loss back

    for line in sys.stdin:
        mode, steps = line.split()
        steps = int(steps)
        step(mode)  # untimed, as the native side's
        sync()
        start = time.perf_counter()
        for _ in range(steps):
            step(mode)
        sync()
        seconds = time.perf_counter() - start
        print(json.dumps({"imagesPerSecond": shape[0] * steps / seconds, "seconds": seconds, "torch": torch.__version__}), flush=True)


main()
