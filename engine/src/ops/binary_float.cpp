// pow (Tensor^Tensor, Tensor^Scalar, Scalar^Tensor), atan2, hypot, copysign
// and xlogy: functional, method, in-place and out= forms.
//
// pow keeps integer dtypes (integer power with wrapping, ATen's powi) and
// raises for an integer tensor to a negative integer Scalar; a Scalar
// exponent of 0 / 1 / 0.5 / 2 / 3 / -0.5 / -1 / -2 takes the same shortcut
// PyTorch takes, so results agree bit for bit there. atan2, copysign and
// xlogy promote integers to float32; hypot is float-only.
#include <cmath>

#include "../kernels/cpu/binary_iter.h"
#include "../kernels/cpu/binary_math.h"
#include "../kernels/cpu/unary_loops.h"

namespace ft {
namespace binops {

Tensor pow_tt(const Tensor& a, const Tensor& b) {
  autograd::NoGradGuard ng;
  DType dt = result_type(a, b);
  FT_CHECK_KIND(ErrorKind::NotImplemented, dt != DType::Bool, "\"pow\" not implemented for 'Bool'");
  if (is_reduced_float(dt)) return via_float32(dt, "pow", true, a, b, pow_tt);
  Plan2 p = plan2(a, b, dt, dt);
  FT_DISPATCH_ALL(dt, "pow", [&] { typed<scalar_t>([&](auto tag) {
    using T = typename decltype(tag)::type;
    if constexpr (std::is_floating_point_v<T>)  // NOTE [ Sleef pow ]
      kernels::binary_loop_tio<T, T>(p.out, p.a, p.sa, p.b, p.sb, [](T x, T y) { return std::pow(x, y); },
                                     [](T x, T y) { return kernels::sleef_pow(x, y); });
    else
      kernels::binary_loop<T, T>(p.out, p.a, p.sa, p.b, p.sb, [](T x, T y) { return kernels::powi(x, y); });
  }); });
  return p.out;
}

Tensor pow_ts(const Tensor& a, const Scalar& e) {
  autograd::NoGradGuard ng;
  DType dt = result_type(a, e);
  FT_CHECK_KIND(ErrorKind::NotImplemented, dt != DType::Bool, "\"pow\" not implemented for 'Bool'");
  FT_CHECK(!(is_integral(dt, false) && e.is_integral() && e.to_int() < 0),
           "Integers to negative integer powers are not allowed.");
  // ATen's integer and 16-bit kernels take the exponent as exp.to<scalar_t>()
  // (checked, even for an empty base); float and double ones convert it unchecked.
  if (is_integral(dt, false) || is_reduced_float(dt)) ops::check_scalar_fits(e, dt);
  // A Half/BFloat16 base: the float32 kernel, rounded once on store (NOTE [ Half and BFloat16 kernels ]).
  // libtorch takes a non-special exponent as exp.to<scalar_t>(): rounded to dt.
  if (dt == DType::BFloat16 && a.dtype() == dt) {
    // libtorch's BFloat16 pow: 0.5, -0.5 and -1 are sqrt, rsqrt and
    // reciprocal kernels; 2, 3 and -2 multiply in BFloat16, rounding each
    // product (base * base * base, 1 / (base * base)).
    const double ed = e.to_double();
    if (ed == 0.5) return ft::sqrt(a);
    if (ed == -0.5) return ft::rsqrt(a);
    if (ed == -1.0) return ft::reciprocal(a);
    if (ed == 3.0) return ft::mul(ft::mul(a, a), a);
    if (ed == -2.0) return ft::reciprocal(ft::mul(a, a));
  }
  if (dt == DType::Float16 && a.dtype() == dt) {
    // libtorch 1.13's Half pow has no special exponents: std::pow(base, exp)
    // in float on every element (so pow(-0, 0.5) is +0 where sqrt gives -0).
    const double ed = e.to_double();
    Tensor out = ops::empty_pointwise_output(a.sizes(), dt, {&a});
    if (ed == 0.0) return out.fill_(1);
    if (ed == 1.0) return out.copy_(a);
    const float ef = float(Half(float(ed)));
    kernels::unary_loop<Half>(out, a, a.strides(), [ef](Half x) { return Half(std::pow(float(x), ef)); });
    return out;
  }
  if (is_reduced_float(dt)) {
    const float er = dt == DType::Float16 ? float(Half(float(e.to_double()))) : float(BFloat16(float(e.to_double())));
    return pow_ts(a.to(DType::Float32), e.is_floating_point() ? Scalar(double(er)) : e).to(dt);
  }
  Tensor ac = ops::cast_if_needed(a, dt);
  Tensor out = ops::empty_pointwise_output(a.sizes(), dt, {&a});
  const double ed = e.to_double();
  if (ed == 0.0) return out.fill_(1);
  if (ed == 1.0) return out.copy_(ac);
  FT_DISPATCH_ALL(dt, "pow", [&] { typed<scalar_t>([&](auto tag) {
    using T = typename decltype(tag)::type;
    auto run = [&](auto f) { kernels::unary_loop<T>(out, ac, ac.strides(), f); };
    if constexpr (std::is_floating_point_v<T>) {
      if (ed == 0.5) run([](T x) { return std::sqrt(x); });
      else if (ed == 2.0) run([](T x) { return x * x; });
      else if (ed == 3.0) run([](T x) { return x * x * x; });
      else if (ed == -0.5) run([](T x) { return T(1) / std::sqrt(x); });
      else if (ed == -1.0) run([](T x) { return T(1) / x; });
      else if (ed == -2.0) run([](T x) { return T(1) / (x * x); });
      else {  // NOTE [ Sleef pow ]
        const T ev = T(ed);
        kernels::ti_loop<T>(out, ac, ac.strides(), [ev](T x) { return std::pow(x, ev); },
                            [ev](T x) { return kernels::sleef_pow(x, ev); });
      }
    } else {
      const T ev = e.to<T>();
      run([ev](T x) { return kernels::powi(x, ev); });
    }
  }); });
  return out;
}

// Scalar base: base 1 gives ones; otherwise the base is a wrapped number.
Tensor pow_st(const Scalar& base, const Tensor& e) {
  Tensor w = wrap(base);
  if (base.to_double() == 1.0 && !base.is_bool()) {
    autograd::NoGradGuard ng;
    DType dt = result_type(w, e);
    FT_CHECK_KIND(ErrorKind::NotImplemented, dt != DType::Bool, "\"pow\" not implemented for 'Bool'");
    return ops::empty_pointwise_output(e.sizes(), dt, {&e}).fill_(1);
  }
  return pow_tt(w, e);
}

enum class FloatK { Atan2, Hypot, Copysign, Xlogy };

Tensor float_binary(FloatK op, const Tensor& a, const Tensor& b) {
  autograd::NoGradGuard ng;
  DType dt = result_type(a, b);
  const char* name = op == FloatK::Atan2 ? "atan2_cpu" : op == FloatK::Hypot ? "hypot_cpu"
                     : op == FloatK::Copysign ? "copysign_cpu" : "xlogy_cpu";
  if (op == FloatK::Hypot)
    FT_CHECK_KIND(ErrorKind::NotImplemented, is_floating(dt), "\"hypot_cpu\" not implemented for '",
                  dtype_torch_name(dt), "'");
  if (!is_floating(dt)) dt = DType::Float32;  // integer inputs promote to the default float
  if (op == FloatK::Xlogy && dt == DType::BFloat16) {
    // libtorch's BFloat16 xlogy rounds log(y) to bfloat16 (c10's BFloat16
    // std::log) before the product (checked against the oracle).
    Plan2 p = plan2(a, b, dt, dt);
    kernels::binary_loop<BFloat16, BFloat16>(p.out, p.a, p.sa, p.b, p.sb, [](BFloat16 x, BFloat16 y) {
      const float xf = float(x), yf = float(y);
      if (std::isnan(yf)) return BFloat16(NAN);
      if (xf == 0.f) return BFloat16(0.f);
      return BFloat16(xf * float(BFloat16(std::log(yf))));
    });
    return p.out;
  }
  if (is_reduced_float(dt))  // atan2 and hypot take BFloat16 but not Half in 1.13
    return via_float32(dt, name, op == FloatK::Copysign || op == FloatK::Xlogy, a, b,
                       [op](const Tensor& x, const Tensor& y) { return float_binary(op, x, y); });
  Plan2 p = plan2(a, b, dt, dt);
  FT_DISPATCH_FLOATING(dt, name, [&] {
    using T = scalar_t;
    auto run = [&](auto f) { kernels::binary_loop<T, T>(p.out, p.a, p.sa, p.b, p.sb, f); };
    switch (op) {
      case FloatK::Atan2: run([](T x, T y) { return std::atan2(x, y); }); break;
      case FloatK::Hypot: run([](T x, T y) { return std::hypot(x, y); }); break;
      case FloatK::Copysign: run([](T x, T y) { return std::copysign(x, y); }); break;
      case FloatK::Xlogy: run([](T x, T y) { return kernels::xlogy(x, y); }); break;
    }
  });
  return p.out;
}

autograd::Bin2 grad_kind(FloatK op) {
  switch (op) {
    case FloatK::Atan2: return autograd::Bin2::Atan2;
    case FloatK::Hypot: return autograd::Bin2::Hypot;
    case FloatK::Copysign: return autograd::Bin2::Copysign;
    case FloatK::Xlogy: return autograd::Bin2::Xlogy;
  }
  return autograd::Bin2::Atan2;
}

Tensor float_op(FloatK op, const Tensor& a, const Tensor& b) {
  Tensor out = float_binary(op, a, b);
  autograd::record_binary2(grad_kind(op), a, b, out);
  return out;
}

}  // namespace binops

// ---- pow ----------------------------------------------------------------------------------
Tensor pow(const Tensor& a, const Tensor& e) {
  FT_OP_SCOPE("pow");
  Tensor out = binops::pow_tt(a, e);
  autograd::record_binary2(autograd::Bin2::Pow, a, e, out);
  return out;
}
Tensor pow(const Tensor& a, const Scalar& e) {
  FT_OP_SCOPE("pow");
  Tensor out = binops::pow_ts(a, e);
  autograd::record_pow_scalar_exp(a, e, out);
  return out;
}
Tensor pow(const Scalar& base, const Tensor& e) {
  FT_OP_SCOPE("pow");
  Tensor out = binops::pow_st(base, e);
  autograd::record_pow_scalar_base(base, e, out);
  return out;
}
Tensor& pow_out(Tensor& out, const Tensor& a, const Tensor& e) {
  FT_OP_SCOPE("pow");
  return binops::out_of("pow", out, {&a, &e}, [&] { return binops::pow_tt(a, e); });
}
Tensor& pow_out(Tensor& out, const Tensor& a, const Scalar& e) {
  FT_OP_SCOPE("pow");
  return binops::out_of("pow", out, {&a}, [&] { return binops::pow_ts(a, e); });
}
Tensor& pow_out(Tensor& out, const Scalar& base, const Tensor& e) {
  FT_OP_SCOPE("pow");
  // 1.13 fills out with ones for base 1 before any dtype check (the meta takes out's dtype).
  if (base.to_double() == 1.0 && !base.is_bool()) {
    binops::check_out_autograd("pow", {&e});
    return ops::write_out(out, full(e.sizes(), 1, out.dtype()));
  }
  return binops::out_of("pow", out, {&e}, [&] { return binops::pow_st(base, e); });
}
Tensor Tensor::pow(const Tensor& e) const { return ft::pow(*this, e); }
Tensor Tensor::pow(const Scalar& e) const { return ft::pow(*this, e); }
Tensor& Tensor::pow_(const Tensor& e) {
  FT_OP_SCOPE("pow_");
  return binops::inplace(*this, {&e}, [&](const Tensor& s) { return ft::pow(s, e); });
}
Tensor& Tensor::pow_(const Scalar& e) {
  FT_OP_SCOPE("pow_");
  return binops::inplace(*this, {}, [&](const Tensor& s) { return ft::pow(s, e); });
}

// ---- atan2 / hypot / copysign / xlogy --------------------------------------------------------
#define FT_FLOAT_BIN(fn, NAME, K)                                                                     \
  Tensor fn(const Tensor& a, const Tensor& b) { FT_OP_SCOPE(NAME); return binops::float_op(binops::FloatK::K, a, b); } \
  Tensor& fn##_out(Tensor& out, const Tensor& a, const Tensor& b) {                                   \
    FT_OP_SCOPE(NAME);                                                                                \
    return binops::out_of(NAME, out, {&a, &b}, [&] { return binops::float_binary(binops::FloatK::K, a, b); }); \
  }                                                                                                   \
  Tensor Tensor::fn(const Tensor& o) const { return ft::fn(*this, o); }                               \
  Tensor& Tensor::fn##_(const Tensor& o) {                                                            \
    FT_OP_SCOPE(NAME "_");                                                                            \
    return binops::inplace(*this, {&o}, [&](const Tensor& s) { return ft::fn(s, o); });               \
  }
