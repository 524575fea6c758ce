// Backward formulas of the unary op family (derivatives.yaml of PyTorch 1.13),
// one case per op, the math beside each. Formulas are written with engine ops
// so double backward works; where PyTorch's formula is piecewise (masks,
// thresholds) the piecewise factor d(x) is computed by a local kernel and
// multiplied into the gradient: linear in grad, constant in x (so only the
// grad path is differentiable a second time for those).
#include <cmath>
#include <utility>

#include "../kernels/cpu/pointwise.h"
#include "../kernels/cpu/unary_frontend.h"
#include "../kernels/cpu/unary_loops.h"
#include "../kernels/cpu/unary_math.h"
#include "formula.h"
#include "record_shape.h"

namespace ft::unary {
namespace {

using autograd::FormulaNode;
using autograd::NoGradGuard;
using autograd::SavedTensor;

constexpr double kLn2 = 0.693147180559945309417232121458176568;
constexpr double kLn10 = 2.30258509299404568401799145468436421;
constexpr double kSqrtPi = 1.77245385090551602729816748334114518;

// d(x), elementwise, in x's (float) dtype; f is called with the element as T.
template <typename F>
Tensor factor(const Tensor& x, F f) {
  NoGradGuard ng;
  // Half/BFloat16: the float kernel, rounded once (NOTE [ Half and BFloat16 kernels ]).
  if (x.dtype() == DType::Float16 || x.dtype() == DType::BFloat16)
    return factor(x.to(DType::Float32), f).to(x.dtype());
  Tensor out = empty(x.sizes(), x.dtype());
  FT_DISPATCH_FLOATING(x.dtype(), "unary_backward_cpu", [&] {
    using T = scalar_t;
    kernels::unary_loop<T>(out, x, x.strides(), [&](T v) { return T(f(v)); });
  });
  return out;
}

// dx = f(dy, x) by a kernel that reproduces ATen's scalar/vector split (see
// NOTE [ Matching ATen's vector paths ]): for piecewise backward kernels the
// two lambdas disagree on NaN inputs (a vector blend takes the other branch).
// make(T) returns the pair (scalar lambda, vector lambda) for dtype T.
// Not differentiable a second time (a kernel, not ops).
template <typename Make>
Tensor backward_kernel(const Tensor& g, const Tensor& x, const char* name, Make make) {
  NoGradGuard ng;
  Tensor gc = g.dtype() == x.dtype() ? g : g.to(x.dtype());
  if (x.dtype() == DType::Float16 || x.dtype() == DType::BFloat16) {
    Tensor out = empty(x.sizes(), x.dtype());
    auto [sf, vf] = make(0.f);
    if (x.dtype() == DType::Float16)
      kernels::ti_loop2_via_float<Half>(out, gc, x, sf, vf);
    else
      kernels::ti_loop2_via_float<BFloat16>(out, gc, x, sf, vf);
    return out;
  }
  Tensor out = empty(x.sizes(), x.dtype());
  FT_DISPATCH_FLOATING(x.dtype(), name, [&] {
    using T = scalar_t;
    auto [sf, vf] = make(T(0));
    kernels::ti_loop2<T>(out, gc, x, sf, vf);
  });
  return out;
}

Tensor sc(double v) { return scalar_tensor(v, std::nullopt, /*wrapped=*/true); }

// polygamma(2, x) in double: the reflection psi2(x) = psi2(1 - x) -
// 2 pi^3 cot(pi x) / sin^2(pi x) below 1/2, the recurrence psi2(x) =
// psi2(x + 1) - 2 / x^3 up to x >= 10, then the asymptotic series
// -1/x^2 - 1/x^3 - sum_k (2k + 1) B_2k / x^(2k + 2) (error ~1e-16 there).
double polygamma2(double x) {
  if (x != x || x == INFINITY) return NAN;  // as ATen's zeta-based polygamma
  if (x == std::floor(x) && x <= 0) return -INFINITY;  // poles: ATen's -2 zeta(3, x) is -inf there
  double acc = 0;
  if (x < 0.5) {
    const double pi = M_PI, s = std::sin(pi * x);
    acc = -2 * pi * pi * pi * std::cos(pi * x) / (s * s * s);
    x = 1 - x;
  }
  for (; x < 10; x += 1) acc -= 2 / (x * x * x);
  const double ix = 1 / x, ix2 = ix * ix;
  const double series =
      ix2 * (-1 - ix + ix2 * (-0.5 + ix2 * (1.0 / 6 + ix2 * (-1.0 / 6 + ix2 * (0.3 + ix2 * (-5.0 / 6 + ix2 * 691.0 / 210))))));
  return acc + series;
}

// trigamma(x) = polygamma(1, x), recorded so that its own derivative,
// polygamma(2, x), takes digamma's gradient to second order.
Tensor trigamma_of(const Tensor& x) {
  Tensor t = factor(x, [](auto v) { return kernels::calc_trigamma(v); });
  if (auto n = autograd::make_node("PolygammaBackward0",
                                   [](FormulaNode& n, const Tensor& gg) -> std::vector<Tensor> {
                                     Tensor xs = n.saved_at(0);
                                     return {gg * factor(xs, [](auto v) { return decltype(v)(polygamma2(double(v))); })};
                                   },
                                   {&x})) {
    n->saved = {SavedTensor(x, false)};
    autograd::set_history(t, n);
  }
  return t;
}

const char* node_name(Op op) {
  switch (op) {
    case Op::Exp2: return "Exp2Backward0";
    case Op::Expm1: return "Expm1Backward0";
    case Op::Log2: return "Log2Backward0";
    case Op::Log10: return "Log10Backward0";
    case Op::Log1p: return "Log1PBackward0";
    case Op::Sqrt: return "SqrtBackward0";
    case Op::Rsqrt: return "RsqrtBackward0";
    case Op::Reciprocal: return "ReciprocalBackward0";
    case Op::Sin: return "SinBackward0";
    case Op::Cos: return "CosBackward0";
    case Op::Tan: return "TanBackward0";
    case Op::Asin: return "AsinBackward0";
    case Op::Acos: return "AcosBackward0";
    case Op::Atan: return "AtanBackward0";
    case Op::Sinh: return "SinhBackward0";
    case Op::Cosh: return "CoshBackward0";
    case Op::Asinh: return "AsinhBackward0";
    case Op::Acosh: return "AcoshBackward0";
    case Op::Atanh: return "AtanhBackward0";
    case Op::Sigmoid: return "SigmoidBackward0";
    case Op::Logit: return "LogitBackward0";
    case Op::Erf: return "ErfBackward0";
    case Op::Erfc: return "ErfcBackward0";
    case Op::Erfinv: return "ErfinvBackward0";
    case Op::Lgamma: return "LgammaBackward0";
    case Op::Digamma: return "DigammaBackward0";
    case Op::Abs: return "AbsBackward0";
    case Op::Sign: return "SignBackward0";
    case Op::Sgn: return "SgnBackward0";
    case Op::Floor: return "FloorBackward0";
    case Op::Ceil: return "CeilBackward0";
    case Op::Round: return "RoundBackward0";
    case Op::RoundDecimals: return "RoundBackward1";
    case Op::Trunc: return "TruncBackward0";
    case Op::Frac: return "FracBackward0";
    case Op::NanToNum: return "NanToNumBackward0";
    case Op::Clamp: return "ClampBackward1";
    case Op::Gelu: return "GeluBackward0";
    case Op::Silu: return "SiluBackward0";
    case Op::Mish: return "MishBackward0";
    case Op::Softplus: return "SoftplusBackward0";
    case Op::Elu: return "EluBackward0";
    case Op::LeakyRelu: return "LeakyReluBackward0";
    case Op::Hardtanh: return "HardtanhBackward0";
    case Op::Hardsigmoid: return "HardsigmoidBackward0";
    case Op::Hardswish: return "HardswishBackward0";
    default: return "UnaryBackward0";
  }
}

// The op is in node.dim; its Params in scalar/scalar2 (a, b), alpha (c),
// ints = {has_a, has_b, n}, flag = tanh_approx. saved[0] is x or the result.
Params params_of(const FormulaNode& n) {
  Params p;
  p.a = n.scalar.to_double(), p.b = n.scalar2.to_double(), p.c = n.alpha.to_double();
  p.has_a = n.ints[0] != 0, p.has_b = n.ints[1] != 0, p.n = n.ints[2];
  // flag: gelu's tanh approximation, or (elu) that the saved tensor is the result
  p.tanh_approx = n.flag;
  p.is_result = n.flag;
  return p;
}

// logit_backward(dy, x) as ATen computes it.
Tensor logit_kernel(const Params& p, const Tensor& g, const Tensor& s) {
  // d logit = 1 / (x (1 - x)); outside [eps, 1 - eps] 0, outside [0, 1] NaN when eps is None.
  // ATen's scalar lambda returns dy * inf at x = 0 or 1, its vector lambda
  // dy / (x (1 - x)) (so -0.0 flips the sign): see NOTE [ Matching ATen's
  // vector paths ]. Used when no graph is built (see grad_of).
  NoGradGuard ng;
  Tensor gc = g.dtype() == s.dtype() ? g : g.to(s.dtype());
  Tensor out = empty(s.sizes(), s.dtype());
  const bool clamped = p.has_a && p.a >= 0;
  if (s.dtype() == DType::BFloat16) {
    // libtorch's BFloat16 kernel runs in c10::BFloat16 arithmetic: eps,
    // 1 - eps and every step of dy / (x (1 - x)) are rounded (checked against
    // torch 1.13: per-step rounding matches bit for bit, one rounding does not).
    using B = BFloat16;
    auto rb = [](float v) { return float(B(v)); };
    const float lo = rb(float(p.a)), hi = rb(1.f - lo);
    auto outside = [=](float v) { return clamped ? (v < lo || v > hi) : (v < 0.f || v > 1.f); };
    const B fill = clamped ? B(0.f) : B(NAN);
    auto quot = [=](float dy, float v) { return B(dy / rb(v * rb(1.f - v))); };
    kernels::ti_loop2<B>(
        out, gc, s,
        [=](B dy, B x) {
          const float v = float(x);
          return outside(v) ? fill : ((v == 0.f || v == 1.f) ? B(float(dy) * INFINITY) : quot(float(dy), v));
        },
        // The vector lambda's BFloat16 comparisons count a NaN x as outside
        // [eps, 1 - eps] (its gradient is 0 there; the scalar lambda's is NaN).
        [=](B dy, B x) {
          const float v = float(x);
          return (outside(v) || (clamped && v != v)) ? fill : quot(float(dy), v);
        });
    return out;
  }
  FT_DISPATCH_FLOATING(s.dtype(), "logit_backward_cpu", [&] {
    using T = scalar_t;
    const T lo = T(p.a), hi = T(1) - T(p.a);
    auto outside = [=](T v) { return clamped ? (v < lo || v > hi) : (v < T(0) || v > T(1)); };
    const T fill = clamped ? T(0) : T(NAN);
    kernels::ti_loop2<T>(
        out, gc, s,
        [=](T dy, T v) {
          return outside(v) ? fill : ((v == T(0) || v == T(1)) ? dy * T(INFINITY) : dy / (v * (T(1) - v)));
        },
        [=](T dy, T v) { return outside(v) ? fill : dy / (v * (T(1) - v)); });
  });
  return out;
}

void store_params(FormulaNode& n, Op op, const Params& p) {
  n.dim = int64_t(op);
  n.scalar = p.a, n.scalar2 = p.b, n.alpha = p.c;
  n.ints = {p.has_a, p.has_b, p.n};
  n.flag = p.tanh_approx || p.is_result;
}

// hardtanh/elu/hardswish_backward(dy, x) as ATen's kernels compute them (not recorded).
Tensor kernel_backward(Op op, const Params& p, const Tensor& g, const Tensor& s) {
  switch (op) {
    case Op::Hardtanh:  // 0 where x <= min or x >= max (NaN: see backward_kernel)
      // libtorch 1.13 computes it with hardshrink's backward kernel, which has no BFloat16.
      FT_CHECK_KIND(ErrorKind::NotImplemented, s.dtype() != DType::BFloat16,
                    "\"hardshrink_backward_cpu\" not implemented for 'BFloat16'");
      return backward_kernel(g, s, "hardtanh_backward_cpu", [&](auto zero) {
        using T = decltype(zero);
        const T lo = T(p.a), hi = T(p.b);
        return std::make_pair([=](T dy, T x) { return (x <= lo || x >= hi) ? T(0) : dy; },
                              [=](T dy, T x) { return (x > lo && x < hi) ? dy : T(0); });
      });
    case Op::Elu:
      // From the result r (in-place form): r <= 0: input_scale (r + alpha scale); else scale.
      if (p.is_result)
        return backward_kernel(g, s, "elu_backward_cpu", [&](auto zero) {
          using T = decltype(zero);
          const T negcoef = T(p.a) * T(p.b), poscoef = T(p.b), negiptcoef = T(p.c);
          return std::make_pair([=](T dy, T r) { return r <= T(0) ? dy * negiptcoef * (r + negcoef) : dy * poscoef; },
                                [=](T dy, T r) { return r > T(0) ? dy * poscoef : dy * negiptcoef * (r + negcoef); });
        });
      // x <= 0: input_scale alpha scale e^{x input_scale}; else scale (NaN: see backward_kernel)
      return backward_kernel(g, s, "elu_backward_cpu", [&](auto zero) {
        using T = decltype(zero);
        const T negcoef = T(p.a) * T(p.b), poscoef = T(p.b), negiptcoef = T(p.c);
        auto neg = [=](T dy, T x) { return dy * negiptcoef * negcoef * std::exp(x * negiptcoef); };
        return std::make_pair([=](T dy, T x) { return x <= T(0) ? neg(dy, x) : dy * poscoef; },
                              [=](T dy, T x) { return x > T(0) ? dy * poscoef : neg(dy, x); });
      });
    case Op::Softplus:  // dy above the threshold, else dy z / (z + 1), z = exp(beta x)
      return backward_kernel(g, s, "softplus_backward_cpu", [&](auto zero) {
        using T = decltype(zero);
        const T beta = T(p.a), thr = T(p.b);
        auto f = [=](T dy, T x) {
          T z = std::exp(x * beta);
          return (x * beta) > thr ? dy : dy * z / (z + T(1));
        };
        return std::make_pair(f, f);
      });
    default:  // Hardswish: 0 below -3, x/3 + 1/2 on [-3, 3], 1 above (NaN: see backward_kernel)
      return backward_kernel(g, s, "hardswish_backward_cpu", [](auto zero) {
        using T = decltype(zero);
        auto mid = [](T dy, T x) { return dy * ((x / T(3)) + T(0.5)); };
        return std::make_pair(
            [=](T dy, T x) { return x < T(-3) ? T(0) : (x <= T(3) ? mid(dy, x) : dy); },
            [=](T dy, T x) { return x < T(-3) ? T(0) : (x >= T(3) ? dy : mid(dy, x)); });
      });
  }
}

const char* kernel_backward_name(Op op) {
  return op == Op::Hardtanh   ? "HardtanhBackwardBackward0"
         : op == Op::Elu      ? "EluBackwardBackward0"
         : op == Op::Softplus ? "SoftplusBackwardBackward0"
                              : "HardswishBackwardBackward0";
}

// The kernel's result recorded as a function of (dy, x), so double backward
// works as in PyTorch: it is linear in dy (the same kernel applied to the
// incoming gradient gg), and its x-derivative is
//   hardtanh: 0;  hardswish: gg dy / 3 on (-3, 3), else 0;
//   elu: elu_backward(gg dy input_scale, x) where x < 0, else 0;
//   softplus: gg dy beta s (1 - s), s = sigmoid(beta x), where beta x < threshold.
Tensor kernel_backward_node(Op op, const Params& p, const Tensor& g, const Tensor& s) {
  Tensor r = kernel_backward(op, p, g, s);
  auto n = autograd::make_node(
      kernel_backward_name(op),
      [](FormulaNode& n, const Tensor& gg) -> std::vector<Tensor> {
        Op op = Op(n.dim);
        Params p = params_of(n);
        Tensor dy = n.saved_at(0), x = n.saved_at(1);
        Tensor d_dy = n.needs(0) ? kernel_backward_node(op, p, gg, x) : Tensor();
        Tensor d_x;
        if (n.needs(1)) {
          if (op == Op::Hardtanh) {
            d_x = zeros_like(x);
          } else if (op == Op::Softplus) {  // PyTorch's softplus_double_backward
            Tensor bx = x * sc(p.a);
            Tensor y = ft::sigmoid(bx);
            Tensor below = factor(x, [=](auto v) {
              using T = decltype(v);
              return v * T(p.a) < T(p.b) ? 1 : 0;
            });
            d_x = gg * dy * (sc(1.0) - y) * y * below * sc(p.a);
          } else if (op == Op::Hardswish) {  // a select, as PyTorch's where(): no inf * 0
            d_x = (gg * dy / sc(3.0)).masked_fill(factor(x, [](auto v) {
                                                    using T = decltype(v);
                                                    return (v > T(-3) && v < T(3)) ? 0 : 1;
                                                  }).to(DType::Bool),
                                                  0);
          } else if (p.is_result) {  // elu_double_backward on the result: gg dy input_scale (r < 0)
            d_x = gg * dy * sc(p.c) * factor(x, [](auto v) {
                    using T = decltype(v);
                    return v < T(0) ? 1 : 0;
                  });
          } else {  // PyTorch's elu_double_backward: elu_backward(gg dy input_scale, x) * (x < 0)
            d_x = kernel_backward_node(op, p, gg * dy * sc(p.c), x) * factor(x, [](auto v) {
                    using T = decltype(v);
                    return v < T(0) ? 1 : 0;
                  });
          }
        }
        return {d_dy, d_x};
      },
      {&g, &s});
  if (n) {
    store_params(*n, op, p);
    n->saved = {SavedTensor(g, false), SavedTensor(s, false)};
    autograd::set_history(r, n);
  }
  return r;
}

// sigmoid_backward(dy, y) = dy (1 - y) y, recorded as one node as PyTorch's
// SigmoidBackwardBackward0: d/d(dy) = sigmoid_backward(gg, y) and
// d/dy = gg dy (1 - 2y). Composite ops would give d/dy as gg dy (1 - y) - gg dy y,
// inf - inf = NaN where dy is infinite; libtorch's single term gives inf.
Tensor sigmoid_backward_node(const Tensor& g, const Tensor& s) {
  Tensor r;
  {
    NoGradGuard ng;
    r = g * (-s + sc(1.0)) * s;  // ATen's kernel order: (dy (1 - y)) y
  }
  auto n = autograd::make_node(
      "SigmoidBackwardBackward0",
      [](FormulaNode& n, const Tensor& gg) -> std::vector<Tensor> {
        Tensor dy = n.saved_at(0), y = n.saved_at(1);
        Tensor d_dy = n.needs(0) ? sigmoid_backward_node(gg, y) : Tensor();
        Tensor d_y = n.needs(1) ? gg * dy * (y * sc(-2.0) + sc(1.0)) : Tensor();
        return {d_dy, d_y};
      },
      {&g, &s});
  if (n) {
    n->saved = {SavedTensor(g, false), SavedTensor(s, false)};
    autograd::set_history(r, n);
  }
  return r;
}

Tensor grad_of(Op op, const Params& p, const Tensor& g, const Tensor& s) {
  switch (op) {
    case Op::Exp2: return g * s * sc(kLn2);                       // d 2^x = 2^x ln 2 (s = result)
    case Op::Expm1: return g * (s + sc(1.0));                     // d (e^x - 1) = e^x = result + 1
    case Op::Log2: return g / (s * sc(kLn2));                     // d log2 x = 1 / (x ln 2)
    case Op::Log10: return g / (s * sc(kLn10));                   // d log10 x = 1 / (x ln 10)
    case Op::Log1p: return g / (s + sc(1.0));                     // d log(1 + x) = 1 / (1 + x)
    case Op::Sqrt: return g / (s * sc(2.0));                      // d sqrt x = 1 / (2 sqrt x)
    case Op::Rsqrt: return g * sc(-0.5) * (s * s * s);            // d x^-1/2 = -1/2 x^-3/2 = -1/2 result^3
    case Op::Reciprocal: return -g * (s * s);                     // d 1/x = -1/x^2 = -result^2
    case Op::Sin: return g * ft::cos(s);                          // d sin = cos
    case Op::Cos: return g * -ft::sin(s);                         // d cos = -sin
    case Op::Tan: return g * (s * s + sc(1.0));                   // d tan = 1 + tan^2
    case Op::Asin: return g * ft::rsqrt(-s * s + sc(1.0));        // d asin = 1 / sqrt(1 - x^2)
    case Op::Acos: return g * -ft::rsqrt(-s * s + sc(1.0));       // d acos = -1 / sqrt(1 - x^2)
    case Op::Atan: return g / (s * s + sc(1.0));                  // d atan = 1 / (1 + x^2)
    case Op::Sinh: return g * ft::cosh(s);                        // d sinh = cosh
    case Op::Cosh: return g * ft::sinh(s);                        // d cosh = sinh
    case Op::Asinh: return g * ft::rsqrt(s * s + sc(1.0));        // d asinh = 1 / sqrt(x^2 + 1)
    case Op::Acosh: return g * ft::rsqrt(s * s - sc(1.0));        // d acosh = 1 / sqrt(x^2 - 1)
    case Op::Atanh: return g / (-(s * s) + sc(1.0));              // d atanh = 1 / (1 - x^2)
    case Op::Sigmoid: return sigmoid_backward_node(g, s);         // d sigmoid = (1 - y) y
    case Op::Logit: {
      if (!autograd::is_grad_enabled()) return logit_kernel(p, g, s);
      // Under create_graph PyTorch switches to its composite
      // infinitely_differentiable_logit_backward: where(in range, g / (x (1 - x)), 0 or NaN).
      // (Any given eps bounds the range here, a negative one too; the kernel
      // treats a negative eps as none.)
      const bool has_eps = p.has_a;
      const double lo = has_eps ? p.a : 0.0, hi = has_eps ? 1.0 - p.a : 1.0;
      Tensor in = ft::logical_and(ft::ge(s, lo), ft::le(s, hi));
      return ft::where(in, g / (s * (sc(1.0) - s)), Scalar(has_eps ? 0.0 : NAN));
    }
    case Op::Erf: return g * (ft::exp(-(s * s)) * sc(2.0 / kSqrtPi));    // d erf = 2/sqrt(pi) e^{-x^2}
    case Op::Erfc: return g * (ft::exp(-(s * s)) * sc(-2.0 / kSqrtPi));  // d erfc = -2/sqrt(pi) e^{-x^2}
    case Op::Erfinv: return g * (ft::exp(s * s) * sc(0.5 * kSqrtPi));    // d erfinv = sqrt(pi)/2 e^{erfinv(x)^2}
    case Op::Lgamma: return g * ft::digamma(s);                          // d lgamma = digamma
    case Op::Digamma: return g * trigamma_of(s);                         // d digamma = trigamma
    case Op::Abs: return g * ft::sgn(s);                                 // d |x| = sgn(x) (0 at 0)
    case Op::Frac: return g;                                             // d (x - trunc x) = 1
    case Op::NanToNum:                                                   // 1 where x is finite, else 0
      return g * factor(s, [](auto x) { return std::isfinite(x) ? 1 : 0; });
    case Op::Clamp:                                                      // 1 where min <= x <= max (NaN: 0)
    case Op::Hardtanh: {
      if (op == Op::Hardtanh) return kernel_backward_node(op, p, g, s);
      // where(min <= x <= max, g, 0): a select, so an infinite g outside gives 0
      return g.masked_fill(factor(s, [=](auto x) {
                             using T = decltype(x);
                             bool in = (!p.has_a || x >= T(p.a)) && (!p.has_b || x <= T(p.b));
                             return in ? 0 : 1;
                           }).to(DType::Bool),
                           0);
    }
    case Op::Gelu: {
      if (!p.tanh_approx) {
        // d/dx x Phi(x) = Phi(x) + x phi(x)
        const double kBeta = M_2_SQRTPI * M_SQRT1_2 * 0.5;
        Tensor cdf = (ft::erf(s * sc(M_SQRT1_2)) + sc(1.0)) * sc(0.5);
        Tensor pdf = ft::exp(s * s * sc(-0.5)) * sc(kBeta);
        return g * (cdf + s * pdf);
      }
      // y = x/2 (1 + tanh u), u = b (x + k x^3): y' = (1 + tanh u)/2 + x/2 (1 - tanh^2 u) b (1 + 3k x^2)
      const double kBeta = M_SQRT2 * M_2_SQRTPI * 0.5, kKappa = 0.044715;
      Tensor x_sq = s * s;
      Tensor t = ft::tanh((s + x_sq * s * sc(kKappa)) * sc(kBeta));
      Tensor left = s * sc(0.5);
      Tensor left_d = (t + sc(1.0)) * sc(0.5);
      Tensor tanh_d = -(t * t) + sc(1.0);
      Tensor inner_d = (x_sq * sc(3 * kKappa) + sc(1.0)) * sc(kBeta);
      return g * (left_d + left * tanh_d * inner_d);
    }
    case Op::Silu: {  // d x sigma(x) = sigma (1 + x (1 - sigma))
      Tensor sg = ft::sigmoid(s);
      return g * sg * ((-sg + sc(1.0)) * s + sc(1.0));
    }
    case Op::Mish: {  // d x tanh(softplus x) = t + x sigma(x) (1 - t^2), t = tanh(softplus x)
      Tensor sg = ft::sigmoid(s);
      Tensor t = ft::tanh(ft::log1p(ft::exp(s)));
      return g * (t + s * sg * (-(t * t) + sc(1.0)));
    }
    case Op::Softplus: return kernel_backward_node(op, p, g, s);
    case Op::Elu: return kernel_backward_node(op, p, g, s);
    case Op::LeakyRelu:  // 1 where x > 0, else the slope (the slope at 0)
      return g * factor(s, [=](auto x) {
        using T = decltype(x);
        return x > T(0) ? T(1) : T(p.a);
      });
    case Op::Hardsigmoid: {  // 1/6 on (-3, 3), else 0 (a select: an infinite gradient outside gives 0)
      Tensor r;
      {
        NoGradGuard ng;
        r = backward_kernel(g, s, "hardsigmoid_backward_cpu", [](auto zero) {
          using T = decltype(zero);
          // ATen's constant is the float 1.0f / 6.0f, widened (not the double 1/6).
          auto f = [](T dy, T x) { return (x > T(-3) && x < T(3)) ? dy * T(1.0f / 6.0f) : T(0); };
          return std::make_pair(f, f);
        });
      }
      // libtorch 1.13 has no derivative for hardsigmoid_backward: a second
      // backward through it raises (found by ftorch fuzz autograd).
      if (auto n = autograd::make_node("HardsigmoidBackwardBackward0",
                             [](autograd::FormulaNode&, const Tensor&) -> std::vector<Tensor> {
                               FT_CHECK_KIND(ErrorKind::NotImplemented, false,
                                             "derivative for aten::hardsigmoid_backward is not implemented");
                               return {};
                             },
                             {&g, &s}))
        autograd::set_history(r, n);
      return r;
    }
    case Op::Hardswish: return kernel_backward_node(op, p, g, s);
    default:  // sign, sgn, floor, ceil, round, trunc: zero almost everywhere
      return zeros_like(g);
  }
}

// Ops whose formula needs no tensor (zero, or the gradient itself for frac):
// PyTorch saves nothing for them, so a later in-place write to the input
// cannot make their backward raise.
bool saves_nothing(Op op) {
  return op == Op::Sign || op == Op::Frac || op == Op::Floor || op == Op::Ceil || op == Op::Round || op == Op::RoundDecimals ||
         op == Op::Trunc;
}

// Ops whose formula reads the result instead of the input.
bool saves_result(Op op) {
  return op == Op::Exp2 || op == Op::Expm1 || op == Op::Sqrt || op == Op::Rsqrt || op == Op::Reciprocal ||
         op == Op::Tan || op == Op::Sigmoid || op == Op::Erfinv;
}

}  // namespace

void record(Op op, const Tensor& x, const Params& p, Tensor& out) {
  if (op == Op::Isnan || op == Op::Isinf || op == Op::Isfinite || op == Op::Signbit) return;  // bool results
  if (!is_floating(out.dtype())) return;
  auto n = autograd::make_node(node_name(op),
                               [](FormulaNode& n, const Tensor& g) -> std::vector<Tensor> {
                                 Op op = Op(n.dim);
                                 if (n.saved.empty()) return {op == Op::Frac ? g : zeros_like(g)};  // saves_nothing
                                 return {grad_of(op, params_of(n), g, n.saved_at(0))};
                               },
                               {&x});
  if (!n) return;
  store_params(*n, op, p);
  if (!saves_nothing(op)) n->saved = {saves_result(op) ? SavedTensor(out, true) : SavedTensor(x, false)};
  autograd::set_history(out, n);
}

// NOTE [ In-place unary formulas ]
// PyTorch 1.13 gives some in-place forms their own formula (Backward1):
//   asinh_/acosh_/atanh_: none, the backward raises;
//   leaky_relu_: reads the result (LeakyReluBackward1), and refuses a
//     negative slope (the result no longer tells the sign of the input);
//   elu_: reads the result: r <= 0 gives input_scale (r + alpha scale),
//     second derivative gg dy input_scale where r < 0.
// The others reuse the functional formula on the pre-write clone of self.
void record_inplace(Op op, const Tensor& x, const Params& p, Tensor& out) {
  switch (op) {
    case Op::Asinh:
    case Op::Acosh:
    case Op::Atanh: {
      const char* name = op == Op::Asinh ? "asinh" : op == Op::Acosh ? "acosh" : "atanh";
      const char* node = op == Op::Asinh ? "AsinhBackward1" : op == Op::Acosh ? "AcoshBackward1" : "AtanhBackward1";
      autograd::record_raising(x, node, std::string("the derivative for 'inplace version of ") + name +
                                            "' is not implemented.", out);
      return;
    }
    case Op::LeakyRelu:
      if (p.a < 0) {
        autograd::record_raising(
            x, "LeakyReluBackward1",
            "In-place leakyReLu backward calculation is triggered with a negative slope which is not supported. This "
            "is caused by calling in-place forward function with a negative slope, please call out-of-place version "
            "instead. File an issue at https://github.com/pytorch/pytorch if you do require supporting in-place "
            "leakRelu backward calculation with negative slope",
            out);
        return;
      }
      {
        // A slope >= 0 keeps the input's sign in the result, so the
        // functional formula reads the result (LeakyReluBackward1).
        auto n = autograd::make_node("LeakyReluBackward1",
                                     [](FormulaNode& n, const Tensor& g) -> std::vector<Tensor> {
                                       return {grad_of(Op::LeakyRelu, params_of(n), g, n.saved_at(0))};
                                     },
                                     {&x});
        if (!n) return;
        store_params(*n, op, p);
        n->saved = {SavedTensor(out, true)};
        autograd::set_history(out, n);
        return;
      }
    case Op::Elu: {
      if (!is_floating(out.dtype())) return;
      auto n = autograd::make_node("EluBackward1",
                                   [](FormulaNode& n, const Tensor& g) -> std::vector<Tensor> {
                                     return {kernel_backward_node(Op::Elu, params_of(n), g, n.saved_at(0))};
                                   },
                                   {&x});
      if (!n) return;
      Params pr = p;
      pr.is_result = true;
      store_params(*n, op, pr);
      n->saved = {SavedTensor(out, true)};
      autograd::set_history(out, n);
      return;
    }
    default:
      break;
  }
  record(op, x, p, out);
}

}  // namespace ft::unary
