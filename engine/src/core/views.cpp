// View ops: new TensorImpls over the same storage and version counter.
#include <algorithm>
#include <numeric>

#include "../autograd/record.h"
#include "view_impl.h"
#include "ft/ops.h"

namespace ft {

int64_t maybe_wrap_dim(int64_t d, int64_t ndim, bool wrap_scalar) {
  if (ndim <= 0) {
    FT_CHECK_INDEX(wrap_scalar, "dimension specified as ", d, " but tensor has no dimensions");
    ndim = 1;
  }
  int64_t lo = -ndim, hi = ndim - 1;
  FT_CHECK_INDEX(d >= lo && d <= hi, "Dimension out of range (expected to be in range of [", lo, ", ", hi,
                 "], but got ", d, ")");
  return d < 0 ? d + ndim : d;
}

namespace detail {

Tensor make_alias(const Tensor& base, IntArrayRef sizes, IntArrayRef strides, int64_t offset) {
  auto impl = make_intrusive<TensorImpl>(base.impl()->storage(), base.dtype(), sizes, strides, offset);
  impl->set_version_counter(base.impl()->shared_version());
  impl->set_inference(base.impl()->is_inference());  // an alias of a normal tensor stays normal
  return Tensor(std::move(impl));
}

Tensor make_view(const Tensor& base, IntArrayRef sizes, IntArrayRef strides, int64_t offset, int64_t multi_output_nr) {
  Tensor out = make_alias(base, sizes, strides, offset);
  TensorImpl* b = base.impl();
  // A view made in no_grad mode is marked as such whatever made it; otherwise
  // it inherits a restrictive mark from the view it was taken of (PyTorch's
  // propagate_creation_meta).
  ViewCreation c = autograd::is_inference_mode_enabled() ? ViewCreation::InferenceMode
                   : !autograd::is_grad_enabled()          ? ViewCreation::NoGradMode
                   : multi_output_nr >= 0      ? ViewCreation::MultiOutput
                   : b->is_view()              ? b->view_creation()
                                               : ViewCreation::Default;
  out.impl()->set_view(b->is_view() ? b->view_base_ptr() : base.impl_ptr(), c,
                       uint32_t(std::max<int64_t>(multi_output_nr, 0)));
  return out;
}

}  // namespace detail

namespace {

using detail::make_view;

// Resolves a single -1 in `shape` for `numel` elements.
DimVector infer_size(IntArrayRef shape, int64_t numel) {
  DimVector res(shape);
  int64_t known = 1;
  int64_t infer = -1;
  for (size_t i = 0; i < shape.size(); ++i) {
    if (shape[i] == -1) {
      FT_CHECK(infer < 0, "only one dimension can be inferred");
      infer = int64_t(i);
    } else {
      FT_CHECK(shape[i] >= 0, "invalid shape dimension ", shape[i]);
      known *= shape[i];
    }
  }
  bool ok = numel == known || (infer >= 0 && known > 0 && numel % known == 0);
  FT_CHECK(ok, "shape '", shape_str(shape), "' is invalid for input of size ", numel);
  if (infer >= 0) {
    FT_CHECK(known != 0, "cannot reshape tensor of 0 elements into shape ", shape_str(shape),
             " because the unspecified dimension size -1 can be any value and is ambiguous");
    res[size_t(infer)] = numel / known;
  }
  return res;
}

// Strides for viewing (sizes, strides) as new_sizes without copying, or false
// when some new dim would span two non-contiguous chunks (PyTorch's computeStride).
bool compute_view_strides(IntArrayRef old_sizes, IntArrayRef old_strides, IntArrayRef new_sizes, DimVector& out) {
  out = DimVector(new_sizes.size(), 0);
  if (old_sizes.empty()) {
    std::fill(out.begin(), out.end(), 1);
    return true;
  }
  int64_t numel = 1;
  for (int64_t s : old_sizes) numel *= s;
  if (numel == 0) {
    if (old_sizes.equals(new_sizes)) {
      out = DimVector(old_strides);
      return true;
    }
    out = contiguous_strides(new_sizes);
    return true;
  }
  int64_t view_d = int64_t(new_sizes.size()) - 1;
  int64_t chunk_base_stride = old_strides[old_strides.size() - 1];
  int64_t tensor_numel = 1, view_numel = 1;
  for (int64_t td = int64_t(old_sizes.size()) - 1; td >= 0; --td) {
    tensor_numel *= old_sizes[size_t(td)];
    bool chunk_end = td == 0 || (old_sizes[size_t(td - 1)] != 1 &&
                                 old_strides[size_t(td - 1)] != tensor_numel * chunk_base_stride);
    if (chunk_end) {
      while (view_d >= 0 && (view_numel < tensor_numel || new_sizes[size_t(view_d)] == 1)) {
        out[size_t(view_d)] = view_numel * chunk_base_stride;
        view_numel *= new_sizes[size_t(view_d)];
        --view_d;
      }
      if (view_numel != tensor_numel) return false;
      if (td > 0) {
        chunk_base_stride = old_strides[size_t(td - 1)];
        tensor_numel = 1;
        view_numel = 1;
      }
    }
  }
  return view_d == -1;
}

}  // namespace

Tensor view(const Tensor& t, IntArrayRef sizes) {
  FT_OP_SCOPE("view");
  DimVector shape = infer_size(sizes, t.numel());
  DimVector st;
  FT_CHECK(compute_view_strides(t.sizes(), t.strides(), shape, st),
           "view size is not compatible with input tensor's size and stride (at least one dimension spans "
           "across two contiguous subspaces). Use .reshape(...) instead.");
  Tensor out = make_view(t, shape, st, t.storage_offset());
  autograd::record_view(t, out, autograd::ViewKind::Reshape, {}, nullptr, "ViewBackward0");
  return out;
}

Tensor reshape(const Tensor& t, IntArrayRef sizes) {
  FT_OP_SCOPE("reshape");
  DimVector shape = infer_size(sizes, t.numel());
  DimVector st;
  if (compute_view_strides(t.sizes(), t.strides(), shape, st)) {
    Tensor out = make_view(t, shape, st, t.storage_offset());
    // PyTorch 1.13's reshape aliases through _reshape_alias, not view.
    autograd::record_view(t, out, autograd::ViewKind::Reshape, {}, nullptr, "ReshapeAliasBackward0");
    return out;
  }
  // Not viewable: copy (clone is differentiable), then view the contiguous copy.
  Tensor c = clone(t);
  Tensor cc = c.is_contiguous() ? c : c.contiguous();
  Tensor out = detail::make_alias(cc, shape, contiguous_strides(shape), cc.storage_offset());
  autograd::record_view(cc, out, autograd::ViewKind::Reshape, {}, nullptr, "UnsafeViewBackward0");
  return out;
}

Tensor permute(const Tensor& t, IntArrayRef dims) {
  FT_OP_SCOPE("permute");
  int64_t nd = t.dim();
  FT_CHECK(int64_t(dims.size()) == nd, "permute(sparse_coo): number of dimensions in the tensor input does not "
           "match the length of the desired ordering of dimensions i.e. input.dim() = ", nd,
           " is not equal to len(dims) = ", dims.size());
  DimVector sizes(static_cast<size_t>(nd)), strides(static_cast<size_t>(nd)), wrapped(static_cast<size_t>(nd));
  uint64_t seen = 0;
  for (int64_t i = 0; i < nd; ++i) {
    int64_t d = maybe_wrap_dim(dims[size_t(i)], nd);
    FT_CHECK(!(seen & (uint64_t(1) << d)), "permute(): duplicate dims are not allowed.");
    seen |= uint64_t(1) << d;
    wrapped[size_t(i)] = d;
    sizes[size_t(i)] = t.sizes()[size_t(d)];
    strides[size_t(i)] = t.strides()[size_t(d)];
  }
  Tensor out = make_view(t, sizes, strides, t.storage_offset());
  autograd::record_view(t, out, autograd::ViewKind::Permute, wrapped, nullptr, "PermuteBackward0");
  return out;
}

namespace {
// transpose and t() differ only in the node name PyTorch gives them.
Tensor transpose_impl(const Tensor& t, int64_t d0, int64_t d1, const char* node_name) {
  int64_t nd = t.dim();
  d0 = maybe_wrap_dim(d0, nd);
  d1 = maybe_wrap_dim(d1, nd);
  DimVector perm(size_t(std::max<int64_t>(nd, 0)));
  std::iota(perm.begin(), perm.end(), 0);
  DimVector sizes(t.sizes()), strides(t.strides());
  if (nd > 0) {  // a 0-dim tensor transposes to itself (still a recorded view)
    std::swap(perm[size_t(d0)], perm[size_t(d1)]);
    std::swap(sizes[size_t(d0)], sizes[size_t(d1)]);
    std::swap(strides[size_t(d0)], strides[size_t(d1)]);
  }
  Tensor out = make_view(t, sizes, strides, t.storage_offset());
  autograd::record_view(t, out, autograd::ViewKind::Permute, perm, nullptr, node_name);
  return out;
}
}  // namespace

Tensor transpose(const Tensor& t, int64_t d0, int64_t d1) {
  FT_OP_SCOPE("transpose");
  return transpose_impl(t, d0, d1, "TransposeBackward0");
}

Tensor Tensor::t() const {
  FT_OP_SCOPE("t");
  FT_CHECK(dim() <= 2, "t() expects a tensor with <= 2 dimensions, but self is ", dim(), "D");
  return transpose_impl(*this, 0, dim() < 2 ? 0 : 1, "TBackward0");
}

Tensor expand(const Tensor& t, IntArrayRef sizes) {
  FT_OP_SCOPE("expand");
  int64_t nd = int64_t(sizes.size()), td = t.dim();
  FT_CHECK(nd >= td, "expand(", dtype_torch_name(t.dtype()), "Tensor{", shape_str(t.sizes()), "}, size=",
           shape_str(sizes), "): the number of sizes provided (", nd,
           ") must be greater or equal to the number of dimensions in the tensor (", td, ")");
  DimVector out_sizes(static_cast<size_t>(nd)), out_strides(static_cast<size_t>(nd));
  for (int64_t i = nd - 1; i >= 0; --i) {
    int64_t j = i - (nd - td);
    int64_t target = sizes[size_t(i)];
    if (j >= 0) {
      int64_t s = t.sizes()[size_t(j)];
      if (target == -1) target = s;
      FT_CHECK(s == target || s == 1, "The expanded size of the tensor (", target,
               ") must match the existing size (", s, ") at non-singleton dimension ", i, ".  Target sizes: ",
               shape_str(sizes), ".  Tensor sizes: ", shape_str(t.sizes()));
      out_sizes[size_t(i)] = target;
      out_strides[size_t(i)] = s == target ? t.strides()[size_t(j)] : 0;
    } else {
      FT_CHECK(target >= 0, "The expanded size of the tensor (", target,
               ") isn't allowed in a leading, non-existing dimension ", i);
      out_sizes[size_t(i)] = target;
      out_strides[size_t(i)] = 0;
    }
  }
  Tensor out = make_view(t, out_sizes, out_strides, t.storage_offset());
  autograd::record_view(t, out, autograd::ViewKind::Expand, {}, nullptr, "ExpandBackward0");
  return out;
}

Tensor squeeze(const Tensor& t) {
  DimVector sizes, strides;
  for (int64_t d = 0; d < t.dim(); ++d)
    if (t.sizes()[size_t(d)] != 1) {
      sizes.push_back(t.sizes()[size_t(d)]);
      strides.push_back(t.strides()[size_t(d)]);
    }
  Tensor out = make_view(t, sizes, strides, t.storage_offset());
  autograd::record_view(t, out, autograd::ViewKind::Reshape, {}, nullptr, "SqueezeBackward0");
  return out;
}

Tensor squeeze(const Tensor& t, int64_t d) {
  FT_OP_SCOPE("squeeze");
  d = maybe_wrap_dim(d, t.dim());
  DimVector sizes(t.sizes()), strides(t.strides());
  if (t.dim() > 0 && sizes[size_t(d)] == 1) {
    sizes.erase(size_t(d));
    strides.erase(size_t(d));
  }
  Tensor out = make_view(t, sizes, strides, t.storage_offset());
  autograd::record_view(t, out, autograd::ViewKind::Reshape, {}, nullptr, "SqueezeBackward1");
  return out;
}

Tensor unsqueeze(const Tensor& t, int64_t d) {
  FT_OP_SCOPE("unsqueeze");
  d = maybe_wrap_dim(d, t.dim() + 1);
  DimVector sizes(t.sizes()), strides(t.strides());
  int64_t st = size_t(d) >= sizes.size() ? 1 : sizes[size_t(d)] * strides[size_t(d)];
  sizes.insert(size_t(d), 1);
  strides.insert(size_t(d), st);
  Tensor out = make_view(t, sizes, strides, t.storage_offset());
  autograd::record_view(t, out, autograd::ViewKind::Reshape, {}, nullptr, "UnsqueezeBackward0");
  return out;
}

Tensor slice(const Tensor& t, int64_t d, std::optional<int64_t> start_o, std::optional<int64_t> end_o, int64_t step) {
  FT_OP_SCOPE("slice");
  FT_CHECK(t.dim() > 0, "slice() cannot be applied to a 0-dim tensor.");
  d = maybe_wrap_dim(d, t.dim());
  FT_CHECK_VALUE(step > 0, "slice step must be positive");
  int64_t n = t.sizes()[size_t(d)];
  int64_t start = start_o.value_or(0), end = end_o.value_or(n);
  if (start < 0) start += n;
  if (end < 0) end += n;
  start = std::clamp<int64_t>(start, 0, n);
  end = std::clamp<int64_t>(end, start, n);
  int64_t len = (end - start + step - 1) / step;
  DimVector sizes(t.sizes()), strides(t.strides());
  sizes[size_t(d)] = len;
  strides[size_t(d)] *= step;
  Tensor out = make_view(t, sizes, strides, t.storage_offset() + start * t.strides()[size_t(d)]);
  autograd::record_view(t, out, autograd::ViewKind::Strided, {},
                        [d, start, end, step](const Tensor& x) { return x.slice(d, start, end, step); },
                        "SliceBackward0");
  return out;
}

Tensor narrow(const Tensor& t, int64_t d, int64_t start, int64_t length) {
  FT_OP_SCOPE("narrow");
  FT_CHECK(t.dim() > 0, "narrow() cannot be applied to a 0-dim tensor.");
  d = maybe_wrap_dim(d, t.dim());
  int64_t n = t.sizes()[size_t(d)];
  // PyTorch 1.13 wraps start like a dim over the size (start == size is valid:
  // an empty narrow at the end), so a bad start raises the dim IndexError.
  if (start != n) start = maybe_wrap_dim(start, n);
  FT_CHECK(length >= 0 && start <= n - length, "start (", start, ") + length (", length,
           ") exceeds dimension size (", n, ").");
  return slice(t, d, start, start + length, 1);
}

Tensor select(const Tensor& t, int64_t d, int64_t index) {
  FT_OP_SCOPE("select");
  FT_CHECK_INDEX(t.dim() > 0, "select() cannot be applied to a 0-dim tensor.");
  d = maybe_wrap_dim(d, t.dim());
  int64_t n = t.sizes()[size_t(d)];
  FT_CHECK_INDEX(index >= -n && index < n, "select(): index ", index, " out of range for tensor of size ",
                 shape_str(t.sizes()), " at dimension ", d);
  if (index < 0) index += n;
  DimVector sizes(t.sizes()), strides(t.strides());
  int64_t off = t.storage_offset() + index * strides[size_t(d)];
  sizes.erase(size_t(d));
  strides.erase(size_t(d));
  Tensor out = make_view(t, sizes, strides, off);
  autograd::record_view(t, out, autograd::ViewKind::Strided, {},
                        [d, index](const Tensor& x) { return x.select(d, index); }, "SelectBackward0");
  return out;
}

Tensor as_strided(const Tensor& t, IntArrayRef sizes, IntArrayRef strides, std::optional<int64_t> offset) {
  FT_OP_SCOPE("as_strided");
  Tensor out = make_view(t, {}, {}, 0);
  out.impl()->set_geometry(sizes, strides, offset.value_or(t.storage_offset()));
  DimVector sz(sizes), st(strides);
  int64_t off = offset.value_or(t.storage_offset()) - t.storage_offset();
  // as_strided addresses memory, so its backward lays the gradient out with
  // the input's strides (passed as `dims`) before replaying the view on it.
  autograd::record_view(t, out, autograd::ViewKind::Strided, DimVector(t.strides()),
                        [sz, st, off](const Tensor& x) { return x.as_strided(sz, st, x.storage_offset() + off); },
                        "AsStridedBackward0");
  return out;
}

Tensor flatten(const Tensor& t, int64_t start_dim, int64_t end_dim) {
  FT_OP_SCOPE("flatten");
  int64_t nd = t.dim();
  start_dim = maybe_wrap_dim(start_dim, nd);
  end_dim = maybe_wrap_dim(end_dim, nd);
  FT_CHECK(start_dim <= end_dim, "flatten() has invalid args: start_dim cannot come after end_dim");
  if (nd == 0) return reshape(t, {1});
  if (start_dim == end_dim) return t;
  DimVector shape;
  int64_t prod = 1;
  for (int64_t d = 0; d < nd; ++d) {
    if (d < start_dim || d > end_dim) shape.push_back(t.sizes()[size_t(d)]);
    else {
      prod *= t.sizes()[size_t(d)];
      if (d == end_dim) shape.push_back(prod);
    }
  }
  return reshape(t, shape);
}

}  // namespace ft
