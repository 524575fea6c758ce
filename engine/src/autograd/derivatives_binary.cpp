// Backward formulas of the binary op family (as PyTorch 1.13's
// derivatives.yaml), each next to the function that records its node.
// Written with engine ops so double backward works; masks built from
// comparisons are constants (comparisons are not differentiable).
#include <cmath>

#include "../kernels/cpu/binary_iter.h"
#include "formula.h"

namespace ft::autograd {
namespace {

Tensor zero_scalar_like(const Tensor& g) { return zeros({}, g.dtype()); }

// where(self == other, g / 2, g) with g zeroed where `drop` holds: the
// gradient of maximum/minimum (ties split it in half).
Tensor split_ties(const Tensor& g, const Tensor& a, const Tensor& b, const Tensor& drop) {
  return ft::where(ft::eq(a, b), g / scalar_tensor(2, std::nullopt, true), g).masked_fill(drop, 0);
}

std::vector<Tensor> binary2_backward(FormulaNode& n, const Tensor& g) {
  Tensor a = n.saved_at(0), b = n.saved_at(1);
  Tensor ga, gb;
  const bool na = n.needs(0), nb = n.needs(1);
  switch (Bin2(n.dim)) {
    case Bin2::Maximum:  // d max/da = [a > b] + [a == b] / 2 (NaN: both get g)
      if (na) ga = split_ties(g, a, b, ft::lt(a, b));
      if (nb) gb = split_ties(g, a, b, ft::gt(a, b));
      break;
    case Bin2::Minimum:  // d min/da = [a < b] + [a == b] / 2
      if (na) ga = split_ties(g, a, b, ft::gt(a, b));
      if (nb) gb = split_ties(g, a, b, ft::lt(a, b));
      break;
    case Bin2::Fmax: {  // the gradient goes to the operand fmax returned: a when a >= b or b is NaN
      Tensor pick_a = ft::logical_or(ft::ge(a, b), ft::ne(b, b));
      if (na) ga = g.masked_fill(ft::logical_not(pick_a), 0);
      if (nb) gb = g.masked_fill(pick_a, 0);
      break;
    }
    case Bin2::Fmin: {
      Tensor pick_a = ft::logical_or(ft::le(a, b), ft::ne(b, b));
      if (na) ga = g.masked_fill(ft::logical_not(pick_a), 0);
      if (nb) gb = g.masked_fill(pick_a, 0);
      break;
    }
    case Bin2::DivRounding:  // piecewise constant: zero almost everywhere
      if (na) ga = zeros_like(g);
      if (nb) gb = zeros_like(g);
      break;
    case Bin2::FloorDivide:
      FT_CHECK(false, "derivative for aten::floor_divide is not implemented");
      break;
    case Bin2::Remainder:  // a - b floor(a / b): d/da = 1, d/db = -floor(a / b)
      if (na) ga = g;
      if (nb) gb = -g * ft::div(a, b, std::string_view("floor"));
      break;
    case Bin2::Fmod:  // a - b trunc(a / b): d/da = 1, d/db = -trunc(a / b)
      if (na) ga = g;
      if (nb) gb = -g * ft::div(a, b, std::string_view("trunc"));
      break;
    case Bin2::Pow: {
      // d a^b/da = b a^(b-1) (0 where b == 0); d a^b/db = a^b log(a) (0 where a == 0 and b >= 0)
      if (na)
        ga = ft::where(ft::eq(b, 0.0), zero_scalar_like(g),
                       g * (b * ft::pow(a, b - scalar_tensor(1, std::nullopt, true))));
      if (nb) {
        Tensor result = n.saved_at(2);
        Tensor cond = ft::logical_and(ft::eq(a, 0), ft::ge(b, 0));
        // log in the base's own dtype, as 1.13 (BFloat16 rounds it, Half raises)
        gb = g * ft::where(cond, zero_scalar_like(g), result * ft::log(a));
      }
      break;
    }
    case Bin2::Atan2: {  // d atan2(a, b) = (b da - a db) / (a^2 + b^2)
      Tensor recip = scalar_tensor(1, std::nullopt, true) / (a * a + b * b);
      if (na) ga = g * b * recip;
      if (nb) gb = g * -a * recip;
      break;
    }
    case Bin2::Hypot: {  // d hypot = (a da + b db) / hypot
      Tensor result = n.saved_at(2);
      if (na) ga = g * a / result;
      if (nb) gb = g * b / result;
      break;
    }
    case Bin2::Copysign: {  // d copysign(a, b)/da = result / a (0 at a == 0); d/db = 0
      Tensor result = n.saved_at(2);
      if (na) ga = g * (result / a).masked_fill(ft::eq(a, 0), 0);
      if (nb) gb = zeros_like(g);
      break;
    }
    case Bin2::Xlogy:  // d x log y/dx = log y (as xlogy(g, y); 0 where x == 0 and y <= 0), d/dy = x / y
      if (na) ga = ft::xlogy(g, b).masked_fill(ft::logical_and(ft::eq(a, 0), ft::le(b, 0)), 0);
      if (nb) gb = g * a / b;
      break;
  }
  return {ga, gb};
}

const char* binary2_name(Bin2 k) {
  switch (k) {
    case Bin2::Maximum: return "MaximumBackward0";
    case Bin2::Minimum: return "MinimumBackward0";
    case Bin2::Fmax: return "FmaxBackward0";
    case Bin2::Fmin: return "FminBackward0";
    case Bin2::DivRounding: return "DivBackward2";
    case Bin2::FloorDivide: return "NotImplemented";
    case Bin2::Remainder: return "RemainderBackward1";
    case Bin2::Fmod: return "FmodBackward1";
    case Bin2::Pow: return "PowBackward1";
    case Bin2::Atan2: return "Atan2Backward0";
    case Bin2::Hypot: return "HypotBackward0";
    case Bin2::Copysign: return "CopysignBackward0";
    case Bin2::Xlogy: return "XlogyBackward0";
  }
  return "?";
}

}  // namespace

void record_binary2(Bin2 k, const Tensor& a, const Tensor& b, Tensor& out) {
  auto n = make_node(binary2_name(k), binary2_backward, {&a, &b});
  if (!n) return;
  n->dim = int64_t(k);
  // Exactly what PyTorch 1.13 saves (every saved tensor is version-checked
  // when the node runs): a tensor only read by the formula of an input that
  // does not require grad is not saved (requires_grad, not the edge: a view
  // made under no_grad of a tensor that requires grad has no edge but counts);
  // the result is saved whenever a formula reads it.
  const bool n0 = a.requires_grad(), n1 = b.requires_grad();
  bool save_a = true, save_b = true, save_out = false;
  switch (k) {
    case Bin2::DivRounding: save_a = n1; break;                                // self only in d/dother
    case Bin2::Remainder: case Bin2::Fmod: save_a = save_b = n1; break;      // d/dself = grad
    case Bin2::Pow: save_out = true; break;                                    // result in d/dexponent
    case Bin2::Hypot: save_a = n0, save_b = n1, save_out = true; break;
    case Bin2::Copysign: save_a = n0, save_b = false, save_out = true; break; // d/dother = zeros
    default: break;                                                            // both formulas read both
  }
  n->saved = {save_a ? SavedTensor(a, false) : SavedTensor(), save_b ? SavedTensor(b, false) : SavedTensor(),
              save_out ? SavedTensor(out, true) : SavedTensor()};
  set_history(out, n);
}

// d a^e/da = e a^(e-1) (zero when e == 0)
void record_pow_scalar_exp(const Tensor& self, const Scalar& exponent, Tensor& out) {
  auto n = make_node("PowBackward0",
                     [](FormulaNode& n, const Tensor& g) -> std::vector<Tensor> {
                       Tensor a = n.saved_at(0);
                       double e = n.scalar.to_double();
                       // c10's Scalar::equal(0.0) is false for a bool scalar: False takes the formula.
                       if (e == 0.0 && !n.scalar.is_bool()) return {zeros_like(a)};
                       return {g * (ft::pow(a, Scalar(e - 1.0)) * Scalar(e))};
                     },
                     {&self});
  if (!n) return;
  n->scalar = exponent;
  n->saved = {SavedTensor(self, false)};
  set_history(out, n);
}

// d base^e/de = base^e log(base) (zero where base == 0 and e >= 0)
void record_pow_scalar_base(const Scalar& base, const Tensor& exponent, Tensor& out) {
  auto n = make_node("PowBackward2",
                     [](FormulaNode& n, const Tensor& g) -> std::vector<Tensor> {
                       // 1.13 calls Scalar::log() on the base, an internal assert for a bool.
                       FT_CHECK(!n.scalar.is_bool(), "false INTERNAL ASSERT FAILED: unknown ivalue tag 3 "
                                "(pow(bool Scalar, Tensor) backward)");
                       Tensor e = n.saved_at(0), result = n.saved_at(1);
                       Tensor lg = result * Scalar(std::log(n.scalar.to_double()));
                       if (n.scalar.to_double() == 0.0) return {g * ft::where(ft::ge(e, 0), zero_scalar_like(g), lg)};
                       return {g * lg};
                     },
                     {&exponent});
  if (!n) return;
  n->scalar = base;
  n->saved = {SavedTensor(exponent, false), SavedTensor(out, true)};
  set_history(out, n);
}

// lerp = self + w (end - self): d/dself = 1 - w, d/dend = w, d/dw = end - self
void record_lerp(const Tensor& self, const Tensor& end, const Scalar& weight, const Tensor* weight_t, Tensor& out) {
  if (!weight_t) {
    auto n = make_node("LerpBackward0",
                       [](FormulaNode& n, const Tensor& g) -> std::vector<Tensor> {
                         double w = n.scalar.to_double();
                         return {n.needs(0) ? g * Scalar(1.0 - w) : Tensor(), n.needs(1) ? g * n.scalar : Tensor()};
                       },
                       {&self, &end});
    if (!n) return;
    n->scalar = weight;
    set_history(out, n);
    return;
  }
  auto n = make_node("LerpBackward1",
                     [](FormulaNode& n, const Tensor& g) -> std::vector<Tensor> {
                       Tensor s = n.saved_at(0), e = n.saved_at(1), w = n.saved_at(2);
                       Tensor gs, ge, gw;
                       if (n.needs(0)) gs = g * (scalar_tensor(1, std::nullopt, true) - w);
                       if (n.needs(1)) ge = g * w;
                       if (n.needs(2)) gw = g * (e - s);
                       return {gs, ge, gw};
                     },
                     {&self, &end, weight_t});
  if (!n) return;
  n->saved = {SavedTensor(self, false), SavedTensor(end, false), SavedTensor(*weight_t, false)};
  set_history(out, n);
}

// addcmul = s + v t1 t2: d/ds = 1, d/dt1 = v t2, d/dt2 = v t1
// addcdiv = s + v t1 / t2: d/dt1 = v / t2, d/dt2 = -v t1 / t2^2
void record_addcmul(const Tensor& self, const Tensor& t1, const Tensor& t2, const Scalar& value, bool is_div,
                    Tensor& out) {
  auto n = make_node(is_div ? "AddcdivBackward0" : "AddcmulBackward0",
                     [](FormulaNode& n, const Tensor& g) -> std::vector<Tensor> {
                       Tensor x = n.saved_at(0), y = n.saved_at(1);
                       Tensor gs, g1, g2;
                       if (n.needs(0)) gs = g;
                       if (!n.flag) {
                         if (n.needs(1)) g1 = g * (y * n.scalar);
                         if (n.needs(2)) g2 = g * (x * n.scalar);
                       } else {
                         if (n.needs(1)) {
                           // PyTorch forms value / t2 as empty_like(t2).fill_(value).div_(t2):
                           // an integral t2 cannot hold the float quotient.
                           FT_CHECK(is_floating(y.dtype()), "result type Float can't be cast to the desired output type ",
                                    dtype_torch_name(y.dtype()));
                           g1 = g * (binops::wrap(n.scalar) / y);
                         }
                         if (n.needs(2)) g2 = -g * ((x * n.scalar) / (y * y));
                       }
                       return {gs, g1, g2};
                     },
                     {&self, &t1, &t2});
  if (!n) return;
  n->scalar = value;
  n->flag = is_div;
  n->saved = {SavedTensor(t1, false), SavedTensor(t2, false)};
  set_history(out, n);
}

// where(c, x, y): d/dx = [c], d/dy = [!c]; the condition gets no gradient.
void record_where(const Tensor& cond, const Tensor& self, const Tensor& other, Tensor& out) {
  auto n = make_node("WhereBackward0",
                     [](FormulaNode& n, const Tensor& g) -> std::vector<Tensor> {
                       Tensor c = n.saved_at(0);
                       Tensor z = zero_scalar_like(g);
                       return {Tensor(), n.needs(1) ? ft::where(c, g, z) : Tensor(),
                               n.needs(2) ? ft::where(c, z, g) : Tensor()};
                     },
                     {&cond, &self, &other});
  if (!n) return;
  n->saved = {SavedTensor(cond, false)};
  set_history(out, n);
}

// masked_fill(x, m, v): d/dx = [!m]
void record_masked_fill(const Tensor& self, const Tensor& mask, Tensor& out) {
  auto n = make_node("MaskedFillBackward0",
                     [](FormulaNode& n, const Tensor& g) -> std::vector<Tensor> {
                       return {g.masked_fill(n.saved_at(0), 0), Tensor()};
                     },
                     {&self, &mask});
  if (!n) return;
  n->saved = {SavedTensor(mask, false)};
  set_history(out, n);
}

}  // namespace ft::autograd
