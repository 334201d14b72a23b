"""Layer goldens: one small safetensors file per (layer kind, options) case, plus manifest.json.

Every case is computed in float64 from float32-representable inputs and parameters, then stored as
float32, so the reference is as exact as float32 allows.
"""
import os

import numpy as np
import torch
from torch import nn

from .detweights import fnv1a32
from .safetensors_io import write_safetensors, write_json

# (case, layer in shapesafe vocabulary, input shapes, training)
CASES = [
    # conv2d
    ("conv2d_3x3_p1", {"kind": "conv2d", "out": 4, "kernel": 3, "padding": 1}, [[2, 3, 9, 9]], False),
    ("conv2d_5x5_s2_p1_odd", {"kind": "conv2d", "out": 4, "kernel": 5, "stride": 2, "padding": 1}, [[2, 3, 11, 13]], False),
    ("conv2d_padding_pair", {"kind": "conv2d", "out": 3, "kernel": 3, "padding": [1, 2]}, [[2, 2, 9, 10]], False),
    ("conv2d_same_3x3", {"kind": "conv2d", "out": 4, "kernel": 3, "padding": "same"}, [[2, 3, 10, 9]], False),
    ("conv2d_same_even_2x4", {"kind": "conv2d", "out": 3, "kernel": [2, 4], "padding": "same"}, [[2, 2, 8, 9]], False),
    ("conv2d_same_dilation2", {"kind": "conv2d", "out": 3, "kernel": 3, "padding": "same", "dilation": 2}, [[2, 2, 9, 8]], False),
    ("conv2d_dilation2_p2", {"kind": "conv2d", "out": 4, "kernel": 3, "padding": 2, "dilation": 2}, [[2, 3, 11, 11]], False),
    ("conv2d_groups2", {"kind": "conv2d", "out": 6, "kernel": 3, "padding": 1, "groups": 2}, [[2, 4, 8, 9]], False),
    ("conv2d_depthwise", {"kind": "conv2d", "out": 4, "kernel": 3, "padding": 1, "groups": 4}, [[2, 4, 9, 8]], False),
    ("conv2d_no_bias", {"kind": "conv2d", "out": 4, "kernel": 3, "padding": 1, "bias": False}, [[2, 3, 8, 8]], False),
    ("conv2d_1x1", {"kind": "conv2d", "out": 5, "kernel": 1}, [[2, 3, 7, 9]], False),
    ("conv2d_k1x3_s2x1", {"kind": "conv2d", "out": 4, "kernel": [1, 3], "stride": [2, 1], "padding": [0, 1]}, [[2, 3, 9, 8]], False),
    ("conv2d_s2_floor_drops", {"kind": "conv2d", "out": 4, "kernel": 3, "stride": 2}, [[2, 3, 10, 12]], False),
    ("conv2d_mixed_pairs", {"kind": "conv2d", "out": 4, "kernel": [3, 5], "stride": [2, 3], "padding": [1, 2],
                            "dilation": [2, 1]}, [[2, 3, 13, 12]], False),
    # maxPool2d
    ("maxPool2d_k3_s2", {"kind": "maxPool2d", "kernel": 3, "stride": 2}, [[2, 3, 10, 11]], False),
    ("maxPool2d_k3_s2_p1", {"kind": "maxPool2d", "kernel": 3, "stride": 2, "padding": 1}, [[2, 3, 10, 9]], False),
    ("maxPool2d_k3_s1_p1", {"kind": "maxPool2d", "kernel": 3, "stride": 1, "padding": 1}, [[2, 3, 7, 8]], False),
    ("maxPool2d_k3_s2_ceil", {"kind": "maxPool2d", "kernel": 3, "stride": 2, "ceilMode": True}, [[2, 3, 10, 10]], False),
    ("maxPool2d_k3_s2_p1_ceil", {"kind": "maxPool2d", "kernel": 3, "stride": 2, "padding": 1, "ceilMode": True},
     [[2, 3, 8, 11]], False),
    ("maxPool2d_k2_s2_p1_ceil_drops_last", {"kind": "maxPool2d", "kernel": 2, "stride": 2, "padding": 1, "ceilMode": True},
     [[2, 3, 5, 7]], False),
    ("maxPool2d_k2", {"kind": "maxPool2d", "kernel": 2}, [[2, 3, 8, 9]], False),
    ("maxPool2d_k3_s2_default_stride", {"kind": "maxPool2d", "kernel": 3}, [[2, 2, 11, 10]], False),
    # avgPool2d
    ("avgPool2d_k2_s2", {"kind": "avgPool2d", "kernel": 2, "stride": 2}, [[2, 3, 8, 9]], False),
    ("avgPool2d_k3_s1_p1", {"kind": "avgPool2d", "kernel": 3, "stride": 1, "padding": 1}, [[2, 3, 7, 8]], False),
    ("avgPool2d_k3_s1_p1_excl_pad", {"kind": "avgPool2d", "kernel": 3, "stride": 1, "padding": 1, "countIncludePad": False},
     [[2, 3, 7, 8]], False),
    ("avgPool2d_k3_s2_ceil", {"kind": "avgPool2d", "kernel": 3, "stride": 2, "ceilMode": True}, [[2, 3, 10, 10]], False),
    ("avgPool2d_k3_s2_p1_ceil", {"kind": "avgPool2d", "kernel": 3, "stride": 2, "padding": 1, "ceilMode": True},
     [[2, 3, 8, 11]], False),
    ("avgPool2d_k3_s2_p1_ceil_excl_pad", {"kind": "avgPool2d", "kernel": 3, "stride": 2, "padding": 1, "ceilMode": True,
                                          "countIncludePad": False}, [[2, 3, 8, 11]], False),
    ("avgPool2d_k2_s2_p1_ceil_drops_last", {"kind": "avgPool2d", "kernel": 2, "stride": 2, "padding": 1, "ceilMode": True},
     [[2, 3, 5, 7]], False),
    ("avgPool2d_k2_default_stride", {"kind": "avgPool2d", "kernel": 2}, [[2, 2, 7, 9]], False),
    # adaptiveAvgPool2d
    ("adaptiveAvgPool2d_1", {"kind": "adaptiveAvgPool2d", "output": 1}, [[2, 3, 7, 9]], False),
    ("adaptiveAvgPool2d_3x3_from_10", {"kind": "adaptiveAvgPool2d", "output": [3, 3]}, [[2, 3, 10, 10]], False),
    ("adaptiveAvgPool2d_7_from_14", {"kind": "adaptiveAvgPool2d", "output": 7}, [[2, 2, 14, 14]], False),
    ("adaptiveAvgPool2d_2x3_from_7x11", {"kind": "adaptiveAvgPool2d", "output": [2, 3]}, [[2, 2, 7, 11]], False),
    # flatten, linear
    ("flatten", {"kind": "flatten"}, [[2, 3, 4, 5]], False),
    ("linear", {"kind": "linear", "out": 5}, [[2, 12]], False),
    ("linear_no_bias", {"kind": "linear", "out": 5, "bias": False}, [[2, 12]], False),
    # activations
    ("relu", {"kind": "relu"}, [[2, 3, 7, 8]], False),
    ("sigmoid", {"kind": "sigmoid"}, [[2, 3, 7, 8]], False),
    ("tanh", {"kind": "tanh"}, [[2, 3, 7, 8]], False),
    ("softmax_2d", {"kind": "softmax"}, [[2, 10]], False),
    ("softmax_nchw", {"kind": "softmax"}, [[2, 4, 3, 5]], False),
    ("dropout_eval", {"kind": "dropout", "p": 0.5}, [[2, 3, 7, 7]], False),
    # batchNorm2d
    ("batchNorm2d_train", {"kind": "batchNorm2d"}, [[2, 4, 7, 9]], True),
    ("batchNorm2d_train_eps_momentum", {"kind": "batchNorm2d", "eps": 1e-3, "momentum": 0.3}, [[2, 4, 7, 9]], True),
    ("batchNorm2d_eval", {"kind": "batchNorm2d"}, [[2, 4, 7, 9]], False),
    ("batchNorm2d_eval_eps", {"kind": "batchNorm2d", "eps": 1e-3}, [[2, 4, 7, 9]], False),
    # batchNorm1d on [N, F] (the BatchNorm LeNet normalises after its Linear layers)
    ("batchNorm1d_train", {"kind": "batchNorm1d"}, [[6, 5]], True),
    ("batchNorm1d_train_eps_momentum", {"kind": "batchNorm1d", "eps": 1e-3, "momentum": 0.3}, [[6, 5]], True),
    ("batchNorm1d_train_batch2", {"kind": "batchNorm1d"}, [[2, 7]], True),
    ("batchNorm1d_eval", {"kind": "batchNorm1d"}, [[6, 5]], False),
    ("batchNorm1d_eval_eps", {"kind": "batchNorm1d", "eps": 1e-3}, [[3, 120]], False),
    # localResponseNorm (the PyTorch-default alpha 1e-4 barely changes x, so larger alphas are included)
    ("localResponseNorm_5", {"kind": "localResponseNorm", "size": 5}, [[2, 7, 7, 8]], False),
    ("localResponseNorm_5_strong", {"kind": "localResponseNorm", "size": 5, "alpha": 0.5, "beta": 0.75, "k": 1},
     [[2, 7, 7, 8]], False),
    ("localResponseNorm_4_even", {"kind": "localResponseNorm", "size": 4, "alpha": 0.3, "beta": 0.6, "k": 2},
     [[2, 6, 7, 8]], False),
    ("localResponseNorm_4_defaults", {"kind": "localResponseNorm", "size": 4}, [[2, 6, 7, 8]], False),
    # two-input combinators
    ("concat", {"kind": "concat"}, [[2, 3, 7, 8], [2, 5, 7, 8]], False),
    ("add", {"kind": "add"}, [[2, 3, 7, 8], [2, 3, 7, 8]], False),
]


