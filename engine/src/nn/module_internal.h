// Pieces shared by the nn module files (engine/src/nn/*.cpp); not public.
#pragma once

#include "ft/tensor.h"

namespace ft::nn {

// torch.nn's _ConvNd.reset_parameters for any convolution weight layout:
// kaiming_uniform_(weight, a = sqrt(5)), then (when bias is defined)
// U(-1/sqrt(fan_in), 1/sqrt(fan_in)) with fan_in from the weight's dims 1..
// (modules_conv.cpp).
void reset_conv_parameters(const Tensor& weight, const Tensor& bias);

}  // namespace ft::nn
