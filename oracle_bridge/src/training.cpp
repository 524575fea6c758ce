// libtorch side of the training-trace suite (torch::nn + torch::optim, the C++
// frontend, whose SGD/Adam/AdamW follow the same update rules as Python's).
#include <torch/torch.h>

#include "ft/error.h"
#include "ft/oracle/training.h"

namespace ft::oracle {

struct OracleTrainer::Impl {
  TraceSpec spec;
  torch::nn::Sequential model{nullptr};
  std::unique_ptr<torch::optim::Optimizer> opt;
  at::ScalarType dt;
};

OracleTrainer::OracleTrainer(const TraceSpec& spec) : impl_(std::make_unique<Impl>()) {
  FT_CHECK(spec.model == "mlp" || spec.model == "cnn", "training oracle: unknown model '", spec.model,
           "' (known: mlp, cnn)");
  impl_->spec = spec;
  impl_->dt = spec.dtype == DType::Float64 ? at::kDouble : at::kFloat;
  torch::manual_seed(spec.seed);
  // One statement per layer: argument evaluation order is unspecified in C++
  // (GCC builds the last argument first), and init order decides the draws.
  if (spec.model == "cnn") {
    torch::nn::Conv2d conv(torch::nn::Conv2dOptions(1, 8, 3));
    torch::nn::Linear fc(8 * 13 * 13, 10);
    impl_->model = torch::nn::Sequential(conv, torch::nn::ReLU(), torch::nn::MaxPool2d(torch::nn::MaxPool2dOptions(2)),
                                         torch::nn::Flatten(), fc);
  } else {
    torch::nn::Linear fc1(784, 256);
    torch::nn::Linear fc2(256, 10);
    impl_->model = torch::nn::Sequential(fc1, torch::nn::ReLU(), fc2);
  }
  impl_->model->to(impl_->dt);
  auto params = impl_->model->parameters();
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
  std::vector<int64_t> shape = s.model == "cnn" ? std::vector<int64_t>{s.batch, 1, 28, 28} : std::vector<int64_t>{s.batch, 784};
  at::Tensor x = torch::randn(shape, at::TensorOptions().dtype(impl_->dt));
  at::Tensor y = torch::randint(0, 10, {s.batch}, at::TensorOptions().dtype(at::kLong));
  impl_->opt->zero_grad();
  at::Tensor loss = torch::nn::functional::cross_entropy(impl_->model->forward(x), y);
  loss.backward();
  impl_->opt->step();
  return loss.item<double>();
}

std::vector<double> OracleTrainer::params_flat() const {
  std::vector<double> v;
  for (const auto& p : impl_->model->parameters()) {
    at::Tensor d = p.detach().to(at::kDouble).contiguous();
    v.insert(v.end(), d.data_ptr<double>(), d.data_ptr<double>() + d.numel());
  }
  return v;
}

}  // namespace ft::oracle
