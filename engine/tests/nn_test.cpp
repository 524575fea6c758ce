// nn::Module, init, losses and optimizers, engine only (libtorch parity of
// the whole training loop lives in properties/tests/training_test.cpp).
#include <gtest/gtest.h>

#include <cmath>

#include "ft/autograd.h"
#include "ft/nn/functional.h"
#include "ft/nn/init.h"
#include "ft/nn/modules.h"
#include "ft/optim/optimizer.h"
#include "ft/random.h"

namespace F = ft::nn::functional;

namespace {

std::shared_ptr<ft::nn::Sequential> mlp() {
  auto a = std::make_shared<ft::nn::Linear>(4, 3);
  auto b = std::make_shared<ft::nn::Linear>(3, 2);
  return std::make_shared<ft::nn::Sequential>(std::initializer_list<ft::nn::ModulePtr>{a, std::make_shared<ft::nn::ReLU>(), b});
}

TEST(NnModule, NamesFollowRegistrationOrder) {
  auto m = mlp();
  auto np = m->named_parameters();
  ASSERT_EQ(np.size(), 4u);
  EXPECT_EQ(np[0].first, "0.weight");
  EXPECT_EQ(np[1].first, "0.bias");
  EXPECT_EQ(np[2].first, "2.weight");
  EXPECT_EQ(np[3].first, "2.bias");
  EXPECT_EQ(np[0].second.sizes().vec(), (std::vector<int64_t>{3, 4}));
  EXPECT_TRUE(np[0].second.requires_grad());
  EXPECT_EQ(m->named_modules().size(), 4u);
}

TEST(NnModule, LinearInitBoundsAndSeedDeterminism) {
  ft::manual_seed(0);
  ft::nn::Linear a(100, 7);
  ft::manual_seed(0);
  ft::nn::Linear b(100, 7);
  auto wa = a.weight().to_double_vector(), wb = b.weight().to_double_vector();
  EXPECT_EQ(wa, wb);
  const double bound = 1.0 / std::sqrt(100.0);  // kaiming_uniform(a=sqrt(5)) => 1/sqrt(fan_in)
  for (double v : wa) EXPECT_LE(std::abs(v), bound + 1e-7);
  for (double v : a.bias().to_double_vector()) EXPECT_LE(std::abs(v), bound + 1e-7);
}

TEST(NnModule, StateDictRoundTripAndStrictErrors) {
  auto m = mlp(), n = mlp();
  auto sd = m->state_dict();
  ASSERT_EQ(sd.size(), 4u);
  n->load_state_dict(sd);
  EXPECT_EQ(n->named_parameters()[0].second.to_double_vector(), m->named_parameters()[0].second.to_double_vector());
  // Identity kept: the module's tensors were written in place.
  auto w = n->named_parameters()[0].second;
  n->load_state_dict(mlp()->state_dict());
  EXPECT_TRUE(w.is_same(n->named_parameters()[0].second));

  auto missing = sd;
  missing.pop_back();
  missing.push_back({"extra.weight", ft::zeros({1})});
  try {
    n->load_state_dict(missing);
    FAIL() << "strict load accepted a missing and an unexpected key";
  } catch (const ft::Error& e) {
    std::string msg = e.what();
    EXPECT_NE(msg.find("Missing key(s) in state_dict: \"2.bias\""), std::string::npos) << msg;
    EXPECT_NE(msg.find("Unexpected key(s) in state_dict: \"extra.weight\""), std::string::npos) << msg;
  }
  auto r = n->load_state_dict(missing, /*strict=*/false);
  EXPECT_EQ(r.missing_keys, std::vector<std::string>{"2.bias"});
  EXPECT_EQ(r.unexpected_keys, std::vector<std::string>{"extra.weight"});

  auto bad_shape = sd;
  bad_shape[0].second = ft::zeros({2, 2});
  EXPECT_THROW(n->load_state_dict(bad_shape, false), ft::Error);
}

TEST(NnModule, TrainEvalZeroGradAndTo) {
  auto m = mlp();
  m->eval();
  EXPECT_FALSE((*m)[0]->is_training());
  m->train();
  EXPECT_TRUE((*m)[2]->is_training());
  ft::Tensor x = ft::randn({5, 4});
  F::mse_loss((*m)(x), ft::zeros({5, 2})).backward();
  for (auto& p : m->parameters()) ASSERT_TRUE(p.grad().defined());
  m->zero_grad();
  for (auto& p : m->parameters())
    for (double v : p.grad().to_double_vector()) EXPECT_EQ(v, 0.0);
  m->zero_grad(/*set_to_none=*/true);
  for (auto& p : m->parameters()) EXPECT_FALSE(p.grad().defined());
  m->to(ft::DType::Float64);
  for (auto& p : m->parameters()) {
    EXPECT_EQ(p.dtype(), ft::DType::Float64);
    EXPECT_TRUE(p.requires_grad());
    EXPECT_TRUE(p.is_leaf());
  }
}

TEST(NnLoss, NllAndCrossEntropyByHand) {
  ft::Tensor logits = ft::from_vector({1, 2, 3, 0.5, 0.5, -1}, {2, 3}, ft::DType::Float64).requires_grad_();
  ft::Tensor target = ft::from_vector({2, 0}, {2}, ft::DType::Int64);
  ft::Tensor loss = F::cross_entropy(logits, target);
  // By hand: -log softmax at the targets, averaged.
  double l0 = -(3 - std::log(std::exp(1) + std::exp(2) + std::exp(3)));
  double l1 = -(0.5 - std::log(2 * std::exp(0.5) + std::exp(-1)));
  EXPECT_NEAR(loss.item<double>(), (l0 + l1) / 2, 1e-12);
  loss.backward();
  auto g = logits.grad().to_double_vector();
  double s0 = std::exp(1) + std::exp(2) + std::exp(3);
  EXPECT_NEAR(g[2], (std::exp(3) / s0 - 1) / 2, 1e-12);  // d/dx_t = (softmax - 1) / N
  EXPECT_NEAR(g[0], (std::exp(1) / s0) / 2, 1e-12);
  // ignore_index and weights: the ignored sample adds nothing, mean divides by weight sum.
  ft::Tensor w = ft::from_vector({1, 1, 4}, {3}, ft::DType::Float64);
  ft::Tensor t2 = ft::from_vector({2, -100}, {2}, ft::DType::Int64);
  EXPECT_NEAR(F::cross_entropy(logits.detach(), t2, w).item<double>(), l0, 1e-12);
  ft::Tensor none = F::nll_loss(ft::log_softmax(logits.detach(), 1), target, ft::Tensor(), "none");
  EXPECT_EQ(none.sizes().vec(), std::vector<int64_t>{2});
  EXPECT_THROW(F::nll_loss(logits.detach(), ft::from_vector({3, 0}, {2}, ft::DType::Int64)), ft::Error);
  EXPECT_THROW(F::nll_loss(logits.detach(), target, ft::Tensor(), "avg"), ft::Error);
}

TEST(Optim, SgdMomentumMatchesTheFormula) {
  ft::Tensor p = ft::from_vector({1.0, -2.0}, {2}, ft::DType::Float64).requires_grad_();
  ft::optim::SGDOptions o;
  o.lr = 0.1;
  o.momentum = 0.9;
  o.weight_decay = 0.01;
  ft::optim::SGD opt({p}, o);
  double buf[2] = {0, 0}, pv[2] = {1.0, -2.0};
  for (int step = 0; step < 3; ++step) {
    opt.zero_grad();
    (p * p).sum().backward();  // g = 2p
    opt.step();
    for (int i = 0; i < 2; ++i) {
      double d = 2 * pv[i] + 0.01 * pv[i];
      buf[i] = step == 0 ? d : buf[i] * 0.9 + d;
      pv[i] -= 0.1 * buf[i];
    }
  }
  auto got = p.to_double_vector();
  EXPECT_NEAR(got[0], pv[0], 1e-15);
  EXPECT_NEAR(got[1], pv[1], 1e-15);
  auto sd = opt.state_dict();
  ASSERT_EQ(sd.state.size(), 1u);
  EXPECT_EQ(sd.state.at(0).at(0).first, "momentum_buffer");
}

TEST(Optim, AdamFirstStepMovesByLr) {
  // Adam's first step is lr * sign(g) (up to eps): bias correction cancels.
  ft::Tensor p = ft::from_vector({1.0, -1.0, 3.0}, {3}, ft::DType::Float64).requires_grad_();
  ft::optim::AdamOptions o;
  o.lr = 0.01;
  ft::optim::Adam opt({p}, o);
  (p * p).sum().backward();
  opt.step();
  auto got = p.to_double_vector();
  EXPECT_NEAR(got[0], 1.0 - 0.01, 1e-9);
  EXPECT_NEAR(got[1], -1.0 + 0.01, 1e-9);
  EXPECT_NEAR(got[2], 3.0 - 0.01, 1e-9);
  EXPECT_EQ(p._version() > 0, true);
  // Save, load into a fresh optimizer, step both: same result.
  ft::Tensor q = p.detach().clone().requires_grad_();
  ft::optim::Adam opt2({q}, o);
  opt2.load_state_dict(opt.state_dict());
  opt.zero_grad();
  (p * p).sum().backward();
  opt.step();
  (q * q).sum().backward();
  opt2.step();
  EXPECT_EQ(p.to_double_vector(), q.to_double_vector());
}

TEST(Optim, BadArgumentsRaise) {
  ft::Tensor p = ft::zeros({2}).requires_grad_();
  ft::optim::SGDOptions o;
  o.lr = -1;
  EXPECT_THROW(ft::optim::SGD({p}, o), ft::Error);
  EXPECT_THROW(ft::optim::SGD(std::vector<ft::Tensor>{}, ft::optim::SGDOptions{}), ft::Error);
  EXPECT_THROW(ft::optim::SGD({p, p}, ft::optim::SGDOptions{}), ft::Error);
  ft::Tensor nonleaf = p * 2;
  EXPECT_THROW(ft::optim::SGD({nonleaf}, ft::optim::SGDOptions{}), ft::Error);
  ft::optim::AdamOptions ao;
  ao.beta1 = 1.0;
  EXPECT_THROW(ft::optim::Adam({p}, ao), ft::Error);
}

}  // namespace
