// torch.nn.utils: gradient clipping and the flat parameter vector, with
// PyTorch 1.13's order of operations (so results carry the same bits).
#pragma once

#include <vector>

#include "ft/ops.h"

namespace ft::nn::utils {

// Scales the gradients of `parameters` (those that have one) in place so
// that their joint norm is at most max_norm, and returns that joint norm
// before clipping: the norm_type-norm of the per-parameter norms (inf: the
// largest absolute entry). The scale is max_norm / (total + 1e-6), clamped
// to 1, and multiplies every gradient (even when it is 1). With no gradient
// at all: 0. error_if_nonfinite raises when the norm is NaN or inf.
Tensor clip_grad_norm_(const std::vector<Tensor>& parameters, double max_norm, double norm_type = 2.0,
                       bool error_if_nonfinite = false);
// Clamps every gradient into [-clip_value, clip_value] in place.
void clip_grad_value_(const std::vector<Tensor>& parameters, double clip_value);

// The parameters flattened and concatenated (1-D).
Tensor parameters_to_vector(const std::vector<Tensor>& parameters);
// Copies consecutive slices of vec into the parameters (in place, under
// no_grad; PyTorch instead rebinds each param's .data to a view of vec).
// vec must be 1-D with exactly as many elements as the parameters.
void vector_to_parameters(const Tensor& vec, const std::vector<Tensor>& parameters);

}  // namespace ft::nn::utils
