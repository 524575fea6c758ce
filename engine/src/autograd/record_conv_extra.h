// Autograd recording hooks of the conv_extra op family (implemented with
// their backward formulas in derivatives_conv_extra.cpp). Same contract as
// record.h.
#pragma once

#include <vector>

#include "ft/autograd.h"

namespace ft::autograd {

// adaptive max pooling's values (indices saved, as max pooling).
void record_adaptive_max_pool2d(const Tensor& input, const Tensor& indices, Tensor& out);

}  // namespace ft::autograd
