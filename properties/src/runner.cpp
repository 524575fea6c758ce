// One case, both sides, classified. See runner.h.
#include "ft/props/runner.h"

#include "ft/props/gen_util.h"

#include <cmath>
#include <cstring>
#include <optional>
#include <cstdio>

#include "ft/autograd.h"
#include "ft/hardened.h"
#include "ft/oracle/bridge.h"
#include "ft/oracle/fixtures.h"
#include "ft/provenance.h"
#include "long_double_ref.h"

namespace ft::props {
namespace {

// Hardened-mode state of the current run_case (one case at a time per thread).
thread_local bool g_hardened = false;
thread_local std::vector<HardenedEvent>* g_events = nullptr;

struct EngineResult {
  bool threw = false;
  bool internal = false;  // an internal assert or a non-ft exception: a crash
  std::string error;
  std::vector<Tensor> results;
  std::vector<Tensor> grads;
  std::string prov_digest, prov_record;
};

double abs_max(const Tensor& t) {
  double m = 0;
  if (!t.defined()) return 0;
  for (double v : t.to_double_vector())
    if (std::isfinite(v)) m = std::max(m, std::fabs(v));
  return m;
}

// Length x magnitude of the longest dot product / sum behind one output element.
double reduction_scale(const OpInfo& op, const EngineCall& call, const Tensor& out, const Tensor* grad) {
  double amax = 0;
  for (const Tensor& t : call.in) amax = std::max(amax, abs_max(t));
  double len = 1;
  if (op.kind == OpKind::MM || op.kind == OpKind::Matmul) {
    const Tensor& a = call.in[0];
    len = double(a.dim() == 0 ? 1 : a.size(-1));
    amax = abs_max(call.in[0]) * abs_max(call.in[1]);
    if (grad) len = std::max<double>(len, double(std::max<int64_t>(out.numel(), 1)));
  } else if (op.kind == OpKind::Custom && linalg_fan_in(op, call, out, grad, abs_max, len, amax)) {
    // (the linear-algebra family: gen_linalg.cpp)
  } else if (op.kind == OpKind::Custom && op.cmp == CmpKind::Matmul && call.in.size() >= 2) {
    // Convolutions (nn family): an output sums C_in/groups * kernel-area
    // products; a gradient sums at most one product per output element.
    const Tensor& w = call.in[1];
    len = w.dim() > 0 && w.size(0) > 0 ? double(w.numel()) / double(w.size(0)) : 1;
    double ax = abs_max(call.in[0]), aw = abs_max(w), ab = call.in.size() > 2 ? abs_max(call.in[2]) : 0;
    amax = grad ? std::max(ax, 1.0) * std::max(aw, 1.0) + ab : ax * aw + ab;
    if (grad) len = std::max<double>(len, double(std::max<int64_t>(out.numel(), 1)));
  } else if (out.defined() && out.numel() > 0) {
    len = double(call.in[0].numel()) / double(out.numel());
  }
  if (grad) amax = std::max(amax, 1.0) * std::max(abs_max(*grad), 1.0);
  return std::max(len, 1.0) * amax;
}

// NOTE [ Hardened mode ]
// Hardened mode keeps the outward results of strict mode on valid programs
// and adds defensive checks around each engine call; every intervention is
// an event (reason code + detail) that the conformance loop writes to the
// ledger:
//  - an in-place or out= destination that partially overlaps an input is
//    refused before the kernel runs (inplace_overlap_refused);
//  - a NaN/inf produced in a float output from finite inputs is reported,
//    naming the op and the first index (nan_produced / inf_produced);
//  - a non-finite gradient from finite inputs and grad_output is reported
//    (nonfinite_gradient);
//  - the engine's own interventions, reported through the sink that run_case
//    installs (NOTE [ Engine interventions ] in ft/hardened.h): saved-tensor
//    version violations, order-dependent indexed writes under forced
//    deterministic algorithms, refused checkpoints.
// "Same outward results" is checked, not assumed: on a program the oracle
// accepts, run_case also runs the engine in strict mode and compares the two
// engine results bit for bit. A difference is a drift of suite "hardened"
// (NOTE [ Hardened vs strict ]), which the gate counts unless an allowlist
// entry (op, suite "hardened", reason, approved_by) explains it.
bool all_finite(const Tensor& t) {
  if (!t.defined() || !t.is_floating_point()) return true;
  for (double v : t.to_double_vector())
    if (!std::isfinite(v)) return false;
  return true;
}

std::pair<int64_t, int64_t> byte_span(const Tensor& t) {
  int64_t hi = t.storage_offset();
  for (int64_t d = 0; d < t.dim(); ++d) hi += (t.size(d) - 1) * t.stride(d);
  return {t.storage_offset() * t.element_size(), (hi + 1) * t.element_size()};
}

// The destination of an in-place/out= call partially overlaps an input.
std::string overlap_problem(const OpInfo& op, const EngineCall& call) {
  const Tensor* dst = op.variant == OpVariant::Out ? &call.out : op.variant == OpVariant::Inplace ? &call.in[0] : nullptr;
  if (!dst || !dst->defined() || dst->numel() == 0) return "";
  for (size_t i = 0; i < call.in.size(); ++i) {
    const Tensor& t = call.in[i];
    if (&t == dst || !t.defined() || t.numel() == 0 || t.impl()->storage() != dst->impl()->storage()) continue;
    auto [a0, a1] = byte_span(*dst);
    auto [b0, b1] = byte_span(t);
    bool same = t.storage_offset() == dst->storage_offset() && t.strides().equals(dst->strides()) &&
                t.sizes().equals(dst->sizes());
    if (a0 < b1 && b0 < a1 && !same) return "destination overlaps input " + std::to_string(i);
  }
  return "";
}

void scan_outputs(const OpInfo& op, const EngineCall& call, const std::vector<Tensor>& outs, std::vector<HardenedEvent>& ev) {
  for (const Tensor& t : call.in)
    if (!all_finite(t)) return;  // non-finite in, non-finite out is not the op's doing
  for (size_t i = 0; i < outs.size(); ++i) {
    if (all_finite(outs[i])) continue;
    auto v = outs[i].to_double_vector();
    size_t k = 0;
    while (k < v.size() && std::isfinite(v[k])) ++k;
    ev.push_back({std::isnan(v[k]) ? "nan_produced" : "inf_produced",
                  std::string(op.id) + " produced " + (std::isnan(v[k]) ? "NaN" : "inf") + " in output " +
                      std::to_string(i) + " at flat index " + std::to_string(k) + " from finite inputs"});
  }
}

// Runs body(r); an ft::Error becomes r.threw (r.internal for an internal
// assert), any other exception a crash (r.internal).
template <typename F>
EngineResult guarded(F body) {
  EngineResult r;
  try {
    body(r);
  } catch (const Error& e) {
    r.threw = true;
    r.internal = e.kind() == ErrorKind::Internal;
    r.error = e.what();
  } catch (const std::exception& e) {
    r.threw = true;
    r.internal = true;
    r.error = std::string("non-ft exception: ") + e.what();
  }
  return r;
}

// `mask`: the inputs to differentiate (NOTE [ Gradient inputs of a case ] in
// ft/op_table.h); used only with grad_out.
EngineResult run_engine(const OpInfo& op, EngineCall& call, const EngineFn& fn, const Tensor* grad_out,
                        uint32_t mask = 0) {
  return guarded([&](EngineResult& r) {
    if (g_hardened) {
      std::string problem = overlap_problem(op, call);
      if (!problem.empty()) {
        g_events->push_back({"inplace_overlap_refused", std::string(op.id) + ": " + problem});
        FT_ERROR(op.id, ": hardened mode refused an in-place/out= write whose destination ", problem);
      }
    }
    if (grad_out) {
      std::vector<Tensor> leaves = prepare_grad_inputs(call.in, mask, op.variant);
      std::vector<Tensor> outs = fn ? fn(call) : op.invoke(call);
      for (const Tensor& t : outs) r.results.push_back(t.detach());
      std::vector<autograd::Provenance> recs;
      {
        autograd::ProvenanceRecorder rec(&recs);
        outs.at(0).backward(*grad_out);
      }
      if (!recs.empty()) {
        char hex[17];
        std::snprintf(hex, sizeof hex, "%016llx", static_cast<unsigned long long>(recs.back().digest()));
        r.prov_digest = hex;
        r.prov_record = recs.back().to_json();
      }
      for (size_t i = 0; i < leaves.size(); ++i) r.grads.push_back((mask & (1u << i)) ? leaves[i].grad() : Tensor());
      if (g_hardened && all_finite(*grad_out)) {
        bool finite_in = true;
        for (const Tensor& t : call.in) finite_in = finite_in && all_finite(t);
        for (size_t i = 0; finite_in && i < r.grads.size(); ++i)
          if (!all_finite(r.grads[i]))
            g_events->push_back({"nonfinite_gradient", std::string(op.id) + ": non-finite gradient for input " +
                                                           std::to_string(i) + " from finite inputs"});
      }
    } else {
      autograd::NoGradGuard ng;
      EngineCall before = g_hardened ? call : EngineCall();
      r.results = fn ? fn(call) : op.invoke(call);
      if (g_hardened) scan_outputs(op, before, r.results, *g_events);
    }
  });
}

bool same_bits(const Tensor& a, const Tensor& b) {
  if (a.defined() != b.defined()) return false;
  if (!a.defined()) return true;
  if (a.dtype() != b.dtype() || !a.sizes().equals(b.sizes())) return false;
  const Tensor ac = a.contiguous(), bc = b.contiguous();
  return std::memcmp(ac.data_ptr(), bc.data_ptr(), size_t(ac.numel()) * ac.element_size()) == 0;
}

// NOTE [ Hardened vs strict ]
// The hardened engine result `h` of a valid program against the strict one
// `s`: nothing when they agree bit for bit (raised errors agree when both
// raised), otherwise a drift row of suite "hardened" naming the difference.
std::optional<Outcome> hardened_vs_strict(const EngineResult& h, const EngineResult& s) {
  std::string diff;
  if (h.threw != s.threw) {
    diff = h.threw ? "hardened mode raised where strict mode returned: " + h.error
                   : "strict mode raised where hardened mode returned: " + s.error;
  } else if (!h.threw && h.results.size() != s.results.size()) {
    diff = "hardened mode returned " + std::to_string(h.results.size()) + " outputs, strict mode " +
           std::to_string(s.results.size());
  } else {
    for (size_t i = 0; diff.empty() && !h.threw && i < h.results.size(); ++i)
      if (!same_bits(h.results[i], s.results[i]))
        diff = "output " + std::to_string(i) + " differs bitwise between hardened and strict mode";
  }
  if (diff.empty()) return std::nullopt;
  Outcome out;
  out.suite = "hardened";
  out.outcome = "drift";
  out.message = "hardened mode changed the result of a valid program (the oracle accepts it): " + diff;
  out.attribution = "n/a: engine against itself";
  out.cmp.engine_value = h.threw ? "raised: " + h.error : "returned";
  out.cmp.oracle_value = s.threw ? "strict raised: " + s.error : "strict returned";
  return out;
}

Outcome error_parity(const std::string& suite, const EngineResult& e, const oracle::OracleResult& o) {
  Outcome out;
  out.suite = suite;
  if (e.internal) {
    out.outcome = "crash";
    out.message = "engine crashed: " + e.error;
  } else if (e.threw && o.threw) {
    out.suite = "error";
    out.outcome = "pass";
  } else {
    out.outcome = "error_mismatch";
    out.message = e.threw ? "engine raised but oracle did not: " + e.error
                          : "oracle raised but engine did not: " + o.error.substr(0, o.error.find('\n'));
    out.cmp.engine_value = e.threw ? "raised: " + e.error : "returned";
    out.cmp.oracle_value = o.threw ? "raised: " + o.error.substr(0, o.error.find('\n')) : "returned";
  }
  return out;
}

// Who is nearer to `truth` (summed absolute error over the elements where
// the truth and both errors are numbers).
std::string closer_to(const std::vector<double>& ev, const std::vector<double>& ov, const std::vector<long double>& tv) {
  if (ev.size() != tv.size() || ov.size() != tv.size()) return "n/a: engine result has another shape";
  long double ee = 0, oe = 0;
  for (size_t i = 0; i < tv.size(); ++i) {
    if (std::isnan(tv[i])) continue;
    long double de = std::fabs(ev[i] - tv[i]), dox = std::fabs(ov[i] - tv[i]);
    if (std::isnan(de) || std::isnan(dox)) continue;
    ee += de;
    oe += dox;
  }
  return ee < oe ? "engine_closer" : oe < ee ? "oracle_closer" : "tie";
}

// NOTE [ Drift attribution ]
// When the two sides disagree on a float32 (or 16-bit) result, the oracle
// recomputes the op with the same input values widened to float64; the side
// whose result is nearer to that reference (summed absolute error over all
// elements) is recorded. float64 drifts of elementwise entries whose math
// the C library has in long double are judged against a long double
// recomputation (NOTE [ Long double reference ]); other float64 drifts
// have no wider reference.
std::string attribute(int op_index, const EngineCall& call, size_t out_index, const Tensor& e, const Tensor& o) {
  if (!is_floating(o.dtype())) return "n/a: integer result";
  if (o.dtype() == DType::Float64) {
    std::vector<long double> ref;
    if (!long_double_reference(op_table()[op_index], call, o, ref))
      return "n/a: float64 has no wider reference for this op";
    return closer_to(e.to_double_vector(), o.to_double_vector(), ref);
  }
  EngineCall wide = call;
  for (Tensor& t : wide.in)
    if (t.is_floating_point()) t = t.to(DType::Float64);
  if (wide.out.defined() && wide.out.is_floating_point()) wide.out = empty({0}, DType::Float64);
  oracle::OracleResult truth;
  try {
    truth = oracle::run_forward(op_index, wide);
  } catch (const oracle::FixtureMiss&) {  // the export agreed here, so never asked for the reference
    return "n/a: the fixture corpus has no float64 reference";
  }
  if (truth.threw || truth.results.size() <= out_index) return "n/a: float64 reference raised";
  const Tensor& t = truth.results[out_index];
  if (!t.sizes().equals(o.sizes())) return "n/a: float64 reference has another shape";
  auto tv = t.to_double_vector();
  return closer_to(e.to_double_vector(), o.to_double_vector(), std::vector<long double>(tv.begin(), tv.end()));
}

}  // namespace

// Compares one input's gradient into a backward/backward2 outcome: widens
// its error statistics and, on failure, marks it drift with `what` and the
// first mismatch. Returns whether the gradient passed.
bool add_gradient_comparison(Outcome& out, const Tensor& eg, const Tensor& og, const Tolerance& tol,
                             const std::string& what) {
  Comparison cmp = compare(eg, og, tol);
  out.cmp.max_abs = std::max(out.cmp.max_abs, cmp.max_abs);
  out.cmp.max_rel = std::max(out.cmp.max_rel, cmp.max_rel);
  out.cmp.max_ulp = std::max(out.cmp.max_ulp, cmp.max_ulp);
  out.tol = tol;
  if (cmp.ok) return true;
  out.outcome = "drift";
  out.message = what + ": " + cmp.message;
  out.cmp.first_index = cmp.first_index;
  out.cmp.engine_value = cmp.engine_value;
  out.cmp.oracle_value = cmp.oracle_value;
  return false;
}

// The dtype whose precision bounds a gradient: the gradient's own, or the
// op's result dtype when that is narrower (softmax(x64, dtype=float32)
// computes in float32, so its float64 gradient carries float32 error).
DType precision_dtype(const Tensor& grad, const Tensor& result) {
  if (is_floating(result.dtype()) && is_floating(grad.dtype()) && itemsize(result.dtype()) < itemsize(grad.dtype()))
    return result.dtype();
  return grad.dtype();
}

// The engine side of oracle::run_double_backward (same steps, same weights).
EngineResult run_engine_double(const OpInfo& op, EngineCall& call, const EngineFn& fn, const Tensor& g,
                               const std::vector<Tensor>& proj, uint32_t mask) {
  return guarded([&](EngineResult& r) {
    std::vector<Tensor> leaves = prepare_grad_inputs(call.in, mask, op.variant), ins;
    std::vector<size_t> idx;
    for (size_t i = 0; i < leaves.size(); ++i)
      if (mask & (1u << i)) {
        ins.push_back(leaves[i]);
        idx.push_back(i);
      }
    std::vector<Tensor> outs = fn ? fn(call) : op.invoke(call);
    auto g1 = autograd::grad({outs.at(0)}, ins, {g}, true, true, /*allow_unused=*/true);
    r.results.assign(leaves.size(), Tensor());
    Tensor s;
    for (size_t k = 0; k < g1.size(); ++k) {
      if (!g1[k].defined()) continue;
      r.results[idx[k]] = g1[k].detach();
      if (!g1[k].requires_grad()) continue;
      Tensor term = (g1[k] * proj.at(idx[k])).sum();
      s = s.defined() ? s + term : term;
    }
    if (!s.defined()) return;
    auto g2 = autograd::grad({s}, ins, {}, false, false, /*allow_unused=*/true);
    r.grads.assign(leaves.size(), Tensor());
    for (size_t k = 0; k < g2.size(); ++k)
      if (g2[k].defined()) r.grads[idx[k]] = g2[k];
  });
}

uint32_t case_grad_mask(const OpInfo& op, const EngineCall& call) {
  return grad_mask(op.diff, call.in, [](const Tensor& t) { return t.defined() && is_floating(t.dtype()); });
}

Tensor projection_like(const Tensor& out) {
  std::vector<double> g(size_t(out.numel()));
  for (size_t i = 0; i < g.size(); ++i) g[i] = double(int64_t((i * 7919 + 13) % 17) - 8) / 4.0;
  return from_vector(g, out.sizes(), out.dtype());
}

bool all_pass(const std::vector<Outcome>& v) {
  for (const auto& o : v)
    if (!o.ok()) return false;
  return true;
}

// The backward suite's comparison of first-order gradients (the inputs in
// `mask`), against the result the projection g was made for.
Outcome compare_gradients(const OpInfo& op, const EngineResult& eb, const oracle::OracleResult& ob, uint32_t mask,
                          const Tensor& result, const Tensor& g, const EngineCall& be) {
  Outcome b;
  b.suite = "backward";
  b.outcome = "pass";
  for (size_t i = 0; i < eb.grads.size() && i < ob.grads.size(); ++i) {
    if (!(mask & (1u << i))) continue;
    const Tensor& eg = eb.grads[i];
    const Tensor& og = ob.grads[i];
    if (eg.defined() != og.defined()) {
      b.outcome = "drift";
      b.message = "input " + std::to_string(i) + ": gradient " + (eg.defined() ? "only on the engine" : "only on the oracle");
      break;
    }
    if (!eg.defined()) continue;
    // Gradients pass through broadcast reductions: use the reduction bound.
    CmpKind bc = op.cmp == CmpKind::Matmul ? CmpKind::Matmul : CmpKind::Reduction;
    Tolerance tol = tolerance_for(bc, precision_dtype(og, result), reduction_scale(op, be, result, &g));
    if (!add_gradient_comparison(b, eg, og, tol, "grad of input " + std::to_string(i))) break;
  }
  return b;
}

bool backward_agrees_with_oracle(const CaseSpec& c, const EngineFn& fn) {
  const OpInfo& op = op_table()[c.op];
  if (op.variant == OpVariant::Out) return false;
  EngineCall fc = materialize(c);
  EngineResult f = run_engine(op, fc, fn, nullptr);
  if (f.threw || f.results.empty() || !is_floating(f.results[0].dtype())) return false;
  Tensor g = projection_like(f.results[0]);
  EngineCall be = materialize(c), bo = materialize(c);
  const uint32_t mask = case_grad_mask(op, be);
  EngineResult eb = run_engine(op, be, fn, &g, mask);
  oracle::OracleResult ob;
  try {
    ob = oracle::run_backward(c.op, bo, g, mask);
  } catch (const oracle::FixtureMiss&) {
    return false;  // not known to agree: the failure stays the engine's
  }
  if (eb.threw || ob.threw) return false;
  return compare_gradients(op, eb, ob, mask, f.results[0], g, be).ok();
}

std::vector<Outcome> run_case(const CaseSpec& c, const RunOptions& opt) {
  const OpInfo& op = op_table()[c.op];
  std::vector<Outcome> res;
  std::vector<HardenedEvent> events;
  std::vector<hardened::Event> engine_events;
  g_hardened = opt.hardened;
  g_events = &events;
  std::optional<hardened::Scope> sink;
  if (opt.hardened) sink.emplace(&engine_events);
  struct Reset {
    ~Reset() { g_hardened = false; g_events = nullptr; }
  } reset;
  // Events belong to the case's first outcome row.
  auto finish = [&]() -> std::vector<Outcome>& {
    for (hardened::Event& ev : engine_events) events.push_back({ev.reason, std::string(op.id) + ": " + ev.detail});
    if (!res.empty()) res.front().events = events;
    return res;
  };

  // Forward: the oracle gets its own freshly materialized inputs (in-place
  // variants modify them).
  EngineCall ocall = materialize(c);
  oracle::OracleResult o = oracle::run_forward(c.op, ocall);
  EngineCall ecall = materialize(c);
  EngineResult e = run_engine(op, ecall, opt.engine, nullptr);
  if (opt.hardened && !o.threw) {  // NOTE [ Hardened vs strict ]
    EngineCall scall = materialize(c);
    EngineResult s;
    {
      g_hardened = false;
      hardened::Scope strict(nullptr);
      s = run_engine(op, scall, opt.engine, nullptr);
      g_hardened = true;
    }
    if (auto d = hardened_vs_strict(e, s)) {
      res.push_back(std::move(*d));
      return finish();
    }
  }
  if (e.threw || o.threw) {
    res.push_back(error_parity("forward", e, o));
    return finish();
  }
  Outcome f;
  f.suite = "forward";
  f.outcome = "pass";
  if (e.results.size() != o.results.size()) {
    f.outcome = "drift";
    f.message = "engine returned " + std::to_string(e.results.size()) + " outputs, oracle " +
                std::to_string(o.results.size());
  }
  for (size_t i = 0; f.ok() && i < o.results.size(); ++i) {
    double scale = (op.cmp == CmpKind::Reduction || op.cmp == CmpKind::Matmul)
                       ? reduction_scale(op, ecall, e.results[i], nullptr) : 0;
    Tolerance tol = tolerance_for(op.cmp, o.results[i].dtype(), scale);
    Comparison cmp = compare(e.results[i], o.results[i], tol);
    if (i == 0 || !cmp.ok) {
      double ma = std::max(f.cmp.max_abs, cmp.max_abs), mr = std::max(f.cmp.max_rel, cmp.max_rel),
             mu = std::max(f.cmp.max_ulp, cmp.max_ulp);
      f.cmp = cmp;
      f.cmp.max_abs = ma; f.cmp.max_rel = mr; f.cmp.max_ulp = mu;
      f.tol = tol;
    }
    if (!cmp.ok) {
      f.outcome = "drift";
      f.message = (o.results.size() > 1 ? "output " + std::to_string(i) + ": " : std::string()) + cmp.message;
      EngineCall inputs = materialize(c);  // fresh: in-place variants changed ecall
      f.attribution = attribute(c.op, inputs, i, e.results[i], o.results[i]);
    }
  }
  res.push_back(f);
  if (opt.gradcheck && f.ok())
    for (Outcome& g : gradcheck_case(c, opt.engine)) res.push_back(std::move(g));

  // Backward parity: differentiable entries (not out=) with a floating
  // input to differentiate and a floating result.
  EngineCall bo = materialize(c), be = materialize(c);
  const uint32_t mask = case_grad_mask(op, be);
  bool do_bwd = opt.backward && mask != 0 && f.ok() && !o.results.empty() && is_floating(o.results[0].dtype()) &&
                op.variant != OpVariant::Out;
  if (!do_bwd) return finish();
  Tensor g = projection_like(o.results[0]);
  oracle::OracleResult ob = oracle::run_backward(c.op, bo, g, mask);
  EngineResult eb = run_engine(op, be, opt.engine, &g, mask);
  if (eb.threw || ob.threw) {
    res.push_back(error_parity("backward", eb, ob));
    return finish();
  }
  Outcome b = compare_gradients(op, eb, ob, mask, o.results[0], g, be);
  b.provenance_digest = eb.prov_digest;
  b.provenance_record = eb.prov_record;
  res.push_back(b);
  if (!opt.double_backward || !b.ok()) return finish();
  // Float64 only: every floating input (integer ones are indices or operands
  // that take no gradient).
  bool f64 = true;
  for (const auto& t : c.inputs) f64 = f64 && (!is_floating(t.dtype) || t.dtype == DType::Float64);
  if (!f64) return finish();

  // Double backward parity (suite "backward2"): first-order gradients must
  // agree on whether they depend on the inputs, then the second-order ones
  // are compared like first-order gradients.
  std::vector<Tensor> proj;
  for (const Tensor& t : be.in) proj.push_back(projection_like(t.detach()));
  EngineCall b2o = materialize(c), b2e = materialize(c);
  oracle::OracleResult o2 = oracle::run_double_backward(c.op, b2o, g, mask, proj);
  EngineResult e2 = run_engine_double(op, b2e, opt.engine, g, proj, mask);
  if (e2.threw || o2.threw) {
    res.push_back(error_parity("backward2", e2, o2));
    return finish();
  }
  Outcome d;
  d.suite = "backward2";
  d.outcome = "pass";
  if (e2.grads.empty() != o2.grads.empty()) {
    // One side's backward formula is constant in the inputs (e.g. a mask or
    // index scatter the engine builds outside the graph, where libtorch
    // records a node with a zero derivative). That is the same function when
    // the other side's second-order gradients are all zero; otherwise the
    // engine's formula is missing a real second derivative.
    const auto& ran = e2.grads.empty() ? o2.grads : e2.grads;
    bool all_zero = true;
    for (const Tensor& t : ran)
      if (t.defined())
        for (double v : t.to_double_vector()) all_zero = all_zero && v == 0;
    if (!all_zero) {
      d.outcome = "drift";
      d.message = std::string("only the ") + (e2.grads.empty() ? "oracle" : "engine") +
                  " has a nonzero second derivative (the other side's backward formula is constant in the inputs)";
    }
  }
  for (size_t i = 0; d.ok() && i < e2.grads.size() && i < o2.grads.size(); ++i) {
    const Tensor& eg = e2.grads[i];
    const Tensor& og = o2.grads[i];
    // An undefined second-order gradient is a zero one (PyTorch returns None
    // where the graph does not reach an input; the engine may return zeros).
    if (!eg.defined() && !og.defined()) continue;
    Tensor ez = eg.defined() ? eg : zeros(og.sizes(), og.dtype());
    Tensor oz = og.defined() ? og : zeros(eg.sizes(), eg.dtype());
    Tolerance tol =
        tolerance_for(CmpKind::Reduction, precision_dtype(oz, o.results[0]), reduction_scale(op, b2e, o.results[0], &g));
    add_gradient_comparison(d, ez, oz, tol, "second-order grad of input " + std::to_string(i));
  }
  res.push_back(d);
  return finish();
}

}  // namespace ft::props
