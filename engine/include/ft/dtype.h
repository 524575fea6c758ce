// Scalar types (dtypes), their properties, and the dtype dispatch macros.
#pragma once

#include <cstdint>
#include <string>
#include <type_traits>

#include "ft/error.h"
#include "ft/half.h"

namespace ft {

// Order matters: it is the order PyTorch uses for ScalarType numbering of
// the types we share, which keeps tables indexed by dtype readable.
enum class DType : int8_t {
  UInt8, Int8, Int16, Int32, Int64, Float16, Float32, Float64, Bool, BFloat16,
};
constexpr int kNumDTypes = 10;

inline constexpr int64_t itemsize(DType t) {
  switch (t) {
    case DType::UInt8: case DType::Int8: case DType::Bool: return 1;
    case DType::Int16: case DType::Float16: case DType::BFloat16: return 2;
    case DType::Int32: case DType::Float32: return 4;
    case DType::Int64: case DType::Float64: return 8;
  }
  return 0;
}
inline constexpr bool is_floating(DType t) {
  return t == DType::Float16 || t == DType::Float32 || t == DType::Float64 || t == DType::BFloat16;
}
inline constexpr bool is_integral(DType t, bool include_bool) {
  return t == DType::UInt8 || t == DType::Int8 || t == DType::Int16 || t == DType::Int32 ||
         t == DType::Int64 || (include_bool && t == DType::Bool);
}

// "float32"; the short name ("f32") is what the CLI accepts too.
const char* dtype_name(DType t);
const char* dtype_short_name(DType t);
// PyTorch's ScalarType spelling ("Float", "Long"), used in error messages.
const char* dtype_torch_name(DType t);
// Parses "float32"/"f32"/"float"; throws ft::Error (Value) listing valid names.
DType parse_dtype(const std::string& s);

// Promotion of two dtypes on the PyTorch lattice (promoteTypes).
DType promote_types(DType a, DType b);

template <typename T> struct dtype_of;
template <> struct dtype_of<uint8_t> { static constexpr DType value = DType::UInt8; };
template <> struct dtype_of<int8_t> { static constexpr DType value = DType::Int8; };
template <> struct dtype_of<int16_t> { static constexpr DType value = DType::Int16; };
template <> struct dtype_of<int32_t> { static constexpr DType value = DType::Int32; };
template <> struct dtype_of<int64_t> { static constexpr DType value = DType::Int64; };
template <> struct dtype_of<Half> { static constexpr DType value = DType::Float16; };
template <> struct dtype_of<float> { static constexpr DType value = DType::Float32; };
template <> struct dtype_of<double> { static constexpr DType value = DType::Float64; };
template <> struct dtype_of<bool> { static constexpr DType value = DType::Bool; };
template <> struct dtype_of<BFloat16> { static constexpr DType value = DType::BFloat16; };

}  // namespace ft

// NOTE [ Dtype dispatch ]
// FT_DISPATCH_*(dtype, name, body...) runs body with `scalar_t` bound to the
// C++ type of `dtype`; a dtype outside the set raises PyTorch's
// '"<name>" not implemented for '<Type>'' error. One switch, no tables.
#define FT_DT_CASE_(E, T, ...) \
  case ::ft::DType::E: {       \
    using scalar_t = T;        \
    __VA_ARGS__();             \
    break;                     \
  }
#define FT_DT_DEFAULT_(dt, name)                                                      \
  default:                                                                            \
    ::ft::detail::throw_error(::ft::ErrorKind::NotImplemented,                        \
                              ::ft::detail::str_cat("\"", name, "\" not implemented for '", \
                                                    ::ft::dtype_torch_name(dt), "'"))

// Case lists shared by the dispatch macros below; each macro is one switch
// over the concatenation of its lists (case order does not matter).
#define FT_DT_SWITCH_BEGIN_(dt) \
  [&] {                         \
    switch (dt) {
#define FT_DT_SWITCH_END_(dt, name) \
  FT_DT_DEFAULT_(dt, name);         \
  }                                 \
  }()
#define FT_DT_FLOAT_CASES_(...)                \
  FT_DT_CASE_(Float32, float, __VA_ARGS__)     \
  FT_DT_CASE_(Float64, double, __VA_ARGS__)
#define FT_DT_INT_CASES_(...)                  \
  FT_DT_CASE_(Int64, int64_t, __VA_ARGS__)     \
  FT_DT_CASE_(Int32, int32_t, __VA_ARGS__)     \
  FT_DT_CASE_(Int16, int16_t, __VA_ARGS__)     \
  FT_DT_CASE_(Int8, int8_t, __VA_ARGS__)       \
  FT_DT_CASE_(UInt8, uint8_t, __VA_ARGS__)
#define FT_DT_BOOL_CASE_(...) FT_DT_CASE_(Bool, bool, __VA_ARGS__)
#define FT_DT_BF16_CASE_(...) FT_DT_CASE_(BFloat16, ::ft::BFloat16, __VA_ARGS__)
#define FT_DT_HALF_CASE_(...) FT_DT_CASE_(Float16, ::ft::Half, __VA_ARGS__)

