// Training traces on libtorch, for the training-trace parity suite
// (properties/src/training_suite.cpp runs the same program on the engine).
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "ft/dtype.h"

namespace ft::oracle {

// One model + optimizer + data stream, all drawn from the default generator
// after manual_seed(seed): model init first, then per step randn inputs and
// randint labels.
struct TraceSpec {
  // "mlp": 784-256-10 ReLU MLP; "cnn": Conv2d(1, 8, 3, bias=False) - BatchNorm2d(8) -
  // ReLU - MaxPool2d(2) - Flatten - Linear(1352, 10) on 1x28x28 inputs;
  // "transformer": TransformerEncoderLayer(16, 2, 32, dropout 0) on (8, N, 16)
  // inputs, mean over the sequence, Linear(16, 10); "lstm": LSTM(8, 24) on
  // (10, N, 8) inputs, last step, Linear(24, 10); all with CrossEntropy.
  std::string model = "mlp";
  std::string optimizer = "sgd_momentum";  // "sgd_momentum" (lr, momentum 0.9) | "adam" | "adamw" | "rmsprop" | "adagrad"
  DType dtype = DType::Float64;
  uint64_t seed = 0;
  int64_t batch = 64;
  double lr = 0.01;
  // > 0: the lr follows CosineAnnealingLR(T_max = cosine_t_max, eta_min 0),
  // stepped after every optimizer step.
  int64_t cosine_t_max = 0;
};

// The shape of one step's input batch for spec's model (see TraceSpec::model).
inline std::vector<int64_t> input_shape(const TraceSpec& s) {
  if (s.model == "cnn") return {s.batch, 1, 28, 28};
  if (s.model == "transformer") return {8, s.batch, 16};
  if (s.model == "lstm") return {10, s.batch, 8};
  return {s.batch, 784};
}

class OracleTrainer {
 public:
  explicit OracleTrainer(const TraceSpec& spec);
  ~OracleTrainer();
  // One step: zero_grad, forward, loss, backward, optimizer step; returns the loss.
  double step();
  // Every parameter, flattened in named_parameters order, as doubles.
  std::vector<double> params_flat() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace ft::oracle
