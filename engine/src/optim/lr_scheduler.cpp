// LRScheduler base: initial_lr bookkeeping, the initial step and step()
// (NOTE [ Chainable scheduler formulas ]).
#include "ft/optim/lr_scheduler.h"

namespace ft::optim {

void LRScheduler::initial_step() {
  const int64_t groups = opt_.num_param_groups();
  base_lrs_.clear();
  for (int64_t g = 0; g < groups; ++g) {
    if (last_epoch_ == -1) {
      if (!opt_.group_initial_lr(g)) opt_.set_group_initial_lr(g, opt_.group_lr(g));  // setdefault
    } else {
      FT_CHECK_KIND(ErrorKind::Value, opt_.group_initial_lr(g).has_value(), "param 'initial_lr' is not specified in "
                    "param_groups[", g, "] when resuming an optimizer");
    }
    base_lrs_.push_back(*opt_.group_initial_lr(g));
  }
  step_count_ = 0;
  step();
}

void LRScheduler::step() {
  ++step_count_;
  ++last_epoch_;
  std::vector<double> lrs = get_lr();
  last_lr_.clear();
  for (int64_t g = 0; g < opt_.num_param_groups(); ++g) {
    opt_.set_group_lr(g, lrs.at(size_t(g)));
    last_lr_.push_back(opt_.group_lr(g));
  }
}

void LRScheduler::load_state_dict(const State& s) {
  FT_CHECK_KIND(ErrorKind::Value, s.base_lrs.size() == size_t(opt_.num_param_groups()),
                "scheduler state has ", s.base_lrs.size(), " base_lrs but the optimizer has ",
                opt_.num_param_groups(), " parameter groups");
  last_epoch_ = s.last_epoch;
  step_count_ = s.step_count;
  base_lrs_ = s.base_lrs;
  last_lr_ = s.last_lr;
}

}  // namespace ft::optim
