// Learning-rate schedulers with PyTorch 1.13's semantics: StepLR,
// MultiStepLR, ExponentialLR, LinearLR, CosineAnnealingLR, OneCycleLR and
// ReduceLROnPlateau.
//
// NOTE [ Chainable scheduler formulas ]
// PyTorch's get_lr() is recursive: most schedulers compute the next lr from
// the lr currently in the optimizer's group (group['lr'] * gamma, the cosine
// ratio, ...), not from a closed form of the epoch, so that schedulers can be
// chained. Rounding therefore accumulates step by step, and the closed form
// differs from the sequence PyTorch produces in the last bits. These classes
// evaluate exactly PyTorch's recursive expressions, in double, in Python's
// operation order, so the lr sequences match PyTorch's floats bit for bit
// (tested against torch 1.13 over 50 steps per configuration).
//
// Like PyTorch, a scheduler's constructor records group['initial_lr'] (when
// last_epoch == -1) and takes an initial step: last_epoch becomes 0 and the
// group lr becomes the epoch-0 value. The deprecated step(epoch) form is not
// provided. Schedulers keep a reference to the optimizer, which must outlive
// them.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "ft/optim/optimizer.h"

namespace ft::optim {

// PyTorch's _LRScheduler: last_epoch counts scheduler steps (-1 = fresh).
class LRScheduler {
 public:
  virtual ~LRScheduler() = default;
  LRScheduler(const LRScheduler&) = delete;
  LRScheduler& operator=(const LRScheduler&) = delete;

  // last_epoch += 1, then every group's lr = get_lr().
  void step();
  const std::vector<double>& get_last_lr() const { return last_lr_; }
  int64_t last_epoch() const { return last_epoch_; }
  const std::vector<double>& base_lrs() const { return base_lrs_; }

  // The mutable part of PyTorch's scheduler state_dict (the constructor
  // arguments are not included: construct with the same ones, then load).
  struct State {
    int64_t last_epoch = -1, step_count = 0;
    std::vector<double> base_lrs, last_lr;
  };
  State state_dict() const { return {last_epoch_, step_count_, base_lrs_, last_lr_}; }
  void load_state_dict(const State& s);

 protected:
  LRScheduler(Optimizer& opt, int64_t last_epoch) : opt_(opt), last_epoch_(last_epoch) {}
  // Records initial_lr / base_lrs and takes the initial step. Called last by
  // each concrete constructor (get_lr is virtual, so the base cannot).
  void initial_step();
  // The lrs for the current last_epoch_ (already advanced).
  virtual std::vector<double> get_lr() = 0;
  int64_t step_count() const { return step_count_; }

  Optimizer& opt_;
  std::vector<double> base_lrs_, last_lr_;
  int64_t last_epoch_;
  int64_t step_count_ = 0;
};

// lr *= gamma every step_size epochs.
class StepLR : public LRScheduler {
 public:
  StepLR(Optimizer& opt, int64_t step_size, double gamma = 0.1, int64_t last_epoch = -1);

 protected:
  std::vector<double> get_lr() override;

 private:
  int64_t step_size_;
  double gamma_;
};

// lr *= gamma^(times the epoch appears in milestones) at each milestone.
class MultiStepLR : public LRScheduler {
 public:
  MultiStepLR(Optimizer& opt, std::vector<int64_t> milestones, double gamma = 0.1, int64_t last_epoch = -1);

 protected:
  std::vector<double> get_lr() override;

 private:
  std::vector<int64_t> milestones_;  // sorted, duplicates kept (PyTorch's Counter)
  double gamma_;
};

// lr *= gamma every epoch.
class ExponentialLR : public LRScheduler {
 public:
  ExponentialLR(Optimizer& opt, double gamma, int64_t last_epoch = -1);

 protected:
  std::vector<double> get_lr() override;

