// Half and BFloat16 kernels (NOTE [ Half and BFloat16 kernels ] in dtype.h):
// each element computed in float and rounded once on store, reductions
// accumulated in float, and libtorch 1.13's errors for the kernels that take
// neither 16-bit type (or BFloat16 only). Values checked by hand.
// (Unity build: test names and helpers are unique to this file.)
#include "test_util.h"

namespace ft::test {

TEST(SmallDtypes, HalfAddRoundsOnceToNearestEven) {
  // 1 + 2^-11 is halfway between 1 and 1 + 2^-10: ties to the even 1.
  Tensor a = vec({1.0, 1.0}, DType::Float16);
  Tensor b = vec({0.00048828125, 0.00146484375}, DType::Float16);  // 2^-11, 3 * 2^-11
  Tensor r = add(a, b);
  EXPECT_EQ(r.dtype(), DType::Float16);
  // 1 + 3 * 2^-11 is halfway between 1 + 2^-10 (odd) and 1 + 2^-9 (even).
  EXPECT_EQ(values(r), (std::vector<double>{1.0, 1.001953125}));
}

TEST(SmallDtypes, BFloat16MulRoundsTheFloatProduct) {
  // (1 + 2^-7)^2 = 1 + 2^-6 + 2^-14 -> 1 + 2^-6 in bfloat16.
  Tensor a = vec({1.0078125}, DType::BFloat16);
  EXPECT_EQ(values(mul(a, a)), (std::vector<double>{1.015625}));
  EXPECT_EQ(values(a.sigmoid() * 0), (std::vector<double>{0.0}));
  EXPECT_EQ(values(vec({0.0}, DType::BFloat16).sigmoid()), (std::vector<double>{0.5}));
}

TEST(SmallDtypes, SumAccumulatesInFloat) {
  // A Half accumulator would stop at 2048 (2049 ties to even 2048); float holds 2050.
  EXPECT_EQ(values(sum(vec({2048.0, 1.0, 1.0}, DType::Float16))), (std::vector<double>{2050.0}));
  // Eight 2^-9 terms vanish one by one against 1 in bfloat16, not in float.
  std::vector<double> v{1.0};
  for (int i = 0; i < 8; ++i) v.push_back(0.001953125);
  Tensor s = sum(vec(v, DType::BFloat16));
  EXPECT_EQ(s.dtype(), DType::BFloat16);
  EXPECT_EQ(values(s), (std::vector<double>{1.015625}));
  // mean: the sum (5) rounded, then 5 / 3 = 1.6666667f rounded to 1.6640625.
  EXPECT_EQ(values(mean(vec({1.0, 2.0, 2.0}, DType::BFloat16))), (std::vector<double>{1.6640625}));
}

TEST(SmallDtypes, ComparisonsAndExtremaAreExact) {
  Tensor a = vec({1.0, -2.0, 3.0}, DType::Float16), b = vec({1.0, 2.0, -3.0}, DType::Float16);
  EXPECT_EQ(values(eq(a, b)), (std::vector<double>{1, 0, 0}));
  EXPECT_EQ(values(maximum(a, b)), (std::vector<double>{1, 2, 3}));
  EXPECT_EQ(values(argmax(a)), (std::vector<double>{2}));
}

TEST(SmallDtypes, UnsupportedCombinationsRaiseLibtorchsError) {
  Tensor h = vec({1.0, 2.0}, DType::Float16), bf = vec({1.0, 2.0}, DType::BFloat16);
  FT_EXPECT_ERROR(exp(h), ErrorKind::NotImplemented, "\"exp_vml_cpu\" not implemented for 'Half'");
  FT_EXPECT_ERROR(h.sqrt(), ErrorKind::NotImplemented, "\"sqrt_vml_cpu\" not implemented for 'Half'");
  FT_EXPECT_ERROR(prod(bf), ErrorKind::NotImplemented, "\"prod_cpu\" not implemented for 'BFloat16'");
  FT_EXPECT_ERROR(mm(h.view({1, 2}), h.view({2, 1})), ErrorKind::NotImplemented,
                  "\"addmm_impl_cpu_\" not implemented for 'Half'");
  // The same kernels take BFloat16.
  EXPECT_EQ(values(mm(bf.view({1, 2}), bf.view({2, 1}))), (std::vector<double>{5.0}));
  EXPECT_EQ(exp(bf).dtype(), DType::BFloat16);
}

}  // namespace ft::test