def _pair(v):
    return tuple(v) if isinstance(v, (list, tuple)) else (v, v)


class _Concat(nn.Module):
    def forward(self, a, b):
        return torch.cat((a, b), dim=1)


class _Add(nn.Module):
    def forward(self, a, b):
        return a + b


def to_torch(layer, in_shape):
    """The PyTorch module for a layer in shapesafe vocabulary (this mapping is what the goldens pin down)."""
    o = layer
    kind = o["kind"]
    if kind == "conv2d":
        pad = o.get("padding", 0)
        return nn.Conv2d(in_shape[1], o["out"], _pair(o["kernel"]), stride=_pair(o.get("stride", 1)),
                         padding=pad if pad == "same" else _pair(pad), dilation=_pair(o.get("dilation", 1)),
                         groups=o.get("groups", 1), bias=o.get("bias", True))
    if kind == "maxPool2d":
        return nn.MaxPool2d(o["kernel"], stride=o.get("stride", o["kernel"]), padding=o.get("padding", 0),
                            ceil_mode=o.get("ceilMode", False))
    if kind == "avgPool2d":
        return nn.AvgPool2d(o["kernel"], stride=o.get("stride", o["kernel"]), padding=o.get("padding", 0),
                            ceil_mode=o.get("ceilMode", False), count_include_pad=o.get("countIncludePad", True))
    if kind == "adaptiveAvgPool2d":
        return nn.AdaptiveAvgPool2d(_pair(o["output"]))
    if kind == "flatten":
        return nn.Flatten()
    if kind == "linear":
        return nn.Linear(in_shape[1], o["out"], bias=o.get("bias", True))
    if kind == "relu":
        return nn.ReLU()
    if kind == "sigmoid":
        return nn.Sigmoid()
    if kind == "tanh":
        return nn.Tanh()
    if kind == "softmax":
        return nn.Softmax(dim=1)
    if kind == "dropout":
        return nn.Dropout(o["p"])
    if kind == "batchNorm2d":
        return nn.BatchNorm2d(in_shape[1], eps=o.get("eps", 1e-5), momentum=o.get("momentum", 0.1))
    if kind == "batchNorm1d":
        return nn.BatchNorm1d(in_shape[1], eps=o.get("eps", 1e-5), momentum=o.get("momentum", 0.1))
    if kind == "localResponseNorm":
        return nn.LocalResponseNorm(o["size"], alpha=o.get("alpha", 1e-4), beta=o.get("beta", 0.75), k=o.get("k", 1.0))
    if kind == "concat":
        return _Concat()
    if kind == "add":
        return _Add()
    raise ValueError(f"unknown kind {kind}")


