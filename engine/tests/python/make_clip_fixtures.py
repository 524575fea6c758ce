#!/usr/bin/env python3
"""Prints the torch 1.13 reference values embedded in nn_utils_test.cpp
(run with /usr/bin/python3). Gradients g_k[i] = sin(0.7 i + 1.1 k) * s_k
(computed in double, cast to the dtype) for shapes (3, 4), (5,), (2, 2, 2)
with scales s = (1.5, 40, 0.25); every number is a C99 hex float."""
import math

import torch

SHAPES = [(3, 4), (5,), (2, 2, 2)]
SCALES = [1.5, 40.0, 0.25]


def grads(dtype):
    out = []
    for k, (shape, s) in enumerate(zip(SHAPES, SCALES)):
        n = math.prod(shape)
        v = [math.sin(0.7 * i + 1.1 * k) * s for i in range(n)]
        out.append(torch.tensor(v, dtype=torch.float64).to(dtype).reshape(shape))
    return out


def hx(t):
    return ", ".join(float(x).hex() for x in t.reshape(-1).tolist())


for dname, dtype in (("f32", torch.float32), ("f64", torch.float64)):
    for norm_type in (2.0, 1.0, float("inf"), 3.5):
        for max_norm in (1.0, 1000.0):
            ps = [torch.zeros(s, dtype=dtype, requires_grad=True) for s in SHAPES]
            for p, g in zip(ps, grads(dtype)):
                p.grad = g.clone()
            total = torch.nn.utils.clip_grad_norm_(ps, max_norm, norm_type)
            flat = torch.cat([p.grad.reshape(-1) for p in ps])
            print(f'{{"{dname}", {norm_type!r}, {max_norm!r}, {float(total).hex()}, {{{hx(flat)}}}}},'
                  .replace("inf,", "INFINITY,"))
