// Loss modules (ft/nn/loss.h): constructor options stored as PyTorch's
// modules store them, forward through the functional forms.
#include "ft/nn/functional.h"
#include "ft/nn/loss.h"

namespace ft::nn {

namespace F = functional;

Loss::Loss(const char* type_name, std::string reduction_) : Module(type_name), reduction(std::move(reduction_)) {
  F::reduction_enum(reduction == "batchmean" ? "mean" : reduction);  // PyTorch checks the string on first use; fail early
}

Tensor PairLoss::buffer_or_none(const char* name) const {
  for (const auto& [n, t] : named_buffers(false))
    if (n == name) return t;
  return Tensor();
}

Tensor MSELoss::forward(const Tensor& input, const Tensor& target) { return F::mse_loss(input, target, reduction); }
Tensor L1Loss::forward(const Tensor& input, const Tensor& target) { return F::l1_loss(input, target, reduction); }
Tensor SmoothL1Loss::forward(const Tensor& input, const Tensor& target) {
  return F::smooth_l1_loss(input, target, reduction, beta);
}
Tensor HuberLoss::forward(const Tensor& input, const Tensor& target) {
  return F::huber_loss(input, target, reduction, delta);
}

NLLLoss::NLLLoss(const Tensor& weight, int64_t ignore_index, std::string reduction)
    : PairLoss("NLLLoss", std::move(reduction)), ignore_index(ignore_index) {
  if (weight.defined()) register_buffer("weight", weight);
}
Tensor NLLLoss::forward(const Tensor& input, const Tensor& target) {
  return F::nll_loss(input, target, buffer_or_none("weight"), reduction, ignore_index);
}

CrossEntropyLoss::CrossEntropyLoss(const Tensor& weight, int64_t ignore_index, std::string reduction,
                                   double label_smoothing)
    : PairLoss("CrossEntropyLoss", std::move(reduction)), ignore_index(ignore_index), label_smoothing(label_smoothing) {
  if (weight.defined()) register_buffer("weight", weight);
}
Tensor CrossEntropyLoss::forward(const Tensor& input, const Tensor& target) {
  return F::cross_entropy(input, target, buffer_or_none("weight"), reduction, ignore_index, label_smoothing);
}

BCELoss::BCELoss(const Tensor& weight, std::string reduction) : PairLoss("BCELoss", std::move(reduction)) {
  if (weight.defined()) register_buffer("weight", weight);
}
Tensor BCELoss::forward(const Tensor& input, const Tensor& target) {
  return F::binary_cross_entropy(input, target, buffer_or_none("weight"), reduction);
}

BCEWithLogitsLoss::BCEWithLogitsLoss(const Tensor& weight, std::string reduction, const Tensor& pos_weight)
    : PairLoss("BCEWithLogitsLoss", std::move(reduction)) {
  if (weight.defined()) register_buffer("weight", weight);
  if (pos_weight.defined()) register_buffer("pos_weight", pos_weight);
}
Tensor BCEWithLogitsLoss::forward(const Tensor& input, const Tensor& target) {
  return F::binary_cross_entropy_with_logits(input, target, buffer_or_none("weight"), reduction,
                                             buffer_or_none("pos_weight"));
}

Tensor KLDivLoss::forward(const Tensor& input, const Tensor& target) {
  return F::kl_div(input, target, reduction, log_target);
}

Tensor CosineEmbeddingLoss::forward(const Tensor& input1, const Tensor& input2, const Tensor& target) {
  return F::cosine_embedding_loss(input1, input2, target, margin, reduction);
}
Tensor MarginRankingLoss::forward(const Tensor& input1, const Tensor& input2, const Tensor& target) {
  return F::margin_ranking_loss(input1, input2, target, margin, reduction);
}

}  // namespace ft::nn
