// Shape/dtype/output plumbing shared by the op front-ends.
#include "op_helpers.h"

#include <algorithm>
#include <cmath>

#include "ft/autograd.h"

namespace ft::ops {

DimVector expanded_strides(const Tensor& t, IntArrayRef shape) {
  DimVector st(shape.size(), 0);
  int64_t off = int64_t(shape.size()) - t.dim();
  for (int64_t d = 0; d < t.dim(); ++d)
    st[size_t(d + off)] = t.sizes()[size_t(d)] == 1 ? 0 : t.strides()[size_t(d)];
  return st;
}

Tensor empty_pointwise_output(IntArrayRef shape, DType dtype, std::initializer_list<const Tensor*> inputs) {
  const size_t nd = shape.size();
  bool all_contig = true;
  for (const Tensor* t : inputs)
    if (t->dim() > 0 && !(t->is_contiguous() && t->sizes().equals(shape))) all_contig = false;
  if (all_contig || nd <= 1) return empty(shape, dtype);

  // TensorIterator's strides for ordering: 0 only where an input broadcasts
  // (missing, or size 1 against a larger dim). A size-1 dim of a size-1
  // result keeps its stride, and that stride orders it against the others
  // (kron's views of a transposed input depend on it).
  DimVector st_in[4];
  size_t ni = 0;
  for (const Tensor* t : inputs) {
    if (ni == 4) break;
    DimVector& st = st_in[ni++];
    st.resize(nd, 0);
    const size_t off = nd - size_t(t->dim());
    for (size_t d = 0; d < size_t(t->dim()); ++d)
      st[d + off] = (t->sizes()[d] == 1 && shape[d + off] != 1) ? 0 : t->strides()[d];
  }
  // perm[0] is the fastest-moving dim. Start from row-major and insertion-sort.
  DimVector perm(nd);
  for (size_t i = 0; i < nd; ++i) perm[i] = int64_t(nd - 1 - i);
  auto should_swap = [&](int64_t d0, int64_t d1) {
    for (size_t k = 0; k < ni; ++k) {
      int64_t s0 = st_in[k][size_t(d0)], s1 = st_in[k][size_t(d1)];
      if (s0 == 0 || s1 == 0) continue;
      if (s0 < s1) return -1;
      if (s0 > s1) return 1;
      if (shape[size_t(d0)] > shape[size_t(d1)]) return 1;
    }
    return 0;
  };
  for (size_t i = 1; i < nd; ++i) {
    size_t d1 = i;
    for (size_t d0 = i; d0-- > 0;) {
      int c = should_swap(perm[d0], perm[d1]);
      if (c > 0) {
        std::swap(perm[d0], perm[d1]);
        d1 = d0;
      } else if (c < 0) {
        break;
      }
    }
  }
  DimVector strides(nd);
  int64_t acc = 1;
  for (size_t i = 0; i < nd; ++i) {
    strides[size_t(perm[i])] = acc;
    acc *= std::max<int64_t>(shape[size_t(perm[i])], 1);
  }
  return empty_strided(shape, strides, dtype);
}

bool can_cast(DType from, DType to) {
  if (is_floating(from) && is_integral(to, false)) return false;
  if (from != DType::Bool && to == DType::Bool) return false;
  return true;
}

Tensor& write_out(Tensor& out, const Tensor& result) {
  FT_CHECK(out.defined(), "out= tensor is undefined");
  FT_CHECK(can_cast(result.dtype(), out.dtype()), "result type ", dtype_torch_name(result.dtype()),
           " can't be cast to the desired output type ", dtype_torch_name(out.dtype()));
  if (!out.sizes().equals(result.sizes())) {
    // PyTorch resizes (with a deprecation warning when out had elements).
    int64_t need = checked_numel(result.sizes()) * out.element_size();
    const auto& st = out.impl()->storage();
    if (size_t(need + out.storage_offset() * out.element_size()) > st->nbytes())
      st->reset(size_t(need + out.storage_offset() * out.element_size()));
    // The new geometry is the one a fresh result would have (pointwise outputs
    // follow their inputs' memory order, see NOTE [ Output strides ]).
    out.impl()->set_geometry(result.sizes(), result.strides(), out.storage_offset());
  }
  autograd::NoGradGuard ng;
  out.copy_(result);
  return out;
}

void check_out_autograd(const char* name, std::initializer_list<const Tensor*> ins) {
  FT_CHECK(!autograd::any_requires_grad(ins), name,
           "(): functions with out=... arguments don't support automatic differentiation, but one of the "
           "arguments requires grad.");
}

void check_no_internal_overlap(const Tensor& self) {
  for (int64_t d = 0; d < self.dim(); ++d)
    FT_CHECK(!(self.strides()[size_t(d)] == 0 && self.sizes()[size_t(d)] > 1),
             "unsupported operation: more than one element of the written-to tensor refers to a single "
             "memory location. Please clone() the tensor before performing the operation.");
}

void check_inplace_autograd(const Tensor& self, std::initializer_list<const Tensor*> others) {
  FT_CHECK(!(self.impl()->is_inference() && !autograd::is_inference_mode_enabled()),
           "Inplace update to inference tensor outside InferenceMode is not allowed.You can make a clone to get a "
           "normal tensor before doing inplace update.See https://github.com/pytorch/rfcs/pull/17 for more details.");
  if (!autograd::is_grad_enabled()) return;
  autograd::check_inplace(self, self.requires_grad() || autograd::any_requires_grad(others));
}

bool is_non_overlapping_and_dense(const Tensor& t) {
  if (t.is_contiguous()) return true;
  // Sort dims by stride; dense when each stride equals the product of the smaller dims' sizes.
  DimVector perm(static_cast<size_t>(t.dim()));
  for (int64_t i = 0; i < t.dim(); ++i) perm[size_t(i)] = i;
  std::sort(perm.begin(), perm.end(), [&](int64_t a, int64_t b) {
    return t.strides()[size_t(a)] < t.strides()[size_t(b)];
  });
  int64_t expected = 1;
  for (int64_t p : perm) {
    int64_t s = t.sizes()[size_t(p)];
    if (s == 1) continue;
    if (t.strides()[size_t(p)] != expected) return false;
    expected *= s;
  }
  return true;
}

void check_no_partial_overlap(const Tensor& self, const Tensor& input) {
  if (!input.defined() || self.is_same(input) || self.numel() == 0 || input.numel() == 0) return;
  if (self.impl()->storage() != input.impl()->storage()) return;
  if (!is_non_overlapping_and_dense(self) || !is_non_overlapping_and_dense(input)) return;
  const char* a0 = static_cast<const char*>(self.data_ptr());
  const char* a1 = a0 + self.numel() * self.element_size();
  const char* b0 = static_cast<const char*>(input.data_ptr());
  const char* b1 = b0 + input.numel() * input.element_size();
  bool partial = (a0 == b0 && a1 == b1) ? !self.strides().equals(input.strides()) : (a0 < b1 && b0 < a1);
  FT_CHECK(!partial, "unsupported operation: some elements of the input tensor and the written-to tensor refer to a "
           "single memory location. Please clone() the tensor before performing the operation.");
}

Tensor& write_inplace(Tensor& self, const Tensor& result) {
  FT_CHECK(result.sizes().equals(self.sizes()), "output with shape ", shape_str(self.sizes()),
           " doesn't match the broadcast shape ", shape_str(result.sizes()));
  FT_CHECK(can_cast(result.dtype(), self.dtype()), "result type ", dtype_torch_name(result.dtype()),
           " can't be cast to the desired output type ", dtype_torch_name(self.dtype()));
  autograd::NoGradGuard ng;
  self.copy_(result);
  return self;
}

uint64_t reduce_dim_mask(IntArrayRef dims, int64_t ndim, const char* op) {
  FT_CHECK(ndim <= 64, op, ": only tensors with up to 64 dims are supported");
  if (dims.empty()) return ndim == 0 ? 0 : (ndim == 64 ? ~uint64_t(0) : ((uint64_t(1) << ndim) - 1));
  uint64_t mask = 0;
  for (int64_t d : dims) {
    int64_t w = maybe_wrap_dim(d, ndim);
    FT_CHECK(!(mask & (uint64_t(1) << w)), "dim ", w, " appears multiple times in the list of dims");
    mask |= uint64_t(1) << w;
  }
  // A 0-dim tensor accepts dim 0 / -1 but has nothing to reduce.
  return ndim == 0 ? 0 : mask;
}

DimVector reduced_shape(IntArrayRef in, uint64_t mask, bool keepdim) {
  DimVector out;
  for (size_t d = 0; d < in.size(); ++d) {
    if (mask & (uint64_t(1) << d)) {
      if (keepdim) out.push_back(1);
    } else {
      out.push_back(in[d]);
    }
  }
  return out;
}

namespace {
// c10's spelling of the target type in the overflow message.
const char* checked_type_name(DType dt) {
  switch (dt) {
    case DType::UInt8: return "uint8_t";
    case DType::Int8: return "int8_t";
    case DType::Int16: return "int16_t";
    case DType::Int32: return "int";
    case DType::Int64: return "int64_t";
    case DType::Float16: return "at::Half";
    case DType::BFloat16: return "at::BFloat16";
    case DType::Float32: return "float";
    case DType::Float64: return "double";
    case DType::Bool: return "bool";
  }
  return "?";
}
// Largest finite value of dt (lowest is -max, or 0 for uint8).
double max_of(DType dt) {
  switch (dt) {
    case DType::UInt8: return 255;
    case DType::Int8: return 127;
    case DType::Int16: return 32767;
    case DType::Int32: return 2147483647.0;
    case DType::Int64: return 9223372036854775807.0;
    case DType::Float16: return 65504;
    case DType::BFloat16: return 3.3895313892515355e38;
    case DType::Float32: return 3.4028234663852886e38;
    default: return INFINITY;
  }
}
}  // namespace

void check_scalar_fits(const Scalar& s, DType dt) {
  if (dt == DType::Bool || dt == DType::Float64 || s.is_bool()) return;
  bool over;
  if (s.is_integral()) {
    const int64_t v = s.to_int();
    if (dt == DType::Int64) return;
    const double mx = max_of(dt);
    // Unsigned targets let a negative integer wrap (a - b as a + 255 * b).
    const double lo = dt == DType::UInt8 ? -mx : (is_floating(dt) ? -mx : -mx - 1);
    over = double(v) > mx || double(v) < lo;
  } else {
    const double v = s.to_double();
    if (is_floating(dt)) {
      over = std::isfinite(v) && (v > max_of(dt) || v < -max_of(dt));
    } else {
      const double mx = max_of(dt), lo = dt == DType::UInt8 ? 0 : -mx - 1;
      // Integers hold no NaN or inf (compared in double, as c10 does).
      over = std::isnan(v) || v < lo || v > mx;
    }
  }
  FT_CHECK(!over, "value cannot be converted to type ", checked_type_name(dt), " without overflow");
}

}  // namespace ft::ops
