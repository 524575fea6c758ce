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

RMSprop::RMSprop(std::vector<Tensor> params, RMSpropOptions o) : OptimizerWithOptions(o) {
  init_groups(std::move(params), o);
}

RMSprop::RMSprop(std::vector<ParamGroup<RMSpropOptions>> groups, RMSpropOptions defaults)
    : OptimizerWithOptions(defaults) {
  init_groups(std::move(groups));
}

void RMSprop::validate(const RMSpropOptions& o) const {
  FT_CHECK_KIND(ErrorKind::Value, o.lr >= 0, "Invalid learning rate: ", o.lr);
  FT_CHECK_KIND(ErrorKind::Value, o.eps >= 0, "Invalid epsilon value: ", o.eps);
  FT_CHECK_KIND(ErrorKind::Value, o.momentum >= 0, "Invalid momentum value: ", o.momentum);
  FT_CHECK_KIND(ErrorKind::Value, o.weight_decay >= 0, "Invalid weight_decay value: ", o.weight_decay);
  FT_CHECK_KIND(ErrorKind::Value, o.alpha >= 0, "Invalid alpha value: ", o.alpha);
}

void RMSprop::grow_state() {
  steps_.resize(params_.size(), 0);
  square_avg_.resize(params_.size());
  momentum_.resize(params_.size());
  grad_avg_.resize(params_.size());
}

void RMSprop::step_param(size_t i, const RMSpropOptions& o) {
  Tensor g = fused::grad_of(params_[i]);
  if (!g.defined()) return;
  fused::check_float(params_[i], "RMSprop");
  fused::ParamView pv(params_[i]);
  auto zero_state = [&] { return zeros(pv.data.sizes(), pv.data.dtype()); };
  if (!square_avg_[i].defined()) square_avg_[i] = zero_state();
  // Created lazily (not only at the first step) so that a scheduler may
  // switch momentum on later; PyTorch would raise a KeyError there instead.
  if (o.momentum > 0 && !momentum_[i].defined()) momentum_[i] = zero_state();
  if (o.centered && !grad_avg_[i].defined()) grad_avg_[i] = zero_state();
  ++steps_[i];
  FT_DISPATCH_FLOATING(pv.data.dtype(), "rmsprop", [&] {
    using T = scalar_t;
    T* p = pv.data.data_ptr<T>();
    const T* gp = g.data_ptr<T>();
    T* sq = square_avg_[i].data_ptr<T>();
    T* buf = o.momentum > 0 ? momentum_[i].data_ptr<T>() : nullptr;
    T* ga = o.centered ? grad_avg_[i].data_ptr<T>() : nullptr;
    const T wd = T(o.weight_decay), alpha = T(o.alpha), one_alpha = T(1 - o.alpha), eps = T(o.eps);
    const T mom = T(o.momentum), nlr = T(-o.lr);
    const bool has_wd = o.weight_decay != 0, maximize = o.maximize;
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
  if (o.momentum > 0) momentum_[i].impl()->bump_version();
  if (o.centered) grad_avg_[i].impl()->bump_version();
  pv.finish();
}

namespace {
// The group hyperparameters of a state_dict, by PyTorch's keys.
constexpr auto kRmspropHyper = [](auto& o, auto&& f) {
  f("lr", o.lr), f("momentum", o.momentum), f("alpha", o.alpha), f("eps", o.eps);
  f("centered", o.centered), f("weight_decay", o.weight_decay), f("maximize", o.maximize);
};
}  // namespace

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
  for (int64_t g = 0; g < num_param_groups(); ++g) {
    sd_util::push_group(sd, *this, g, sd_util::hyper_of(opts_[size_t(g)], kRmspropHyper));
  }
  return sd;
}

void RMSprop::load_state_dict(const OptimizerStateDict& sd) {
  const auto state = sd_util::match_layout(sd, *this);
  std::vector<int64_t> steps(params_.size(), 0);
  std::vector<Tensor> square_avg(params_.size()), momentum(params_.size()), grad_avg(params_.size());
  sd_util::load_param_state(state, params_, &steps,
                            {{"square_avg", &square_avg}, {"momentum_buffer", &momentum}, {"grad_avg", &grad_avg}},
                            "RMSprop");
  for (const auto& kv : state)
    FT_CHECK_KIND(ErrorKind::Value, square_avg[kv.first].defined(), "RMSprop state for parameter ", kv.first,
                  " lacks square_avg");
  steps_ = std::move(steps);
  square_avg_ = std::move(square_avg);
  momentum_ = std::move(momentum);
  grad_avg_ = std::move(grad_avg);
  for (int64_t g = 0; g < num_param_groups(); ++g) {
    sd_util::read_hyper(sd.param_groups[size_t(g)], opts_[size_t(g)], kRmspropHyper);
    sd_util::load_initial_lr(*this, sd, g);
  }
}

}  // namespace ft::optim
