// Normalization, embedding and dropout modules, initialized as PyTorch 1.13's
// (weights 1, biases 0, running_mean 0, running_var 1, num_batches_tracked 0;
// Embedding's weight N(0, 1) with the padding row zeroed), with the same
// parameter and buffer names, so their state_dicts load from PyTorch files.
#pragma once

#include <optional>
#include <vector>

#include "ft/nn/module.h"

namespace ft::nn {

class LayerNorm : public Module {
 public:
  explicit LayerNorm(std::vector<int64_t> normalized_shape, double eps = 1e-5, bool elementwise_affine = true,
                     DType dtype = DType::Float32);
  Tensor forward(const Tensor& x) override;

 private:
  std::vector<int64_t> shape_;
  double eps_;
  bool affine_;
};

class GroupNorm : public Module {
 public:
  GroupNorm(int64_t num_groups, int64_t num_channels, double eps = 1e-5, bool affine = true,
            DType dtype = DType::Float32);
  Tensor forward(const Tensor& x) override;

 private:
  int64_t groups_;
  double eps_;
  bool affine_;
};

// BatchNorm1d (input (N, C) or (N, C, L)) and BatchNorm2d ((N, C, H, W)).
// momentum = nullopt: a cumulative moving average (1 / num_batches_tracked).
class BatchNorm : public Module {
 public:
  BatchNorm(const char* name, int64_t spatial_dims, int64_t num_features, double eps, std::optional<double> momentum,
            bool affine, bool track_running_stats, DType dtype);
  Tensor forward(const Tensor& x) override;

 private:
  int64_t spatial_;
  double eps_;
  std::optional<double> momentum_;
  bool affine_, track_;
};
class BatchNorm1d : public BatchNorm {
 public:
  explicit BatchNorm1d(int64_t num_features, double eps = 1e-5, std::optional<double> momentum = 0.1,
                       bool affine = true, bool track_running_stats = true, DType dtype = DType::Float32)
      : BatchNorm("BatchNorm1d", 1, num_features, eps, momentum, affine, track_running_stats, dtype) {}
};
class BatchNorm2d : public BatchNorm {
 public:
  explicit BatchNorm2d(int64_t num_features, double eps = 1e-5, std::optional<double> momentum = 0.1,
                       bool affine = true, bool track_running_stats = true, DType dtype = DType::Float32)
      : BatchNorm("BatchNorm2d", 2, num_features, eps, momentum, affine, track_running_stats, dtype) {}
};

class Embedding : public Module {
 public:
  Embedding(int64_t num_embeddings, int64_t embedding_dim, std::optional<int64_t> padding_idx = std::nullopt,
            bool scale_grad_by_freq = false, DType dtype = DType::Float32);
  Tensor forward(const Tensor& indices) override;

 private:
  int64_t padding_idx_ = -1;
  bool scale_;
};

// Zeroes elements with probability p in training (drawn from the default
// generator as at::dropout), scaling the rest by 1 / (1 - p); identity in eval.
// inplace=true: at::dropout_ on the input (same draws), which it returns.
class Dropout : public Module {
 public:
  explicit Dropout(double p = 0.5, bool inplace = false);
  Tensor forward(const Tensor& x) override;

 private:
  double p_;
  bool inplace_;
};

}  // namespace ft::nn
