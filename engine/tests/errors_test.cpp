// Errors: bad user input raises ft::Error with the Python exception kind
// PyTorch would raise, the op name, and PyTorch 1.13's message text.
#include <gtest/gtest.h>

#include "test_util.h"

namespace ft {
namespace {

constexpr ErrorKind kRuntime = ErrorKind::Runtime;
constexpr ErrorKind kIndex = ErrorKind::Index;

TEST(Errors, BadDimIsIndexError) {
  Tensor x = ones({2, 3});
  FT_EXPECT_ERROR(x.sum({2}), kIndex, "Dimension out of range (expected to be in range of [-2, 1], but got 2)");
  FT_EXPECT_ERROR(x.transpose(0, -3), kIndex,
                  "Dimension out of range (expected to be in range of [-2, 1], but got -3)");
  FT_EXPECT_ERROR(x.permute({0, 2}), kIndex,
                  "Dimension out of range (expected to be in range of [-2, 1], but got 2)");
  FT_EXPECT_ERROR(x.unsqueeze(3), kIndex, "Dimension out of range (expected to be in range of [-3, 2], but got 3)");
  FT_EXPECT_ERROR(x.squeeze(2), kIndex, "Dimension out of range (expected to be in range of [-2, 1], but got 2)");
  FT_EXPECT_ERROR(x.size(2), kIndex, "Dimension out of range (expected to be in range of [-2, 1], but got 2)");
  FT_EXPECT_ERROR(zeros({}).sum({1}), kIndex,
                  "Dimension out of range (expected to be in range of [-1, 0], but got 1)");
  FT_EXPECT_ERROR(x.select(0, -3), kIndex, "select(): index -3 out of range for tensor of size [2, 3] at dimension 0");
  FT_EXPECT_ERROR(zeros({}).select(0, 0), kIndex, "select() cannot be applied to a 0-dim tensor.");
  FT_EXPECT_ERROR(x.narrow(0, -3, 1), kIndex,
                  "Dimension out of range (expected to be in range of [-2, 1], but got -3)");
  FT_EXPECT_ERROR(x.narrow(1, 2, 2), kRuntime, "start (2) + length (2) exceeds dimension size (3).");
}

TEST(Errors, ErrorCarriesOpName) {
  try {
    ones({2, 3}).sum({5});
    FAIL() << "no error";
  } catch (const Error& e) {
    EXPECT_EQ(e.op(), "sum");
    EXPECT_EQ(e.kind(), kIndex);
  }
  try {
    ones({3}) + ones({2});
    FAIL() << "no error";
  } catch (const Error& e) {
    EXPECT_EQ(e.op(), "add");
  }
}

TEST(Errors, ShapeMismatch) {
  FT_EXPECT_ERROR(ones({3}) + ones({2}), kRuntime,
                  "The size of tensor a (3) must match the size of tensor b (2) at non-singleton dimension 0");
  FT_EXPECT_ERROR(ones({2, 3}).expand({3, 3}), kRuntime,
                  "The expanded size of the tensor (3) must match the existing size (2) at non-singleton dimension 0. "
                  " Target sizes: [3, 3].  Tensor sizes: [2, 3]");
  FT_EXPECT_ERROR(ones({2, 3}).expand({2}), kRuntime,
                  "the number of sizes provided (1) must be greater or equal to the number of dimensions in the "
                  "tensor (2)");
}

TEST(Errors, MmShape) {
  FT_EXPECT_ERROR(ones({2, 3}).mm(ones({2, 3})), kRuntime, "mat1 and mat2 shapes cannot be multiplied (2x3 and 2x3)");
  FT_EXPECT_ERROR(ones({3}).mm(ones({3, 2})), kRuntime, "self must be a matrix");
  FT_EXPECT_ERROR(ones({2, 3}).mm(ones({3})), kRuntime, "mat2 must be a matrix");
  FT_EXPECT_ERROR(ones({2, 3}).mm(ones({3, 2}, DType::Float64)), kRuntime,
                  "expected scalar type Float but found Double");
}

TEST(Errors, ViewIncompatible) {
  FT_EXPECT_ERROR(ones({2, 3}).t().view({6}), kRuntime,
                  "view size is not compatible with input tensor's size and stride (at least one dimension spans "
                  "across two contiguous subspaces). Use .reshape(...) instead.");
  FT_EXPECT_ERROR(ones({3}).view({4}), kRuntime, "shape '[4]' is invalid for input of size 3");
  FT_EXPECT_ERROR(ones({2, 3}).view({-1, 4}), kRuntime, "shape '[-1, 4]' is invalid for input of size 6");
  FT_EXPECT_ERROR(ones({2, 3}).view({-1, -1}), kRuntime, "only one dimension can be inferred");
  FT_EXPECT_ERROR(ones({0, 3}).view({-1, 0}), kRuntime,
                  "cannot reshape tensor of 0 elements into shape [-1, 0] because the unspecified dimension size -1 "
                  "can be any value and is ambiguous");
  FT_EXPECT_ERROR(ones({2, 3}).reshape({4, 2}), kRuntime, "shape '[4, 2]' is invalid for input of size 6");
}

TEST(Errors, OtherViewErrors) {
  FT_EXPECT_ERROR(ones({2, 3}).permute({0, 0}), kRuntime, "permute(): duplicate dims are not allowed.");
  FT_EXPECT_ERROR(ones({2, 3}).permute({0}), kRuntime,
                  "number of dimensions in the tensor input does not match the length of the desired ordering of "
                  "dimensions i.e. input.dim() = 2 is not equal to len(dims) = 1");
  FT_EXPECT_ERROR(ones({2, 3, 4}).t(), kRuntime, "t() expects a tensor with <= 2 dimensions, but self is 3D");
  FT_EXPECT_ERROR(ones({2, 3}).flatten(1, 0), kRuntime,
                  "flatten() has invalid args: start_dim cannot come after end_dim");
  FT_EXPECT_ERROR(ones({2}).as_strided({3}, {1}), kRuntime,
                  "setStorage: sizes [3], strides [1], storage offset 0, and itemsize 4 requiring a storage size of 12 "
                  "are out of bounds for storage of size 8");
  FT_EXPECT_ERROR(ones({2}).as_strided({2}, {-1}), kRuntime,
                  "as_strided: Negative strides are not supported at the moment, got strides: [-1]");
  FT_EXPECT_ERROR(ones({2, 3}).sum({0, -2}), kRuntime, "dim 0 appears multiple times in the list of dims");
}

TEST(Errors, BoolSubAndNeg) {
  Tensor b = test::vec({1, 0}, DType::Bool);
  FT_EXPECT_ERROR(b - b, kRuntime,
                  "Subtraction, the `-` operator, with two bool tensors is not supported. Use the `^` or "
                  "`logical_xor()` operator instead.");
  FT_EXPECT_ERROR(b - test::vec({1, 2}, DType::Int64), kRuntime,
                  "Subtraction, the `-` operator, with a bool tensor is not supported. If you are trying to invert "
                  "a mask, use the `~` or `logical_not()` operator instead.");
  FT_EXPECT_ERROR(-b, kRuntime,
                  "Negation, the `-` operator, on a bool tensor is not supported. If you are trying to invert a "
                  "mask, use the `~` or `logical_not()` operator instead.");
}

TEST(Errors, AlphaChecks) {
  Tensor i = ones({2}, DType::Int64);
  FT_EXPECT_ERROR(i.add(i, 2.5), kRuntime,
                  "For integral input tensors, argument alpha must not be a floating point number.");
  FT_EXPECT_ERROR(i.add(i, true), kRuntime, "Boolean alpha only supported for Boolean results.");
}

TEST(Errors, InPlaceBroadcastAndCast) {
  Tensor x = ones({3});
  FT_EXPECT_ERROR(x.add_(ones({2, 3})), kRuntime, "output with shape [3] doesn't match the broadcast shape [2, 3]");
  Tensor l = ones({3}, DType::Int64);
  FT_EXPECT_ERROR(l.exp_(), kRuntime, "result type Float can't be cast to the desired output type Long");
  Tensor i = ones({3}, DType::Int32);
  FT_EXPECT_ERROR(i.add_(ones({3})), kRuntime, "result type Float can't be cast to the desired output type Int");
  FT_EXPECT_ERROR(i.div_(ones({3}, DType::Int32)), kRuntime,
                  "result type Float can't be cast to the desired output type Int");
  Tensor b = ones({3}, DType::Bool);
  FT_EXPECT_ERROR(b.add_(ones({3}, DType::Int32)), kRuntime,
                  "result type Int can't be cast to the desired output type Bool");
  Tensor e = ones({3}).expand({2, 3});
  FT_EXPECT_ERROR(e.add_(ones({3})), kRuntime,
                  "unsupported operation: more than one element of the written-to tensor refers to a single memory "
                  "location. Please clone() the tensor before performing the operation.");
  // Nothing was written by the failed ops.
  EXPECT_EQ(test::values(x), (std::vector<double>{1, 1, 1}));
  EXPECT_EQ(test::values(i), (std::vector<double>{1, 1, 1}));
}

TEST(Errors, LeafRequiringGradInPlace) {
  Tensor x = ones({3});
  x.requires_grad_(true);
  FT_EXPECT_ERROR(x.mul_(ones({3})), kRuntime,
                  "a leaf Variable that requires grad is being used in an in-place operation.");
  FT_EXPECT_ERROR(x.fill_(2), kRuntime, "a leaf Variable that requires grad is being used in an in-place operation.");
  FT_EXPECT_ERROR(x.copy_(zeros({3})), kRuntime,
                  "a leaf Variable that requires grad is being used in an in-place operation.");
  // Allowed under no_grad (e.g. optimizer updates).
  {
    autograd::NoGradGuard ng;
    x.mul_(test::make({2}, {}));
  }
  EXPECT_EQ(test::values(x), (std::vector<double>{2, 2, 2}));
}

TEST(Errors, MeanOfIntegers) {
  FT_EXPECT_ERROR(ones({3}, DType::Int64).mean(), kRuntime,
                  "mean(): could not infer output dtype. Input dtype must be either a floating point or complex "
                  "dtype. Got: Long");
}

TEST(Errors, AutogradEntryErrors) {
  FT_EXPECT_ERROR(ones({2}).sum().backward(), kRuntime,
                  "element 0 of tensors does not require grad and does not have a grad_fn");
  Tensor x = ones({2});
  x.requires_grad_(true);
  FT_EXPECT_ERROR((x * test::make({2}, {})).backward(), kRuntime, "grad can be implicitly created only for scalar outputs");
  Tensor i = ones({2}, DType::Int64);
  FT_EXPECT_ERROR(i.requires_grad_(true), kRuntime, "Tensors of floating point");
  Tensor o = empty({2});
  FT_EXPECT_ERROR(add_out(o, x, ones({2})), kRuntime,
                  "add(): functions with out=... arguments don't support automatic differentiation, but one of the "
                  "arguments requires grad.");
}

}  // namespace
}  // namespace ft
