// SGD with momentum, dampening, Nesterov, weight decay and maximize, in
// torch.optim.SGD's (1.13, single-tensor) order:
//   d = maximize ? -g : g;  d = d.add(p, alpha=wd)
//   buf = d (first step) | buf.mul_(momentum).add_(d, alpha=1-dampening)
//   d = nesterov ? d.add(buf, alpha=momentum) : buf
//   p.add_(d, alpha=-lr)
#include "fused.h"
#include "state_dict_util.h"
#include "ft/optim/optimizer.h"

namespace ft::optim {

SGD::SGD(std::vector<Tensor> params, SGDOptions o) : Optimizer(std::move(params)), o_(o) {
  FT_CHECK_KIND(ErrorKind::Value, o.lr >= 0, "Invalid learning rate: ", o.lr);
  FT_CHECK_KIND(ErrorKind::Value, o.momentum >= 0, "Invalid momentum value: ", o.momentum);
  FT_CHECK_KIND(ErrorKind::Value, o.weight_decay >= 0, "Invalid weight_decay value: ", o.weight_decay);
  FT_CHECK_KIND(ErrorKind::Value, !o.nesterov || (o.momentum > 0 && o.dampening == 0),
                "Nesterov momentum requires a momentum and zero dampening");
  lr_ = o.lr;
  momentum_.resize(params_.size());
}

void SGD::step() {
  autograd::NoGradGuard ng;
  for (size_t i = 0; i < params_.size(); ++i) {
    Tensor g = fused::grad_of(params_[i]);
    if (!g.defined()) continue;
    fused::check_float(params_[i], "SGD");
    fused::ParamView pv(params_[i]);
    const bool first = !momentum_[i].defined();
    if (o_.momentum != 0 && first) momentum_[i] = empty(pv.data.sizes(), pv.data.dtype());
    FT_DISPATCH_FLOATING(pv.data.dtype(), "sgd", [&] {
      using T = scalar_t;
      T* p = pv.data.data_ptr<T>();
      const T* gp = g.data_ptr<T>();
      T* buf = o_.momentum != 0 ? momentum_[i].data_ptr<T>() : nullptr;
      const T wd = T(o_.weight_decay), mom = T(o_.momentum), damp1 = T(1 - o_.dampening), nlr = T(-lr_);
      const bool has_wd = o_.weight_decay != 0, nesterov = o_.nesterov, maximize = o_.maximize;
      const bool wd1 = wd == T(1), damp_one = damp1 == T(1), mom1 = mom == T(1), lr1 = nlr == T(1);
      // Stage by stage over small blocks (NOTE [ Fused optimizer updates ]):
      // each inner loop is branch-free and vectorizes; every element sees the
      // same operations in the same order as the per-element formula above.
      fused::for_blocks(pv.data.numel(), [&](int64_t b, int64_t n) {
        T d[fused::kBlock];
        T* pb = p + b;
        const T* gb = gp + b;
        if (maximize) for (int64_t k = 0; k < n; ++k) d[k] = -gb[k];
        else for (int64_t k = 0; k < n; ++k) d[k] = gb[k];
        if (has_wd) {
          if (wd1) for (int64_t k = 0; k < n; ++k) d[k] = d[k] + pb[k];
          else for (int64_t k = 0; k < n; ++k) d[k] = std::fma(pb[k], wd, d[k]);
        }
        if (buf) {
          T* bb = buf + b;
          if (first) for (int64_t k = 0; k < n; ++k) bb[k] = d[k];
          else if (damp_one) for (int64_t k = 0; k < n; ++k) bb[k] = bb[k] * mom + d[k];
          else for (int64_t k = 0; k < n; ++k) bb[k] = std::fma(d[k], damp1, bb[k] * mom);
          if (!nesterov) for (int64_t k = 0; k < n; ++k) d[k] = bb[k];
          else if (mom1) for (int64_t k = 0; k < n; ++k) d[k] = d[k] + bb[k];
          else for (int64_t k = 0; k < n; ++k) d[k] = std::fma(bb[k], mom, d[k]);
        }
        if (lr1) for (int64_t k = 0; k < n; ++k) pb[k] = pb[k] + d[k];
        else for (int64_t k = 0; k < n; ++k) pb[k] = std::fma(d[k], nlr, pb[k]);
      });
    });
    if (o_.momentum != 0) momentum_[i].impl()->bump_version();
    pv.finish();
  }
}

OptimizerStateDict SGD::state_dict() const {
  OptimizerStateDict sd;
  for (size_t i = 0; i < params_.size(); ++i)
    if (momentum_[i].defined()) sd.state[int64_t(i)] = {{"momentum_buffer", momentum_[i].clone()}};
  sd.param_groups.push_back({{"lr", lr_}, {"momentum", o_.momentum}, {"dampening", o_.dampening},
                             {"weight_decay", o_.weight_decay}, {"nesterov", double(o_.nesterov)},
                             {"maximize", double(o_.maximize)}});
  sd.group_params.push_back(sd_util::all_indices(params_.size()));
  return sd;
}

void SGD::load_state_dict(const OptimizerStateDict& sd) {
  sd_util::check_layout(sd, params_.size());
  for (auto& m : momentum_) m = Tensor();
  sd_util::load_param_state(sd, params_, nullptr, {{"momentum_buffer", &momentum_}}, "SGD");
  lr_ = sd_util::group_value(sd, "lr", lr_);
  o_.momentum = sd_util::group_value(sd, "momentum", o_.momentum);
  o_.dampening = sd_util::group_value(sd, "dampening", o_.dampening);
  o_.weight_decay = sd_util::group_value(sd, "weight_decay", o_.weight_decay);
  o_.nesterov = sd_util::group_value(sd, "nesterov", o_.nesterov) != 0;
  o_.maximize = sd_util::group_value(sd, "maximize", o_.maximize) != 0;
}

double SGD::group_momentum(int64_t g) const {
  check_group(g);
  return o_.momentum;
}

void SGD::set_group_momentum(int64_t g, double m) {
  check_group(g);
  o_.momentum = m;
}

}  // namespace ft::optim
