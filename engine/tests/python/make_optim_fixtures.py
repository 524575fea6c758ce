#!/usr/bin/env python3
"""Writes torch.optim 1.13 reference values for the optimizer and LR-scheduler
parity tests (run with /usr/bin/python3, which has torch 1.13).
Usage: make_optim_fixtures.py OUT_DIR

OUT_DIR/optim_expected.txt holds one line per record, fields split by '|';
every number is written with float.hex() so the C++ side compares exact bits:
  OPT|name|kind|dtype|k=v;...|step|p0 values,...;p1 values,...
      parameters after `step` steps (kind: sgd, adam, adamw, rmsprop, adagrad)
  SCHED|name|kind|k=v;...|sched|k=v;...|lrs,...|momenta,...
      the group lr (and momentum / beta1 for OneCycleLR) after the
      constructor and after each of 50 scheduler steps
  PLATEAU|name|k=v;...|metrics,...|lrs,...
      ReduceLROnPlateau: the lr after each step(metric)
  OPTG|name|kind|dtype|k=v;...|k=v;...|step|p0 values,...;p1 values,...
      two parameter groups: p0 alone with the constructor's options (the
      first k=v list), p1 in a second group overriding some (the second)
  SCHEDG|name|kind|k=v;...|k=v;...|sched|k=v;...|lrs0|lrs1|momenta0|momenta1
      a scheduler over those two groups: each group's lr (and momentum)
OUT_DIR/<name>_<dtype>_state.pt is the optimizer's state_dict after RESUME_AT
steps (rmsprop and adagrad configurations, and every two-group one), for the
load test.

The problem: parameters p0 (3x4) and p1 (530, more than one 512-element block
of the fused loops) start at sin(0.7 i + 0.3) * 1.5; the gradient at step t is
2 p + cos(0.37 i + 1.3 t) / 2 (computed in double with libm, cast to the
dtype; 2 p + noise rounds the same in every IEEE implementation).
"""
import math
import os
import sys

import torch

out = sys.argv[1]
os.makedirs(out, exist_ok=True)
lines = []
SHAPES = [(3, 4), (530,)]
STEPS = 25
RECORD = [1, 2, 3, 5, 10, 25]
RESUME_AT = 5
DTYPES = {"float32": torch.float32, "float64": torch.float64}


def hx(v):
    return float(v).hex()


def kv(d):
    return ";".join(f"{k}={hx(v)}" for k, v in d.items())


def init_param(shape, dt, offset):
    n = math.prod(shape)
    v = [math.sin(0.7 * (i + offset) + 0.3) * 1.5 for i in range(n)]
    return torch.tensor(v, dtype=torch.float64).reshape(shape).to(dt).requires_grad_()


def noise(shape, dt, t, offset):
    n = math.prod(shape)
    v = [math.cos(0.37 * (i + offset) + 1.3 * t) / 2 for i in range(n)]
    return torch.tensor(v, dtype=torch.float64).reshape(shape).to(dt)


def make_params(dt):
    ps, off = [], 0
    for s in SHAPES:
        ps.append(init_param(s, dt, off))
        off += math.prod(s)
    return ps


def set_grads(ps, t):
    off = 0
    for p in ps:
        p.grad = p.detach() * 2 + noise(p.shape, p.dtype, t, off)
        off += p.numel()


def make_opt(kind, ps, cfg):
    c = dict(cfg)
    for b in ("amsgrad", "maximize", "centered", "nesterov"):
        if b in c:
            c[b] = bool(c[b])
    if kind in ("adam", "adamw") and "beta1" in c:
        c["betas"] = (c.pop("beta1"), c.pop("beta2", 0.999))
    cls = {"sgd": torch.optim.SGD, "adam": torch.optim.Adam, "adamw": torch.optim.AdamW,
           "rmsprop": torch.optim.RMSprop, "adagrad": torch.optim.Adagrad}[kind]
    return cls(ps, foreach=False, **c)


