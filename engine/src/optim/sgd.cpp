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

SGD::SGD(std::vector<Tensor> params, SGDOptions o) : OptimizerWithOptions(o) { init_groups(std::move(params), o); }

SGD::SGD(std::vector<ParamGroup<SGDOptions>> groups, SGDOptions defaults) : OptimizerWithOptions(defaults) {
  init_groups(std::move(groups));
}

void SGD::validate(const SGDOptions& o) const {
  FT_CHECK_KIND(ErrorKind::Value, o.lr >= 0, "Invalid learning rate: ", o.lr);
  FT_CHECK_KIND(ErrorKind::Value, o.momentum >= 0, "Invalid momentum value: ", o.momentum);
  FT_CHECK_KIND(ErrorKind::Value, o.weight_decay >= 0, "Invalid weight_decay value: ", o.weight_decay);
  FT_CHECK_KIND(ErrorKind::Value, !o.nesterov || (o.momentum > 0 && o.dampening == 0),
                "Nesterov momentum requires a momentum and zero dampening");
}

void SGD::step_param(size_t i, const SGDOptions& o) {
  Tensor g = fused::grad_of(params_[i]);
  if (!g.defined()) return;
  fused::check_float(params_[i], "SGD");
  fused::ParamView pv(params_[i]);
  const bool first = !momentum_[i].defined();
  if (o.momentum != 0 && first) momentum_[i] = empty(pv.data.sizes(), pv.data.dtype());
  FT_DISPATCH_FLOATING(pv.data.dtype(), "sgd", [&] {
    using T = scalar_t;
    T* p = pv.data.data_ptr<T>();
    const T* gp = g.data_ptr<T>();
    T* buf = o.momentum != 0 ? momentum_[i].data_ptr<T>() : nullptr;
    const T wd = T(o.weight_decay), mom = T(o.momentum), damp1 = T(1 - o.dampening), nlr = T(-o.lr);
    const bool has_wd = o.weight_decay != 0, nesterov = o.nesterov, maximize = o.maximize;
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
  if (o.momentum != 0) momentum_[i].impl()->bump_version();
  pv.finish();
}

namespace {
// The group hyperparameters of a state_dict, by PyTorch's keys.
constexpr auto kSgdHyper = [](auto& o, auto&& f) {
  f("lr", o.lr), f("momentum", o.momentum), f("dampening", o.dampening);
  f("weight_decay", o.weight_decay), f("nesterov", o.nesterov), f("maximize", o.maximize);
};
}  // namespace

OptimizerStateDict SGD::state_dict() const {
  OptimizerStateDict sd;
  for (size_t i = 0; i < params_.size(); ++i)
    if (momentum_[i].defined()) sd.state[int64_t(i)] = {{"momentum_buffer", momentum_[i].clone()}};
  for (int64_t g = 0; g < num_param_groups(); ++g) {
    sd_util::push_group(sd, *this, g, sd_util::hyper_of(opts_[size_t(g)], kSgdHyper));
  }
  return sd;
}

void SGD::load_state_dict(const OptimizerStateDict& sd) {
  const auto state = sd_util::match_layout(sd, *this);
  std::vector<Tensor> momentum(params_.size());
  sd_util::load_param_state(state, params_, nullptr, {{"momentum_buffer", &momentum}}, "SGD");
  momentum_ = std::move(momentum);
  for (int64_t g = 0; g < num_param_groups(); ++g) {
    sd_util::read_hyper(sd.param_groups[size_t(g)], opts_[size_t(g)], kSgdHyper);
    sd_util::load_initial_lr(*this, sd, g);
  }
}

}  // namespace ft::optim
