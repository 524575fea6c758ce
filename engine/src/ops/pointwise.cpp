// Pointwise ops: add/sub/mul/div and neg/exp/log/tanh/relu in their
// functional, method, in-place and out= forms (see NOTE [ In-place and out=
// plumbing ] in op_helpers.h).
#include <cmath>
#include <type_traits>

#include "../autograd/record.h"
#include "../kernels/cpu/binary_loops.h"
#include "../kernels/cpu/pointwise.h"
#include "../kernels/cpu/unary_loops.h"
#include "../kernels/cpu/unary_sleef.h"
#include "op_helpers.h"

namespace ft {
namespace {

enum class Bin { Add, Sub, Mul, Div };

template <typename T>
inline T wrap_add(T a, T b) {
  if constexpr (std::is_integral_v<T> && !std::is_same_v<T, bool>) {
    using U = std::make_unsigned_t<T>;
    return T(U(a) + U(b));
  } else {
    return a + b;
  }
}
template <typename T>
inline T wrap_mul(T a, T b) {
  if constexpr (std::is_integral_v<T> && !std::is_same_v<T, bool>) {
    using U = std::make_unsigned_t<T>;
    return T(U(a) * U(b));
  } else if constexpr (std::is_same_v<T, bool>) {
    return a && b;
  } else {
    return a * b;
  }
}

void check_alpha(DType dt, const Scalar& alpha) {
  FT_CHECK(!alpha.is_bool() || dt == DType::Bool, "Boolean alpha only supported for Boolean results.");
  FT_CHECK(is_floating(dt) || !alpha.is_floating_point(),
           "For integral input tensors, argument alpha must not be a floating point number.");
}

void check_sub(const Tensor& a, const Tensor& b) {
  FT_CHECK(!(a.dtype() == DType::Bool && b.dtype() == DType::Bool),
           "Subtraction, the `-` operator, with two bool tensors is not supported. Use the `^` or `logical_xor()` "
           "operator instead.");
  FT_CHECK(a.dtype() != DType::Bool && b.dtype() != DType::Bool,
           "Subtraction, the `-` operator, with a bool tensor is not supported. If you are trying to invert a "
           "mask, use the `~` or `logical_not()` operator instead.");
}

// dst: write straight into it (the caller made sure it has the result's
// shape and dtype and may alias `a` exactly).
Tensor binary_compute(Bin op, const Tensor& a, const Tensor& b, const Scalar& alpha, const Tensor* dst = nullptr) {
  autograd::NoGradGuard ng;
  DimVector shape = broadcast_shapes(a.sizes(), b.sizes());
  DType dt = result_type(a, b);
  if (op == Bin::Sub) check_sub(a, b);
  if (op == Bin::Add || op == Bin::Sub) check_alpha(dt, alpha);
  if (op == Bin::Div && !is_floating(dt)) dt = DType::Float32;  // true division
  Tensor ac = ops::cast_if_needed(a, dt), bc = ops::cast_if_needed(b, dt);
  Tensor out = dst ? *dst : ops::empty_pointwise_output(shape, dt, {&a, &b});
  DimVector sa = ops::expanded_strides(ac, shape), sb = ops::expanded_strides(bc, shape);
  // sub is add with -alpha, negated as the Scalar it is: an integer
  // alpha 0 stays +0 (a float -0.0 would change the sign of zero results).
  const Scalar a2 = op == Bin::Sub ? (alpha.is_floating_point() ? Scalar(-alpha.to_double())
                                                                : Scalar(int64_t(0 - uint64_t(alpha.to_int()))))
                                   : alpha;
  if (op == Bin::Add || op == Bin::Sub) ops::check_scalar_fits(a2, dt);
  FT_DISPATCH_EVERY(dt, op == Bin::Div ? "div_true_cpu" : "add_cpu", [&] {
    using T = scalar_t;
    using O = opmath_t<T>;  // NOTE [ Half and BFloat16 kernels ]: Half/BFloat16 operands compute in float
    switch (op) {
      case Bin::Add:
      case Bin::Sub: {
        T al = a2.to<T>();
        if constexpr (is_float_v<T>) {
          // A 16-bit alpha is rounded to its dtype first, as libtorch's alpha.to<scalar_t>().
          const O alo = O(al);
          if (alo == O(1))
            kernels::binary_loop<T, T>(out, ac, sa, bc, sb, [](T x, T y) { return T(O(x) + O(y)); });
          else if constexpr (std::is_same_v<T, Half>)
            // libtorch 1.13 has no Half vector type: its generic one rounds
            // alpha * b to Half before the add (checked against the oracle).
            kernels::binary_loop<T, T>(out, ac, sa, bc, sb, [alo](T x, T y) { return T(float(x) + float(T(float(alo) * float(y)))); });
          else if constexpr (std::is_same_v<T, BFloat16>)
            // Its BFloat16 scalar lambda rounds alpha * b too, its vector
            // lambda is a float fma (NOTE [ Vector and scalar paths ]).
            kernels::binary_loop_tio<T, T>(
                out, ac, sa, bc, sb, [alo](T x, T y) { return T(float(x) + float(T(float(alo) * float(y)))); },
                [alo](T x, T y) { return T(std::fma(float(y), float(alo), float(x))); });
          else
            kernels::binary_loop<T, T>(out, ac, sa, bc, sb, [alo](T x, T y) { return T(std::fma(O(y), alo, O(x))); });
        } else if constexpr (std::is_same_v<T, bool>) {
          kernels::binary_loop<T, T>(out, ac, sa, bc, sb, [al](T x, T y) { return bool(x || (al && y)); });
        } else {
          kernels::binary_loop<T, T>(out, ac, sa, bc, sb, [al](T x, T y) { return wrap_add(x, wrap_mul(al, y)); });
        }
        break;
      }
      case Bin::Mul:
        if constexpr (std::is_same_v<T, bool>)
          kernels::binary_loop<T, T>(out, ac, sa, bc, sb, [](T x, T y) { return bool(x && y); });
        else if constexpr (is_reduced_float_v<T>)
          kernels::binary_loop<T, T>(out, ac, sa, bc, sb, [](T x, T y) { return T(float(x) * float(y)); });
        else
          kernels::binary_loop<T, T>(out, ac, sa, bc, sb, [](T x, T y) { return wrap_mul(x, y); });
        break;
      case Bin::Div:
        if constexpr (is_float_v<T>)
          kernels::binary_loop<T, T>(out, ac, sa, bc, sb, [](T x, T y) { return T(O(x) / O(y)); });
        break;
    }
  });
  return out;
}

enum class Un { Neg, Exp, Log, Tanh, Relu };

Tensor unary_compute(Un op, const Tensor& a) {
  autograd::NoGradGuard ng;
  DType dt = a.dtype();
  if (op == Un::Neg)
    FT_CHECK(dt != DType::Bool, "Negation, the `-` operator, on a bool tensor is not supported. If you are trying "
             "to invert a mask, use the `~` or `logical_not()` operator instead.");
  bool floating_op = op == Un::Exp || op == Un::Log || op == Un::Tanh;
  if (floating_op && !is_floating(dt)) dt = DType::Float32;  // integer inputs promote to the default float
  Tensor ac = ops::cast_if_needed(a, dt);
  Tensor out = ops::empty_pointwise_output(a.sizes(), dt, {&a});
  DimVector sa(ac.strides());
  // BFloat16 exp/log/tanh: libtorch maps the float SLEEF function over the
  // widened elements and rounds on store; so does the float32 kernel + a cast
  // (NOTE [ Half and BFloat16 kernels ]). Half is not implemented in 1.13.
  if (floating_op && dt == DType::BFloat16) return unary_compute(op, ac.to(DType::Float32)).to(dt);
  if (floating_op) {
    FT_DISPATCH_FLOATING(dt, op == Un::Exp ? "exp_vml_cpu" : op == Un::Log ? "log_vml_cpu" : "tanh_vml_cpu", [&] {
      using T = scalar_t;
      // ATen's exp/log/tanh are "vml" ops: every element through SLEEF's
      // 256-bit u10 functions (NOTE [ Matching ATen's vector paths ]).
      auto vf = [op](const T* x, T* y) {
        if (op == Un::Exp) kernels::sleef::exp(x, y);
        else if (op == Un::Log) kernels::sleef::log(x, y);
        else kernels::sleef::tanh(x, y);
      };
      kernels::vml_loop<T>(out, ac, sa, vf);
    });
  } else if (op == Un::Neg) {
    FT_DISPATCH_ALL_AND2(dt, "neg_cpu", [&] {
      using T = scalar_t;
      if constexpr (is_reduced_float_v<T>)
        kernels::unary_loop<T>(out, ac, sa, [](T x) { return T(-float(x)); });
      else
        kernels::unary_loop<T>(out, ac, sa, [](T x) { return wrap_mul(x, T(-1)); });
    });
  } else {
    FT_DISPATCH_ALL_AND_BF16(dt, dt == DType::Float16 ? "clamp_min_cpu" : "clamp_min_scalar_cpu", [&] {
      using T = scalar_t;
      // x < 0 ? 0 : x keeps NaN and -0.0, like clamp_min(x, 0) in PyTorch.
      kernels::unary_loop<T>(out, ac, sa, [](T x) { return x < T(0) ? T(0) : x; });
    });
  }
  return out;
}

autograd::Unary to_autograd(Un op) {
  switch (op) {
    case Un::Neg: return autograd::Unary::Neg;
    case Un::Exp: return autograd::Unary::Exp;
    case Un::Log: return autograd::Unary::Log;
    case Un::Tanh: return autograd::Unary::Tanh;
    case Un::Relu: return autograd::Unary::Relu;
  }
  return autograd::Unary::Neg;
}

Tensor binary_op(Bin op, const Tensor& a, const Tensor& b, const Scalar& alpha) {
  Tensor out = binary_compute(op, a, b, alpha);
  switch (op) {
    case Bin::Add: autograd::record_add(a, b, alpha, false, out); break;
    case Bin::Sub: autograd::record_add(a, b, alpha, true, out); break;
    case Bin::Mul: autograd::record_mul(a, b, out); break;
    case Bin::Div: autograd::record_div(a, b, out); break;
  }
  return out;
}

Tensor unary_op(Un op, const Tensor& a) {
  Tensor out = unary_compute(op, a);
  autograd::record_unary(to_autograd(op), a, out);
  return out;
}

using ops::check_out_autograd;
using ops::inplace;

Tensor wrap(const Scalar& s) { return scalar_tensor(s, std::nullopt, /*wrapped=*/true); }

}  // namespace

Tensor add(const Tensor& a, const Tensor& b, const Scalar& alpha) { FT_OP_SCOPE("add"); return binary_op(Bin::Add, a, b, alpha); }
Tensor add(const Tensor& a, const Scalar& b, const Scalar& alpha) { FT_OP_SCOPE("add"); return binary_op(Bin::Add, a, wrap(b), alpha); }
Tensor sub(const Tensor& a, const Tensor& b, const Scalar& alpha) { FT_OP_SCOPE("sub"); return binary_op(Bin::Sub, a, b, alpha); }
Tensor mul(const Tensor& a, const Tensor& b) { FT_OP_SCOPE("mul"); return binary_op(Bin::Mul, a, b, 1); }
Tensor mul(const Tensor& a, const Scalar& b) { FT_OP_SCOPE("mul"); return binary_op(Bin::Mul, a, wrap(b), 1); }
Tensor div(const Tensor& a, const Tensor& b) { FT_OP_SCOPE("div"); return binary_op(Bin::Div, a, b, 1); }
Tensor div(const Tensor& a, const Scalar& b) { FT_OP_SCOPE("div"); return binary_op(Bin::Div, a, wrap(b), 1); }
Tensor neg(const Tensor& a) { FT_OP_SCOPE("neg"); return unary_op(Un::Neg, a); }
Tensor exp(const Tensor& a) { FT_OP_SCOPE("exp"); return unary_op(Un::Exp, a); }
Tensor log(const Tensor& a) { FT_OP_SCOPE("log"); return unary_op(Un::Log, a); }
Tensor tanh(const Tensor& a) { FT_OP_SCOPE("tanh"); return unary_op(Un::Tanh, a); }
Tensor relu(const Tensor& a) { FT_OP_SCOPE("relu"); return unary_op(Un::Relu, a); }

Tensor& add_out(Tensor& out, const Tensor& a, const Tensor& b, const Scalar& alpha) {
  FT_OP_SCOPE("add");
  check_out_autograd("add", {&a, &b});
  return ops::write_out(out, binary_compute(Bin::Add, a, b, alpha));
}
Tensor& sub_out(Tensor& out, const Tensor& a, const Tensor& b, const Scalar& alpha) {
  FT_OP_SCOPE("sub");
  check_out_autograd("sub", {&a, &b});
  return ops::write_out(out, binary_compute(Bin::Sub, a, b, alpha));
}
Tensor& mul_out(Tensor& out, const Tensor& a, const Tensor& b) {
  FT_OP_SCOPE("mul");
  check_out_autograd("mul", {&a, &b});
  return ops::write_out(out, binary_compute(Bin::Mul, a, b, 1));
}
Tensor& div_out(Tensor& out, const Tensor& a, const Tensor& b) {
  FT_OP_SCOPE("div");
  check_out_autograd("div", {&a, &b});
  return ops::write_out(out, binary_compute(Bin::Div, a, b, 1));
}
#define FT_UNARY_OUT(fn, OP)                                 \
  Tensor& fn##_out(Tensor& out, const Tensor& a) {           \
    FT_OP_SCOPE(#fn);                                        \
    check_out_autograd(#fn, {&a});                           \
    return ops::write_out(out, unary_compute(Un::OP, a));    \
  }
FT_UNARY_OUT(neg, Neg)
FT_UNARY_OUT(exp, Exp)
FT_UNARY_OUT(log, Log)
FT_UNARY_OUT(tanh, Tanh)
#undef FT_UNARY_OUT

// ---- Tensor methods -------------------------------------------------------------
Tensor Tensor::add(const Tensor& o, const Scalar& alpha) const { return ft::add(*this, o, alpha); }
Tensor Tensor::add(const Scalar& o, const Scalar& alpha) const { return ft::add(*this, o, alpha); }
Tensor Tensor::sub(const Tensor& o, const Scalar& alpha) const { return ft::sub(*this, o, alpha); }
Tensor Tensor::mul(const Tensor& o) const { return ft::mul(*this, o); }
Tensor Tensor::mul(const Scalar& o) const { return ft::mul(*this, o); }
Tensor Tensor::div(const Tensor& o) const { return ft::div(*this, o); }
Tensor Tensor::neg() const { return ft::neg(*this); }
Tensor Tensor::exp() const { return ft::exp(*this); }
Tensor Tensor::log() const { return ft::log(*this); }
Tensor Tensor::tanh() const { return ft::tanh(*this); }
Tensor Tensor::relu() const { return ft::relu(*this); }

namespace {
// NOTE [ Direct in-place kernels ]
// self.op_(other) when autograd does not track it and the result has self's
// shape and dtype: the kernel writes straight into self (it aliases its first
// operand exactly, element for element), with no temporary and no copy back.
// This is the path of .grad accumulation and of optimizer-style updates.
// Anything else takes the generic path (functional result written back).
Tensor& binary_inplace(Tensor& self, Bin op, const Tensor& other, const Scalar& alpha) {
  bool track = autograd::is_grad_enabled() && (self.requires_grad() || other.requires_grad());
  if (!track && self.numel() > 0) {
    DType dt = result_type(self, other);
    if (dt == self.dtype() && (op != Bin::Div || is_floating(dt)) && broadcast_shapes(self.sizes(), other.sizes()) == DimVector(self.sizes())) {
      ops::check_inplace_autograd(self, {&other});
      ops::check_no_internal_overlap(self);
      ops::check_no_partial_overlap(self, other);
      binary_compute(op, self, other, alpha, &self);
      self.impl()->bump_version();
      return self;
    }
  }
  return inplace(self, {&other}, [&](const Tensor& s) { return binary_op(op, s, other, alpha); });
}
}  // namespace

Tensor& Tensor::add_(const Tensor& o, const Scalar& alpha) {
  FT_OP_SCOPE("add_");
  return binary_inplace(*this, Bin::Add, o, alpha);
}
Tensor& Tensor::sub_(const Tensor& o, const Scalar& alpha) {
  FT_OP_SCOPE("sub_");
  return binary_inplace(*this, Bin::Sub, o, alpha);
}
Tensor& Tensor::mul_(const Tensor& o) {
  FT_OP_SCOPE("mul_");
  return binary_inplace(*this, Bin::Mul, o, 1);
}
// Scalar operands: a wrapped number, so promotion keeps self's dtype.
Tensor& Tensor::add_(const Scalar& o, const Scalar& alpha) {
  FT_OP_SCOPE("add_");
  return binary_inplace(*this, Bin::Add, wrap(o), alpha);
}
Tensor& Tensor::sub_(const Scalar& o, const Scalar& alpha) {
  FT_OP_SCOPE("sub_");
  return binary_inplace(*this, Bin::Sub, wrap(o), alpha);
}
Tensor& Tensor::mul_(const Scalar& o) {
  FT_OP_SCOPE("mul_");
  return binary_inplace(*this, Bin::Mul, wrap(o), 1);
}
Tensor& Tensor::div_(const Tensor& o) {
  FT_OP_SCOPE("div_");
  return binary_inplace(*this, Bin::Div, o, 1);
}
Tensor& Tensor::neg_() { FT_OP_SCOPE("neg_"); return inplace(*this, {}, [](const Tensor& s) { return ft::neg(s); }); }
Tensor& Tensor::exp_() { FT_OP_SCOPE("exp_"); return inplace(*this, {}, [](const Tensor& s) { return ft::exp(s); }); }
Tensor& Tensor::log_() { FT_OP_SCOPE("log_"); return inplace(*this, {}, [](const Tensor& s) { return ft::log(s); }); }
Tensor& Tensor::tanh_() { FT_OP_SCOPE("tanh_"); return inplace(*this, {}, [](const Tensor& s) { return ft::tanh(s); }); }
Tensor& Tensor::relu_() { FT_OP_SCOPE("relu_"); return inplace(*this, {}, [](const Tensor& s) { return ft::relu(s); }); }

Tensor operator+(const Tensor& a, const Tensor& b) { return add(a, b); }
Tensor operator-(const Tensor& a, const Tensor& b) { return sub(a, b); }
Tensor operator*(const Tensor& a, const Tensor& b) { return mul(a, b); }
Tensor operator/(const Tensor& a, const Tensor& b) { return div(a, b); }
Tensor operator-(const Tensor& a) { return neg(a); }
Tensor operator+(const Tensor& a, const Scalar& b) { return add(a, b); }
Tensor operator*(const Tensor& a, const Scalar& b) { return mul(a, b); }

}  // namespace ft
