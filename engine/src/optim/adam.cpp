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
    : OptimizerWithOptions(o), decoupled_(decoupled) {
  init_groups(std::move(params), o);
}

Adam::Adam(std::vector<ParamGroup<AdamOptions>> groups, AdamOptions defaults, bool decoupled)
    : OptimizerWithOptions(defaults), decoupled_(decoupled) {
  init_groups(std::move(groups));
}

void Adam::validate(const AdamOptions& o) const {
  FT_CHECK_KIND(ErrorKind::Value, o.lr >= 0, "Invalid learning rate: ", o.lr);
  FT_CHECK_KIND(ErrorKind::Value, o.eps >= 0, "Invalid epsilon value: ", o.eps);
  FT_CHECK_KIND(ErrorKind::Value, o.beta1 >= 0 && o.beta1 < 1, "Invalid beta parameter at index 0: ", o.beta1);
  FT_CHECK_KIND(ErrorKind::Value, o.beta2 >= 0 && o.beta2 < 1, "Invalid beta parameter at index 1: ", o.beta2);
  FT_CHECK_KIND(ErrorKind::Value, o.weight_decay >= 0, "Invalid weight_decay value: ", o.weight_decay);
}

void Adam::grow_state() {
  steps_.resize(params_.size(), 0);
  exp_avg_.resize(params_.size());
  exp_avg_sq_.resize(params_.size());
  max_exp_avg_sq_.resize(params_.size());
}

void Adam::step_param(size_t i, const AdamOptions& o) {
  Tensor g = fused::grad_of(params_[i]);
  if (!g.defined()) return;
  fused::check_float(params_[i], decoupled_ ? "AdamW" : "Adam");
  fused::ParamView pv(params_[i]);
  if (!exp_avg_[i].defined()) {
    exp_avg_[i] = zeros(pv.data.sizes(), pv.data.dtype());
    exp_avg_sq_[i] = zeros(pv.data.sizes(), pv.data.dtype());
    if (o.amsgrad) max_exp_avg_sq_[i] = zeros(pv.data.sizes(), pv.data.dtype());
  }
  const int64_t step = ++steps_[i];
  const double bc1 = 1 - std::pow(o.beta1, double(step));
  const double bc2 = 1 - std::pow(o.beta2, double(step));
  const double step_size = o.lr / bc1;
  const double bc2_sqrt = std::sqrt(bc2);
  FT_DISPATCH_FLOATING(pv.data.dtype(), decoupled_ ? "adamw" : "adam", [&] {
    using T = scalar_t;
    T* p = pv.data.data_ptr<T>();
    const T* gp = g.data_ptr<T>();
    T* m = exp_avg_[i].data_ptr<T>();
    T* v = exp_avg_sq_[i].data_ptr<T>();
    T* vmax = o.amsgrad ? max_exp_avg_sq_[i].data_ptr<T>() : nullptr;
    const T b1 = T(o.beta1), b2 = T(o.beta2), one_b1 = T(1 - o.beta1), one_b2 = T(1 - o.beta2);
    const T wd = T(o.weight_decay), decay = T(1 - o.lr * o.weight_decay), eps = T(o.eps);
    const T nss = T(-step_size), bc2s = T(bc2_sqrt);
    const bool has_wd = o.weight_decay != 0, decoupled = decoupled_, maximize = o.maximize;
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

namespace {
// The group hyperparameters of a state_dict, by PyTorch's keys.
constexpr auto kAdamHyper = [](auto& o, auto&& f) {
  f("lr", o.lr), f("beta1", o.beta1), f("beta2", o.beta2), f("eps", o.eps);
  f("weight_decay", o.weight_decay), f("amsgrad", o.amsgrad), f("maximize", o.maximize);
};
}  // namespace

OptimizerStateDict Adam::state_dict() const {
  OptimizerStateDict sd;
  for (size_t i = 0; i < params_.size(); ++i) {
    if (!exp_avg_[i].defined()) continue;
    auto& e = sd.state[int64_t(i)];
    e.emplace_back("step", scalar_tensor(double(steps_[i]), DType::Float32));  // a float tensor, as 1.13
    e.emplace_back("exp_avg", exp_avg_[i].clone());
    e.emplace_back("exp_avg_sq", exp_avg_sq_[i].clone());
    if (max_exp_avg_sq_[i].defined()) e.emplace_back("max_exp_avg_sq", max_exp_avg_sq_[i].clone());
  }
  for (int64_t g = 0; g < num_param_groups(); ++g) {
    sd_util::push_group(sd, *this, g, sd_util::hyper_of(opts_[size_t(g)], kAdamHyper));
  }
  return sd;
}

void Adam::load_state_dict(const OptimizerStateDict& sd) {
  const auto state = sd_util::match_layout(sd, *this);
  std::vector<AdamOptions> opts = opts_;
  for (int64_t g = 0; g < num_param_groups(); ++g) {
    sd_util::read_hyper(sd.param_groups[size_t(g)], opts[size_t(g)], kAdamHyper);
  }
  std::vector<int64_t> steps(params_.size(), 0);
  std::vector<Tensor> exp_avg(params_.size()), exp_avg_sq(params_.size()), max_exp_avg_sq(params_.size());
  sd_util::load_param_state(state, params_, &steps,
                            {{"exp_avg", &exp_avg}, {"exp_avg_sq", &exp_avg_sq}, {"max_exp_avg_sq", &max_exp_avg_sq}},
                            "Adam");
  for (int64_t g = 0; g < num_param_groups(); ++g)
    for (size_t i = group_begin(g); i < group_end(g); ++i) {
      if (!state.count(i)) continue;
      FT_CHECK_KIND(ErrorKind::Value, exp_avg[i].defined() && exp_avg_sq[i].defined(), "Adam state for parameter ",
                    i, " lacks exp_avg or exp_avg_sq");
      if (opts[size_t(g)].amsgrad && !max_exp_avg_sq[i].defined())
        max_exp_avg_sq[i] = zeros(params_[i].sizes(), params_[i].dtype());
    }
  opts_ = std::move(opts);
  steps_ = std::move(steps);
  exp_avg_ = std::move(exp_avg);
  exp_avg_sq_ = std::move(exp_avg_sq);
  max_exp_avg_sq_ = std::move(max_exp_avg_sq);
  for (int64_t g = 0; g < num_param_groups(); ++g) sd_util::load_initial_lr(*this, sd, g);
}

}  // namespace ft::optim
