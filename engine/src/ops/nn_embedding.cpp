// embedding: rows of a 2-D weight picked by int64/int32 indices (ATen 1.13's
// checks and messages); backward in autograd/derivatives_embedding.cpp.
#include <cstring>

#include "../autograd/record_norm.h"
#include "op_helpers.h"
#include "ft/ops.h"

namespace ft {
namespace detail {

// out[i, :] = weight[indices[i], :] (indices flattened; checked in range).
Tensor embedding_rows(const Tensor& weight, const Tensor& indices) {
  const int64_t V = weight.size(0), D = weight.size(1);
  Tensor idx = indices.contiguous().to(DType::Int64);
  const int64_t n = idx.numel();
  const int64_t* ip = idx.data_ptr<int64_t>();
  for (int64_t i = 0; i < n; ++i) FT_CHECK_INDEX(ip[i] >= 0 && ip[i] < V, "index out of range in self");
  std::vector<int64_t> shape(indices.sizes().begin(), indices.sizes().end());
  shape.push_back(D);
  Tensor w = weight.contiguous();
  Tensor out = empty(shape, weight.dtype());
  const size_t row = size_t(D) * itemsize(weight.dtype());
  const char* src = static_cast<const char*>(w.data_ptr());
  char* dst = static_cast<char*>(out.data_ptr());
  for (int64_t i = 0; i < n; ++i) std::memcpy(dst + size_t(i) * row, src + size_t(ip[i]) * row, row);
  return out;
}

}  // namespace detail

Tensor embedding(const Tensor& weight, const Tensor& indices, int64_t padding_idx, bool scale_grad_by_freq,
                 bool sparse) {
  FT_OP_SCOPE("embedding");
  FT_CHECK(weight.dim() == 2, "'weight' must be 2-D");
  FT_CHECK(indices.dtype() == DType::Int64 || indices.dtype() == DType::Int32,
           "Expected tensor for argument #1 'indices' to have one of the following scalar types: Long, Int; but got ",
           ops::legacy_type_name(indices.dtype()), " instead (while checking arguments for embedding)");
  FT_CHECK(!sparse, "embedding: sparse gradients are not supported by this engine (sparse=false)");
  Tensor out;
  {
    autograd::NoGradGuard ng;
    out = detail::embedding_rows(weight, indices);
  }
  autograd::record_embedding(weight, indices, padding_idx, scale_grad_by_freq, out);
  return out;
}

}  // namespace ft
