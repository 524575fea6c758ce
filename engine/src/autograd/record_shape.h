// Autograd recording hooks of the shape op family (implemented with their
// backward formulas in derivatives_shape.cpp). Same contract as record.h:
// each attaches a grad_fn to `out` when grad mode is on and an input requires
// grad, and costs one check otherwise. Dims passed here are already wrapped.
#pragma once

#include <vector>

#include "ft/autograd.h"

namespace ft::autograd {

// cat: `dim` is the wrapped cat dim (unused when every input was skipped).
void record_cat(const std::vector<Tensor>& ins, int64_t dim, Tensor& out);
void record_flip(const Tensor& in, DimVector dims, Tensor& out);
// roll: shifts/dims as given to roll (dims empty: the flattened roll).
void record_roll(const Tensor& in, std::vector<int64_t> shifts, std::vector<int64_t> dims, Tensor& out);
void record_repeat(const Tensor& in, std::vector<int64_t> repeats, Tensor& out);
// repeat_interleave: `counts[i]` copies of slice i along `dim` of `src` (the
// input itself, or its flattening when `flattened`).
void record_repeat_interleave(const Tensor& in, std::vector<int64_t> counts, int64_t dim, bool flattened, Tensor& out);
void record_tri(const Tensor& in, int64_t k, bool lower, Tensor& out);
void record_diag(const Tensor& in, int64_t k, Tensor& out);
void record_diag_embed(const Tensor& in, int64_t offset, int64_t dim1, int64_t dim2, Tensor& out);
// An op whose derivative PyTorch 1.13 does not implement: out gets a node
// that raises "the derivative for '<op>' is not implemented." when reached.
void record_not_implemented(const Tensor& in, const char* op, Tensor& out);
// A node named `node_name` whose backward raises `message` (a formula PyTorch
// refuses to run, e.g. leaky_relu_ with a negative slope).
void record_raising(const Tensor& in, const char* node_name, std::string message, Tensor& out);

}  // namespace ft::autograd
