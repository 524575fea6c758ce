// The oracle bridge keeps sizes, strides, storage offset and values exactly.
#include <gtest/gtest.h>

#include "ft/oracle/bridge.h"
#include "ft/props/case.h"

namespace ft::props {
namespace {

void expect_same(const Tensor& a, const Tensor& b) {
  EXPECT_EQ(a.sizes().vec(), b.sizes().vec());
  EXPECT_EQ(a.strides().vec(), b.strides().vec());
  EXPECT_EQ(a.storage_offset(), b.storage_offset());
  EXPECT_EQ(a.dtype(), b.dtype());
  auto av = a.to_double_vector(), bv = b.to_double_vector();
  ASSERT_EQ(av.size(), bv.size());
  for (size_t i = 0; i < av.size(); ++i) EXPECT_TRUE(av[i] == bv[i] || (av[i] != av[i] && bv[i] != bv[i]));
}

TEST(Bridge, RoundTripKeepsGeometryForEveryLayout) {
  for (Layout l : {Layout::Contiguous, Layout::Transposed, Layout::Strided, Layout::Expanded, Layout::Offset}) {
    for (DType dt : {DType::Float32, DType::Float64, DType::Int64, DType::Int32, DType::Bool, DType::Float16,
                     DType::BFloat16, DType::Int16, DType::Int8, DType::UInt8}) {
      TensorSpec s;
      s.shape = {3, 4};
      s.dtype = dt;
      s.layout = l;
      for (int64_t i = 0; i < storage_numel(s.shape, l); ++i) s.values.push_back(double(i % 5));
      Tensor t = materialize(s);
      EXPECT_TRUE(oracle::aten_geometry_matches(t)) << layout_name(l) << " " << dtype_name(dt);
      expect_same(t, oracle::roundtrip_through_aten(t));
    }
  }
}

TEST(Bridge, ReportsOracleVersion) { EXPECT_NE(oracle::version().find("1.13"), std::string::npos); }

TEST(Bridge, OracleErrorsAreCapturedNotThrown) {
  int mm = int(find_op("mm") - op_table());
  EngineCall c;
  c.in = {zeros({2, 3}), zeros({4, 5})};
  auto r = oracle::run_forward(mm, c);
  EXPECT_TRUE(r.threw);
  EXPECT_NE(r.error.find("cannot be multiplied"), std::string::npos);
}

}  // namespace
}  // namespace ft::props
