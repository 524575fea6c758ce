// Functional API of the unary op family (included by ft/ops.h). Names,
// argument orders and defaults follow ATen 1.13 (at::sin, at::sin_out(out, x),
// at::sin_(x), at::gelu(x, approximate), ...); see NOTE [ One call for both
// sides ] in ft/ops.def.
#pragma once

#include <optional>
#include <string_view>

namespace ft {

// Float-valued math: integer and bool inputs compute in float32.
#define FT_UNARY_DECL(fn)                        \
  Tensor fn(const Tensor& x);                    \
  Tensor& fn##_out(Tensor& out, const Tensor& x); \
  Tensor& fn##_(Tensor& self);
FT_UNARY_DECL(exp2)
FT_UNARY_DECL(expm1)
FT_UNARY_DECL(log2)
FT_UNARY_DECL(log10)
FT_UNARY_DECL(log1p)
FT_UNARY_DECL(sqrt)
FT_UNARY_DECL(rsqrt)
FT_UNARY_DECL(reciprocal)
FT_UNARY_DECL(sin)
FT_UNARY_DECL(cos)
FT_UNARY_DECL(tan)
FT_UNARY_DECL(asin)
FT_UNARY_DECL(acos)
FT_UNARY_DECL(atan)
FT_UNARY_DECL(sinh)
FT_UNARY_DECL(cosh)
FT_UNARY_DECL(asinh)
FT_UNARY_DECL(acosh)
FT_UNARY_DECL(atanh)
FT_UNARY_DECL(sigmoid)
FT_UNARY_DECL(erf)
FT_UNARY_DECL(erfc)
FT_UNARY_DECL(erfinv)
FT_UNARY_DECL(lgamma)
FT_UNARY_DECL(digamma)
// Dtype-preserving (abs, floor, ... of integers stay integers; frac is float-only).
FT_UNARY_DECL(abs)
FT_UNARY_DECL(sign)
FT_UNARY_DECL(sgn)
FT_UNARY_DECL(floor)
FT_UNARY_DECL(ceil)
FT_UNARY_DECL(round)
FT_UNARY_DECL(trunc)
FT_UNARY_DECL(frac)
// Activations (at:: functions, no Tensor methods).
FT_UNARY_DECL(silu)
FT_UNARY_DECL(mish)
FT_UNARY_DECL(hardsigmoid)
FT_UNARY_DECL(hardswish)
#undef FT_UNARY_DECL

// logit(x, eps) = log(z / (1 - z)), z = clamp(x, eps, 1 - eps) when eps >= 0.
Tensor logit(const Tensor& x, std::optional<double> eps = std::nullopt);
Tensor& logit_out(Tensor& out, const Tensor& x, std::optional<double> eps = std::nullopt);
Tensor& logit_(Tensor& self, std::optional<double> eps = std::nullopt);

// round to `decimals` decimal places (half to even); float-only.
Tensor round(const Tensor& x, int64_t decimals);
Tensor& round_out(Tensor& out, const Tensor& x, int64_t decimals);
Tensor& round_(Tensor& self, int64_t decimals);

// NaN -> nan (0), +inf -> posinf (max), -inf -> neginf (lowest).
Tensor nan_to_num(const Tensor& x, std::optional<double> nan = std::nullopt,
                  std::optional<double> posinf = std::nullopt, std::optional<double> neginf = std::nullopt);
Tensor& nan_to_num_out(Tensor& out, const Tensor& x, std::optional<double> nan = std::nullopt,
                       std::optional<double> posinf = std::nullopt, std::optional<double> neginf = std::nullopt);
Tensor& nan_to_num_(Tensor& self, std::optional<double> nan = std::nullopt,
                    std::optional<double> posinf = std::nullopt, std::optional<double> neginf = std::nullopt);

// clamp / clip with Scalar bounds (at least one given; bounds take part in
// type promotion of non-float tensors).
Tensor clamp(const Tensor& x, const std::optional<Scalar>& min, const std::optional<Scalar>& max = std::nullopt);
Tensor& clamp_out(Tensor& out, const Tensor& x, const std::optional<Scalar>& min,
                  const std::optional<Scalar>& max = std::nullopt);
Tensor& clamp_(Tensor& self, const std::optional<Scalar>& min, const std::optional<Scalar>& max = std::nullopt);
Tensor clip(const Tensor& x, const std::optional<Scalar>& min, const std::optional<Scalar>& max = std::nullopt);
Tensor& clip_out(Tensor& out, const Tensor& x, const std::optional<Scalar>& min,
                 const std::optional<Scalar>& max = std::nullopt);
Tensor& clip_(Tensor& self, const std::optional<Scalar>& min, const std::optional<Scalar>& max = std::nullopt);

// Bool-valued predicates (any dtype in; isfinite has no out= in ATen 1.13).
Tensor isnan(const Tensor& x);
Tensor& isnan_out(Tensor& out, const Tensor& x);
Tensor isinf(const Tensor& x);
Tensor& isinf_out(Tensor& out, const Tensor& x);
Tensor isfinite(const Tensor& x);
Tensor signbit(const Tensor& x);
Tensor& signbit_out(Tensor& out, const Tensor& x);

// Activations with parameters (float-only; hardtanh also takes integers).
Tensor gelu(const Tensor& x, std::string_view approximate = "none");
Tensor& gelu_out(Tensor& out, const Tensor& x, std::string_view approximate = "none");
Tensor& gelu_(Tensor& self, std::string_view approximate = "none");
Tensor softplus(const Tensor& x, const Scalar& beta = 1, const Scalar& threshold = 20);
Tensor& softplus_out(Tensor& out, const Tensor& x, const Scalar& beta = 1, const Scalar& threshold = 20);
Tensor elu(const Tensor& x, const Scalar& alpha = 1, const Scalar& scale = 1, const Scalar& input_scale = 1);
Tensor& elu_out(Tensor& out, const Tensor& x, const Scalar& alpha = 1, const Scalar& scale = 1,
                const Scalar& input_scale = 1);
Tensor& elu_(Tensor& self, const Scalar& alpha = 1, const Scalar& scale = 1, const Scalar& input_scale = 1);
Tensor leaky_relu(const Tensor& x, const Scalar& negative_slope = 0.01);
Tensor& leaky_relu_out(Tensor& out, const Tensor& x, const Scalar& negative_slope = 0.01);
Tensor& leaky_relu_(Tensor& self, const Scalar& negative_slope = 0.01);
Tensor hardtanh(const Tensor& x, const Scalar& min_val = -1, const Scalar& max_val = 1);
Tensor& hardtanh_out(Tensor& out, const Tensor& x, const Scalar& min_val = -1, const Scalar& max_val = 1);
Tensor& hardtanh_(Tensor& self, const Scalar& min_val = -1, const Scalar& max_val = 1);

}  // namespace ft
