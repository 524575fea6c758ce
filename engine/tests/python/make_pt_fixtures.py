#!/usr/bin/env python3
"""Writes real PyTorch checkpoints for the serialize_pt tests (run with /usr/bin/python3,
which has torch 1.13). Usage: make_pt_fixtures.py OUT_DIR

Besides the .pt files it writes OUT_DIR/expected.txt, one line per tensor:
    file|name|dtype|shape|stride|storage_offset|hex of the contiguous little-endian bytes
(shape/stride comma-separated), so the C++ tests compare loaded values bit for bit.
"""
import collections
import io
import os
import pickle
import sys
import zipfile

import torch

out = sys.argv[1]
os.makedirs(out, exist_ok=True)
lines = []

DTYPES = {
    "float32": torch.float32, "float64": torch.float64, "float16": torch.float16, "bfloat16": torch.bfloat16,
    "int64": torch.int64, "int32": torch.int32, "int16": torch.int16, "int8": torch.int8,
    "uint8": torch.uint8, "bool": torch.bool,
}
NAMES = {v: k for k, v in DTYPES.items()}


def raw_hex(t):
    c = t.detach().contiguous().reshape(-1)
    return bytes(c.view(torch.uint8).tolist()).hex() if c.numel() else ""


def record(fname, name, t):
    lines.append("|".join([fname, name, NAMES[t.dtype], ",".join(map(str, t.shape)),
                           ",".join(map(str, t.stride())), str(t.storage_offset()), raw_hex(t)]))


def save(obj, fname, tensors, **kw):
    torch.save(obj, os.path.join(out, fname), **kw)
    for name, t in tensors.items():
        record(fname, name, t)


# Every dtype, with values that exercise the type (negatives, fractions, extremes).
g = torch.Generator().manual_seed(0)
all_dtypes = {}
for name, dt in DTYPES.items():
    if dt == torch.bool:
        t = torch.tensor([[True, False, True], [False, False, True]])
    elif dt.is_floating_point:
        t = (torch.randn(2, 3, generator=g, dtype=torch.float64) * 100).to(dt)
        t[0, 0] = -0.0
    else:
        info = torch.iinfo(dt)
        t = torch.tensor([[info.min, -1 if info.min < 0 else 1, 0], [7, 100, info.max]], dtype=dt)
    all_dtypes[name] = t
all_dtypes["scalar"] = torch.tensor(3.25, dtype=torch.float64)
all_dtypes["empty"] = torch.zeros(0, 3)
save(all_dtypes, "all_dtypes.pt", all_dtypes)

# Views sharing one storage, with offsets and non-contiguous strides.
base = torch.arange(24, dtype=torch.float32).view(4, 6)
views = collections.OrderedDict(base=base, t=base.t(), row=base[1], col=base[:, 2], block=base[1:3, 2:5],
                                 step=base[::2, 1::3])
save(views, "views.pt", views)

# Nested containers and plain values.
n1, n2, n3 = torch.arange(5, dtype=torch.int64), torch.ones(2, 2, dtype=torch.float16), torch.tensor([True])
nested = {"a": [n1, (n2, 3, 2.5, "x", True, None)], "b": {"c": n3}, "n": -7, "big": 2 ** 40, "neg_big": -(2 ** 40)}
save(nested, "nested.pt", {"a.0": n1, "a.1.0": n2, "b.c": n3})

# A Parameter (requires_grad) and a tensor that requires grad.
p = torch.nn.Parameter(torch.linspace(-1, 1, 5))
save({"p": p}, "param.pt", {"p": p})

# A real module's state dict (OrderedDict with _metadata).
torch.manual_seed(0)
model = torch.nn.Sequential(torch.nn.Linear(4, 8), torch.nn.ReLU(), torch.nn.Linear(8, 2))
sd = model.state_dict()
save(sd, "model.pt", dict(sd))

# A bigger file (4 MiB storage) to exercise real offsets.
big = torch.arange(1 << 20, dtype=torch.float32) / 7
save({"big": big}, "big.pt", {"big": big})

# A bare tensor at the top level.
save(torch.arange(6, dtype=torch.int32).view(2, 3), "bare_tensor.pt",
     {"": torch.arange(6, dtype=torch.int32).view(2, 3)})

