// The one constructor of view TensorImpls: shares the base's storage and
// version counter and records the root base and how the view was made (see
// NOTE [ Views and their base ]). Used by core views and the shape family.
#pragma once

#include "ft/tensor.h"

namespace ft::detail {
// `multi_output_nr` >= 0 marks one output of a function that returns several
// views (split, chunk, unbind): PyTorch forbids tracked in-place writes to those.
Tensor make_view(const Tensor& base, IntArrayRef sizes, IntArrayRef strides, int64_t offset,
                 int64_t multi_output_nr = -1);
// Shares base's storage and version counter but is not a view in the
// autograd sense (no _base): reshape's copy path (_unsafe_view).
Tensor make_alias(const Tensor& base, IntArrayRef sizes, IntArrayRef strides, int64_t offset);
}  // namespace ft::detail
