// arange, linspace and logspace (ft/ops/creation.h), rounding like libtorch
// 1.13's CPU kernels value for value.
//
// NOTE [ Range roundings ]
// A range's elements are not computed one way: libtorch's AVX2 kernels for
// arange and linspace (built with -mfma, where GCC contracts a*b + c) write
// vectors of V = 32 bytes / sizeof(T) elements, two at a time, and the
// elements after the last full pair one by one. Measured against the oracle
// (every element of thousands of ranges, all dtypes), the roundings are:
//  - one element at index i: start + step * i as ONE fma (linspace's second
//    half: end - step * (steps - 1 - i), also one fma), in the accumulate type
//    (arange: double for floats, int64 for integers; linspace: the dtype
//    itself for floats, double for integers), then converted to T;
//  - a vector starting at index i: its first element as above (converted to
//    T), the others base + j * step: one fma for arange (in double, from the
//    T-rounded base), a separate product and sum for linspace; then
//    converted to T.
// Half and BFloat16 (vectors of 16): arange accumulates in float (ATen's
// acc_type); one element is one fma in float as above, but a vector's others
// are base + j * step with a separate product and sum (in float). linspace
// keeps start, end and step in the 16-bit type, whose c10 operators round
// every product and sum to it (step * i rounds i first, then the product,
// then the sum). logspace has a BFloat16 kernel only (no Half one in 1.13),
// whose end - start rounds to BFloat16 too.
// Which half of linspace a vector takes is decided by its first index. This
// file is compiled without fp contraction (engine/CMakeLists.txt) so that the
// product-then-sum roundings stay separate; the fused ones call std::fma.
// Ranges here are one chunk of libtorch's parallel_for (its grain is 32768
// elements): longer ones would restart the vector blocks at each chunk.
// logspace is a plain loop in libtorch (no vectors, no fma): base ** (start +
// step * i), or base ** (end - step * (steps - 1 - i)) in the second half.
#include <cmath>
#include <limits>

#include "creation_internal.h"

