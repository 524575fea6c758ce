// GEMM/dot entry points: OpenBLAS for float/double, plain loops for integers.
#pragma once

#include <cstdint>

#include "ft/tensor.h"

namespace ft::kernels {

// out(M,N) = a(M,K) @ b(K,N); all three 2-D with any strides, same dtype.
// `out` must not overlap a or b.
void gemm(const Tensor& out, const Tensor& a, const Tensor& b);

}  // namespace ft::kernels
