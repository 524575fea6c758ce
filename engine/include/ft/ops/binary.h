// Functional API of the binary op family (included by ft/ops.h): comparisons,
// logical and bitwise ops, maximum/minimum, division with rounding, remainder,
// pow and friends, lerp/addcmul/addcdiv, where/masked_fill, isclose/equal.
// Names and argument orders mirror ATen (NOTE [ One call for both sides ]).
#pragma once

#include <optional>
#include <string_view>

namespace ft {

// ---- comparisons (result bool; operands promoted first) -----------------------
#define FT_BINARY_CMP_DECL(fn)                                           \
  Tensor fn(const Tensor& self, const Tensor& other);                   \
  Tensor fn(const Tensor& self, const Scalar& other);                   \
  Tensor& fn##_out(Tensor& out, const Tensor& self, const Tensor& other); \
  Tensor& fn##_out(Tensor& out, const Tensor& self, const Scalar& other);
FT_BINARY_CMP_DECL(eq)
FT_BINARY_CMP_DECL(ne)
FT_BINARY_CMP_DECL(lt)
FT_BINARY_CMP_DECL(le)
FT_BINARY_CMP_DECL(gt)
FT_BINARY_CMP_DECL(ge)
// ---- bitwise (integral and bool only) ------------------------------------------
FT_BINARY_CMP_DECL(bitwise_and)
FT_BINARY_CMP_DECL(bitwise_or)
FT_BINARY_CMP_DECL(bitwise_xor)
FT_BINARY_CMP_DECL(bitwise_left_shift)
FT_BINARY_CMP_DECL(bitwise_right_shift)
// ---- division and modulo --------------------------------------------------------
FT_BINARY_CMP_DECL(floor_divide)
FT_BINARY_CMP_DECL(remainder)
FT_BINARY_CMP_DECL(fmod)
FT_BINARY_CMP_DECL(copysign)
FT_BINARY_CMP_DECL(xlogy)
#undef FT_BINARY_CMP_DECL
Tensor bitwise_not(const Tensor& self);
Tensor& bitwise_not_out(Tensor& out, const Tensor& self);
Tensor remainder(const Scalar& self, const Tensor& other);
Tensor xlogy(const Scalar& self, const Tensor& other);

// ---- logical (any dtype; result bool) ------------------------------------------------
Tensor logical_and(const Tensor& self, const Tensor& other);
Tensor& logical_and_out(Tensor& out, const Tensor& self, const Tensor& other);
Tensor logical_or(const Tensor& self, const Tensor& other);
Tensor& logical_or_out(Tensor& out, const Tensor& self, const Tensor& other);
Tensor logical_xor(const Tensor& self, const Tensor& other);
Tensor& logical_xor_out(Tensor& out, const Tensor& self, const Tensor& other);
Tensor logical_not(const Tensor& self);
Tensor& logical_not_out(Tensor& out, const Tensor& self);

// ---- extrema ---------------------------------------------------------------------------
Tensor maximum(const Tensor& self, const Tensor& other);
Tensor& maximum_out(Tensor& out, const Tensor& self, const Tensor& other);
Tensor minimum(const Tensor& self, const Tensor& other);
Tensor& minimum_out(Tensor& out, const Tensor& self, const Tensor& other);
Tensor fmax(const Tensor& self, const Tensor& other);
Tensor& fmax_out(Tensor& out, const Tensor& self, const Tensor& other);
Tensor fmin(const Tensor& self, const Tensor& other);
Tensor& fmin_out(Tensor& out, const Tensor& self, const Tensor& other);

// ---- division with rounding_mode: nullopt (true division), "trunc" or "floor" ---------
Tensor div(const Tensor& self, const Tensor& other, std::optional<std::string_view> rounding_mode);
Tensor div(const Tensor& self, const Scalar& other, std::optional<std::string_view> rounding_mode);
Tensor& div_out(Tensor& out, const Tensor& self, const Tensor& other, std::optional<std::string_view> rounding_mode);

// ---- pow and other float binaries ------------------------------------------------------
Tensor pow(const Tensor& self, const Tensor& exponent);
Tensor pow(const Tensor& self, const Scalar& exponent);
Tensor pow(const Scalar& self, const Tensor& exponent);
Tensor& pow_out(Tensor& out, const Tensor& self, const Tensor& exponent);
Tensor& pow_out(Tensor& out, const Tensor& self, const Scalar& exponent);
Tensor& pow_out(Tensor& out, const Scalar& self, const Tensor& exponent);
Tensor atan2(const Tensor& self, const Tensor& other);
Tensor& atan2_out(Tensor& out, const Tensor& self, const Tensor& other);
Tensor hypot(const Tensor& self, const Tensor& other);
Tensor& hypot_out(Tensor& out, const Tensor& self, const Tensor& other);

// ---- ternary ---------------------------------------------------------------------------
Tensor lerp(const Tensor& self, const Tensor& end, const Scalar& weight);
Tensor lerp(const Tensor& self, const Tensor& end, const Tensor& weight);
Tensor& lerp_out(Tensor& out, const Tensor& self, const Tensor& end, const Scalar& weight);
Tensor& lerp_out(Tensor& out, const Tensor& self, const Tensor& end, const Tensor& weight);
Tensor addcmul(const Tensor& self, const Tensor& tensor1, const Tensor& tensor2, const Scalar& value = 1);
Tensor& addcmul_out(Tensor& out, const Tensor& self, const Tensor& tensor1, const Tensor& tensor2,
                    const Scalar& value = 1);
Tensor addcdiv(const Tensor& self, const Tensor& tensor1, const Tensor& tensor2, const Scalar& value = 1);
Tensor& addcdiv_out(Tensor& out, const Tensor& self, const Tensor& tensor1, const Tensor& tensor2,
                    const Scalar& value = 1);
Tensor where(const Tensor& condition, const Tensor& self, const Tensor& other);
Tensor where(const Tensor& condition, const Tensor& self, const Scalar& other);
Tensor where(const Tensor& condition, const Scalar& self, const Tensor& other);
Tensor& where_out(Tensor& out, const Tensor& condition, const Tensor& self, const Tensor& other);
Tensor masked_fill(const Tensor& self, const Tensor& mask, const Scalar& value);

// ---- closeness -------------------------------------------------------------------------
Tensor isclose(const Tensor& self, const Tensor& other, double rtol = 1e-05, double atol = 1e-08,
               bool equal_nan = false);
bool allclose(const Tensor& self, const Tensor& other, double rtol = 1e-05, double atol = 1e-08,
              bool equal_nan = false);
bool equal(const Tensor& self, const Tensor& other);

}  // namespace ft
