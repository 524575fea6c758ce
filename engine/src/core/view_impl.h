// The one constructor of view TensorImpls: shares the base's storage and
// version counter; a view made under no_grad of a tensor that requires grad
// is marked as such (see views.cpp). Used by core views and the shape family.
#pragma once

#include "ft/tensor.h"

namespace ft::detail {
Tensor make_view(const Tensor& base, IntArrayRef sizes, IntArrayRef strides, int64_t offset);
}  // namespace ft::detail