 private:
  double gamma_;
};

// lr factor moves linearly from start_factor to end_factor over total_iters epochs.
class LinearLR : public LRScheduler {
 public:
  LinearLR(Optimizer& opt, double start_factor = 1.0 / 3, double end_factor = 1.0, int64_t total_iters = 5,
           int64_t last_epoch = -1);

 protected:
  std::vector<double> get_lr() override;

 private:
  double start_, end_;
  int64_t total_iters_;
};

// Cosine annealing from the base lr to eta_min over T_max epochs (and back up
// after, periodically, as PyTorch's recursive form does).
class CosineAnnealingLR : public LRScheduler {
 public:
  CosineAnnealingLR(Optimizer& opt, int64_t T_max, double eta_min = 0, int64_t last_epoch = -1);

 protected:
  std::vector<double> get_lr() override;

 private:
  int64_t T_max_;
  double eta_min_;
};

struct OneCycleLROptions {
  double max_lr = 0;
  // Either total_steps > 0, or epochs > 0 and steps_per_epoch > 0.
  int64_t total_steps = 0, epochs = 0, steps_per_epoch = 0;
  double pct_start = 0.3;
  std::string anneal_strategy = "cos";  // "cos" or "linear"
  bool cycle_momentum = true;
  double base_momentum = 0.85, max_momentum = 0.95;
  double div_factor = 25, final_div_factor = 1e4;
  bool three_phase = false;
};

// The 1cycle policy. Overwrites initial_lr with max_lr / div_factor; with
// cycle_momentum it also cycles the optimizer's momentum (SGD, RMSprop) or
// beta1 (Adam, AdamW) and raises for optimizers without one (Adagrad).
class OneCycleLR : public LRScheduler {
 public:
  OneCycleLR(Optimizer& opt, OneCycleLROptions opts, int64_t last_epoch = -1);
  int64_t total_steps() const { return total_steps_; }

 protected:
  std::vector<double> get_lr() override;

 private:
  enum Level { Initial, Max, Min, BaseMomentum, MaxMomentum };
  struct Phase {
    double end_step;
    Level start_lr, end_lr, start_momentum, end_momentum;
  };
  double anneal(double start, double end, double pct) const;
  double level(Level l) const;

  OneCycleLROptions o_;
  int64_t total_steps_;
  std::vector<Phase> phases_;
  double initial_lr_, min_lr_;
};

struct ReduceLROnPlateauOptions {
  std::string mode = "min";  // "min" or "max"
  double factor = 0.1;
  int64_t patience = 10;
  double threshold = 1e-4;
  std::string threshold_mode = "rel";  // "rel" or "abs"
  int64_t cooldown = 0;
  double min_lr = 0, eps = 1e-8;
};

// Multiplies the lr by factor once the metric stopped improving for more than
// patience steps (not an LRScheduler in PyTorch either: no initial step).
class ReduceLROnPlateau {
 public:
  ReduceLROnPlateau(Optimizer& opt, ReduceLROnPlateauOptions opts = {});
  void step(double metric);
  // Empty until the first step, like PyTorch's _last_lr.
  const std::vector<double>& get_last_lr() const { return last_lr_; }
  bool in_cooldown() const { return cooldown_counter_ > 0; }

  struct State {
    double best = 0;
    int64_t num_bad_epochs = 0, cooldown_counter = 0, last_epoch = 0;
    std::vector<double> last_lr;
  };
  State state_dict() const { return {best_, num_bad_epochs_, cooldown_counter_, last_epoch_, last_lr_}; }
  void load_state_dict(const State& s);

 private:
  bool is_better(double a, double best) const;

  Optimizer& opt_;
  ReduceLROnPlateauOptions o_;
  bool max_mode_, abs_threshold_;
  double best_;
  int64_t num_bad_epochs_ = 0, cooldown_counter_ = 0, last_epoch_ = 0;
  std::vector<double> last_lr_;
};

}  // namespace ft::optim
