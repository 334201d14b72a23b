"""Minimal safetensors writer/reader (F32 only), so no `safetensors` package is needed.

Layout: 8-byte little-endian u64 header length, JSON header padded with spaces to a
multiple of 8, then the raw little-endian tensor bytes in header order.
"""
import json
import os

import numpy as np


def write_safetensors(path, tensors, metadata=None):
    """Write an ordered dict name -> array (cast to float32) atomically."""
    header = {}
    blobs = []
    offset = 0
    for name, value in tensors.items():
        arr = np.ascontiguousarray(np.asarray(value, dtype='<f4'))
        data = arr.tobytes()
        header[name] = {"dtype": "F32", "shape": list(arr.shape),
                        "data_offsets": [offset, offset + len(data)]}
        blobs.append(data)
        offset += len(data)
    if metadata:
        header["__metadata__"] = {k: str(v) for k, v in metadata.items()}
    raw = json.dumps(header, separators=(",", ":")).encode("utf-8")
    raw += b" " * ((8 - len(raw) % 8) % 8)
    tmp = path + ".tmp"
    with open(tmp, "wb") as f:
        f.write(len(raw).to_bytes(8, "little"))
        f.write(raw)
        for b in blobs:
            f.write(b)
    os.replace(tmp, path)


def read_safetensors(path):
    """Read back (name -> float32 array, metadata) — used to self-check written files."""
    with open(path, "rb") as f:
        buf = f.read()
    n = int.from_bytes(buf[:8], "little")
    header = json.loads(buf[8:8 + n].decode("utf-8"))
    meta = header.pop("__metadata__", {})
    out = {}
    for name, h in header.items():
        b, e = h["data_offsets"]
        out[name] = np.frombuffer(buf[8 + n + b:8 + n + e], dtype="<f4").reshape(h["shape"])
    return out, meta


def write_json(path, obj, compact_lists=False):
    """Write JSON atomically with a trailing newline."""
    tmp = path + ".tmp"
    with open(tmp, "w", encoding="utf-8") as f:
        f.write(dumps(obj) if compact_lists else json.dumps(obj, indent=1, ensure_ascii=False))
        f.write("\n")
    os.replace(tmp, path)


def dumps(obj, indent=0):
    """JSON with one line per list element of top-level lists of objects/lists (diff-friendly, small)."""
    pad = " " * indent
    if isinstance(obj, dict):
        items = [f'{pad} {json.dumps(k, ensure_ascii=False)}: {dumps(v, indent + 1)}' for k, v in obj.items()]
        return "{\n" + ",\n".join(items) + "\n" + pad + "}"
    if isinstance(obj, list) and obj and isinstance(obj[0], (dict, list)):
        items = [pad + "  " + json.dumps(v, separators=(",", ":"), ensure_ascii=False) for v in obj]
        return "[\n" + ",\n".join(items) + "\n" + pad + " ]"
    return json.dumps(obj, separators=(",", ":"), ensure_ascii=False)
