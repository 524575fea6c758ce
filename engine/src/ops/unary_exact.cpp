// Exact unary ops: abs, sign/sgn, floor/ceil/round/trunc/frac, nan_to_num,
// clamp/clip with Scalar bounds, and the bool-valued predicates isnan,
// isinf, isfinite, signbit. Their results do not depend on how a kernel
// rounds, so they are compared bit for bit (sign of zero included).
#include <cmath>
#include <limits>
#include <type_traits>

#include "../kernels/cpu/pointwise.h"
#include "../kernels/cpu/unary_frontend.h"
#include "../kernels/cpu/unary_loops.h"

namespace ft {
namespace unary {
namespace {

const char* exact_kernel_name(Op op) {
  switch (op) {
    case Op::Abs: return "abs_cpu";
    case Op::Floor: return "floor_vml_cpu";
    case Op::Ceil: return "ceil_vml_cpu";
    case Op::Round: return "round_vml_cpu";
    case Op::RoundDecimals: return "round_cpu";
    case Op::Trunc: return "trunc_vml_cpu";
    case Op::Frac: return "frac_cpu";
    case Op::Clamp: return "clamp_scalar_cpu";
    default: return "unary_cpu";
  }
}

// clamp's result dtype: a float tensor keeps its dtype; otherwise the bounds
// take part in promotion (a float bound gives float32, an integer bound on a
// bool tensor gives int64), as ATen's clamp meta function does.
DType clamp_result_type(const Tensor& x, const Params& p) {
  DType dt = x.dtype();
  if (is_floating(dt)) return dt;
  bool any_float = (p.has_a && p.sa.is_floating_point()) || (p.has_b && p.sb.is_floating_point());
  bool any_int = (p.has_a && p.sa.is_integral()) || (p.has_b && p.sb.is_integral());
  if (any_float) return DType::Float32;
  if (dt == DType::Bool && any_int) return DType::Int64;
  return dt;
}

// |x| of an integer; abs(MIN) wraps to MIN as in ATen.
template <typename T>
T wrap_abs(T v) {
  if constexpr (std::is_integral_v<T> && !std::is_same_v<T, bool>) {
    using U = std::make_unsigned_t<T>;
    return v < 0 ? T(U(0) - U(v)) : v;
  } else {
    return v;
  }
}

Tensor predicate(Op op, const Tensor& x) {
  Tensor out = ops::empty_pointwise_output(x.sizes(), DType::Bool, {&x});
  FT_DISPATCH_ALL_AND_BOOL(x.dtype(), "isnan_cpu", [&] {
    using T = scalar_t;
    auto run = [&](auto f) { kernels::map_loop<T, bool>(out, x, x.strides(), f); };
    if constexpr (std::is_floating_point_v<T>) {
      switch (op) {
        case Op::Isnan: run([](T v) { return std::isnan(v); }); break;
        case Op::Isinf: run([](T v) { return std::isinf(v); }); break;
        case Op::Isfinite: run([](T v) { return std::isfinite(v); }); break;
        default: run([](T v) { return std::signbit(v); }); break;
      }
    } else if constexpr (std::is_same_v<T, bool>) {
      run([op](T) { return op == Op::Isfinite; });
    } else {
      if (op == Op::Signbit) run([](T v) { return v < T(0); });
      else run([op](T) { return op == Op::Isfinite; });
    }
  });
  return out;
}

}  // namespace

Tensor compute_exact(Op op, const Tensor& x, const Params& p) {
  autograd::NoGradGuard ng;
  if (op == Op::Isnan || op == Op::Isinf || op == Op::Isfinite || op == Op::Signbit) return predicate(op, x);
  DType dt = x.dtype();
  if (op == Op::Clamp) {
    FT_CHECK(p.has_a || p.has_b, "torch.clamp: At least one of 'min' or 'max' must not be None");
    dt = clamp_result_type(x, p);
  }
  const bool rounding = op == Op::Floor || op == Op::Ceil || op == Op::Round || op == Op::Trunc;
  if (dt == DType::Bool && (op == Op::Abs || rounding || op == Op::RoundDecimals || op == Op::Frac || op == Op::Clamp))
    not_implemented(exact_kernel_name(op), dt);
  if (!is_floating(dt) && (op == Op::RoundDecimals || op == Op::Frac)) not_implemented(exact_kernel_name(op), dt);
  // Integers are already integral (floor & co.) and finite (nan_to_num): a copy.
  if (!is_floating(dt) && (rounding || op == Op::NanToNum)) return x.clone();
  Tensor xc = ops::cast_if_needed(x, dt);
  Tensor out = ops::empty_pointwise_output(x.sizes(), dt, {&x});
  DimVector st(xc.strides());
  FT_DISPATCH_ALL_AND_BOOL(dt, exact_kernel_name(op), [&] {
    using T = scalar_t;
    auto run = [&](auto f) { kernels::unary_loop<T>(out, xc, st, f); };
    if constexpr (std::is_same_v<T, bool>) {
      run([](T v) { return v; });  // sign/sgn of a bool is itself
    } else {
      switch (op) {
        case Op::Abs:
          if constexpr (std::is_floating_point_v<T>) run([](T v) { return std::abs(v); });
          else run([](T v) { return wrap_abs(v); });
          break;
        case Op::Sign:
        case Op::Sgn:  // (0 < x) - (x < 0): NaN and -0.0 give +0
          run([](T v) { return T((T(0) < v) - (v < T(0))); });
          break;
        case Op::Floor: run([](T v) { return T(std::floor(v)); }); break;
        case Op::Ceil: run([](T v) { return T(std::ceil(v)); }); break;
        case Op::Round: run([](T v) { return T(std::nearbyint(v)); }); break;  // half to even
        case Op::Trunc: run([](T v) { return T(std::trunc(v)); }); break;
        case Op::RoundDecimals:
          if constexpr (std::is_floating_point_v<T>) {
            // ATen: scale by 10^|decimals| in T, round half to even, scale back.
            const bool neg = p.n < 0;
            const T ten = T(std::pow(10, neg ? -p.n : p.n));
            if (neg) run([ten](T v) { return std::nearbyint(v / ten) * ten; });
            else run([ten](T v) { return std::nearbyint(v * ten) / ten; });
          }
          break;
        case Op::Frac:
          if constexpr (std::is_floating_point_v<T>) run([](T v) { return v - std::trunc(v); });
          break;
        case Op::NanToNum:
          if constexpr (std::is_floating_point_v<T>) {
            const T nan = p.has_a ? T(p.a) : T(0);
            const T pinf = p.has_b ? T(p.b) : std::numeric_limits<T>::max();
            const T ninf = p.has_c ? T(p.c) : std::numeric_limits<T>::lowest();
            run([=](T v) { return std::isnan(v) ? nan : (v == INFINITY ? pinf : (v == -INFINITY ? ninf : v)); });
          }
          break;
        case Op::Clamp: {
          // std::max/std::min argument order as ATen's scalar lambdas: a NaN
          // input stays NaN, a tie keeps the input (its sign of zero).
          // ATen converts the bounds with Scalar::to<T>(): checked (1e39 overflows float)
          const T lo = p.has_a ? ops::checked_scalar_to<T>(p.sa) : T(0), hi = p.has_b ? ops::checked_scalar_to<T>(p.sb) : T(0);
          if (p.has_a && p.has_b) run([=](T v) { return std::min(std::max(v, lo), hi); });
          else if (p.has_a) run([=](T v) { return std::max(v, lo); });
          else run([=](T v) { return std::min(v, hi); });
          break;
        }
        default: FT_INTERNAL_ASSERT(false, "compute_exact: not an exact op");
      }
    }
  });
  return out;
}

}  // namespace unary

#define FT_UNARY_EXACT(fn, OP)      \
  FT_UNARY_FUNCTIONAL_AND_OUT(fn, OP) \
  Tensor Tensor::fn() const { return ft::fn(*this); }
#define FT_UNARY_EXACT_INPLACE(fn, OP) \
  FT_UNARY_FREE_INPLACE(fn, OP) \
  Tensor& Tensor::fn##_() { return ft::fn##_(*this); }

FT_UNARY_EXACT(abs, Abs)
FT_UNARY_EXACT_INPLACE(abs, Abs)
FT_UNARY_EXACT(sign, Sign)
FT_UNARY_EXACT_INPLACE(sign, Sign)
FT_UNARY_EXACT(sgn, Sgn)
FT_UNARY_EXACT_INPLACE(sgn, Sgn)
FT_UNARY_EXACT(floor, Floor)
FT_UNARY_EXACT_INPLACE(floor, Floor)
FT_UNARY_EXACT(ceil, Ceil)
FT_UNARY_EXACT_INPLACE(ceil, Ceil)
FT_UNARY_EXACT(round, Round)
FT_UNARY_EXACT_INPLACE(round, Round)
FT_UNARY_EXACT(trunc, Trunc)
FT_UNARY_EXACT_INPLACE(trunc, Trunc)
FT_UNARY_EXACT(frac, Frac)
FT_UNARY_EXACT_INPLACE(frac, Frac)
FT_UNARY_EXACT(isnan, Isnan)
FT_UNARY_EXACT(isinf, Isinf)
FT_UNARY_EXACT(signbit, Signbit)
#undef FT_UNARY_EXACT
#undef FT_UNARY_EXACT_INPLACE

// isfinite has no out= form in ATen 1.13.
Tensor isfinite(const Tensor& x) {
  FT_OP_SCOPE("isfinite");
  return unary::apply(unary::Op::Isfinite, x, {});
}
Tensor Tensor::isfinite() const { return ft::isfinite(*this); }

// round(x, decimals): round(x * 10^d) / 10^d (d > 0) or round(x / 10^-d) * 10^-d.
namespace {
unary::Params decimals_params(int64_t d) {
  unary::Params p;
  p.n = d;
  return p;
}
unary::Params nan_to_num_params(std::optional<double> nan, std::optional<double> posinf,
                                std::optional<double> neginf) {
  unary::Params p;
  p.has_a = nan.has_value(), p.has_b = posinf.has_value(), p.has_c = neginf.has_value();
  p.a = nan.value_or(0), p.b = posinf.value_or(0), p.c = neginf.value_or(0);
  return p;
}
unary::Params clamp_params(const std::optional<Scalar>& min, const std::optional<Scalar>& max) {
  unary::Params p;
  p.has_a = min.has_value(), p.has_b = max.has_value();
  if (min) p.sa = *min, p.a = min->to_double();
  if (max) p.sb = *max, p.b = max->to_double();
  return p;
}
}  // namespace

Tensor round(const Tensor& x, int64_t decimals) {
  FT_OP_SCOPE("round");
  return unary::apply(unary::Op::RoundDecimals, x, decimals_params(decimals));
}
Tensor& round_out(Tensor& out, const Tensor& x, int64_t decimals) {
  FT_OP_SCOPE("round");
  return unary::apply_out("round", unary::Op::RoundDecimals, out, x, decimals_params(decimals));
}
Tensor& round_(Tensor& self, int64_t decimals) {
  FT_OP_SCOPE("round_");
  return unary::apply_inplace(unary::Op::RoundDecimals, self, decimals_params(decimals));
}
Tensor Tensor::round(int64_t decimals) const { return ft::round(*this, decimals); }
Tensor& Tensor::round_(int64_t decimals) { return ft::round_(*this, decimals); }

Tensor nan_to_num(const Tensor& x, std::optional<double> nan, std::optional<double> posinf,
                  std::optional<double> neginf) {
  FT_OP_SCOPE("nan_to_num");
  return unary::apply(unary::Op::NanToNum, x, nan_to_num_params(nan, posinf, neginf));
}
Tensor& nan_to_num_out(Tensor& out, const Tensor& x, std::optional<double> nan, std::optional<double> posinf,
                       std::optional<double> neginf) {
  FT_OP_SCOPE("nan_to_num");
  return unary::apply_out("nan_to_num", unary::Op::NanToNum, out, x, nan_to_num_params(nan, posinf, neginf));
}
Tensor& nan_to_num_(Tensor& self, std::optional<double> nan, std::optional<double> posinf,
                    std::optional<double> neginf) {
  FT_OP_SCOPE("nan_to_num_");
  if (!is_floating(self.dtype())) return self;  // integers hold no NaN/inf: ATen returns self untouched
  return unary::apply_inplace(unary::Op::NanToNum, self, nan_to_num_params(nan, posinf, neginf));
}
Tensor Tensor::nan_to_num(std::optional<double> nan, std::optional<double> posinf,
                          std::optional<double> neginf) const {
  return ft::nan_to_num(*this, nan, posinf, neginf);
}
Tensor& Tensor::nan_to_num_(std::optional<double> nan, std::optional<double> posinf, std::optional<double> neginf) {
  return ft::nan_to_num_(*this, nan, posinf, neginf);
}

Tensor clamp(const Tensor& x, const std::optional<Scalar>& min, const std::optional<Scalar>& max) {
  FT_OP_SCOPE("clamp");
  return unary::apply(unary::Op::Clamp, x, clamp_params(min, max));
}
Tensor& clamp_out(Tensor& out, const Tensor& x, const std::optional<Scalar>& min, const std::optional<Scalar>& max) {
  FT_OP_SCOPE("clamp");
  return unary::apply_out("clamp", unary::Op::Clamp, out, x, clamp_params(min, max));
}
Tensor& clamp_(Tensor& self, const std::optional<Scalar>& min, const std::optional<Scalar>& max) {
  FT_OP_SCOPE("clamp_");
  return unary::apply_inplace(unary::Op::Clamp, self, clamp_params(min, max));
}
// clip is an alias of clamp.
Tensor clip(const Tensor& x, const std::optional<Scalar>& min, const std::optional<Scalar>& max) {
  return clamp(x, min, max);
}
Tensor& clip_out(Tensor& out, const Tensor& x, const std::optional<Scalar>& min, const std::optional<Scalar>& max) {
  return clamp_out(out, x, min, max);
}
Tensor& clip_(Tensor& self, const std::optional<Scalar>& min, const std::optional<Scalar>& max) {
  return clamp_(self, min, max);
}
Tensor Tensor::clamp(const std::optional<Scalar>& min, const std::optional<Scalar>& max) const {
  return ft::clamp(*this, min, max);
}
Tensor& Tensor::clamp_(const std::optional<Scalar>& min, const std::optional<Scalar>& max) {
  return ft::clamp_(*this, min, max);
}
Tensor Tensor::clip(const std::optional<Scalar>& min, const std::optional<Scalar>& max) const {
  return ft::clip(*this, min, max);
}
Tensor& Tensor::clip_(const std::optional<Scalar>& min, const std::optional<Scalar>& max) {
  return ft::clip_(*this, min, max);
}

}  // namespace ft
