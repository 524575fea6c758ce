// Autograd recording hooks called by op front-ends (implemented next to the
// backward formulas in derivatives.cpp). Each attaches a grad_fn to `out` when
// grad mode is on and an input requires grad; otherwise it costs one check.
#pragma once

#include <functional>

#include "ft/autograd.h"

namespace ft::autograd {

enum class Unary { Neg, Exp, Log, Tanh, Relu };

void record_add(const Tensor& a, const Tensor& b, const Scalar& alpha, bool is_sub, Tensor& out);
void record_mul(const Tensor& a, const Tensor& b, Tensor& out);
void record_div(const Tensor& a, const Tensor& b, Tensor& out);
// For in-place ops, `self_before` is a copy of self's old value (only needed by
// formulas that save self) and `out` is self itself after the write.
void record_unary(Unary k, const Tensor& in, Tensor& out);
// `name`: "SumBackward0" for the all-dims overload sum(x), "SumBackward1" for
// sum(x, dims) (even with an empty list), as PyTorch names them; same for mean.
void record_sum(const Tensor& in, uint64_t mask, bool keepdim, Tensor& out, const char* name);
void record_mean(const Tensor& in, uint64_t mask, bool keepdim, Tensor& out, const char* name);
void record_mm(const Tensor& a, const Tensor& b, Tensor& out);
void record_matmul(const Tensor& a, const Tensor& b, Tensor& out);
void record_to(const Tensor& in, Tensor& out);      // dtype conversion / clone
void record_copy(Tensor& self, const Tensor& src);  // copy_: self's history is rebased
void record_fill(Tensor& self, const char* name);   // fill_ / zero_: self's history is rebased

// Views: `replay` re-applies the view to a tensor shaped like `in`.
enum class ViewKind { Reshape, Permute, Expand, Strided };
void record_view(const Tensor& in, Tensor& out, ViewKind kind, DimVector dims,
                 std::function<Tensor(const Tensor&)> replay, const char* name);

// In-place plumbing (view_history.cpp): after `self` was overwritten by an op
// whose functional result carried the grad_fn `result`, make that node
// self's history; when self is a view, its base's history is rebased through
// CopySlices instead (NOTE [ CopySlices ]).
void rebase_history(Tensor& self, const Tensor& result);
void rebase_history(Tensor& self, const std::shared_ptr<Node>& fn, uint32_t output_nr, IntArrayRef result_sizes,
                    DType result_dtype);
// In-place view ops (squeeze_, unsqueeze_): self took the geometry of the view
// `result`, so it simply takes result's history (it stays a view of its base),
// with the node renamed to PyTorch's name for the in-place overload.
void set_view_history(Tensor& self, const Tensor& result, const char* node_name);
// requires_grad including a view's base (PyTorch's DifferentiableViewMeta).
bool view_aware_requires_grad(const TensorImpl* impl);

}  // namespace ft::autograd
