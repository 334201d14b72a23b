"""Deterministic weights ("detweights"): every tensor filled from its name.

seed = FNV-1a 32-bit hash of the UTF-8 name; PRNG = mulberry32(seed); u_i = (next() >>> 8) / 2^24;
value by role, computed in float64 and rounded once to float32 (see tests/goldens/README.md).
mulberry32's state after k steps is seed + k*0x6D2B79F5 (mod 2^32), so the stream is vectorised.
"""
import math

import numpy as np
import torch
from torch import nn

ROLES = ("weight", "bias", "bnWeight", "bnBias", "runningMean", "runningVar", "input")
_M32 = 0xFFFFFFFF


def fnv1a32(data):
    """FNV-1a 32-bit hash of a str (UTF-8) or bytes."""
    if isinstance(data, str):
        data = data.encode("utf-8")
    h = 0x811C9DC5
    for b in data:
        h ^= b
        h = (h * 0x01000193) & _M32
    return h


def mulberry32(seed, n):
    """First n uint32 outputs of mulberry32(seed) (standard definition, all arithmetic mod 2^32)."""
    k = np.arange(1, n + 1, dtype=np.uint64)
    a = ((np.uint64(seed) + k * np.uint64(0x6D2B79F5)) & np.uint64(_M32)).astype(np.uint32)
    with np.errstate(over="ignore"):
        t = (a ^ (a >> np.uint32(15))) * (a | np.uint32(1))
        t = t ^ (t + (t ^ (t >> np.uint32(7))) * (t | np.uint32(61)))
        return t ^ (t >> np.uint32(14))


def uniforms(name, n):
    """u_i = (next() >>> 8) / 2^24 in [0, 1), as float64 (exact)."""
    return (mulberry32(fnv1a32(name), n) >> np.uint32(8)).astype(np.float64) / 16777216.0


def det_tensor(name, shape, role):
    """The detweights tensor for `name` with `shape` and `role`, as a float32 numpy array."""
    shape = tuple(int(s) for s in shape)
    n = int(np.prod(shape, dtype=np.int64)) if shape else 1
    u = uniforms(name, n)
    if role == "weight":
        if len(shape) < 2:
            raise ValueError(f"weight {name} needs ndim >= 2, got {shape}")
        fan_in = int(np.prod(shape[1:]))
        v = (2 * u - 1) * math.sqrt(6.0 / fan_in)
    elif role in ("bias", "bnBias", "runningMean"):
        v = (2 * u - 1) * 0.1
    elif role in ("bnWeight", "runningVar"):
        v = 0.5 + u
    elif role == "input":
        v = 2 * u - 1
    else:
        raise ValueError(f"unknown role {role}")
    return v.astype(np.float32).reshape(shape)


_BN_ROLES = {"weight": "bnWeight", "bias": "bnBias", "running_mean": "runningMean", "running_var": "runningVar"}


def state_roles(model):
    """[(state_dict name, shape, role)] in state_dict order, num_batches_tracked excluded."""
    roles = {}
    for mpath, m in model.named_modules():
        prefix = mpath + "." if mpath else ""
        local = list(m.named_parameters(recurse=False)) + list(m.named_buffers(recurse=False))
        for pname, _ in local:
            if pname == "num_batches_tracked":
                continue
            if isinstance(m, (nn.Conv2d, nn.Linear)) and pname in ("weight", "bias"):
                role = pname
            elif isinstance(m, nn.modules.batchnorm._BatchNorm) and pname in _BN_ROLES:
                role = _BN_ROLES[pname]
            else:
                raise ValueError(f"no detweights role for {prefix}{pname} in {type(m).__name__}")
            roles[prefix + pname] = role
    out = []
    for name, t in model.state_dict().items():
        if name.endswith("num_batches_tracked"):
            continue
        out.append((name, list(t.shape), roles[name]))
    return out


def fill_model(model):
    """Overwrite every state_dict tensor of `model` with detweights; returns state_roles(model)."""
    entries = state_roles(model)
    sd = model.state_dict()
    with torch.no_grad():
        for name, shape, role in entries:
            sd[name].copy_(torch.from_numpy(det_tensor(name, shape, role)))
    return entries


def checksum(values):
    """FNV-1a 32 of the little-endian float32 bytes of `values` (the test-vector checksum)."""
    return fnv1a32(np.ascontiguousarray(values, dtype="<f4").tobytes())
