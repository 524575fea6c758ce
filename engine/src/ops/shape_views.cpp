// View ops of the shape family: movedim/moveaxis, swapaxes/swapdims,
// diagonal, unfold, unflatten; plus the family's view and gather helpers
// (shape_internal.h). Every result shares storage and version counter with
// its input.
#include <algorithm>
#include <numeric>

#include "../kernels/cpu/shape_gather.h"
#include "op_helpers.h"
#include "shape_internal.h"
#include "../core/view_impl.h"

namespace ft::shape_detail {
Tensor strided_view(const Tensor& base, IntArrayRef sizes, IntArrayRef strides, int64_t offset,
                    std::function<Tensor(const Tensor&)> replay, const char* node_name, int64_t multi_output_nr) {
  Tensor out = detail::make_view(base, sizes, strides, offset, multi_output_nr);
  autograd::record_view(base, out, autograd::ViewKind::Strided, {}, std::move(replay), node_name);
  return out;
}

Tensor reshape_view(const Tensor& base, IntArrayRef sizes, IntArrayRef strides, int64_t offset, const char* node_name) {
  Tensor out = detail::make_view(base, sizes, strides, offset);
  autograd::record_view(base, out, autograd::ViewKind::Reshape, {}, nullptr, node_name);
  return out;
}

Tensor gather_by_maps(const Tensor& src, IntArrayRef out_sizes, const std::vector<std::vector<int64_t>>& maps) {
  Tensor out = empty(out_sizes, src.dtype());
  kernels::gather_by_maps(static_cast<char*>(out.data_ptr()), static_cast<const char*>(src.data_ptr()), out_sizes,
                          src.strides(), maps, src.element_size());
  return out;
}

std::vector<int64_t> iota_map(int64_t n) {
  std::vector<int64_t> m(static_cast<size_t>(n));
  std::iota(m.begin(), m.end(), int64_t(0));
  return m;
}

}  // namespace ft::shape_detail