OPT_CONFIGS = [
    ("rms_default", "rmsprop", dict(lr=0.01)),
    ("rms_momentum", "rmsprop", dict(lr=0.01, momentum=0.9)),
    ("rms_centered", "rmsprop", dict(lr=0.01, centered=1)),
    ("rms_all", "rmsprop", dict(lr=0.005, alpha=0.9, eps=1e-6, weight_decay=0.1, momentum=0.5, centered=1,
                                maximize=1)),
    ("rms_wd1_alpha0", "rmsprop", dict(lr=0.02, alpha=0.0, weight_decay=1.0)),
    ("ada_default", "adagrad", dict(lr=0.01)),
    ("ada_all", "adagrad", dict(lr=0.1, lr_decay=0.01, weight_decay=0.05, initial_accumulator_value=0.1, eps=1e-8,
                                maximize=1)),
    ("ada_wd1", "adagrad", dict(lr=0.05, weight_decay=1.0, lr_decay=0.5)),
    ("adam_amsgrad_max", "adam", dict(lr=0.01, amsgrad=1, maximize=1, weight_decay=0.01)),
    ("adamw_amsgrad", "adamw", dict(lr=0.01, amsgrad=1, weight_decay=0.05)),
    ("adamw_max", "adamw", dict(lr=0.01, maximize=1, beta1=0.8, beta2=0.99)),
    ("sgd_nesterov", "sgd", dict(lr=0.01, momentum=0.9, nesterov=1, weight_decay=0.01)),
]

def run_and_record(head, ps, opt, state_file):
    """STEPS steps: a record `head|step|values` (head a list of fields) at each
    RECORD step, the state_dict into state_file (if any) at RESUME_AT."""
    for t in range(STEPS):
        set_grads(ps, t)
        opt.step()
        step = t + 1
        if step in RECORD:
            vals = ";".join(",".join(hx(x) for x in p.detach().reshape(-1).tolist()) for p in ps)
            lines.append("|".join(head + [str(step), vals]))
        if step == RESUME_AT and state_file:
            torch.save(opt.state_dict(), os.path.join(out, state_file))


for name, kind, cfg in OPT_CONFIGS:
    for dname, dt in DTYPES.items():
        ps = make_params(dt)
        state = f"{name}_{dname}_state.pt" if kind in ("rmsprop", "adagrad") else None
        run_and_record(["OPT", name, kind, dname, kv(cfg)], ps, make_opt(kind, ps, cfg), state)

# Two parameter groups: the second overrides some of the constructor's options.
GROUP_CONFIGS = [
    ("g_sgd", "sgd", dict(lr=0.01, momentum=0.9, weight_decay=0.01), dict(lr=0.05, momentum=0.5, dampening=0.1)),
    ("g_sgd_nesterov", "sgd", dict(lr=0.02), dict(momentum=0.9, nesterov=1, maximize=1)),
    ("g_adam", "adam", dict(lr=0.01, beta1=0.8, beta2=0.99), dict(lr=0.003, weight_decay=0.1, amsgrad=1)),
    ("g_adamw", "adamw", dict(lr=0.01), dict(lr=0.02, weight_decay=0.2, beta1=0.7, beta2=0.95, eps=1e-6)),
    ("g_rmsprop", "rmsprop", dict(lr=0.01, momentum=0.5), dict(lr=0.002, centered=1, alpha=0.9, momentum=0.0)),
    ("g_adagrad", "adagrad", dict(lr=0.1, lr_decay=0.01), dict(lr=0.05, initial_accumulator_value=0.2, weight_decay=0.1)),
]


def make_group_opt(kind, ps, cfg0, cfg1):
    c1 = dict(cfg1)
    for b in ("amsgrad", "maximize", "centered", "nesterov"):
        if b in c1:
            c1[b] = bool(c1[b])
    if "beta1" in c1 or "beta2" in c1:
        c1["betas"] = (c1.pop("beta1", cfg0.get("beta1", 0.9)), c1.pop("beta2", cfg0.get("beta2", 0.999)))
    # The group list in the constructor (add_param_group is the same, except
    # for Adagrad, whose state would then be missing).
    return make_opt(kind, [dict(params=[ps[0]]), dict(params=[ps[1]], **c1)], cfg0)


