// inplace=true of the activation modules and Dropout: the forward is the
// in-place op on the input and returns that very tensor, with the values of
// the out-of-place module, PyTorch's grad_fn names and gradients (taken from
// torch 1.13: torch.nn.X(inplace=True)(leaf.clone()).grad_fn.name(); the
// gradients equal the out-of-place ones except ELU's, whose in-place formula
// reads the result and rounds differently); in-place on a leaf that requires
// grad raises, as in PyTorch.
#include <memory>

#include "ft/nn/activation.h"
#include "ft/nn/modules.h"
#include "ft/nn/norm.h"
#include "ft/random.h"
#include "test_util.h"

namespace {

using ft::Tensor;

struct InplaceCase {
  std::shared_ptr<ft::nn::Module> inplace, plain;
  const char* grad_fn;
  std::vector<double> grad_f32 = {}, grad_f64 = {};  // torch's in-place gradient when not the out-of-place one
};

std::vector<InplaceCase> inplace_cases() {
  namespace nn = ft::nn;
  return {
      {std::make_shared<nn::ReLU>(true), std::make_shared<nn::ReLU>(), "ReluBackward0"},
      {std::make_shared<nn::LeakyReLU>(0.1, true), std::make_shared<nn::LeakyReLU>(0.1), "LeakyReluBackward1"},
      {std::make_shared<nn::ELU>(0.5, true), std::make_shared<nn::ELU>(0.5), "EluBackward1",
       {0x1.de18p-12, -0x1.50386p-4, 0x1.1a880cp-1, 0x1.7b4c86p-3, 0.5, 2, -1, 0.25, 4, 1, -3},
       {0x1.de16b9c24a8p-12, -0x1.50385c094f428p-4, 0x1.1a880a8a1b36ap-1, 0x1.7b4c869c37c05p-3, 0.5, 2, -1, 0.25, 4, 1,
        -3}},
      {std::make_shared<nn::SiLU>(true), std::make_shared<nn::SiLU>(), "SiluBackward0"},
      {std::make_shared<nn::Hardtanh>(-2.0, 3.0, true), std::make_shared<nn::Hardtanh>(-2.0, 3.0), "HardtanhBackward0"},
      {std::make_shared<nn::ReLU6>(true), std::make_shared<nn::ReLU6>(), "HardtanhBackward0"},
      {std::make_shared<nn::Hardswish>(true), std::make_shared<nn::Hardswish>(), "HardswishBackward0"},
      {std::make_shared<nn::Hardsigmoid>(true), std::make_shared<nn::Hardsigmoid>(), "HardsigmoidBackward0"},
      {std::make_shared<nn::Mish>(true), std::make_shared<nn::Mish>(), "MishBackward0"},
  };
}

const std::vector<double> kValues = {-7, -2.5, -1, -0.3, 0, 0.4, 1, 2, 3.5, 6, 8};

TEST(NnInplace, ActivationModulesForwardTheInplaceOp) {
  for (ft::DType dt : {ft::DType::Float32, ft::DType::Float64}) {
    for (const auto& c : inplace_cases()) {
      SCOPED_TRACE(c.plain->type_name() + " " + ft::dtype_torch_name(dt));
      Tensor leaf_a = ft::test::vec(kValues, dt).requires_grad_();
      Tensor leaf_b = ft::test::vec(kValues, dt).requires_grad_();
      Tensor a = leaf_a.clone();
      const auto version = a._version();
      Tensor y = c.inplace->forward(a);
      Tensor want = c.plain->forward(leaf_b);
      EXPECT_TRUE(y.is_same(a));
      EXPECT_GT(a._version(), version);
      EXPECT_EQ(a.to_double_vector(), want.to_double_vector());
      EXPECT_EQ(y.grad_fn_name(), c.grad_fn);
      Tensor w = ft::test::vec({1, -2, 3, 0.5, 1, 2, -1, 0.25, 4, 1, -3}, dt);
      (y * w).sum().backward();
      (want * w).sum().backward();
      const auto& torch_grad = dt == ft::DType::Float32 ? c.grad_f32 : c.grad_f64;
      EXPECT_EQ(leaf_a.grad().to_double_vector(),
                torch_grad.empty() ? leaf_b.grad().to_double_vector() : torch_grad);
      // No grad needed: the input is rewritten and returned.
      Tensor plain_input = ft::test::vec(kValues, dt);
      Tensor z = c.inplace->forward(plain_input);
      EXPECT_TRUE(z.is_same(plain_input));
      EXPECT_EQ(plain_input.to_double_vector(), want.to_double_vector());
      // "a leaf Variable that requires grad is being used in an in-place operation."
      EXPECT_THROW(c.inplace->forward(leaf_a), ft::Error);
    }
  }
  EXPECT_THROW(ft::nn::Hardtanh(1.0, 1.0), ft::Error);  // torch asserts max_val > min_val
}

// Dropout(inplace=true) draws the same mask as the out-of-place form
// (torch: F.dropout(x, p, inplace=True) equals F.dropout(x, p) under the
// same seed), multiplies the input by it and returns the input.
TEST(NnInplace, DropoutInplaceSameMask) {
  Tensor x = ft::test::vec(kValues, ft::DType::Float64);
  ft::nn::Dropout plain(0.4), inplace(0.4, true);
  ft::manual_seed(3);
  Tensor want = plain.forward(x);
  Tensor a = x.clone();
  ft::manual_seed(3);
  Tensor y = inplace.forward(a);
  EXPECT_TRUE(y.is_same(a));
  EXPECT_EQ(a.to_double_vector(), want.to_double_vector());
  Tensor leaf = x.clone().requires_grad_();
  Tensor b = leaf.clone();
  ft::manual_seed(3);
  Tensor yb = inplace.forward(b);
  EXPECT_EQ(yb.grad_fn_name(), "MulBackward0");
  yb.sum().backward();
  ft::manual_seed(3);
  Tensor mask = plain.forward(ft::ones({int64_t(kValues.size())}, ft::DType::Float64));
  EXPECT_EQ(leaf.grad().to_double_vector(), mask.to_double_vector());
  // p = 1 zeroes in place; eval mode leaves the input alone.
  ft::nn::Dropout all(1.0, true);
  Tensor c = x.clone();
  EXPECT_TRUE(all.forward(c).is_same(c));
  EXPECT_EQ(c.to_double_vector(), std::vector<double>(kValues.size(), 0.0));
  inplace.eval();
  Tensor d = x.clone();
  EXPECT_EQ(inplace.forward(d).to_double_vector(), kValues);
}

}  // namespace
