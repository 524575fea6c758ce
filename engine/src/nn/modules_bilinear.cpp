// torch.nn.Bilinear (ft/nn/bilinear.h).
#include <cmath>

#include "ft/autograd.h"
#include "ft/nn/bilinear.h"
#include "ft/nn/init.h"

namespace ft::nn {

Bilinear::Bilinear(int64_t in1, int64_t in2, int64_t out, bool bias, DType dtype)
    : Module("Bilinear"), has_bias_(bias) {
  register_parameter("weight", empty({out, in1, in2}, dtype));
  register_parameter("bias", bias ? empty({out}, dtype) : Tensor());
  reset_parameters();
}

void Bilinear::reset_parameters() {
  autograd::NoGradGuard ng;
  // bound from in1_features (weight.size(1)); weight drawn first, then bias.
  const int64_t in1 = weight().size(1);
  const double bound = in1 > 0 ? 1.0 / std::sqrt(double(in1)) : 0.0;
  Tensor w = weight().detach();
  init::uniform_(w, -bound, bound);
  if (!has_bias_) return;
  Tensor b = bias().detach();
  init::uniform_(b, -bound, bound);
}

Tensor Bilinear::forward(const Tensor& x1, const Tensor& x2) {
  return bilinear(x1, x2, weight(), has_bias_ ? std::optional<Tensor>(bias()) : std::nullopt);
}

}  // namespace ft::nn
