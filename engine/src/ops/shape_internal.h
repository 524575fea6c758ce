// Helpers shared by the shape family's op files (shape_*.cpp); not public.
#pragma once

#include <functional>

#include "../autograd/record.h"
#include "../autograd/record_shape.h"
#include "ft/ops.h"

namespace ft::shape_detail {

// A view of `base` with the given geometry (same storage and version
// counter), recorded as a strided view whose backward scatters the gradient
// through `replay` (see record_view). Views made under no_grad of a tensor
// that requires grad behave as PyTorch's (see views.cpp make_view).
// `multi_output_nr` >= 0: output of a function returning several views.
Tensor strided_view(const Tensor& base, IntArrayRef sizes, IntArrayRef strides, int64_t offset,
                    std::function<Tensor(const Tensor&)> replay, const char* node_name,
                    int64_t multi_output_nr = -1);

// The same for a view whose gradient is just reshaped back (alias-like views).
Tensor reshape_view(const Tensor& base, IntArrayRef sizes, IntArrayRef strides, int64_t offset, const char* node_name);

// A fresh contiguous tensor of `out_sizes` whose element at (i_0, ...) is
// src at (maps[0][i_0], ...): NOTE [ Gather by per-dim maps ]. Not recorded.
Tensor gather_by_maps(const Tensor& src, IntArrayRef out_sizes, const std::vector<std::vector<int64_t>>& maps);

// The identity map of length n.
std::vector<int64_t> iota_map(int64_t n);

}  // namespace ft::shape_detail
