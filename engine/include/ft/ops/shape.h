// Functional API of the shape op family (included by ft/ops.h): joining
// (cat, stack, hstack, vstack), splitting (split, chunk, unbind), movement
// copies (flip, roll, repeat, tile, repeat_interleave, narrow_copy), views
// (movedim, swapaxes, diagonal, unfold, unflatten) and triangular/diagonal
// fills (diag, diag_embed, tril, triu). Names, argument orders and defaults
// mirror ATen 1.13 (see NOTE [ One call for both sides ] in ft/ops.def).
//
// Views (diagonal, movedim, swapaxes, unfold, unflatten, and every output of
// split/chunk/unbind) share storage and the version counter with the input.
#pragma once

#include <optional>
#include <vector>

namespace ft {

// A list of tensors passed to an op (at::TensorList); a std::vector<Tensor>
// converts implicitly.
using TensorList = ArrayRef<Tensor>;

// ---- joining: results promote over all inputs' dtypes (result_type)
// cat skips 1-D empty tensors of shape [0] (PyTorch's legacy rule).
Tensor cat(TensorList tensors, int64_t dim = 0);
Tensor& cat_out(Tensor& out, TensorList tensors, int64_t dim = 0);
Tensor stack(TensorList tensors, int64_t dim = 0);
Tensor& stack_out(Tensor& out, TensorList tensors, int64_t dim = 0);
Tensor hstack(TensorList tensors);
Tensor& hstack_out(Tensor& out, TensorList tensors);
Tensor vstack(TensorList tensors);
Tensor& vstack_out(Tensor& out, TensorList tensors);

// ---- splitting: lists of views
std::vector<Tensor> split(const Tensor& self, int64_t split_size, int64_t dim = 0);
std::vector<Tensor> split(const Tensor& self, IntArrayRef split_sizes, int64_t dim = 0);
std::vector<Tensor> split_with_sizes(const Tensor& self, IntArrayRef split_sizes, int64_t dim = 0);
std::vector<Tensor> chunk(const Tensor& self, int64_t chunks, int64_t dim = 0);
std::vector<Tensor> unbind(const Tensor& self, int64_t dim = 0);

// ---- movement copies
Tensor flip(const Tensor& self, IntArrayRef dims);
Tensor& flip_out(Tensor& out, const Tensor& self, IntArrayRef dims);
Tensor roll(const Tensor& self, IntArrayRef shifts, IntArrayRef dims = {});
Tensor& roll_out(Tensor& out, const Tensor& self, IntArrayRef shifts, IntArrayRef dims = {});
Tensor repeat(const Tensor& self, IntArrayRef repeats);  // Tensor.repeat (method-only in ATen)
Tensor tile(const Tensor& self, IntArrayRef dims);
Tensor repeat_interleave(const Tensor& self, int64_t repeats, std::optional<int64_t> dim = std::nullopt,
                         std::optional<int64_t> output_size = std::nullopt);
Tensor repeat_interleave(const Tensor& self, const Tensor& repeats, std::optional<int64_t> dim = std::nullopt,
                         std::optional<int64_t> output_size = std::nullopt);
Tensor narrow_copy(const Tensor& self, int64_t dim, int64_t start, int64_t length);
Tensor& narrow_copy_out(Tensor& out, const Tensor& self, int64_t dim, int64_t start, int64_t length);

// ---- views
Tensor movedim(const Tensor& self, IntArrayRef source, IntArrayRef destination);
Tensor movedim(const Tensor& self, int64_t source, int64_t destination);
Tensor moveaxis(const Tensor& self, IntArrayRef source, IntArrayRef destination);
Tensor moveaxis(const Tensor& self, int64_t source, int64_t destination);
Tensor swapaxes(const Tensor& self, int64_t axis0, int64_t axis1);
Tensor swapdims(const Tensor& self, int64_t dim0, int64_t dim1);
Tensor diagonal(const Tensor& self, int64_t offset = 0, int64_t dim1 = 0, int64_t dim2 = 1);
Tensor unflatten(const Tensor& self, int64_t dim, IntArrayRef sizes);

// ---- diagonals and triangles (copies)
Tensor diag(const Tensor& self, int64_t diagonal = 0);
Tensor& diag_out(Tensor& out, const Tensor& self, int64_t diagonal = 0);
Tensor diag_embed(const Tensor& self, int64_t offset = 0, int64_t dim1 = -2, int64_t dim2 = -1);
Tensor& diag_embed_out(Tensor& out, const Tensor& self, int64_t offset = 0, int64_t dim1 = -2, int64_t dim2 = -1);
Tensor tril(const Tensor& self, int64_t diagonal = 0);
Tensor& tril_out(Tensor& out, const Tensor& self, int64_t diagonal = 0);
Tensor triu(const Tensor& self, int64_t diagonal = 0);
Tensor& triu_out(Tensor& out, const Tensor& self, int64_t diagonal = 0);

// The gradient of diagonal(): zeros shaped `input_sizes` with `grad` on the
// (offset, dim1, dim2) diagonal. Differentiable (its derivative is diagonal()).
Tensor diagonal_backward(const Tensor& grad, IntArrayRef input_sizes, int64_t offset, int64_t dim1, int64_t dim2);

// An optional<int64_t> that is empty unless `present` (std:: on the engine
// side, c10:: in the oracle; see ft::opt_int in ft/ops/reduce.h), so one
// op-table call can pass `dim=None` or a dim: `ft::opt_int_if<decltype(C.dtype)>(C.flag, C.dim)`.
template <typename Opt>
typename rebind_optional_<Opt>::type opt_int_if(bool present, int64_t v) {
  using O = typename rebind_optional_<Opt>::type;
  return present ? O(v) : O();
}

// t(self): the transpose of a matrix (a vector or scalar as is); raises above 2 dims.
Tensor t(const Tensor& self);

}  // namespace ft
