// ReduceLROnPlateau, as PyTorch 1.13: count the steps without improvement
// (relative or absolute threshold), and past `patience` of them multiply the
// lr by `factor` (not below min_lr, and only by more than eps), then wait
// `cooldown` steps.
#include <cmath>

#include "ft/optim/lr_scheduler.h"

namespace ft::optim {

ReduceLROnPlateau::ReduceLROnPlateau(Optimizer& opt, ReduceLROnPlateauOptions o) : opt_(opt), o_(std::move(o)) {
  FT_CHECK_KIND(ErrorKind::Value, o_.factor < 1.0, "Factor should be < 1.0.");
  FT_CHECK_KIND(ErrorKind::Value, o_.mode == "min" || o_.mode == "max", "mode ", o_.mode, " is unknown!");
  FT_CHECK_KIND(ErrorKind::Value, o_.threshold_mode == "rel" || o_.threshold_mode == "abs", "threshold mode ",
                o_.threshold_mode, " is unknown!");
  max_mode_ = o_.mode == "max";
  abs_threshold_ = o_.threshold_mode == "abs";
  best_ = max_mode_ ? -INFINITY : INFINITY;  // the worst value for the mode
}

bool ReduceLROnPlateau::is_better(double a, double best) const {
  if (!max_mode_) return abs_threshold_ ? a < best - o_.threshold : a < best * (1. - o_.threshold);
  return abs_threshold_ ? a > best + o_.threshold : a > best * (o_.threshold + 1.);
}

void ReduceLROnPlateau::step(double metric) {
  last_epoch_ += 1;
  if (is_better(metric, best_)) {
    best_ = metric;
    num_bad_epochs_ = 0;
  } else {
    num_bad_epochs_ += 1;
  }
  if (in_cooldown()) {
    cooldown_counter_ -= 1;
    num_bad_epochs_ = 0;  // bad epochs in cooldown do not count
  }
  if (num_bad_epochs_ > o_.patience) {
    for (int64_t g = 0; g < opt_.num_param_groups(); ++g) {
      const double old_lr = opt_.group_lr(g);
      const double scaled = old_lr * o_.factor;
      const double new_lr = o_.min_lr > scaled ? o_.min_lr : scaled;  // Python's max keeps the first on ties
      if (old_lr - new_lr > o_.eps) opt_.set_group_lr(g, new_lr);
    }
    cooldown_counter_ = o_.cooldown;
    num_bad_epochs_ = 0;
  }
  last_lr_.clear();
  for (int64_t g = 0; g < opt_.num_param_groups(); ++g) last_lr_.push_back(opt_.group_lr(g));
}

void ReduceLROnPlateau::load_state_dict(const State& s) {
  best_ = s.best;
  num_bad_epochs_ = s.num_bad_epochs;
  cooldown_counter_ = s.cooldown_counter;
  last_epoch_ = s.last_epoch;
  last_lr_ = s.last_lr;
}

}  // namespace ft::optim
