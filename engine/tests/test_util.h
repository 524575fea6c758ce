// Shared helpers for the engine unit tests: tensor construction from literal
// values, element access, error assertions, a naive matmul reference and a
// central finite-difference gradient. Everything is `inline` because the test
// executable is a unity build (file-level statics would collide).
#pragma once

#include <gtest/gtest.h>

#include <cmath>
#include <functional>
#include <string>
#include <vector>

#include "ft/autograd.h"
#include "ft/ops.h"
#include "ft/tensor.h"

namespace ft::test {

// A contiguous tensor holding `v` (row-major) with shape `sizes`.
inline Tensor make(const std::vector<double>& v, IntArrayRef sizes, DType dt = DType::Float32) {
  return from_vector(v, sizes, dt);
}
// 1-D shorthand.
inline Tensor vec(const std::vector<double>& v, DType dt = DType::Float32) {
  return from_vector(v, {int64_t(v.size())}, dt);
}
// arange(n) as `dt` reshaped to `sizes` (values 0, 1, 2, ...).
inline Tensor iota(IntArrayRef sizes, DType dt = DType::Float32) {
  int64_t n = 1;
  for (int64_t s : sizes) n *= s;
  std::vector<double> v(static_cast<size_t>(n));
  for (int64_t i = 0; i < n; ++i) v[size_t(i)] = double(i);
  return from_vector(v, sizes, dt);
}
// Deterministic pseudo-random values in [-1, 1) (an LCG; no engine RNG involved).
inline Tensor rand_tensor(IntArrayRef sizes, DType dt = DType::Float64, uint64_t seed = 1) {
  int64_t n = 1;
  for (int64_t s : sizes) n *= s;
  std::vector<double> v(static_cast<size_t>(n));
  uint64_t st = seed * 6364136223846793005ULL + 1442695040888963407ULL;
  for (auto& x : v) {
    st = st * 6364136223846793005ULL + 1442695040888963407ULL;
    x = double((st >> 11) & ((uint64_t(1) << 20) - 1)) / double(uint64_t(1) << 19) - 1.0;
  }
  return from_vector(v, sizes, dt);
}

inline std::vector<double> values(const Tensor& t) { return t.to_double_vector(); }
inline std::vector<int64_t> shape(const Tensor& t) { return t.sizes().vec(); }
inline std::vector<int64_t> strides_of(const Tensor& t) { return t.strides().vec(); }
inline bool same_storage(const Tensor& a, const Tensor& b) {
  return a.impl()->storage().get() == b.impl()->storage().get();
}

// Element-wise closeness; NaN matches NaN, infinities must match exactly.
inline ::testing::AssertionResult all_close(const std::vector<double>& got, const std::vector<double>& want,
                                            double rtol = 1e-6, double atol = 1e-6) {
  if (got.size() != want.size())
    return ::testing::AssertionFailure() << "size " << got.size() << " != " << want.size();
  for (size_t i = 0; i < got.size(); ++i) {
    double g = got[i], w = want[i];
    if (std::isnan(w)) {
      if (!std::isnan(g)) return ::testing::AssertionFailure() << "[" << i << "] got " << g << ", want nan";
      continue;
    }
    if (std::isinf(w)) {
      if (g != w) return ::testing::AssertionFailure() << "[" << i << "] got " << g << ", want " << w;
      continue;
    }
    if (!(std::fabs(g - w) <= atol + rtol * std::fabs(w)))
      return ::testing::AssertionFailure() << "[" << i << "] got " << g << ", want " << w;
  }
  return ::testing::AssertionSuccess();
}
inline ::testing::AssertionResult tensor_close(const Tensor& got, const Tensor& want, double rtol = 1e-6,
                                               double atol = 1e-6) {
  if (!got.sizes().equals(want.sizes()))
    return ::testing::AssertionFailure() << "shape " << shape_str(got.sizes()) << " != " << shape_str(want.sizes());
  return all_close(values(got), values(want), rtol, atol);
}

// Runs fn and checks it throws ft::Error of `kind` whose message contains `needle`.
inline ::testing::AssertionResult throws_error(const std::function<void()>& fn, ErrorKind kind,
                                               const std::string& needle) {
  try {
    fn();
  } catch (const Error& e) {
    std::string msg = e.what();
    if (e.kind() != kind)
      return ::testing::AssertionFailure() << "kind " << error_kind_name(e.kind()) << " != " << error_kind_name(kind)
                                           << " (message: " << msg << ")";
    if (msg.find(needle) == std::string::npos)
      return ::testing::AssertionFailure() << "message '" << msg << "' does not contain '" << needle << "'";
    return ::testing::AssertionSuccess();
  } catch (const std::exception& e) {
    return ::testing::AssertionFailure() << "threw a non-ft::Error: " << e.what();
  }
  return ::testing::AssertionFailure() << "did not throw";
}
#define FT_EXPECT_ERROR(stmt, kind, needle) \
  EXPECT_TRUE(::ft::test::throws_error([&] { (void)(stmt); }, (kind), (needle)))

// Naive (..., n, k) @ (..., k, m) on row-major value vectors with batch
// broadcasting; returns values of the broadcast (..., n, m) result.
inline std::vector<double> naive_bmm(const std::vector<double>& a, std::vector<int64_t> as,
                                     const std::vector<double>& b, std::vector<int64_t> bs,
                                     std::vector<int64_t>* out_shape) {
  const int64_t n = as[as.size() - 2], k = as.back(), m = bs.back();
  std::vector<int64_t> ab(as.begin(), as.end() - 2), bb(bs.begin(), bs.end() - 2);
  size_t nb = std::max(ab.size(), bb.size());
  while (ab.size() < nb) ab.insert(ab.begin(), 1);
  while (bb.size() < nb) bb.insert(bb.begin(), 1);
  std::vector<int64_t> batch(nb);
  int64_t total = 1;
  for (size_t i = 0; i < nb; ++i) {
    batch[i] = std::max(ab[i], bb[i]);
    total *= batch[i];
  }
  std::vector<double> out(size_t(total * n * m), 0.0);
  for (int64_t bi = 0; bi < total; ++bi) {
    // Decompose bi into a batch index, then map to a/b offsets (size-1 dims broadcast).
    int64_t rem = bi, aoff = 0, boff = 0, astr = 1, bstr = 1;
    for (size_t d = nb; d-- > 0;) {
      int64_t idx = rem % batch[d];
      rem /= batch[d];
      aoff += (ab[d] == 1 ? 0 : idx) * astr;
      boff += (bb[d] == 1 ? 0 : idx) * bstr;
      astr *= ab[d];
      bstr *= bb[d];
    }
    for (int64_t i = 0; i < n; ++i)
      for (int64_t j = 0; j < m; ++j) {
        double acc = 0;
        for (int64_t q = 0; q < k; ++q) acc += a[size_t((aoff * n + i) * k + q)] * b[size_t((boff * k + q) * m + j)];
        out[size_t((bi * n + i) * m + j)] = acc;
      }
  }
  if (out_shape) {
    *out_shape = batch;
    out_shape->push_back(n);
    out_shape->push_back(m);
  }
  return out;
}

// Central finite differences of the scalar function f at x (float64):
// d f / d x_i ~ (f(x + h e_i) - f(x - h e_i)) / 2h. Runs under no_grad.
inline std::vector<double> numeric_grad(const std::function<Tensor(const Tensor&)>& f, const Tensor& x,
                                        double h = 1e-6) {
  autograd::NoGradGuard ng;
  std::vector<double> base = values(x);
  std::vector<double> g(base.size());
  for (size_t i = 0; i < base.size(); ++i) {
    std::vector<double> p = base, m = base;
    p[i] += h;
    m[i] -= h;
    double fp = f(from_vector(p, x.sizes(), x.dtype())).item<double>();
    double fm = f(from_vector(m, x.sizes(), x.dtype())).item<double>();
    g[i] = (fp - fm) / (2 * h);
  }
  return g;
}

// The analytic gradient of scalar f at x (a fresh float64 leaf).
inline std::vector<double> analytic_grad(const std::function<Tensor(const Tensor&)>& f, const Tensor& x) {
  Tensor leaf = x.detach().clone();
  leaf.requires_grad_(true);
  Tensor y = f(leaf);
  y.backward();
  EXPECT_TRUE(leaf.grad().defined());
  EXPECT_TRUE(leaf.grad().sizes().equals(leaf.sizes()));
  return values(leaf.grad());
}

// Compares analytic and numeric gradients of f at x.
inline ::testing::AssertionResult gradcheck(const std::function<Tensor(const Tensor&)>& f, const Tensor& x,
                                            double tol = 1e-5) {
  return all_close(analytic_grad(f, x), numeric_grad(f, x), tol, tol);
}

}  // namespace ft::test
