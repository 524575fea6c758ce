// Comparisons (eq ne lt le gt ge), logical and/or/xor/not and bitwise
// and/or/xor/not/shifts, in functional, method, in-place and out= forms.
//
// Comparisons promote both operands to result_type and return bool; logical
// ops promote, then read every operand as a truth value (NaN is true); bitwise ops work in
// the promoted dtype, which must be integral or bool (shifts: integral only).
// None of them is differentiable.
#include "../kernels/cpu/binary_iter.h"
#include "../kernels/cpu/binary_math.h"

namespace ft {
namespace binops {

enum class Cmp { Eq, Ne, Lt, Le, Gt, Ge };

Tensor compare(Cmp op, const Tensor& a, const Tensor& b) {
  autograd::NoGradGuard ng;
  DType dt = result_type(a, b);
  Plan2 p = plan2(a, b, dt, DType::Bool);
  FT_DISPATCH_EVERY(dt, op == Cmp::Eq ? "eq_cpu" : op == Cmp::Ne ? "ne_cpu" : "comparison_cpu", [&] {
    using T = scalar_t;
    using O = opmath_t<T>;  // Half/BFloat16 compare as float (exact)
    auto run = [&](auto f) { kernels::binary_loop<T, bool>(p.out, p.a, p.sa, p.b, p.sb, f); };
    switch (op) {
      case Cmp::Eq: run([](T x, T y) { return O(x) == O(y); }); break;
      case Cmp::Ne: run([](T x, T y) { return O(x) != O(y); }); break;
      case Cmp::Lt: run([](T x, T y) { return O(x) < O(y); }); break;
      case Cmp::Le: run([](T x, T y) { return O(x) <= O(y); }); break;
      case Cmp::Gt: run([](T x, T y) { return O(x) > O(y); }); break;
      case Cmp::Ge: run([](T x, T y) { return O(x) >= O(y); }); break;
    }
  });
  return p.out;
}

enum class Logic { And, Or, Xor };

Tensor logical(Logic op, const Tensor& a, const Tensor& b) {
  autograd::NoGradGuard ng;
  // Promote to the common dtype first (as TensorIterator does: a float64
  // 0-dim 1e-310 next to a float32 tensor becomes 0.f, false), then x != 0.
  DType dt = result_type(a, b);
  Tensor ac = ops::cast_if_needed(a, dt), bc = ops::cast_if_needed(b, dt);
  Plan2 p = plan2(ac, bc, DType::Bool, DType::Bool);  // x -> x != 0 (NaN -> true)
  auto run = [&](auto f) { kernels::binary_loop<bool, bool>(p.out, p.a, p.sa, p.b, p.sb, f); };
  switch (op) {
    case Logic::And: run([](bool x, bool y) { return x && y; }); break;
    case Logic::Or: run([](bool x, bool y) { return x || y; }); break;
    case Logic::Xor: run([](bool x, bool y) { return x != y; }); break;
  }
  return p.out;
}

enum class Bits { And, Or, Xor, Shl, Shr };

Tensor bitwise(Bits op, const Tensor& a, const Tensor& b) {
  autograd::NoGradGuard ng;
  DType dt = result_type(a, b);
  const char* names[] = {"bitwise_and_cpu", "bitwise_or_cpu", "bitwise_xor_cpu", "lshift_cpu", "rshift_cpu"};
  const char* name = names[int(op)];
  FT_CHECK_KIND(ErrorKind::NotImplemented, is_integral(dt, /*include_bool=*/op != Bits::Shl && op != Bits::Shr),
                "\"", name, "\" not implemented for '", dtype_torch_name(dt), "'");
  Plan2 p = plan2(a, b, dt, dt);
  FT_DISPATCH_ALL_AND_BOOL(dt, name, [&] { typed<scalar_t>([&](auto tag) {
    using T = typename decltype(tag)::type;
    auto run = [&](auto f) { kernels::binary_loop<T, T>(p.out, p.a, p.sa, p.b, p.sb, f); };
    if constexpr (std::is_same_v<T, bool>) {
      if (op == Bits::And) run([](T x, T y) { return bool(x && y); });
      else if (op == Bits::Or) run([](T x, T y) { return bool(x || y); });
      else run([](T x, T y) { return bool(x != y); });
    } else if constexpr (std::is_integral_v<T>) {
      switch (op) {
        case Bits::And: run([](T x, T y) { return T(x & y); }); break;
        case Bits::Or: run([](T x, T y) { return T(x | y); }); break;
        case Bits::Xor: run([](T x, T y) { return T(x ^ y); }); break;
        case Bits::Shl: run([](T x, T y) { return kernels::shift_left(x, y); }); break;
        case Bits::Shr: run([](T x, T y) { return kernels::shift_right(x, y); }); break;
      }
    }
  }); });
  return p.out;
}

Tensor logical_not_compute(const Tensor& a) {
  autograd::NoGradGuard ng;
  Tensor ab = ops::cast_if_needed(a, DType::Bool);
  Tensor out = ops::empty_pointwise_output(a.sizes(), DType::Bool, {&a});
  kernels::unary_loop<bool>(out, ab, ab.strides(), [](bool x) { return !x; });
  return out;
}

Tensor bitwise_not_compute(const Tensor& a) {
  autograd::NoGradGuard ng;
  DType dt = a.dtype();
  Tensor out = ops::empty_pointwise_output(a.sizes(), dt, {&a});
  FT_DISPATCH_ALL_AND_BOOL(dt, "bitwise_not_cpu", [&] { typed<scalar_t>([&](auto tag) {
    using T = typename decltype(tag)::type;
    if constexpr (std::is_same_v<T, bool>) {
      kernels::unary_loop<T>(out, a, a.strides(), [](T x) { return !x; });
    } else if constexpr (std::is_integral_v<T>) {
      kernels::unary_loop<T>(out, a, a.strides(), [](T x) { return T(~x); });
    } else {
      FT_CHECK_KIND(ErrorKind::NotImplemented, false, "\"bitwise_not_cpu\" not implemented for '",
                    dtype_torch_name(dt), "'");
    }
  }); });
  return out;
}

}  // namespace binops

// ---- entry points ------------------------------------------------------------------
#define FT_BINOPS_TS(fn, NAME, CALL)                                                                   \
  Tensor fn(const Tensor& a, const Tensor& b) { FT_OP_SCOPE(NAME); return CALL(a, b); }                 \
  Tensor fn(const Tensor& a, const Scalar& b) { FT_OP_SCOPE(NAME); return CALL(a, binops::wrap(b)); }   \
  Tensor& fn##_out(Tensor& out, const Tensor& a, const Tensor& b) {                                     \
    FT_OP_SCOPE(NAME);                                                                                  \
    return binops::out_of(NAME, out, {&a, &b}, [&] { return CALL(a, b); });                             \
  }                                                                                                     \
  Tensor& fn##_out(Tensor& out, const Tensor& a, const Scalar& b) {                                     \
    FT_OP_SCOPE(NAME);                                                                                  \
    Tensor w = binops::wrap(b);                                                                         \
    return binops::out_of(NAME, out, {&a}, [&] { return CALL(a, w); });                                 \
  }                                                                                                     \
  Tensor Tensor::fn(const Tensor& o) const { return ft::fn(*this, o); }                                 \
  Tensor Tensor::fn(const Scalar& o) const { return ft::fn(*this, o); }                                 \
  Tensor& Tensor::fn##_(const Tensor& o) {                                                              \
    FT_OP_SCOPE(NAME "_");                                                                              \
    return binops::inplace(*this, {&o}, [&](const Tensor& s) { return ft::fn(s, o); });                 \
  }                                                                                                     \
  Tensor& Tensor::fn##_(const Scalar& o) {                                                              \
    FT_OP_SCOPE(NAME "_");                                                                              \
    return binops::inplace(*this, {}, [&](const Tensor& s) { return ft::fn(s, o); });                   \
  }

