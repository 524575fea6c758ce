// mm and matmul against a naive reference loop: every rank combination of
// torch.matmul (1-D x 1-D ... batched with broadcasting), strided operands,
// integer products, empty contractions, and PyTorch's shape errors.
#include <gtest/gtest.h>

#include "test_util.h"

namespace ft {
namespace {

using test::shape;
using test::values;
using V = std::vector<double>;
using S = std::vector<int64_t>;

// Reference for matmul(a, b) following torch.matmul's rank rules.
V reference_matmul(const Tensor& a, const Tensor& b, S* out_shape) {
  S as = shape(a), bs = shape(b);
  const bool a1 = as.size() == 1, b1 = bs.size() == 1;
  if (a1) as.insert(as.begin(), 1);  // (k) -> (1, k)
  if (b1) bs.push_back(1);           // (k) -> (k, 1)
  S full;
  V out = test::naive_bmm(values(a), as, values(b), bs, &full);
  // Drop the dims the 1-D operands gained.
  if (b1) full.pop_back();
  if (a1) full.erase(full.end() - (b1 ? 1 : 2));
  *out_shape = full;
  return out;
}

void expect_matmul_matches(const Tensor& a, const Tensor& b, double tol) {
  S want_shape;
  V want = reference_matmul(a, b, &want_shape);
  Tensor r = a.matmul(b);
  EXPECT_EQ(shape(r), want_shape) << shape_str(a.sizes()) << " @ " << shape_str(b.sizes());
  EXPECT_EQ(r.dtype(), a.dtype());
  EXPECT_TRUE(test::all_close(values(r), want, tol, tol)) << shape_str(a.sizes()) << " @ " << shape_str(b.sizes());
}

TEST(Linalg, MmAgainstNaive) {
  Tensor a = test::rand_tensor({5, 7}, DType::Float64, 21), b = test::rand_tensor({7, 3}, DType::Float64, 22);
  S s;
  V want = test::naive_bmm(values(a), {5, 7}, values(b), {7, 3}, &s);
  Tensor r = a.mm(b);
  EXPECT_EQ(shape(r), (S{5, 3}));
  EXPECT_TRUE(test::all_close(values(r), want, 1e-12, 1e-12));
  // float32
  Tensor af = a.to(DType::Float32), bf = b.to(DType::Float32);
  EXPECT_EQ(af.mm(bf).dtype(), DType::Float32);
  EXPECT_TRUE(test::all_close(values(af.mm(bf)), want, 1e-5, 1e-5));
}

TEST(Linalg, MmSmallByHand) {
  Tensor a = test::make({1, 2, 3, 4, 5, 6}, {2, 3});
  Tensor b = test::make({7, 8, 9, 10, 11, 12}, {3, 2});
  EXPECT_EQ(values(a.mm(b)), (V{58, 64, 139, 154}));
}

TEST(Linalg, MmStridedOperands) {
  Tensor a = test::rand_tensor({6, 4}, DType::Float64, 31);
  Tensor b = test::rand_tensor({3, 6}, DType::Float64, 32);
  // Transposed, sliced with a step, and expanded operands.
  std::vector<std::pair<Tensor, Tensor>> cases = {
      {a.t(), b.t()},                                               // (4, 6) @ (6, 3)
      {a.slice(0, 0, std::nullopt, 2).t(), b.slice(1, 0, std::nullopt, 2)},  // (4, 3) @ (3, 3)
      {test::rand_tensor({1, 6}, DType::Float64, 33).expand({4, 6}), a},     // stride-0 rows
      {a.slice(1, 1, 3), test::rand_tensor({2, 5}, DType::Float64, 34)},    // (6, 2) @ (2, 5)
  };
  for (auto& [x, y] : cases) {
    S s;
    V want = test::naive_bmm(values(x), shape(x), values(y), shape(y), &s);
    EXPECT_TRUE(test::all_close(values(x.mm(y)), want, 1e-12, 1e-12)) << shape_str(x.strides());
  }
}

TEST(Linalg, MmIntegers) {
  Tensor a = test::iota({2, 3}, DType::Int64), b = test::iota({3, 2}, DType::Int64);
  Tensor r = a.mm(b);
  EXPECT_EQ(r.dtype(), DType::Int64);
  EXPECT_EQ(values(r), (V{10, 13, 28, 40}));
  Tensor c = test::make({100, 100}, {1, 2}, DType::Int8).mm(test::make({2, 1}, {2, 1}, DType::Int8));
  EXPECT_EQ(values(c), (V{44}));  // 300 wraps in int8
}

TEST(Linalg, MmEmptyContractionGivesZeros) {
  Tensor r = empty({2, 0}).mm(empty({0, 3}));
  EXPECT_EQ(shape(r), (S{2, 3}));
  EXPECT_EQ(values(r), (V(6, 0.0)));
  EXPECT_EQ(shape(empty({0, 4}).mm(empty({4, 3}))), (S{0, 3}));
}

TEST(Linalg, MatmulEveryRankCombination) {
  const std::vector<std::pair<S, S>> shapes = {
      {{4}, {4}},                   // dot
      {{3, 4}, {4}},                // mv
      {{4}, {4, 2}},                // vector-matrix
      {{3, 4}, {4, 2}},             // mm
      {{2, 3, 4}, {4}},             // batched mv
      {{4}, {2, 4, 3}},             // vector @ batch
      {{2, 3, 4}, {4, 5}},          // batch @ matrix
      {{5, 4}, {2, 4, 3}},          // matrix @ batch
      {{2, 3, 4}, {2, 4, 5}},       // bmm
      {{2, 1, 3, 4}, {5, 4, 2}},    // broadcast batch -> (2, 5, 3, 2)
      {{1, 3, 4}, {6, 4, 2}},       // broadcast size-1 batch
      {{2, 2, 3, 4}, {4}},          // 4-D @ 1-D
      {{4}, {2, 2, 4, 3}},          // 1-D @ 4-D
  };
  uint64_t seed = 100;
  for (const auto& [sa, sb] : shapes) {
    Tensor a = test::rand_tensor(sa, DType::Float64, ++seed), b = test::rand_tensor(sb, DType::Float64, ++seed);
    expect_matmul_matches(a, b, 1e-12);
    expect_matmul_matches(a.to(DType::Float32), b.to(DType::Float32), 1e-5);
  }
  EXPECT_EQ(shape(test::rand_tensor({2, 1, 3, 4}).matmul(test::rand_tensor({5, 4, 2}))), (S{2, 5, 3, 2}));
  EXPECT_EQ(test::rand_tensor({4}).matmul(test::rand_tensor({4})).dim(), 0);
}

TEST(Linalg, MatmulStridedAndIntegerOperands) {
  Tensor a = test::rand_tensor({2, 4, 3}, DType::Float64, 7).permute({0, 2, 1});  // (2, 3, 4) transposed
  Tensor b = test::rand_tensor({5, 4}, DType::Float64, 8).t();                    // (4, 5)
  expect_matmul_matches(a, b, 1e-12);
  expect_matmul_matches(test::rand_tensor({2, 4, 3}, DType::Float64, 9).permute({0, 2, 1}),
                        test::rand_tensor({2, 4, 5}, DType::Float64, 10), 1e-12);
  expect_matmul_matches(test::iota({2, 3, 4}, DType::Int64), test::iota({4, 2}, DType::Int64), 0);
  expect_matmul_matches(test::iota({3}, DType::Int32), test::iota({3}, DType::Int32), 0);
}

TEST(Linalg, MatmulEmpty) {
  Tensor r = empty({2, 3, 0}).matmul(empty({0, 4}));
  EXPECT_EQ(shape(r), (S{2, 3, 4}));
  EXPECT_EQ(values(r), V(24, 0.0));
  EXPECT_EQ(empty({0}).matmul(empty({0})).item<double>(), 0.0);
}

TEST(Linalg, MatmulShapeErrors) {
  auto mm_err = [](S a, S b, const std::string& msg) {
    FT_EXPECT_ERROR(ones(a).matmul(ones(b)), ErrorKind::Runtime, msg);
  };
  mm_err({3}, {4}, "inconsistent tensor size, expected tensor [3] and src [4] to have the same number of elements, "
                   "but got 3 and 4 elements respectively");
  mm_err({2, 3}, {4}, "size mismatch, got 2, 2x3,4");
  mm_err({3}, {4, 2}, "mat1 and mat2 shapes cannot be multiplied (1x3 and 4x2)");
  mm_err({2, 3}, {4, 2}, "mat1 and mat2 shapes cannot be multiplied (2x3 and 4x2)");
  mm_err({2, 3, 4}, {5}, "size mismatch, got 6, 6x4,5");
  mm_err({4}, {2, 5, 3}, "size mismatch, got 6, 6x5,4");
  mm_err({2, 3, 4}, {5, 2}, "mat1 and mat2 shapes cannot be multiplied (6x4 and 5x2)");
  mm_err({2, 3}, {2, 5, 3}, "mat1 and mat2 shapes cannot be multiplied (6x5 and 3x2)");
  mm_err({2, 3, 4}, {2, 5, 2}, "Expected size for first two dimensions of batch2 tensor to be: [2, 4] but got: [2, 5].");
  mm_err({2, 1, 3, 4}, {5, 3, 2},
         "Expected size for first two dimensions of batch2 tensor to be: [10, 4] but got: [10, 3].");
  mm_err({2, 3, 4}, {3, 4, 2}, "The size of tensor a (2) must match the size of tensor b (3) at non-singleton dimension 0");
  // A 3-D operand with transposed inner dims goes to bmm, not a folded mm.
  FT_EXPECT_ERROR(ones({2, 4, 3}).permute({0, 2, 1}).matmul(ones({5, 2})), ErrorKind::Runtime,
                  "Expected size for first two dimensions of batch2 tensor to be: [2, 4] but got: [2, 5].");
  FT_EXPECT_ERROR(ones({}).matmul(ones({3})), ErrorKind::Runtime,
                  "both arguments to matmul need to be at least 1D, but they are 0D and 1D");
  FT_EXPECT_ERROR(ones({2, 3}).matmul(ones({3, 2}, DType::Float64)), ErrorKind::Runtime,
                  "expected scalar type Float but found Double");
  FT_EXPECT_ERROR(ones({3}).matmul(ones({3}, DType::Float64)), ErrorKind::Runtime,
                  "dot : expected both vectors to have same dtype, but found Float and Double");
}

}  // namespace
}  // namespace ft
