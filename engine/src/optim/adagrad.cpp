// Adagrad (lr_decay, weight decay, initial accumulator, maximize), in
// torch.optim.Adagrad's 1.13 single-tensor order:
//   step += 1;  d = maximize ? -g : g;  d = d.add(p, alpha=wd)
//   clr = lr / (1 + (step - 1) * lr_decay)
//   sum.addcmul_(d, d, value=1);  std = sum.sqrt().add_(eps)
//   p.addcdiv_(d, std, value=-clr)
#include "fused.h"
#include "ft/optim/optimizer.h"
#include "state_dict_util.h"

namespace ft::optim {

Adagrad::Adagrad(std::vector<Tensor> params, AdagradOptions o) : Optimizer(std::move(params)), o_(o) {
  FT_CHECK_KIND(ErrorKind::Value, o.lr >= 0, "Invalid learning rate: ", o.lr);
  FT_CHECK_KIND(ErrorKind::Value, o.lr_decay >= 0, "Invalid lr_decay value: ", o.lr_decay);
  FT_CHECK_KIND(ErrorKind::Value, o.weight_decay >= 0, "Invalid weight_decay value: ", o.weight_decay);
  FT_CHECK_KIND(ErrorKind::Value, o.initial_accumulator_value >= 0, "Invalid initial_accumulator_value value: ",
                o.initial_accumulator_value);
  FT_CHECK_KIND(ErrorKind::Value, o.eps >= 0, "Invalid epsilon value: ", o.eps);
  lr_ = o.lr;
  steps_.assign(params_.size(), 0);
  // PyTorch creates the state of every parameter up front.
  for (const auto& p : params_) {
    fused::check_float(p, "Adagrad");
    sum_.push_back(full(p.sizes(), o.initial_accumulator_value, p.dtype()));
  }
}

void Adagrad::step() {
  autograd::NoGradGuard ng;
  for (size_t i = 0; i < params_.size(); ++i) {
    Tensor g = fused::grad_of(params_[i]);
    if (!g.defined()) continue;
    fused::ParamView pv(params_[i]);
    const int64_t step = ++steps_[i];
    const double clr = lr_ / (1 + double(step - 1) * o_.lr_decay);
    FT_DISPATCH_FLOATING(pv.data.dtype(), "adagrad", [&] {
      using T = scalar_t;
      T* p = pv.data.data_ptr<T>();
      const T* gp = g.data_ptr<T>();
      T* sum = sum_[i].data_ptr<T>();
      const T wd = T(o_.weight_decay), eps = T(o_.eps), nclr = T(-clr);
      const bool has_wd = o_.weight_decay != 0, maximize = o_.maximize;
      // Stage by stage over small blocks (NOTE [ Fused optimizer updates ]).
      fused::for_blocks(pv.data.numel(), [&](int64_t b, int64_t n) {
        T d[fused::kBlock];
        T *pb = p + b, *sb = sum + b;
        const T* gb = gp + b;
        if (maximize) for (int64_t k = 0; k < n; ++k) d[k] = -gb[k];
        else for (int64_t k = 0; k < n; ++k) d[k] = gb[k];
        if (has_wd) for (int64_t k = 0; k < n; ++k) d[k] = fused::add_alpha(d[k], pb[k], wd);
        for (int64_t k = 0; k < n; ++k) sb[k] = fused::addcmul(sb[k], d[k], d[k]);
        for (int64_t k = 0; k < n; ++k) pb[k] = pb[k] + nclr * d[k] / (std::sqrt(sb[k]) + eps);
      });
    });
    sum_[i].impl()->bump_version();
    pv.finish();
  }
}

OptimizerStateDict Adagrad::state_dict() const {
  OptimizerStateDict sd;
  for (size_t i = 0; i < params_.size(); ++i)
    sd.state[int64_t(i)] = {{"step", scalar_tensor(double(steps_[i]), DType::Float32)},  // a float tensor, as 1.13
                            {"sum", sum_[i].clone()}};
  sd.param_groups.push_back({{"lr", lr_}, {"lr_decay", o_.lr_decay}, {"eps", o_.eps},
                             {"weight_decay", o_.weight_decay},
                             {"initial_accumulator_value", o_.initial_accumulator_value},
                             {"maximize", double(o_.maximize)}});
  sd.group_params.push_back(sd_util::all_indices(params_.size()));
  return sd;
}

void Adagrad::load_state_dict(const OptimizerStateDict& sd) {
  sd_util::check_layout(sd, params_.size());
  lr_ = sd_util::group_value(sd, "lr", lr_);
  o_.lr_decay = sd_util::group_value(sd, "lr_decay", o_.lr_decay);
  o_.eps = sd_util::group_value(sd, "eps", o_.eps);
  o_.weight_decay = sd_util::group_value(sd, "weight_decay", o_.weight_decay);
  o_.initial_accumulator_value = sd_util::group_value(sd, "initial_accumulator_value", o_.initial_accumulator_value);
  o_.maximize = sd_util::group_value(sd, "maximize", o_.maximize) != 0;
  // Parameters without saved state keep a fresh one (step 0, the initial sum).
  for (size_t i = 0; i < params_.size(); ++i) {
    steps_[i] = 0;
    sum_[i] = full(params_[i].sizes(), o_.initial_accumulator_value, params_[i].dtype());
  }
  sd_util::load_param_state(sd, params_, &steps_, {{"sum", &sum_}}, "Adagrad");
}

}  // namespace ft::optim
