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

// input (N, C) or (C) log-probabilities, target (N) or () int64 class indices.
// weight (C) or undefined; targets equal to ignore_index contribute nothing.
Tensor nll_loss(const Tensor& input, const Tensor& target, const Tensor& weight = Tensor(),
                const std::string& reduction = "mean", int64_t ignore_index = -100);
// Class indices (int64 target) or class probabilities (floating target of
// input's shape), with label smoothing as torch.nn.functional.cross_entropy.
Tensor cross_entropy(const Tensor& input, const Tensor& target, const Tensor& weight = Tensor(),
                     const std::string& reduction = "mean", int64_t ignore_index = -100,
                     double label_smoothing = 0.0);
Tensor mse_loss(const Tensor& input, const Tensor& target, const std::string& reduction = "mean");
Tensor l1_loss(const Tensor& input, const Tensor& target, const std::string& reduction = "mean");

}  // namespace ft::nn::functional
