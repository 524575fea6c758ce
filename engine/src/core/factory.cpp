// Tensor creation: empty/zeros/ones/full, arange, scalars, from host data.
#include <cmath>
#include <cstring>

#include "ft/autograd.h"
#include "ft/ops.h"

namespace ft {

Tensor empty(IntArrayRef sizes, TensorOptions opts) {
  int64_t n = checked_numel(sizes);
  auto st = make_intrusive<Storage>(size_t(n * itemsize(opts.dtype)));
  Tensor t(make_intrusive<TensorImpl>(std::move(st), opts.dtype, sizes, contiguous_strides(sizes), 0));
  if (opts.requires_grad) t.requires_grad_(true);
  return t;
}

Tensor empty_strided(IntArrayRef sizes, IntArrayRef strides, TensorOptions opts) {
  FT_CHECK(sizes.size() == strides.size(), "mismatch in length of strides and shape");
  int64_t n = checked_numel(sizes);
  int64_t extent = n == 0 ? 0 : 1;
  for (size_t i = 0; i < sizes.size() && n > 0; ++i) {
    FT_CHECK(strides[i] >= 0, "empty_strided: negative strides are not supported");
    extent += (sizes[i] - 1) * strides[i];
  }
  auto st = make_intrusive<Storage>(size_t(extent * itemsize(opts.dtype)));
  Tensor t(make_intrusive<TensorImpl>(std::move(st), opts.dtype, sizes, strides, 0));
  if (opts.requires_grad) t.requires_grad_(true);
  return t;
}

// Filling a fresh tensor is initialisation, not a user-visible write: drop the
// counter fill_ bumped so factories start at version 0 (torch.full(...)._version == 0).
namespace {
void reset_version(Tensor& t) { t.impl()->set_version_counter(nullptr); }
}  // namespace

Tensor full(IntArrayRef sizes, const Scalar& value, TensorOptions opts) {
  Tensor t = empty(sizes, opts.dtype);
  t.fill_(value);
  reset_version(t);
  if (opts.requires_grad) t.requires_grad_(true);
  return t;
}
Tensor zeros(IntArrayRef sizes, TensorOptions opts) {
  Tensor t = empty(sizes, opts.dtype);
  if (t.numel() > 0) std::memset(t.data_ptr(), 0, size_t(t.numel() * t.element_size()));
  if (opts.requires_grad) t.requires_grad_(true);
  return t;
}
Tensor ones(IntArrayRef sizes, TensorOptions opts) { return full(sizes, 1, opts); }
Tensor empty_like(const Tensor& t) { return empty(t.sizes(), t.dtype()); }
Tensor zeros_like(const Tensor& t) { return zeros(t.sizes(), t.dtype()); }
Tensor ones_like(const Tensor& t) { return ones(t.sizes(), t.dtype()); }

Tensor arange(const Scalar& end, std::optional<DType> dtype) { return arange(0, end, 1, dtype); }

// The exact range kernel lives with the creation family (src/ops/creation_range.cpp).
Tensor arange(const Scalar& start, const Scalar& end, const Scalar& step, std::optional<DType> dtype) {
  return arange(start, end, step, dtype, std::nullopt, std::nullopt, std::nullopt);
}

Tensor scalar_tensor(const Scalar& v, std::optional<DType> dtype, bool wrapped) {
  DType dt = dtype ? *dtype : v.dtype();
  Tensor t = empty({}, dt);
  t.fill_(v);
  reset_version(t);
  t.impl()->set_wrapped_number(wrapped);
  return t;
}

Tensor from_vector(const std::vector<double>& values, IntArrayRef sizes, DType dtype) {
  Tensor t = empty(sizes, dtype);
  FT_CHECK(int64_t(values.size()) == t.numel(), "from_vector: got ", values.size(), " values for shape ",
           shape_str(sizes), " (", t.numel(), " elements)");
  FT_DISPATCH_EVERY(dtype, "from_vector", [&] {
    scalar_t* p = t.data_ptr<scalar_t>();
    for (size_t i = 0; i < values.size(); ++i) {
      if constexpr (std::is_same_v<scalar_t, bool>) p[i] = values[i] != 0;
      else if constexpr (std::is_integral_v<scalar_t>) p[i] = scalar_t(int64_t(values[i]));
      else p[i] = scalar_t(values[i]);
    }
  });
  return t;
}

Tensor from_blob(void* data, IntArrayRef sizes, IntArrayRef strides, DType dtype, Storage::Deleter deleter,
                 void* ctx, size_t nbytes) {
  if (nbytes == 0) {
    int64_t extent = checked_numel(sizes) == 0 ? 0 : 1;
    for (size_t i = 0; i < sizes.size(); ++i) extent += (sizes[i] - 1) * strides[i];
    nbytes = size_t(std::max<int64_t>(extent, 0) * itemsize(dtype));
  }
  auto st = make_intrusive<Storage>(data, nbytes, deleter, ctx);
  return Tensor(make_intrusive<TensorImpl>(std::move(st), dtype, sizes, strides, 0));
}

const char* version() { return "0.1.0"; }

}  // namespace ft
