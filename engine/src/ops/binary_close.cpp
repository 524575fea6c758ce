// isclose, allclose and equal.
//
// isclose follows ATen 1.13 step by step, integers included: close = a == b
// (or both NaN with equal_nan), else |a - b| <= atol + |rtol * b| with the
// whole comparison in the default float (float32) for integer/bool inputs
// (measured on 1.13: isclose(2**40 + 1, 2**40, rtol=0, atol=0.5) is True).
// equal: same sizes and every element equal after promotion (NaN != NaN).
#include <cmath>

#include "../kernels/cpu/binary_iter.h"

namespace ft {
namespace binops {

template <typename T>
using tol_t = std::conditional_t<std::is_floating_point_v<T>, T, float>;

Tensor isclose_compute(const Tensor& a, const Tensor& b, double rtol, double atol, bool equal_nan) {
  autograd::NoGradGuard ng;
  FT_CHECK(a.dtype() == b.dtype(), dtype_torch_name(a.dtype()), " did not match ", dtype_torch_name(b.dtype()));
  FT_CHECK(rtol >= 0, "rtol must be greater than or equal to zero, but got ", rtol);
  FT_CHECK(atol >= 0, "atol must be greater than or equal to zero, but got ", atol);
  DType dt = a.dtype();
  if (equal_nan && is_floating(dt)) {
    // ATen evaluates (self != self).__iand__(other != other): in place on
    // self's shape, so other must broadcast to self's shape.
    DimVector bs = broadcast_shapes(a.sizes(), b.sizes());
    FT_CHECK(bs.size() == a.sizes().size() && IntArrayRef(bs).equals(a.sizes()), "output with shape ",
             shape_str(a.sizes()), " doesn't match the broadcast shape ", shape_str(bs));
  }
  Plan2 p = plan2(a, b, dt, DType::Bool);
  const bool exact = rtol == 0 && atol == 0;
  FT_DISPATCH_EVERY(dt, "isclose", [&] { typed<scalar_t>([&](auto tag) {
    using T = typename decltype(tag)::type;
    if constexpr (is_reduced_float_v<T>) {
      // ATen's isclose is tensor ops in T: every step rounds to T (rtol and
      // atol too, as wrapped scalars cast to T).
      const float rt = float(T(rtol)), at = float(T(atol));
      kernels::binary_loop<T, bool>(p.out, p.a, p.sa, p.b, p.sb, [=](T x, T y) {
        const float xf = float(x), yf = float(y);
        bool close = xf == yf || (equal_nan && std::isnan(xf) && std::isnan(yf));
        if (exact || close) return close;
        const float allowed = float(T(at + float(T(std::abs(float(T(rt * yf)))))));
        const float actual = std::abs(float(T(xf - yf)));
        return std::isfinite(actual) && actual <= allowed;
      });
      return;
    }
    using F = tol_t<T>;
    const F rt = F(rtol), at = F(atol);
    kernels::binary_loop<T, bool>(p.out, p.a, p.sa, p.b, p.sb, [=](T x, T y) {
      bool close = x == y;
      if constexpr (std::is_floating_point_v<T>) {
        if (equal_nan && std::isnan(x) && std::isnan(y)) close = true;
      }
      if (exact || close) return close;
      F allowed = at + std::abs(rt * F(y));
      F actual;
      actual = std::abs(F(x) - F(y));  // integers: in float32, where 2^40 + 1 and 2^40 coincide
      return std::isfinite(actual) && actual <= allowed;
    });
  }); });
  return p.out;
}

bool equal_compute(const Tensor& a, const Tensor& b) {
  autograd::NoGradGuard ng;
  if (!a.sizes().equals(b.sizes())) return false;
  Tensor e = ft::eq(a, b);
  for (double v : e.to_double_vector())
    if (v == 0) return false;
  return true;
}

}  // namespace binops

Tensor isclose(const Tensor& a, const Tensor& b, double rtol, double atol, bool equal_nan) {
  FT_OP_SCOPE("isclose");
  return binops::isclose_compute(a, b, rtol, atol, equal_nan);
}
bool allclose(const Tensor& a, const Tensor& b, double rtol, double atol, bool equal_nan) {
  FT_OP_SCOPE("allclose");
  Tensor c = binops::isclose_compute(a, b, rtol, atol, equal_nan);
  for (double v : c.to_double_vector())
    if (v == 0) return false;
  return true;
}
bool equal(const Tensor& a, const Tensor& b) { FT_OP_SCOPE("equal"); return binops::equal_compute(a, b); }

Tensor Tensor::isclose(const Tensor& o, double rtol, double atol, bool equal_nan) const {
  return ft::isclose(*this, o, rtol, atol, equal_nan);
}
bool Tensor::allclose(const Tensor& o, double rtol, double atol, bool equal_nan) const {
  return ft::allclose(*this, o, rtol, atol, equal_nan);
}
bool Tensor::equal(const Tensor& o) const { return ft::equal(*this, o); }

}  // namespace ft
