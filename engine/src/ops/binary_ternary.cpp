// Three-operand pointwise ops: lerp (Scalar or tensor weight), addcmul,
// addcdiv, where(condition, self, other) and masked_fill(self, mask, value),
// in their functional, method, in-place and out= forms.
//
// lerp wants one float dtype for all operands (no promotion); addcmul and
// addcdiv promote over all three tensors and take value= in that dtype;
// where promotes self/other and wants a bool condition; masked_fill keeps
// self's dtype and wants a bool mask.
#include <cmath>

#include "../kernels/cpu/binary_iter.h"

namespace ft {
namespace binops {

// ATen 1.13's lerp: self + w (end - self) for w < 0.5 (no abs: a negative
// weight takes this branch too, which decides inf/NaN results), else
// end - (end - self)(1 - w).
template <typename T>
inline T lerp1(T s, T e, T w) {
  return w < T(0.5) ? s + w * (e - s) : e - (e - s) * (T(1) - w);
}

// caffe2::TypeMeta names, as PyTorch's lerp messages print them.
const char* meta_name(DType t) {
  switch (t) {
    case DType::Float32: return "float";
    case DType::Float64: return "double";
    case DType::Int64: return "long int";
    case DType::Int32: return "int";
    case DType::Bool: return "bool";
    default: return dtype_name(t);
  }
}

void check_lerp_dtypes(const Tensor& self, const Tensor& end, const Tensor* weight) {
  FT_CHECK(self.dtype() == end.dtype(), "expected dtype ", meta_name(self.dtype()),
           " for `end` but got dtype ", meta_name(end.dtype()));
  if (weight)
    FT_CHECK(self.dtype() == weight->dtype(), "expected dtype ", meta_name(self.dtype()),
             " for `weight` but got dtype ", meta_name(weight->dtype()));
}

Tensor lerp_scalar(const Tensor& self, const Tensor& end, const Scalar& weight) {
  autograd::NoGradGuard ng;
  check_lerp_dtypes(self, end, nullptr);
  DType dt = self.dtype();
  // BFloat16: weight and arithmetic in float, one rounding (checked against the oracle).
  if (is_reduced_float(dt))
    return via_float32(dt, "lerp_kernel_scalar", false, self, end,
                       [&](const Tensor& s, const Tensor& e) { return lerp_scalar(s, e, weight); });
  Plan2 p = plan2(self, end, dt, dt);
  FT_DISPATCH_FLOATING(dt, "lerp_kernel_scalar", [&] {
    using T = scalar_t;
    const T w = ops::checked_scalar_to<T>(weight);  // ATen: weight.to<opmath_t>(), checked (1e39 overflows float)
    kernels::binary_loop<T, T>(p.out, p.a, p.sa, p.b, p.sb, [w](T s, T e) { return lerp1(s, e, w); });
  });
  return p.out;
}

Tensor lerp_tensor(const Tensor& self, const Tensor& end, const Tensor& weight) {
  autograd::NoGradGuard ng;
  check_lerp_dtypes(self, end, &weight);
  DType dt = self.dtype();
  if (is_reduced_float(dt))
    return via_float32(dt, "lerp_kernel_tensor", false, self, end, [&](const Tensor& s, const Tensor& e) {
      return lerp_tensor(s, e, weight.to(DType::Float32));
    });
  Plan3 p = plan3(self, end, weight, dt, dt, dt, dt);
  FT_DISPATCH_FLOATING(dt, "lerp_kernel_tensor", [&] {
    using T = scalar_t;
    kernels::ternary_loop<T, T, T, T>(p.out, p.a, p.sa, p.b, p.sb, p.c, p.sc, [](T s, T e, T w) { return lerp1(s, e, w); });
  });
  return p.out;
}

Tensor addc(bool is_div, const Tensor& self, const Tensor& t1, const Tensor& t2, const Scalar& value) {
  autograd::NoGradGuard ng;
  if (is_div)
    FT_CHECK(!(is_integral(t1.dtype(), true) && is_integral(t2.dtype(), true)),
             "Integer division with addcdiv is no longer supported, and in a future  release addcdiv will perform "
             "a true division of tensor1 and tensor2. The historic addcdiv behavior can be implemented as "
             "(input + value * torch.trunc(tensor1 / tensor2)).to(input.dtype) for integer inputs and as "
             "(input + value * tensor1 / tensor2) for float inputs. The future addcdiv behavior is just the latter "
             "implementation: (input + value * tensor1 / tensor2), for all dtypes.");
  DType dt = result_type_n({&self, &t1, &t2});
  FT_CHECK_KIND(ErrorKind::NotImplemented, dt != DType::Bool, "\"", is_div ? "addcdiv_cpu_out" : "addcmul_cpu_out",
                "\" not implemented for 'Bool'");
  // BFloat16: value and arithmetic in float, one rounding (checked against the oracle).
  if (is_reduced_float(dt))
    return via_float32(dt, is_div ? "addcdiv_cpu_out" : "addcmul_cpu_out", false, self, t1,
                       [&](const Tensor& s, const Tensor& x) {
                         return addc(is_div, s, x, ops::cast_if_needed(t2, dt).to(DType::Float32), value);
                       });
  ops::check_scalar_fits(value, dt);
  Plan3 p = plan3(self, t1, t2, dt, dt, dt, dt);
  FT_DISPATCH_ALL(dt, is_div ? "addcdiv_cpu_out" : "addcmul_cpu_out", [&] { typed<scalar_t>([&](auto tag) {
    using T = typename decltype(tag)::type;
    const T v = value.to<T>();
    if constexpr (std::is_floating_point_v<T>) {
      if (is_div)
        kernels::ternary_loop<T, T, T, T>(p.out, p.a, p.sa, p.b, p.sb, p.c, p.sc,
                                          [v](T s, T x, T y) { return s + v * x / y; });
      else
        kernels::ternary_loop<T, T, T, T>(p.out, p.a, p.sa, p.b, p.sb, p.c, p.sc,
                                          [v](T s, T x, T y) { return s + v * x * y; });
    } else {
      using U = std::make_unsigned_t<T>;  // integer overflow wraps
      kernels::ternary_loop<T, T, T, T>(p.out, p.a, p.sa, p.b, p.sb, p.c, p.sc,
                                        [v](T s, T x, T y) { return T(U(s) + U(v) * U(x) * U(y)); });
    }
  }); });
  return p.out;
}

Tensor where_compute(const Tensor& cond, const Tensor& self, const Tensor& other) {
  autograd::NoGradGuard ng;
  FT_CHECK(cond.dtype() == DType::Bool, "where expected condition to be a boolean tensor, but got a tensor with dtype ",
           dtype_torch_name(cond.dtype()));
  DType dt = result_type(self, other);
  Plan3 p = plan3(cond, self, other, DType::Bool, dt, dt, dt);
  FT_DISPATCH_EVERY(dt, "where_cpu", [&] {
    using T = scalar_t;
    kernels::ternary_loop<T, bool, T, T>(p.out, p.a, p.sa, p.b, p.sb, p.c, p.sc,
                                         [](bool c, T x, T y) { return c ? x : y; });
  });
  return p.out;
}

// Out of place: self and mask broadcast together; the result is contiguous.
Tensor masked_fill_compute(const Tensor& self, const Tensor& mask, const Scalar& value) {
  autograd::NoGradGuard ng;
  FT_CHECK(mask.dtype() == DType::Bool, "masked_fill_ only supports boolean masks, but got mask with dtype ",
           dtype_torch_name(mask.dtype()));
  DType dt = self.dtype();
  DimVector shape = broadcast_shapes(self.sizes(), mask.sizes());
  Tensor out = empty(shape, dt);
  DimVector ss = ops::expanded_strides(self, shape), sm = ops::expanded_strides(mask, shape);
  ops::check_scalar_fits(value, dt);
  FT_DISPATCH_EVERY(dt, "masked_fill", [&] {
    using T = scalar_t;
    const T v = value.to<T>();
    kernels::ternary_loop<T, T, bool, bool>(out, self, ss, mask, sm, mask, sm,
                                            [v](T x, bool m, bool) { return m ? v : x; });
  });
  return out;
}

}  // namespace binops

// ---- lerp ----------------------------------------------------------------------------------
Tensor lerp(const Tensor& s, const Tensor& e, const Scalar& w) {
  FT_OP_SCOPE("lerp");
  Tensor out = binops::lerp_scalar(s, e, w);
  autograd::record_lerp(s, e, w, nullptr, out);
  return out;
}
Tensor lerp(const Tensor& s, const Tensor& e, const Tensor& w) {
  FT_OP_SCOPE("lerp");
  Tensor out = binops::lerp_tensor(s, e, w);
  autograd::record_lerp(s, e, 0, &w, out);
  return out;
}
Tensor& lerp_out(Tensor& out, const Tensor& s, const Tensor& e, const Scalar& w) {
  FT_OP_SCOPE("lerp");
  return binops::out_of("lerp", out, {&s, &e}, [&] { return binops::lerp_scalar(s, e, w); });
}
Tensor& lerp_out(Tensor& out, const Tensor& s, const Tensor& e, const Tensor& w) {
  FT_OP_SCOPE("lerp");
  return binops::out_of("lerp", out, {&s, &e, &w}, [&] { return binops::lerp_tensor(s, e, w); });
}
Tensor Tensor::lerp(const Tensor& e, const Scalar& w) const { return ft::lerp(*this, e, w); }
Tensor Tensor::lerp(const Tensor& e, const Tensor& w) const { return ft::lerp(*this, e, w); }
Tensor& Tensor::lerp_(const Tensor& e, const Scalar& w) {
  FT_OP_SCOPE("lerp_");
  return binops::inplace(*this, {&e}, [&](const Tensor& s) { return ft::lerp(s, e, w); });
}
Tensor& Tensor::lerp_(const Tensor& e, const Tensor& w) {
  FT_OP_SCOPE("lerp_");
  return binops::inplace(*this, {&e, &w}, [&](const Tensor& s) { return ft::lerp(s, e, w); });
}

// ---- addcmul / addcdiv -------------------------------------------------------------------------
#define FT_ADDC(fn, NAME, DIV)                                                                         \
  Tensor fn(const Tensor& s, const Tensor& t1, const Tensor& t2, const Scalar& v) {                    \
    FT_OP_SCOPE(NAME);                                                                                 \
    Tensor out = binops::addc(DIV, s, t1, t2, v);                                                      \
    autograd::record_addcmul(s, t1, t2, v, DIV, out);                                                  \
    return out;                                                                                        \
  }                                                                                                    \
  Tensor& fn##_out(Tensor& out, const Tensor& s, const Tensor& t1, const Tensor& t2, const Scalar& v) { \
    FT_OP_SCOPE(NAME);                                                                                 \
    /* 1.13 trips an internal assert (needs_dynamic_casting) when out's dtype differs from the common  \
       dtype of the inputs; raise as well so that error parity holds. */                              \
    FT_CHECK(out.dtype() == binops::result_type_n({&s, &t1, &t2}),                                     \
             "!needs_dynamic_casting<func_t>::check(iter) INTERNAL ASSERT FAILED (" NAME "_out with an out= " \
             "dtype other than the inputs' common dtype)");                                            \
    return binops::out_of(NAME, out, {&s, &t1, &t2}, [&] { return binops::addc(DIV, s, t1, t2, v); });  \
  }                                                                                                    \
  Tensor Tensor::fn(const Tensor& t1, const Tensor& t2, const Scalar& v) const { return ft::fn(*this, t1, t2, v); } \
  Tensor& Tensor::fn##_(const Tensor& t1, const Tensor& t2, const Scalar& v) {                          \
    FT_OP_SCOPE(NAME "_");                                                                             \
    FT_CHECK(dtype() == binops::result_type_n({this, &t1, &t2}),                                       \
             "!needs_dynamic_casting<func_t>::check(iter) INTERNAL ASSERT FAILED (" NAME "_ on a tensor " \
             "whose dtype differs from the inputs' common dtype)");                                     \
    return binops::inplace(*this, {&t1, &t2}, [&](const Tensor& s) { return ft::fn(s, t1, t2, v); });   \
  }
