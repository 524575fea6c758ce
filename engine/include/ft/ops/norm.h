// Functional API of the normalization and embedding ops of the nn family
// (included by ft/ops.h): layer_norm, group_norm, batch_norm, embedding.
// Names, argument orders, defaults and checks mirror ATen 1.13 (NOTE [ One
// call for both sides ] in ft/ops.def). An optional weight/bias/running stat
// is absent when the optional is empty or holds an undefined tensor, as in
// ATen.
//
// Dtypes: float32/float64 (ATen's CPU kernels refuse integers with
// '"LayerNormKernelImpl" not implemented for 'Long''); embedding's weight
// may be any dtype, its indices int64 or int32.
#pragma once

#include <optional>
#include <tuple>

namespace ft {

// Normalizes over the trailing dims named by normalized_shape:
// (x - mean) / sqrt(var + eps) * weight + bias (biased variance).
Tensor layer_norm(const Tensor& input, IntArrayRef normalized_shape, const std::optional<Tensor>& weight = std::nullopt,
                  const std::optional<Tensor>& bias = std::nullopt, double eps = 1e-5, bool cudnn_enable = true);

// (N, C, *): statistics per sample over C / num_groups channels and every
// spatial position; weight/bias per channel.
Tensor group_norm(const Tensor& input, int64_t num_groups, const std::optional<Tensor>& weight = std::nullopt,
                  const std::optional<Tensor>& bias = std::nullopt, double eps = 1e-5, bool cudnn_enabled = true);

// (N, C, *): statistics per channel. training: the batch's (running stats,
// when given, move by `momentum` towards the batch mean and the unbiased
// batch variance, in place); else the running stats (required).
Tensor batch_norm(const Tensor& input, const std::optional<Tensor>& weight, const std::optional<Tensor>& bias,
                  const std::optional<Tensor>& running_mean, const std::optional<Tensor>& running_var, bool training,
                  double momentum, double eps, bool cudnn_enabled);

// Rows of weight (num_embeddings, dim) picked by indices: indices.shape + [dim].
// The row padding_idx (-1: none) gets no gradient; scale_grad_by_freq divides
// each row's gradient by how often its index occurs. sparse must be false.
Tensor embedding(const Tensor& weight, const Tensor& indices, int64_t padding_idx = -1, bool scale_grad_by_freq = false,
                 bool sparse = false);

// For op-table call expressions: the result of a call followed by tensors
// it updated in place (batch_norm's running stats), so that the harness
// compares those too. Works with ft:: and at:: tensors.
template <typename T>
std::tuple<T, T, T> with_updated(const T& result, const T& a, const T& b) {
  return {result, a, b};
}

}  // namespace ft
