// Activation functions of the unary family (at::gelu, silu, mish, softplus,
// elu, leaky_relu, hardtanh, hardsigmoid, hardswish): kernels with ATen's
// scalar formulas, and the functional, out= and free in-place front-ends
// (ATen has no Tensor methods for these). All are float-only except
// hardtanh, which also takes integers (its bounds are truncated to integers).
#include <algorithm>
#include <cmath>

#include "../kernels/cpu/pointwise.h"
#include "../kernels/cpu/unary_frontend.h"
#include "../kernels/cpu/unary_loops.h"

namespace ft {
namespace unary {

const char* activation_kernel_name(Op op) {
  switch (op) {
    case Op::Gelu: return "GeluKernelImpl";
    case Op::Silu: return "silu_cpu";
    case Op::Mish: return "mish_cpu";
    case Op::Softplus: return "softplus_cpu";
    case Op::Elu: return "elu_cpu";
    case Op::LeakyRelu: return "leaky_relu_cpu";
    case Op::Hardsigmoid: return "hardsigmoid_cpu";
    case Op::Hardswish: return "hardswish_cpu";
    default: return "hardtanh_cpu";
  }
}

namespace {

// NOTE [ gelu and oneDNN ]
// ATen 1.13 computes gelu(approximate='none') of a contiguous float32 tensor
// with more than one element through oneDNN's eltwise_gelu_erf, elsewhere
// with x * 0.5 * (1 + erf(x / sqrt 2)). The values agree within the
// elementwise tolerance; what is observable bit for bit is the sign of zero:
// oneDNN returns +0 where the formula gives -0 (x = -0.0 and large negative x).
bool gelu_uses_onednn(const Tensor& x, bool tanh_approx) {
  return !tanh_approx && x.dtype() == DType::Float32 && x.is_contiguous() && x.numel() > 1;
}

}  // namespace

Tensor compute_activation(Op op, const Tensor& x, const Params& p) {
  autograd::NoGradGuard ng;
  const DType dt = x.dtype();
  if (op == Op::Hardtanh) {
    FT_CHECK(dt != DType::Bool, "Bool inputs not supported for hardtanh");
    // Legacy rule: integer inputs truncate the bounds (no type promotion),
    // through Scalar::toLong() (checked: NaN raises); clamp checks them again in dt.
    Params q;
    q.has_a = q.has_b = true;
    q.sa = is_floating(dt) ? p.sa : Scalar(ops::checked_scalar_to<int64_t>(p.sa));
    q.sb = is_floating(dt) ? p.sb : Scalar(ops::checked_scalar_to<int64_t>(p.sb));
    FT_CHECK(dt != DType::UInt8 || (q.sa.to_int() >= 0 && q.sb.to_int() >= 0),
             "cannot do hardtanh on an unsigned type with negative limits");
    return compute_exact(Op::Clamp, x, q);
  }
  if (!is_floating(dt)) not_implemented(activation_kernel_name(op), dt);
  Tensor out = ops::empty_pointwise_output(x.sizes(), dt, {&x});
  DimVector st(x.strides());
  const bool onednn = op == Op::Gelu && gelu_uses_onednn(x, p.tanh_approx);
  FT_DISPATCH_FLOATING(dt, activation_kernel_name(op), [&] {
    using T = scalar_t;
    auto run = [&](auto f) { kernels::unary_loop<T>(out, x, st, f); };
    // ATen converts each parameter with Scalar::to<opmath_t>(): checked (1e39 overflows float)
    auto param = [](double v) { return ops::checked_scalar_to<T>(Scalar(v)); };
    switch (op) {
      case Op::Gelu:
        // The expressions are ATen's, double literals included (a float x
        // is promoted where ATen's is).
        if (p.tanh_approx) {
          run([](T v) {
            const T kBeta = M_SQRT2 * M_2_SQRTPI * 0.5;
            const T kKappa = 0.044715;
            auto x_cube = v * v * v;
            auto inner = kBeta * (v + kKappa * x_cube);
            return T(0.5 * v * (1 + std::tanh(inner)));
          });
        } else if (onednn) {
          run([](T v) {
            T r = T(v * 0.5 * (1 + std::erf(v * M_SQRT1_2)));
            return r == T(0) ? T(0) : r;  // see NOTE [ gelu and oneDNN ]
          });
        } else {
          run([](T v) { return T(v * 0.5 * (1 + std::erf(v * M_SQRT1_2))); });
        }
        break;
      case Op::Silu: run([](T v) { return v / (T(1) + std::exp(-v)); }); break;
      case Op::Mish: run([](T v) { return T(v * std::tanh(std::log1p(std::exp(v)))); }); break;
      case Op::Softplus: {
        const T beta = param(p.a), threshold = param(p.b);
        run([=](T v) { return (v * beta) > threshold ? v : T(std::log1p(std::exp(v * beta))) / beta; });
        break;
      }
      case Op::Elu: {
        const T negcoef = param(p.a) * param(p.b), poscoef = param(p.b), negiptcoef = param(p.c);
        run([=](T v) { return v <= T(0) ? (std::exp(v * negiptcoef) - T(1)) * negcoef : v * poscoef; });
        break;
      }
      case Op::LeakyRelu: {
        const T slope = param(p.a);
        run([=](T v) { return v > T(0) ? v : v * slope; });
        break;
      }
      case Op::Hardsigmoid:
        run([](T v) { return std::min(std::max(v + T(3), T(0)), T(6)) / T(6); });
        break;
      case Op::Hardswish:
        run([](T v) { return v * std::min(std::max(v + T(3), T(0)), T(6)) / T(6); });
        break;
      default: FT_INTERNAL_ASSERT(false, "compute_activation: not an activation");
    }
  });
  return out;
}

}  // namespace unary

namespace {
unary::Params gelu_params(std::string_view approximate) {
  FT_CHECK(approximate == "none" || approximate == "tanh", "approximate argument must be either none or tanh.");
  unary::Params p;
  p.tanh_approx = approximate == "tanh";
  return p;
}
unary::Params scalars(const Scalar& a, const Scalar& b = 0, const Scalar& c = 0) {
  unary::Params p;
  p.a = a.to_double(), p.b = b.to_double(), p.c = c.to_double();
  p.sa = a, p.sb = b;
  p.has_a = p.has_b = p.has_c = true;
  return p;
}
}  // namespace

Tensor gelu(const Tensor& x, std::string_view approximate) {
  FT_OP_SCOPE("gelu");
  return unary::apply(unary::Op::Gelu, x, gelu_params(approximate));
}
Tensor& gelu_out(Tensor& out, const Tensor& x, std::string_view approximate) {
  FT_OP_SCOPE("gelu");
  return unary::apply_out("gelu", unary::Op::Gelu, out, x, gelu_params(approximate));
}
Tensor& gelu_(Tensor& self, std::string_view approximate) {
  FT_OP_SCOPE("gelu_");
  return unary::apply_inplace(unary::Op::Gelu, self, gelu_params(approximate));
}

#define FT_UNARY_ACT(fn, OP)        \
  FT_UNARY_FUNCTIONAL_AND_OUT(fn, OP) \
  FT_UNARY_FREE_INPLACE(fn, OP)
FT_UNARY_ACT(silu, Silu)
FT_UNARY_ACT(mish, Mish)
FT_UNARY_ACT(hardsigmoid, Hardsigmoid)
FT_UNARY_ACT(hardswish, Hardswish)
#undef FT_UNARY_ACT

// softplus(x, beta, threshold) = x if x*beta > threshold else log1p(exp(x*beta)) / beta
Tensor softplus(const Tensor& x, const Scalar& beta, const Scalar& threshold) {
  FT_OP_SCOPE("softplus");
  return unary::apply(unary::Op::Softplus, x, scalars(beta, threshold));
}
Tensor& softplus_out(Tensor& out, const Tensor& x, const Scalar& beta, const Scalar& threshold) {
  FT_OP_SCOPE("softplus");
  return unary::apply_out("softplus", unary::Op::Softplus, out, x, scalars(beta, threshold));
}

// elu(x, alpha, scale, input_scale) = x <= 0 ? (exp(x*input_scale) - 1)*alpha*scale : x*scale
Tensor elu(const Tensor& x, const Scalar& alpha, const Scalar& scale, const Scalar& input_scale) {
  FT_OP_SCOPE("elu");
  return unary::apply(unary::Op::Elu, x, scalars(alpha, scale, input_scale));
}
Tensor& elu_out(Tensor& out, const Tensor& x, const Scalar& alpha, const Scalar& scale, const Scalar& input_scale) {
  FT_OP_SCOPE("elu");
  return unary::apply_out("elu", unary::Op::Elu, out, x, scalars(alpha, scale, input_scale));
}
Tensor& elu_(Tensor& self, const Scalar& alpha, const Scalar& scale, const Scalar& input_scale) {
  FT_OP_SCOPE("elu_");
  return unary::apply_inplace(unary::Op::Elu, self, scalars(alpha, scale, input_scale));
}

// leaky_relu(x, slope) = x > 0 ? x : x * slope
Tensor leaky_relu(const Tensor& x, const Scalar& negative_slope) {
  FT_OP_SCOPE("leaky_relu");
  return unary::apply(unary::Op::LeakyRelu, x, scalars(negative_slope));
}
Tensor& leaky_relu_out(Tensor& out, const Tensor& x, const Scalar& negative_slope) {
  FT_OP_SCOPE("leaky_relu");
  return unary::apply_out("leaky_relu", unary::Op::LeakyRelu, out, x, scalars(negative_slope));
}
Tensor& leaky_relu_(Tensor& self, const Scalar& negative_slope) {
  FT_OP_SCOPE("leaky_relu_");
  return unary::apply_inplace(unary::Op::LeakyRelu, self, scalars(negative_slope));
}

// hardtanh(x, min_val, max_val) = clamp(x, min_val, max_val)
Tensor hardtanh(const Tensor& x, const Scalar& min_val, const Scalar& max_val) {
  FT_OP_SCOPE("hardtanh");
  return unary::apply(unary::Op::Hardtanh, x, scalars(min_val, max_val));
}
Tensor& hardtanh_out(Tensor& out, const Tensor& x, const Scalar& min_val, const Scalar& max_val) {
  FT_OP_SCOPE("hardtanh");
  return unary::apply_out("hardtanh", unary::Op::Hardtanh, out, x, scalars(min_val, max_val));
}
Tensor& hardtanh_(Tensor& self, const Scalar& min_val, const Scalar& max_val) {
  FT_OP_SCOPE("hardtanh_");
  return unary::apply_inplace(unary::Op::Hardtanh, self, scalars(min_val, max_val));
}

}  // namespace ft
