// Bitwise RNG parity with libtorch 1.13: the same seed gives the same bytes
// from the engine's generator and from ATen's default CPU generator, for
// every random factory and fill, over many seeds and sizes (0..40 and a few
// large ones), f32 and f64, contiguous and strided outputs, and interleaved
// call sequences that exercise the cached normal sample. Exact equality only.
#include <gtest/gtest.h>

#include <ATen/ATen.h>
#include <ATen/CPUGeneratorImpl.h>

#include <cstring>
#include <random>
#include <vector>

#include "ft/autograd.h"
#include "ft/ops.h"
#include "ft/random.h"

namespace ft::rng_parity_test {

inline at::ScalarType to_at(DType dt) {
  switch (dt) {
    case DType::Float32: return at::kFloat;
    case DType::Float64: return at::kDouble;
    case DType::Int64: return at::kLong;
    case DType::Int32: return at::kInt;
    case DType::Int16: return at::kShort;
    case DType::Int8: return at::kChar;
    case DType::UInt8: return at::kByte;
    case DType::Bool: return at::kBool;
    default: break;
  }
  ADD_FAILURE() << "unmapped dtype";
  return at::kFloat;
}

// Same shape, same element size and identical bytes (logical order).
inline ::testing::AssertionResult same(const at::Tensor& a, const Tensor& b) {
  if (!a.defined() || !b.defined()) return ::testing::AssertionFailure() << "undefined tensor";
  std::vector<int64_t> as(a.sizes().begin(), a.sizes().end());
  if (as != b.sizes().vec()) return ::testing::AssertionFailure() << "shape differs";
  if (a.element_size() != b.element_size() || a.scalar_type() != to_at(b.dtype()))
    return ::testing::AssertionFailure() << "dtype differs";
  at::Tensor ac = a.contiguous();
  Tensor bc = b.contiguous();
  const size_t n = size_t(bc.numel() * bc.element_size());
  if (std::memcmp(ac.data_ptr(), bc.data_ptr(), n) != 0) {
    auto bv = bc.to_double_vector();
    at::Tensor ad = ac.to(at::kDouble);
    const double* av = ad.data_ptr<double>();
    for (size_t i = 0; i < bv.size(); ++i)
      if (std::memcmp(&av[i], &bv[i], sizeof(double)) != 0)
        return ::testing::AssertionFailure() << "first difference at " << i << ": libtorch " << av[i]
                                             << " engine " << bv[i];
    return ::testing::AssertionFailure() << "bytes differ";
  }
  return ::testing::AssertionSuccess();
}

// An engine tensor with a libtorch tensor's values (contiguous).
inline Tensor from_at(const at::Tensor& a) {
  at::Tensor ac = a.contiguous();
  DType dt = a.scalar_type() == at::kDouble ? DType::Float64 : DType::Float32;
  Tensor t = empty(std::vector<int64_t>(ac.sizes().begin(), ac.sizes().end()), dt);
  std::memcpy(t.data_ptr(), ac.data_ptr(), size_t(ac.numel() * ac.element_size()));
  return t;
}

inline void seed_both(uint64_t s) {
  at::manual_seed(s);
  ft::manual_seed(s);
}

inline std::vector<int64_t> sizes_to_test() {
  std::vector<int64_t> v;
  for (int64_t n = 0; n <= 40; ++n) v.push_back(n);
  for (int64_t n : {47, 48, 63, 100, 1000, 4097}) v.push_back(n);
  return v;
}

const DType kFloats[] = {DType::Float32, DType::Float64};
constexpr int kSeeds = 64;

inline uint64_t seed_at(int i) { return i < 4 ? uint64_t(i) : 0x9E3779B97F4A7C15ULL * uint64_t(i) >> (i % 40); }

TEST(RngParity, Mt19937StreamMatchesCPUGeneratorImpl) {
  for (int i = 0; i < 200; ++i) {
    uint64_t s = seed_at(i);
    at::CPUGeneratorImpl ag(s);
    Generator g(s);
    for (int k = 0; k < 1500; ++k) ASSERT_EQ(ag.random(), g.random()) << "seed " << s << " draw " << k;
    for (int k = 0; k < 100; ++k) ASSERT_EQ(ag.random64(), g.random64()) << "seed " << s;
  }
}

TEST(RngParity, RandMatches) {
  for (DType dt : kFloats)
    for (int i = 0; i < kSeeds; ++i)
      for (int64_t n : sizes_to_test()) {
        seed_both(seed_at(i));
        ASSERT_TRUE(same(at::rand({n}, at::TensorOptions(to_at(dt))), rand({n}, dt)))
            << dtype_name(dt) << " seed " << seed_at(i) << " n " << n;
      }
}

TEST(RngParity, RandnMatchesBothPaths) {
  for (DType dt : kFloats)
    for (int i = 0; i < kSeeds; ++i)
      for (int64_t n : sizes_to_test()) {
        seed_both(seed_at(i));
        ASSERT_TRUE(same(at::randn({n}, at::TensorOptions(to_at(dt))), randn({n}, dt)))
            << dtype_name(dt) << " seed " << seed_at(i) << " n " << n;
      }
}

TEST(RngParity, NormalWithMeanAndStdMatches) {
  const double params[][2] = {{0, 1}, {1.5, 2.0}, {-3.25, 0.1}, {1e3, 7.7}, {0.3, 0}};
  for (DType dt : kFloats)
    for (int i = 0; i < kSeeds; ++i)
      for (auto& ms : params)
        for (int64_t n : {1, 3, 15, 16, 17, 40, 1000}) {
          seed_both(seed_at(i));
          at::Tensor a = at::empty({n}, to_at(dt)).normal_(ms[0], ms[1]);
          Tensor b = empty({n}, dt);
          normal_(b, ms[0], ms[1]);
          ASSERT_TRUE(same(a, b)) << dtype_name(dt) << " mean " << ms[0] << " std " << ms[1] << " n " << n;
        }
}

TEST(RngParity, UniformRangesMatch) {
  const double ranges[][2] = {{0, 1}, {-1, 1}, {2.5, 3.75}, {-1e4, 3e4}, {5, 5}, {-0.1, 1e-3}};
  for (DType dt : kFloats)
    for (int i = 0; i < kSeeds; ++i)
      for (auto& r : ranges)
        for (int64_t n : {1, 7, 33, 500}) {
          seed_both(seed_at(i));
          at::Tensor a = at::empty({n}, to_at(dt)).uniform_(r[0], r[1]);
          Tensor b = empty({n}, dt);
          uniform_(b, r[0], r[1]);
          ASSERT_TRUE(same(a, b)) << dtype_name(dt) << " [" << r[0] << ", " << r[1] << ") n " << n;
        }
}

// Fills of strided outputs: transposed, sliced (gaps) and permuted 3-D views.
TEST(RngParity, StridedFillsMatch) {
  struct View {
    const char* name;
    std::vector<int64_t> base;
    std::function<at::Tensor(const at::Tensor&)> av;
    std::function<Tensor(const Tensor&)> fv;
  };
  std::vector<View> views = {
      {"t", {5, 7}, [](const at::Tensor& x) { return x.t(); }, [](const Tensor& x) { return x.t(); }},
      {"slice", {6, 9}, [](const at::Tensor& x) { return x.slice(1, 1, 8, 2); },
       [](const Tensor& x) { return x.slice(1, 1, 8, 2); }},
      {"permute", {3, 4, 5}, [](const at::Tensor& x) { return x.permute({2, 0, 1}); },
       [](const Tensor& x) { return x.permute({2, 0, 1}); }},
      // Contiguous with a storage offset: normal_ takes the vectorized path.
      {"row", {3, 20}, [](const at::Tensor& x) { return x.select(0, 1); }, [](const Tensor& x) { return x.select(0, 1); }},
      {"empty", {0, 4}, [](const at::Tensor& x) { return x.t(); }, [](const Tensor& x) { return x.t(); }},
      {"col", {20, 3}, [](const at::Tensor& x) { return x.select(1, 1); }, [](const Tensor& x) { return x.select(1, 1); }},
  };
  for (DType dt : kFloats)
    for (int i = 0; i < kSeeds; ++i)
      for (auto& v : views)
        for (int op = 0; op < 4; ++op) {
          seed_both(seed_at(i));
          at::Tensor abase = at::zeros(v.base, to_at(dt));
          Tensor fbase = zeros(v.base, dt);
          at::Tensor a = v.av(abase);
          Tensor f = v.fv(fbase);
          switch (op) {
            case 0: a.uniform_(-2, 3); uniform_(f, -2, 3); break;
            case 1: a.normal_(0.5, 2); normal_(f, 0.5, 2); break;
            case 2: a.bernoulli_(0.4); bernoulli_(f, 0.4); break;
            case 3: a.random_(-7, 100); random_(f, -7, 100); break;
          }
          ASSERT_TRUE(same(abase, fbase)) << v.name << " op " << op << " " << dtype_name(dt);
        }
}

TEST(RngParity, RandintMatches) {
  const int64_t ranges[][2] = {{0, 1},       {0, 2},   {-5, 5}, {3, 1000}, {0, int64_t(1) << 31},
                               {0, int64_t(1) << 32}, {-(int64_t(1) << 40), int64_t(1) << 40},
                               {std::numeric_limits<int64_t>::min() / 2, std::numeric_limits<int64_t>::max() / 2}};
  for (int i = 0; i < kSeeds; ++i)
    for (auto& r : ranges)
      for (int64_t n : {0, 1, 5, 31, 400}) {
        seed_both(seed_at(i));
        ASSERT_TRUE(same(at::randint(r[0], r[1], {n}), randint(r[0], r[1], {n})))
            << "[" << r[0] << ", " << r[1] << ") n " << n;
      }
  // Other dtypes: int32 and double (double uses 64-bit draws for big ranges).
  for (int i = 0; i < kSeeds; ++i) {
    seed_both(seed_at(i));
    ASSERT_TRUE(same(at::randint(-100, 100, {50}, at::kInt), randint(-100, 100, {50}, DType::Int32)));
    ASSERT_TRUE(same(at::randint(0, int64_t(1) << 33, {50}, at::kDouble),
                     randint(0, int64_t(1) << 33, {50}, DType::Float64)));
    ASSERT_TRUE(same(at::randint(0, 200, {50}, at::kByte), randint(0, 200, {50}, DType::UInt8)));
  }
}

TEST(RngParity, RandomNoRangeMatches) {
  const DType dts[] = {DType::Float32, DType::Float64, DType::Int64, DType::Int32, DType::Int16,
                       DType::Int8,    DType::UInt8,   DType::Bool};
  for (int i = 0; i < kSeeds; ++i)
    for (DType dt : dts) {
      seed_both(seed_at(i));
      at::Tensor a = at::empty({37}, to_at(dt)).random_();
      Tensor b = empty({37}, dt);
      random_(b);
      ASSERT_TRUE(same(a, b)) << dtype_name(dt);
    }
}

TEST(RngParity, RandpermMatches) {
  std::vector<int64_t> ns;
  for (int64_t n = 0; n <= 40; ++n) ns.push_back(n);
  for (int64_t n : {1000, 4097, 100000}) ns.push_back(n);
  for (int i = 0; i < kSeeds; ++i)
    for (int64_t n : ns) {
      seed_both(seed_at(i));
      ASSERT_TRUE(same(at::randperm(n), randperm(n))) << "seed " << seed_at(i) << " n " << n;
    }
  for (int i = 0; i < 4; ++i) {
    seed_both(seed_at(i));
    ASSERT_TRUE(same(at::randperm(300, at::kInt), randperm(300, DType::Int32)));
    ASSERT_TRUE(same(at::randperm(300, at::kDouble), randperm(300, DType::Float64)));
  }
}

TEST(RngParity, BernoulliScalarMatches) {
  const DType dts[] = {DType::Float32, DType::Float64, DType::Int64, DType::Bool, DType::UInt8};
  for (int i = 0; i < kSeeds; ++i)
    for (DType dt : dts)
      for (double p : {0.0, 0.1, 0.5, 0.999, 1.0})
        for (int64_t n : {1, 17, 300}) {
          seed_both(seed_at(i));
          at::Tensor a = at::empty({n}, to_at(dt)).bernoulli_(p);
          Tensor b = empty({n}, dt);
          bernoulli_(b, p);
          ASSERT_TRUE(same(a, b)) << dtype_name(dt) << " p " << p << " n " << n;
        }
}

TEST(RngParity, BernoulliTensorMatches) {
  for (DType dt : kFloats)
    for (int i = 0; i < kSeeds; ++i)
      for (int64_t n : {0, 1, 9, 40, 1000}) {
        seed_both(seed_at(i) + 1000);
        at::Tensor ap = at::rand({n}, at::TensorOptions(to_at(dt)));
        Tensor fp = from_at(ap);
        ft::rand({n}, dt);  // keep the engine generator in step
        ASSERT_TRUE(same(at::bernoulli(ap), bernoulli(fp))) << dtype_name(dt) << " n " << n;
        // A broadcast p into a strided self.
        at::Tensor arow = at::rand({1, 6}, at::TensorOptions(to_at(dt)));
        Tensor frow = from_at(arow);
        ft::rand({1, 6}, dt);
        at::Tensor abase = at::zeros({6, 4}, to_at(dt));
        Tensor fbase = zeros({6, 4}, dt);
        at::Tensor aview = abase.t();
        Tensor fview = fbase.t();
        aview.bernoulli_(arow);
        bernoulli_(fview, frow);
        ASSERT_TRUE(same(abase, fbase)) << dtype_name(dt);
      }
}

TEST(RngParity, MultinomialMatches) {
  for (DType dt : kFloats)
    for (int i = 0; i < kSeeds; ++i)
      for (int64_t cats : {1, 2, 5, 17, 200})
        for (bool repl : {false, true})
          for (int64_t ns : {1, 2, 5, 16}) {
            if (!repl && ns > cats) continue;
            seed_both(seed_at(i) + 77);
            // Probabilities with some exact zeros (ties in the exponential race).
            at::Tensor ap = at::rand({3, cats}, at::TensorOptions(to_at(dt)));
            ap = at::where(ap < 0.2, at::zeros_like(ap), ap);
            ap.select(1, 0).fill_(0.5);
            Tensor fp = from_at(ap);
            ft::rand({3, cats}, dt);
            ASSERT_TRUE(same(at::multinomial(ap, ns, repl), multinomial(fp, ns, repl, nullptr)))
                << dtype_name(dt) << " cats " << cats << " n " << ns << " repl " << repl;
            ASSERT_TRUE(same(at::multinomial(ap[1], ns, repl), multinomial(fp.select(0, 1), ns, repl, nullptr)))
                << "1-D " << dtype_name(dt) << " cats " << cats << " n " << ns << " repl " << repl;
          }
}

TEST(RngParity, MultinomialNonContiguousProbsMatch) {
  for (int i = 0; i < kSeeds; ++i) {
    seed_both(seed_at(i));
    at::Tensor ap = at::rand({7, 4}).t();  // (4, 7) transposed
    Tensor fp = from_at(ap.t()).t();
    ft::rand({7, 4});
    ASSERT_TRUE(same(at::multinomial(ap, 3, false), multinomial(fp, 3, false)));
    ASSERT_TRUE(same(at::multinomial(ap, 6, true), multinomial(fp, 6, true)));
  }
}

TEST(RngParity, DropoutMatchesForwardAndBackward) {
  for (DType dt : kFloats)
    for (int i = 0; i < kSeeds; ++i)
      for (double p : {0.0, 0.1, 0.5, 0.9, 1.0})
        for (int64_t n : {1, 16, 33, 1000}) {
          seed_both(seed_at(i));
          at::Tensor ax = at::randn({n}, at::TensorOptions(to_at(dt)));
          Tensor fx = from_at(ax);
          ft::randn({n}, dt);
          ax.requires_grad_(true);
          fx.requires_grad_(true);
          at::Tensor ay = at::dropout(ax, p, true);
          Tensor fy = dropout(fx, p, true);
          ASSERT_TRUE(same(ay.detach(), fy.detach())) << dtype_name(dt) << " p " << p << " n " << n;
          at::Tensor ag = at::linspace(-1, 1, n, at::TensorOptions(to_at(dt)));
          ay.backward(ag);
          fy.backward(from_at(ag));
          ASSERT_TRUE(same(ax.grad(), fx.grad())) << "grad " << dtype_name(dt) << " p " << p << " n " << n;
        }
}

TEST(RngParity, FeatureDropoutMatches) {
  for (DType dt : kFloats)
    for (int i = 0; i < kSeeds; ++i) {
      seed_both(seed_at(i));
      at::Tensor ax = at::rand({4, 6, 3, 5}, at::TensorOptions(to_at(dt)));
      Tensor fx = from_at(ax);
      ft::rand({4, 6, 3, 5}, dt);
      ASSERT_TRUE(same(at::feature_dropout(ax, 0.3, true), feature_dropout(fx, 0.3, true)));
    }
}

TEST(RngParity, StateBytesMatchGetRngState) {
  for (int i = 0; i < kSeeds; ++i) {
    seed_both(seed_at(i));
    // Leave a cached double normal sample (odd scalar-path count) and a
    // partially consumed engine.
    at::randn({3}, at::kDouble);
    ft::randn({3}, DType::Float64);
    at::rand({i + 1});
    ft::rand({i + 1});
    at::Tensor ast = at::detail::getDefaultCPUGenerator().get_state();
    Tensor fst = get_rng_state();
    ASSERT_EQ(ast.numel(), fst.numel());
    ASSERT_TRUE(same(ast, fst)) << "seed " << seed_at(i);
  }
}

TEST(RngParity, StateFromLibtorchDrivesEngine) {
  for (int i = 0; i < kSeeds; ++i) {
    at::manual_seed(seed_at(i));
    at::randn({5}, at::kDouble);
    at::Tensor ast = at::detail::getDefaultCPUGenerator().get_state();
    Tensor fst = empty({ast.numel()}, DType::UInt8);
    std::memcpy(fst.data_ptr(), ast.data_ptr(), size_t(ast.numel()));
    set_rng_state(fst);
    for (int64_t n : {1, 3, 20}) {
      ASSERT_TRUE(same(at::randn({n}, at::kDouble), randn({n}, DType::Float64)));
      ASSERT_TRUE(same(at::rand({n}), rand({n})));
    }
    // And back: the engine's state loaded into libtorch.
    Tensor st = get_rng_state();
    at::Tensor back = at::empty({st.numel()}, at::kByte);
    std::memcpy(back.data_ptr(), st.data_ptr(), size_t(st.numel()));
    at::Generator dg = at::detail::getDefaultCPUGenerator();  // shares the impl
    dg.set_state(back);
    ASSERT_TRUE(same(at::randn({7}, at::kDouble), randn({7}, DType::Float64)));
  }
}

TEST(RngParity, ExponentialMatches) {
  for (DType dt : kFloats)
    for (int i = 0; i < kSeeds; ++i)
      for (double lambd : {0.5, 1.0, 3.0})
        for (int64_t n : {1, 16, 333}) {
          seed_both(seed_at(i));
          at::Tensor a = at::empty({n}, to_at(dt)).exponential_(lambd);
          Tensor b = empty({n}, dt);
          exponential_(b, lambd);
          ASSERT_TRUE(same(a, b)) << dtype_name(dt) << " lambda " << lambd << " n " << n;
        }
}

TEST(RngParity, ExplicitGeneratorsMatch) {
  for (int i = 0; i < kSeeds; ++i) {
    at::Generator ag = at::detail::createCPUGenerator(seed_at(i));
    Generator g(seed_at(i));
    ASSERT_TRUE(same(at::randn({5}, ag, at::kDouble), randn({5}, DType::Float64, &g)));
    ASSERT_TRUE(same(at::rand({40}, ag), rand({40}, {}, &g)));
    ASSERT_TRUE(same(at::randperm(30, ag, at::kLong), randperm(30, DType::Int64, &g)));
  }
}

// Both sides refuse the same arguments with the same message text.
TEST(RngParity, ErrorsMatch) {
  auto expect_same_error = [](const char* what, std::function<void()> a, std::function<void()> f) {
    std::string am, fm;
    try { a(); } catch (const std::exception& e) { am = e.what(); }
    try { f(); } catch (const std::exception& e) { fm = e.what(); }
    ASSERT_FALSE(am.empty()) << what << ": libtorch did not throw";
    ASSERT_FALSE(fm.empty()) << what << ": engine did not throw";
    // ATen appends a C++ stack trace / source location; compare the first line's start.
    std::string first = am.substr(0, am.find('\n'));
    EXPECT_NE(first.find(fm.substr(0, std::min<size_t>(fm.size(), 40))), std::string::npos)
        << what << "\n libtorch: " << first << "\n engine:   " << fm;
  };
  expect_same_error("uniform from > to", [] { at::empty({3}).uniform_(2, 1); }, [] { Tensor t = empty({3}); uniform_(t, 2, 1); });
  expect_same_error("normal std < 0", [] { at::empty({3}).normal_(0, -1); }, [] { Tensor t = empty({3}); normal_(t, 0, -1); });
  expect_same_error("bernoulli p > 1", [] { at::empty({3}).bernoulli_(1.5); }, [] { Tensor t = empty({3}); bernoulli_(t, 1.5); });
  expect_same_error("randint empty range", [] { at::randint(3, 3, {2}); }, [] { randint(3, 3, {2}); });
  expect_same_error("randperm negative", [] { at::randperm(-2); }, [] { randperm(-2); });
  expect_same_error("multinomial too many", [] { at::multinomial(at::ones({3}), 4, false); },
                    [] { multinomial(ones({3}), 4, false); });
  expect_same_error("multinomial zero row", [] { at::multinomial(at::zeros({3}), 1, false); },
                    [] { multinomial(zeros({3}), 1, false); });
  expect_same_error("multinomial 3-D", [] { at::multinomial(at::ones({2, 2, 2}), 1, false); },
                    [] { multinomial(ones({2, 2, 2}), 1, false); });
  expect_same_error("dropout p", [] { at::dropout(at::ones({3}), 1.5, true); }, [] { dropout(ones({3}), 1.5, true); });
  expect_same_error("expanded fill", [] { at::zeros({1}).expand({4}).uniform_(); },
                    [] { Tensor t = zeros({1}).expand({4}); uniform_(t); });
}

// Interleaved programs: a random sequence of calls on the default generators,
// so that the cached normal sample crosses calls, sizes and dtypes.
TEST(RngParity, InterleavedSequencesMatch) {
  std::mt19937_64 pick(20261125);
  for (int prog = 0; prog < 300; ++prog) {
    seed_both(pick());
    for (int step = 0; step < 12; ++step) {
      int64_t n = int64_t(pick() % 3 == 0 ? pick() % 200 : pick() % 20);
      DType dt = pick() % 2 ? DType::Float32 : DType::Float64;
      at::TensorOptions ao(to_at(dt));
      int op = int(pick() % 6);
      ::testing::AssertionResult ok = ::testing::AssertionSuccess();
      switch (op) {
        case 0: ok = same(at::rand({n}, ao), rand({n}, dt)); break;
        case 1: ok = same(at::randn({n}, ao), randn({n}, dt)); break;
        case 2: ok = same(at::randint(-9, 9, {n}), randint(-9, 9, {n})); break;
        case 3: ok = same(at::randperm(n), randperm(n)); break;
        case 4: {
          at::Tensor a = at::empty({n}, ao).bernoulli_(0.3);
          Tensor b = empty({n}, dt);
          bernoulli_(b, 0.3);
          ok = same(a, b);
          break;
        }
        case 5: {
          at::Tensor a = at::empty({n, 2}, ao).t().normal_(1, 3);
          Tensor b = empty({n, 2}, dt).t();
          normal_(b, 1, 3);
          ok = same(a, b);
          break;
        }
      }
      ASSERT_TRUE(ok) << "program " << prog << " step " << step << " op " << op << " n " << n << " "
                      << dtype_name(dt);
    }
  }
}

}  // namespace ft::rng_parity_test
