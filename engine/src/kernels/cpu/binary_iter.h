// Front-end plumbing shared by the binary op family (engine/src/ops/binary_*.cpp):
// promotion over two or three operands, broadcasting and output allocation
// (a small TensorIterator), and the in-place / out= wrappers. Everything lives
// in the named namespace ft::binops: the engine is a unity build, and
// anonymous-namespace helpers of different .cpp files would collide.
// See NOTE [ In-place and out= plumbing ] in pointwise.cpp.
#pragma once

#include <initializer_list>
#include <optional>
#include <type_traits>

#include "../../autograd/record.h"
#include "../../ops/op_helpers.h"
#include "binary_loops.h"
#include "pointwise.h"

namespace ft::binops {

// result_type over any number of tensors; same classes as NOTE [ Type promotion ].
inline DType result_type_n(std::initializer_list<const Tensor*> ts) {
  std::optional<DType> dim_r, zero_r, wrap_r;
  for (const Tensor* t : ts) {
    DType dt = t->dtype();
    std::optional<DType>* slot = &dim_r;
    if (t->impl()->is_wrapped_number()) {
      slot = &wrap_r;
      if (is_floating(dt)) dt = DType::Float32;
    } else if (t->dim() == 0) {
      slot = &zero_r;
    }
    *slot = *slot ? promote_types(**slot, dt) : dt;
  }
  auto combine = [](std::optional<DType> hi, std::optional<DType> lo) -> std::optional<DType> {
    if (!hi) return lo;
    if (!lo) return hi;
    if (is_floating(*hi)) return hi;
    if (*hi == DType::Bool || is_floating(*lo)) return promote_types(*hi, *lo);
    return hi;
  };
  return *combine(dim_r, combine(zero_r, wrap_r));
}

// Runs f(std::type_identity<T>{}) so that a dispatch body becomes a generic
// lambda: its `if constexpr` branches for other dtypes are then discarded,
// not compiled (FT_DISPATCH bodies are plain lambdas).
template <typename T, typename F>
void typed(F&& f) {
  f(std::type_identity<T>{});
}

inline Tensor wrap(const Scalar& s) { return scalar_tensor(s, std::nullopt, /*wrapped=*/true); }

// Operands cast to the compute dtype, their strides against the broadcast
// shape, and a fresh output laid out like the inputs.
struct Plan2 {
  DimVector shape;
  Tensor a, b, out;
  DimVector sa, sb;
};
inline Plan2 plan2(const Tensor& a, const Tensor& b, DType compute, DType out_dt) {
  Plan2 p;
  p.shape = broadcast_shapes(a.sizes(), b.sizes());
  p.a = ops::cast_if_needed(a, compute);
  p.b = ops::cast_if_needed(b, compute);
  p.out = ops::empty_pointwise_output(p.shape, out_dt, {&a, &b});
  p.sa = ops::expanded_strides(p.a, p.shape);
  p.sb = ops::expanded_strides(p.b, p.shape);
  return p;
}

struct Plan3 {
  DimVector shape;
  Tensor a, b, c, out;
  DimVector sa, sb, sc;
};
// dt_a/dt_b/dt_c: the dtypes each operand is cast to.
inline Plan3 plan3(const Tensor& a, const Tensor& b, const Tensor& c, DType dt_a, DType dt_b, DType dt_c,
                   DType out_dt) {
  Plan3 p;
  p.shape = broadcast_shapes(broadcast_shapes(a.sizes(), b.sizes()), c.sizes());
  p.a = ops::cast_if_needed(a, dt_a);
  p.b = ops::cast_if_needed(b, dt_b);
  p.c = ops::cast_if_needed(c, dt_c);
  p.out = ops::empty_pointwise_output(p.shape, out_dt, {&a, &b, &c});
  p.sa = ops::expanded_strides(p.a, p.shape);
  p.sb = ops::expanded_strides(p.b, p.shape);
  p.sc = ops::expanded_strides(p.c, p.shape);
  return p;
}

// NOTE [ Half and BFloat16 kernels ] (dtype.h): a Half/BFloat16 op whose
// libtorch kernel loads float operands, applies the float function and rounds
// once on store equals the float32 kernel applied to the operands (first
// rounded to dt, as TensorIterator casts them) followed by a cast back to dt.
// `half_ok`: whether libtorch 1.13's CPU kernel `name` takes Half at all.
inline bool is_reduced_float(DType dt) { return dt == DType::Float16 || dt == DType::BFloat16; }
template <typename F>
Tensor via_float32(DType dt, const char* name, bool half_ok, const Tensor& a, const Tensor& b, F f) {
  if (dt == DType::Float16 && !half_ok)
    detail::throw_error(ErrorKind::NotImplemented, detail::str_cat("\"", name, "\" not implemented for 'Half'"));
  Tensor r = f(ops::cast_if_needed(a, dt).to(DType::Float32), ops::cast_if_needed(b, dt).to(DType::Float32));
  return r.dtype() == DType::Float32 ? r.to(dt) : r;
}

using ops::check_out_autograd;  // NOTE [ In-place and out= plumbing ] (op_helpers.h)
using ops::inplace;

// out= of a functional result computed without autograd.
template <typename F>
Tensor& out_of(const char* name, Tensor& out, std::initializer_list<const Tensor*> ins, F compute) {
  check_out_autograd(name, ins);
  Tensor r;
  {
    autograd::NoGradGuard ng;
    r = compute();
  }
  return ops::write_out(out, r);
}

}  // namespace ft::binops

// Autograd recording of the family (derivatives_binary.cpp).
namespace ft::autograd {
enum class Bin2 { Maximum, Minimum, Fmax, Fmin, DivRounding, FloorDivide, Remainder, Fmod, Pow, Atan2, Hypot,
                  Copysign, Xlogy };
// Binary op with tensor operands a, b and result out.
void record_binary2(Bin2 k, const Tensor& a, const Tensor& b, Tensor& out);
// pow(self, Scalar exponent) and pow(Scalar base, exponent).
void record_pow_scalar_exp(const Tensor& self, const Scalar& exponent, Tensor& out);
void record_pow_scalar_base(const Scalar& base, const Tensor& exponent, Tensor& out);
// lerp with a Scalar weight (weight_t undefined) or a tensor weight.
void record_lerp(const Tensor& self, const Tensor& end, const Scalar& weight, const Tensor* weight_t, Tensor& out);
void record_addcmul(const Tensor& self, const Tensor& t1, const Tensor& t2, const Scalar& value, bool is_div,
                    Tensor& out);
void record_where(const Tensor& cond, const Tensor& self, const Tensor& other, Tensor& out);
void record_masked_fill(const Tensor& self, const Tensor& mask, Tensor& out);
}  // namespace ft::autograd
