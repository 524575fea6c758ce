// Intra-op parallelism: results are bitwise identical with 1 and 2 threads
// (NOTE [ Deterministic chunking ]), on sizes above the parallel grain and on
// non-contiguous layouts, and exceptions thrown in a chunk reach the caller.
#include <gtest/gtest.h>

#include <atomic>
#include <cstring>

#include "ft/autograd.h"
#include "ft/ops.h"
#include "ft/parallel.h"
#include "ft/provenance.h"

namespace {

ft::Tensor ramp(int64_t n, double scale) {
  ft::Tensor t = ft::empty({n}, ft::DType::Float32);
  float* p = t.data_ptr<float>();
  for (int64_t i = 0; i < n; ++i) p[i] = float(((i * 7919) % 2003) * scale - 3.0);
  return t;
}

bool bitwise_equal(const ft::Tensor& a, const ft::Tensor& b) {
  ft::Tensor x = a.contiguous(), y = b.contiguous();
  return x.sizes().vec() == y.sizes().vec() && x.dtype() == y.dtype() &&
         std::memcmp(x.data_ptr(), y.data_ptr(), size_t(x.numel() * x.element_size())) == 0;
}

template <typename F>
void expect_thread_invariant(F f) {
  int prev = ft::get_num_threads();
  ft::set_num_threads(1);
  ft::Tensor one = f();
  ft::set_num_threads(2);
  ft::Tensor two = f();
  ft::set_num_threads(3);  // more threads than cores: chunks still fixed
  ft::Tensor three = f();
  ft::set_num_threads(prev);
  EXPECT_TRUE(bitwise_equal(one, two));
  EXPECT_TRUE(bitwise_equal(one, three));
}

TEST(Parallel, ElementwiseContiguousAndStrided) {
  ft::Tensor a = ramp(300007, 0.003), b = ramp(300007, 0.001);
  expect_thread_invariant([&] { return a + b; });
  expect_thread_invariant([&] { return a.exp(); });
  expect_thread_invariant([&] { return a.tanh(); });
  ft::Tensor m = ramp(1000 * 301, 0.002).view({1000, 301}).t();  // (301, 1000) transposed
  expect_thread_invariant([&] { return m * m; });
  expect_thread_invariant([&] { return m.contiguous(); });
  expect_thread_invariant([&] { return m.sigmoid(); });
}

TEST(Parallel, ReductionsKeepTheirTree) {
  ft::Tensor a = ramp(1 << 20, 0.003);
  expect_thread_invariant([&] { return a.sum(); });
  ft::Tensor d = ramp(1 << 20, 0.001).to(ft::DType::Float64);
  expect_thread_invariant([&] { return d.sum(); });
  ft::Tensor rows = ramp(512 * 1024, 0.01).view({512, 1024});
  expect_thread_invariant([&] { return ft::softmax(rows, -1); });
  expect_thread_invariant([&] { return ft::log_softmax(rows, 1); });
  expect_thread_invariant([&] { return rows.sum({0}); });
}

// DAC promise 3: a backward pass gives bitwise-identical leaf gradients and
// the same provenance digest (every gradient hash, accumulation order) with 1
// and 2 threads. Sizes are above the parallel grain so kernels do split.
TEST(Parallel, BackwardIsThreadInvariant) {
  auto program = [] {
    ft::Tensor x = ramp(1 << 17, 0.0011).view({256, 512}).requires_grad_();
    ft::Tensor w = ramp(512 * 64, 0.0007).view({512, 64}).requires_grad_();
    ft::Tensor h = ft::mm(x, w).tanh();
    ft::Tensor s = ft::softmax(x * x.sigmoid(), 1);  // x used three times
    ft::Tensor y = h.sum() + (s * x).sum({0}).exp().mean() + ft::pow(x.sum({1}), ft::Scalar(2.0)).sum();
    std::vector<ft::autograd::Provenance> recs;
    {
      ft::autograd::ProvenanceRecorder rec(&recs);
      y.backward();
    }
    return std::make_tuple(recs.at(0).digest(), x.grad(), w.grad());
  };
  int prev = ft::get_num_threads();
  ft::set_num_threads(1);
  auto [d1, gx1, gw1] = program();
  ft::set_num_threads(2);
  auto [d2, gx2, gw2] = program();
  ft::set_num_threads(prev);
  EXPECT_EQ(d1, d2);
  EXPECT_TRUE(bitwise_equal(gx1, gx2));
  EXPECT_TRUE(bitwise_equal(gw1, gw2));
}

TEST(Parallel, SumMatchesSerialPairwiseValue) {
  // Compare against a plain double accumulation: the pairwise tree in double
  // must be at least as close to the exact value as the naive order.
  ft::Tensor a = ramp(1 << 18, 0.0007);
  const float* p = a.data_ptr<float>();
  long double exact = 0;
  for (int64_t i = 0; i < a.numel(); ++i) exact += p[i];
  double got = a.sum().item<float>();
  EXPECT_NEAR(got, double(exact), std::abs(double(exact)) * 1e-6 + 1e-3);
}

TEST(Parallel, ChunkExceptionsPropagate) {
  int prev = ft::get_num_threads();
  ft::set_num_threads(2);
  EXPECT_THROW(ft::parallel_for(0, 1 << 20, 1024,
                                [](int64_t b, int64_t) {
                                  if (b >= (1 << 19)) FT_CHECK(false, "chunk failed");
                                }),
               ft::Error);
  // The pool is still usable afterwards.
  int64_t covered = 0;
  std::atomic<int64_t> sum{0};
  ft::parallel_for(0, 100000, 1000, [&](int64_t b, int64_t e) { sum += e - b; });
  covered = sum.load();
  EXPECT_EQ(covered, 100000);
  ft::set_num_threads(prev);
  EXPECT_THROW(ft::set_num_threads(0), ft::Error);
}

}  // namespace