namespace ft {
namespace {

using namespace creation_detail;

constexpr int64_t kVecBytes = 32;  // AVX2, as libtorch's CPU capability here

// Fills p[0, n) from one(i) (the one-at-a-time rounding) and vec(base, j)
// (the j-th element of a vector whose first element is base = one(i)).
template <typename T, typename One, typename Vec>
void fill_blocked(T* p, int64_t n, One one, Vec vec) {
  constexpr int64_t V = kVecBytes / int64_t(sizeof(T));
  int64_t i = 0;
  for (; i + 2 * V <= n; i += 2 * V)
    for (int64_t b = i; b < i + 2 * V; b += V) {
      const T base = one(b);
      p[b] = base;
      for (int64_t j = 1; j < V; ++j) p[b + j] = vec(base, j);
    }
  for (; i < n; ++i) p[i] = one(i);
}

// Writes a freshly computed 1-D range into out (ATen: out keeps its shape
// when its numel already matches, else it is resized to (n)).
Tensor& range_out(Tensor& out, const Tensor& r) {
  if (out.numel() != r.numel()) return factory_out(out, r);
  FT_CHECK(!out.requires_grad() || !autograd::is_grad_enabled(),
           "functions with out=... arguments don't support automatic differentiation, but one of the arguments "
           "requires grad.");
  autograd::NoGradGuard ng;
  out.copy_(r.view(out.sizes()));
  return out;
}

// A fresh tensor filled with v, at version 0 (initialisation is no in-place write).
Tensor fill_fresh(Tensor& t, const Scalar& v) {
  t.fill_(v);
  t.impl()->set_version_counter(nullptr);
  return t;
}

using ops::checked_scalar_to;  // ATen converts bounds and steps with Scalar::to<T>(), which checks

// c10's Half and BFloat16 operators (+ - * / on two of them, or one and an
// integer) compute in float and round the result to the 16-bit type.
template <typename T>
T r16(float v) {
  return T(v);
}

// ---- arange ---------------------------------------------------------------------
Tensor arange_impl(const Scalar& start, const Scalar& end, const Scalar& step, DType dt) {
  FT_OP_SCOPE("arange");
  int64_t n = 0;
  Tensor t;
  auto check = [&](auto xstart, auto xend, auto xstep) {
    FT_CHECK(xstep > 0 || xstep < 0, "step must be nonzero");
    FT_CHECK(std::isfinite(double(xstart)) && std::isfinite(double(xend)), "unsupported range: ", xstart, " -> ",
             xend);
    FT_CHECK((xstep > 0 && xend >= xstart) || (xstep < 0 && xend <= xstart),
             "upper bound and larger bound inconsistent with step sign");
  };
  FT_DISPATCH_ALL_AND2(dt, "arange_cpu", [&] {
    using T = scalar_t;
    if constexpr (is_float_v<T>) {
      // ATen's acc_type: double, or float for the 16-bit floats
      using A = std::conditional_t<is_reduced_float_v<T>, float, double>;
      const A xstart = checked_scalar_to<A>(start), xend = checked_scalar_to<A>(end), xstep = checked_scalar_to<A>(step);
      check(xstart, xend, xstep);
      const double size_d = std::ceil((end.to_double() - start.to_double()) / step.to_double());
      FT_CHECK(size_d >= 0 && size_d <= double(std::numeric_limits<int64_t>::max()), "invalid size, possible overflow?");
      n = int64_t(size_d);
      t = empty({n}, dt);
      fill_blocked<T>(
          t.data_ptr<T>(), n, [&](int64_t i) { return T(std::fma(xstep, A(i), xstart)); },
          [&](T base, int64_t j) {
            if constexpr (is_reduced_float_v<T>) return T(A(base) + A(j) * xstep);  // not fused (measured)
            else return T(std::fma(A(j), xstep, A(base)));
          });
    } else {
      const int64_t xstart = checked_scalar_to<int64_t>(start), xend = checked_scalar_to<int64_t>(end),
                    xstep = checked_scalar_to<int64_t>(step);
      check(xstart, xend, xstep);
      double size_d;
      if constexpr (std::is_same_v<T, int64_t>) {
        const int64_t sgn = (xstep > 0) - (xstep < 0);
        size_d = double((xend - xstart + xstep - sgn) / xstep);
      } else {
        size_d = std::ceil((end.to_double() - start.to_double()) / step.to_double());
      }
      FT_CHECK(size_d >= 0 && size_d <= double(std::numeric_limits<int64_t>::max()), "invalid size, possible overflow?");
      n = int64_t(size_d);
      t = empty({n}, dt);
      fill_blocked<T>(
          t.data_ptr<T>(), n, [&](int64_t i) { return T(xstart + xstep * i); },
          [&](T base, int64_t j) { return T(int64_t(base) + j * xstep); });
    }
  });
  return t;
}

DType arange_dtype(std::initializer_list<const Scalar*> args, OptDTypeArg dtype) {
  if (dtype) return *dtype;
  for (const Scalar* s : args)
    if (s->is_floating_point()) return DType::Float32;
  return DType::Int64;
}

// ---- linspace ---------------------------------------------------------------------
Tensor linspace_impl(const Scalar& start, const Scalar& end, int64_t steps, DType dt) {
  FT_CHECK(steps >= 0, "number of steps must be non-negative");
  Tensor t = empty({steps}, dt);
  // 0 or 1 steps need no kernel (so any dtype, bool too, takes them)
  if (steps <= 1) return steps ? fill_fresh(t, start) : t;
  FT_DISPATCH_ALL_AND2(dt, "linspace_cpu", [&] {
    using T = scalar_t;
    T* p = t.data_ptr<T>();
    const T s = checked_scalar_to<T>(start), e = checked_scalar_to<T>(end);
    const int64_t half = steps / 2;
    if constexpr (is_reduced_float_v<T>) {
      // step is a T too, and every product and sum (the vectors' base + j * step
      // included) rounds to T (c10's 16-bit operators), so nothing fuses.
      auto mul = [](T a, int64_t k) { return r16<T>(float(a) * float(T(float(k)))); };
      const T step = r16<T>(float(r16<T>(float(e) - float(s))) / float(T(float(steps - 1))));
      fill_blocked<T>(
          p, steps,
          [&](int64_t i) {
            return i < half ? r16<T>(float(s) + float(mul(step, i))) : r16<T>(float(e) - float(mul(step, steps - i - 1)));
          },
          [&](T base, int64_t j) { return r16<T>(float(base) + float(mul(step, j))); });
    } else if constexpr (std::is_floating_point_v<T>) {
      const T step = (e - s) / T(steps - 1);
      fill_blocked<T>(
          p, steps,
          [&](int64_t i) { return i < half ? std::fma(step, T(i), s) : std::fma(-step, T(steps - i - 1), e); },
          [&](T base, int64_t j) { return base + T(j) * step; });
    } else {
      const double step = (double(e) - double(s)) / double(steps - 1);
      fill_blocked<T>(
          p, steps,
          [&](int64_t i) {
            return T(i < half ? std::fma(step, double(i), double(s)) : std::fma(-step, double(steps - i - 1), double(e)));
          },
          [&](T base, int64_t j) { return T(double(base) + double(j) * step); });
    }
  });
  return t;
}

// ---- logspace ---------------------------------------------------------------------
Tensor logspace_impl(const Scalar& start, const Scalar& end, int64_t steps, double base, DType dt) {
  FT_CHECK(steps >= 0, "number of steps must be non-negative");
  Tensor t = empty({steps}, dt);
  if (steps <= 1) return steps ? fill_fresh(t, Scalar(std::pow(base, start.to_double()))) : t;
  // libtorch 1.13 has no Half kernel here (BFloat16 only)
  FT_DISPATCH_ALL_AND_BF16(dt, "logspace_cpu", [&] {
    using T = scalar_t;
    T* p = t.data_ptr<T>();
    // integers raise a float base (libtorch keeps it from promoting to double)
    const double b = is_float_v<T> ? base : double(float(base));
    const T s = checked_scalar_to<T>(start), e = checked_scalar_to<T>(end);
    // e - s: an int for integer T (no wrap), rounded to T for BFloat16
    double diff;
    if constexpr (is_reduced_float_v<T>) diff = float(r16<T>(float(e) - float(s)));
    else diff = double(e - s);
    const double step = diff / double(steps - 1);
    const int64_t half = steps / 2;
    for (int64_t i = 0; i < steps; ++i)
      p[i] = T(i < half ? std::pow(b, double(s) + step * double(i)) : std::pow(b, double(e) - step * double(steps - i - 1)));
  });
  return t;
}

}  // namespace

Tensor arange(const Scalar& end, OptDTypeArg dtype, OptLayoutArg layout, OptDeviceArg device, OptPinArg pin_memory) {
  return arange(Scalar(int64_t(0)), end, Scalar(int64_t(1)), dtype, layout, device, pin_memory);
}

Tensor arange(const Scalar& start, const Scalar& end, const Scalar& step, OptDTypeArg dtype, OptLayoutArg layout,
              OptDeviceArg device, OptPinArg pin_memory) {
  check_options(layout, device, pin_memory, std::nullopt);
  return arange_impl(start, end, step, arange_dtype({&start, &end, &step}, dtype));
}

Tensor& arange_out(Tensor& out, const Scalar& end) { return arange_out(out, Scalar(int64_t(0)), end, Scalar(int64_t(1))); }

Tensor& arange_out(Tensor& out, const Scalar& start, const Scalar& end, const Scalar& step) {
  return range_out(out, arange_impl(start, end, step, out.dtype()));
}

Tensor linspace(const Scalar& start, const Scalar& end, int64_t steps, OptDTypeArg dtype, OptLayoutArg layout,
                OptDeviceArg device, OptPinArg pin_memory) {
  check_options(layout, device, pin_memory, std::nullopt);
  return linspace_impl(start, end, steps, dtype.value_or(DType::Float32));
}

Tensor& linspace_out(Tensor& out, const Scalar& start, const Scalar& end, int64_t steps) {
  return range_out(out, linspace_impl(start, end, steps, out.dtype()));
}

Tensor logspace(const Scalar& start, const Scalar& end, int64_t steps, double base, OptDTypeArg dtype,
                OptLayoutArg layout, OptDeviceArg device, OptPinArg pin_memory) {
  check_options(layout, device, pin_memory, std::nullopt);
  return logspace_impl(start, end, steps, base, dtype.value_or(DType::Float32));
}

Tensor& logspace_out(Tensor& out, const Scalar& start, const Scalar& end, int64_t steps, double base) {
  return range_out(out, logspace_impl(start, end, steps, base, out.dtype()));
}

}  // namespace ft
