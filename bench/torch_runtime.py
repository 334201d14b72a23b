"""PyTorch's side of the runtime benchmark (bench/runtime.ts runs it with /usr/bin/python3).

Usage: python3 bench/torch_runtime.py '{"rounds": 5, "nets": [{"name": "lenet", "batch": 64, "size": 28,
"calls": {"forward": 20, "train": 10}}]}'. Prints one JSON line: the torch version and, per net, the median
samples per second of a forward pass (eval, no grad) and of an SGD training step, on 2 threads.
"""
import json, sys, time, statistics
import torch, torch.nn as nn, torchvision
torch.set_num_threads(2)
torch.manual_seed(0)
cfg = json.loads(sys.argv[1])
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
            model(x)
    def step():
        model.train()
        opt.zero_grad()
        loss_fn(model(x), y).backward()
        opt.step()
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
    out["nets"][net["name"]] = res
print(json.dumps(out))
