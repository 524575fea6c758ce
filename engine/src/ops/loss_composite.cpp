// Composite losses, written with engine ops in libtorch 1.13's order (so
// the graph holds the same primitive nodes and results round the same):
// kl_div, margin_ranking_loss, cosine_embedding_loss.
#include "loss_internal.h"

namespace ft {

Tensor kl_div(const Tensor& self, const Tensor& target, int64_t reduction, bool log_target) {
  FT_OP_SCOPE("kl_div");
  FT_CHECK(!is_integral(self.dtype(), true) && !is_integral(target.dtype(), true),
           "kl_div: Integral inputs not supported.");
  Tensor out = log_target ? target.exp() * (target - self) : target.xlogy(target) - target * self;
  return detail::apply_loss_reduction(out, reduction);
}

Tensor margin_ranking_loss(const Tensor& input1, const Tensor& input2, const Tensor& target, double margin,
                           int64_t reduction) {
  FT_OP_SCOPE("margin_ranking_loss");
  Tensor out = (target.neg() * (input1 - input2) + Scalar(margin)).clamp(Scalar(0));
  return detail::apply_loss_reduction(out, reduction);
}

Tensor cosine_embedding_loss(const Tensor& input1, const Tensor& input2, const Tensor& target, double margin,
                             int64_t reduction) {
  FT_OP_SCOPE("cosine_embedding_loss");
  const int64_t tdim = target.dim();
  FT_CHECK(tdim == 1 || tdim == 0, "0D or 1D target tensor expected, multi-target not supported");
  if (tdim == 1) {
    FT_CHECK(input1.dim() == 2 && input2.dim() == 2, "1D target tensor expects 2D input tensors, but found inputs with sizes ",
             shape_str(input1.sizes()), " and ", shape_str(input2.sizes()), ".");
  } else {
    FT_CHECK(input1.dim() == 1 && input2.dim() == 1, "0D target tensor expects 1D input tensors, but found inputs with sizes ",
             shape_str(input1.sizes()), " and ", shape_str(input2.sizes()), ".");
  }
  constexpr double kEps = 1e-12;  // keeps the magnitudes of zero vectors positive
  Tensor prod_sum = (input1 * input2).sum({tdim});
  Tensor mag_square1 = (input1 * input1).sum({tdim}) + Scalar(kEps);
  Tensor mag_square2 = (input2 * input2).sum({tdim}) + Scalar(kEps);
  Tensor denom = (mag_square1 * mag_square2).sqrt();
  Tensor cos = prod_sum / denom;
  Tensor zeros = zeros_like(cos);
  Tensor pos = cos.neg() + Scalar(1);
  Tensor neg = (cos + Scalar(-margin)).clamp(Scalar(0));
  Tensor output_pos = where(target.eq(Scalar(1)), pos, zeros);
  Tensor output_neg = where(target.eq(Scalar(-1)), neg, zeros);
  return detail::apply_loss_reduction(output_pos + output_neg, reduction);
}

}  // namespace ft
