// torch.nn.functional: the functional forms of the modules and losses.
// Losses take PyTorch's reduction strings ("none", "mean", "sum").
#pragma once

#include <optional>
#include <string>

#include "ft/ops.h"

namespace ft::nn::functional {

// y = x W^T + b; x (*, in), weight (out, in), bias (out) or undefined.
Tensor linear(const Tensor& x, const Tensor& weight, const Tensor& bias = Tensor());

// Convolution and pooling: the op family's functions themselves (ft/ops/nn.h),
// with torch.nn.functional's argument orders and defaults.
using ::ft::adaptive_avg_pool2d;
using ::ft::avg_pool2d;
using ::ft::conv1d;
using ::ft::conv2d;
using ::ft::max_pool2d;
using ::ft::max_pool2d_with_indices;

// ---- losses (src/nn/functional_loss.cpp): the ft:: loss ops (ft/ops/loss.h)
// with torch.nn.functional's reduction strings ("none", "mean", "sum"; kl_div
// also "batchmean"); any other string raises ValueError. As in PyTorch, the
// elementwise losses broadcast input and target against each other first.

// "none" | "mean" | "sum" -> ft::Reduction.
int64_t reduction_enum(const std::string& reduction);

// input (N, C, d1, ...), (N, C) or (C) log-probabilities, target (N, d1, ...),
// (N) or () int64 class indices. weight (C) or undefined; targets equal to
// ignore_index contribute nothing.
Tensor nll_loss(const Tensor& input, const Tensor& target, const Tensor& weight = Tensor(),
                const std::string& reduction = "mean", int64_t ignore_index = -100);
// Class indices (int64 target) or class probabilities (floating target of
// input's shape), with label smoothing as torch.nn.functional.cross_entropy;
// the same input ranks as nll_loss.
Tensor cross_entropy(const Tensor& input, const Tensor& target, const Tensor& weight = Tensor(),
                     const std::string& reduction = "mean", int64_t ignore_index = -100,
                     double label_smoothing = 0.0);
Tensor mse_loss(const Tensor& input, const Tensor& target, const std::string& reduction = "mean");
Tensor l1_loss(const Tensor& input, const Tensor& target, const std::string& reduction = "mean");
Tensor smooth_l1_loss(const Tensor& input, const Tensor& target, const std::string& reduction = "mean",
                      double beta = 1.0);
Tensor huber_loss(const Tensor& input, const Tensor& target, const std::string& reduction = "mean",
                  double delta = 1.0);
// Target of input's size (ValueError otherwise); weight broadcasts to it.
Tensor binary_cross_entropy(const Tensor& input, const Tensor& target, const Tensor& weight = Tensor(),
                            const std::string& reduction = "mean");
Tensor binary_cross_entropy_with_logits(const Tensor& input, const Tensor& target, const Tensor& weight = Tensor(),
                                        const std::string& reduction = "mean", const Tensor& pos_weight = Tensor());
// "batchmean": the sum divided by input.size(0).
Tensor kl_div(const Tensor& input, const Tensor& target, const std::string& reduction = "mean",
              bool log_target = false);
Tensor cosine_embedding_loss(const Tensor& input1, const Tensor& input2, const Tensor& target, double margin = 0.0,
                             const std::string& reduction = "mean");
Tensor margin_ranking_loss(const Tensor& input1, const Tensor& input2, const Tensor& target, double margin = 0.0,
                           const std::string& reduction = "mean");

}  // namespace ft::nn::functional
