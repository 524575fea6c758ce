// CosineAnnealingLR in PyTorch 1.13's recursive form (NOTE [ Chainable
// scheduler formulas ]): each step scales (lr - eta_min) by the ratio of
// consecutive cosine terms; at the restart points it adds the closed-form jump.
#include <cmath>

#include "ft/optim/lr_scheduler.h"

namespace ft::optim {

CosineAnnealingLR::CosineAnnealingLR(Optimizer& opt, int64_t T_max, double eta_min, int64_t last_epoch)
    : LRScheduler(opt, last_epoch), T_max_(T_max), eta_min_(eta_min) {
  FT_CHECK_KIND(ErrorKind::Value, T_max > 0, "CosineAnnealingLR: T_max must be positive, got ", T_max);
  initial_step();
}

std::vector<double> CosineAnnealingLR::get_lr() {
  const int64_t groups = opt_.num_param_groups();
  const double e = double(last_epoch_), T = double(T_max_);
  std::vector<double> v;
  for (int64_t g = 0; g < groups; ++g) {
    const double lr = opt_.group_lr(g), base = base_lrs_.at(size_t(g));
    if (last_epoch_ == 0) {
      v.push_back(lr);
    } else if (step_count() == 1 && last_epoch_ > 0) {  // resumed: closed form
      v.push_back(eta_min_ + (base - eta_min_) * (1 + std::cos(e * M_PI / T)) / 2);
    } else if ((last_epoch_ - 1 - T_max_) % (2 * T_max_) == 0) {  // only zero-ness matters (Python's % differs in sign)
      v.push_back(lr + (base - eta_min_) * (1 - std::cos(M_PI / T)) / 2);
    } else {
      v.push_back((1 + std::cos(M_PI * e / T)) / (1 + std::cos(M_PI * (e - 1) / T)) * (lr - eta_min_) + eta_min_);
    }
  }
  return v;
}

}  // namespace ft::optim