#define FT_CMP_CALL(K) [](const Tensor& x, const Tensor& y) { return binops::compare(binops::Cmp::K, x, y); }
FT_BINOPS_TS(eq, "eq", FT_CMP_CALL(Eq))
FT_BINOPS_TS(ne, "ne", FT_CMP_CALL(Ne))
FT_BINOPS_TS(lt, "lt", FT_CMP_CALL(Lt))
FT_BINOPS_TS(le, "le", FT_CMP_CALL(Le))
FT_BINOPS_TS(gt, "gt", FT_CMP_CALL(Gt))
FT_BINOPS_TS(ge, "ge", FT_CMP_CALL(Ge))
#undef FT_CMP_CALL
#define FT_BITS_CALL(K) [](const Tensor& x, const Tensor& y) { return binops::bitwise(binops::Bits::K, x, y); }
FT_BINOPS_TS(bitwise_and, "bitwise_and", FT_BITS_CALL(And))
FT_BINOPS_TS(bitwise_or, "bitwise_or", FT_BITS_CALL(Or))
FT_BINOPS_TS(bitwise_xor, "bitwise_xor", FT_BITS_CALL(Xor))
FT_BINOPS_TS(bitwise_left_shift, "bitwise_left_shift", FT_BITS_CALL(Shl))
FT_BINOPS_TS(bitwise_right_shift, "bitwise_right_shift", FT_BITS_CALL(Shr))
#undef FT_BITS_CALL

