// Comparator policy: exact, tolerance, ULP bound, NaN/inf positions, sign of zero.
#include <gtest/gtest.h>

#include <cmath>

#include "ft/props/compare.h"

namespace ft::props {
namespace {

Tensor f32(std::vector<double> v) { return from_vector(v, {int64_t(v.size())}, DType::Float32); }

TEST(Compare, UlpDistance) {
  EXPECT_EQ(ulp_distance(1.0, std::nextafter(1.0f, 2.0f), DType::Float32), 1);
  EXPECT_EQ(ulp_distance(-0.0, 0.0, DType::Float32), 0);
  EXPECT_EQ(ulp_distance(1.0, std::nextafter(1.0, 2.0), DType::Float64), 1);
  EXPECT_EQ(ulp_distance(NAN, NAN, DType::Float32), 0);
  EXPECT_TRUE(std::isinf(ulp_distance(NAN, 1.0, DType::Float32)));
}

TEST(Compare, PoliciesAcceptAndReject) {
  Tolerance elem = tolerance_for(CmpKind::Elementwise, DType::Float32, 0);
  EXPECT_TRUE(compare(f32({1.0, 2.0}), f32({1.0, 2.0}), elem).ok);
  EXPECT_TRUE(compare(f32({1.0}), f32({1.0 + 1e-7}), elem).ok);
  Comparison bad = compare(f32({1.0, 2.0}), f32({1.0, 2.1}), elem);
  EXPECT_FALSE(bad.ok);
  EXPECT_EQ(bad.first_index, "[1]");
  EXPECT_NEAR(bad.max_abs, 0.1, 1e-6);
  EXPECT_FALSE(compare(f32({NAN}), f32({1.0}), elem).ok);
  EXPECT_TRUE(compare(f32({NAN, INFINITY}), f32({NAN, INFINITY}), elem).ok);
  EXPECT_FALSE(compare(f32({INFINITY}), f32({-INFINITY}), elem).ok);
  EXPECT_FALSE(compare(f32({-0.0}), f32({0.0}), elem).ok) << "sign of zero is checked in strict mode";
  Tolerance exact = tolerance_for(CmpKind::Exact, DType::Int64, 0);
  EXPECT_FALSE(compare(from_vector({1, 2}, {2}, DType::Int64), from_vector({1, 3}, {2}, DType::Int64), exact).ok);
  EXPECT_FALSE(compare(f32({1.0}), from_vector({1.0}, {1}, DType::Float64), elem).ok) << "dtype must match";
  EXPECT_FALSE(compare(f32({1.0, 1.0}), from_vector({1.0, 1.0}, {1, 2}, DType::Float32), elem).ok) << "shape must match";
  // Reduction policy widens with length x magnitude.
  Tolerance red = tolerance_for(CmpKind::Reduction, DType::Float32, 1000 * 100.0);
  EXPECT_TRUE(compare(f32({1000.0}), f32({1000.01}), red).ok);
  EXPECT_FALSE(compare(f32({1000.0}), f32({1001.0}), red).ok);
}

}  // namespace
}  // namespace ft::props
