// The creation family's ATen-schema factories (ft/ops/creation.h) and the
// in-place transposes: dtype inference, errors, out= resizing, versions and
// node names. Values are checked against libtorch by op_parity_test; these
// tests pin the behaviour without the oracle.
#include <gtest/gtest.h>

#include "test_util.h"

namespace ft {
namespace {

using test::values;
using V = std::vector<double>;

TEST(Creation, FullInfersItsDtypeFromTheFillValue) {
  EXPECT_EQ(full({2}, 1, std::nullopt, {}, {}, {}).dtype(), DType::Int64);
  EXPECT_EQ(full({2}, true, std::nullopt, {}, {}, {}).dtype(), DType::Bool);
  EXPECT_EQ(full({2}, 1.5, std::nullopt, {}, {}, {}).dtype(), DType::Float32);
  EXPECT_EQ(full({2}, 2.5, DType::Int64, {}, {}, {}).dtype(), DType::Int64);
  EXPECT_EQ(values(full({2}, 2.5, DType::Int64, {}, {}, {})), (V{2, 2}));
}

TEST(Creation, NegativeSizesAndCountsRaise) {
  EXPECT_THROW(zeros({2, -1}, std::nullopt, {}, {}, {}), Error);
  EXPECT_THROW(linspace(0, 1, -1, std::nullopt, {}, {}, {}), Error);
  EXPECT_THROW(eye(-1, std::nullopt, {}, {}, {}), Error);
  EXPECT_THROW(eye(2, -1, std::nullopt, {}, {}, {}), Error);
  EXPECT_THROW(tril_indices(-1, 3, 0, std::nullopt, {}, {}, {}), Error);
  EXPECT_THROW(tril_indices(3, 3, 0, DType::Float32, {}, {}, {}), Error);
}

TEST(Creation, ArangeInfersIntegersAndChecksItsStep) {
  EXPECT_EQ(arange(Scalar(int64_t(5)), std::nullopt, {}, {}, {}).dtype(), DType::Int64);
  EXPECT_EQ(arange(Scalar(2.5), std::nullopt, {}, {}, {}).dtype(), DType::Float32);
  EXPECT_EQ(values(arange(10, 0, -3, std::nullopt, {}, {}, {})), (V{10, 7, 4, 1}));
  EXPECT_THROW(arange(0, 5, 0, std::nullopt, {}, {}, {}), Error);
  EXPECT_THROW(arange(1, 0, 1, std::nullopt, {}, {}, {}), Error);
  // an integer dtype truncates the step: 0.5 becomes 0
  EXPECT_THROW(arange(0, Scalar(2.5), Scalar(0.5), DType::Int64, {}, {}, {}), Error);
  EXPECT_THROW(arange(3, DType::Bool, {}, {}, {}), Error);
}

TEST(Creation, RangeOutKeepsAnOutWithTheRightNumel) {
  Tensor out = zeros({2, 2});
  arange_out(out, 0, 10, 3);
  EXPECT_EQ(out.sizes().vec(), (std::vector<int64_t>{2, 2}));
  EXPECT_EQ(values(out), (V{0, 3, 6, 9}));
  Tensor o2 = zeros({2, 2});
  linspace_out(o2, 1, 2, 3);
  EXPECT_EQ(o2.sizes().vec(), (std::vector<int64_t>{3}));
  EXPECT_EQ(values(o2), (V{1, 1.5, 2}));
}

TEST(Creation, LinspaceRoundsFromBothEnds) {
  // steps = 1 is start; the second half counts back from end, so end is exact.
  EXPECT_EQ(values(linspace(3, 7, 1, std::nullopt, {}, {}, {})), (V{3}));
  Tensor l = linspace(Scalar(-0.76), Scalar(-5.41), 70, std::nullopt, {}, {}, {});
  EXPECT_EQ(values(l).back(), double(float(-5.41)));
  EXPECT_EQ(values(linspace(0, 10, 5, DType::Int64, {}, {}, {})), (V{0, 2, 5, 7, 10}));
}

TEST(Creation, EyeAndTriangleIndices) {
  EXPECT_EQ(values(eye(2, 3, DType::Bool, {}, {}, {})), (V{1, 0, 0, 0, 1, 0}));
  EXPECT_EQ(values(tril_indices(3, 4, 1, std::nullopt, {}, {}, {})),
            (V{0, 0, 1, 1, 1, 2, 2, 2, 2, 0, 1, 0, 1, 2, 0, 1, 2, 3}));
  EXPECT_EQ(values(triu_indices(3, 3, -1, DType::Int32, {}, {}, {})), (V{0, 0, 0, 1, 1, 1, 2, 2, 0, 1, 2, 0, 1, 2, 1, 2}));
}

TEST(Creation, LikeFormsKeepADenseSourcesStrides) {
  Tensor x = zeros({3, 4}).t();
  EXPECT_EQ(empty_like(x, std::nullopt, {}, {}, {}, {}).strides().vec(), (std::vector<int64_t>{1, 4}));
  Tensor e = zeros({1, 4}).expand({3, 4});
  EXPECT_EQ(zeros_like(e, DType::Int32, {}, {}, {}, {}).strides().vec(), (std::vector<int64_t>{4, 1}));
  EXPECT_EQ(full_like(x, 2, std::nullopt, {}, {}, {}, {})._version(), 0u);
}

TEST(InplaceTranspose, BumpsTheVersionAndNamesTheNode) {
  Tensor leaf = test::iota({2, 3}, DType::Float64);
  leaf.requires_grad_(true);
  Tensor x = leaf.clone();
  const uint32_t v = x._version();
  x.transpose_(0, 1);
  EXPECT_EQ(x.sizes().vec(), (std::vector<int64_t>{3, 2}));
  EXPECT_EQ(x._version(), v + 1);
  EXPECT_EQ(x.grad_fn_name(), "TransposeBackward1");
  x.t_();
  EXPECT_EQ(x.grad_fn_name(), "TBackward1");
  x.swapdims_(1, 0);
  EXPECT_EQ(x.grad_fn_name(), "TransposeBackward1");
  EXPECT_THROW(leaf.transpose_(0, 1), Error);  // a leaf that requires grad
  EXPECT_THROW(test::iota({2, 2, 2}).t_(), Error);
  Tensor y = test::iota({2, 1});
  y.squeeze_();
  EXPECT_EQ(y._version(), 1u);
}

}  // namespace
}  // namespace ft
