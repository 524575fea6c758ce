// Optimizers: SGD, Adam, AdamW, RMSprop, Adagrad with PyTorch 1.13's update
// rules (the single-tensor, foreach=False ones).
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
#include <optional>
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

// NOTE [ Parameter groups ]
// Today every optimizer has exactly one parameter group: all parameters share
// its hyperparameters. The LR schedulers (ft/optim/lr_scheduler.h) already
// address groups by index through the group_* accessors below (PyTorch's
// optimizer.param_groups[i]['lr'], ['initial_lr'], ['momentum'] / ['betas'][0]),
// so adding groups later changes these accessors and the state_dict layout,
// not the schedulers.
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

  // Parameter groups (NOTE [ Parameter groups ]); g must be < num_param_groups().
  int64_t num_param_groups() const { return 1; }
  double group_lr(int64_t g) const;
  void set_group_lr(int64_t g, double lr);
  // PyTorch's group['initial_lr'], set by the first scheduler attached.
  std::optional<double> group_initial_lr(int64_t g) const;
  void set_group_initial_lr(int64_t g, double lr);
  // The momentum a scheduler may cycle (OneCycleLR): group['momentum'] for
  // SGD and RMSprop, group['betas'][0] for Adam/AdamW, none for Adagrad.
  enum class MomentumKind { None, Momentum, Beta1 };
  virtual MomentumKind momentum_kind() const { return MomentumKind::None; }
  virtual double group_momentum(int64_t g) const;
  virtual void set_group_momentum(int64_t g, double m);

 protected:
  void check_group(int64_t g) const;
  std::vector<Tensor> params_;
  double lr_ = 0;
  std::optional<double> initial_lr_;
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
  MomentumKind momentum_kind() const override { return MomentumKind::Momentum; }
  double group_momentum(int64_t g) const override;
  void set_group_momentum(int64_t g, double m) override;

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
  MomentumKind momentum_kind() const override { return MomentumKind::Beta1; }
  double group_momentum(int64_t g) const override;
  void set_group_momentum(int64_t g, double m) override;

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

struct RMSpropOptions {
  double lr = 1e-2, alpha = 0.99, eps = 1e-8, weight_decay = 0, momentum = 0;
  bool centered = false, maximize = false;
};

// State per parameter (created at its first step, as PyTorch does): "step"
// (an int64 scalar: a Python int in 1.13), "square_avg", plus
// "momentum_buffer" when momentum > 0 and "grad_avg" when centered.
class RMSprop : public Optimizer {
 public:
  RMSprop(std::vector<Tensor> params, RMSpropOptions opts);
  void step() override;
  OptimizerStateDict state_dict() const override;
  void load_state_dict(const OptimizerStateDict& sd) override;
  const RMSpropOptions& options() const { return o_; }
  MomentumKind momentum_kind() const override { return MomentumKind::Momentum; }
  double group_momentum(int64_t g) const override;
  void set_group_momentum(int64_t g, double m) override;

 private:
  RMSpropOptions o_;
  std::vector<int64_t> steps_;
  std::vector<Tensor> square_avg_, momentum_, grad_avg_;
};

struct AdagradOptions {
  double lr = 1e-2, lr_decay = 0, weight_decay = 0, initial_accumulator_value = 0, eps = 1e-10;
  bool maximize = false;
};

// State per parameter, created in the constructor as PyTorch does: "step"
// (a float32 scalar tensor) and "sum" (filled with initial_accumulator_value).
class Adagrad : public Optimizer {
 public:
  Adagrad(std::vector<Tensor> params, AdagradOptions opts);
  void step() override;
  OptimizerStateDict state_dict() const override;
  void load_state_dict(const OptimizerStateDict& sd) override;
  const AdagradOptions& options() const { return o_; }

 private:
  AdagradOptions o_;
  std::vector<int64_t> steps_;
  std::vector<Tensor> sum_;
};

}  // namespace ft::optim
