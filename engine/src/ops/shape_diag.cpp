// Diagonal and triangular copies: diag (vector -> matrix, matrix -> vector),
// diag_embed, tril/triu (functional, out=, in-place). Results are fresh
// contiguous tensors; diag/diag_embed write through a diagonal() view of
// zeros, tril/triu use the dtype-agnostic mask kernel (shape_gather.h).
#include "../kernels/cpu/shape_gather.h"
#include "op_helpers.h"
#include "shape_internal.h"

namespace ft {
namespace {

Tensor diag_embed_compute(const Tensor& self, int64_t offset, int64_t dim1_in, int64_t dim2_in) {
  const int64_t nd = self.dim() + 1;
  int64_t dim1 = maybe_wrap_dim(dim1_in, nd), dim2 = maybe_wrap_dim(dim2_in, nd);
  FT_CHECK(dim1 != dim2, "diagonal dimensions cannot be identical ", dim1_in, ", ", dim2_in);
  int64_t len = std::abs(offset) + self.size(-1);
  DimVector sizes(self.sizes());
  sizes.erase(sizes.size() - 1);
  sizes.insert(size_t(std::min(dim1, dim2)), len);
  sizes.insert(size_t(std::max(dim1, dim2)), len);
  autograd::NoGradGuard ng;
  Tensor out = zeros(sizes, self.dtype());
  out.diagonal(offset, dim1, dim2).copy_(self);
  return out;
}

Tensor diag_compute(const Tensor& self, int64_t k) {
  FT_CHECK(self.dim() == 1 || self.dim() == 2, "diag(): Supports 1D or 2D tensors. Got ", self.dim(), "D");
  // libtorch 1.13's diag kernel dispatches over every type but Half.
  FT_CHECK_KIND(ErrorKind::NotImplemented, self.dtype() != DType::Float16, "\"diag\" not implemented for 'Half'");
  if (self.dim() == 1) return diag_embed_compute(self, k, 0, 1);
  // libtorch 1.13 sizes the result min(rows, cols - k) (k >= 0) or
  // min(rows + k, cols) without clamping at 0, so an offset past the matrix
  // raises instead of returning an empty diagonal as diagonal() does.
  int64_t rows = self.sizes()[0], cols = self.sizes()[1];
  int64_t len = k >= 0 ? std::min(rows, cols - k) : std::min(rows + k, cols);
  FT_CHECK(len >= 0, "Trying to create tensor with negative dimension ", len, ": [", len, "]");
  autograd::NoGradGuard ng;
  return self.diagonal(k, 0, 1).contiguous().clone();
}

// Keeps (r, c) with c - r <= k (tril) or c - r >= k (triu).
Tensor tri_compute(const Tensor& self, int64_t k, bool lower) {
  // libtorch 1.13 returns an empty input before checking its rank.
  FT_CHECK(self.numel() == 0 || self.dim() >= 2, lower ? "tril" : "triu",
           ": input tensor must have at least 2 dimensions");
  Tensor out = empty(self.sizes(), self.dtype());
  auto run = [&](auto keep) {
    kernels::tri_mask(static_cast<char*>(out.data_ptr()), static_cast<const char*>(self.data_ptr()), self.sizes(),
                      self.strides(), self.element_size(), keep);
  };
  if (lower) run([k](int64_t r, int64_t c) { return c - r <= k; });
  else run([k](int64_t r, int64_t c) { return c - r >= k; });
  return out;
}

Tensor tri(const Tensor& self, int64_t k, bool lower) {
  Tensor out = tri_compute(self, k, lower);
  autograd::record_tri(self, k, lower, out);
  return out;
}

}  // namespace

Tensor diag(const Tensor& self, int64_t diagonal) {
  FT_OP_SCOPE("diag");
  Tensor out = diag_compute(self, diagonal);
  autograd::record_diag(self, diagonal, out);
  return out;
}
Tensor& diag_out(Tensor& out, const Tensor& self, int64_t diagonal) {
  FT_OP_SCOPE("diag");
  ops::check_out_autograd("diag", {&self});
  return ops::write_out(out, diag_compute(self, diagonal));
}

Tensor diag_embed(const Tensor& self, int64_t offset, int64_t dim1, int64_t dim2) {
  FT_OP_SCOPE("diag_embed");
  Tensor out = diag_embed_compute(self, offset, dim1, dim2);
  autograd::record_diag_embed(self, offset, maybe_wrap_dim(dim1, self.dim() + 1), maybe_wrap_dim(dim2, self.dim() + 1),
                              out);
  return out;
}
Tensor& diag_embed_out(Tensor& out, const Tensor& self, int64_t offset, int64_t dim1, int64_t dim2) {
  FT_OP_SCOPE("diag_embed");
  ops::check_out_autograd("diag_embed", {&self});
  return ops::write_out(out, diag_embed_compute(self, offset, dim1, dim2));
}

Tensor tril(const Tensor& self, int64_t diagonal) {
  FT_OP_SCOPE("tril");
  return tri(self, diagonal, true);
}
Tensor triu(const Tensor& self, int64_t diagonal) {
  FT_OP_SCOPE("triu");
  return tri(self, diagonal, false);
}
Tensor& tril_out(Tensor& out, const Tensor& self, int64_t diagonal) {
  FT_OP_SCOPE("tril");
  ops::check_out_autograd("tril", {&self});
  return ops::write_out(out, tri_compute(self, diagonal, true));
}
Tensor& triu_out(Tensor& out, const Tensor& self, int64_t diagonal) {
  FT_OP_SCOPE("triu");
  ops::check_out_autograd("triu", {&self});
  return ops::write_out(out, tri_compute(self, diagonal, false));
}

Tensor Tensor::diag(int64_t diagonal) const { return ft::diag(*this, diagonal); }
Tensor Tensor::diag_embed(int64_t offset, int64_t dim1, int64_t dim2) const {
  return ft::diag_embed(*this, offset, dim1, dim2);
}
Tensor Tensor::tril(int64_t diagonal) const { return ft::tril(*this, diagonal); }
Tensor Tensor::triu(int64_t diagonal) const { return ft::triu(*this, diagonal); }
Tensor& Tensor::tril_(int64_t diagonal) {
  FT_OP_SCOPE("tril_");
  return ops::inplace(*this, {}, [diagonal](const Tensor& s) { return tri(s, diagonal, true); });
}
Tensor& Tensor::triu_(int64_t diagonal) {
  FT_OP_SCOPE("triu_");
  return ops::inplace(*this, {}, [diagonal](const Tensor& s) { return tri(s, diagonal, false); });
}

}  // namespace ft
