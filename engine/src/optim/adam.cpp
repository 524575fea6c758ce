// Adam and AdamW (amsgrad, maximize), in torch.optim.Adam's 1.13 order:
//   AdamW: p.mul_(1 - lr * wd)          Adam: g = g.add(p, alpha=wd)
//   m.mul_(b1).add_(g, alpha=1-b1);  v.mul_(b2).addcmul_(g, g, value=1-b2)
//   vmax = max(vmax, v) (amsgrad);   denom = (sqrt(v or vmax) / sqrt(bc2)).add_(eps)
//   p.addcdiv_(m, denom, value=-lr/bc1)   with bc_i = 1 - b_i^step
#include "fused.h"
#include "state_dict_util.h"
#include "ft/optim/optimizer.h"

namespace ft::optim {

Adam::Adam(std::vector<Tensor> params, AdamOptions o, bool decoupled)
    : Optimizer(std::move(params)), o_(o), decoupled_(decoupled) {
  FT_CHECK_KIND(ErrorKind::Value, o.lr >= 0, "Invalid learning rate: ", o.lr);
  FT_CHECK_KIND(ErrorKind::Value, o.eps >= 0, "Invalid epsilon value: ", o.eps);
  FT_CHECK_KIND(ErrorKind::Value, o.beta1 >= 0 && o.beta1 < 1, "Invalid beta parameter at index 0: ", o.beta1);
  FT_CHECK_KIND(ErrorKind::Value, o.beta2 >= 0 && o.beta2 < 1, "Invalid beta parameter at index 1: ", o.beta2);
  FT_CHECK_KIND(ErrorKind::Value, o.weight_decay >= 0, "Invalid weight_decay value: ", o.weight_decay);
  lr_ = o.lr;
  steps_.assign(params_.size(), 0);
  exp_avg_.resize(params_.size());
  exp_avg_sq_.resize(params_.size());
  max_exp_avg_sq_.resize(params_.size());
}

void Adam::step() {
  autograd::NoGradGuard ng;
  for (size_t i = 0; i < params_.size(); ++i) {
    Tensor g = fused::grad_of(params_[i]);
    if (!g.defined()) continue;
    fused::check_float(params_[i], decoupled_ ? "AdamW" : "Adam");
    fused::ParamView pv(params_[i]);
    if (!exp_avg_[i].defined()) {
      exp_avg_[i] = zeros(pv.data.sizes(), pv.data.dtype());
      exp_avg_sq_[i] = zeros(pv.data.sizes(), pv.data.dtype());
      if (o_.amsgrad) max_exp_avg_sq_[i] = zeros(pv.data.sizes(), pv.data.dtype());
    }
    const int64_t step = ++steps_[i];
    const double bc1 = 1 - std::pow(o_.beta1, double(step));
    const double bc2 = 1 - std::pow(o_.beta2, double(step));
    const double step_size = lr_ / bc1;
    const double bc2_sqrt = std::sqrt(bc2);
    FT_DISPATCH_FLOATING(pv.data.dtype(), decoupled_ ? "adamw" : "adam", [&] {
      using T = scalar_t;
      T* p = pv.data.data_ptr<T>();
      const T* gp = g.data_ptr<T>();
      T* m = exp_avg_[i].data_ptr<T>();
      T* v = exp_avg_sq_[i].data_ptr<T>();
      T* vmax = o_.amsgrad ? max_exp_avg_sq_[i].data_ptr<T>() : nullptr;
      const T b1 = T(o_.beta1), b2 = T(o_.beta2), one_b1 = T(1 - o_.beta1), one_b2 = T(1 - o_.beta2);
      const T wd = T(o_.weight_decay), decay = T(1 - lr_ * o_.weight_decay), eps = T(o_.eps);
      const T nss = T(-step_size), bc2s = T(bc2_sqrt);
      const bool has_wd = o_.weight_decay != 0, decoupled = decoupled_, maximize = o_.maximize;
      const bool wd1 = wd == T(1), one_b1_is_1 = one_b1 == T(1);
      // Stage by stage over small blocks (see sgd.cpp): same per-element
      // operations and order as the formula in the header, vectorizable.
      fused::for_blocks(pv.data.numel(), [&](int64_t b, int64_t n) {
        T d[fused::kBlock], vk[fused::kBlock];
        T *pb = p + b, *mb = m + b, *vb = v + b;
        const T* gb = gp + b;
        if (maximize) for (int64_t k = 0; k < n; ++k) d[k] = -gb[k];
        else for (int64_t k = 0; k < n; ++k) d[k] = gb[k];
        if (has_wd) {
          if (decoupled) for (int64_t k = 0; k < n; ++k) pb[k] = pb[k] * decay;
          else if (wd1) for (int64_t k = 0; k < n; ++k) d[k] = d[k] + pb[k];
          else for (int64_t k = 0; k < n; ++k) d[k] = std::fma(pb[k], wd, d[k]);
        }
        if (one_b1_is_1) for (int64_t k = 0; k < n; ++k) mb[k] = mb[k] * b1 + d[k];
        else for (int64_t k = 0; k < n; ++k) mb[k] = std::fma(d[k], one_b1, mb[k] * b1);
        for (int64_t k = 0; k < n; ++k) vb[k] = fused::addcmul(vb[k] * b2, one_b2 * d[k], d[k]);
        if (vmax) {
          T* xb = vmax + b;
          for (int64_t k = 0; k < n; ++k) {
            xb[k] = (xb[k] < vb[k] || vb[k] != vb[k]) ? vb[k] : xb[k];  // torch.maximum propagates NaN
            vk[k] = xb[k];
          }
        } else {
          for (int64_t k = 0; k < n; ++k) vk[k] = vb[k];
        }
        for (int64_t k = 0; k < n; ++k) pb[k] = pb[k] + nss * mb[k] / (std::sqrt(vk[k]) / bc2s + eps);
      });
    });
    exp_avg_[i].impl()->bump_version();
    exp_avg_sq_[i].impl()->bump_version();
    pv.finish();
  }
}

OptimizerStateDict Adam::state_dict() const {
  OptimizerStateDict sd;
  for (size_t i = 0; i < params_.size(); ++i) {
    if (!exp_avg_[i].defined()) continue;
    auto& e = sd.state[int64_t(i)];
    e.emplace_back("step", scalar_tensor(double(steps_[i]), DType::Float32));  // a float tensor, as 1.13
    e.emplace_back("exp_avg", exp_avg_[i].clone());
    e.emplace_back("exp_avg_sq", exp_avg_sq_[i].clone());
    if (o_.amsgrad) e.emplace_back("max_exp_avg_sq", max_exp_avg_sq_[i].clone());
  }
  sd.param_groups.push_back({{"lr", lr_}, {"beta1", o_.beta1}, {"beta2", o_.beta2}, {"eps", o_.eps},
                             {"weight_decay", o_.weight_decay}, {"amsgrad", double(o_.amsgrad)},
                             {"maximize", double(o_.maximize)}});
  sd.group_params.push_back(sd_util::all_indices(params_.size()));
  return sd;
}

void Adam::load_state_dict(const OptimizerStateDict& sd) {
  sd_util::check_layout(sd, params_.size());
  lr_ = sd_util::group_value(sd, "lr", lr_);
  o_.beta1 = sd_util::group_value(sd, "beta1", o_.beta1);
  o_.beta2 = sd_util::group_value(sd, "beta2", o_.beta2);
  o_.eps = sd_util::group_value(sd, "eps", o_.eps);
  o_.weight_decay = sd_util::group_value(sd, "weight_decay", o_.weight_decay);
  o_.amsgrad = sd_util::group_value(sd, "amsgrad", o_.amsgrad) != 0;
  o_.maximize = sd_util::group_value(sd, "maximize", o_.maximize) != 0;
  for (size_t i = 0; i < params_.size(); ++i) {
    steps_[i] = 0;
    exp_avg_[i] = exp_avg_sq_[i] = max_exp_avg_sq_[i] = Tensor();
  }
  sd_util::load_param_state(sd, params_, &steps_,
                            {{"exp_avg", &exp_avg_}, {"exp_avg_sq", &exp_avg_sq_}, {"max_exp_avg_sq", &max_exp_avg_sq_}},
                            "Adam");
  for (const auto& kv : sd.state) {
    const int64_t idx = kv.first;
    const size_t i = size_t(idx);
    FT_CHECK_KIND(ErrorKind::Value, exp_avg_[i].defined() && exp_avg_sq_[i].defined(),
                  "Adam state for parameter ", idx, " lacks exp_avg or exp_avg_sq");
    if (o_.amsgrad && !max_exp_avg_sq_[i].defined()) max_exp_avg_sq_[i] = zeros(params_[i].sizes(), params_[i].dtype());
  }
}

double Adam::group_momentum(int64_t g) const {
  check_group(g);
  return o_.beta1;
}

void Adam::set_group_momentum(int64_t g, double m) {
  check_group(g);
  o_.beta1 = m;
}

}  // namespace ft::optim