#define FT_FLOAT_BIN_SCALAR(fn, NAME)                                                                 \
  Tensor fn(const Tensor& a, const Scalar& b) { return ft::fn(a, binops::wrap(b)); }                  \
  Tensor& fn##_out(Tensor& out, const Tensor& a, const Scalar& b) {                                   \
    Tensor w = binops::wrap(b);                                                                       \
    return ft::fn##_out(out, a, w);                                                                   \
  }                                                                                                   \
  Tensor Tensor::fn(const Scalar& o) const { return ft::fn(*this, o); }                               \
  Tensor& Tensor::fn##_(const Scalar& o) {                                                            \
    FT_OP_SCOPE(NAME "_");                                                                            \
    return binops::inplace(*this, {}, [&](const Tensor& s) { return ft::fn(s, o); });                 \
  }
FT_FLOAT_BIN(atan2, "atan2", Atan2)
FT_FLOAT_BIN(hypot, "hypot", Hypot)
FT_FLOAT_BIN(copysign, "copysign", Copysign)
FT_FLOAT_BIN(xlogy, "xlogy", Xlogy)
FT_FLOAT_BIN_SCALAR(copysign, "copysign")
FT_FLOAT_BIN_SCALAR(xlogy, "xlogy")
#undef FT_FLOAT_BIN
#undef FT_FLOAT_BIN_SCALAR

Tensor xlogy(const Scalar& a, const Tensor& b) { return ft::xlogy(binops::wrap(a), b); }

}  // namespace ft
