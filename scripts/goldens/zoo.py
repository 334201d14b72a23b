"""Zoo references: per-leaf-module output shapes and parameter counts, plus state_dict names/shapes."""
import os

import torch
import torchvision
from torch import nn

from .seednets import CONV_ARCH, SEED_INPUT, build_seed
from .safetensors_io import write_json

KINDS = {
    nn.Conv2d: "conv2d", nn.Linear: "linear", nn.MaxPool2d: "maxPool2d", nn.AvgPool2d: "avgPool2d",
    nn.AdaptiveAvgPool2d: "adaptiveAvgPool2d", nn.BatchNorm2d: "batchNorm2d", nn.BatchNorm1d: "batchNorm1d", nn.ReLU: "relu",
    nn.Sigmoid: "sigmoid", nn.Tanh: "tanh", nn.Softmax: "softmax", nn.Dropout: "dropout",
    nn.Flatten: "flatten", nn.LocalResponseNorm: "localResponseNorm",
}

SEED_NETS = ["lenet", "alexnet", "vgg11", "vgg13", "vgg16", "vgg19", "nin", "googlenet", "lenet-bn"]
TORCHVISION = ["resnet18", "resnet34", "resnet50", "resnet101", "resnet152",
               "densenet121", "densenet161", "densenet169", "densenet201",
               "vgg11_bn", "vgg13_bn", "vgg16_bn", "vgg19_bn"]
# the stem conv that the 1-channel (Fashion-MNIST) variant replaces, by family
STEM = {"resnet": "conv1", "densenet": "features.conv0", "vgg": "features.0"}


def _set_module(model, path, module):
    parent = model
    *head, last = path.split(".")
    for p in head:
        parent = getattr(parent, p)
    setattr(parent, last, module)


def build(model, in_channels, num_classes):
    """Any zoo model by name: a seed net (seednets.py) or a torchvision model with a 1-channel stem when asked."""
    if model in SEED_NETS:
        return build_seed(model, in_channels, num_classes)
    net = getattr(torchvision.models, model)(weights=None, num_classes=num_classes)
    if in_channels != 3:
        stem = STEM[next(f for f in STEM if model.startswith(f))]
        old = net.get_submodule(stem)
        _set_module(net, stem, nn.Conv2d(in_channels, old.out_channels, old.kernel_size, stride=old.stride,
                                         padding=old.padding, dilation=old.dilation, groups=old.groups,
                                         bias=old.bias is not None))
    return net


def reference_id(model, c, h, k):
    return f"{model}_{c}x{h}_{k}"


def references():
    """(model, C, H, K) of every zoo reference."""
    refs = [(m, 1, SEED_INPUT[m], 10) for m in SEED_NETS]
    refs += [(m, 3, 224, 1000) for m in CONV_ARCH]
    refs += [(m, 3, 224, 1000) for m in TORCHVISION]
    refs += [("resnet18", 1, 96, 10), ("densenet121", 1, 96, 10)]
    return refs


def own_params(m):
    return sum(p.numel() for p in m.parameters(recurse=False) if p.requires_grad)


def trace(model, c, h, k):
    torch.manual_seed(0)
    net = build(model, c, k).eval()
    records = []
    hooks = []
    for path, m in net.named_modules():
        if len(list(m.children())) > 0:
            continue
        kind = KINDS.get(type(m))
        if kind is None:
            raise ValueError(f"{model}: leaf {path} of type {type(m).__name__} has no kind")

        def hook(mod, inp, out, path=path, kind=kind):
            records.append({"path": path, "kind": kind, "shape": list(out.shape), "params": own_params(mod)})
        hooks.append(m.register_forward_hook(hook))
    with torch.no_grad():
        out = net(torch.zeros(1, c, h, h))
    for hk in hooks:
        hk.remove()
    return {
        "model": model, "input": [1, c, h, h], "classes": k, "output": list(out.shape),
        "params": sum(p.numel() for p in net.parameters() if p.requires_grad),
        "layers": records,
        "state_dict": [[n, list(t.shape)] for n, t in net.state_dict().items()
                       if not n.endswith("num_batches_tracked")],
    }


def generate(out_dir, log=print):
    os.makedirs(out_dir, exist_ok=True)
    index = []
    for model, c, h, k in references():
        rid = reference_id(model, c, h, k)
        ref = trace(model, c, h, k)
        if model in CONV_ARCH and c == 3 and k == 1000:
            tv = sum(p.numel() for p in getattr(torchvision.models, model)(weights=None).parameters())
            if tv != ref["params"]:
                raise AssertionError(f"{rid}: {ref['params']} params, torchvision {model} has {tv}")
        write_json(os.path.join(out_dir, rid + ".json"), ref, compact_lists=True)
        index.append({"id": rid, "model": model, "input": [1, c, h, h], "classes": k})
        log(f"zoo {rid}: {ref['params']} params, {len(ref['layers'])} leaf calls, output {ref['output']}")
    write_json(os.path.join(out_dir, "index.json"), index, compact_lists=True)
    return index