for name, kind, cfg0, cfg1 in GROUP_CONFIGS:
    for dname, dt in DTYPES.items():
        ps = make_params(dt)
        run_and_record(["OPTG", name, kind, dname, kv(cfg0), kv(cfg1)], ps, make_group_opt(kind, ps, cfg0, cfg1),
                       f"{name}_{dname}_state.pt")

# Schedulers: a parameter without a grad, so optimizer.step() leaves it alone.
SCHED_STEPS = 50
SCHED_CONFIGS = [
    ("step_7", "sgd", dict(lr=0.1), "StepLR", dict(step_size=7, gamma=0.5)),
    ("step_1", "sgd", dict(lr=0.1), "StepLR", dict(step_size=1, gamma=0.9)),
    ("multistep", "sgd", dict(lr=0.1), "MultiStepLR", dict(milestones=[30, 5, 12, 12], gamma=0.3)),
    ("exponential", "adam", dict(lr=0.003), "ExponentialLR", dict(gamma=0.93)),
    ("linear_default", "sgd", dict(lr=0.1), "LinearLR", dict()),
    ("linear_custom", "rmsprop", dict(lr=0.01), "LinearLR", dict(start_factor=0.1, end_factor=0.9, total_iters=20)),
    ("linear_down", "sgd", dict(lr=0.05), "LinearLR", dict(start_factor=1.0, end_factor=0.25, total_iters=30)),
    ("cosine_10", "sgd", dict(lr=0.1), "CosineAnnealingLR", dict(T_max=10, eta_min=0.001)),
    ("cosine_50", "adagrad", dict(lr=0.05), "CosineAnnealingLR", dict(T_max=50)),
    ("cosine_resume", "sgd", dict(lr=0.1), "CosineAnnealingLR", dict(T_max=7, eta_min=0.01, last_epoch=3)),
    ("step_resume", "sgd", dict(lr=0.1), "StepLR", dict(step_size=4, gamma=0.7, last_epoch=6)),
    ("onecycle_cos_sgd", "sgd", dict(lr=0.1, momentum=0.9), "OneCycleLR", dict(max_lr=0.1, total_steps=50)),
    ("onecycle_linear_adam", "adam", dict(lr=0.001), "OneCycleLR",
     dict(max_lr=0.01, epochs=5, steps_per_epoch=10, anneal_strategy=1, pct_start=0.25, div_factor=10.0,
          final_div_factor=100.0)),
    ("onecycle_3phase_rms", "rmsprop", dict(lr=0.01, momentum=0.5), "OneCycleLR",
     dict(max_lr=0.05, total_steps=60, three_phase=1, base_momentum=0.8, max_momentum=0.9)),
    ("onecycle_3phase_linear_adamw", "adamw", dict(lr=0.01), "OneCycleLR",
     dict(max_lr=0.02, total_steps=55, three_phase=1, anneal_strategy=1, pct_start=0.4)),
    ("onecycle_nomom_adagrad", "adagrad", dict(lr=0.01), "OneCycleLR",
     dict(max_lr=0.3, total_steps=51, cycle_momentum=0)),
]


def make_sched(kind, opt, cfg):
    c = dict(cfg)
    if kind == "OneCycleLR":
        if "anneal_strategy" in c:
            c["anneal_strategy"] = "linear" if c["anneal_strategy"] else "cos"
        for b in ("three_phase", "cycle_momentum"):
            if b in c:
                c[b] = bool(c[b])
    if c.get("last_epoch", -1) != -1:
        for g in opt.param_groups:
            g["initial_lr"] = g["lr"]
    return getattr(torch.optim.lr_scheduler, kind)(opt, **c)


def momentum_of(opt):
    g = opt.param_groups[0]
    if "betas" in g:
        return g["betas"][0]
    return g.get("momentum", 0.0)


