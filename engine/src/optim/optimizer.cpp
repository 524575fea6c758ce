// Optimizer base: parameter groups (NOTE [ Parameter groups ]) and zero_grad.
#include <algorithm>

#include "ft/autograd.h"
#include "ft/optim/optimizer.h"

namespace ft::optim {

void Optimizer::append_group_params(std::vector<Tensor> params) {
  for (size_t i = 0; i < params.size(); ++i) {
    FT_CHECK(params[i].defined(), "optimizer parameter ", params_.size() + i, " is undefined");
    FT_CHECK(params[i].is_leaf(), "can't optimize a non-leaf Tensor (parameter ", params_.size() + i, ")");
    auto same = [&](const Tensor& q) { return params[i].is_same(q); };
    FT_CHECK_KIND(ErrorKind::Value,
                  std::none_of(params_.begin(), params_.end(), same) &&
                      std::none_of(params.begin(), params.begin() + std::ptrdiff_t(i), same),
                  "some parameters appear in more than one parameter group");
  }
  group_begin_.push_back(params_.size());
  initial_lr_.emplace_back();
  for (auto& p : params) params_.push_back(std::move(p));
}

void Optimizer::zero_grad(bool set_to_none) { autograd::zero_grad(params_, set_to_none); }

void Optimizer::set_lr(double lr) {
  for (int64_t g = 0; g < num_param_groups(); ++g) set_group_lr(g, lr);
}

void Optimizer::check_group(int64_t g) const {
  FT_CHECK_KIND(ErrorKind::Index, g >= 0 && g < num_param_groups(), "parameter group ", g,
                " out of range (the optimizer has ", num_param_groups(), ")");
}

size_t Optimizer::group_begin(int64_t g) const {
  check_group(g);
  return group_begin_[size_t(g)];
}

size_t Optimizer::group_end(int64_t g) const {
  check_group(g);
  return g + 1 < num_param_groups() ? group_begin_[size_t(g) + 1] : params_.size();
}

std::optional<double> Optimizer::group_initial_lr(int64_t g) const {
  check_group(g);
  return initial_lr_[size_t(g)];
}

void Optimizer::set_group_initial_lr(int64_t g, std::optional<double> lr) {
  check_group(g);
  initial_lr_[size_t(g)] = lr;
}

double Optimizer::group_momentum(int64_t g) const {
  check_group(g);
  FT_CHECK_KIND(ErrorKind::Value, false, "optimizer has no momentum");
  return 0;
}

void Optimizer::set_group_momentum(int64_t g, double) { (void)group_momentum(g); }

}  // namespace ft::optim
