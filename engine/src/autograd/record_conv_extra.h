// Autograd recording hooks of the conv_extra op family (implemented with
// their backward formulas in derivatives_conv_extra.cpp). Same contract as
// record.h. `params` is ConvParams2d::pack() of the conv2d whose input
// gradient the transposed convolution is (ops/nn_internal.h).
#pragma once

#include <vector>

#include "ft/autograd.h"

namespace ft::autograd {

// bias may be undefined (no bias edge then).
void record_conv_transpose2d(const Tensor& input, const Tensor& weight, const Tensor& bias,
                             std::vector<int64_t> params, Tensor& out);

}  // namespace ft::autograd
