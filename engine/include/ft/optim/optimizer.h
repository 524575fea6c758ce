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

#include "ft/autograd.h"
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
// As torch.optim: an optimizer holds one or more parameter groups, each with
// its own hyperparameters (lr, momentum, betas, weight_decay, ...). The
// constructor taking a parameter list makes one group with the given options
// (PyTorch's `defaults`); the one taking ParamGroups makes one group per
// entry, and add_param_group appends one later. Groups are stored flat:
// params() lists every group's parameters in order, and a parameter's index
// there is its key in state_dict().state, as in PyTorch's layout. The LR
// schedulers act on every group through the group_* accessors
// (group['lr'], ['initial_lr'], ['momentum'] / ['betas'][0]).
template <typename Options>
struct ParamGroup {
  std::vector<Tensor> params;
  Options options;
};

class Optimizer {
 public:
  virtual ~Optimizer() = default;
  virtual void step() = 0;
  // set_to_none=false zeroes in place (PyTorch 1.13's default).
  void zero_grad(bool set_to_none = false);
  // Every group's parameters, group after group.
  const std::vector<Tensor>& params() const { return params_; }
  // Group 0's lr; set_lr sets every group's (a one-group shorthand).
  double lr() const { return group_lr(0); }
  void set_lr(double lr);
  virtual OptimizerStateDict state_dict() const = 0;
  virtual void load_state_dict(const OptimizerStateDict& sd) = 0;

  // Parameter groups (NOTE [ Parameter groups ]); g must be < num_param_groups().
  int64_t num_param_groups() const { return int64_t(group_begin_.size()); }
  // Group g's parameters are params()[group_begin(g), group_end(g)).
  size_t group_begin(int64_t g) const;
  size_t group_end(int64_t g) const;
  virtual double group_lr(int64_t g) const = 0;
  virtual void set_group_lr(int64_t g, double lr) = 0;
  // PyTorch's group['initial_lr'], set by the first scheduler attached
  // (nullopt: the group has none).
  std::optional<double> group_initial_lr(int64_t g) const;
  void set_group_initial_lr(int64_t g, std::optional<double> lr);
  // The momentum a scheduler may cycle (OneCycleLR): group['momentum'] for
  // SGD and RMSprop, group['betas'][0] for Adam/AdamW, none for Adagrad.
  enum class MomentumKind { None, Momentum, Beta1 };
  virtual MomentumKind momentum_kind() const { return MomentumKind::None; }
  virtual double group_momentum(int64_t g) const;
  virtual void set_group_momentum(int64_t g, double m);

 protected:
  Optimizer() = default;
  void check_group(int64_t g) const;
  // Appends a group's parameters (leaves, none already in a group).
  void append_group_params(std::vector<Tensor> params);
  std::vector<Tensor> params_;
  std::vector<size_t> group_begin_;
  std::vector<std::optional<double>> initial_lr_;
};

// The group bookkeeping shared by the optimizers: one Options per group.
template <typename Options>
class OptimizerWithOptions : public Optimizer {
 public:
  // Group g's hyperparameters (options().lr is the current lr).
  const Options& options(int64_t g = 0) const {
    check_group(g);
    return opts_[size_t(g)];
  }
  // PyTorch's add_param_group: a new group with its own hyperparameters, or
  // with the constructor's defaults.
  void add_param_group(std::vector<Tensor> params, const Options& o) {
    validate(o);
    append_group_params(std::move(params));
    opts_.push_back(o);
    grow_state();
  }
  void add_param_group(std::vector<Tensor> params) { add_param_group(std::move(params), defaults_); }
  double group_lr(int64_t g) const override { return options(g).lr; }
  void set_group_lr(int64_t g, double lr) override {
    check_group(g);
    opts_[size_t(g)].lr = lr;
  }
  // Every group's parameters with that group's hyperparameters.
  void step() override {
    autograd::NoGradGuard ng;
    for (int64_t g = 0; g < num_param_groups(); ++g)
      for (size_t i = group_begin(g); i < group_end(g); ++i) step_param(i, opts_[size_t(g)]);
  }

 protected:
  explicit OptimizerWithOptions(const Options& defaults) : defaults_(defaults) {}
  // The constructors: one group, or one per entry (not none).
  void init_groups(std::vector<Tensor> params, const Options& o) {
    FT_CHECK_KIND(ErrorKind::Value, !params.empty(), "optimizer got an empty parameter list");
    add_param_group(std::move(params), o);
  }
  void init_groups(std::vector<ParamGroup<Options>> groups) {
    FT_CHECK_KIND(ErrorKind::Value, !groups.empty(), "optimizer got an empty parameter list");
    for (auto& g : groups) add_param_group(std::move(g.params), g.options);
  }
  // One parameter's update (params()[i], which has a grad or is skipped).
  virtual void step_param(size_t i, const Options& o) = 0;
  // Raises for an invalid hyperparameter (PyTorch's constructor checks).
  virtual void validate(const Options& o) const = 0;
  // Sizes the per-parameter state to params_.size() after a group was added.
  virtual void grow_state() = 0;
  Options& mutable_options(int64_t g) {
    check_group(g);
    return opts_[size_t(g)];
  }
  std::vector<Options> opts_;
  Options defaults_;
};

