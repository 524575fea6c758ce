// Gradients of every differentiable op checked against central finite
// differences in float64, through a weighted sum so that each output element
// gets a distinct upstream gradient; broadcasting gradients reduce to the
// input's shape.
#include <gtest/gtest.h>

#include "test_util.h"

namespace ft {
namespace {

using test::gradcheck;
using test::rand_tensor;
using Fn = std::function<Tensor(const Tensor&)>;

// sum(t * W) with a fixed pseudo-random W shaped like t.
Tensor weighted_sum(const Tensor& t) {
  Tensor w = rand_tensor(t.sizes(), DType::Float64, 4242);
  return (t * w).sum();
}

// Inputs in [1, 3): safe for log and as a divisor.
Tensor positive_input(IntArrayRef s, uint64_t seed) { return rand_tensor(s, DType::Float64, seed) + 2.0; }

TEST(Gradcheck, AddSub) {
  Tensor x = rand_tensor({2, 3}, DType::Float64, 1);
  Tensor c = rand_tensor({2, 3}, DType::Float64, 2);
  EXPECT_TRUE(gradcheck([&](const Tensor& t) { return weighted_sum(t + c); }, x));
  EXPECT_TRUE(gradcheck([&](const Tensor& t) { return weighted_sum(c.add(t, 2.5)); }, x));
  EXPECT_TRUE(gradcheck([&](const Tensor& t) { return weighted_sum(t.sub(c, 3)); }, x));
  EXPECT_TRUE(gradcheck([&](const Tensor& t) { return weighted_sum(c.sub(t, 0.5)); }, x));
  EXPECT_TRUE(gradcheck([&](const Tensor& t) { return weighted_sum(t.add(Scalar(1.5), 2)); }, x));
}

TEST(Gradcheck, MulDiv) {
  Tensor x = rand_tensor({3, 2}, DType::Float64, 3);
  Tensor c = positive_input({3, 2}, 4);
  EXPECT_TRUE(gradcheck([&](const Tensor& t) { return weighted_sum(t * c); }, x));
  EXPECT_TRUE(gradcheck([&](const Tensor& t) { return weighted_sum(t * t); }, x));
  EXPECT_TRUE(gradcheck([&](const Tensor& t) { return weighted_sum(t * Scalar(-1.5)); }, x));
  EXPECT_TRUE(gradcheck([&](const Tensor& t) { return weighted_sum(t / c); }, x));
  EXPECT_TRUE(gradcheck([&](const Tensor& t) { return weighted_sum(c / t); }, positive_input({3, 2}, 5)));
  EXPECT_TRUE(gradcheck([&](const Tensor& t) { return weighted_sum(t / t.exp()); }, x));
  EXPECT_TRUE(gradcheck([&](const Tensor& t) { return weighted_sum(div(t, Scalar(4))); }, x));
}

TEST(Gradcheck, Unary) {
  Tensor x = rand_tensor({4, 3}, DType::Float64, 6);
  EXPECT_TRUE(gradcheck([](const Tensor& t) { return weighted_sum(-t); }, x));
  EXPECT_TRUE(gradcheck([](const Tensor& t) { return weighted_sum(t.exp()); }, x));
  EXPECT_TRUE(gradcheck([](const Tensor& t) { return weighted_sum(t.tanh()); }, x));
  EXPECT_TRUE(gradcheck([](const Tensor& t) { return weighted_sum(t.log()); }, positive_input({4, 3}, 7)));
  EXPECT_TRUE(gradcheck([](const Tensor& t) { return weighted_sum(t.relu()); }, x));
  EXPECT_TRUE(gradcheck([](const Tensor& t) { return weighted_sum((t * t).log().tanh().exp()); }, x));
}

TEST(Gradcheck, ReluGradientAtAndAroundZero) {
  Tensor x = test::vec({-2, -0.5, 0.5, 3}, DType::Float64);
  x.requires_grad_(true);
  x.relu().sum().backward();
  EXPECT_EQ(test::values(x.grad()), (std::vector<double>{0, 0, 1, 1}));
  Tensor z = test::vec({0}, DType::Float64);
  z.requires_grad_(true);
  z.relu().sum().backward();
  EXPECT_EQ(test::values(z.grad()), (std::vector<double>{0}));  // PyTorch: 0 at the kink
}

TEST(Gradcheck, Reductions) {
  Tensor x = rand_tensor({2, 3, 4}, DType::Float64, 8);
  EXPECT_TRUE(gradcheck([](const Tensor& t) { return t.sum(); }, x));
  EXPECT_TRUE(gradcheck([](const Tensor& t) { return weighted_sum(t.sum({1})); }, x));
  EXPECT_TRUE(gradcheck([](const Tensor& t) { return weighted_sum(t.sum({0, -1}, true)); }, x));
  EXPECT_TRUE(gradcheck([](const Tensor& t) { return weighted_sum(t.sum({-1, 0})); }, x));
  EXPECT_TRUE(gradcheck([](const Tensor& t) { return t.mean(); }, x));
  EXPECT_TRUE(gradcheck([](const Tensor& t) { return weighted_sum(t.mean({2})); }, x));
  EXPECT_TRUE(gradcheck([](const Tensor& t) { return weighted_sum(t.mean({0, 2}, true)); }, x));
  EXPECT_TRUE(gradcheck([](const Tensor& t) { return weighted_sum((t * t).sum({1}).exp()); }, x));
}

TEST(Gradcheck, MmBothOperands) {
  Tensor a = rand_tensor({3, 4}, DType::Float64, 9), b = rand_tensor({4, 2}, DType::Float64, 10);
  EXPECT_TRUE(gradcheck([&](const Tensor& t) { return weighted_sum(t.mm(b)); }, a));
  EXPECT_TRUE(gradcheck([&](const Tensor& t) { return weighted_sum(a.mm(t)); }, b));
  EXPECT_TRUE(gradcheck([&](const Tensor& t) { return weighted_sum(t.t().mm(a.t())); }, b));
}

TEST(Gradcheck, MatmulAllRanks) {
  const std::vector<std::pair<std::vector<int64_t>, std::vector<int64_t>>> shapes = {
      {{4}, {4}}, {{3, 4}, {4}}, {{4}, {4, 2}}, {{3, 4}, {4, 2}}, {{2, 3, 4}, {4}},
      {{4}, {2, 4, 3}}, {{2, 3, 4}, {4, 5}}, {{5, 4}, {2, 4, 3}}, {{2, 1, 3, 4}, {5, 4, 2}},
  };
  uint64_t seed = 50;
  for (const auto& [sa, sb] : shapes) {
    Tensor a = rand_tensor(sa, DType::Float64, ++seed), b = rand_tensor(sb, DType::Float64, ++seed);
    EXPECT_TRUE(gradcheck([&](const Tensor& t) { return weighted_sum(t.matmul(b)); }, a))
        << shape_str(a.sizes()) << " @ " << shape_str(b.sizes()) << " wrt a";
    EXPECT_TRUE(gradcheck([&](const Tensor& t) { return weighted_sum(a.matmul(t)); }, b))
        << shape_str(a.sizes()) << " @ " << shape_str(b.sizes()) << " wrt b";
  }
}

TEST(Gradcheck, BroadcastingReducesToInputShape) {
  Tensor col = rand_tensor({3, 1}, DType::Float64, 11);
  Tensor row = rand_tensor({4}, DType::Float64, 12);
  Tensor sc = rand_tensor({}, DType::Float64, 13);
  Tensor big = rand_tensor({2, 3, 4}, DType::Float64, 14);
  EXPECT_TRUE(gradcheck([&](const Tensor& t) { return weighted_sum(t + row); }, col));
  EXPECT_TRUE(gradcheck([&](const Tensor& t) { return weighted_sum(col * t); }, row));
  EXPECT_TRUE(gradcheck([&](const Tensor& t) { return weighted_sum(big / (t + 3.0)); }, col));
  EXPECT_TRUE(gradcheck([&](const Tensor& t) { return weighted_sum(big - t); }, sc));
  EXPECT_TRUE(gradcheck([&](const Tensor& t) { return weighted_sum(t * big); }, rand_tensor({1, 3, 1}, DType::Float64, 15)));
  // Shapes of the gradients.
  Tensor a = col.clone(), b = row.clone();
  a.requires_grad_(true);
  b.requires_grad_(true);
  (a * b).sum().backward();
  EXPECT_EQ(test::shape(a.grad()), (std::vector<int64_t>{3, 1}));
  EXPECT_EQ(test::shape(b.grad()), (std::vector<int64_t>{4}));
  // d/da sum(a * b) = sum over the broadcast dim of b.
  double sb = 0;
  for (double v : test::values(row)) sb += v;
  for (double g : test::values(a.grad())) EXPECT_NEAR(g, sb, 1e-12);
}

TEST(Gradcheck, Views) {
  Tensor x = rand_tensor({2, 3, 4}, DType::Float64, 16);
  std::vector<std::pair<const char*, Fn>> fns = {
      {"view", [](const Tensor& t) { return weighted_sum(t.view({6, 4})); }},
      {"reshape_copy", [](const Tensor& t) { return weighted_sum(t.transpose(0, 2).reshape({-1})); }},
      {"permute", [](const Tensor& t) { return weighted_sum(t.permute({2, 0, 1})); }},
      {"transpose", [](const Tensor& t) { return weighted_sum(t.transpose(-1, 0)); }},
      {"t", [](const Tensor& t) { return weighted_sum(t.select(0, 1).t()); }},
      {"expand", [](const Tensor& t) { return weighted_sum(t.unsqueeze(1).expand({2, 5, 3, 4})); }},
      {"squeeze", [](const Tensor& t) { return weighted_sum(t.narrow(1, 1, 1).squeeze(1)); }},
      {"narrow", [](const Tensor& t) { return weighted_sum(t.narrow(-1, 1, 2)); }},
      {"slice_step", [](const Tensor& t) { return weighted_sum(t.slice(2, 1, std::nullopt, 2)); }},
      {"select", [](const Tensor& t) { return weighted_sum(t.select(-2, 2)); }},
      {"as_strided", [](const Tensor& t) { return weighted_sum(t.as_strided({3, 3}, {2, 1}, 1)); }},
      {"flatten", [](const Tensor& t) { return weighted_sum(t.flatten(1)); }},
      {"contiguous", [](const Tensor& t) { return weighted_sum(t.permute({1, 2, 0}).contiguous()); }},
      {"clone", [](const Tensor& t) { return weighted_sum(t.clone() * t); }},
  };
  for (auto& [name, f] : fns) EXPECT_TRUE(gradcheck(f, x)) << name;
}

TEST(Gradcheck, DtypeConversionPassesGradientThrough) {
  // Finite differences through float32 are too coarse; the gradient of a
  // cast is the upstream gradient cast back, which is checked exactly.
  Tensor x = rand_tensor({5}, DType::Float64, 20);
  x.requires_grad_(true);
  Tensor w = test::vec({1, -2, 0.5, 4, 8});
  (x.to(DType::Float32) * w).sum().backward();
  EXPECT_EQ(x.grad().dtype(), DType::Float64);
  EXPECT_EQ(test::values(x.grad()), test::values(w));
}

TEST(Gradcheck, Composite) {
  Tensor x = rand_tensor({3, 4}, DType::Float64, 17);
  Tensor w = rand_tensor({4, 2}, DType::Float64, 18);
  Tensor bias = rand_tensor({2}, DType::Float64, 19);
  // A tiny MLP layer with a mean loss.
  EXPECT_TRUE(gradcheck([&](const Tensor& t) { return (t.mm(w) + bias).tanh().mean(); }, x));
  EXPECT_TRUE(gradcheck([&](const Tensor& t) { return (x.mm(t) + bias).relu().sum(); }, w));
  EXPECT_TRUE(gradcheck([&](const Tensor& t) { return (x.mm(w) + t).exp().mean({0}).log().sum(); }, bias));
}

}  // namespace
}  // namespace ft
