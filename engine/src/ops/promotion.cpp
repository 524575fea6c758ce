// PyTorch type promotion (result_type) and broadcasting.
//
// NOTE [ Type promotion ]
// Operands fall in three priority classes: tensors with dim > 0, 0-dim
// tensors, and wrapped numbers (Python scalars). Each class is promoted on
// its own; a lower class only changes the result when it is of a higher
// category (bool < integral < floating), e.g. int32 tensor + 2.5 -> float32
// (a wrapped float counts as the default float32), but float32 tensor +
// float64 0-dim tensor -> float32.
#include "ft/ops.h"

namespace ft {
namespace {

struct PromoState {
  std::optional<DType> dim_result, zero_result, wrapped_result;
};

void update(PromoState& st, const Tensor& t) {
  DType dt = t.dtype();
  std::optional<DType>* slot;
  if (t.impl()->is_wrapped_number()) {
    slot = &st.wrapped_result;
    if (is_floating(dt)) dt = DType::Float32;  // the default dtype
  } else if (t.dim() == 0) {
    slot = &st.zero_result;
  } else {
    slot = &st.dim_result;
  }
  *slot = *slot ? promote_types(**slot, dt) : dt;
}

std::optional<DType> combine(std::optional<DType> higher, std::optional<DType> lower) {
  if (!higher) return lower;
  if (!lower) return higher;
  if (is_floating(*higher)) return higher;
  if (*higher == DType::Bool || is_floating(*lower)) return promote_types(*higher, *lower);
  return higher;
}

DType finish(const PromoState& st) {
  auto r = combine(st.dim_result, combine(st.zero_result, st.wrapped_result));
  FT_INTERNAL_ASSERT(r.has_value());
  return *r;
}

}  // namespace

DType result_type(const Tensor& a, const Tensor& b) {
  PromoState st;
  update(st, a);
  update(st, b);
  return finish(st);
}

DType result_type(const Tensor& a, const Scalar& b) {
  return result_type(a, scalar_tensor(b, std::nullopt, true));
}

DimVector broadcast_shapes(IntArrayRef a, IntArrayRef b) {
  size_t n = std::max(a.size(), b.size());
  DimVector out(n);
  // Last dim first, as PyTorch's infer_size: the reported mismatch is the innermost one.
  for (size_t i = n; i-- > 0;) {
    int64_t da = i < n - a.size() ? 1 : a[i - (n - a.size())];
    int64_t db = i < n - b.size() ? 1 : b[i - (n - b.size())];
    FT_CHECK(da == db || da == 1 || db == 1, "The size of tensor a (", da, ") must match the size of tensor b (",
             db, ") at non-singleton dimension ", i);
    out[i] = da == 1 ? db : da;
  }
  return out;
}

Tensor sum_to(const Tensor& t, IntArrayRef shape) {
  if (t.sizes().equals(shape)) return t;
  int64_t lead = t.dim() - int64_t(shape.size());
  FT_INTERNAL_ASSERT(lead >= 0, "sum_to: cannot reduce ", shape_str(t.sizes()), " to ", shape_str(shape));
  DimVector dims;  // inline: no allocation on the backward path
  for (int64_t d = 0; d < lead; ++d) dims.push_back(d);
  for (size_t i = 0; i < shape.size(); ++i)
    if (shape[i] == 1 && t.sizes()[size_t(lead) + i] != 1) dims.push_back(lead + int64_t(i));
  Tensor r = dims.empty() ? t : sum(t, dims, /*keepdim=*/true);
  if (lead > 0 || !r.sizes().equals(shape)) r = r.reshape(shape);
  return r;
}

}  // namespace ft
