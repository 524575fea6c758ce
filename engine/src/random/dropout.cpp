// dropout / feature_dropout as ATen composes them on CPU (_dropout_impl):
// mask = bernoulli_(1 - p) on an empty tensor shaped like x (or like the
// (N, C, 1, ...) feature plane), mask /= (1 - p), result = x * mask. The
// product is an ordinary engine mul, so autograd records MulBackward0 (as in
// PyTorch, where CPU dropout is composite) and the gradient is grad * mask.
#include "ft/autograd.h"
#include "sampling.h"

namespace ft {
namespace {

// inplace: x.mul_(mask) (at::dropout_), same mask draws.
Tensor dropout_impl(const Tensor& x, double p, bool train, bool feature, Generator* g, bool inplace = false) {
  FT_CHECK(p >= 0 && p <= 1, "dropout probability has to be between 0 and 1, but got ", p);
  if (p == 0 || !train || x.numel() == 0) return x;
  if (p == 1) {
    if (!inplace) return mul(x, zeros({}, x.dtype()));
    Tensor y = x;
    return y.mul_(zeros({}, x.dtype()));
  }
  DimVector noise_sizes;
  if (feature) {
    FT_CHECK(x.dim() >= 2, "Feature dropout requires at least 2 dimensions in the input");
    noise_sizes.push_back(x.size(0));
    noise_sizes.push_back(x.size(1));
    for (int64_t d = 2; d < x.dim(); ++d) noise_sizes.push_back(1);
  } else {
    for (int64_t s : x.sizes()) noise_sizes.push_back(s);
  }
  Tensor noise = empty(noise_sizes, x.dtype());
  {
    autograd::NoGradGuard ng;
    bernoulli_(noise, 1 - p, g);
    // noise.div_(1 - p): the scalar is cast to the tensor's dtype first.
    FT_DISPATCH_FLOATING(x.dtype(), "dropout", [&] {
      const scalar_t keep = scalar_t(1 - p);
      scalar_t* d = static_cast<scalar_t*>(noise.data_ptr());
      for (int64_t i = 0; i < noise.numel(); ++i) d[i] = d[i] / keep;
    });
  }
  if (!inplace) return mul(x, noise);
  Tensor y = x;
  return y.mul_(noise);
}

}  // namespace

Tensor dropout(const Tensor& x, double p, bool train, Generator* g) {
  FT_OP_SCOPE("dropout");
  return dropout_impl(x, p, train, /*feature=*/false, g);
}

Tensor dropout_(Tensor& x, double p, bool train, Generator* g) {
  FT_OP_SCOPE("dropout_");
  return dropout_impl(x, p, train, /*feature=*/false, g, /*inplace=*/true);
}

Tensor feature_dropout(const Tensor& x, double p, bool train, Generator* g) {
  FT_OP_SCOPE("feature_dropout");
  return dropout_impl(x, p, train, /*feature=*/true, g);
}

}  // namespace ft
