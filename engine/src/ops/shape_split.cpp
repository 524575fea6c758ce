// Splitting ops: split (one size or a list of sizes), split_with_sizes,
// chunk, unbind. Each returns views of the input (narrow/select geometry)
// sharing its storage and version counter; the checks and the number of
// pieces follow ATen 1.13 (TensorShape.cpp) exactly, including the empty-dim
// corner cases (split of a 0-size dim gives one empty piece, chunk gives
// `chunks` of them).
#include "shape_internal.h"

namespace ft {
namespace {

// self.narrow(dim, start, length) as a view named like PyTorch's split node;
// output `nr` of a multi-output view function.
Tensor split_piece(const Tensor& self, int64_t d, int64_t start, int64_t length, const char* node, int64_t nr) {
  DimVector sizes(self.sizes());
  sizes[size_t(d)] = length;
  int64_t off = self.storage_offset() + (length > 0 ? start * self.strides()[size_t(d)] : 0);
  return shape_detail::strided_view(self, sizes, self.strides(), off,
                                    [d, start, length](const Tensor& x) { return x.narrow(d, start, length); }, node,
                                    nr);
}

}  // namespace

std::vector<Tensor> split(const Tensor& self, int64_t split_size, int64_t dim) {
  FT_OP_SCOPE("split");
  FT_CHECK(self.dim() != 0, "split expects at least a 1-dimensional tensor");
  FT_CHECK(split_size >= 0, "split expects split_size be non-negative, but got split_size=", split_size);
  int64_t d = maybe_wrap_dim(dim, self.dim());
  int64_t dim_size = self.sizes()[size_t(d)];
  FT_CHECK(split_size > 0 || dim_size == 0,
           "split_size can only be 0 if dimension size is 0, but got dimension size of ", dim_size);
  // One piece when split_size is 0 (dim size 0) or larger than the dim.
  int64_t num = split_size == 0 ? 1 : std::max<int64_t>((dim_size + split_size - 1) / split_size, 1);
  int64_t last = split_size - (split_size * num - dim_size);
  std::vector<Tensor> out;
  for (int64_t i = 0; i < num; ++i)
    out.push_back(split_piece(self, d, i * split_size, i < num - 1 ? split_size : last, "SplitBackward0", i));
  return out;
}

std::vector<Tensor> split_with_sizes(const Tensor& self, IntArrayRef split_sizes, int64_t dim) {
  FT_OP_SCOPE("split_with_sizes");
  FT_CHECK(self.dim() != 0, "split expects at least a 1-dimensional tensor");
  int64_t d = maybe_wrap_dim(dim, self.dim());
  int64_t dim_size = self.sizes()[size_t(d)];
  int64_t start = 0;
  for (int64_t len : split_sizes) {
    FT_CHECK(len >= 0, "split_with_sizes expects split_sizes have only non-negative entries, but got split_sizes=",
             shape_str(split_sizes));
    start += len;
  }
  FT_CHECK(start == dim_size, "split_with_sizes expects split_sizes to sum exactly to ", dim_size,
           " (input tensor's size at dimension ", d, "), but got split_sizes=", shape_str(split_sizes));
  std::vector<Tensor> out;
  start = 0;
  for (int64_t len : split_sizes) {
    out.push_back(split_piece(self, d, start, len, "SplitWithSizesBackward0", int64_t(out.size())));
    start += len;
  }
  return out;
}

std::vector<Tensor> split(const Tensor& self, IntArrayRef split_sizes, int64_t dim) {
  return split_with_sizes(self, split_sizes, dim);
}

std::vector<Tensor> chunk(const Tensor& self, int64_t chunks, int64_t dim) {
  FT_OP_SCOPE("chunk");
  FT_CHECK(self.dim() > 0, "chunk expects at least a 1-dimensional tensor");
  FT_CHECK(chunks > 0, "chunk expects `chunks` to be greater than 0, got: ", chunks);
  int64_t dim_size = self.size(dim);
  int64_t split_size = (dim_size + chunks - 1) / chunks;
  // An empty dim still yields `chunks` (empty) pieces.
  if (split_size == 0 && dim_size == 0) return split_with_sizes(self, std::vector<int64_t>(size_t(chunks), 0), dim);
  return split(self, split_size, dim);
}

std::vector<Tensor> unbind(const Tensor& self, int64_t dim) {
  FT_OP_SCOPE("unbind");
  int64_t d = maybe_wrap_dim(dim, self.dim(), /*wrap_scalar=*/false);
  int64_t n = self.sizes()[size_t(d)];
  DimVector sizes(self.sizes()), strides(self.strides());
  sizes.erase(size_t(d));
  strides.erase(size_t(d));
  std::vector<Tensor> out;
  for (int64_t i = 0; i < n; ++i)
    out.push_back(shape_detail::strided_view(self, sizes, strides, self.storage_offset() + i * self.strides()[size_t(d)],
                                             [d, i](const Tensor& x) { return x.select(d, i); }, "UnbindBackward0", i));
  return out;
}

std::vector<Tensor> Tensor::split(int64_t split_size, int64_t dim) const { return ft::split(*this, split_size, dim); }
std::vector<Tensor> Tensor::split(IntArrayRef split_sizes, int64_t dim) const {
  return ft::split_with_sizes(*this, split_sizes, dim);
}
std::vector<Tensor> Tensor::split_with_sizes(IntArrayRef split_sizes, int64_t dim) const {
  return ft::split_with_sizes(*this, split_sizes, dim);
}
std::vector<Tensor> Tensor::chunk(int64_t chunks, int64_t dim) const { return ft::chunk(*this, chunks, dim); }
std::vector<Tensor> Tensor::unbind(int64_t dim) const { return ft::unbind(*this, dim); }

}  // namespace ft
