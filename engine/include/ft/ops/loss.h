// Functional API of the loss op family (included by ft/ops.h): the ATen
// 1.13 loss functions with their names, argument orders and defaults, the
// reduction passed as an int (ft::Reduction, numbered as at::Reduction) so
// one op-table call expression compiles against both sides. The reduction
// strings of torch.nn.functional live in ft/nn/functional.h and call these.
//
// Primitive losses (their own autograd node, named as libtorch's):
// mse_loss, smooth_l1_loss, huber_loss, binary_cross_entropy,
// binary_cross_entropy_with_logits, nll_loss, nll_loss2d. Composite losses (a graph of
// the primitive ops' nodes, as in libtorch): l1_loss, kl_div,
// cross_entropy_loss, cosine_embedding_loss, margin_ranking_loss.
#pragma once

#include <cstdint>
#include <optional>

namespace ft {

// Numbered as at::Reduction (ATen/core/Reduction.h).
namespace Reduction {
enum Reduction : int64_t { None = 0, Mean = 1, Sum = 2, END };
}

// Elementwise losses over broadcast (input, target); floating dtypes only.
Tensor mse_loss(const Tensor& self, const Tensor& target, int64_t reduction = Reduction::Mean);
Tensor l1_loss(const Tensor& self, const Tensor& target, int64_t reduction = Reduction::Mean);
// 0.5 z^2 / beta where z = |x - t| < beta, else z - 0.5 beta.
Tensor smooth_l1_loss(const Tensor& self, const Tensor& target, int64_t reduction = Reduction::Mean,
                      double beta = 1.0);
// 0.5 z^2 where z < delta, else delta (z - 0.5 delta); delta > 0.
Tensor huber_loss(const Tensor& self, const Tensor& target, int64_t reduction = Reduction::Mean, double delta = 1.0);

// -w (t log x + (1 - t) log(1 - x)), each log clamped at -100; input in [0, 1].
Tensor binary_cross_entropy(const Tensor& self, const Tensor& target,
                            const std::optional<Tensor>& weight = std::nullopt,
                            int64_t reduction = Reduction::Mean);
// The same on logits, computed stably; pos_weight scales the positive term.
Tensor binary_cross_entropy_with_logits(const Tensor& self, const Tensor& target,
                                        const std::optional<Tensor>& weight = std::nullopt,
                                        const std::optional<Tensor>& pos_weight = std::nullopt,
                                        int64_t reduction = Reduction::Mean);
// target * (log target - input), or exp(target) * (target - input) when
// target holds log-probabilities.
Tensor kl_div(const Tensor& self, const Tensor& target, int64_t reduction = Reduction::Mean, bool log_target = false);

// input (N, C) or (C) log-probabilities, target (N) or () int64 classes.
// NOTE [ nll_loss semantics ] in src/ops/loss_nll.cpp.
Tensor nll_loss(const Tensor& self, const Tensor& target, const std::optional<Tensor>& weight = std::nullopt,
                int64_t reduction = Reduction::Mean, int64_t ignore_index = -100);
// nll_loss over (N, C, H, W) inputs and (N, H, W) targets.
Tensor nll_loss2d(const Tensor& self, const Tensor& target, const std::optional<Tensor>& weight = std::nullopt,
                  int64_t reduction = Reduction::Mean, int64_t ignore_index = -100);
// torch.nn.functional.nll_loss's op: any input rank >= 1, (N, C, d1, ...)
// inputs with (N, d1, ...) targets (nll_loss, nll_loss2d or nll_loss2d on a view).
Tensor nll_loss_nd(const Tensor& self, const Tensor& target, const std::optional<Tensor>& weight = std::nullopt,
                   int64_t reduction = Reduction::Mean, int64_t ignore_index = -100);
// log_softmax + nll_loss_nd for int64 class indices; for a floating target of
// the input's shape, class probabilities. label_smoothing in [0, 1]. Inputs
// (C), (N, C) or (N, C, d1, ...), the class dim being dim 1.
Tensor cross_entropy_loss(const Tensor& self, const Tensor& target, const std::optional<Tensor>& weight = std::nullopt,
                          int64_t reduction = Reduction::Mean, int64_t ignore_index = -100,
                          double label_smoothing = 0.0);

// 1 - cos(x1, x2) where target == 1, max(0, cos - margin) where target == -1.
Tensor cosine_embedding_loss(const Tensor& input1, const Tensor& input2, const Tensor& target, double margin = 0.0,
                             int64_t reduction = Reduction::Mean);
// max(0, -target * (x1 - x2) + margin).
Tensor margin_ranking_loss(const Tensor& input1, const Tensor& input2, const Tensor& target, double margin = 0.0,
                           int64_t reduction = Reduction::Mean);

namespace detail {
// ATen's apply_loss_reduction: mean, sum or the unreduced tensor.
Tensor apply_loss_reduction(const Tensor& unreduced, int64_t reduction);
}  // namespace detail

}  // namespace ft
