// Autograd recording of layer_norm, group_norm and batch_norm
// (derivatives_norm.cpp), and of embedding (derivatives_embedding.cpp).
#pragma once

#include <vector>

#include "ft/autograd.h"

namespace ft::autograd {

enum class NormKind : uint8_t { Layer, Group, Batch };

// What a norm's backward needs to know besides its tensors.
struct NormSpec {
  NormKind kind = NormKind::Layer;
  int64_t param = 0;      // layer: number of normalized dims; group: num_groups
  double eps = 1e-5;
  bool batch_stats = true;  // statistics from the input (false: batch_norm in eval mode)
};

// out = affine(normalize(input)); weight/bias may be undefined. mean/rstd
// are the statistics used, shaped to broadcast against the grouped input
// (layer: leading dims + 1s; group: (N, G, 1); batch: (1, C, 1...)).
void record_norm(const NormSpec& spec, const Tensor& input, const Tensor& weight, const Tensor& bias,
                 const Tensor& mean, const Tensor& rstd, Tensor& out);

// embedding: out = weight[indices]; its backward scatters rows into a
// zero gradient of weight's shape (embedding_dense_backward).
void record_embedding(const Tensor& weight, const Tensor& indices, int64_t padding_idx, bool scale_grad_by_freq,
                      Tensor& out);

}  // namespace ft::autograd
