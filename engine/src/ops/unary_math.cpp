// Float-valued unary math ops (exp2 ... digamma, sigmoid, logit): forward
// kernels and the functional, out=, in-place and method front-ends.
// Integer and bool inputs compute in float32 (PyTorch's default dtype); their
// in-place forms therefore raise (a float result can't be cast back).
// Kernels follow NOTE [ Matching ATen's vector paths ] (unary_loops.h): the
// ops ATen sends through vml use the same SLEEF vector functions here.
#include <cmath>
#include <limits>

#include "../kernels/cpu/pointwise.h"
#include "../kernels/cpu/unary_frontend.h"
#include "../kernels/cpu/unary_loops.h"
#include "../kernels/cpu/unary_math.h"
#include "../kernels/cpu/unary_sleef.h"

namespace ft {
namespace unary {

[[noreturn]] void not_implemented(const char* kernel, DType dt) {
  detail::throw_error(ErrorKind::NotImplemented,
                      detail::str_cat("\"", kernel, "\" not implemented for '", dtype_torch_name(dt), "'"));
}

namespace {

// The kernel name libtorch 1.13 reports for a Half input, or nullptr where its
// CPU kernel takes Half (most float kernels take BFloat16 but not Half).
const char* half_unsupported_kernel(Op op) {
  switch (op) {
    case Op::Exp2: case Op::Reciprocal: case Op::Abs: case Op::Sign: case Op::Sgn: case Op::Frac:
    case Op::NanToNum: case Op::Isnan: case Op::Isinf: case Op::Isfinite: case Op::Signbit:
      return nullptr;
    case Op::Expm1: return "expm1_vml_cpu";
    case Op::Log2: return "log2_vml_cpu";
    case Op::Log10: return "log10_vml_cpu";
    case Op::Log1p: return "log1p_vml_cpu";
    case Op::Sqrt: return "sqrt_vml_cpu";
    case Op::Rsqrt: return "rsqrt_cpu";
    case Op::Sin: return "sin_vml_cpu";
    case Op::Cos: return "cos_vml_cpu";
    case Op::Tan: return "tan_vml_cpu";
    case Op::Asin: return "asin_vml_cpu";
    case Op::Acos: return "acos_vml_cpu";
    case Op::Atan: return "atan_vml_cpu";
    case Op::Sinh: return "sinh_cpu";
    case Op::Cosh: return "cosh_cpu";
    case Op::Asinh: return "asinh_cpu";
    case Op::Acosh: return "acosh_cpu";
    case Op::Atanh: return "atanh_cpu";
    case Op::Sigmoid: return "sigmoid_cpu";
    case Op::Logit: return "logit_cpu";
    case Op::Erf: return "erf_vml_cpu";
    case Op::Erfc: return "erfc_vml_cpu";
    case Op::Erfinv: return "erfinv_vml_cpu";
    case Op::Lgamma: return "lgamma_vml_cpu";
    case Op::Digamma: return "digamma";
    case Op::Floor: return "floor_vml_cpu";
    case Op::Ceil: return "ceil_vml_cpu";
    case Op::Round: return "round_vml_cpu";
    case Op::RoundDecimals: return "round_cpu";
    case Op::Trunc: return "trunc_vml_cpu";
    case Op::Clamp: case Op::Hardtanh: return "clamp_scalar_cpu";
    case Op::Gelu: case Op::Silu: case Op::Mish: case Op::Softplus: case Op::Elu: case Op::LeakyRelu:
    case Op::Hardsigmoid: case Op::Hardswish:
      return activation_kernel_name(op);
  }
  return "unary_cpu";
}

// BFloat16 kernels of libtorch 1.13 that round intermediates (checked against
// the oracle): logit computes in c10::BFloat16 arithmetic (eps, 1 - eps and
// each step rounded, in both of its lambdas); rsqrt's scalar lambda rounds
// sqrt before 1 / it, its vector lambda does not (NOTE [ Matching ATen's
// vector paths ]: ti_loop replays the split).
Tensor bf16_rounding_steps(Op op, const Tensor& x, const Params& p) {
  using B = BFloat16;
  Tensor out = ops::empty_pointwise_output(x.sizes(), x.dtype(), {&x});
  if (op == Op::Rsqrt) {
    kernels::ti_loop<B>(
        out, x, x.strides(), [](B v) { return B(1.f / float(B(std::sqrt(float(v))))); },
        [](B v) { return B(1.f / std::sqrt(float(v))); });
    return out;
  }
  const bool clamped = p.has_a && p.a >= 0;
  const float lo = float(B(float(p.a))), hi = float(B(1.f - lo));
  kernels::unary_loop<B>(out, x, x.strides(), [=](B v) {
    float f = float(v);
    if (clamped) f = f < lo ? lo : (f > hi ? hi : f);
    if (f == 1.f) return B(INFINITY);
    return B(std::log(float(B(f / float(B(1.f - f))))));
  });
  return out;
}

// round(decimals) in Half and BFloat16: ATen's lambda runs in the 16-bit
// type (10^|decimals| is rounded to it, and so is the scaled value).
template <typename R>
Tensor round_decimals_steps(const Tensor& x, int64_t decimals) {
  Tensor out = ops::empty_pointwise_output(x.sizes(), x.dtype(), {&x});
  const bool neg = decimals < 0;
  const float ten = float(R(float(std::pow(10.0, neg ? -decimals : decimals))));
  if (neg)
    kernels::unary_loop<R>(out, x, x.strides(), [ten](R v) { return R(std::nearbyint(float(R(float(v) / ten))) * ten); });
  else
    kernels::unary_loop<R>(out, x, x.strides(), [ten](R v) { return R(std::nearbyint(float(R(float(v) * ten))) / ten); });
  return out;
}

// gelu in BFloat16 where ATen runs its own lambdas (approximate='tanh', or
// 'none' off oneDNN: NOTE [ gelu and oneDNN ]): every operation, constants
// and tanh/erf included, rounds to BFloat16 (c10's operators and math).
Tensor bf16_gelu_steps(const Tensor& x, bool tanh_approx) {
  using B = BFloat16;
  auto r = [](float f) { return float(B(f)); };
  Tensor out = ops::empty_pointwise_output(x.sizes(), x.dtype(), {&x});
  if (tanh_approx) {
    const float beta = r(float(M_SQRT2 * M_2_SQRTPI * 0.5)), kappa = r(0.044715f);
    kernels::unary_loop<B>(out, x, x.strides(), [=](B b) {
      const float v = float(b), cube = r(r(v * v) * v);
      const float inner = r(beta * r(v + r(kappa * cube)));
      return B(r(0.5f * v) * r(1.f + r(std::tanh(inner))));
    });
  } else {
    const float alpha = r(float(M_SQRT1_2));
    kernels::unary_loop<B>(out, x, x.strides(), [=](B b) {
      const float v = float(b);
      return B(r(v * 0.5f) * r(1.f + r(std::erf(r(v * alpha)))));
    });
  }
  return out;
}

// NOTE [ Half and BFloat16 kernels ] (dtype.h): libtorch's 16-bit kernels of
// this family load each element as float, apply the float function and round
// once on store. Computing the float32 result and rounding it does exactly
// that; it also leaves the float32/float64 kernels untouched.
Tensor compute_reduced(Op op, const Tensor& x, const Params& p) {
  autograd::NoGradGuard ng;
  const DType dt = x.dtype();
  if (dt == DType::Float16)
    if (const char* k = half_unsupported_kernel(op)) not_implemented(k, dt);
  if (dt == DType::BFloat16 && op == Op::Mish) not_implemented("mish_cpu", dt);
  if (dt == DType::BFloat16 && (op == Op::Logit || op == Op::Rsqrt)) return bf16_rounding_steps(op, x, p);
  if (op == Op::RoundDecimals)
    return dt == DType::Float16 ? round_decimals_steps<Half>(x, p.n) : round_decimals_steps<BFloat16>(x, p.n);
  // oneDNN's test is on the BFloat16 tensor itself (contiguous, more than one element)
  const bool gelu_onednn = !p.tanh_approx && x.is_contiguous() && x.numel() > 1;
  if (dt == DType::BFloat16 && op == Op::Gelu && !gelu_onednn) return bf16_gelu_steps(x, p.tanh_approx);
  Params q = p;
  if (op == Op::NanToNum) {  // the default bounds are the 16-bit type's own extremes
    const double mx = dt == DType::Float16 ? 65504.0 : 3.3895313892515355e38;
    if (!q.has_b) q.b = mx, q.has_b = true;
    if (!q.has_c) q.c = -mx, q.has_c = true;
  }
  Tensor r = compute(op, x.to(DType::Float32), q);
  return r.dtype() == DType::Float32 ? r.to(dt) : r;
}

}  // namespace

Tensor compute(Op op, const Tensor& x, const Params& p) {
  if (x.dtype() == DType::Float16 || x.dtype() == DType::BFloat16) return compute_reduced(op, x, p);
  if (op <= Op::Digamma) return compute_math(op, x, p);
  if (op <= Op::Signbit) return compute_exact(op, x, p);
  return compute_activation(op, x, p);
}

Tensor compute_math(Op op, const Tensor& x, const Params& p) {
  autograd::NoGradGuard ng;
  const DType dt = is_floating(x.dtype()) ? x.dtype() : DType::Float32;
  Tensor xc = ops::cast_if_needed(x, dt);
  Tensor out = ops::empty_pointwise_output(x.sizes(), dt, {&x});
  DimVector st(xc.strides());
  FT_DISPATCH_FLOATING(dt, "unary_math_cpu", [&] {
    using T = scalar_t;
    namespace k = kernels;
    namespace s = kernels::sleef;
    auto std_map = [&](auto f) { k::unary_loop<T>(out, xc, st, f); };
    auto vml = [&](void (*vf)(const T*, T*)) { k::vml_loop<T>(out, xc, st, vf); };
    switch (op) {
      case Op::Exp2: std_map([](T v) { return std::exp2(v); }); break;
      case Op::Expm1: vml(s::expm1); break;
      case Op::Log2: vml(s::log2); break;
      case Op::Log10: vml(s::log10); break;
      case Op::Log1p: vml(s::log1p); break;
      case Op::Sqrt: vml(s::sqrt); break;
      case Op::Rsqrt: std_map([](T v) { return T(1) / std::sqrt(v); }); break;
      case Op::Reciprocal: std_map([](T v) { return T(1) / v; }); break;
      case Op::Sin: vml(s::sin); break;
      case Op::Cos: vml(s::cos); break;
      case Op::Tan: vml(s::tan); break;
      case Op::Asin: vml(s::asin); break;
      case Op::Acos: vml(s::acos); break;
      case Op::Atan: vml(s::atan); break;
      case Op::Sinh:
        k::ti_loop<T>(out, xc, st, [](T v) { return std::sinh(v); }, [](T v) { return s::sinh1(v); });
        break;
      case Op::Cosh:
        k::ti_loop<T>(out, xc, st, [](T v) { return std::cosh(v); }, [](T v) { return s::cosh1(v); });
        break;
      case Op::Asinh: std_map([](T v) { return std::asinh(v); }); break;
      case Op::Acosh: std_map([](T v) { return std::acosh(v); }); break;
      case Op::Atanh: std_map([](T v) { return std::atanh(v); }); break;
      case Op::Sigmoid: std_map([](T v) { return T(1) / (T(1) + std::exp(-v)); }); break;
      case Op::Logit: {
        // eps absent or < 0: no clamping; else x is clamped to [eps, 1 - eps].
        if (!p.has_a || p.a < 0) {
          std_map([](T v) { return v == T(1) ? std::numeric_limits<T>::infinity() : std::log(v / (T(1) - v)); });
        } else {
          const T lo = T(p.a), hi = T(1) - T(p.a);
          std_map([lo, hi](T v) {
            T c = v < lo ? lo : (v > hi ? hi : v);
            return c == T(1) ? std::numeric_limits<T>::infinity() : std::log(c / (T(1) - c));
          });
        }
        break;
      }
      case Op::Erf: vml(s::erf); break;
      case Op::Erfc: vml(s::erfc); break;
      case Op::Erfinv: std_map([](T v) { return k::calc_erfinv(v); }); break;
      case Op::Lgamma: vml(s::lgamma); break;
      case Op::Digamma: std_map([](T v) { return k::calc_digamma(v); }); break;
      default: FT_INTERNAL_ASSERT(false, "compute_math: not a math op");
    }
  });
  return out;
}

}  // namespace unary

#define FT_UNARY_MATH(fn, OP)                         \
  FT_UNARY_FUNCTIONAL_AND_OUT(fn, OP)                   \
  FT_UNARY_FREE_INPLACE(fn, OP) \
  Tensor Tensor::fn() const { return ft::fn(*this); } \
  Tensor& Tensor::fn##_() { return ft::fn##_(*this); }

FT_UNARY_MATH(exp2, Exp2)
FT_UNARY_MATH(expm1, Expm1)
FT_UNARY_MATH(log2, Log2)
FT_UNARY_MATH(log10, Log10)
FT_UNARY_MATH(log1p, Log1p)
FT_UNARY_MATH(sqrt, Sqrt)
FT_UNARY_MATH(rsqrt, Rsqrt)
FT_UNARY_MATH(reciprocal, Reciprocal)
FT_UNARY_MATH(sin, Sin)
FT_UNARY_MATH(cos, Cos)
FT_UNARY_MATH(tan, Tan)
FT_UNARY_MATH(asin, Asin)
FT_UNARY_MATH(acos, Acos)
FT_UNARY_MATH(atan, Atan)
FT_UNARY_MATH(sinh, Sinh)
FT_UNARY_MATH(cosh, Cosh)
FT_UNARY_MATH(asinh, Asinh)
FT_UNARY_MATH(acosh, Acosh)
FT_UNARY_MATH(atanh, Atanh)
FT_UNARY_MATH(sigmoid, Sigmoid)
FT_UNARY_MATH(erf, Erf)
FT_UNARY_MATH(erfc, Erfc)
FT_UNARY_MATH(erfinv, Erfinv)
FT_UNARY_MATH(lgamma, Lgamma)
FT_UNARY_MATH(digamma, Digamma)
#undef FT_UNARY_MATH

// logit(x, eps): log(x / (1 - x)), x clamped to [eps, 1 - eps] when eps >= 0.
namespace {
unary::Params logit_params(std::optional<double> eps) {
  unary::Params p;
  p.has_a = eps.has_value();
  p.a = eps.value_or(0);
  return p;
}
}  // namespace
Tensor logit(const Tensor& x, std::optional<double> eps) {
  FT_OP_SCOPE("logit");
  return unary::apply(unary::Op::Logit, x, logit_params(eps));
}
Tensor& logit_out(Tensor& out, const Tensor& x, std::optional<double> eps) {
  FT_OP_SCOPE("logit");
  return unary::apply_out("logit", unary::Op::Logit, out, x, logit_params(eps));
}
Tensor& logit_(Tensor& self, std::optional<double> eps) {
  FT_OP_SCOPE("logit_");
  return unary::apply_inplace(unary::Op::Logit, self, logit_params(eps));
}
Tensor Tensor::logit(std::optional<double> eps) const { return ft::logit(*this, eps); }
Tensor& Tensor::logit_(std::optional<double> eps) { return ft::logit_(*this, eps); }

}  // namespace ft