FT_ADDC(addcmul, "addcmul", false)
FT_ADDC(addcdiv, "addcdiv", true)
#undef FT_ADDC

// ---- where / masked_fill ---------------------------------------------------------------------------
Tensor where(const Tensor& c, const Tensor& s, const Tensor& o) {
  FT_OP_SCOPE("where");
  Tensor out = binops::where_compute(c, s, o);
  autograd::record_where(c, s, o, out);
  return out;
}
// ATen makes the scalar a tensor of the result dtype, converting it (checked) even for an empty condition.
Tensor where(const Tensor& c, const Tensor& s, const Scalar& o) {
  ops::check_scalar_fits(o, result_type(s, o));
  return ft::where(c, s, binops::wrap(o));
}
Tensor where(const Tensor& c, const Scalar& s, const Tensor& o) {
  ops::check_scalar_fits(s, result_type(o, s));
  return ft::where(c, binops::wrap(s), o);
}
Tensor& where_out(Tensor& out, const Tensor& c, const Tensor& s, const Tensor& o) {
  FT_OP_SCOPE("where");
  return binops::out_of("where", out, {&s, &o}, [&] { return binops::where_compute(c, s, o); });
}
Tensor Tensor::where(const Tensor& c, const Tensor& o) const { return ft::where(c, *this, o); }

