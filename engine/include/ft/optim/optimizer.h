// Optimizers: SGD, Adam, AdamW with PyTorch 1.13's update rules.
//
// NOTE [ Fused optimizer updates ]
// Each step is one pass per parameter over raw memory (split into chunks
// across threads, NOTE [ Deterministic chunking ]) instead of the 5-8
// tensor ops PyTorch's single-tensor loop issues. Every intermediate is
// still rounded to the parameter dtype in PyTorch's order, with the same
// fused multiply-adds ATen's add(alpha=) kernel uses and the Python floats
// cast to the dtype where ATen casts them, so the parameters match PyTorch's
// bit for bit or to the last ulp (checked by the training-trace suite).
#pragma once

#include <map>
#include <string>
#include <utility>
#include <vector>

#include "ft/tensor.h"

namespace ft::optim {

// Per-parameter state by name ("momentum_buffer", "step", "exp_avg", ...),
// keyed by the parameter's index in the optimizer (PyTorch's state_dict layout).
struct OptimizerStateDict {
  std::map<int64_t, std::vector<std::pair<std::string, Tensor>>> state;
  std::vector<std::map<std::string, double>> param_groups;  // hyperparameters; "params" not included
  std::vector<std::vector<int64_t>> group_params;           // parameter indices per group
};

class Optimizer {
 public:
  explicit Optimizer(std::vector<Tensor> params);
  virtual ~Optimizer() = default;
  virtual void step() = 0;
  // set_to_none=false zeroes in place (PyTorch 1.13's default).
  void zero_grad(bool set_to_none = false);
  const std::vector<Tensor>& params() const { return params_; }
  double lr() const { return lr_; }
  void set_lr(double lr) { lr_ = lr; }
  virtual OptimizerStateDict state_dict() const = 0;
  virtual void load_state_dict(const OptimizerStateDict& sd) = 0;

 protected:
  std::vector<Tensor> params_;
  double lr_ = 0;
};

struct SGDOptions {
  double lr = 0.01, momentum = 0, dampening = 0, weight_decay = 0;
  bool nesterov = false, maximize = false;
};

class SGD : public Optimizer {
 public:
  SGD(std::vector<Tensor> params, SGDOptions opts);
  void step() override;
  OptimizerStateDict state_dict() const override;
  void load_state_dict(const OptimizerStateDict& sd) override;
  const SGDOptions& options() const { return o_; }

 private:
  SGDOptions o_;
  std::vector<Tensor> momentum_;  // undefined until the first step
};

struct AdamOptions {
  double lr = 1e-3, beta1 = 0.9, beta2 = 0.999, eps = 1e-8, weight_decay = 0;
  bool amsgrad = false, maximize = false;
};

// decoupled=true is AdamW (weight decay multiplies the parameter first).
class Adam : public Optimizer {
 public:
  Adam(std::vector<Tensor> params, AdamOptions opts, bool decoupled_weight_decay = false);
  void step() override;
  OptimizerStateDict state_dict() const override;
  void load_state_dict(const OptimizerStateDict& sd) override;
  const AdamOptions& options() const { return o_; }

 private:
  AdamOptions o_;
  bool decoupled_;
  std::vector<int64_t> steps_;
  std::vector<Tensor> exp_avg_, exp_avg_sq_, max_exp_avg_sq_;
};

class AdamW : public Adam {
 public:
  // PyTorch's AdamW default weight_decay is 1e-2.
  AdamW(std::vector<Tensor> params, AdamOptions opts) : Adam(std::move(params), opts, true) {}
};

}  // namespace ft::optim
