// Functional API of the creation op family (included by ft/ops.h): the ATen
// schema forms of empty/zeros/ones/full (and their _like forms), arange,
// linspace, logspace, eye and tril_indices/triu_indices, with their out=
// forms. The short engine forms (ft::zeros(sizes, dtype), ft::arange(end))
// stay in ft/ops.h; these mirror ATen's argument lists so that the op table's
// one call expression serves both sides (NOTE [ One call for both sides ]).
//
// NOTE [ Factory options ]
// ATen's factories take dtype=, layout=, device= and pin_memory= (and
// memory_format= for empty and the _like forms) as separate optionals. The
// engine has one layout (strided) and one device (CPU), so those are accepted
// only as None; dtype= None means PyTorch's inference: float32 (the default
// dtype) for zeros/ones/empty/linspace/logspace/eye, the fill value's kind
// for full (bool, int64 or float32), int64 for arange unless a bound or the
// step is a float, int64 for tril/triu_indices, and the source's dtype for
// the _like forms (which keep a dense source's strides, as
// memory_format=preserve does).
#pragma once

#include <optional>

namespace ft {

using OptDTypeArg = std::optional<DType>;
using OptLayoutArg = std::optional<int64_t>;   // must be None (strided)
using OptDeviceArg = std::optional<int64_t>;   // must be None (CPU)
using OptPinArg = std::optional<bool>;         // must be None or false
using OptMemFormatArg = std::optional<int64_t>;  // must be None (preserve / contiguous)

Tensor empty(IntArrayRef size, OptDTypeArg dtype, OptLayoutArg layout, OptDeviceArg device, OptPinArg pin_memory,
             OptMemFormatArg memory_format);
Tensor zeros(IntArrayRef size, OptDTypeArg dtype, OptLayoutArg layout, OptDeviceArg device, OptPinArg pin_memory);
Tensor ones(IntArrayRef size, OptDTypeArg dtype, OptLayoutArg layout, OptDeviceArg device, OptPinArg pin_memory);
Tensor full(IntArrayRef size, const Scalar& fill_value, OptDTypeArg dtype, OptLayoutArg layout, OptDeviceArg device,
            OptPinArg pin_memory);
Tensor& zeros_out(Tensor& out, IntArrayRef size);
Tensor& ones_out(Tensor& out, IntArrayRef size);
Tensor& full_out(Tensor& out, IntArrayRef size, const Scalar& fill_value);

Tensor empty_like(const Tensor& self, OptDTypeArg dtype, OptLayoutArg layout, OptDeviceArg device,
                  OptPinArg pin_memory, OptMemFormatArg memory_format);
Tensor zeros_like(const Tensor& self, OptDTypeArg dtype, OptLayoutArg layout, OptDeviceArg device,
                  OptPinArg pin_memory, OptMemFormatArg memory_format);
Tensor ones_like(const Tensor& self, OptDTypeArg dtype, OptLayoutArg layout, OptDeviceArg device,
                 OptPinArg pin_memory, OptMemFormatArg memory_format);
Tensor full_like(const Tensor& self, const Scalar& fill_value, OptDTypeArg dtype, OptLayoutArg layout,
                 OptDeviceArg device, OptPinArg pin_memory, OptMemFormatArg memory_format);

// ---- ranges (NOTE [ Range roundings ] in src/ops/creation_range.cpp)
Tensor arange(const Scalar& end, OptDTypeArg dtype, OptLayoutArg layout, OptDeviceArg device, OptPinArg pin_memory);
Tensor arange(const Scalar& start, const Scalar& end, const Scalar& step, OptDTypeArg dtype, OptLayoutArg layout,
              OptDeviceArg device, OptPinArg pin_memory);
Tensor& arange_out(Tensor& out, const Scalar& end);
Tensor& arange_out(Tensor& out, const Scalar& start, const Scalar& end, const Scalar& step);
Tensor linspace(const Scalar& start, const Scalar& end, int64_t steps, OptDTypeArg dtype, OptLayoutArg layout,
                OptDeviceArg device, OptPinArg pin_memory);
Tensor& linspace_out(Tensor& out, const Scalar& start, const Scalar& end, int64_t steps);
Tensor logspace(const Scalar& start, const Scalar& end, int64_t steps, double base, OptDTypeArg dtype,
                OptLayoutArg layout, OptDeviceArg device, OptPinArg pin_memory);
Tensor& logspace_out(Tensor& out, const Scalar& start, const Scalar& end, int64_t steps, double base = 10.0);

// ---- eye (n x m identity) and the (2, count) indices of a triangle
Tensor eye(int64_t n, OptDTypeArg dtype, OptLayoutArg layout, OptDeviceArg device, OptPinArg pin_memory);
Tensor eye(int64_t n, int64_t m, OptDTypeArg dtype, OptLayoutArg layout, OptDeviceArg device, OptPinArg pin_memory);
Tensor& eye_out(Tensor& out, int64_t n);
Tensor& eye_out(Tensor& out, int64_t n, int64_t m);
Tensor tril_indices(int64_t row, int64_t col, int64_t offset, OptDTypeArg dtype, OptLayoutArg layout,
                    OptDeviceArg device, OptPinArg pin_memory);
Tensor triu_indices(int64_t row, int64_t col, int64_t offset, OptDTypeArg dtype, OptLayoutArg layout,
                    OptDeviceArg device, OptPinArg pin_memory);

}  // namespace ft
