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

Adagrad::Adagrad(std::vector<Tensor> params, AdagradOptions o) : OptimizerWithOptions(o) {
  init_groups(std::move(params), o);
}

Adagrad::Adagrad(std::vector<ParamGroup<AdagradOptions>> groups, AdagradOptions defaults)
    : OptimizerWithOptions(defaults) {
  init_groups(std::move(groups));
}

void Adagrad::validate(const AdagradOptions& o) const {
  FT_CHECK_KIND(ErrorKind::Value, o.lr >= 0, "Invalid learning rate: ", o.lr);
  FT_CHECK_KIND(ErrorKind::Value, o.lr_decay >= 0, "Invalid lr_decay value: ", o.lr_decay);
  FT_CHECK_KIND(ErrorKind::Value, o.weight_decay >= 0, "Invalid weight_decay value: ", o.weight_decay);
  FT_CHECK_KIND(ErrorKind::Value, o.initial_accumulator_value >= 0, "Invalid initial_accumulator_value value: ",
                o.initial_accumulator_value);
  FT_CHECK_KIND(ErrorKind::Value, o.eps >= 0, "Invalid epsilon value: ", o.eps);
}

// PyTorch creates the state of every parameter up front (see the header for
// groups added later); the group just added holds the last parameters. The
// sums start at the constructor's initial_accumulator_value in every group:
// torch's __init__ reads its argument, not the group's entry.
void Adagrad::grow_state() {
  const int64_t g = num_param_groups() - 1;
  const double init = defaults_.initial_accumulator_value;
  for (size_t i = group_begin(g); i < group_end(g); ++i) fused::check_float(params_[i], "Adagrad");
  for (size_t i = group_begin(g); i < group_end(g); ++i) sum_.push_back(full(params_[i].sizes(), init, params_[i].dtype()));
  steps_.resize(params_.size(), 0);
}

void Adagrad::step_param(size_t i, const AdagradOptions& o) {
  Tensor g = fused::grad_of(params_[i]);
  if (!g.defined()) return;
  fused::ParamView pv(params_[i]);
  const int64_t step = ++steps_[i];
  const double clr = o.lr / (1 + double(step - 1) * o.lr_decay);
  FT_DISPATCH_FLOATING(pv.data.dtype(), "adagrad", [&] {
    using T = scalar_t;
    T* p = pv.data.data_ptr<T>();
    const T* gp = g.data_ptr<T>();
    T* sum = sum_[i].data_ptr<T>();
    const T wd = T(o.weight_decay), eps = T(o.eps), nclr = T(-clr);
    const bool has_wd = o.weight_decay != 0, maximize = o.maximize;
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

namespace {
// The group hyperparameters of a state_dict, by PyTorch's keys.
constexpr auto kAdagradHyper = [](auto& o, auto&& f) {
  f("lr", o.lr), f("lr_decay", o.lr_decay), f("eps", o.eps), f("weight_decay", o.weight_decay);
  f("initial_accumulator_value", o.initial_accumulator_value), f("maximize", o.maximize);
};
}  // namespace

OptimizerStateDict Adagrad::state_dict() const {
  OptimizerStateDict sd;
  for (size_t i = 0; i < params_.size(); ++i)
    sd.state[int64_t(i)] = {{"step", scalar_tensor(double(steps_[i]), DType::Float32)},  // a float tensor, as 1.13
                            {"sum", sum_[i].clone()}};
  for (int64_t g = 0; g < num_param_groups(); ++g) {
    sd_util::push_group(sd, *this, g, sd_util::hyper_of(opts_[size_t(g)], kAdagradHyper));
  }
  return sd;
}

void Adagrad::load_state_dict(const OptimizerStateDict& sd) {
  const auto state = sd_util::match_layout(sd, *this);
  std::vector<AdagradOptions> opts = opts_;
  for (int64_t g = 0; g < num_param_groups(); ++g) {
    sd_util::read_hyper(sd.param_groups[size_t(g)], opts[size_t(g)], kAdagradHyper);
  }
  // Parameters without saved state keep a fresh one (step 0, the initial sum).
  std::vector<int64_t> steps(params_.size(), 0);
  std::vector<Tensor> sum(params_.size());
  for (size_t i = 0; i < params_.size(); ++i)
    sum[i] = full(params_[i].sizes(), defaults_.initial_accumulator_value, params_[i].dtype());
  sd_util::load_param_state(state, params_, &steps, {{"sum", &sum}}, "Adagrad");
  opts_ = std::move(opts);
  steps_ = std::move(steps);
  sum_ = std::move(sum);
  for (int64_t g = 0; g < num_param_groups(); ++g) sd_util::load_initial_lr(*this, sd, g);
}

}  // namespace ft::optim