Tensor masked_fill(const Tensor& s, const Tensor& m, const Scalar& v) {
  FT_OP_SCOPE("masked_fill");
  Tensor out = binops::masked_fill_compute(s, m, v);
  autograd::record_masked_fill(s, m, out);
  return out;
}
Tensor Tensor::masked_fill(const Tensor& m, const Scalar& v) const { return ft::masked_fill(*this, m, v); }
// In place without autograd: v is written straight into self where the mask
// holds, so an expanded (self-overlapping) self works as in 1.13 (a
// deprecation warning there, not an error): an aliased element ends up v
// when any of its positions is masked.
Tensor& Tensor::masked_fill_(const Tensor& m, const Scalar& v) {
  FT_OP_SCOPE("masked_fill_");
  bool track = autograd::is_grad_enabled() && requires_grad();
  if (track) return binops::inplace(*this, {}, [&](const Tensor& s) { return ft::masked_fill(s, m, v); });
  ops::check_inplace_autograd(*this);
  FT_CHECK(m.dtype() == DType::Bool, "masked_fill_ only supports boolean masks, but got mask with dtype ",
           dtype_torch_name(m.dtype()));
  DimVector bs = broadcast_shapes(sizes(), m.sizes());
  FT_CHECK(bs.size() == sizes().size() && IntArrayRef(bs).equals(sizes()), "output with shape ",
           shape_str(sizes()), " doesn't match the broadcast shape ", shape_str(bs));
  DimVector sm = ops::expanded_strides(m, sizes());
  Tensor& self = *this;
  ops::check_scalar_fits(v, dtype());
  FT_DISPATCH_EVERY(dtype(), "masked_fill_", [&] {
    using T = scalar_t;
    const T val = v.to<T>();
    kernels::ternary_loop<T, T, bool, bool>(self, self, self.strides(), m, sm, m, sm,
                                            [val](T x, bool k, bool) { return k ? val : x; });
  });
  impl()->bump_version();
  return *this;
}

}  // namespace ft
