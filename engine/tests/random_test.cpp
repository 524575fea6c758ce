// Engine-only tests of the random family: MT19937 against the reference
// sequence, determinism under manual_seed, state export/import, the normal
// cache, distribution sanity, in-place rules and dropout's gradient.
// (Bitwise parity with libtorch lives in properties/tests/rng_parity_test.cpp.)
#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <set>

#include "ft/autograd.h"
#include "ft/ops.h"
#include "ft/random.h"

namespace ft::random_test {

inline bool same_bytes(const Tensor& a, const Tensor& b) {
  Tensor ac = a.contiguous(), bc = b.contiguous();
  return a.sizes().vec() == b.sizes().vec() && a.dtype() == b.dtype() &&
         std::memcmp(ac.data_ptr(), bc.data_ptr(), size_t(ac.numel() * ac.element_size())) == 0;
}

TEST(Random, Mt19937MatchesReferenceSequence) {
  // The 10000th output of MT19937 seeded with 5489 is 4123659995 (C++ [rand.predef]).
  Mt19937 e(5489);
  uint32_t v = 0;
  for (int i = 0; i < 10000; ++i) v = e();
  EXPECT_EQ(v, 4123659995u);
  // First outputs for the default seed 5489.
  Mt19937 f(5489);
  EXPECT_EQ(f(), 3499211612u);
  EXPECT_EQ(f(), 581869302u);
}

TEST(Random, SeedUsesLow32BitsButRemembersFullSeed) {
  Generator a(0x100000007ULL), b(7);
  for (int i = 0; i < 100; ++i) EXPECT_EQ(a.random(), b.random());
  EXPECT_EQ(a.current_seed(), 0x100000007ULL);
}

TEST(Random, Random64IsTwoDrawsHighFirst) {
  Generator a(42), b(42);
  uint64_t hi = b.random(), lo = b.random();
  EXPECT_EQ(a.random64(), (hi << 32) | lo);
}

TEST(Random, ManualSeedMakesFactoriesDeterministic) {
  for (DType dt : {DType::Float32, DType::Float64}) {
    for (int64_t n : {0, 1, 7, 15, 16, 17, 33, 1000}) {
      manual_seed(123);
      Tensor a = rand({n}, dt), b = randn({n}, dt), c = randint(-5, 5, {n}), d = randperm(n);
      manual_seed(123);
      EXPECT_TRUE(same_bytes(a, rand({n}, dt)));
      EXPECT_TRUE(same_bytes(b, randn({n}, dt)));
      EXPECT_TRUE(same_bytes(c, randint(-5, 5, {n})));
      EXPECT_TRUE(same_bytes(d, randperm(n)));
    }
  }
}

TEST(Random, ExplicitGeneratorLeavesDefaultAlone) {
  manual_seed(5);
  Tensor before = default_generator().get_state();
  Generator g(99);
  Tensor x = rand({10}, {}, &g);
  EXPECT_TRUE(same_bytes(before, default_generator().get_state()));
  Generator h(99);
  EXPECT_TRUE(same_bytes(x, rand({10}, {}, &h)));
}

TEST(Random, StateRoundTripIncludingNormalCache) {
  Generator g(2024);
  Tensor warm = randn({3}, DType::Float64, &g);  // odd count: leaves a cached sample
  ASSERT_TRUE(g.next_double_normal_sample().has_value());
  Tensor st = g.get_state();
  EXPECT_EQ(st.numel(), Generator::kStateBytes);
  EXPECT_EQ(st.dtype(), DType::UInt8);
  Tensor a = randn({5}, DType::Float64, &g);
  Tensor u = rand({40}, {}, &g);
  Generator h(1);
  h.set_state(st);
  EXPECT_TRUE(same_bytes(a, randn({5}, DType::Float64, &h)));
  EXPECT_TRUE(same_bytes(u, rand({40}, {}, &h)));
  EXPECT_EQ(h.current_seed(), 2024u);
  // Exporting again gives the same bytes.
  Generator k(3);
  k.set_state(st);
  EXPECT_TRUE(same_bytes(st, k.get_state()));
}

TEST(Random, StateLayoutFields) {
  Generator g(77);
  Tensor st = g.get_state();
  const uint8_t* p = static_cast<const uint8_t*>(st.data_ptr());
  uint64_t seed;
  int32_t left, seeded;
  std::memcpy(&seed, p, 8);
  std::memcpy(&left, p + 8, 4);
  std::memcpy(&seeded, p + 12, 4);
  EXPECT_EQ(seed, 77u);
  EXPECT_EQ(left, 1);
  EXPECT_EQ(seeded, 1);
  uint64_t w0;
  std::memcpy(&w0, p + 24, 8);
  EXPECT_EQ(w0, 77u);  // state[0] is the seed itself
}

TEST(Random, SetStateRejectsBadInput) {
  Generator g;
  EXPECT_THROW(g.set_state(zeros({100}, DType::UInt8)), Error);
  EXPECT_THROW(g.set_state(zeros({Generator::kStateBytes}, DType::Float32)), Error);
  // Right size but left = 0 (an invalid engine).
  EXPECT_THROW(g.set_state(zeros({Generator::kStateBytes}, DType::UInt8)), Error);
  // Legacy size is accepted.
  Tensor st = g.get_state();
  Tensor legacy = st.narrow(0, 0, Generator::kLegacyStateBytes).contiguous();
  Generator h;
  h.set_state(legacy);
  EXPECT_EQ(h.random(), g.random());
}

TEST(Random, ManualSeedClearsNormalCache) {
  manual_seed(8);
  Tensor a = randn({1}, DType::Float64);
  EXPECT_TRUE(default_generator().next_double_normal_sample().has_value());
  manual_seed(8);
  EXPECT_FALSE(default_generator().next_double_normal_sample().has_value());
  EXPECT_TRUE(same_bytes(a, randn({1}, DType::Float64)));
}

TEST(Random, ScalarNormalPathUsesCachedPair) {
  // Two scalar draws = one Box-Muller pair: cos then sin of the same (u1, u2).
  Generator g(11), h(11);
  Tensor z = randn({2}, DType::Float64, &g);
  double u1 = double(h.random64() & ((uint64_t(1) << 53) - 1)) / 9007199254740992.0;
  double u2 = double(h.random64() & ((uint64_t(1) << 53) - 1)) / 9007199254740992.0;
  double r = std::sqrt(-2.0 * std::log(1.0 - u2));
  auto v = z.to_double_vector();
  EXPECT_EQ(v[0], r * std::cos(2.0 * 3.14159265358979323846 * u1));
  EXPECT_EQ(v[1], r * std::sin(2.0 * 3.14159265358979323846 * u1));
}

TEST(Random, VectorNormalPathDrawsTailTwice) {
  // n >= 16: n uniforms, plus 16 more when n % 16 != 0; the cache is untouched.
  for (int64_t n : {16, 17, 31, 32, 100}) {
    Generator g(5), h(5);
    Tensor z = randn({n}, DType::Float32, &g);
    int64_t draws = n + (n % 16 ? 16 : 0);
    for (int64_t i = 0; i < draws; ++i) h.random();
    EXPECT_EQ(g.random(), h.random()) << n;
    EXPECT_FALSE(g.next_double_normal_sample().has_value());
  }
}

TEST(Random, UniformRangeAndMoments) {
  Generator g(1);
  for (DType dt : {DType::Float32, DType::Float64}) {
    Tensor t = empty({20000}, dt);
    uniform_(t, -2, 3, &g);
    auto v = t.to_double_vector();
    double sum = 0;
    for (double x : v) {
      ASSERT_GE(x, -2);
      ASSERT_LT(x, 3);
      sum += x;
    }
    EXPECT_NEAR(sum / double(v.size()), 0.5, 0.05);
  }
}

TEST(Random, NormalMoments) {
  Generator g(2);
  for (DType dt : {DType::Float32, DType::Float64}) {
    for (int64_t n : {15, 20001}) {  // scalar and vector paths
      double s = 0, s2 = 0;
      int64_t total = 0;
      for (int rep = 0; rep < (n < 16 ? 2000 : 1); ++rep) {
        Tensor t = normal(1.5, 2.0, {n}, &g, dt);
        for (double x : t.to_double_vector()) {
          s += x;
          s2 += x * x;
          ++total;
        }
      }
      double mean = s / double(total), var = s2 / double(total) - mean * mean;
      EXPECT_NEAR(mean, 1.5, 0.06) << n;
      EXPECT_NEAR(var, 4.0, 0.15) << n;
    }
  }
}

TEST(Random, RandintRangeAndCoverage) {
  Generator g(3);
  Tensor t = randint(-3, 4, {5000}, DType::Int64, &g);
  std::set<int64_t> seen;
  for (double v : t.to_double_vector()) {
    ASSERT_GE(v, -3);
    ASSERT_LT(v, 4);
    seen.insert(int64_t(v));
  }
  EXPECT_EQ(seen.size(), 7u);
  EXPECT_THROW(randint(5, 5, {2}), Error);
  // A range of 2^40 uses 64-bit draws and still stays in range.
  Tensor big = randint(0, int64_t(1) << 40, {1000}, DType::Int64, &g);
  for (double v : big.to_double_vector()) ASSERT_LT(v, double(int64_t(1) << 40));
}

TEST(Random, RandpermIsAPermutation) {
  Generator g(4);
  for (int64_t n : {0, 1, 2, 10, 257, 5000}) {
    Tensor p = randperm(n, DType::Int64, &g);
    auto v = p.to_double_vector();
    std::set<double> s(v.begin(), v.end());
    EXPECT_EQ(int64_t(s.size()), n);
    if (n) {
      EXPECT_EQ(*s.begin(), 0);
      EXPECT_EQ(*s.rbegin(), double(n - 1));
    }
  }
  EXPECT_THROW(randperm(-1), Error);
}

TEST(Random, BernoulliRatesAndDtypes) {
  Generator g(6);
  Tensor t = empty({20000}, DType::Float32);
  bernoulli_(t, 0.3, &g);
  double s = 0;
  for (double v : t.to_double_vector()) {
    ASSERT_TRUE(v == 0 || v == 1);
    s += v;
  }
  EXPECT_NEAR(s / 20000, 0.3, 0.02);
  Tensor p = from_vector({0, 1, 0, 1}, {4}, DType::Float64);
  Tensor b = bernoulli(p, &g);
  EXPECT_EQ(b.dtype(), DType::Float64);
  EXPECT_EQ(b.to_double_vector(), (std::vector<double>{0, 1, 0, 1}));
  EXPECT_THROW(bernoulli_(t, 1.5, &g), Error);
}

TEST(Random, MultinomialRespectsSupportAndDistinctness) {
  Generator g(7);
  Tensor p = from_vector({0, 1, 0, 3, 0, 2}, {6});
  Tensor s = multinomial(p, 3, false, &g);
  auto v = s.to_double_vector();
  std::set<double> uniq(v.begin(), v.end());
  EXPECT_EQ(uniq, (std::set<double>{1, 3, 5}));
  Tensor r = multinomial(p, 2000, true, &g);
  int64_t counts[6] = {0, 0, 0, 0, 0, 0};
  for (double x : r.to_double_vector()) ++counts[int(x)];
  EXPECT_EQ(counts[0] + counts[2] + counts[4], 0);
  EXPECT_NEAR(double(counts[3]) / 2000, 0.5, 0.05);
  EXPECT_THROW(multinomial(p, 7, false, &g), Error);
  EXPECT_THROW(multinomial(from_vector({0, 0}, {2}), 1, false, &g), Error);
}

TEST(Random, InPlaceFillsBumpVersionAndRefuseGradLeaves) {
  Tensor t = zeros({4});
  uint32_t v0 = t._version();
  t.uniform_();
  t.normal_();
  t.bernoulli_(0.5);
  EXPECT_EQ(t._version(), v0 + 3);
  Tensor leaf = zeros({3}).requires_grad_(true);
  EXPECT_THROW(leaf.uniform_(), Error);
  EXPECT_THROW(leaf.normal_(), Error);
  {
    autograd::NoGradGuard ng;
    leaf.uniform_();  // allowed without grad mode
  }
  // Expanded outputs are refused (internal overlap).
  Tensor e = zeros({1}).expand({4});
  EXPECT_THROW(uniform_(e), Error);
}

TEST(Random, FillOfNonLeafGivesZeroGradient) {
  Tensor x = ones({3}).requires_grad_(true);
  Tensor y = x * 2.0;
  y.uniform_();
  EXPECT_EQ(y.grad_fn_name(), "UniformBackward0");
  y.sum().backward();
  EXPECT_EQ(x.grad().to_double_vector(), (std::vector<double>{0, 0, 0}));
}

TEST(Random, DropoutMaskScalingAndGradient) {
  Generator g(9);
  Tensor x = ones({1000}).requires_grad_(true);
  Tensor y = dropout(x, 0.25, true, &g);
  auto yv = y.to_double_vector();
  int64_t kept = 0;
  for (double v : yv) {
    ASSERT_TRUE(v == 0 || v == double(1.0f / 0.75f));
    kept += v != 0;
  }
  EXPECT_NEAR(double(kept) / 1000, 0.75, 0.05);
  y.sum().backward();
  EXPECT_EQ(x.grad().to_double_vector(), yv);  // d/dx (x * mask) = mask, and x = 1
  // Eval mode and p = 0 return the input itself; p = 1 zeros everything.
  EXPECT_TRUE(dropout(x, 0.5, false).is_same(x));
  EXPECT_TRUE(dropout(x, 0.0, true).is_same(x));
  for (double v : dropout(x, 1.0, true).to_double_vector()) EXPECT_EQ(v, 0);
  EXPECT_THROW(dropout(x, 1.5, true), Error);
}

TEST(Random, FeatureDropoutSharesMaskPerPlane) {
  Generator g(10);
  Tensor x = ones({4, 5, 3, 2});
  Tensor y = feature_dropout(x, 0.5, true, &g);
  auto v = y.to_double_vector();
  for (int64_t plane = 0; plane < 20; ++plane)
    for (int64_t k = 1; k < 6; ++k) EXPECT_EQ(v[size_t(plane * 6 + k)], v[size_t(plane * 6)]);
  EXPECT_THROW(feature_dropout(ones({3}), 0.5, true), Error);
}

TEST(Random, NonContiguousFillsFollowMemoryOrder) {
  // Filling a transposed view draws in memory order: the same bytes as
  // filling the contiguous base.
  Generator g(12), h(12);
  Tensor base = empty({5, 7});
  Tensor tv = base.t();
  uniform_(tv, 0, 1, &g);
  Tensor ref = rand({5, 7}, {}, &h);
  EXPECT_TRUE(same_bytes(base, ref));
}

}  // namespace ft::random_test
