// Autograd recording hooks of the nn op family (implemented with their
// backward formulas in derivatives_nn.cpp). Same contract as record.h: each
// attaches a grad_fn to `out` when grad mode is on and an input requires
// grad, and costs one check otherwise. `params` is the packed geometry
// (ConvParams2d::pack / PoolParams2d::pack in ops/nn_internal.h).
#pragma once

#include <vector>

#include "ft/autograd.h"

namespace ft::autograd {

// bias may be undefined (no bias edge then). transposed: out is the
// transposed convolution conv2d_backward_input(input, weight) + bias.
void record_conv2d(const Tensor& input, const Tensor& weight, const Tensor& bias, std::vector<int64_t> params,
                   Tensor& out, bool transposed = false);
void record_conv2d_backward_input(const Tensor& grad_out, const Tensor& weight, std::vector<int64_t> params,
                                  Tensor& out);
void record_conv2d_backward_weight(const Tensor& grad_out, const Tensor& input, std::vector<int64_t> params,
                                   Tensor& out);

// max pooling: the values output, and the scatter/gather pair (indices saved).
void record_max_pool2d(const Tensor& input, const Tensor& indices, Tensor& out);
void record_max_pool2d_scatter(const Tensor& grad, const Tensor& indices, Tensor& out,
                               const char* name = "MaxPool2DWithIndicesBackwardBackward0");
void record_max_pool2d_gather(const Tensor& grad_input_like, const Tensor& indices, Tensor& out);

void record_avg_pool2d(const Tensor& input, std::vector<int64_t> params, Tensor& out);
void record_avg_pool2d_backward(const Tensor& grad, std::vector<int64_t> params, Tensor& out);
void record_adaptive_avg_pool2d(const Tensor& input, Tensor& out);
void record_adaptive_avg_pool2d_backward(const Tensor& grad, Tensor& out);

}  // namespace ft::autograd