# Legacy (non-zip) format: must be refused with a re-save hint.
torch.save({"w": torch.ones(2)}, os.path.join(out, "legacy.pt"), _use_new_zipfile_serialization=False)

# Hostile pickles: loading them with plain pickle would create the marker file.
marker = os.path.join(out, "PWNED_MARKER")


class Evil:
    def __reduce__(self):
        return (os.system, ("touch " + marker,))


torch.save(Evil(), os.path.join(out, "hostile_system.pt"))
torch.save({"ok": torch.ones(2), "evil": Evil()}, os.path.join(out, "hostile_in_dict.pt"))


class EvilEval:
    def __reduce__(self):
        return (eval, ("open(%r, 'w').write('x')" % marker,))


torch.save([torch.zeros(1), EvilEval()], os.path.join(out, "hostile_eval.pt"))

# A deflate-compressed copy of a valid archive: refused (torch never writes these).
with zipfile.ZipFile(os.path.join(out, "all_dtypes.pt")) as src, \
        zipfile.ZipFile(os.path.join(out, "compressed.pt"), "w", zipfile.ZIP_DEFLATED) as dst:
    for info in src.infolist():
        dst.writestr(info.filename, src.read(info.filename))

# Hand-made archives whose tensor geometry does not fit its storage (a 4-float
# storage): a stride that overflows int64 arithmetic and an offset past the end.
class StorageRef:
    pass


class BadTensor:
    def __init__(self, offset, size, stride):
        self.args = (StorageRef(), offset, size, stride, False, collections.OrderedDict())

    def __reduce__(self):
        return (torch._utils._rebuild_tensor_v2, self.args)


class PidPickler(pickle.Pickler):
    def persistent_id(self, obj):
        return ("storage", torch.FloatStorage, "0", "cpu", 4) if isinstance(obj, StorageRef) else None


def write_bad_geometry(fname, offset, size, stride):
    buf = io.BytesIO()
    PidPickler(buf, protocol=2).dump({"bad": BadTensor(offset, size, stride)})
    with zipfile.ZipFile(os.path.join(out, fname), "w", zipfile.ZIP_STORED) as z:
        z.writestr("archive/data.pkl", buf.getvalue())
        z.writestr("archive/data/0", b"\0" * 16)
        z.writestr("archive/version", "3\n")


write_bad_geometry("bad_stride.pt", 0, (4, 4), (2 ** 62, 1))
write_bad_geometry("bad_offset.pt", 3, (2,), (1,))

# Hand-made pickles: a list that contains itself, a 100000-deep nesting and an
# undefined memo reference. Each must be an error, not a stack overflow.
def write_raw_pickle(fname, data):
    with zipfile.ZipFile(os.path.join(out, fname), "w", zipfile.ZIP_STORED) as z:
        z.writestr("archive/data.pkl", data)
        z.writestr("archive/version", "3\n")


write_raw_pickle("cycle.pt", b"\x80\x02]q\x00h\x00a.")
write_raw_pickle("deep.pt", b"\x80\x02" + b"]" * 100000 + b"a" * 99999 + b".")
write_raw_pickle("bad_memo.pt", b"\x80\x02j\xff\xff\xff\x7f.")

with open(os.path.join(out, "expected.txt"), "w") as f:
    f.write("\n".join(lines) + "\n")
assert not os.path.exists(marker)
print("make_pt_fixtures: wrote", len(lines), "tensors to", out)

# A real model for SerializePtModel: an MLP state dict plus the model's output
# on a fixed input, which the engine must reproduce after loading the file.
torch.manual_seed(123)
mlp = torch.nn.Sequential(torch.nn.Linear(784, 256), torch.nn.ReLU(), torch.nn.Linear(256, 10)).double()
torch.save(mlp.state_dict(), os.path.join(out, "mlp_model.pt"))
mlp_x = torch.arange(2 * 784, dtype=torch.float64).reshape(2, 784) / 1000.0
with open(os.path.join(out, "mlp_model_out.txt"), "w") as f:
    f.write(" ".join(repr(v) for v in mlp(mlp_x).detach().flatten().tolist()) + "\n")
