// Shared checks and plumbing of the linear-algebra op family
// (engine/src/ops/linalg*.cpp). Named namespace ft::linalg: the engine is a
// unity build, so file-local helpers of different .cpp files must not clash.
#pragma once

#include "../autograd/record_linalg.h"
#include "../kernels/cpu/gemm.h"
#include "op_helpers.h"

namespace ft::binops {
const char* meta_name(DType t);  // caffe2::TypeMeta names ("float", "long int"), binary_ternary.cpp
}

namespace ft::linalg {

// NOTE [ Trivial products ]
// libtorch checks operand dtypes only when there is arithmetic to do: an
// empty result or an empty contraction (K == 0) returns zeros without a
// dtype check, typed like the operand its kernel treats as the output's
// template (mm: self; mv and batched: the second operand, since matmul
// transposes those problems). Non-trivial products need equal dtypes and a
// kernel for the dtype (no bool).
inline DType product_dtype(const Tensor& a, const Tensor& b, bool trivial, bool take_b, const char* kernel) {
  if (trivial) return take_b ? b.dtype() : a.dtype();
  FT_CHECK(a.dtype() == b.dtype(), "expected scalar type ", dtype_torch_name(a.dtype()), " but found ",
           dtype_torch_name(b.dtype()));
  // libtorch 1.13's CPU products take BFloat16 but not Half.
  FT_CHECK_KIND(ErrorKind::NotImplemented, a.dtype() != DType::Bool && a.dtype() != DType::Float16, "\"", kernel,
                "\" not implemented for '", dtype_torch_name(a.dtype()), "'");
  return a.dtype();
}

inline void append(DimVector& to, const DimVector& from) {
  for (int64_t v : from) to.push_back(v);
}

// ATen's `beta.toComplexDouble() == 0.0`.
inline bool is_zero(const Scalar& s) { return s.is_bool() ? !s.to_bool() : s.to_double() == 0.0; }

// The beta * self start of an add* product, cast to dt and laid out
// contiguously in `shape`; with beta == 0 an uninitialized buffer (its values
// are never read). ATen 1.13 scales with mul_(beta) when there is nothing to
// add (empty contraction or no batches): a floating beta on an integer
// result then raises the in-place cast error.
inline Tensor scaled_start(const Tensor& self, IntArrayRef shape, DType dt, const Scalar& beta, bool only_scale) {
  if (is_zero(beta)) return only_scale ? zeros(shape, dt) : empty(shape, dt);
  Tensor out = empty(shape, dt);
  out.copy_(self.expand(shape));
  if (only_scale) out.mul_(beta);
  return out;
}

// Structured out= forms (bmm, mm-like, mv-like) want out's dtype exactly.
inline void check_out_dtype(const Tensor& out, DType dt) {
  FT_CHECK(out.dtype() == dt, "Expected out tensor to have dtype ", binops::meta_name(dt), ", but got ",
           binops::meta_name(out.dtype()), " instead");
}

template <typename F>
Tensor& structured_out(const char* name, Tensor& out, std::initializer_list<const Tensor*> ins, F compute) {
  return ops::structured_out(name, out, ins, compute, binops::meta_name);
}

// In-place forms of the structured products (addmm_, baddbmm_, addbmm_,
// addmv_): the result must have self's shape and dtype exactly (ATen's
// "Bad in-place call"), no broadcasting or casting into self.
template <typename F>
Tensor& strict_inplace(Tensor& self, std::initializer_list<const Tensor*> others, F functional) {
  return ops::inplace(self, others, [&](const Tensor& s) {
    Tensor r = functional(s);
    FT_CHECK(r.sizes().equals(self.sizes()), "Bad in-place call: input tensor size ", shape_str(self.sizes()),
             " and output tensor size ", shape_str(r.sizes()), " should match");
    FT_CHECK(r.dtype() == self.dtype(), "Bad in-place call: input tensor dtype ", binops::meta_name(self.dtype()),
             " and output tensor dtype ", binops::meta_name(r.dtype()), " should match");
    return r;
  });
}

}  // namespace ft::linalg

// Functional, out=, method and in-place forms of one add* product whose
// result is computed by linalg::fn##_compute (left defined: with unity builds
// the header is included once for several .cpp files).
#define FT_ADD_PRODUCT(fn, NAME, KIND)                                                                                 \
  Tensor fn(const Tensor& s, const Tensor& m1, const Tensor& m2, const Scalar& beta, const Scalar& alpha) {            \
    FT_OP_SCOPE(NAME);                                                                                                 \
    Tensor out;                                                                                                        \
    {                                                                                                                  \
      autograd::NoGradGuard ng;                                                                                        \
      out = linalg::fn##_compute(s, m1, m2, beta, alpha);                                                              \
    }                                                                                                                  \
    autograd::record_add_product(autograd::AddProduct::KIND, s, m1, m2, beta, alpha, out);                             \
    return out;                                                                                                        \
  }                                                                                                                    \
  Tensor& fn##_out(Tensor& out, const Tensor& s, const Tensor& m1, const Tensor& m2, const Scalar& beta,               \
                   const Scalar& alpha) {                                                                              \
    FT_OP_SCOPE(NAME);                                                                                                 \
    return linalg::structured_out(NAME, out, {&s, &m1, &m2},                                                           \
                                  [&] { return linalg::fn##_compute(s, m1, m2, beta, alpha); });                       \
  }                                                                                                                    \
  Tensor Tensor::fn(const Tensor& m1, const Tensor& m2, const Scalar& beta, const Scalar& alpha) const {               \
    return ft::fn(*this, m1, m2, beta, alpha);                                                                         \
  }                                                                                                                    \
  Tensor& Tensor::fn##_(const Tensor& m1, const Tensor& m2, const Scalar& beta, const Scalar& alpha) {                 \
    FT_OP_SCOPE(NAME "_");                                                                                             \
    return linalg::strict_inplace(*this, {&m1, &m2}, [&](const Tensor& s) { return ft::fn(s, m1, m2, beta, alpha); }); \
  }
