// The creation family's ATen-schema factories (ft/ops/creation.h): empty,
// zeros, ones, full and their _like and out= forms, eye, tril/triu_indices.
// The ranges (arange, linspace, logspace) are in creation_range.cpp.
#include "creation_internal.h"

namespace ft {

namespace creation_detail {

void check_options(OptLayoutArg layout, OptDeviceArg device, OptPinArg pin_memory, OptMemFormatArg memory_format) {
  FT_CHECK(!layout.has_value(), "layout=: only the strided layout exists in this engine; pass None");
  FT_CHECK(!device.has_value(), "device=: only the CPU device exists in this engine; pass None");
  FT_CHECK(!pin_memory.value_or(false), "pin_memory=True needs a CUDA device; pass None or False");
  FT_CHECK(!memory_format.has_value(), "memory_format=: only None (preserve / contiguous) is supported");
}

// out= of a factory: out takes `result`'s shape (resized when it differs)
// and values, in out's own dtype (the result was made in it).
Tensor& factory_out(Tensor& out, const Tensor& result) {
  FT_CHECK(!out.requires_grad() || !autograd::is_grad_enabled(),
           "functions with out=... arguments don't support automatic differentiation, but one of the arguments "
           "requires grad.");
  return ops::write_out(out, result);
}

}  // namespace creation_detail

using creation_detail::check_options;  // (names unique to this family: safe in a unity batch)
using creation_detail::factory_out;

Tensor empty(IntArrayRef size, OptDTypeArg dtype, OptLayoutArg layout, OptDeviceArg device, OptPinArg pin_memory,
             OptMemFormatArg memory_format) {
  check_options(layout, device, pin_memory, memory_format);
  return empty(size, dtype.value_or(DType::Float32));
}

Tensor zeros(IntArrayRef size, OptDTypeArg dtype, OptLayoutArg layout, OptDeviceArg device, OptPinArg pin_memory) {
  check_options(layout, device, pin_memory, std::nullopt);
  return zeros(size, dtype.value_or(DType::Float32));
}

Tensor ones(IntArrayRef size, OptDTypeArg dtype, OptLayoutArg layout, OptDeviceArg device, OptPinArg pin_memory) {
  check_options(layout, device, pin_memory, std::nullopt);
  return ones(size, dtype.value_or(DType::Float32));
}

// full without dtype= infers it from the fill value (PyTorch >= 1.8).
Tensor full(IntArrayRef size, const Scalar& fill_value, OptDTypeArg dtype, OptLayoutArg layout, OptDeviceArg device,
            OptPinArg pin_memory) {
  check_options(layout, device, pin_memory, std::nullopt);
  DType inferred = fill_value.is_bool() ? DType::Bool : fill_value.is_integral() ? DType::Int64 : DType::Float32;
  return full(size, fill_value, dtype.value_or(inferred));
}

Tensor& zeros_out(Tensor& out, IntArrayRef size) { return factory_out(out, zeros(size, out.dtype())); }
Tensor& ones_out(Tensor& out, IntArrayRef size) { return factory_out(out, ones(size, out.dtype())); }
Tensor& full_out(Tensor& out, IntArrayRef size, const Scalar& fill_value) {
  return factory_out(out, full(size, fill_value, out.dtype()));
}

// ---- _like: memory_format=preserve keeps a dense source's strides (ATen's
// empty_like), else the result is contiguous.
namespace {
Tensor empty_preserving(const Tensor& self, DType dt) {
  return ops::is_non_overlapping_and_dense(self) ? empty_strided(self.sizes(), self.strides(), dt)
                                                 : empty(self.sizes(), dt);
}
}  // namespace

Tensor empty_like(const Tensor& self, OptDTypeArg dtype, OptLayoutArg layout, OptDeviceArg device,
                  OptPinArg pin_memory, OptMemFormatArg memory_format) {
  check_options(layout, device, pin_memory, memory_format);
  return empty_preserving(self, dtype.value_or(self.dtype()));
}

Tensor full_like(const Tensor& self, const Scalar& fill_value, OptDTypeArg dtype, OptLayoutArg layout,
                 OptDeviceArg device, OptPinArg pin_memory, OptMemFormatArg memory_format) {
  Tensor t = empty_like(self, dtype, layout, device, pin_memory, memory_format);
  t.fill_(fill_value);
  t.impl()->set_version_counter(nullptr);  // a fresh tensor starts at version 0
  return t;
}

Tensor zeros_like(const Tensor& self, OptDTypeArg dtype, OptLayoutArg layout, OptDeviceArg device,
                  OptPinArg pin_memory, OptMemFormatArg memory_format) {
  return full_like(self, 0, dtype, layout, device, pin_memory, memory_format);
}

Tensor ones_like(const Tensor& self, OptDTypeArg dtype, OptLayoutArg layout, OptDeviceArg device,
                 OptPinArg pin_memory, OptMemFormatArg memory_format) {
  return full_like(self, 1, dtype, layout, device, pin_memory, memory_format);
}

// ---- eye: ones on the main diagonal of an (n, m) matrix.
namespace {
void fill_eye(Tensor& t) {
  // libtorch 1.13's eye kernel takes every dtype but BFloat16 (Half included)
  FT_CHECK_KIND(::ft::ErrorKind::NotImplemented, t.dtype() != DType::BFloat16, "\"eye\" not implemented for '",
                dtype_torch_name(t.dtype()), "'");
  autograd::NoGradGuard ng;
  t.zero_();
  const int64_t k = std::min(t.size(0), t.size(1));
  if (k > 0) t.as_strided({k}, {t.stride(0) + t.stride(1)}, t.storage_offset()).fill_(1);
}
}  // namespace

Tensor eye(int64_t n, OptDTypeArg dtype, OptLayoutArg layout, OptDeviceArg device, OptPinArg pin_memory) {
  return eye(n, n, dtype, layout, device, pin_memory);
}

Tensor eye(int64_t n, int64_t m, OptDTypeArg dtype, OptLayoutArg layout, OptDeviceArg device, OptPinArg pin_memory) {
  check_options(layout, device, pin_memory, std::nullopt);
  FT_CHECK(n >= 0, "n must be greater or equal to 0, got ", n);
  FT_CHECK(m >= 0, "m must be greater or equal to 0, got ", m);
  Tensor t = empty({n, m}, dtype.value_or(DType::Float32));
  fill_eye(t);
  t.impl()->set_version_counter(nullptr);
  return t;
}

Tensor& eye_out(Tensor& out, int64_t n) { return eye_out(out, n, n); }

Tensor& eye_out(Tensor& out, int64_t n, int64_t m) {
  FT_CHECK(n >= 0, "n must be greater or equal to 0, got ", n);
  FT_CHECK(m >= 0, "m must be greater or equal to 0, got ", m);
  Tensor t = empty({n, m}, out.dtype());
  fill_eye(t);
  return factory_out(out, t);
}

// ---- tril/triu_indices: the (row, col) pairs of the triangle, row-major,
// as a (2, count) tensor of int64 (or int32).
namespace {
Tensor triangle_indices(const char* name, int64_t row, int64_t col, int64_t offset, OptDTypeArg dtype, bool lower) {
  const DType dt = dtype.value_or(DType::Int64);
  FT_CHECK_KIND(::ft::ErrorKind::NotImplemented, dt == DType::Int64 || dt == DType::Int32, "\"", name, "\" not implemented for '",
                dtype_torch_name(dt), "'");
  FT_CHECK(row >= 0, "row must be non-negative, got", row);
  FT_CHECK(col >= 0, "col must be non-negative, got", col);
  std::vector<int64_t> rs, cs;
  for (int64_t i = 0; i < row; ++i)
    for (int64_t j = 0; j < col; ++j)
      if (lower ? j - i <= offset : j - i >= offset) {
        rs.push_back(i);
        cs.push_back(j);
      }
  const int64_t count = int64_t(rs.size());
  Tensor t = empty({2, count}, dt);
  FT_DISPATCH_ALL(dt, name, [&] {
    scalar_t* p = t.data_ptr<scalar_t>();  // (2, count)
    for (int64_t k = 0; k < count; ++k) {
      p[k] = scalar_t(rs[size_t(k)]);
      p[count + k] = scalar_t(cs[size_t(k)]);
    }
  });
  return t;
}
}  // namespace

Tensor tril_indices(int64_t row, int64_t col, int64_t offset, OptDTypeArg dtype, OptLayoutArg layout,
                    OptDeviceArg device, OptPinArg pin_memory) {
  check_options(layout, device, pin_memory, std::nullopt);
  return triangle_indices("tril_indices", row, col, offset, dtype, true);
}

Tensor triu_indices(int64_t row, int64_t col, int64_t offset, OptDTypeArg dtype, OptLayoutArg layout,
                    OptDeviceArg device, OptPinArg pin_memory) {
  check_options(layout, device, pin_memory, std::nullopt);
  return triangle_indices("triu_indices", row, col, offset, dtype, false);
}

}  // namespace ft
