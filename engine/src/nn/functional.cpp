// Composite functional forms: linear (the losses: functional_loss.cpp).
// Each is written with engine ops (so autograd and double backward come
// from the ops' own formulas) in the order PyTorch 1.13 evaluates them, so
// results round the same way.
#include "ft/nn/functional.h"

namespace ft::nn::functional {
Tensor linear(const Tensor& x, const Tensor& weight, const Tensor& bias) {
  FT_CHECK(weight.dim() == 2, "linear: weight must be 2-D (out_features, in_features), got ", weight.dim(), "-D");
  FT_CHECK(x.dim() >= 1, "linear: input must have at least 1 dim");
  // x (*, in) @ W^T (in, out) + b (out): PyTorch's addmm for 2-D inputs
  // computes the product and then adds the bias, which rounds the same.
  Tensor y = x.matmul(weight.t());
  return bias.defined() ? y + bias : y;
}

}  // namespace ft::nn::functional
