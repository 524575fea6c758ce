// Composite functional forms: linear, cross_entropy, mse_loss, l1_loss.
// Each is written with engine ops (so autograd and double backward come
// from the ops' own formulas) in the order PyTorch 1.13 evaluates them, so
// results round the same way.
#include <vector>

#include "ft/nn/functional.h"

namespace ft::nn::functional {
namespace {

Tensor reduce_loss(const Tensor& per_elem, const std::string& reduction) {
  if (reduction == "none") return per_elem;
  if (reduction == "mean") return per_elem.mean();
  if (reduction == "sum") return per_elem.sum();
  FT_CHECK_KIND(ErrorKind::Value, false, reduction, " is not a valid value for reduction");
  return per_elem;
}

void check_same_size(const Tensor& input, const Tensor& target, const char* what) {
  // PyTorch warns and broadcasts on a size mismatch; broadcasting a loss is
  // almost always a bug, and the broadcast still raises when impossible.
  (void)what;
  broadcast_shapes(input.sizes(), target.sizes());
}

// sum of weight[t_i] over non-ignored targets, as a 0-dim tensor (no grad:
// PyTorch divides by the gathered weights, which are constants here).
Tensor target_weight_sum(const Tensor& weight, const Tensor& target, int64_t ignore_index, DType dt) {
  std::vector<double> w = weight.detach().to_double_vector(), t = target.to_double_vector();
  double s = 0;
  for (double tv : t)
    if (int64_t(tv) != ignore_index && tv >= 0 && size_t(tv) < w.size()) s += w[size_t(tv)];
  return scalar_tensor(s, dt);
}

}  // namespace

Tensor linear(const Tensor& x, const Tensor& weight, const Tensor& bias) {
  FT_CHECK(weight.dim() == 2, "linear: weight must be 2-D (out_features, in_features), got ", weight.dim(), "-D");
  FT_CHECK(x.dim() >= 1, "linear: input must have at least 1 dim");
  // x (*, in) @ W^T (in, out) + b (out): PyTorch's addmm for 2-D inputs
  // computes the product and then adds the bias, which rounds the same.
  Tensor y = x.matmul(weight.t());
  return bias.defined() ? y + bias : y;
}

Tensor cross_entropy(const Tensor& input, const Tensor& target, const Tensor& weight, const std::string& reduction,
                     int64_t ignore_index, double label_smoothing) {
  FT_CHECK(label_smoothing >= 0.0 && label_smoothing <= 1.0,
           "label_smoothing must be between 0.0 and 1.0. Got: ", label_smoothing);
  const int64_t class_dim = input.dim() == 1 ? 0 : 1;
  Tensor logp = log_softmax(input, class_dim);
  if (is_floating(target.dtype())) {  // class probabilities
    FT_CHECK(target.sizes().vec() == input.sizes().vec(), "Expected target size ", target.numel(),
             " elements to match input size");
    const double C = double(input.size(class_dim));
    Tensor t = label_smoothing > 0 ? target * (1.0 - label_smoothing) + Scalar(label_smoothing / C) : target;
    Tensor prod = weight.defined() ? logp * t * (input.dim() == 1 ? weight : weight.view({1, -1})) : logp * t;
    Tensor per_sample = prod.sum({class_dim}).neg();
    if (reduction == "mean") return input.dim() == 1 ? per_sample : ft::div(per_sample.sum(), Scalar(double(input.size(0))));
    return reduce_loss(per_sample, reduction);
  }
  Tensor nll = nll_loss(logp, target, weight, reduction, ignore_index);
  if (label_smoothing <= 0) return nll;
  // Smoothing term: -(sum_c w_c logp_c) / C per sample, reduced like nll.
  const double C = double(input.size(class_dim));
  Tensor wl = weight.defined() ? logp * (input.dim() == 1 ? weight : weight.view({1, -1})) : logp;
  Tensor smooth = wl.sum({class_dim}).neg();
  Tensor keep = target.ne(Scalar(ignore_index));
  smooth = smooth * keep.to(smooth.dtype());
  Tensor sm;
  if (reduction == "none") sm = smooth;
  else if (reduction == "sum") sm = smooth.sum();
  else if (weight.defined()) {
    sm = smooth.sum() / target_weight_sum(weight, target, ignore_index, smooth.dtype());
  } else {
    sm = smooth.sum() / keep.sum().to(smooth.dtype());
  }
  return nll * (1.0 - label_smoothing) + sm * Scalar(label_smoothing / C);
}

Tensor mse_loss(const Tensor& input, const Tensor& target, const std::string& reduction) {
  check_same_size(input, target, "mse_loss");
  Tensor d = input - target;
  return reduce_loss(d * d, reduction);
}

Tensor l1_loss(const Tensor& input, const Tensor& target, const std::string& reduction) {
  check_same_size(input, target, "l1_loss");
  return reduce_loss((input - target).abs(), reduction);
}

}  // namespace ft::nn::functional
