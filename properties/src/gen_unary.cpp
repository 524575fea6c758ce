// Custom case generators for the unary op family (entries of kind Custom in
// engine/include/ft/ops/unary.def): value domains for ops defined on part of
// the real line (mostly inside the domain, still ~20% ordinary and special
// values outside it so NaN behaviour is compared), and parameters (clamp
// bounds, activation scalars, gelu's approximate string, round decimals).
// Every generator runs inside rc::gen::exec (gen_case), so it draws with *gen.
#include <cmath>
#include <string_view>
#include <unordered_map>

#include "ft/props/gen_util.h"

namespace ft::props {
namespace {

namespace gen = rc::gen;

enum class Dom { Any, Positive, Unit, Ge1, Prob, GtMinus1 };

// Mostly in the domain, sometimes the generic values (out of domain, specials).
rc::Gen<double> domain_values(Dom d, DType dt) {
  auto scaled = [](int lo, int hi, double div, double off) {
    return gen::map(gen::inRange(lo, hi), [div, off](int v) { return off + v / div; });
  };
  if (d == Dom::Any) return float_value(dt);
  rc::Gen<double> in = d == Dom::Positive ? scaled(1, 100001, 1000.0, 0.0)    // (0, 100]
                       : d == Dom::Unit   ? scaled(-999, 1000, 1000.0, 0.0)   // (-1, 1)
                       : d == Dom::Ge1    ? scaled(0, 100001, 1000.0, 1.0)    // [1, 101]
                       : d == Dom::Prob   ? scaled(0, 1001, 1000.0, 0.0)      // [0, 1]
                                          : scaled(1, 100001, 1000.0, -1.0);  // (-1, 99]
  return gen::weightedOneOf<double>({{4, in}, {1, float_value(dt)}});
}

TensorSpec unary_input(DType dt, Dom d) {
  auto shape = *shape_of_rank(*gen::inRange(0, 5));
  if (!is_floating(dt) || d == Dom::Any) return tensor_of(shape, dt, true);
  return tensor_with(shape, dt, true, domain_values(d, dt));
}

template <Dom D>
CaseSpec domain_case(int, DType dt) {
  CaseSpec c;
  c.inputs.push_back(unary_input(dt, D));
  return c;
}

Scalar pick(std::initializer_list<Scalar> v) { return *gen::elementOf(std::vector<Scalar>(v)); }

// logit(x, eps): eps = n / 1000 (negative: no clamping).
CaseSpec logit_eps_case(int, DType dt) {
  CaseSpec c;
  c.inputs.push_back(unary_input(dt, Dom::Prob));
  c.n = *gen::element<int64_t>(-1000, 0, 1, 100, 250, 499);
  return c;
}

CaseSpec round_decimals_case(int, DType dt) {
  CaseSpec c;
  c.inputs.push_back(unary_input(dt, Dom::Any));
  c.n = *gen::inRange<int64_t>(-3, 4);
  return c;
}

// nan_to_num(x, nan=scalar, posinf=scalar2, neginf=alpha); 1e300 overflows float32 to inf.
CaseSpec nan_to_num_case(int, DType dt) {
  CaseSpec c;
  c.inputs.push_back(unary_input(dt, Dom::Any));
  c.scalar = pick({0.0, 1.5, -2.25, 100.0});
  c.scalar2 = pick({1.0, 1e10, 1e300, -3.5});
  c.alpha = pick({-1.0, -1e10, -1e300, 7.25});
  return c;
}

// clamp/clip bounds: each present or not; both absent is the invalid case.
CaseSpec clamp_case(int, DType dt) {
  CaseSpec c;
  c.inputs.push_back(unary_input(dt, Dom::Any));
  int which = *gen::inRange(0, 20);
  if (which == 0) return c;  // no bounds: both sides raise
  if (which % 3 != 1) c.opt_a = gen_scalar();
  if (which % 3 != 2) c.opt_b = gen_scalar();
  return c;
}

CaseSpec gelu_case(int, DType dt) {
  CaseSpec c;
  c.inputs.push_back(unary_input(dt, Dom::Any));
  c.str = invalid_roll() ? "sigmoid" : *gen::element<std::string>("none", "tanh");
  return c;
}

CaseSpec softplus_case(int, DType dt) {
  CaseSpec c;
  c.inputs.push_back(unary_input(dt, Dom::Any));
  c.scalar = pick({Scalar(int64_t(1)), Scalar(int64_t(2)), Scalar(0.5), Scalar(-1.0)});  // beta
  c.scalar2 = pick({Scalar(int64_t(20)), Scalar(int64_t(1)), Scalar(0.0), Scalar(5.5)});  // threshold
  return c;
}

CaseSpec elu_case(int, DType dt) {
  CaseSpec c;
  c.inputs.push_back(unary_input(dt, Dom::Any));
  c.scalar = pick({Scalar(int64_t(1)), Scalar(0.5), Scalar(int64_t(2)), Scalar(1.5), Scalar(0.0)});  // alpha
  return c;
}

CaseSpec leaky_relu_case(int, DType dt) {
  CaseSpec c;
  c.inputs.push_back(unary_input(dt, Dom::Any));
  c.scalar = pick({Scalar(0.01), Scalar(0.2), Scalar(int64_t(0)), Scalar(int64_t(1)), Scalar(-0.5), Scalar(2.0)});
  return c;
}

CaseSpec hardtanh_case(int, DType dt) {
  CaseSpec c;
  c.inputs.push_back(unary_input(dt, Dom::Any));
  c.scalar = pick({Scalar(int64_t(-1)), Scalar(-0.5), Scalar(int64_t(0)), Scalar(-2.5), Scalar(1.5)});  // min_val
  c.scalar2 = pick({Scalar(int64_t(1)), Scalar(0.5), Scalar(int64_t(2)), Scalar(2.75), Scalar(-1.0)});  // max_val
  return c;
}

}  // namespace

void register_unary_generators(GenRegistry& r) {
  static const std::unordered_map<std::string, CustomGen> by_base = {
      {"log2", domain_case<Dom::Positive>},   {"log10", domain_case<Dom::Positive>},
      {"log1p", domain_case<Dom::GtMinus1>},  {"sqrt", domain_case<Dom::Positive>},
      {"rsqrt", domain_case<Dom::Positive>},  {"asin", domain_case<Dom::Unit>},
      {"acos", domain_case<Dom::Unit>},       {"atanh", domain_case<Dom::Unit>},
      {"acosh", domain_case<Dom::Ge1>},       {"erfinv", domain_case<Dom::Unit>},
      {"lgamma", domain_case<Dom::Positive>}, {"digamma", domain_case<Dom::Positive>},
      {"logit", domain_case<Dom::Prob>},      {"logit_eps", logit_eps_case},
      {"round_decimals", round_decimals_case}, {"nan_to_num_args", nan_to_num_case},
      {"clamp", clamp_case},                  {"clip", clamp_case},
      {"gelu", gelu_case},                    {"softplus", softplus_case},
      {"elu", elu_case},                      {"leaky_relu", leaky_relu_case},
      {"hardtanh", hardtanh_case},
  };
  // An entry's id is its base name plus _method / _inplace / _out.
  for (int i = 0; i < kNumOps; ++i) {
    const OpInfo& op = op_table()[i];
    if (op.kind != OpKind::Custom) continue;
    std::string base = op.id;
    for (std::string_view suf : {"_method", "_inplace", "_out"})
      if (base.size() > suf.size() && base.compare(base.size() - suf.size(), suf.size(), suf) == 0) {
        base.resize(base.size() - suf.size());
        break;
      }
    auto it = by_base.find(base);
    if (it != by_base.end()) r.add(op.id, it->second);
  }
}

}  // namespace ft::props