#define FT_LOGIC(fn, NAME, K)                                                                          \
  Tensor fn(const Tensor& a, const Tensor& b) { FT_OP_SCOPE(NAME); return binops::logical(binops::Logic::K, a, b); } \
  Tensor& fn##_out(Tensor& out, const Tensor& a, const Tensor& b) {                                    \
    FT_OP_SCOPE(NAME);                                                                                 \
    return binops::out_of(NAME, out, {&a, &b}, [&] { return binops::logical(binops::Logic::K, a, b); }); \
  }                                                                                                    \
  Tensor Tensor::fn(const Tensor& o) const { return ft::fn(*this, o); }                                \
  Tensor& Tensor::fn##_(const Tensor& o) {                                                             \
    FT_OP_SCOPE(NAME "_");                                                                             \
    return binops::inplace(*this, {&o}, [&](const Tensor& s) { return ft::fn(s, o); });                \
  }
FT_LOGIC(logical_and, "logical_and", And)
FT_LOGIC(logical_or, "logical_or", Or)
FT_LOGIC(logical_xor, "logical_xor", Xor)
#undef FT_LOGIC

Tensor logical_not(const Tensor& a) { FT_OP_SCOPE("logical_not"); return binops::logical_not_compute(a); }
Tensor& logical_not_out(Tensor& out, const Tensor& a) {
  FT_OP_SCOPE("logical_not");
  return binops::out_of("logical_not", out, {&a}, [&] { return binops::logical_not_compute(a); });
}
Tensor Tensor::logical_not() const { return ft::logical_not(*this); }
Tensor& Tensor::logical_not_() {
  FT_OP_SCOPE("logical_not_");
  return binops::inplace(*this, {}, [](const Tensor& s) { return ft::logical_not(s); });
}

Tensor bitwise_not(const Tensor& a) { FT_OP_SCOPE("bitwise_not"); return binops::bitwise_not_compute(a); }
Tensor& bitwise_not_out(Tensor& out, const Tensor& a) {
  FT_OP_SCOPE("bitwise_not");
  return binops::out_of("bitwise_not", out, {&a}, [&] { return binops::bitwise_not_compute(a); });
}
Tensor Tensor::bitwise_not() const { return ft::bitwise_not(*this); }
Tensor& Tensor::bitwise_not_() {
  FT_OP_SCOPE("bitwise_not_");
  return binops::inplace(*this, {}, [](const Tensor& s) { return ft::bitwise_not(s); });
}

}  // namespace ft
