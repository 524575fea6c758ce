// Custom case generators for the linear-algebra family
// (engine/include/ft/ops/linalg.def), and the family's fan-in for the Matmul
// comparator (linalg_reduction_scale, used by reduction_scale in runner.cpp).
//
// Shapes are small (sizes 0-5) with zero sizes, 0-dim and 1-D edge cases and
// every memory layout (transposed, strided, expanded, offset). Matrix and
// vector operands get small finite values: how inf/NaN propagate through a
// product depends on the kernel (BLAS or a naive loop, alpha == 0 skipping
// the product or not), which is not a behaviour. The additive input (self of
// the add* products) gets the full value generator (NaN, inf, signed zeros),
// so beta == 0 ignoring self is checked. beta/alpha include 0, 1, negative
// and non-integer values (integer dtypes: mostly integer values; a float
// truncates, and addr refuses it). ~5% of cases break one rule (shapes,
// ranks, dtypes, einsum equations) for error parity.
#include <algorithm>
#include <cctype>
#include <cmath>
#include <string>

#include "ft/props/gen_util.h"

namespace ft::props {
namespace {

namespace gen = rc::gen;

rc::Gen<double> la_value(DType dt) {
  if (is_floating(dt)) return gen::map(gen::inRange(-1000, 1001), [](int x) { return x / 100.0; });
  if (dt == DType::Bool) return gen::map(gen::inRange(0, 2), [](int x) { return double(x); });
  return gen::map(gen::inRange(-5, 6), [](int x) { return double(x); });
}
TensorSpec la_tensor(const std::vector<int64_t>& shape, DType dt) { return tensor_with(shape, dt, true, la_value(dt)); }

int64_t la_size() {
  return *gen::weightedOneOf<int64_t>({{1, gen::just<int64_t>(0)}, {10, gen::inRange<int64_t>(1, 6)}});
}

// beta / alpha: 0, 1, small integers, non-integers (rarer for integer dtypes),
// bools for bool results.
Scalar la_coef(DType dt) {
  int p = *gen::inRange(0, 20);
  if (dt == DType::Bool) return p < 10 ? Scalar(bool(p % 2)) : Scalar(int64_t(p % 3));
  if (p < 3) return Scalar(int64_t(0));
  if (p < 8) return Scalar(int64_t(1));
  if (p < 13) return Scalar(int64_t(*gen::inRange(-3, 4)));
  if (!is_floating(dt) && p < 18) return Scalar(int64_t(*gen::inRange(-3, 4)));
  if (p == 13) return Scalar(0.0);
  return Scalar(*gen::inRange(-12, 13) / 4.0 + 0.125);
}

bool la_inplace(int op) { return op_table()[op].variant == OpVariant::Inplace; }

// Breaks one thing about a list of operand shapes/dtypes (error parity).
void break_one(std::vector<std::vector<int64_t>>& shapes, std::vector<DType>& dts, DType dt) {
  size_t i = size_t(*gen::inRange<int>(0, int(shapes.size())));
  switch (*gen::inRange(0, 4)) {
    case 0:
      if (!shapes[i].empty()) shapes[i].back() += 1;
      break;  // size mismatch
    case 1:
      shapes[i].push_back(2);
      break;  // rank too high
    case 2:
      if (!shapes[i].empty()) shapes[i].erase(shapes[i].begin());
      break;  // rank too low
    default:
      dts[i] = *gen::element(DType::Float32, DType::Float64, DType::Int64, DType::Int32) == dt ? DType::Bool
               : dt == DType::Float64                                                          ? DType::Float32
                                                                                               : DType::Float64;
      break;
  }
}

CaseSpec make(const std::vector<std::vector<int64_t>>& shapes, const std::vector<DType>& dts, int self_full) {
  CaseSpec c;
  for (size_t i = 0; i < shapes.size(); ++i)
    c.inputs.push_back(int(i) == self_full ? tensor_of(shapes[i], dts[i], true) : la_tensor(shapes[i], dts[i]));
  return c;
}

// The in-place products' self never has the Expanded (stride 0) layout:
// libtorch's structured in-place kernels (addmm_, baddbmm_, addmv_, ...) do
// not refuse a self whose elements alias each other; they write through the
// aliases in kernel order, which is not a behaviour to reproduce.
void no_aliasing_self(int op, CaseSpec& c) {
  if (op_table()[op].variant == OpVariant::Inplace && !c.inputs.empty() && c.inputs[0].layout == Layout::Expanded)
    c.inputs[0] = tensor_of(c.inputs[0].shape, c.inputs[0].dtype, false);
}

// Products (bmm, mm-like, mv, dot): operand shapes given, the additive self
// (when present, input 0) broadcast to the result unless in place.
CaseSpec product_case(int op, DType dt, std::vector<std::vector<int64_t>> shapes, bool has_self,
                      const std::vector<int64_t>& result) {
  std::vector<DType> dts(shapes.size() + (has_self ? 1 : 0), dt);
  if (has_self) shapes.insert(shapes.begin(), la_inplace(op) ? result : broadcast_operand(result));
  if (invalid_roll()) {
    // In place: keep self's shape and dtype (a wrong self differs in libtorch
    // between resizing and refusing, which the generator does not model).
    if (la_inplace(op)) {
      std::vector<std::vector<int64_t>> ops(shapes.begin() + 1, shapes.end());
      std::vector<DType> odt(dts.begin() + 1, dts.end());
      break_one(ops, odt, dt);
      std::copy(ops.begin(), ops.end(), shapes.begin() + 1);
      std::copy(odt.begin(), odt.end(), dts.begin() + 1);
    } else {
      break_one(shapes, dts, dt);
    }
  }
  CaseSpec c = make(shapes, dts, has_self ? 0 : -1);
  no_aliasing_self(op, c);
  if (has_self) {
    c.scalar = la_coef(dt);
    c.alpha = la_coef(dt);
  }
  return c;
}

CaseSpec gen_bmm(int op, DType dt) {
  int64_t b = la_size(), n = la_size(), k = la_size(), m = la_size();
  return product_case(op, dt, {{b, n, k}, {b, k, m}}, false, {});
}
// NOTE [ baddbmm with beta 0 ]
// For small problems (k*m*n < 400: every case here) libtorch 1.13 computes
// baddbmm as result * beta + alpha * acc in a plain loop, also for beta == 0;
// out of place its result buffer is then uninitialized memory (NaN there
// leaks into the result, at random), in place it is self (NaN in self
// propagates, which the engine reproduces). Out-of-place cases therefore
// never use beta == 0: the oracle's answer would not be defined.
CaseSpec gen_baddbmm(int op, DType dt) {
  int64_t b = la_size(), n = la_size(), k = la_size(), m = la_size();
  CaseSpec c = product_case(op, dt, {{b, n, k}, {b, k, m}}, true, {b, n, m});
  if (!la_inplace(op) && c.scalar.to_double() == 0.0 && !c.scalar.is_bool()) c.scalar = Scalar(int64_t(2));
  return c;
}
// addbmm_ with a self that only broadcasts to the result (a broken case
// that changed n or m): libtorch resizes self and then copies the old self
// into it through an aliasing view, so values depend on the copy order; such
// cases get a self of the result's shape instead.
CaseSpec gen_addbmm(int op, DType dt) {
  int64_t b = la_size(), n = la_size(), k = la_size(), m = la_size();
  CaseSpec c = product_case(op, dt, {{b, n, k}, {b, k, m}}, true, {n, m});
  if (la_inplace(op) && c.inputs[1].shape.size() == 3 && c.inputs[2].shape.size() == 3) {
    std::vector<int64_t> result{c.inputs[1].shape[1], c.inputs[2].shape[2]};
    if (c.inputs[0].shape != result) c.inputs[0] = tensor_of(result, c.inputs[0].dtype, false);
  }
  return c;
}
CaseSpec gen_addmm(int op, DType dt) {
  int64_t n = la_size(), k = la_size(), m = la_size();
  return product_case(op, dt, {{n, k}, {k, m}}, true, {n, m});
}
CaseSpec gen_mv(int op, DType dt) {
  int64_t n = la_size(), k = la_size();
  return product_case(op, dt, {{n, k}, {k}}, false, {});
}
CaseSpec gen_addmv(int op, DType dt) {
  int64_t n = la_size(), k = la_size();
  return product_case(op, dt, {{n, k}, {k}}, true, {n});
}
CaseSpec gen_dot(int op, DType dt) {
  int64_t n = la_size();
  return product_case(op, dt, {{n}, {n}}, false, {});
}
CaseSpec gen_trace(int op, DType dt) {
  std::vector<std::vector<int64_t>> shapes{{la_size(), la_size()}};
  std::vector<DType> dts{dt};
  if (invalid_roll()) break_one(shapes, dts, dt);
  return make(shapes, dts, 0);  // full values: a sum of the diagonal
}

// addr, outer/ger, kron: pointwise products with type promotion.
CaseSpec gen_addr(int op, DType dt) {
  int64_t n = la_size(), m = la_size();
  CaseSpec c = product_case(op, dt, {{n}, {m}}, true, {n, m});
  if (!la_inplace(op) && *gen::inRange(0, 6) == 0) {  // promotion: vec dtypes differ from self's
    DType other = maybe_other_dtype(dt);
    for (size_t i = 1; i < c.inputs.size(); ++i) c.inputs[i] = la_tensor(c.inputs[i].shape, other);
  }
  return c;
}
CaseSpec gen_outer(int op, DType dt) {
  std::vector<std::vector<int64_t>> shapes{{la_size()}, {la_size()}};
  std::vector<DType> dts{dt, maybe_other_dtype(dt)};
  if (invalid_roll()) break_one(shapes, dts, dt);
  return make(shapes, dts, -1);
}
CaseSpec gen_kron(int op, DType dt) {
  auto shape = [] {
    std::vector<int64_t> s(size_t(*gen::inRange(0, 4)));
    for (auto& d : s) d = *gen::weightedOneOf<int64_t>({{1, gen::just<int64_t>(0)}, {8, gen::inRange<int64_t>(1, 4)}});
    return s;
  };
  return make({shape(), shape()}, {dt, maybe_other_dtype(dt)}, -1);
}

// inner: (..., k) x (..., k), or a 0-dim operand (then a product).
CaseSpec gen_inner(int op, DType dt) {
  const int64_t k = la_size();
  auto shape = [&] {
    int rank = *gen::inRange(0, 4);
    if (rank == 0) return std::vector<int64_t>{};
    std::vector<int64_t> s(size_t(rank - 1));
    for (auto& d : s) d = *gen::inRange<int64_t>(1, 4);
    s.push_back(k);
    return s;
  };
  std::vector<std::vector<int64_t>> shapes{shape(), shape()};
  std::vector<DType> dts{dt, dt};
  if (invalid_roll()) break_one(shapes, dts, dt);
  return make(shapes, dts, -1);
}

// tensordot: nc contracted dims; as torch.tensordot(a, b, dims=nc) (a's last
// nc with b's first nc) or as two lists in any order, negative dims too, a
// contracted size sometimes 1 on one side (summed away first, then broadcast).
CaseSpec gen_tensordot(int op, DType dt) {
  const int ra = *gen::inRange(0, 4), rb = *gen::inRange(0, 4);
  const int nc = *gen::inRange(0, std::min(ra, rb) + 1);
  std::vector<int64_t> sa(static_cast<size_t>(ra)), sb(static_cast<size_t>(rb));
  for (auto& d : sa) d = *gen::inRange<int64_t>(1, 4);
  for (auto& d : sb) d = *gen::inRange<int64_t>(1, 4);
  if (*gen::inRange(0, 10) == 0 && ra > 0) sa[0] = 0;
  std::vector<int64_t> da, db;
  const bool as_int = *gen::inRange(0, 2) == 0;
  std::vector<int64_t> pa(static_cast<size_t>(ra)), pb(static_cast<size_t>(rb));
  for (int i = 0; i < ra; ++i) pa[size_t(i)] = i;
  for (int i = 0; i < rb; ++i) pb[size_t(i)] = i;
  if (!as_int) {
    for (int i = ra - 1; i > 0; --i) std::swap(pa[size_t(i)], pa[size_t(*gen::inRange(0, i + 1))]);
    for (int i = rb - 1; i > 0; --i) std::swap(pb[size_t(i)], pb[size_t(*gen::inRange(0, i + 1))]);
  }
  for (int i = 0; i < nc; ++i) {
    int64_t x = as_int ? ra - nc + i : pa[size_t(i)], y = pb[size_t(i)];
    int64_t size = sa[size_t(x)];
    sb[size_t(y)] = *gen::inRange(0, 6) == 0 ? 1 : size;
    if (*gen::inRange(0, 8) == 0) sa[size_t(x)] = 1;
    da.push_back(!as_int && *gen::inRange(0, 3) == 0 ? x - ra : x);
    db.push_back(!as_int && *gen::inRange(0, 3) == 0 ? y - rb : y);
  }
  DType dt_b = dt;
  if (invalid_roll()) {
    switch (*gen::inRange(0, 5)) {
      case 0: {  // contracted sizes differ (neither 1)
        if (nc == 0) break;
        int64_t x = da[0] < 0 ? da[0] + ra : da[0], y = db[0] < 0 ? db[0] + rb : db[0];
        sa[size_t(x)] = 2;
        sb[size_t(y)] = 3;
        break;
      }
      case 1:
        da.push_back(ra + 1);
        db.push_back(0);
        break;  // dim out of range
      case 2:
        db.push_back(0);
        break;  // list lengths differ
      case 3:
        if (nc > 0) {
          da.push_back(da[0]);
          db.push_back(db[0]);
        }
        break;  // duplicate
      default:
        dt_b = dt == DType::Float64 ? DType::Float32 : DType::Float64;
        break;
    }
  }
  CaseSpec c = make({sa, sb}, {dt, dt_b}, -1);
  c.ints.push_back(int64_t(da.size()));
  c.ints.insert(c.ints.end(), da.begin(), da.end());
  c.ints.push_back(int64_t(db.size()));
  c.ints.insert(c.ints.end(), db.begin(), db.end());
  return c;
}

// einsum: a random valid equation over 1-4 operands: labels from a small
// pool (upper case too), repeated labels (diagonals), size-1 broadcasting,
// an ellipsis over 0-2 dims, implicit or explicit output, spaces.
CaseSpec gen_einsum(int op, DType dt) {
  const std::string pool = *gen::inRange(0, 4) == 0 ? "abcAB" : "ijklm";
  std::vector<int64_t> size(pool.size());
  for (auto& s : size)
    s = *gen::weightedOneOf<int64_t>({{1, gen::just<int64_t>(0)}, {12, gen::inRange<int64_t>(1, 4)}});
  const int n_ops =
      *gen::weightedOneOf<int>({{3, gen::just(1)}, {6, gen::just(2)}, {2, gen::just(3)}, {1, gen::just(4)}});
  const bool use_ell = *gen::inRange(0, 5) == 0;
  std::vector<int64_t> ell(size_t(use_ell ? *gen::inRange(0, 3) : 0));
  for (auto& d : ell) d = *gen::inRange<int64_t>(1, 4);
  std::string lhs;
  std::vector<std::vector<int64_t>> shapes;
  std::vector<bool> seen(pool.size(), false);
  bool ell_seen = false;
  for (int o = 0; o < n_ops; ++o) {
    if (o) lhs += ',';
    std::vector<int64_t> shape, first(pool.size(), -1);  // first: a label's dim in this operand
    const int rank = *gen::inRange(0, 4);
    const int ell_at = use_ell && *gen::inRange(0, 3) != 0 ? *gen::inRange(0, rank + 1) : -1;
    for (int r = 0; r <= rank; ++r) {
      if (r == ell_at) {
        lhs += "...";
        ell_seen = true;
        size_t take = size_t(*gen::inRange<int>(0, int(ell.size()) + 1));  // trailing ellipsis dims
        for (size_t e = ell.size() - take; e < ell.size(); ++e) shape.push_back(*gen::inRange(0, 4) == 0 ? 1 : ell[e]);
      }
      if (r == rank) break;
      size_t l = size_t(*gen::inRange<int>(0, int(pool.size())));
      lhs += pool[l];
      seen[l] = true;
      if (first[l] >= 0) {  // repeated label: a diagonal, same size
        shape.push_back(shape[size_t(first[l])]);
      } else {
        first[l] = int64_t(shape.size());
        shape.push_back(*gen::inRange(0, 8) == 0 ? 1 : size[l]);
      }
      if (*gen::inRange(0, 10) == 0) lhs += ' ';
    }
    shapes.push_back(shape);
  }
  std::string eq = lhs;
  if (*gen::inRange(0, 10) >= 3) {  // explicit output: a subset of the labels, the ellipsis maybe
    eq += "->";
    if (ell_seen && *gen::inRange(0, 3) != 0) eq += "...";
    for (size_t l = 0; l < pool.size(); ++l)
      if (seen[l] && *gen::inRange(0, 2) == 0) eq += pool[l];
  }
  std::vector<DType> dts(shapes.size(), dt);
  if (invalid_roll()) {
    switch (*gen::inRange(0, 6)) {
      case 0:
        eq.insert(0, "1");
        break;  // not a subscript
      case 1:
        shapes[0].push_back(2);
        break;  // rank mismatch
      case 2:
        eq += eq.find("->") == std::string::npos ? "->z" : "z";
        break;  // unknown output label
      case 3:
        shapes.push_back({2});
        dts.push_back(dt);
        break;  // too many operands
      case 4:
        eq.insert(0, "..");
        break;  // broken ellipsis
      default:
        dts.back() = dt == DType::Float64 ? DType::Float32 : DType::Float64;
        break;
    }
  }
  CaseSpec c = make(shapes, dts, -1);
  c.str = eq;
  return c;
}

// einsum's contraction length: the product of the sizes of the labels (and
// ellipsis dims) that are summed, i.e. absent from the output.
double einsum_fan_in(const std::string& eq, const std::vector<Tensor>& ops) {
  const size_t arrow = eq.find("->");
  const std::string lhs = eq.substr(0, arrow);
  std::vector<int64_t> size(128, 0), count(128, 0);
  int64_t ell = 1;
  size_t o = 0, d = 0, nlabels = 0;
  auto close_operand = [&] {
    d = 0;
    nlabels = 0;
  };
  for (size_t i = 0; i < lhs.size() && o < ops.size(); ++i) {
    unsigned char ch = lhs[i];
    if (ch == ',') {
      ++o;
      close_operand();
      continue;
    }
    if (ch == ' ') continue;
    if (ch == '.') {  // ellipsis: the dims not named by this operand's labels
      size_t named = 0;
      for (size_t j = i + 3; j < lhs.size() && lhs[j] != ','; ++j) named += std::isalpha((unsigned char)lhs[j]) ? 1 : 0;
      int64_t span = 1;
      for (int64_t k = int64_t(d); k < ops[o].dim() - int64_t(named); ++k) span *= ops[o].size(k);
      ell = std::max(ell, span);
      d = size_t(std::max<int64_t>(int64_t(d), ops[o].dim() - int64_t(named)));
      i += 2;
      continue;
    }
    if (int64_t(d) < ops[o].dim()) size[ch] = std::max(size[ch], ops[o].size(int64_t(d)));
    ++count[ch];
    ++d;
    ++nlabels;
  }
  std::vector<bool> kept(128, false);
  bool ell_kept = true;
  if (arrow == std::string::npos) {
    for (size_t c = 0; c < 128; ++c) kept[c] = count[c] == 1;
  } else {
    ell_kept = eq.find('.', arrow) != std::string::npos;
    for (size_t i = arrow + 2; i < eq.size(); ++i) kept[(unsigned char)eq[i]] = true;
  }
  double len = ell_kept ? 1.0 : double(ell);
  for (size_t c = 0; c < 128; ++c)
    if (count[c] > 0 && !kept[c]) len *= double(size[c]);
  return len;
}

}  // namespace

bool linalg_fan_in(const OpInfo& op, const EngineCall& call, const Tensor& out, const Tensor* grad,
                   double (*abs_max)(const Tensor&), double& len, double& amax) {
  const std::string name = op.name;
  const auto& in = call.in;
  auto dim_or_1 = [](const Tensor& t, int64_t d, int64_t rank) { return t.dim() == rank ? t.size(d) : int64_t(1); };
  double k = 0, coef = 1, extra = 0;
  bool has_self = false;
  if (name == "bmm") {
    k = double(dim_or_1(in[0], 2, 3));
  } else if (name == "mv") {
    k = double(dim_or_1(in[0], 1, 2));
  } else if (name == "dot" || name == "vdot") {
    k = double(in[0].numel());
  } else if (name == "inner") {
    k = double(in[0].dim() > 0 ? in[0].size(-1) : 1);
  } else if (name == "tensordot") {
    k = out.numel() > 0 ? double(in[0].numel()) * double(in[1].numel()) / double(out.numel()) : 1;
  } else if (name == "einsum") {
    k = einsum_fan_in(call.str, in);
  } else if (in.size() == 3 && (name.rfind("add", 0) == 0 || name.rfind("baddbmm", 0) == 0)) {
    // beta * self + alpha * product (self: input 0)
    const Tensor& m1 = in[1];
    if (name.rfind("addmm", 0) == 0 || name.rfind("addmv", 0) == 0)
      k = double(dim_or_1(m1, 1, 2));
    else if (name.rfind("baddbmm", 0) == 0)
      k = double(dim_or_1(m1, 2, 3));
    else if (name.rfind("addbmm", 0) == 0)
      k = double(dim_or_1(m1, 0, 3) * dim_or_1(m1, 2, 3));
    else if (name.rfind("addr", 0) == 0)
      k = 1;
    else
      return false;
    has_self = true;
    coef = std::fabs(call.alpha.to_double());
    extra = std::fabs(call.scalar.to_double()) * abs_max(in[0]);
  } else {
    return false;
  }
  double prod = 1;
  for (size_t i = has_self ? 1 : 0; i < in.size(); ++i) prod *= grad ? std::max(abs_max(in[i]), 1.0) : abs_max(in[i]);
  len = std::max(k, 1.0);
  amax = coef * prod + extra;
  if (grad) len = std::max<double>(len, double(std::max<int64_t>(out.numel(), 1)));
  return true;
}

void register_linalg_generators(GenRegistry& r) {
  for (const char* id : {"bmm", "bmm_method", "bmm_out"}) r.add(id, gen_bmm);
  for (const char* id : {"addmm", "addmm_method", "addmm_inplace", "addmm_out"}) r.add(id, gen_addmm);
  for (const char* id : {"baddbmm", "baddbmm_method", "baddbmm_inplace", "baddbmm_out"}) r.add(id, gen_baddbmm);
  for (const char* id : {"addbmm", "addbmm_method", "addbmm_inplace", "addbmm_out"}) r.add(id, gen_addbmm);
  for (const char* id : {"mv", "mv_method", "mv_out"}) r.add(id, gen_mv);
  for (const char* id : {"addmv", "addmv_method", "addmv_inplace", "addmv_out"}) r.add(id, gen_addmv);
  for (const char* id : {"dot", "dot_method", "dot_out", "vdot", "vdot_method", "vdot_out"}) r.add(id, gen_dot);
  for (const char* id : {"addr", "addr_method", "addr_inplace", "addr_out"}) r.add(id, gen_addr);
  for (const char* id : {"outer", "outer_method", "outer_out", "ger", "ger_method", "ger_out"}) r.add(id, gen_outer);
  for (const char* id : {"inner", "inner_method", "inner_out"}) r.add(id, gen_inner);
  for (const char* id : {"trace", "trace_method"}) r.add(id, gen_trace);
  for (const char* id : {"kron", "kron_method", "kron_out"}) r.add(id, gen_kron);
  for (const char* id : {"tensordot", "tensordot_out"}) r.add(id, gen_tensordot);
  r.add("einsum", gen_einsum);
}

}  // namespace ft::props
