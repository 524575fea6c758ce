// torch.nn.functional's losses: reduction strings mapped to ft::Reduction
// and the Python-level steps of torch/nn/functional.py 1.13 (broadcasting
// input and target, BCE's size check, kl_div's "batchmean"), then the ft::
// loss ops (ft/ops/loss.h), which hold the one implementation.
#include "ft/nn/functional.h"

namespace ft::nn::functional {
namespace {

// torch.broadcast_tensors(input, target), as F.mse_loss & co. do before the op.
std::pair<Tensor, Tensor> broadcast_pair(const Tensor& a, const Tensor& b) {
  if (a.sizes().equals(b.sizes())) return {a, b};
  DimVector shape = broadcast_shapes(a.sizes(), b.sizes());
  return {a.expand(shape), b.expand(shape)};
}

}  // namespace

int64_t reduction_enum(const std::string& reduction) {
  if (reduction == "none") return Reduction::None;
  if (reduction == "mean") return Reduction::Mean;
  if (reduction == "sum") return Reduction::Sum;
  FT_CHECK_VALUE(false, reduction, " is not a valid value for reduction");
  return Reduction::Mean;
}

Tensor nll_loss(const Tensor& input, const Tensor& target, const Tensor& weight, const std::string& reduction,
                int64_t ignore_index) {
  return ::ft::nll_loss_nd(input, target, weight, reduction_enum(reduction), ignore_index);
}

Tensor cross_entropy(const Tensor& input, const Tensor& target, const Tensor& weight, const std::string& reduction,
                     int64_t ignore_index, double label_smoothing) {
  return ::ft::cross_entropy_loss(input, target, weight, reduction_enum(reduction), ignore_index, label_smoothing);
}

Tensor mse_loss(const Tensor& input, const Tensor& target, const std::string& reduction) {
  auto [x, t] = broadcast_pair(input, target);
  return ::ft::mse_loss(x, t, reduction_enum(reduction));
}

Tensor l1_loss(const Tensor& input, const Tensor& target, const std::string& reduction) {
  auto [x, t] = broadcast_pair(input, target);
  return ::ft::l1_loss(x, t, reduction_enum(reduction));
}

Tensor smooth_l1_loss(const Tensor& input, const Tensor& target, const std::string& reduction, double beta) {
  auto [x, t] = broadcast_pair(input, target);
  return ::ft::smooth_l1_loss(x, t, reduction_enum(reduction), beta);
}

Tensor huber_loss(const Tensor& input, const Tensor& target, const std::string& reduction, double delta) {
  auto [x, t] = broadcast_pair(input, target);
  return ::ft::huber_loss(x, t, reduction_enum(reduction), delta);
}

Tensor binary_cross_entropy(const Tensor& input, const Tensor& target, const Tensor& weight,
                            const std::string& reduction) {
  const int64_t red = reduction_enum(reduction);
  FT_CHECK_VALUE(target.sizes().equals(input.sizes()), "Using a target size (", shape_str(target.sizes()),
                 ") that is different to the input size (", shape_str(input.sizes()), ") is deprecated. ",
                 "Please ensure they have the same size.");
  Tensor w = weight.defined() ? weight.expand(broadcast_shapes(target.sizes(), weight.sizes())) : weight;
  return ::ft::binary_cross_entropy(input, target, w, red);
}

Tensor binary_cross_entropy_with_logits(const Tensor& input, const Tensor& target, const Tensor& weight,
                                        const std::string& reduction, const Tensor& pos_weight) {
  const int64_t red = reduction_enum(reduction);
  FT_CHECK_VALUE(target.sizes().equals(input.sizes()), "Target size (", shape_str(target.sizes()),
                 ") must be the same as input size (", shape_str(input.sizes()), ")");
  return ::ft::binary_cross_entropy_with_logits(input, target, weight, pos_weight, red);
}

Tensor kl_div(const Tensor& input, const Tensor& target, const std::string& reduction, bool log_target) {
  // "mean" averages over every element (PyTorch warns that "batchmean" is
  // the mathematically correct KL divergence); "batchmean" divides the sum
  // by the batch size.
  if (reduction == "batchmean") {
    Tensor s = ::ft::kl_div(input, target, Reduction::Sum, log_target);
    return input.dim() != 0 ? div(s, Scalar(double(input.size(0)))) : s;
  }
  return ::ft::kl_div(input, target, reduction_enum(reduction), log_target);
}

Tensor cosine_embedding_loss(const Tensor& input1, const Tensor& input2, const Tensor& target, double margin,
                             const std::string& reduction) {
  return ::ft::cosine_embedding_loss(input1, input2, target, margin, reduction_enum(reduction));
}

Tensor margin_ranking_loss(const Tensor& input1, const Tensor& input2, const Tensor& target, double margin,
                           const std::string& reduction) {
  FT_CHECK(input1.dim() == input2.dim() && input1.dim() == target.dim(),
           "margin_ranking_loss : All input tensors should have same dimension but got sizes: input1: ",
           shape_str(input1.sizes()), ", input2: ", shape_str(input2.sizes()), ", target: ", shape_str(target.sizes()), " ");
  return ::ft::margin_ranking_loss(input1, input2, target, margin, reduction_enum(reduction));
}

}  // namespace ft::nn::functional
