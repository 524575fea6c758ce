// libtorch side of the training-trace suite (torch::nn + torch::optim, the C++
// frontend, whose SGD/Adam/AdamW follow the same update rules as Python's).
//
// NOTE [ Cosine schedule on the oracle side ]
// The C++ frontend has no CosineAnnealingLR, so the lr of step k (1-based) is
// set before the optimizer step by the closed form
// eta_min + (base - eta_min) * (1 + cos(pi * (k - 1) / T_max)) / 2. The engine
// runs its CosineAnnealingLR, which follows Python's recursive formula: the
// two agree to a few ulps of the lr, far inside the 1e-10 f64 bound.
#include <torch/torch.h>

#include <cmath>
#include <functional>

#include "ft/error.h"
#include "ft/oracle/training.h"

namespace ft::oracle {

struct OracleTrainer::Impl {
  TraceSpec spec;
  std::vector<std::shared_ptr<torch::nn::Module>> modules;  // owners, in parameter order
  std::function<at::Tensor(const at::Tensor&)> forward;
  std::vector<at::Tensor> params;
  std::unique_ptr<torch::optim::Optimizer> opt;
  at::ScalarType dt;
  int64_t steps_done = 0;
};

OracleTrainer::OracleTrainer(const TraceSpec& spec) : impl_(std::make_unique<Impl>()) {
  FT_CHECK(spec.model == "mlp" || spec.model == "cnn" || spec.model == "transformer" || spec.model == "lstm",
           "training oracle: unknown model '", spec.model, "' (known: mlp, cnn, transformer, lstm)");
  impl_->spec = spec;
  impl_->dt = spec.dtype == DType::Float64 ? at::kDouble : at::kFloat;
  torch::manual_seed(spec.seed);
  // One statement per layer: argument evaluation order is unspecified in C++
  // (GCC builds the last argument first), and init order decides the draws.
  auto& m = *impl_;
  if (spec.model == "cnn") {
    torch::nn::Conv2d conv(torch::nn::Conv2dOptions(1, 8, 3).bias(false));  // see the engine side
    torch::nn::Linear fc(8 * 13 * 13, 10);
    torch::nn::Sequential seq(conv, torch::nn::BatchNorm2d(8), torch::nn::ReLU(),
                              torch::nn::MaxPool2d(torch::nn::MaxPool2dOptions(2)), torch::nn::Flatten(), fc);
    m.modules = {seq.ptr()};
    m.forward = [seq](const at::Tensor& x) mutable { return seq->forward(x); };
  } else if (spec.model == "transformer") {
    torch::nn::TransformerEncoderLayer enc(torch::nn::TransformerEncoderLayerOptions(16, 2).dim_feedforward(32).dropout(0.0));
    torch::nn::Linear fc(16, 10);
    m.modules = {enc.ptr(), fc.ptr()};
    m.forward = [enc, fc](const at::Tensor& x) mutable { return fc->forward(enc->forward(x).mean(0)); };
  } else if (spec.model == "lstm") {
    torch::nn::LSTM lstm(torch::nn::LSTMOptions(8, 24));
    torch::nn::Linear fc(24, 10);
    m.modules = {lstm.ptr(), fc.ptr()};
    m.forward = [lstm, fc](const at::Tensor& x) mutable {
      return fc->forward(std::get<0>(lstm->forward(x)).select(0, -1));
    };
  } else {
    torch::nn::Linear fc1(784, 256);
    torch::nn::Linear fc2(256, 10);
    torch::nn::Sequential seq(fc1, torch::nn::ReLU(), fc2);
    m.modules = {seq.ptr()};
    m.forward = [seq](const at::Tensor& x) mutable { return seq->forward(x); };
  }
  for (auto& mod : m.modules) {
    mod->to(m.dt);
    for (auto& p : mod->parameters())
      if (p.defined()) m.params.push_back(p);
  }
  auto params = m.params;
  if (spec.optimizer == "sgd_momentum") {
    impl_->opt = std::make_unique<torch::optim::SGD>(params, torch::optim::SGDOptions(spec.lr).momentum(0.9));
  } else if (spec.optimizer == "adam") {
    impl_->opt = std::make_unique<torch::optim::Adam>(params, torch::optim::AdamOptions(spec.lr));
  } else if (spec.optimizer == "adamw") {
    impl_->opt = std::make_unique<torch::optim::AdamW>(params, torch::optim::AdamWOptions(spec.lr));
  } else if (spec.optimizer == "rmsprop") {
    impl_->opt = std::make_unique<torch::optim::RMSprop>(params, torch::optim::RMSpropOptions(spec.lr));
  } else if (spec.optimizer == "adagrad") {
    impl_->opt = std::make_unique<torch::optim::Adagrad>(params, torch::optim::AdagradOptions(spec.lr).initial_accumulator_value(0.1));  // see the engine side
  } else {
    FT_CHECK(false, "training oracle: unknown optimizer '", spec.optimizer, "'");
  }
}

OracleTrainer::~OracleTrainer() = default;

double OracleTrainer::step() {
  auto& s = impl_->spec;
  at::Tensor x = torch::randn(input_shape(s), at::TensorOptions().dtype(impl_->dt));
  at::Tensor y = torch::randint(0, 10, {s.batch}, at::TensorOptions().dtype(at::kLong));
  impl_->opt->zero_grad();
  at::Tensor loss = torch::nn::functional::cross_entropy(impl_->forward(x), y);
  loss.backward();
  if (s.cosine_t_max > 0) {  // NOTE [ Cosine schedule on the oracle side ]
    const double pi = std::acos(-1.0);
    const double lr = s.lr * (1 + std::cos(pi * double(impl_->steps_done) / double(s.cosine_t_max))) / 2;
    for (auto& g : impl_->opt->param_groups()) g.options().set_lr(lr);
  }
  impl_->opt->step();
  ++impl_->steps_done;
  return loss.item<double>();
}

std::vector<double> OracleTrainer::params_flat() const {
  std::vector<double> v;
  for (const auto& p : impl_->params) {
    at::Tensor d = p.detach().to(at::kDouble).contiguous();
    v.insert(v.end(), d.data_ptr<double>(), d.data_ptr<double>() + d.numel());
  }
  return v;
}

}  // namespace ft::oracle
