// Type promotion: the promote_types lattice (the full table, from PyTorch
// 1.13's torch.promote_types) and result_type with 0-dim tensors and wrapped
// numbers, plus the dtypes ops actually produce.
#include <gtest/gtest.h>

#include "test_util.h"

namespace ft {
namespace {

using test::values;
using V = std::vector<double>;

TEST(Promotion, PromoteTypesFullTable) {
  constexpr DType U8 = DType::UInt8, I8 = DType::Int8, I16 = DType::Int16, I32 = DType::Int32, I64 = DType::Int64,
                  F16 = DType::Float16, F32 = DType::Float32, F64 = DType::Float64, B = DType::Bool,
                  BF = DType::BFloat16;
  // Rows/cols in DType order: U8 I8 I16 I32 I64 F16 F32 F64 B BF.
  const DType table[kNumDTypes][kNumDTypes] = {
      {U8, I16, I16, I32, I64, F16, F32, F64, U8, BF},
      {I16, I8, I16, I32, I64, F16, F32, F64, I8, BF},
      {I16, I16, I16, I32, I64, F16, F32, F64, I16, BF},
      {I32, I32, I32, I32, I64, F16, F32, F64, I32, BF},
      {I64, I64, I64, I64, I64, F16, F32, F64, I64, BF},
      {F16, F16, F16, F16, F16, F16, F32, F64, F16, F32},
      {F32, F32, F32, F32, F32, F32, F32, F64, F32, F32},
      {F64, F64, F64, F64, F64, F64, F64, F64, F64, F64},
      {U8, I8, I16, I32, I64, F16, F32, F64, B, BF},
      {BF, BF, BF, BF, BF, F32, F32, F64, BF, BF},
  };
  for (int a = 0; a < kNumDTypes; ++a)
    for (int b = 0; b < kNumDTypes; ++b)
      EXPECT_EQ(promote_types(DType(a), DType(b)), table[a][b]) << dtype_name(DType(a)) << " + " << dtype_name(DType(b));
}

TEST(Promotion, NamedLatticeCases) {
  EXPECT_EQ(promote_types(DType::UInt8, DType::Int8), DType::Int16);
  EXPECT_EQ(promote_types(DType::Float16, DType::BFloat16), DType::Float32);
  EXPECT_EQ(promote_types(DType::Bool, DType::UInt8), DType::UInt8);
  EXPECT_EQ(promote_types(DType::Bool, DType::BFloat16), DType::BFloat16);
  EXPECT_EQ(promote_types(DType::Int64, DType::Float16), DType::Float16);
}

Tensor dim_t(DType dt) { return zeros({2}, dt); }
Tensor zero_dim_t(DType dt) { return zeros({}, dt); }

TEST(Promotion, ResultTypeWithWrappedNumbers) {
  EXPECT_EQ(result_type(dim_t(DType::Int32), Scalar(2.5)), DType::Float32);   // wrapped float = default float32
  EXPECT_EQ(result_type(dim_t(DType::Bool), Scalar(3)), DType::Int64);        // bool tensor + int -> int64
  EXPECT_EQ(result_type(dim_t(DType::UInt8), Scalar(300)), DType::UInt8);     // same category: tensor wins
  EXPECT_EQ(result_type(dim_t(DType::Float16), Scalar(2.5)), DType::Float16);
  EXPECT_EQ(result_type(dim_t(DType::Bool), Scalar(true)), DType::Bool);
  EXPECT_EQ(result_type(dim_t(DType::Bool), Scalar(2.5)), DType::Float32);
  EXPECT_EQ(result_type(zero_dim_t(DType::Int32), Scalar(2.5)), DType::Float32);
  EXPECT_EQ(result_type(zero_dim_t(DType::Bool), Scalar(2.5)), DType::Float32);
}

TEST(Promotion, ResultTypeWithZeroDimTensors) {
  EXPECT_EQ(result_type(dim_t(DType::Float32), zero_dim_t(DType::Float64)), DType::Float32);
  EXPECT_EQ(result_type(dim_t(DType::Int32), zero_dim_t(DType::Float32)), DType::Float32);
  EXPECT_EQ(result_type(dim_t(DType::Int32), zero_dim_t(DType::Float64)), DType::Float64);  // higher category
  EXPECT_EQ(result_type(dim_t(DType::UInt8), zero_dim_t(DType::Int64)), DType::UInt8);
  EXPECT_EQ(result_type(dim_t(DType::Bool), zero_dim_t(DType::Int32)), DType::Int32);
  EXPECT_EQ(result_type(zero_dim_t(DType::Int8), zero_dim_t(DType::Float16)), DType::Float16);
  EXPECT_EQ(result_type(zero_dim_t(DType::Int32), zero_dim_t(DType::Int64)), DType::Int64);  // both 0-dim: lattice
  EXPECT_EQ(result_type(zero_dim_t(DType::Float16), zero_dim_t(DType::Int64)), DType::Float16);
  // Two dimensioned tensors: plain lattice.
  EXPECT_EQ(result_type(dim_t(DType::UInt8), dim_t(DType::Int8)), DType::Int16);
}

TEST(Promotion, OpsProduceThePromotedDtype) {
  Tensor i32 = test::vec({1, 2}, DType::Int32);
  Tensor r = i32 + 2.5;
  EXPECT_EQ(r.dtype(), DType::Float32);
  EXPECT_EQ(values(r), (V{3.5, 4.5}));
  EXPECT_EQ((test::vec({1, 2}) + test::make({0.5}, {}, DType::Float64)).dtype(), DType::Float32);
  EXPECT_EQ((i32 + test::make({0.5}, {}, DType::Float64)).dtype(), DType::Float64);
  Tensor b = test::vec({1, 0}, DType::Bool) + Scalar(3);
  EXPECT_EQ(b.dtype(), DType::Int64);
  EXPECT_EQ(values(b), (V{4, 3}));
  // A wrapped int of the same category does not widen: uint8 wraps around.
  Tensor u = test::vec({1, 250}, DType::UInt8) + Scalar(300);
  EXPECT_EQ(u.dtype(), DType::UInt8);
  EXPECT_EQ(values(u), (V{45, 38}));
  // A 0-dim int64 is cast to the int8 result (wrapping), then added.
  Tensor w = test::vec({1, 2}, DType::Int8) + test::make({1000}, {}, DType::Int64);
  EXPECT_EQ(w.dtype(), DType::Int8);
  EXPECT_EQ(values(w), (V{-23, -22}));
  EXPECT_EQ((test::vec({1}, DType::UInt8) * test::vec({1}, DType::Int8)).dtype(), DType::Int16);
  EXPECT_EQ((test::vec({1}, DType::Float16) + test::vec({1}, DType::BFloat16)).dtype(), DType::Float32);
  EXPECT_EQ(i32.mul(2.5).dtype(), DType::Float32);
  EXPECT_EQ(values(i32.mul(2.5)), (V{2.5, 5.0}));
}

}  // namespace
}  // namespace ft
