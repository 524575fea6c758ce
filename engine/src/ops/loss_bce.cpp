// binary_cross_entropy and binary_cross_entropy_with_logits (primitives;
// backward in autograd/derivatives_loss.cpp). Forward formulas and checks
// follow ATen 1.13's CPU code (Loss.cpp) step by step.
#include <algorithm>
#include <cmath>

#include "../autograd/record_loss.h"
#include "loss_internal.h"

namespace ft {
namespace {

// `t` must broadcast to `shape` without growing it: ATen writes these
// products into a tensor of that shape in place.
void check_broadcasts_into(const Tensor& t, IntArrayRef shape) {
  DimVector b = broadcast_shapes(shape, t.sizes());
  FT_CHECK(IntArrayRef(b).equals(shape), "output with shape ", shape_str(shape), " doesn't match the broadcast shape ", shape_str(b));
}

// 1 - t (exactly -t + 1 in IEEE arithmetic).
Tensor one_minus(const Tensor& t) { return t.neg() + Scalar(1); }

}  // namespace

// NOTE [ binary_cross_entropy's clamp ]
// Each log is clamped at -100 so that x = 0 or 1 gives a finite loss
// (100 per element), as PyTorch documents; the input must lie in [0, 1]
// (NaN fails that check too). The target is not range-checked in 1.13.
Tensor binary_cross_entropy(const Tensor& self, const Tensor& target, const std::optional<Tensor>& weight_opt,
                            int64_t reduction) {
  FT_OP_SCOPE("binary_cross_entropy");
  const Tensor weight = detail::defined_or_none(weight_opt);
  FT_CHECK_VALUE(self.sizes().equals(target.sizes()), "Using a target size (", shape_str(target.sizes()),
                 ") that is different to the input size (", shape_str(self.sizes()), ") is deprecated. ",
                 "Please ensure they have the same size.");
  FT_CHECK(!is_floating(self.dtype()) || target.dtype() == self.dtype(), "Found dtype ",
           dtype_torch_name(target.dtype()), " but expected ", dtype_torch_name(self.dtype()));
  if (weight.defined()) check_broadcasts_into(weight, self.sizes());
  Tensor out;
  {
    autograd::NoGradGuard ng;
    Tensor loss = detail::pointwise_loss(self, target, "binary_cross_entropy", [](auto x, auto t) {
      using T = decltype(x);
      FT_CHECK(x >= T(0) && x <= T(1), "all elements of input should be between 0 and 1");
      return (t - T(1)) * std::max(T(std::log(T(1) - x)), T(-100)) - t * std::max(T(std::log(x)), T(-100));
    });
    if (weight.defined()) loss = loss * weight.to(loss.dtype());
    out = detail::apply_loss_reduction(loss, reduction);
  }
  autograd::record_bce(self, target, weight, reduction, out);
  return out;
}

// Stable form: with m = max(-x, 0),
//   loss = (1 - t) x + lw (log(exp(-m) + exp(-x - m)) + m),  lw = 1 + (pw - 1) t
// (lw = 1 without pos_weight), times weight.
Tensor binary_cross_entropy_with_logits(const Tensor& self, const Tensor& target, const std::optional<Tensor>& weight_opt,
                                        const std::optional<Tensor>& pos_weight_opt, int64_t reduction) {
  FT_OP_SCOPE("binary_cross_entropy_with_logits");
  const Tensor weight = detail::defined_or_none(weight_opt), pos_weight = detail::defined_or_none(pos_weight_opt);
  // ATen writes into (1 - target): every other operand broadcasts into it.
  check_broadcasts_into(self, target.sizes());
  FT_CHECK(is_floating(result_type(self, target)), "result type Float can't be cast to the desired output type ",
           dtype_torch_name(result_type(self, target)));
  Tensor out;
  {
    autograd::NoGradGuard ng;
    Tensor max_val = self.neg().clamp(Scalar(0));
    Tensor softplus_part = ((max_val.neg()).exp() + (self.neg() - max_val).exp()).log();
    Tensor loss;
    if (pos_weight.defined()) {
      Tensor log_weight = (pos_weight + Scalar(-1)) * target + Scalar(1);
      check_broadcasts_into(log_weight, target.sizes());
      loss = one_minus(target) * self + log_weight * (softplus_part + max_val);
    } else {
      loss = one_minus(target) * self + max_val + softplus_part;
    }
    if (weight.defined()) {
      check_broadcasts_into(weight, loss.sizes());
      loss = loss * weight;
    }
    out = detail::apply_loss_reduction(loss, reduction);
  }
  autograd::record_bce_with_logits(self, target, weight, pos_weight, reduction, out);
  return out;
}

}  // namespace ft