def _f32(t):
    """Round through float32, then back to float64 (inputs/params exactly representable in float32)."""
    return t.float().double()


def run_case(case, layer, in_shapes, training):
    torch.manual_seed(fnv1a32(case))
    module = to_torch(layer, in_shapes[0])
    with torch.no_grad():
        if isinstance(module, (nn.BatchNorm1d, nn.BatchNorm2d)):
            c = in_shapes[0][1]
            module.weight.copy_(0.5 + torch.rand(c))
            module.bias.copy_(0.1 * torch.randn(c))
            module.running_mean.copy_(0.1 * torch.randn(c))
            module.running_var.copy_(0.5 + torch.rand(c))
    module = module.double()
    with torch.no_grad():
        for t in list(module.parameters()) + list(module.buffers()):
            if t.is_floating_point():
                t.copy_(_f32(t))
    module.train(training)

    in_names = ["input", "input2"][:len(in_shapes)]
    inputs = [_f32(torch.randn(*s)).requires_grad_(True) for s in in_shapes]
    before = {n: b.detach().clone() for n, b in module.named_buffers() if n != "num_batches_tracked"}
    params = dict(module.named_parameters())
    out = module(*inputs)
    cot = _f32(torch.randn(*out.shape))
    (out * cot).sum().backward()

    tensors = {}
    for n, x in zip(in_names, inputs):
        tensors[n] = x.detach()
    for n, p in params.items():
        tensors[n] = p.detach()
    for n, b in before.items():
        tensors[n] = b
    tensors["output"] = out.detach()
    tensors["cotangent"] = cot
    for n, x in zip(in_names, inputs):
        tensors["grad_" + n] = x.grad
    for n, p in params.items():
        tensors["grad." + n] = p.grad
    if training:
        for n, b in module.named_buffers():
            if n != "num_batches_tracked":
                tensors["new." + n] = b.detach()
    return {k: v.float().numpy() for k, v in tensors.items()}


def generate(out_dir):
    os.makedirs(out_dir, exist_ok=True)
    manifest = []
    for case, layer, in_shapes, training in CASES:
        tensors = run_case(case, layer, in_shapes, training)
        fname = case + ".safetensors"
        write_safetensors(os.path.join(out_dir, fname), tensors,
                          {"case": case, "training": str(training).lower()})
        manifest.append({"case": case, "file": fname, "training": training, "layer": layer,
                         "shapes": {k: list(v.shape) for k, v in tensors.items()}})
    write_json(os.path.join(out_dir, "manifest.json"), manifest, compact_lists=True)
    return manifest
