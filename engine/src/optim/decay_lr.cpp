// The multiplicative decays StepLR, MultiStepLR, ExponentialLR and LinearLR,
// each in PyTorch 1.13's recursive get_lr() form (NOTE [ Chainable scheduler
// formulas ]): the new lr is the group's current lr times a factor.
#include <algorithm>
#include <cmath>

#include "ft/optim/lr_scheduler.h"

namespace ft::optim {
namespace {

// Every group's current lr times `factor`.
std::vector<double> scaled_group_lrs(const Optimizer& opt, double factor) {
  std::vector<double> v;
  for (int64_t g = 0; g < opt.num_param_groups(); ++g) v.push_back(opt.group_lr(g) * factor);
  return v;
}

std::vector<double> current_group_lrs(const Optimizer& opt) {
  std::vector<double> v;
  for (int64_t g = 0; g < opt.num_param_groups(); ++g) v.push_back(opt.group_lr(g));
  return v;
}

}  // namespace

StepLR::StepLR(Optimizer& opt, int64_t step_size, double gamma, int64_t last_epoch)
    : LRScheduler(opt, last_epoch), step_size_(step_size), gamma_(gamma) {
  // PyTorch fails later with ZeroDivisionError; fail early and clearly.
  FT_CHECK_KIND(ErrorKind::Value, step_size > 0, "StepLR: step_size must be positive, got ", step_size);
  initial_step();
}

std::vector<double> StepLR::get_lr() {
  // Python's %: the sign of the divisor, but only zero-ness matters here.
  if (last_epoch_ == 0 || last_epoch_ % step_size_ != 0) return current_group_lrs(opt_);
  return scaled_group_lrs(opt_, gamma_);
}

MultiStepLR::MultiStepLR(Optimizer& opt, std::vector<int64_t> milestones, double gamma, int64_t last_epoch)
    : LRScheduler(opt, last_epoch), milestones_(std::move(milestones)), gamma_(gamma) {
  std::sort(milestones_.begin(), milestones_.end());
  initial_step();
}

std::vector<double> MultiStepLR::get_lr() {
  auto [lo, hi] = std::equal_range(milestones_.begin(), milestones_.end(), last_epoch_);
  if (lo == hi) return current_group_lrs(opt_);
  // group['lr'] * gamma ** count: Python's float ** int is C pow.
  return scaled_group_lrs(opt_, std::pow(gamma_, double(hi - lo)));
}

ExponentialLR::ExponentialLR(Optimizer& opt, double gamma, int64_t last_epoch)
    : LRScheduler(opt, last_epoch), gamma_(gamma) {
  initial_step();
}

std::vector<double> ExponentialLR::get_lr() {
  if (last_epoch_ == 0) return current_group_lrs(opt_);
  return scaled_group_lrs(opt_, gamma_);
}

LinearLR::LinearLR(Optimizer& opt, double start_factor, double end_factor, int64_t total_iters, int64_t last_epoch)
    : LRScheduler(opt, last_epoch), start_(start_factor), end_(end_factor), total_iters_(total_iters) {
  FT_CHECK_KIND(ErrorKind::Value, start_factor <= 1.0 && start_factor >= 0,
                "Starting multiplicative factor expected to be between 0 and 1.");
  FT_CHECK_KIND(ErrorKind::Value, end_factor <= 1.0 && end_factor >= 0,
                "Ending multiplicative factor expected to be between 0 and 1.");
  initial_step();
}

std::vector<double> LinearLR::get_lr() {
  if (last_epoch_ == 0) return scaled_group_lrs(opt_, start_);
  if (last_epoch_ > total_iters_) return current_group_lrs(opt_);
  const double delta = end_ - start_;
  return scaled_group_lrs(opt_, 1. + delta / (double(total_iters_) * start_ + double(last_epoch_ - 1) * delta));
}

}  // namespace ft::optim
