// Autograd mechanics: requires_grad and leaves, backward from a scalar, .grad
// accumulation, gradient dtypes, grad_fn names, retain_graph, saved-tensor
// version checks, no_grad, in-place ops on non-leaves, create_graph.
#include <gtest/gtest.h>

#include "test_util.h"

namespace ft {
namespace {

using test::values;
using test::vec;
using V = std::vector<double>;

Tensor leaf(const V& v, DType dt = DType::Float64) {
  Tensor t = vec(v, dt);
  t.requires_grad_(true);
  return t;
}

TEST(Autograd, RequiresGradAndLeaves) {
  Tensor x = vec({1, 2});
  EXPECT_FALSE(x.requires_grad());
  EXPECT_TRUE(x.is_leaf());
  x.requires_grad_(true);
  EXPECT_TRUE(x.requires_grad());
  EXPECT_TRUE(x.is_leaf());
  EXPECT_EQ(x.grad_fn(), nullptr);
  Tensor y = x * Scalar(2);
  EXPECT_TRUE(y.requires_grad());
  EXPECT_FALSE(y.is_leaf());
  ASSERT_NE(y.grad_fn(), nullptr);
  Tensor z = vec({1, 2}) * Scalar(2);  // no input requires grad
  EXPECT_FALSE(z.requires_grad());
  EXPECT_EQ(z.grad_fn(), nullptr);
  FT_EXPECT_ERROR(y.requires_grad_(false), ErrorKind::Runtime,
                  "you can only change requires_grad flags of leaf variables.");
  Tensor d = y.detach();
  EXPECT_FALSE(d.requires_grad());
  EXPECT_TRUE(d.is_leaf());
  EXPECT_TRUE(test::same_storage(d, y));
  EXPECT_TRUE(ones({2}, TensorOptions(DType::Float32)).is_leaf());
}

TEST(Autograd, BackwardFromScalar) {
  Tensor x = leaf({1, 2, 3});
  Tensor y = (x * x).sum();
  EXPECT_EQ(y.dim(), 0);
  y.backward();
  ASSERT_TRUE(x.grad().defined());
  EXPECT_EQ(values(x.grad()), (V{2, 4, 6}));
  EXPECT_FALSE(x.grad().requires_grad());
}

TEST(Autograd, BackwardWithExplicitGradient) {
  Tensor x = leaf({1, 2, 3});
  Tensor y = x * Scalar(3);
  y.backward(vec({1, 10, 100}, DType::Float64));
  EXPECT_EQ(values(x.grad()), (V{3, 30, 300}));
}

TEST(Autograd, LeafGradAccumulatesAcrossBackwardCalls) {
  Tensor x = leaf({1, 2});
  (x * x).sum().backward();
  Tensor g1 = x.grad();
  EXPECT_EQ(values(g1), (V{2, 4}));
  (x * Scalar(5)).sum().backward();
  EXPECT_EQ(values(x.grad()), (V{7, 9}));
  // Reset like optimizer.zero_grad(set_to_none=True).
  x.mutable_grad() = Tensor();
  x.sum().backward();
  EXPECT_EQ(values(x.grad()), (V{1, 1}));
}

TEST(Autograd, GradientsOfSeveralPathsAreSummed) {
  Tensor x = leaf({1, 2});
  Tensor y = x * Scalar(2) + x * Scalar(3) + x * x;
  y.sum().backward();
  EXPECT_EQ(values(x.grad()), (V{7, 9}));  // 2 + 3 + 2x
}

TEST(Autograd, RetainGraphAllowsASecondBackward) {
  Tensor x = leaf({1, 2});
  Tensor y = (x * x).sum();
  y.backward(Tensor(), /*retain_graph=*/true);
  y.backward();
  EXPECT_EQ(values(x.grad()), (V{4, 8}));
}

TEST(Autograd, SecondBackwardWithoutRetainGraphRaises) {
  Tensor x = leaf({1, 2});
  Tensor y = (x * x).sum();
  y.backward();
  FT_EXPECT_ERROR(y.backward(), ErrorKind::Runtime,
                  "Trying to backward through the graph a second time (or directly access saved tensors after they "
                  "have already been freed).");
}

TEST(Autograd, GradDtypeMatchesInputDtype) {
  Tensor x = leaf({1, 2}, DType::Float32);
  (x.to(DType::Float64) * Scalar(2)).sum().backward();
  EXPECT_EQ(x.grad().dtype(), DType::Float32);
  EXPECT_EQ(values(x.grad()), (V{2, 2}));
  Tensor a = leaf({1, 2}, DType::Float32);
  Tensor b = leaf({3, 4}, DType::Float64);
  Tensor p = a * b;
  EXPECT_EQ(p.dtype(), DType::Float64);
  p.sum().backward();
  EXPECT_EQ(a.grad().dtype(), DType::Float32);
  EXPECT_EQ(b.grad().dtype(), DType::Float64);
  EXPECT_EQ(values(a.grad()), (V{3, 4}));
  EXPECT_EQ(values(b.grad()), (V{1, 2}));
}

TEST(Autograd, GradFnNames) {
  Tensor x = ones({2, 3}, DType::Float64);
  x.requires_grad_(true);
  Tensor y = ones({2, 3}, DType::Float64);
  y.requires_grad_(true);
  EXPECT_EQ((x + y).grad_fn_name(), "AddBackward0");
  EXPECT_EQ((x + 2).grad_fn_name(), "AddBackward0");
  EXPECT_EQ((x - y).grad_fn_name(), "SubBackward0");
  EXPECT_EQ((x * y).grad_fn_name(), "MulBackward0");
  EXPECT_EQ((x * 2).grad_fn_name(), "MulBackward0");
  EXPECT_EQ((x / y).grad_fn_name(), "DivBackward0");
  EXPECT_EQ((-x).grad_fn_name(), "NegBackward0");
  EXPECT_EQ(x.exp().grad_fn_name(), "ExpBackward0");
  EXPECT_EQ(x.log().grad_fn_name(), "LogBackward0");
  EXPECT_EQ(x.tanh().grad_fn_name(), "TanhBackward0");
  EXPECT_EQ(x.relu().grad_fn_name(), "ReluBackward0");
  EXPECT_EQ(x.sum().grad_fn_name(), "SumBackward0");
  EXPECT_EQ(x.sum({0}).grad_fn_name(), "SumBackward1");
  EXPECT_EQ(x.mean().grad_fn_name(), "MeanBackward0");
  EXPECT_EQ(x.mean({1}).grad_fn_name(), "MeanBackward1");
  EXPECT_EQ(x.mm(y.t()).grad_fn_name(), "MmBackward0");
  EXPECT_EQ(x.view({6}).grad_fn_name(), "ViewBackward0");
  EXPECT_EQ(x.reshape({3, 2}).grad_fn_name(), "ReshapeAliasBackward0");
  EXPECT_EQ(x.t().reshape({6}).grad_fn_name(), "UnsafeViewBackward0");
  EXPECT_EQ(x.flatten().grad_fn_name(), "ReshapeAliasBackward0");
  EXPECT_EQ(x.permute({1, 0}).grad_fn_name(), "PermuteBackward0");
  EXPECT_EQ(x.transpose(0, 1).grad_fn_name(), "TransposeBackward0");
  EXPECT_EQ(x.t().grad_fn_name(), "TBackward0");
  EXPECT_EQ(x.unsqueeze(0).expand({2, 2, 3}).grad_fn_name(), "ExpandBackward0");
  EXPECT_EQ(x.narrow(1, 0, 2).grad_fn_name(), "SliceBackward0");
  EXPECT_EQ(x.slice(1, 0, std::nullopt, 2).grad_fn_name(), "SliceBackward0");
  EXPECT_EQ(x.select(0, 1).grad_fn_name(), "SelectBackward0");
  EXPECT_EQ(x.as_strided({2}, {1}).grad_fn_name(), "AsStridedBackward0");
  EXPECT_EQ(x.squeeze().grad_fn_name(), "SqueezeBackward0");
  EXPECT_EQ(x.unsqueeze(0).squeeze(0).grad_fn_name(), "SqueezeBackward1");
  EXPECT_EQ(x.unsqueeze(1).grad_fn_name(), "UnsqueezeBackward0");
  EXPECT_EQ(x.clone().grad_fn_name(), "CloneBackward0");
  EXPECT_EQ(x.t().contiguous().grad_fn_name(), "CloneBackward0");
  EXPECT_EQ(x.to(DType::Float32).grad_fn_name(), "ToCopyBackward0");
  EXPECT_EQ(x.grad_fn_name(), "");
}

TEST(Autograd, ModifiedSavedTensorRaises) {
  Tensor x = leaf({1, 2, 3});
  Tensor a = x * Scalar(2);
  Tensor y = a * a;  // saves a
  a.add_(ones({3}, DType::Float64));
  FT_EXPECT_ERROR(y.sum().backward(), ErrorKind::Runtime,
                  "one of the variables needed for gradient computation has been modified by an inplace operation: "
                  "[torch.DoubleTensor [3]], which is output 0 of AddBackward0, is at version 1; expected version 0 "
                  "instead.");
  // A saved output (exp saves its result) modified in place.
  Tensor b = x * Scalar(2);
  Tensor e = b.exp();
  e.mul_(ones({3}, DType::Float64));
  FT_EXPECT_ERROR(e.sum().backward(), ErrorKind::Runtime,
                  "[torch.DoubleTensor [3]], which is output 0 of ExpBackward0, is at version 1; expected version 0");
  // Modifying through a view counts too.
  Tensor c = x * Scalar(1);
  Tensor t = c.tanh();
  Tensor u = t * c;  // saves c
  c.view({3}).mul_(ones({3}, DType::Float64));
  FT_EXPECT_ERROR(u.sum().backward(), ErrorKind::Runtime, "modified by an inplace operation");
}

TEST(Autograd, NoGradProducesNoGraph) {
  Tensor x = leaf({1, 2});
  {
    autograd::NoGradGuard ng;
    EXPECT_FALSE(autograd::is_grad_enabled());
    Tensor y = x * Scalar(2);
    EXPECT_EQ(y.grad_fn(), nullptr);
    EXPECT_FALSE(y.requires_grad());
    Tensor v = x.view({2, 1});
    EXPECT_EQ(v.grad_fn(), nullptr);
    {
      autograd::EnableGradGuard eg;
      EXPECT_NE((x * Scalar(2)).grad_fn(), nullptr);
    }
    EXPECT_FALSE(autograd::is_grad_enabled());
  }
  EXPECT_TRUE(autograd::is_grad_enabled());
  EXPECT_NE((x * Scalar(2)).grad_fn(), nullptr);
}

TEST(Autograd, InPlaceOnNonLeafRebasesHistory) {
  Tensor x = leaf({1, 2, 3});
  Tensor y = x * Scalar(1);
  y.mul_(test::make({2}, {}, DType::Float64));
  EXPECT_EQ(y.grad_fn_name(), "MulBackward0");
  y.sum().backward();
  EXPECT_EQ(values(x.grad()), (V{2, 2, 2}));

  // A chain of in-place ops: d/dx exp(2x) = 2 exp(2x).
  Tensor x2 = leaf({0.5, -1});
  Tensor z = x2 * Scalar(2);
  z.exp_();
  EXPECT_EQ(z.grad_fn_name(), "ExpBackward0");
  z.sum().backward();
  EXPECT_TRUE(test::all_close(values(x2.grad()), V{2 * std::exp(1.0), 2 * std::exp(-2.0)}, 1e-12, 1e-12));

  // In-place with another tensor that requires grad: both get gradients.
  Tensor a = leaf({1, 2});
  Tensor b = leaf({3, 4});
  Tensor w = a * Scalar(1);
  w.mul_(b);
  w.sum().backward();
  EXPECT_EQ(values(a.grad()), (V{3, 4}));
  EXPECT_EQ(values(b.grad()), (V{1, 2}));

  // In-place on a tensor that did not require grad, with one that does.
  Tensor c = vec({5, 6}, DType::Float64);
  Tensor d = leaf({1, 1});
  c.add_(d, 3);
  EXPECT_TRUE(c.requires_grad());
  c.sum().backward();
  EXPECT_EQ(values(d.grad()), (V{3, 3}));
}

TEST(Autograd, FillAndZeroCutTheGradient) {
  Tensor x = leaf({1, 2, 3});
  Tensor y = x * Scalar(2);
  y.fill_(1);
  EXPECT_EQ(y.grad_fn_name(), "FillBackward2");
  (y * x).sum().backward();  // only the direct use of x contributes
  EXPECT_EQ(values(x.grad()), (V{1, 1, 1}));
  Tensor a = leaf({1, 2});
  Tensor b = a * Scalar(3);
  b.zero_();
  EXPECT_EQ(b.grad_fn_name(), "ZeroBackward0");
  b.sum().backward();
  ASSERT_TRUE(a.grad().defined());  // a zero gradient, not none (as PyTorch)
  EXPECT_EQ(values(a.grad()), (V{0, 0}));
}

TEST(Autograd, CopyIntoNonLeafRoutesGradientToSource) {
  Tensor src = leaf({1, 2, 3}, DType::Float32);
  Tensor dst = zeros({2, 3}, DType::Float64);
  dst.copy_(src);  // broadcast + dtype conversion
  EXPECT_EQ(dst.grad_fn_name(), "CopyBackwards");
  (dst * vec({1, 10, 100}, DType::Float64)).sum().backward();
  EXPECT_EQ(src.grad().dtype(), DType::Float32);
  EXPECT_EQ(values(src.grad()), (V{2, 20, 200}));
}

// PyTorch's retain_graph defaults to create_graph; this API takes it explicitly.
TEST(Autograd, DoubleBackwardWithCreateGraph) {
  Tensor x = leaf({1, 2, -3});
  Tensor y = (x * x * x).sum();
  y.backward(Tensor(), /*retain_graph=*/true, /*create_graph=*/true);
  Tensor g = x.grad();  // 3x^2, itself differentiable
  EXPECT_EQ(values(g), (V{3, 12, 27}));
  ASSERT_TRUE(g.requires_grad());
  x.mutable_grad() = Tensor();
  g.sum().backward();
  EXPECT_EQ(values(x.grad()), (V{6, 12, -18}));  // d/dx 3x^2 = 6x
}

TEST(Autograd, DoubleBackwardAfterFreedGraphRaises) {
  // create_graph with an explicit retain_graph=false frees the first-order
  // graph, which the gradient's own graph runs through (PyTorch raises too).
  Tensor x = leaf({1, 2});
  (x * x * x).sum().backward(Tensor(), /*retain_graph=*/false, /*create_graph=*/true);
  Tensor g = x.grad();
  x.mutable_grad() = Tensor();
  FT_EXPECT_ERROR(g.sum().backward(), ErrorKind::Runtime, "Trying to backward through the graph a second time");
}

TEST(Autograd, DoubleBackwardOfTanhAndExp) {
  // d2/dx2 tanh = -2 tanh (1 - tanh^2); d2/dx2 exp = exp.
  Tensor x = leaf({0.3, -0.7});
  x.tanh().sum().backward(Tensor(), true, true);
  Tensor g = x.grad();
  x.mutable_grad() = Tensor();
  g.sum().backward();
  V want;
  for (double v : {0.3, -0.7}) want.push_back(-2 * std::tanh(v) * (1 - std::tanh(v) * std::tanh(v)));
  EXPECT_TRUE(test::all_close(values(x.grad()), want, 1e-12, 1e-12));

  Tensor z = leaf({0.5});
  z.exp().sum().backward(Tensor(), true, true);
  Tensor gz = z.grad();
  z.mutable_grad() = Tensor();
  gz.sum().backward();
  EXPECT_NEAR(values(z.grad())[0], std::exp(0.5), 1e-12);
}

}  // namespace
}  // namespace ft
