// The C++ indexing API (ft/indexing.h): get_item / set_item as ATen 1.13's
// TensorIndexing.h does them. Integers, slices, None, Ellipsis and bool
// literals are applied first as views; the tensor indices collected on the
// way (one slot per result dim, undefined for the others) then go through
// ft::index / ft::index_put_.
#include <cstring>

#include "ft/indexing.h"
#include "index_internal.h"

namespace ft::indexing {

const EllipsisIndexType Ellipsis;

Slice::Slice(std::optional<int64_t> start, std::optional<int64_t> stop, std::optional<int64_t> step) {
  step_ = step.value_or(1);
  FT_CHECK_VALUE(step_ != 0, "slice step cannot be zero");
  if (step_ < -INDEX_MAX) step_ = -INDEX_MAX;  // so that -step never overflows
  start_ = start ? *start : (step_ < 0 ? INDEX_MAX : 0);
  stop_ = stop ? *stop : (step_ < 0 ? INDEX_MIN : INDEX_MAX);
}

TensorIndex::TensorIndex(const char* str) : TensorIndex(Ellipsis) {
  FT_CHECK_VALUE(std::strcmp(str, "...") == 0, "Expected \"...\" to represent an ellipsis index, but got \"", str,
                 "\"");
}

namespace {

Tensor apply_slice(const Tensor& self, int64_t dim, const Slice& s, bool disable_optimization) {
  FT_CHECK_VALUE(s.step() > 0, "step must be greater than zero");
  // libtorch 1.13 reads sizes()[dim] of a 0-dim tensor here (past its sizes
  // array), so its x[:0] = v writes or raises by chance; the engine raises
  // slice()'s error, as its x[:0] does.
  FT_CHECK(self.dim() > 0, "slice() cannot be applied to a 0-dim tensor.");
  if (!disable_optimization && s.start() == 0 && s.stop() == self.size(dim) && s.step() == 1) return self;
  return self.slice(dim, s.start(), s.stop(), s.step());
}

Tensor apply_select(const Tensor& self, int64_t dim, int64_t index, int64_t real_dim) {
  FT_CHECK_INDEX(!(index == 0 && dim == 0 && self.dim() == 0), "invalid index of a 0-dim tensor. Use `tensor.item()` ",
                 "in Python or `tensor.item<T>()` in C++ to convert a 0-dim tensor to a number");
  const int64_t size = self.size(dim);
  FT_CHECK_INDEX(index >= -size && index < size, "index ", index, " is out of bounds for dimension ", real_dim,
                 " with size ", size);
  return self.select(dim, index);
}

// true indexes the inserted dim as [0], false as [] (an empty result).
Tensor bool_to_index(bool value) { return value ? zeros({1}, DType::Int64) : empty({0}, DType::Int64); }

void record_tensor_index(const Tensor& t, std::vector<Tensor>& out, int64_t& dim) {
  out.resize(size_t(dim + 1));
  out[size_t(dim)] = t;
  ++dim;
}

// Indexed dims: everything but None, Ellipsis and bool literals; a mask counts its dims.
int64_t count_specified_dims(ArrayRef<TensorIndex> indices) {
  int64_t n = 0;
  for (const auto& i : indices) {
    if (i.is_tensor()) n += (i.tensor().dtype() == DType::Bool || i.tensor().dtype() == DType::UInt8) ? i.tensor().dim() : 1;
    else if (!i.is_none() && !i.is_ellipsis() && !i.is_boolean()) ++n;
  }
  return n;
}

Tensor apply_slicing(const Tensor& self, ArrayRef<TensorIndex> indices, std::vector<Tensor>& out_indices) {
  int64_t dim = 0;
  const int64_t specified = count_specified_dims(indices);
  FT_CHECK_INDEX(specified <= self.dim(), "too many indices for tensor of dimension ", self.dim());
  Tensor result = self;
  for (size_t i = 0; i < indices.size(); ++i) {
    const TensorIndex& obj = indices[i];
    const int64_t real_dim = int64_t(i);
    if (obj.is_integer()) {
      result = apply_select(result, dim, obj.integer(), real_dim);
    } else if (obj.is_slice()) {
      result = apply_slice(result, dim, obj.slice(), false);
      ++dim;
    } else if (obj.is_ellipsis()) {
      dim += self.dim() - specified;
    } else if (obj.is_none()) {
      result = result.unsqueeze(dim);
      ++dim;
    } else if (obj.is_boolean()) {
      result = result.unsqueeze(dim);
      record_tensor_index(bool_to_index(obj.boolean()), out_indices, dim);
    } else {
      const Tensor& t = obj.tensor();
      if (t.dim() == 0 && is_integral(t.dtype(), /*include_bool=*/true)) {
        if (t.dtype() != DType::UInt8 && t.dtype() != DType::Bool) {
          result = apply_select(result, dim, t.item<int64_t>(), real_dim);
        } else {
          result = result.unsqueeze(dim);
          record_tensor_index(bool_to_index(t.to(DType::Bool).item<bool>()), out_indices, dim);
        }
      } else {
        record_tensor_index(t, out_indices, dim);
      }
    }
  }
  return result;
}

List<optional<Tensor>> to_optional_list(const std::vector<Tensor>& ts) {
  List<optional<Tensor>> l;
  for (const Tensor& t : ts) l.push_back(t.defined() ? optional<Tensor>(t) : std::nullopt);
  return l;
}

Tensor alias_of(const Tensor& t) { return t.view(t.sizes()); }

// src's sizes without leading 1s (numpy's rule for assigned values).
IntArrayRef strip_leading_ones(IntArrayRef s) {
  size_t k = 0;
  while (k < s.size() && s[k] == 1) ++k;
  return IntArrayRef(s.data() + k, s.size() - k);
}

void copy_to(const Tensor& dst_in, const Tensor& src) {
  Tensor dst = dst_in;
  if (dst.sizes().equals(src.sizes())) {
    dst.copy_(src);
    return;
  }
  if (src.dim() == 0) {  // ATen's dst.fill_(src): differentiable in src (its gradient sums)
    dst.copy_(src.expand(dst.sizes()));
    return;
  }
  Tensor v = src.view(strip_leading_ones(src.sizes()));
  DimVector bs = broadcast_shapes(dst.sizes(), v.sizes());
  FT_CHECK(IntArrayRef(bs).equals(dst.sizes()), "The expanded size of the tensor (", shape_str(dst.sizes()),
           ") must match the existing size (", shape_str(v.sizes()), ") of the value in setitem");
  dst.copy_(v.expand(dst.sizes()));
}

}  // namespace

Tensor get_item(const Tensor& self, ArrayRef<TensorIndex> indices) {
  if (indices.size() == 1) {
    const TensorIndex& i = indices[0];
    if (i.is_integer()) return apply_select(self, 0, i.integer(), 0);
    if (i.is_slice()) return apply_slice(self, 0, i.slice(), true);
    if (i.is_none()) return self.unsqueeze(0);
    if (i.is_ellipsis()) return alias_of(self);
    if (i.is_boolean()) {
      Tensor r = self.unsqueeze(0);
      return ft::index(r, to_optional_list({bool_to_index(i.boolean())}));
    }
  }
  std::vector<Tensor> tensor_indices;
  Tensor sliced = apply_slicing(self, indices, tensor_indices);
  if (tensor_indices.empty()) return sliced.is_same(self) ? alias_of(sliced) : sliced;
  return ft::index(sliced, to_optional_list(tensor_indices));
}

void set_item(const Tensor& self, ArrayRef<TensorIndex> indices, const Tensor& value) {
  if (indices.size() == 1) {
    const TensorIndex& i = indices[0];
    if (i.is_boolean() && !i.boolean()) return;
    if (i.is_ellipsis()) return copy_to(self, value);
    if (i.is_none() || (i.is_boolean() && i.boolean())) return copy_to(self.unsqueeze(0), value);
    if (i.is_integer()) return copy_to(apply_select(self, 0, i.integer(), 0), value);
    if (i.is_slice()) return copy_to(apply_slice(self, 0, i.slice(), false), value);
  }
  std::vector<Tensor> tensor_indices;
  Tensor sliced = apply_slicing(self, indices, tensor_indices);
  if (tensor_indices.empty()) return copy_to(sliced, value);
  IntArrayRef stripped = strip_leading_ones(value.sizes());
  Tensor v = stripped.size() == value.sizes().size() ? value : value.view(stripped);
  ft::index_put_(sliced, to_optional_list(tensor_indices), v);
}

}  // namespace ft::indexing

