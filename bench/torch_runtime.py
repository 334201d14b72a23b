"""PyTorch's side of the runtime and engines benchmarks (bench/runtime.ts and bench/engines.ts run it with
/usr/bin/python3): torchvision-style LeNet and ResNet-18 (1 input channel), forward in eval mode under no_grad and an
SGD training step (cross-entropy), images per second.

Usage: python3 bench/torch_runtime.py '{"rounds": 5, "threads": 2, "nets": [{"name": "lenet", "label": "LeNet",
"batch": 64, "size": 28, "calls": {"forward": 20, "train": 10}}]}'. `threads` defaults to 2, `label` to `name`.
Prints one JSON line: the torch version and, per net label, the median samples per second of each pass.
"""
import json, sys, time, statistics
import torch, torch.nn as nn, torchvision

cfg = json.loads(sys.argv[1])
torch.set_num_threads(cfg.get("threads", 2))
torch.manual_seed(0)


def lenet():
    return nn.Sequential(nn.Conv2d(1, 6, 5, padding=2), nn.Sigmoid(), nn.AvgPool2d(2, 2), nn.Conv2d(6, 16, 5), nn.Sigmoid(),
        nn.AvgPool2d(2, 2), nn.Flatten(), nn.Linear(400, 120), nn.Sigmoid(), nn.Linear(120, 84), nn.Sigmoid(), nn.Linear(84, 10))


def resnet18():
    m = torchvision.models.resnet18(weights=None, num_classes=10)
    m.conv1 = nn.Conv2d(1, 64, 7, 2, 3, bias=False)
    return m


out = {"torch": torch.__version__, "nets": {}}
for net in cfg["nets"]:
    model = lenet() if net["name"] == "lenet" else resnet18()
    x = torch.randn(net["batch"], 1, net["size"], net["size"])
    y = torch.arange(net["batch"]) % 10
    opt = torch.optim.SGD(model.parameters(), lr=0.01)
    loss_fn = nn.CrossEntropyLoss()

    def fwd():
        model.eval()
        with torch.no_grad():
            model(x).numpy()

    def step():
        model.train()
        opt.zero_grad()
        loss = loss_fn(model(x), y)
        loss.backward()
        opt.step()
        loss.item()

    res = {}
    for kind, f in (("forward", fwd), ("train", step)):
        f()
        rates = []
        for r in range(cfg["rounds"]):
            t = time.perf_counter()
            for i in range(net["calls"][kind]):
                f()
            rates.append(net["batch"] * net["calls"][kind] / (time.perf_counter() - t))
        res[kind] = statistics.median(rates)
    out["nets"][net.get("label", net["name"])] = res
print(json.dumps(out))
