// The unary family's internal interface between its front-ends
// (src/ops/unary_*.cpp), its kernels and its backward formulas
// (src/autograd/derivatives_unary.cpp): one op enum, one parameter struct,
// and the functional / in-place / out= plumbing every unary op shares.
// (It lives beside the kernels because the family owns no header in src/ops.)
//
// See NOTE [ In-place and out= plumbing ] in src/ops/pointwise.cpp: the same
// pattern, written once here for the whole family.
#pragma once

#include <string>

#include "../../autograd/record.h"
#include "../../ops/op_helpers.h"
#include "ft/ops.h"

namespace ft::unary {

enum class Op : uint8_t {
  // float-valued math (integer and bool inputs compute in float32)
  Exp2, Expm1, Log2, Log10, Log1p, Sqrt, Rsqrt, Reciprocal, Sin, Cos, Tan, Asin, Acos, Atan, Sinh, Cosh, Asinh,
  Acosh, Atanh, Sigmoid, Logit, Erf, Erfc, Erfinv, Lgamma, Digamma,
  // dtype-preserving / exact
  Abs, Sign, Sgn, Floor, Ceil, Round, RoundDecimals, Trunc, Frac, NanToNum, Clamp,
  // bool-valued predicates
  Isnan, Isinf, Isfinite, Signbit,
  // activations
  Gelu, Silu, Mish, Softplus, Elu, LeakyRelu, Hardtanh, Hardsigmoid, Hardswish,
};

// Op parameters (which fields an op reads is documented at its front-end).
struct Params {
  double a = 0, b = 0, c = 0;  // logit eps; softplus beta/threshold; elu alpha/scale/input_scale;
                               // leaky_relu slope; hardtanh/clamp min/max; nan_to_num nan/posinf/neginf
  bool has_a = false, has_b = false, has_c = false;  // optional parameters present
  Scalar sa, sb;               // Scalar bounds as given (clamp promotion looks at their kind)
  int64_t n = 0;               // round decimals
  bool tanh_approx = false;    // gelu approximate='tanh'
  bool is_result = false;      // elu's backward reads the result (the in-place form)
};

// Forward without autograd, per family (unary_math.cpp, unary_exact.cpp,
// unary_activation.cpp); compute() picks the family.
Tensor compute_math(Op op, const Tensor& x, const Params& p);
Tensor compute_exact(Op op, const Tensor& x, const Params& p);
Tensor compute_activation(Op op, const Tensor& x, const Params& p);
Tensor compute(Op op, const Tensor& x, const Params& p);
// Records the backward node of `op` on out (derivatives_unary.cpp); a no-op
// for non-differentiable ops.
void record(Op op, const Tensor& x, const Params& p, Tensor& out);
// The in-place form's node: record()'s, except where PyTorch 1.13's in-place
// formula differs (NOTE [ In-place unary formulas ] in derivatives_unary.cpp).
void record_inplace(Op op, const Tensor& x, const Params& p, Tensor& out);

inline Tensor apply(Op op, const Tensor& x, const Params& p) {
  Tensor out = compute(op, x, p);
  record(op, x, p, out);
  return out;
}

// NOTE [ In-place and out= plumbing ] (op_helpers.h)
inline Tensor& apply_out(const char* name, Op op, Tensor& out, const Tensor& x, const Params& p) {
  ops::check_out_autograd(name, {&x});
  return ops::write_out(out, compute(op, x, p));
}

inline Tensor& apply_inplace(Op op, Tensor& self, const Params& p) {
  return ops::inplace(self, {}, [&](const Tensor& s) {
    Tensor out = compute(op, s, p);
    record_inplace(op, s, p, out);
    return out;
  });
}

// "X" not implemented for 'T', ATen's dispatch error.
[[noreturn]] void not_implemented(const char* kernel, DType dt);

// The libtorch 1.13 kernel name of an activation op (unary_activation.cpp),
// as its dispatch errors print it; "hardtanh_cpu" for the clamp-like rest.
const char* activation_kernel_name(Op op);

}  // namespace ft::unary

// The functional, out= and free in-place forms of a parameterless unary op
// (expanded inside namespace ft by the family's .cpp files).
#define FT_UNARY_FUNCTIONAL_AND_OUT(fn, OP)                      \
  Tensor fn(const Tensor& x) {                                   \
    FT_OP_SCOPE(#fn);                                            \
    return unary::apply(unary::Op::OP, x, {});                   \
  }                                                              \
  Tensor& fn##_out(Tensor& out, const Tensor& x) {               \
    FT_OP_SCOPE(#fn);                                            \
    return unary::apply_out(#fn, unary::Op::OP, out, x, {});     \
  }
#define FT_UNARY_FREE_INPLACE(fn, OP)                            \
  Tensor& fn##_(Tensor& self) {                                  \
    FT_OP_SCOPE(#fn "_");                                        \
    return unary::apply_inplace(unary::Op::OP, self, {});        \
  }
