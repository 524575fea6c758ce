// maximum/minimum (NaN-propagating) and fmax/fmin (NaN-ignoring), functional,
// method and out= (PyTorch 1.13 has no in-place forms). All dtypes, bool too.
// The sign of zero on (+0, -0) ties follows NOTE [ Vector and scalar paths ].
#include <cmath>
#include <limits>

#include "../kernels/cpu/binary_iter.h"

namespace ft {
namespace binops {

enum class Ext { Max, Min, Fmax, Fmin };

// tie_second: fmax/fmin of equal operands (-0 and +0) return the second,
// as libtorch's Half and BFloat16 kernels do (its float ones return the first).
Tensor extremum(Ext op, const Tensor& a, const Tensor& b, bool tie_second = false) {
  autograd::NoGradGuard ng;
  DType dt = result_type(a, b);
  const char* name = op == Ext::Max ? "maximum_cpu" : op == Ext::Min ? "minimum_cpu" : op == Ext::Fmax ? "fmax_cpu"
                                                                                                       : "fmin_cpu";
  if (is_reduced_float(dt) && (op == Ext::Max || op == Ext::Min)) {
    // maximum/minimum walk the 16-bit tensors, so the scalar/vector split of
    // a tie between -0 and +0 falls where ATen's 16-lane vectors put it.
    Plan2 p = plan2(a, b, dt, dt);
    auto run = [&](auto zero) {
      using B = decltype(zero);
      const B qnan = B(std::numeric_limits<float>::quiet_NaN());
      const bool mx = op == Ext::Max;
      kernels::binary_loop_tio<B, B>(
          p.out, p.a, p.sa, p.b, p.sb,
          [=](B x, B y) {  // std::max / std::min: the first on a tie
            const float u = float(x), v = float(y);
            return (u != u || v != v) ? qnan : ((mx ? u < v : v < u) ? y : x);
          },
          [=](B x, B y) {  // vector maximum / minimum: the second on a tie
            const float u = float(x), v = float(y);
            return (u != u || v != v) ? qnan : ((mx ? u > v : u < v) ? x : y);
          });
    };
    if (dt == DType::Float16) run(Half(0.f));
    else run(BFloat16(0.f));
    return p.out;
  }
  if (is_reduced_float(dt))
    return via_float32(dt, name, true, a, b,
                       [op](const Tensor& x, const Tensor& y) { return extremum(op, x, y, /*tie_second=*/true); });
  Plan2 p = plan2(a, b, dt, dt);
  FT_DISPATCH_ALL_AND_BOOL(dt, name, [&] {
    using T = scalar_t;
    if constexpr (std::is_floating_point_v<T>) {
      constexpr T qnan = std::numeric_limits<T>::quiet_NaN();
      switch (op) {
        // scalar: std::max/std::min keep the first operand on ties; AVX2 max/min keep the second.
        case Ext::Max:
          kernels::binary_loop_tio<T, T>(
              p.out, p.a, p.sa, p.b, p.sb,
              [](T x, T y) { return (std::isnan(x) || std::isnan(y)) ? qnan : (x < y ? y : x); },
              [](T x, T y) { return (std::isnan(x) || std::isnan(y)) ? qnan : (x > y ? x : y); });
          break;
        case Ext::Min:
          kernels::binary_loop_tio<T, T>(
              p.out, p.a, p.sa, p.b, p.sb,
              [](T x, T y) { return (std::isnan(x) || std::isnan(y)) ? qnan : (y < x ? y : x); },
              [](T x, T y) { return (std::isnan(x) || std::isnan(y)) ? qnan : (x < y ? x : y); });
          break;
        // fmax/fmin: the non-NaN operand; on ties the first (both paths),
        // or the second for the 16-bit floats (tie_second).
        case Ext::Fmax:
          kernels::binary_loop<T, T>(p.out, p.a, p.sa, p.b, p.sb, [tie_second](T x, T y) {
            return std::isnan(x) ? y : std::isnan(y) ? x : (x < y || (tie_second && x == y) ? y : x);
          });
          break;
        case Ext::Fmin:
          kernels::binary_loop<T, T>(p.out, p.a, p.sa, p.b, p.sb, [tie_second](T x, T y) {
            return std::isnan(x) ? y : std::isnan(y) ? x : (y < x || (tie_second && x == y) ? y : x);
          });
          break;
      }
    } else {
      bool is_max = op == Ext::Max || op == Ext::Fmax;
      if (is_max) kernels::binary_loop<T, T>(p.out, p.a, p.sa, p.b, p.sb, [](T x, T y) { return x < y ? y : x; });
      else kernels::binary_loop<T, T>(p.out, p.a, p.sa, p.b, p.sb, [](T x, T y) { return y < x ? y : x; });
    }
  });
  return p.out;
}

autograd::Bin2 grad_kind(Ext op) {
  switch (op) {
    case Ext::Max: return autograd::Bin2::Maximum;
    case Ext::Min: return autograd::Bin2::Minimum;
    case Ext::Fmax: return autograd::Bin2::Fmax;
    case Ext::Fmin: return autograd::Bin2::Fmin;
  }
  return autograd::Bin2::Maximum;
}

}  // namespace binops

#define FT_EXTREMUM(fn, NAME, K)                                                                    \
  Tensor fn(const Tensor& a, const Tensor& b) {                                                     \
    FT_OP_SCOPE(NAME);                                                                              \
    Tensor out = binops::extremum(binops::Ext::K, a, b);                                            \
    autograd::record_binary2(binops::grad_kind(binops::Ext::K), a, b, out);                         \
    return out;                                                                                     \
  }                                                                                                 \
  Tensor& fn##_out(Tensor& out, const Tensor& a, const Tensor& b) {                                 \
    FT_OP_SCOPE(NAME);                                                                              \
    return binops::out_of(NAME, out, {&a, &b}, [&] { return binops::extremum(binops::Ext::K, a, b); }); \
  }                                                                                                 \
  Tensor Tensor::fn(const Tensor& o) const { return ft::fn(*this, o); }
FT_EXTREMUM(maximum, "maximum", Max)
FT_EXTREMUM(minimum, "minimum", Min)
FT_EXTREMUM(fmax, "fmax", Fmax)
FT_EXTREMUM(fmin, "fmin", Fmin)
#undef FT_EXTREMUM

}  // namespace ft