#define FT_DISPATCH_FLOATING(dt, name, ...) \
  FT_DT_SWITCH_BEGIN_(dt) FT_DT_FLOAT_CASES_(__VA_ARGS__) FT_DT_SWITCH_END_(dt, name)
#define FT_DISPATCH_ALL(dt, name, ...)                                               \
  FT_DT_SWITCH_BEGIN_(dt) FT_DT_FLOAT_CASES_(__VA_ARGS__) FT_DT_INT_CASES_(__VA_ARGS__) \
  FT_DT_SWITCH_END_(dt, name)
#define FT_DISPATCH_ALL_AND_BOOL(dt, name, ...)                                      \
  FT_DT_SWITCH_BEGIN_(dt) FT_DT_FLOAT_CASES_(__VA_ARGS__) FT_DT_INT_CASES_(__VA_ARGS__) \
  FT_DT_BOOL_CASE_(__VA_ARGS__) FT_DT_SWITCH_END_(dt, name)
// Every dtype, the 16-bit floats included (copies and conversions). The
// switch is exhaustive, so its default is never taken.
#define FT_DISPATCH_EVERY(dt, name, ...)                                             \
  FT_DT_SWITCH_BEGIN_(dt) FT_DT_FLOAT_CASES_(__VA_ARGS__) FT_DT_INT_CASES_(__VA_ARGS__) \
  FT_DT_BOOL_CASE_(__VA_ARGS__) FT_DT_HALF_CASE_(__VA_ARGS__) FT_DT_BF16_CASE_(__VA_ARGS__) \
  FT_DT_SWITCH_END_(dt, name)

// NOTE [ Half and BFloat16 kernels ]
// libtorch 1.13's CPU kernels for the 16-bit floats load each element,
// compute in float ("opmath") and round once when storing; reductions
// accumulate in float ("acc_type"). The engine does the same: kernels bind
// `using O = ft::opmath_t<scalar_t>` for their arithmetic and keep
// intermediates and accumulators in O; only the store converts back.
// Which kernels accept which 16-bit type differs per kernel in 1.13 (many
// unary math kernels take BFloat16 but not Half on CPU), hence the sets
// below; a type outside the set raises the same error as libtorch.
namespace ft {
template <typename T> struct opmath_type { using type = T; };
template <> struct opmath_type<Half> { using type = float; };
template <> struct opmath_type<BFloat16> { using type = float; };
template <typename T> using opmath_t = typename opmath_type<T>::type;
// Accumulation type of reductions (float for the 16-bit floats).
template <typename T> using acc_t = opmath_t<T>;
// float, double, Half, BFloat16: the types whose arithmetic is floating.
template <typename T>
inline constexpr bool is_float_v = std::is_floating_point_v<T> || std::is_same_v<T, Half> ||
                                   std::is_same_v<T, BFloat16>;
template <typename T>
inline constexpr bool is_reduced_float_v = std::is_same_v<T, Half> || std::is_same_v<T, BFloat16>;
}  // namespace ft

#define FT_DISPATCH_FLOATING_AND_BF16(dt, name, ...) \
  FT_DT_SWITCH_BEGIN_(dt) FT_DT_FLOAT_CASES_(__VA_ARGS__) FT_DT_BF16_CASE_(__VA_ARGS__) FT_DT_SWITCH_END_(dt, name)
#define FT_DISPATCH_FLOATING_AND2(dt, name, ...)                                       \
  FT_DT_SWITCH_BEGIN_(dt) FT_DT_FLOAT_CASES_(__VA_ARGS__) FT_DT_BF16_CASE_(__VA_ARGS__) \
  FT_DT_HALF_CASE_(__VA_ARGS__) FT_DT_SWITCH_END_(dt, name)
// All standard types plus BFloat16 (Half raises).
#define FT_DISPATCH_ALL_AND_BF16(dt, name, ...)                                      \
  FT_DT_SWITCH_BEGIN_(dt) FT_DT_FLOAT_CASES_(__VA_ARGS__) FT_DT_INT_CASES_(__VA_ARGS__) \
  FT_DT_BF16_CASE_(__VA_ARGS__) FT_DT_SWITCH_END_(dt, name)
// All standard types plus Half and BFloat16 (Bool raises).
#define FT_DISPATCH_ALL_AND2(dt, name, ...)                                          \
  FT_DT_SWITCH_BEGIN_(dt) FT_DT_FLOAT_CASES_(__VA_ARGS__) FT_DT_INT_CASES_(__VA_ARGS__) \
  FT_DT_BF16_CASE_(__VA_ARGS__) FT_DT_HALF_CASE_(__VA_ARGS__) FT_DT_SWITCH_END_(dt, name)
// All standard types, Bool and BFloat16 (Half raises).
#define FT_DISPATCH_ALL_AND_BOOL_BF16(dt, name, ...)                                 \
  FT_DT_SWITCH_BEGIN_(dt) FT_DT_FLOAT_CASES_(__VA_ARGS__) FT_DT_INT_CASES_(__VA_ARGS__) \
  FT_DT_BOOL_CASE_(__VA_ARGS__) FT_DT_BF16_CASE_(__VA_ARGS__) FT_DT_SWITCH_END_(dt, name)
