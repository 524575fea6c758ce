// Regression losses: mse_loss, smooth_l1_loss and huber_loss (primitives
// with their own nodes, backward in autograd/derivatives_loss.cpp) and
// l1_loss (composite, as in libtorch 1.13: abs(input - target) reduced).
// Each elementwise formula is written in the order of ATen's CPU kernel so
// results round the same way.
#include <cmath>

#include "../autograd/record_loss.h"
#include "loss_internal.h"

namespace ft {
namespace detail {

Tensor apply_loss_reduction(const Tensor& unreduced, int64_t reduction) {
  if (reduction == Reduction::Mean) return unreduced.mean();
  if (reduction == Reduction::Sum) return unreduced.sum();
  FT_CHECK(reduction == Reduction::None, "reduction must be 0 (none), 1 (mean) or 2 (sum), got ", reduction);
  return unreduced;
}

}  // namespace detail

namespace {

void check_reduction(int64_t reduction) {
  FT_CHECK(reduction >= Reduction::None && reduction < Reduction::END,
           "reduction must be 0 (none), 1 (mean) or 2 (sum), got ", reduction);
}

// Forward without autograd, then the node on the reduced result.
// `half`/`bf16`: the 16-bit floats the kernel takes in libtorch 1.13.
template <typename F>
Tensor point_loss(autograd::PointLoss kind, const Tensor& self, const Tensor& target, int64_t reduction,
                  double param, const char* kernel, F f, bool half, bool bf16) {
  check_reduction(reduction);
  Tensor out;
  {
    autograd::NoGradGuard ng;
    out = detail::apply_loss_reduction(detail::pointwise_loss(self, target, kernel, f, half, bf16), reduction);
  }
  autograd::record_point_loss(kind, self, target, reduction, param, out);
  return out;
}

}  // namespace

Tensor mse_loss(const Tensor& self, const Tensor& target, int64_t reduction) {
  FT_OP_SCOPE("mse_loss");
  // T(...) rounds each step for Half (a no-op for float and double)
  return point_loss(
      autograd::PointLoss::Mse, self, target, reduction, 0.0, "mse_cpu",
      [](auto x, auto t) {
        using T = decltype(x);
        const T d = T(x - t);
        return T(d * d);
      },
      /*half=*/true, /*bf16=*/false);
}

Tensor l1_loss(const Tensor& self, const Tensor& target, int64_t reduction) {
  FT_OP_SCOPE("l1_loss");
  check_reduction(reduction);
  return detail::apply_loss_reduction((self - target).abs(), reduction);
}

Tensor smooth_l1_loss(const Tensor& self, const Tensor& target, int64_t reduction, double beta) {
  FT_OP_SCOPE("smooth_l1_loss");
  FT_CHECK(beta >= 0, "smooth_l1_loss does not support negative values for beta.");
  // beta == 0 is |x - t| (z < 0 never holds), still SmoothL1LossBackward0.
  return point_loss(autograd::PointLoss::SmoothL1, self, target, reduction, beta, "smooth_l1_cpu",
                    [beta](auto x, auto t) {
                      using T = decltype(x);
                      const T b = T(beta), half = T(0.5);
                      const T z = T(std::abs(x - t));
                      return z < b ? T(T(T(half * z) * z) / b) : T(z - T(half * b));
                    },
                    /*half=*/true, /*bf16=*/true);
}

Tensor huber_loss(const Tensor& self, const Tensor& target, int64_t reduction, double delta) {
  FT_OP_SCOPE("huber_loss");
  FT_CHECK(delta > 0, "huber_loss does not support non-positive values for delta.");
  return point_loss(
      autograd::PointLoss::Huber, self, target, reduction, delta, "huber_cpu",
      [delta](auto x, auto t) {
        using T = decltype(x);
        const T d = T(delta), half = T(0.5);
        const T z = T(std::abs(x - t));
        return z < d ? T(T(half * z) * z) : T(d * T(z - T(half * d)));
      },
      /*half=*/true, /*bf16=*/true);
}

}  // namespace ft
