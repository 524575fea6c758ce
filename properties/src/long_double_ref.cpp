// The long double reference of drift attribution for float64 results
// (NOTE [ Drift attribution ] in runner.cpp).
//
// NOTE [ Long double reference ]
// A float64 drift has no wider dtype in either library, so for elementwise
// entries whose math the C library has in long double (x86-64: 64-bit
// mantissa, 11 bits more than double) the harness computes the reference
// itself from the same input values, element by element, and records who is
// closer to it. Entries outside this table keep "n/a: float64 has no wider
// reference".
#include "long_double_ref.h"

#include <cmath>
#include <cstring>
#include <string_view>

namespace ft::props {
namespace {

using LdUnary = long double (*)(long double);
using LdBinary = long double (*)(long double, long double);

struct UnaryRef {
  const char* name;
  LdUnary f;
};
struct BinaryRef {
  const char* name;
  LdBinary f;
};

const UnaryRef kUnary[] = {
    {"exp", [](long double x) { return expl(x); }},
    {"exp2", [](long double x) { return exp2l(x); }},
    {"expm1", [](long double x) { return expm1l(x); }},
    {"log", [](long double x) { return logl(x); }},
    {"log2", [](long double x) { return log2l(x); }},
    {"log10", [](long double x) { return log10l(x); }},
    {"log1p", [](long double x) { return log1pl(x); }},
    {"sqrt", [](long double x) { return sqrtl(x); }},
    {"rsqrt", [](long double x) { return 1.0L / sqrtl(x); }},
    {"reciprocal", [](long double x) { return 1.0L / x; }},
    {"sin", [](long double x) { return sinl(x); }},
    {"cos", [](long double x) { return cosl(x); }},
    {"tan", [](long double x) { return tanl(x); }},
    {"asin", [](long double x) { return asinl(x); }},
    {"acos", [](long double x) { return acosl(x); }},
    {"atan", [](long double x) { return atanl(x); }},
    {"sinh", [](long double x) { return sinhl(x); }},
    {"cosh", [](long double x) { return coshl(x); }},
    {"tanh", [](long double x) { return tanhl(x); }},
    {"asinh", [](long double x) { return asinhl(x); }},
    {"acosh", [](long double x) { return acoshl(x); }},
    {"atanh", [](long double x) { return atanhl(x); }},
    {"sigmoid", [](long double x) { return 1.0L / (1.0L + expl(-x)); }},
    {"erf", [](long double x) { return erfl(x); }},
    {"erfc", [](long double x) { return erfcl(x); }},
    {"lgamma", [](long double x) { return lgammal(x); }},
    {"silu", [](long double x) { return x / (1.0L + expl(-x)); }},
};

const BinaryRef kBinary[] = {
    {"mul", [](long double a, long double b) { return a * b; }},
    {"div", [](long double a, long double b) { return a / b; }},
    {"atan2", [](long double a, long double b) { return atan2l(a, b); }},
    {"hypot", [](long double a, long double b) { return hypotl(a, b); }},
    {"pow", [](long double a, long double b) { return powl(a, b); }},
    {"xlogy", [](long double a, long double b) { return a == 0 && !std::isnan(b) ? 0.0L : a * logl(b); }},
};

// "pow.Tensor_Tensor" -> "pow", "add_" -> "add".
std::string_view base_name(const OpInfo& op) {
  std::string_view n = op.name;
  n = n.substr(0, n.find('.'));
  if (!n.empty() && n.back() == '_') n.remove_suffix(1);
  return n;
}

// The logical-order values of `t` broadcast to `shape`, as long double.
bool values_as(const Tensor& t, IntArrayRef shape, std::vector<long double>& v) {
  if (!t.defined()) return false;
  Tensor e;
  try {
    e = t.expand(shape);
  } catch (const Error&) {
    return false;
  }
  v.clear();
  for (double x : e.to_double_vector()) v.push_back(x);
  return true;
}

}  // namespace

bool long_double_reference(const OpInfo& op, const EngineCall& call, const Tensor& out, std::vector<long double>& ref) {
  if (out.dtype() != DType::Float64 || call.in.empty()) return false;
  const std::string_view name = base_name(op);
  std::vector<long double> a, b;
  if (op.kind == OpKind::Unary) {
    for (const UnaryRef& u : kUnary)
      if (name == u.name) {
        if (!values_as(call.in[0], out.sizes(), a)) return false;
        ref.clear();
        for (long double x : a) ref.push_back(u.f(x));
        return true;
      }
    return false;
  }
  if ((op.kind == OpKind::Binary || op.kind == OpKind::BinaryAlpha) && call.in.size() >= 2) {
    if (!values_as(call.in[0], out.sizes(), a) || !values_as(call.in[1], out.sizes(), b)) return false;
    ref.clear();
    if (op.kind == OpKind::BinaryAlpha && (name == "add" || name == "sub")) {
      const long double alpha = call.alpha.to_double();
      for (size_t i = 0; i < a.size(); ++i) ref.push_back(name == "add" ? a[i] + alpha * b[i] : a[i] - alpha * b[i]);
      return true;
    }
    if (op.kind != OpKind::Binary) return false;
    for (const BinaryRef& f : kBinary)
      if (name == f.name) {
        for (size_t i = 0; i < a.size(); ++i) ref.push_back(f.f(a[i], b[i]));
        return true;
      }
  }
  return false;
}

}  // namespace ft::props
