// Optimizer base: parameter checks and zero_grad.
#include "ft/autograd.h"
#include "ft/optim/optimizer.h"

namespace ft::optim {

Optimizer::Optimizer(std::vector<Tensor> params) : params_(std::move(params)) {
  FT_CHECK_KIND(ErrorKind::Value, !params_.empty(), "optimizer got an empty parameter list");
  for (size_t i = 0; i < params_.size(); ++i) {
    FT_CHECK(params_[i].defined(), "optimizer parameter ", i, " is undefined");
    FT_CHECK(params_[i].is_leaf(), "can't optimize a non-leaf Tensor (parameter ", i, ")");
    for (size_t j = 0; j < i; ++j)
      FT_CHECK_KIND(ErrorKind::Value, !params_[i].is_same(params_[j]),
                    "some parameters appear in more than one parameter group");
  }
}

void Optimizer::zero_grad(bool set_to_none) { autograd::zero_grad(params_, set_to_none); }

}  // namespace ft::optim

namespace ft::optim {

void Optimizer::check_group(int64_t g) const {
  FT_CHECK_KIND(ErrorKind::Index, g >= 0 && g < num_param_groups(), "parameter group ", g,
                " out of range (the optimizer has ", num_param_groups(), ")");
}

double Optimizer::group_lr(int64_t g) const {
  check_group(g);
  return lr_;
}

void Optimizer::set_group_lr(int64_t g, double lr) {
  check_group(g);
  lr_ = lr;
}

std::optional<double> Optimizer::group_initial_lr(int64_t g) const {
  check_group(g);
  return initial_lr_;
}

void Optimizer::set_group_initial_lr(int64_t g, double lr) {
  check_group(g);
  initial_lr_ = lr;
}

double Optimizer::group_momentum(int64_t g) const {
  check_group(g);
  FT_CHECK_KIND(ErrorKind::Value, false, "optimizer has no momentum");
  return 0;
}

void Optimizer::set_group_momentum(int64_t g, double) { (void)group_momentum(g); }

}  // namespace ft::optim