struct SGDOptions {
  double lr = 0.01, momentum = 0, dampening = 0, weight_decay = 0;
  bool nesterov = false, maximize = false;
};

class SGD : public OptimizerWithOptions<SGDOptions> {
 public:
  SGD(std::vector<Tensor> params, SGDOptions opts);
  explicit SGD(std::vector<ParamGroup<SGDOptions>> groups, SGDOptions defaults = {});
  OptimizerStateDict state_dict() const override;
  void load_state_dict(const OptimizerStateDict& sd) override;
  MomentumKind momentum_kind() const override { return MomentumKind::Momentum; }
  double group_momentum(int64_t g) const override { return options(g).momentum; }
  void set_group_momentum(int64_t g, double m) override { mutable_options(g).momentum = m; }

 protected:
  void step_param(size_t i, const SGDOptions& o) override;
  void validate(const SGDOptions& o) const override;
  void grow_state() override { momentum_.resize(params_.size()); }

 private:
  std::vector<Tensor> momentum_;  // undefined until the first step
};

struct AdamOptions {
  double lr = 1e-3, beta1 = 0.9, beta2 = 0.999, eps = 1e-8, weight_decay = 0;
  bool amsgrad = false, maximize = false;
};

// decoupled=true is AdamW (weight decay multiplies the parameter first).
class Adam : public OptimizerWithOptions<AdamOptions> {
 public:
  Adam(std::vector<Tensor> params, AdamOptions opts, bool decoupled_weight_decay = false);
  explicit Adam(std::vector<ParamGroup<AdamOptions>> groups, AdamOptions defaults = {},
                bool decoupled_weight_decay = false);
  OptimizerStateDict state_dict() const override;
  void load_state_dict(const OptimizerStateDict& sd) override;
  MomentumKind momentum_kind() const override { return MomentumKind::Beta1; }
  double group_momentum(int64_t g) const override { return options(g).beta1; }
  void set_group_momentum(int64_t g, double m) override { mutable_options(g).beta1 = m; }

 protected:
  void step_param(size_t i, const AdamOptions& o) override;
  void validate(const AdamOptions& o) const override;
  void grow_state() override;

 private:
  bool decoupled_;
  std::vector<int64_t> steps_;
  std::vector<Tensor> exp_avg_, exp_avg_sq_, max_exp_avg_sq_;
};

class AdamW : public Adam {
 public:
  // PyTorch's AdamW default weight_decay is 1e-2.
  AdamW(std::vector<Tensor> params, AdamOptions opts) : Adam(std::move(params), opts, true) {}
  explicit AdamW(std::vector<ParamGroup<AdamOptions>> groups, AdamOptions defaults = {})
      : Adam(std::move(groups), defaults, true) {}
};

struct RMSpropOptions {
  double lr = 1e-2, alpha = 0.99, eps = 1e-8, weight_decay = 0, momentum = 0;
  bool centered = false, maximize = false;
};

// State per parameter (created at its first step, as PyTorch does): "step"
// (an int64 scalar: a Python int in 1.13), "square_avg", plus
// "momentum_buffer" when momentum > 0 and "grad_avg" when centered.
class RMSprop : public OptimizerWithOptions<RMSpropOptions> {
 public:
  RMSprop(std::vector<Tensor> params, RMSpropOptions opts);
  explicit RMSprop(std::vector<ParamGroup<RMSpropOptions>> groups, RMSpropOptions defaults = {});
  OptimizerStateDict state_dict() const override;
  void load_state_dict(const OptimizerStateDict& sd) override;
  MomentumKind momentum_kind() const override { return MomentumKind::Momentum; }
  double group_momentum(int64_t g) const override { return options(g).momentum; }
  void set_group_momentum(int64_t g, double m) override { mutable_options(g).momentum = m; }

 protected:
  void step_param(size_t i, const RMSpropOptions& o) override;
  void validate(const RMSpropOptions& o) const override;
  void grow_state() override;

 private:
  std::vector<int64_t> steps_;
  std::vector<Tensor> square_avg_, momentum_, grad_avg_;
};

struct AdagradOptions {
  double lr = 1e-2, lr_decay = 0, weight_decay = 0, initial_accumulator_value = 0, eps = 1e-10;
  bool maximize = false;
};

// State per parameter, created in the constructor as PyTorch does: "step"
// (a float32 scalar tensor) and "sum" (filled with the constructor's
// initial_accumulator_value, in every group, as torch). Also for groups added
// later, where PyTorch 1.13 creates none and its step() raises KeyError('sum').
class Adagrad : public OptimizerWithOptions<AdagradOptions> {
 public:
  Adagrad(std::vector<Tensor> params, AdagradOptions opts);
  explicit Adagrad(std::vector<ParamGroup<AdagradOptions>> groups, AdagradOptions defaults = {});
  OptimizerStateDict state_dict() const override;
  void load_state_dict(const OptimizerStateDict& sd) override;

 protected:
  void step_param(size_t i, const AdagradOptions& o) override;
  void validate(const AdagradOptions& o) const override;
  void grow_state() override;

 private:
  std::vector<int64_t> steps_;
  std::vector<Tensor> sum_;
};

}  // namespace ft::optim
