// Matrix-vector and vector products: mv, addmv, dot, vdot, addr, outer/ger,
// inner, and trace. mv/addmv/dot run one BLAS call for floats; addr is a
// pointwise kernel with promotion (a TensorIterator op in ATen); outer and
// inner are composites, as in PyTorch.
#include "../kernels/cpu/binary_iter.h"
#include "linalg_internal.h"

namespace ft {
namespace linalg {

void check_mv_shapes(int64_t self_dim, const Tensor& mat, const Tensor& vec) {
  FT_CHECK(mat.dim() == 2 && vec.dim() == 1 && self_dim <= 1, "vector + matrix @ vector expected, got ", self_dim, ", ",
           mat.dim(), ", ", vec.dim());
}

// ATen 1.13's mv is addmv_ into an empty result typed like vec, with beta 0.
Tensor mv_compute(const Tensor& mat, const Tensor& vec) {
  check_mv_shapes(1, mat, vec);
  const int64_t M = mat.size(0), K = mat.size(1);
  FT_CHECK(K == vec.size(0), "size mismatch, got ", M, ", ", M, "x", K, ",", vec.size(0));
  if (M * K == 0) return zeros({M}, vec.dtype());
  Tensor out = empty({M}, product_dtype(mat, vec, false, true, "addmv_impl_cpu"));
  kernels::gemv(out, mat, vec, 1, 0);
  return out;
}

Tensor addmv_compute(const Tensor& self, const Tensor& mat, const Tensor& vec, const Scalar& beta,
                     const Scalar& alpha) {
  check_mv_shapes(self.dim(), mat, vec);
  const int64_t M = mat.size(0), K = mat.size(1);
  FT_CHECK(K == vec.size(0) && (M == self.numel() || self.numel() == 1), "size mismatch, got ", self.numel(), ", ", M,
           "x", K, ",", vec.size(0));
  const DType dt = vec.dtype();
  if (M * K == 0) {
    // ATen: mul_out(result, self, beta as a tensor of self's dtype), so the
    // result takes self's shape (resized) and beta is cast to self's dtype.
    if (is_zero(beta)) return zeros({M}, dt);
    Tensor r = ft::mul(self, scalar_tensor(beta, self.dtype()));
    FT_CHECK(ops::can_cast(r.dtype(), dt), "result type ", dtype_torch_name(r.dtype()),
             " can't be cast to the desired output type ", dtype_torch_name(dt));
    return ops::cast_if_needed(r, dt).contiguous();
  }
  product_dtype(mat, vec, false, true, "addmv_impl_cpu");
  Tensor out = empty({M}, dt);
  out.copy_(self.expand({M}));
  kernels::gemv(out, mat, vec, alpha, beta);
  return out;
}

void check_dot(const Tensor& a, const Tensor& b) {
  FT_CHECK(a.dim() == 1 && b.dim() == 1, "1D tensors expected, but got ", a.dim(), "D and ", b.dim(), "D tensors");
  FT_CHECK(a.dtype() == b.dtype(), "dot : expected both vectors to have same dtype, but found ",
           dtype_torch_name(a.dtype()), " and ", dtype_torch_name(b.dtype()));
  FT_CHECK(a.numel() == b.numel(), "inconsistent tensor size, expected tensor [", a.numel(), "] and src [", b.numel(),
           "] to have the same number of elements, but got ", a.numel(), " and ", b.numel(), " elements respectively");
}

Tensor dot_compute(const Tensor& a, const Tensor& b) {
  check_dot(a, b);
  FT_CHECK_KIND(ErrorKind::NotImplemented, a.dtype() != DType::Bool, "\"dot\" not implemented for 'Bool'");
  Tensor out = empty({}, a.dtype());
  kernels::dot(out, a, b);
  return out;
}

Tensor& dot_out_impl(const char* name, Tensor& out, const Tensor& a, const Tensor& b) {
  // ATen checks out's dtype against self's before the product's own checks.
  FT_CHECK(out.dtype() == a.dtype(), "result dtype ", dtype_torch_name(out.dtype()), " does not match input dtype ",
           dtype_torch_name(a.dtype()));
  return binops::out_of(name, out, {&a, &b}, [&] { return dot_compute(a, b); });
}

void check_1d(const Tensor& t, const char* arg, const char* fn) {
  FT_CHECK(t.dim() == 1, fn, ": Expected 1-D argument ", arg, ", but got ", t.dim(), "-D");
}

// ATen's check_addr_scalar, on the promoted dtype.
void check_addr_scalar(DType dt, const Scalar& s, const char* name) {
  FT_CHECK(!s.is_bool() || dt == DType::Bool, "Boolean ", name, " only supported for Boolean results.");
  FT_CHECK(is_floating(dt) || !s.is_floating_point(), "For integral input tensors, argument ", name,
           " must not be a floating point number.");
}

// beta * self + alpha * vec1 vec2^T elementwise over the broadcast (n, m);
// beta == 0 ignores self. Bool: (beta && self) || (alpha && v1 && v2).
Tensor addr_compute(const Tensor& self, const Tensor& v1, const Tensor& v2, const Scalar& beta, const Scalar& alpha) {
  check_1d(v1, "vec1", "addr");
  check_1d(v2, "vec2", "addr");
  const DimVector shape{v1.size(0), v2.size(0)};
  const Tensor s = self.expand(shape);
  const DType dt = promote_types(promote_types(self.dtype(), v1.dtype()), v2.dtype());
  check_addr_scalar(dt, beta, "beta");
  check_addr_scalar(dt, alpha, "alpha");
  binops::Plan3 p = binops::plan3(s, v1.reshape({v1.size(0), 1}), v2, dt, dt, dt, dt);
  FT_DISPATCH_EVERY(dt, "addr_cpu", [&] {
    binops::typed<scalar_t>([&](auto tag) {
      using T = typename decltype(tag)::type;
      const T be = ops::checked_scalar_to<T>(beta), al = ops::checked_scalar_to<T>(alpha);  // Scalar::to<T>(), checked
      if constexpr (is_reduced_float_v<T>) {
        // libtorch's 16-bit addr kernel uses the type's own arithmetic: every product and the sum round to T.
        const float bf = float(be), af = float(al);
        if (bf == 0.f)
          kernels::ternary_loop<T, T, T, T>(p.out, p.a, p.sa, p.b, p.sb, p.c, p.sc,
                                            [af](T, T y, T z) { return T(float(T(af * float(y))) * float(z)); });
        else
          kernels::ternary_loop<T, T, T, T>(p.out, p.a, p.sa, p.b, p.sb, p.c, p.sc, [bf, af](T x, T y, T z) {
            return T(float(T(bf * float(x))) + float(T(float(T(af * float(y))) * float(z))));
          });
      } else if constexpr (std::is_same_v<T, bool>) {
        kernels::ternary_loop<T, T, T, T>(p.out, p.a, p.sa, p.b, p.sb, p.c, p.sc,
                                          [be, al](T x, T y, T z) { return (be && x) || (al && y && z); });
      } else if constexpr (std::is_floating_point_v<T>) {
        if (be == T(0))
          kernels::ternary_loop<T, T, T, T>(p.out, p.a, p.sa, p.b, p.sb, p.c, p.sc,
                                            [al](T, T y, T z) { return al * y * z; });
        else
          kernels::ternary_loop<T, T, T, T>(p.out, p.a, p.sa, p.b, p.sb, p.c, p.sc,
                                            [be, al](T x, T y, T z) { return be * x + al * y * z; });
      } else {
        using U = std::make_unsigned_t<T>;  // integer overflow wraps
        kernels::ternary_loop<T, T, T, T>(p.out, p.a, p.sa, p.b, p.sb, p.c, p.sc, [be, al](T x, T y, T z) {
          return be == T(0) ? T(U(al) * U(y) * U(z)) : T(U(be) * U(x) + U(al) * U(y) * U(z));
        });
      }
    });
  });
  return p.out;
}

// trace: the diagonal summed in ATen's accumulator (double for floats,
// int64 for integers, which also type the result).
Tensor trace_compute(const Tensor& self) {
  FT_CHECK_KIND(ErrorKind::NotImplemented, self.dtype() != DType::Bool, "\"trace\" not implemented for 'Bool'");
  FT_CHECK(self.dim() == 2, "trace: expected a matrix, but got tensor with dim ", self.dim());
  const int64_t n = std::min(self.size(0), self.size(1)), step = self.stride(0) + self.stride(1);
  Tensor out;
  FT_DISPATCH_ALL(self.dtype(), "trace", [&] {
    using T = scalar_t;
    const T* p = self.data_ptr<T>();
    if constexpr (std::is_floating_point_v<T>) {
      double acc = 0;
      for (int64_t i = 0; i < n; ++i) acc += double(p[i * step]);
      out = scalar_tensor(T(acc), self.dtype());
    } else {
      uint64_t acc = 0;
      for (int64_t i = 0; i < n; ++i) acc += uint64_t(int64_t(p[i * step]));
      out = scalar_tensor(int64_t(acc), DType::Int64);
    }
  });
  return out;
}

}  // namespace linalg

// ---- mv / addmv ----------------------------------------------------------------------------
Tensor mv(const Tensor& mat, const Tensor& vec) {
  FT_OP_SCOPE("mv");
  Tensor out;
  {
    autograd::NoGradGuard ng;
    out = linalg::mv_compute(mat, vec);
  }
  autograd::record_mv(mat, vec, out);
  return out;
}
Tensor& mv_out(Tensor& out, const Tensor& mat, const Tensor& vec) {
  FT_OP_SCOPE("mv");
  return linalg::structured_out("mv", out, {&mat, &vec}, [&] { return linalg::mv_compute(mat, vec); });
}
Tensor Tensor::mv(const Tensor& vec) const { return ft::mv(*this, vec); }
FT_ADD_PRODUCT(addmv, "addmv", Addmv)

// ---- dot / vdot (real dtypes: vdot is dot under its own grad_fn name) ------------------------
Tensor dot(const Tensor& a, const Tensor& b) {
  FT_OP_SCOPE("dot");
  Tensor out = linalg::dot_compute(a, b);
  autograd::record_dot(a, b, false, out);
  return out;
}
Tensor vdot(const Tensor& a, const Tensor& b) {
  FT_OP_SCOPE("vdot");
  Tensor out = linalg::dot_compute(a, b);
  autograd::record_dot(a, b, true, out);
  return out;
}
Tensor& dot_out(Tensor& out, const Tensor& a, const Tensor& b) {
  FT_OP_SCOPE("dot");
  return linalg::dot_out_impl("dot", out, a, b);
}
Tensor& vdot_out(Tensor& out, const Tensor& a, const Tensor& b) {
  FT_OP_SCOPE("vdot");
  return linalg::dot_out_impl("vdot", out, a, b);
}
Tensor Tensor::dot(const Tensor& o) const { return ft::dot(*this, o); }
Tensor Tensor::vdot(const Tensor& o) const { return ft::vdot(*this, o); }

// ---- addr ----------------------------------------------------------------------------------
Tensor addr(const Tensor& s, const Tensor& v1, const Tensor& v2, const Scalar& beta, const Scalar& alpha) {
  FT_OP_SCOPE("addr");
  Tensor out;
  {
    autograd::NoGradGuard ng;
    out = linalg::addr_compute(s, v1, v2, beta, alpha);
  }
  autograd::record_add_product(autograd::AddProduct::Addr, s, v1, v2, beta, alpha, out);
  return out;
}
Tensor& addr_out(Tensor& out, const Tensor& s, const Tensor& v1, const Tensor& v2, const Scalar& beta,
                 const Scalar& alpha) {
  FT_OP_SCOPE("addr");
  return binops::out_of("addr", out, {&s, &v1, &v2}, [&] { return linalg::addr_compute(s, v1, v2, beta, alpha); });
}
Tensor Tensor::addr(const Tensor& v1, const Tensor& v2, const Scalar& beta, const Scalar& alpha) const {
  return ft::addr(*this, v1, v2, beta, alpha);
}
// In place (TensorIterator semantics): broadcast into self, safe casts only.
Tensor& Tensor::addr_(const Tensor& v1, const Tensor& v2, const Scalar& beta, const Scalar& alpha) {
  FT_OP_SCOPE("addr_");
  return ops::inplace(*this, {&v1, &v2}, [&](const Tensor& s) { return ft::addr(s, v1, v2, beta, alpha); });
}

// ---- outer / ger / inner (composites) --------------------------------------------------------
Tensor outer(const Tensor& a, const Tensor& b) {
  FT_OP_SCOPE("outer");
  linalg::check_1d(a, "self", "outer");
  linalg::check_1d(b, "vec2", "outer");
  return a.reshape({a.size(0), 1}) * b;
}
Tensor& outer_out(Tensor& out, const Tensor& a, const Tensor& b) {
  FT_OP_SCOPE("outer");
  linalg::check_1d(a, "self", "outer");
  linalg::check_1d(b, "vec2", "outer");
  return ft::mul_out(out, a.reshape({a.size(0), 1}), b);
}
Tensor ger(const Tensor& a, const Tensor& b) { return ft::outer(a, b); }
Tensor& ger_out(Tensor& out, const Tensor& a, const Tensor& b) { return ft::outer_out(out, a, b); }
Tensor Tensor::outer(const Tensor& b) const { return ft::outer(*this, b); }
Tensor Tensor::ger(const Tensor& b) const { return ft::outer(*this, b); }

namespace linalg {
// inner: a product when either side is 0-dim, else tensordot over the last dims.
bool inner_is_mul(const Tensor& a, const Tensor& b) {
  if (a.dim() == 0 || b.dim() == 0) return true;
  FT_CHECK(a.size(-1) == b.size(-1), "inner() the last dimension must match on both input tensors but got shapes ",
           shape_str(a.sizes()), " and ", shape_str(b.sizes()));
  return false;
}
}  // namespace linalg

Tensor inner(const Tensor& a, const Tensor& b) {
  FT_OP_SCOPE("inner");
  return linalg::inner_is_mul(a, b) ? a * b : ft::tensordot(a, b, {-1}, {-1});
}
Tensor& inner_out(Tensor& out, const Tensor& a, const Tensor& b) {
  FT_OP_SCOPE("inner");
  return linalg::inner_is_mul(a, b) ? ft::mul_out(out, a, b) : ft::tensordot_out(out, a, b, {-1}, {-1});
}
Tensor Tensor::inner(const Tensor& b) const { return ft::inner(*this, b); }

// ---- trace ---------------------------------------------------------------------------------
Tensor trace(const Tensor& self) {
  FT_OP_SCOPE("trace");
  Tensor out = linalg::trace_compute(self);
  autograd::record_trace(self, out);
  return out;
}
Tensor Tensor::trace() const { return ft::trace(*this); }

}  // namespace ft
