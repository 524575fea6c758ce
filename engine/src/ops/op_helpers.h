// Shared shape/dtype/output plumbing for op front-ends (not kernels).
#pragma once

#include <initializer_list>
#include <string>

#include "../autograd/record.h"
#include "ft/ops.h"

namespace ft::ops {

// Strides (elements) of `t` viewed as broadcast to `shape` (0 on broadcast dims).
DimVector expanded_strides(const Tensor& t, IntArrayRef shape);

// NOTE [ Output strides ]
// A new pointwise output takes the memory order of its inputs, as PyTorch's
// TensorIterator does: dims are sorted fastest-first by the inputs' strides
// (first input decides, later inputs break ties, broadcast dims ignored), and
// the output is contiguous in that order. Contiguous inputs => contiguous output;
// a transposed input => a transposed output.
Tensor empty_pointwise_output(IntArrayRef shape, DType dtype, std::initializer_list<const Tensor*> inputs);

// PyTorch's canCast: no float->integral, no non-bool->bool.
bool can_cast(DType from, DType to);

// out= plumbing: checks that `result`'s dtype casts to out's, resizes out when
// its shape differs (keeping a same-shape out's strides), copies, bumps the version.
Tensor& write_out(Tensor& out, const Tensor& result);

// In-place plumbing: checks castability, that the broadcast shape equals the
// destination's, and that the destination has no internal overlap; copies
// `result` into self and bumps the version.
Tensor& write_inplace(Tensor& self, const Tensor& result);

// Before an in-place write to self whose other inputs are `others`: raises
// PyTorch's errors for tracked writes to leaves that require grad and to
// restricted views (autograd::check_inplace).
void check_inplace_autograd(const Tensor& self, std::initializer_list<const Tensor*> others = {});

// True when the tensor's elements exactly tile a block of memory in some
// order (no gaps, no aliasing): a permutation of a contiguous layout.
bool is_non_overlapping_and_dense(const Tensor& t);

// Raises PyTorch's partial-overlap error when an input shares some but not all
// of the written-to tensor's memory (ATen's assert_no_partial_overlap:
// layouts it cannot judge, e.g. non-dense ones, pass).
void check_no_partial_overlap(const Tensor& self, const Tensor& input);

// Raises PyTorch's internal-overlap error when self has a stride-0 dim of size > 1.
void check_no_internal_overlap(const Tensor& self);

// NOTE [ In-place and out= plumbing ]
// Every op family computes its functional result once. The in-place form
// writes that result into self (castability, shape and overlap checks,
// version bump) and rebases self's autograd history onto the result's node;
// when autograd is tracking, self is cloned first so formulas that save self
// see the value from before the write. out= forms refuse inputs that require
// grad (as PyTorch does), then cast/resize into out.
template <typename F>
Tensor& inplace(Tensor& self, std::initializer_list<const Tensor*> others, F functional) {
  check_inplace_autograd(self, others);
  for (const Tensor* o : others) check_no_partial_overlap(self, *o);
  bool track = autograd::is_grad_enabled() && (self.requires_grad() || autograd::any_requires_grad(others));
  Tensor src = track ? ft::clone(self) : self;
  Tensor r = functional(src);
  write_inplace(self, r);
  if (track) autograd::rebase_history(self, r);
  return self;
}

// Raises PyTorch's "functions with out=... arguments don't support automatic
// differentiation" error when grad mode is on and an input requires grad.
void check_out_autograd(const char* name, std::initializer_list<const Tensor*> ins);

// out= of a functional result computed without autograd, for ATen's
// structured kernels (indexing, bmm/mv-like products), which want out's
// dtype to equal the result's exactly. `type_name` spells dtypes as that
// family's ATen message does ("Float", or TypeMeta's "float").
template <typename F>
Tensor& structured_out(const char* name, Tensor& out, std::initializer_list<const Tensor*> ins, F compute,
                       const char* (*type_name)(DType) = dtype_torch_name) {
  check_out_autograd(name, ins);
  Tensor r;
  {
    autograd::NoGradGuard ng;
    r = compute();
  }
  FT_CHECK(out.dtype() == r.dtype(), "Expected out tensor to have dtype ", type_name(r.dtype()), ", but got ",
           type_name(out.dtype()), " instead");
  return write_out(out, r);
}

// Legacy tensor type names ("torch.FloatTensor"), which some ATen messages print.
inline std::string legacy_type_name(DType t) { return std::string("torch.") + dtype_torch_name(t) + "Tensor"; }

// Converts t to dtype (no copy when it already has it).
inline Tensor cast_if_needed(const Tensor& t, DType dt) { return t.dtype() == dt ? t : t.to(dt); }

// dims -> bitmask of reduced dims for a tensor of rank ndim (wraps, checks
// range and duplicates). Empty dims => all dims.
uint64_t reduce_dim_mask(IntArrayRef dims, int64_t ndim, const char* op);
// Output shape of a reduction.
DimVector reduced_shape(IntArrayRef in, uint64_t mask, bool keepdim);

// c10::checked_convert's rule for a Scalar converted to dt's C++ type (a fill
// value, alpha, beta): raises "value cannot be converted to type uint8_t
// without overflow" where libtorch does. Negative integers may wrap into an
// unsigned type down to -max; NaN and inf fit only floating types.
void check_scalar_fits(const Scalar& s, DType dt);
// s as T, checked as above: c10's Scalar::to<T>() (the 16-bit floats convert
// from double through float, as c10's do).
template <typename T>
T checked_scalar_to(const Scalar& s) {
  check_scalar_fits(s, dtype_of<T>::value);
  return s.to<T>();
}

}  // namespace ft::ops
