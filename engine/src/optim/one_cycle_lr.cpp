// OneCycleLR: PyTorch 1.13's 1cycle policy, phase by phase. Unlike the decay
// schedulers its get_lr() is a closed form of the step number, evaluated in
// Python's operation order so the values match PyTorch's floats.
#include <cmath>

#include "ft/optim/lr_scheduler.h"

namespace ft::optim {

OneCycleLR::OneCycleLR(Optimizer& opt, OneCycleLROptions o, int64_t last_epoch)
    : LRScheduler(opt, last_epoch), o_(std::move(o)) {
  if (o_.total_steps != 0) {
    FT_CHECK_KIND(ErrorKind::Value, o_.total_steps > 0, "Expected positive integer total_steps, but got ",
                  o_.total_steps);
    total_steps_ = o_.total_steps;
  } else {
    FT_CHECK_KIND(ErrorKind::Value, o_.epochs != 0 || o_.steps_per_epoch != 0,
                  "You must define either total_steps OR (epochs AND steps_per_epoch)");
    FT_CHECK_KIND(ErrorKind::Value, o_.epochs > 0, "Expected positive integer epochs, but got ", o_.epochs);
    FT_CHECK_KIND(ErrorKind::Value, o_.steps_per_epoch > 0, "Expected positive integer steps_per_epoch, but got ",
                  o_.steps_per_epoch);
    total_steps_ = o_.epochs * o_.steps_per_epoch;
  }
  const double up_end = o_.pct_start * double(total_steps_) - 1, last = double(total_steps_ - 1);
  if (o_.three_phase) {
    phases_ = {{up_end, Initial, Max, MaxMomentum, BaseMomentum},
               {2 * o_.pct_start * double(total_steps_) - 2, Max, Initial, BaseMomentum, MaxMomentum},
               {last, Initial, Min, MaxMomentum, MaxMomentum}};
  } else {
    phases_ = {{up_end, Initial, Max, MaxMomentum, BaseMomentum}, {last, Max, Min, BaseMomentum, MaxMomentum}};
  }
  FT_CHECK_KIND(ErrorKind::Value, o_.pct_start >= 0 && o_.pct_start <= 1,
                "Expected float between 0 and 1 pct_start, but got ", o_.pct_start);
  FT_CHECK_KIND(ErrorKind::Value, o_.anneal_strategy == "cos" || o_.anneal_strategy == "linear",
                "anneal_strategy must by one of 'cos' or 'linear', instead got ", o_.anneal_strategy);
  // One max_lr and one momentum range for every group (PyTorch's scalar
  // arguments): the levels live here rather than in each group's dict.
  initial_lr_ = o_.max_lr / o_.div_factor;
  min_lr_ = initial_lr_ / o_.final_div_factor;
  if (o_.cycle_momentum)
    FT_CHECK_KIND(ErrorKind::Value, opt_.momentum_kind() != Optimizer::MomentumKind::None,
                  "optimizer must support momentum with `cycle_momentum` option enabled");
  if (last_epoch == -1)
    for (int64_t g = 0; g < opt_.num_param_groups(); ++g) {
      opt_.set_group_initial_lr(g, initial_lr_);
      if (o_.cycle_momentum) opt_.set_group_momentum(g, o_.max_momentum);
    }
  initial_step();
}

double OneCycleLR::anneal(double start, double end, double pct) const {
  if (o_.anneal_strategy == "cos") {
    const double cos_out = std::cos(M_PI * pct) + 1;
    return end + (start - end) / 2.0 * cos_out;
  }
  return (end - start) * pct + start;
}

double OneCycleLR::level(Level l) const {
  switch (l) {
    case Initial: return initial_lr_;
    case Max: return o_.max_lr;
    case Min: return min_lr_;
    case BaseMomentum: return o_.base_momentum;
    case MaxMomentum: return o_.max_momentum;
  }
  return 0;
}

std::vector<double> OneCycleLR::get_lr() {
  const int64_t step_num = last_epoch_;
  FT_CHECK_KIND(ErrorKind::Value, step_num <= total_steps_, "Tried to step ", step_num + 1,
                " times. The specified number of total steps is ", total_steps_);
  double start_step = 0, lr = 0, momentum = 0;
  for (size_t i = 0; i < phases_.size(); ++i) {
    const Phase& ph = phases_[i];
    if (double(step_num) <= ph.end_step || i + 1 == phases_.size()) {
      // PyTorch raises ZeroDivisionError for a phase of zero length.
      FT_CHECK_KIND(ErrorKind::Value, ph.end_step != start_step, "OneCycleLR: phase ", i,
                    " has zero length (float division by zero); use more total_steps or another pct_start");
      const double pct = (double(step_num) - start_step) / (ph.end_step - start_step);
      lr = anneal(level(ph.start_lr), level(ph.end_lr), pct);
      if (o_.cycle_momentum) momentum = anneal(level(ph.start_momentum), level(ph.end_momentum), pct);
      break;
    }
    start_step = ph.end_step;
  }
  if (o_.cycle_momentum)
    for (int64_t g = 0; g < opt_.num_param_groups(); ++g) opt_.set_group_momentum(g, momentum);
  return std::vector<double>(size_t(opt_.num_param_groups()), lr);
}

}  // namespace ft::optim