namespace ft {

Tensor Tensor::index(ArrayRef<indexing::TensorIndex> indices) const {
  FT_CHECK(!indices.empty(), "Passing an empty index list to Tensor::index() is not valid syntax");
  return indexing::get_item(*this, indices);
}
Tensor Tensor::index(std::initializer_list<indexing::TensorIndex> indices) const {
  return index(ArrayRef<indexing::TensorIndex>(indices));
}
Tensor& Tensor::index_put_(ArrayRef<indexing::TensorIndex> indices, const Tensor& value) {
  FT_CHECK(!indices.empty(), "Passing an empty index list to Tensor::index_put_() is not valid syntax");
  indexing::set_item(*this, indices, value);
  return *this;
}
Tensor& Tensor::index_put_(ArrayRef<indexing::TensorIndex> indices, const Scalar& value) {
  FT_CHECK(!indices.empty(), "Passing an empty index list to Tensor::index_put_() is not valid syntax");
  Tensor v;
  {
    autograd::NoGradGuard ng;
    v = scalar_tensor(value, dtype());
  }
  return index_put_(indices, v);
}
Tensor& Tensor::index_put_(std::initializer_list<indexing::TensorIndex> indices, const Tensor& value) {
  return index_put_(ArrayRef<indexing::TensorIndex>(indices), value);
}
Tensor& Tensor::index_put_(std::initializer_list<indexing::TensorIndex> indices, const Scalar& value) {
  return index_put_(ArrayRef<indexing::TensorIndex>(indices), value);
}

}  // namespace ft
