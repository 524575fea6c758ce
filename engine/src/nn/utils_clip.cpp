// clip_grad_norm_ and clip_grad_value_ (torch/nn/utils/clip_grad.py, 1.13):
// the same tensor operations in the same order, so the total norm and the
// clipped gradients are bit-identical to PyTorch's.
#include <cmath>
#include <limits>

#include "ft/autograd.h"
#include "ft/nn/utils.h"

namespace ft::nn::utils {
namespace {

std::vector<Tensor> grads_of(const std::vector<Tensor>& parameters) {
  std::vector<Tensor> g;
  for (const Tensor& p : parameters)
    if (p.grad().defined()) g.push_back(p.grad());
  return g;
}

}  // namespace

Tensor clip_grad_norm_(const std::vector<Tensor>& parameters, double max_norm, double norm_type,
                       bool error_if_nonfinite) {
  autograd::NoGradGuard ng;
  std::vector<Tensor> grads = grads_of(parameters);
  if (grads.empty()) return scalar_tensor(Scalar(0.0), DType::Float32);
  Tensor total;
  if (std::isinf(norm_type) && norm_type > 0) {
    std::vector<Tensor> norms;
    for (const Tensor& g : grads) norms.push_back(g.detach().abs().max());
    total = norms.size() == 1 ? norms[0] : stack(norms).max();
  } else {
    std::vector<Tensor> norms;
    for (const Tensor& g : grads) norms.push_back(linalg_vector_norm(g.detach(), Scalar(norm_type)));
    total = linalg_vector_norm(stack(norms), Scalar(norm_type));
  }
  if (error_if_nonfinite) {
    const double t = total.item<double>();
    FT_CHECK(std::isfinite(t), "The total norm of order ", norm_type, " for gradients from `parameters` is ",
             "non-finite, so it cannot be clipped. To disable this error and scale the gradients by the ",
             "non-finite norm anyway, set `error_if_nonfinite=False`");
  }
  // Python's `max_norm / tensor` is tensor.reciprocal() * max_norm.
  Tensor coef = (total + Scalar(1e-6)).reciprocal() * Scalar(max_norm);
  Tensor coef_clamped = coef.clamp(std::nullopt, Scalar(1.0));
  for (const Tensor& g : grads) g.detach().mul_(coef_clamped);
  return total;
}

void clip_grad_value_(const std::vector<Tensor>& parameters, double clip_value) {
  autograd::NoGradGuard ng;
  for (const Tensor& g : grads_of(parameters)) g.detach().clamp_(Scalar(-clip_value), Scalar(clip_value));
}

}  // namespace ft::nn::utils