for name, kind, ocfg, skind, scfg in SCHED_CONFIGS:
    p = torch.zeros(3, requires_grad=True)
    opt = make_opt(kind, [p], ocfg)
    sched = make_sched(skind, opt, scfg)
    lrs, moms = [opt.param_groups[0]["lr"]], [momentum_of(opt)]
    for _ in range(SCHED_STEPS):
        opt.step()
        sched.step()
        assert sched.get_last_lr()[0] == opt.param_groups[0]["lr"]
        lrs.append(opt.param_groups[0]["lr"])
        moms.append(momentum_of(opt))
    scfg_w = {k: v for k, v in scfg.items() if k != "milestones"}
    if "milestones" in scfg:
        scfg_w.update({f"milestone{i}": m for i, m in enumerate(scfg["milestones"])})
    lines.append("|".join(["SCHED", name, kind, kv(ocfg), skind, kv(scfg_w), ",".join(map(hx, lrs)),
                           ",".join(map(hx, moms))]))

# Schedulers over two groups (lr 0.1 and 0.02; SGD momentum 0.9 and 0.5).
SCHED_GROUP_CONFIGS = [
    ("g_step", "sgd", "StepLR", dict(step_size=5, gamma=0.5)),
    ("g_cosine", "sgd", "CosineAnnealingLR", dict(T_max=12, eta_min=0.001)),
    ("g_linear", "sgd", "LinearLR", dict(start_factor=0.2, total_iters=10)),
    ("g_onecycle_sgd", "sgd", "OneCycleLR", dict(max_lr=0.1, total_steps=50)),
    ("g_onecycle_adam", "adam", "OneCycleLR", dict(max_lr=0.01, total_steps=50, three_phase=1)),
]
for name, kind, skind, scfg in SCHED_GROUP_CONFIGS:
    ocfg0, ocfg1 = (dict(lr=0.1, momentum=0.9), dict(lr=0.02, momentum=0.5)) if kind == "sgd" else \
        (dict(lr=0.1), dict(lr=0.02, beta1=0.8))
    ps = [torch.zeros(3, requires_grad=True), torch.zeros(2, requires_grad=True)]
    opt = make_group_opt(kind, ps, ocfg0, ocfg1)
    sched = make_sched(skind, opt, scfg)
    lrs = [[g["lr"]] for g in opt.param_groups]
    moms = [[g["betas"][0] if "betas" in g else g["momentum"]] for g in opt.param_groups]
    for _ in range(SCHED_STEPS):
        opt.step()
        sched.step()
        for k, g in enumerate(opt.param_groups):
            lrs[k].append(g["lr"])
            moms[k].append(g["betas"][0] if "betas" in g else g["momentum"])
    lines.append("|".join(["SCHEDG", name, kind, kv(ocfg0), kv(ocfg1), skind, kv(scfg)] +
                          [",".join(map(hx, v)) for v in lrs + moms]))

# ReduceLROnPlateau: metrics that improve, then plateau with small wiggles.
metrics = [1.0 / (1 + t) if t < 8 else 0.11 + 0.002 * math.cos(1.7 * t) for t in range(60)]
up_metrics = [-m for m in metrics]
PLATEAU_CONFIGS = [
    ("min_rel", dict(patience=3), metrics),
    ("min_abs_cooldown", dict(patience=2, threshold=0.001, threshold_mode=1, cooldown=3, factor=0.5, min_lr=1e-4),
     metrics),
    ("max_rel", dict(mode=1, patience=1, factor=0.7, threshold=0.01), up_metrics),
    ("max_abs_eps", dict(mode=1, patience=0, threshold=0.0, threshold_mode=1, factor=0.9, eps=1e-3), up_metrics),
]
for name, cfg, ms in PLATEAU_CONFIGS:
    p = torch.zeros(3, requires_grad=True)
    opt = torch.optim.SGD([p], lr=0.1)
    c = dict(cfg)
    if "mode" in c:
        c["mode"] = "max" if c["mode"] else "min"
    if "threshold_mode" in c:
        c["threshold_mode"] = "abs" if c["threshold_mode"] else "rel"
    sched = torch.optim.lr_scheduler.ReduceLROnPlateau(opt, **c)
    lrs = []
    for m in ms:
        opt.step()
        sched.step(m)
        lrs.append(opt.param_groups[0]["lr"])
    lines.append("|".join(["PLATEAU", name, kv(cfg), ",".join(map(hx, ms)), ",".join(map(hx, lrs))]))

with open(os.path.join(out, "optim_expected.txt"), "w") as f:
    f.write("\n".join(lines) + "\n")
print(f"wrote {len(lines)} records to {out}")
