// RMSprop (momentum, centered, weight decay, maximize), in torch.optim.RMSprop's
// 1.13 single-tensor order:
//   d = maximize ? -g : g;  d = d.add(p, alpha=wd)
//   sq.mul_(alpha).addcmul_(d, d, value=1-alpha)
//   centered: ga.mul_(alpha).add_(d, alpha=1-alpha); avg = sq.addcmul(ga, ga, value=-1).sqrt_()
//   else:     avg = sq.sqrt()
//   avg.add_(eps)
//   momentum > 0: buf.mul_(momentum).addcdiv_(d, avg); p.add_(buf, alpha=-lr)
//   else:         p.addcdiv_(d, avg, value=-lr)
#include "fused.h"
#include "ft/optim/optimizer.h"
#include "state_dict_util.h"

namespace ft::optim {

RMSprop::RMSprop(std::vector<Tensor> params, RMSpropOptions o) : Optimizer(std::move(params)), o_(o) {
  FT_CHECK_KIND(ErrorKind::Value, o.lr >= 0, "Invalid learning rate: ", o.lr);
  FT_CHECK_KIND(ErrorKind::Value, o.eps >= 0, "Invalid epsilon value: ", o.eps);
  FT_CHECK_KIND(ErrorKind::Value, o.momentum >= 0, "Invalid momentum value: ", o.momentum);
  FT_CHECK_KIND(ErrorKind::Value, o.weight_decay >= 0, "Invalid weight_decay value: ", o.weight_decay);
  FT_CHECK_KIND(ErrorKind::Value, o.alpha >= 0, "Invalid alpha value: ", o.alpha);
  lr_ = o.lr;
  steps_.assign(params_.size(), 0);
  square_avg_.resize(params_.size());
  momentum_.resize(params_.size());
  grad_avg_.resize(params_.size());
}

void RMSprop::step() {
  autograd::NoGradGuard ng;
  for (size_t i = 0; i < params_.size(); ++i) {
    Tensor g = fused::grad_of(params_[i]);
    if (!g.defined()) continue;
    fused::check_float(params_[i], "RMSprop");
    fused::ParamView pv(params_[i]);
    auto zero_state = [&] { return zeros(pv.data.sizes(), pv.data.dtype()); };
    if (!square_avg_[i].defined()) square_avg_[i] = zero_state();
    // Created lazily (not only at the first step) so that a scheduler may
    // switch momentum on later; PyTorch would raise a KeyError there instead.
    if (o_.momentum > 0 && !momentum_[i].defined()) momentum_[i] = zero_state();
    if (o_.centered && !grad_avg_[i].defined()) grad_avg_[i] = zero_state();
    ++steps_[i];
    FT_DISPATCH_FLOATING(pv.data.dtype(), "rmsprop", [&] {
      using T = scalar_t;
      T* p = pv.data.data_ptr<T>();
      const T* gp = g.data_ptr<T>();
      T* sq = square_avg_[i].data_ptr<T>();
      T* buf = o_.momentum > 0 ? momentum_[i].data_ptr<T>() : nullptr;
      T* ga = o_.centered ? grad_avg_[i].data_ptr<T>() : nullptr;
      const T wd = T(o_.weight_decay), alpha = T(o_.alpha), one_alpha = T(1 - o_.alpha), eps = T(o_.eps);
      const T mom = T(o_.momentum), nlr = T(-lr_);
      const bool has_wd = o_.weight_decay != 0, maximize = o_.maximize;
      // Stage by stage over small blocks (NOTE [ Fused optimizer updates ]).
      fused::for_blocks(pv.data.numel(), [&](int64_t b, int64_t n) {
        T d[fused::kBlock], avg[fused::kBlock];
        T *pb = p + b, *sb = sq + b;
        const T* gb = gp + b;
        if (maximize) for (int64_t k = 0; k < n; ++k) d[k] = -gb[k];
        else for (int64_t k = 0; k < n; ++k) d[k] = gb[k];
        if (has_wd) for (int64_t k = 0; k < n; ++k) d[k] = fused::add_alpha(d[k], pb[k], wd);
        for (int64_t k = 0; k < n; ++k) sb[k] = fused::addcmul(sb[k] * alpha, one_alpha * d[k], d[k]);
        if (ga) {
          T* ab = ga + b;
          for (int64_t k = 0; k < n; ++k) ab[k] = fused::add_alpha(ab[k] * alpha, d[k], one_alpha);
          for (int64_t k = 0; k < n; ++k) avg[k] = std::sqrt(fused::addcmul(sb[k], -ab[k], ab[k])) + eps;
        } else {
          for (int64_t k = 0; k < n; ++k) avg[k] = std::sqrt(sb[k]) + eps;
        }
        if (buf) {
          T* bb = buf + b;
          for (int64_t k = 0; k < n; ++k) bb[k] = bb[k] * mom + d[k] / avg[k];
          for (int64_t k = 0; k < n; ++k) pb[k] = fused::add_alpha(pb[k], bb[k], nlr);
        } else {
          for (int64_t k = 0; k < n; ++k) pb[k] = pb[k] + nlr * d[k] / avg[k];
        }
      });
    });
    square_avg_[i].impl()->bump_version();
    if (o_.momentum > 0) momentum_[i].impl()->bump_version();
    if (o_.centered) grad_avg_[i].impl()->bump_version();
    pv.finish();
  }
}

OptimizerStateDict RMSprop::state_dict() const {
  OptimizerStateDict sd;
  for (size_t i = 0; i < params_.size(); ++i) {
    if (!square_avg_[i].defined()) continue;
    auto& e = sd.state[int64_t(i)];
    e.emplace_back("step", scalar_tensor(steps_[i], DType::Int64));  // a Python int in 1.13
    e.emplace_back("square_avg", square_avg_[i].clone());
    if (momentum_[i].defined()) e.emplace_back("momentum_buffer", momentum_[i].clone());
    if (grad_avg_[i].defined()) e.emplace_back("grad_avg", grad_avg_[i].clone());
  }
  sd.param_groups.push_back({{"lr", lr_}, {"momentum", o_.momentum}, {"alpha", o_.alpha}, {"eps", o_.eps},
                             {"centered", double(o_.centered)}, {"weight_decay", o_.weight_decay},
                             {"maximize", double(o_.maximize)}});
  sd.group_params.push_back(sd_util::all_indices(params_.size()));
  return sd;
}

void RMSprop::load_state_dict(const OptimizerStateDict& sd) {
  sd_util::check_layout(sd, params_.size());
  lr_ = sd_util::group_value(sd, "lr", lr_);
  o_.momentum = sd_util::group_value(sd, "momentum", o_.momentum);
  o_.alpha = sd_util::group_value(sd, "alpha", o_.alpha);
  o_.eps = sd_util::group_value(sd, "eps", o_.eps);
  o_.centered = sd_util::group_value(sd, "centered", o_.centered) != 0;
  o_.weight_decay = sd_util::group_value(sd, "weight_decay", o_.weight_decay);
  o_.maximize = sd_util::group_value(sd, "maximize", o_.maximize) != 0;
  for (size_t i = 0; i < params_.size(); ++i) {
    steps_[i] = 0;
    square_avg_[i] = momentum_[i] = grad_avg_[i] = Tensor();
  }
  sd_util::load_param_state(sd, params_, &steps_,
                            {{"square_avg", &square_avg_}, {"momentum_buffer", &momentum_}, {"grad_avg", &grad_avg_}},
                            "RMSprop");
  for (const auto& kv : sd.state) {
    const int64_t idx = kv.first;
    const size_t i = size_t(idx);
    FT_CHECK_KIND(ErrorKind::Value, square_avg_[i].defined(), "RMSprop state for parameter ", idx,
                  " lacks square_avg");
  }
}

double RMSprop::group_momentum(int64_t g) const {
  check_group(g);
  return o_.momentum;
}

void RMSprop::set_group_momentum(int64_t g, double m) {
  check_group(g);
  o_.momentum = m;
}

}  // namespace ft::optim