namespace ft {

using shape_detail::reshape_view;
using shape_detail::strided_view;

// movedim: source dims go to destination positions; the remaining dims keep
// their relative order in the remaining positions. A permute (PermuteBackward0).
Tensor movedim(const Tensor& self, IntArrayRef src, IntArrayRef dst) {
  FT_OP_SCOPE("movedim");
  FT_CHECK(src.size() == dst.size(), "movedim: Invalid source or destination dims: source (", shape_str(src),
           " dims) should contain the same number of dims as destination (", shape_str(dst), " dims)");
  const int64_t nd = self.dim();
  DimVector ns, ndst;
  for (int64_t d : src) ns.push_back(maybe_wrap_dim(d, nd));
  for (int64_t d : dst) ndst.push_back(maybe_wrap_dim(d, nd));
  auto unique = [](const DimVector& v) {
    std::vector<int64_t> s(v.begin(), v.end());
    std::sort(s.begin(), s.end());
    return std::adjacent_find(s.begin(), s.end()) == s.end();
  };
  FT_CHECK(unique(ns), "movedim: repeated dim in `source` (", shape_str(src), ")");
  FT_CHECK(unique(ndst), "movedim: repeated dim in `destination` (", shape_str(dst), ")");
  // A 0-dim tensor moves nowhere: an alias.
  if (nd == 0) return reshape_view(self, self.sizes(), self.strides(), self.storage_offset(), "AliasBackward0");
  std::vector<int64_t> order(size_t(nd), -1);
  std::vector<bool> src_used(size_t(nd), false);
  for (size_t i = 0; i < ns.size(); ++i) {
    order[size_t(ndst[i])] = ns[i];
    src_used[size_t(ns[i])] = true;
  }
  int64_t next_src = 0;
  for (auto& o : order) {
    if (o != -1) continue;
    while (src_used[size_t(next_src)]) ++next_src;
    o = next_src++;
  }
  return permute(self, order);
}

Tensor movedim(const Tensor& self, int64_t source, int64_t destination) {
  return movedim(self, IntArrayRef{source}, IntArrayRef{destination});
}
Tensor moveaxis(const Tensor& self, IntArrayRef source, IntArrayRef destination) { return movedim(self, source, destination); }
Tensor moveaxis(const Tensor& self, int64_t source, int64_t destination) { return movedim(self, source, destination); }

// numpy's names for transpose (TransposeBackward0 in PyTorch too).
Tensor swapaxes(const Tensor& self, int64_t axis0, int64_t axis1) { return transpose(self, axis0, axis1); }
Tensor swapdims(const Tensor& self, int64_t dim0, int64_t dim1) { return transpose(self, dim0, dim1); }

// diagonal: drops dim1 and dim2 and appends the diagonal as the last dim
// (stride = stride1 + stride2). Offsets past the end give an empty diagonal.
Tensor diagonal(const Tensor& self, int64_t offset, int64_t dim1_in, int64_t dim2_in) {
  FT_OP_SCOPE("diagonal");
  const int64_t nd = self.dim();
  int64_t dim1 = maybe_wrap_dim(dim1_in, nd), dim2 = maybe_wrap_dim(dim2_in, nd);
  FT_CHECK(dim1 != dim2, "diagonal dimensions cannot be identical ", dim1_in, ", ", dim2_in);
  int64_t s1 = self.sizes()[size_t(dim1)], s2 = self.sizes()[size_t(dim2)];
  int64_t len = offset >= 0 ? std::min(s1, s2 - offset) : std::min(s1 + offset, s2);
  len = std::max<int64_t>(len, 0);
  int64_t off = self.storage_offset();
  if (len > 0) off += offset >= 0 ? offset * self.strides()[size_t(dim2)] : -offset * self.strides()[size_t(dim1)];
  DimVector sizes, strides;
  for (int64_t d = 0; d < nd; ++d) {
    if (d == dim1 || d == dim2) continue;
    sizes.push_back(self.sizes()[size_t(d)]);
    strides.push_back(self.strides()[size_t(d)]);
  }
  sizes.push_back(len);
  strides.push_back(self.strides()[size_t(dim1)] + self.strides()[size_t(dim2)]);
  return strided_view(self, sizes, strides, off,
                      [offset, dim1, dim2](const Tensor& x) { return x.diagonal(offset, dim1, dim2); },
                      "DiagonalBackward0");
}

// unfold: windows of `size` every `step` along `dimension`, as a new last dim.
// Overlapping windows (step < size) alias input elements; the backward sums them.
Tensor Tensor::unfold(int64_t dimension, int64_t size, int64_t step) const {
  FT_OP_SCOPE("unfold");
  const int64_t nd = dim();
  int64_t d = maybe_wrap_dim(dimension, nd, /*wrap_scalar=*/true);
  int64_t max_size = nd == 0 ? 1 : sizes()[size_t(d)];
  FT_CHECK(size <= max_size, "maximum size for tensor at dimension ", d, " is ", max_size, " but size is ", size);
  FT_CHECK(step > 0, "step is ", step, " but must be > 0");
  FT_CHECK(size >= 0, "size is ", size, " but must be >= 0");
  DimVector new_sizes(sizes()), new_strides(strides());
  if (nd > 0) {
    new_sizes[size_t(d)] = (sizes()[size_t(d)] - size) / step + 1;
    new_strides[size_t(d)] = step * strides()[size_t(d)];
  }
  new_sizes.push_back(size);
  new_strides.push_back(nd == 0 ? 1 : strides()[size_t(d)]);
  return strided_view(*this, new_sizes, new_strides, storage_offset(),
                      [d, size, step](const Tensor& x) { return x.unfold(d, size, step); }, "UnfoldBackward0");
}

// unflatten: dim split into `sizes` (one -1 inferred). Always a view.
Tensor unflatten(const Tensor& self, int64_t dim, IntArrayRef sizes) {
  FT_OP_SCOPE("unflatten");
  int64_t d = maybe_wrap_dim(dim, self.dim());
  FT_CHECK(!sizes.empty(), "unflatten: sizes must be non-empty");
  int64_t n = self.size(d);
  int64_t known = 1, infer = -1;
  for (size_t i = 0; i < sizes.size(); ++i) {
    if (sizes[i] == -1) {
      FT_CHECK(infer < 0, "only one dimension can be inferred");
      infer = int64_t(i);
    } else {
      FT_CHECK(sizes[i] >= 0, "invalid shape dimension ", sizes[i]);
      known *= sizes[i];
    }
  }
  bool ok = n == known || (infer >= 0 && known > 0 && n % known == 0);
  FT_CHECK(ok, "unflatten: Provided sizes ", shape_str(sizes), " don't multiply up to the size of dim ", dim, " (",
           n, ") in the input tensor");
  FT_CHECK(infer < 0 || known != 0, "unflatten: Provided sizes ", shape_str(sizes),
           " are ambiguous for the size of dim ", dim, " (", n, ") in the input tensor");
  DimVector shape;
  for (int64_t i = 0; i < self.dim(); ++i) {
    if (i != d) {
      shape.push_back(self.sizes()[size_t(i)]);
      continue;
    }
    for (size_t j = 0; j < sizes.size(); ++j) shape.push_back(int64_t(j) == infer ? n / known : sizes[j]);
  }
  return view(self, shape);
}

namespace {
// self becomes the view `v` of itself: its geometry and (under autograd) its
// history. An in-place op: the version moves (PyTorch: x.squeeze_() bumps
// x._version) before the new history is set, so that the history belongs to
// the new version (a view's node is not regenerated as AsStridedBackward0).
Tensor& take_view_geometry(Tensor& self, const Tensor& v, const char* node_name) {
  self.impl()->set_geometry(v.sizes(), v.strides(), v.storage_offset());
  self.impl()->bump_version();
  autograd::set_view_history(self, v, node_name);
  return self;
}
}  // namespace

Tensor& Tensor::squeeze_() {
  FT_OP_SCOPE("squeeze_");
  ops::check_inplace_autograd(*this);
  return take_view_geometry(*this, ft::squeeze(*this), "SqueezeBackward2");
}
Tensor& Tensor::squeeze_(int64_t dim) {
  FT_OP_SCOPE("squeeze_");
  ops::check_inplace_autograd(*this);
  return take_view_geometry(*this, ft::squeeze(*this, dim), "SqueezeBackward3");
}
Tensor& Tensor::unsqueeze_(int64_t dim) {
  FT_OP_SCOPE("unsqueeze_");
  ops::check_inplace_autograd(*this);
  return take_view_geometry(*this, ft::unsqueeze(*this, dim), "UnsqueezeBackward1");
}
// transpose_ / t_ (and swapaxes_ / swapdims_, which PyTorch implements as transpose_).
Tensor& Tensor::transpose_(int64_t dim0, int64_t dim1) {
  FT_OP_SCOPE("transpose_");
  ops::check_inplace_autograd(*this);
  return take_view_geometry(*this, ft::transpose(*this, dim0, dim1), "TransposeBackward1");
}
Tensor& Tensor::t_() {
  FT_OP_SCOPE("t_");
  ops::check_inplace_autograd(*this);
  return take_view_geometry(*this, t(), "TBackward1");
}
Tensor& Tensor::swapaxes_(int64_t axis0, int64_t axis1) { return transpose_(axis0, axis1); }
Tensor& Tensor::swapdims_(int64_t dim0, int64_t dim1) { return transpose_(dim0, dim1); }
Tensor t(const Tensor& self) { return self.t(); }

Tensor Tensor::movedim(IntArrayRef source, IntArrayRef destination) const { return ft::movedim(*this, source, destination); }
Tensor Tensor::movedim(int64_t source, int64_t destination) const { return ft::movedim(*this, source, destination); }
Tensor Tensor::moveaxis(IntArrayRef source, IntArrayRef destination) const { return ft::movedim(*this, source, destination); }
Tensor Tensor::moveaxis(int64_t source, int64_t destination) const { return ft::movedim(*this, source, destination); }
Tensor Tensor::swapaxes(int64_t axis0, int64_t axis1) const { return ft::transpose(*this, axis0, axis1); }
Tensor Tensor::swapdims(int64_t dim0, int64_t dim1) const { return ft::transpose(*this, dim0, dim1); }
Tensor Tensor::diagonal(int64_t offset, int64_t dim1, int64_t dim2) const { return ft::diagonal(*this, offset, dim1, dim2); }
Tensor Tensor::unflatten(int64_t dim, IntArrayRef sizes) const { return ft::unflatten(*this, dim, sizes); }

}  // namespace ft
