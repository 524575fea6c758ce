// Division with rounding_mode ("trunc" / "floor"), floor_divide, remainder and
// fmod, with Tensor and Scalar divisors, functional, method, in-place and out=.
// Integer division by zero raises "ZeroDivisionError" as PyTorch does (only
// for elements actually computed: an empty result never raises); bool raises
// like PyTorch's dispatch. Float formulas: see kernels/cpu/binary_math.h.
#include "../kernels/cpu/binary_iter.h"
#include "../kernels/cpu/binary_math.h"

namespace ft {
namespace binops {

enum class DivK { Trunc, Floor, Remainder, Fmod };

Tensor divmod(DivK op, const Tensor& a, const Tensor& b) {
  autograd::NoGradGuard ng;
  DType dt = result_type(a, b);
  const char* name = op == DivK::Trunc ? "div_trunc_cpu" : op == DivK::Floor ? "div_floor_cpu"
                     : op == DivK::Remainder ? "remainder_cpu" : "fmod_cpu";
  FT_CHECK_KIND(ErrorKind::NotImplemented, dt != DType::Bool, "\"", name, "\" not implemented for 'Bool'");
  if (is_reduced_float(dt) && op == DivK::Trunc) {
    // libtorch rounds the quotient to dt before truncating it (in both lambdas).
    Plan2 p = plan2(a, b, dt, dt);
    FT_DISPATCH_FLOATING_AND2(dt, name, [&] {
      using T = scalar_t;
      kernels::binary_loop<T, T>(p.out, p.a, p.sa, p.b, p.sb,
                                 [](T x, T y) { return T(std::trunc(float(T(float(x) / float(y))))); });
    });
    return p.out;
  }
  if (is_reduced_float(dt))
    return via_float32(dt, name, true, a, b, [op](const Tensor& x, const Tensor& y) { return divmod(op, x, y); });
  Plan2 p = plan2(a, b, dt, dt);
  FT_DISPATCH_ALL(dt, name, [&] { typed<scalar_t>([&](auto tag) {
    using T = typename decltype(tag)::type;
    auto run = [&](auto f) {
      if constexpr (std::is_integral_v<T>) {
        kernels::binary_loop<T, T>(p.out, p.a, p.sa, p.b, p.sb, [&](T x, T y) {
          FT_CHECK(y != 0, "ZeroDivisionError");
          return f(x, y);
        });
      } else {
        kernels::binary_loop<T, T>(p.out, p.a, p.sa, p.b, p.sb, f);
      }
    };
    if constexpr (std::is_floating_point_v<T>) {
      // NOTE [ Sleef fmod ]: vector-path elements use Sleef's fmod, like the oracle.
      auto run2 = [&](auto fs, auto fv) { kernels::binary_loop_tio<T, T>(p.out, p.a, p.sa, p.b, p.sb, fs, fv); };
      using S = kernels::SleefFmod<T>;
      switch (op) {
        case DivK::Trunc: run([](T x, T y) { return kernels::div_trunc(x, y); }); break;
        case DivK::Floor:
          run2([](T x, T y) { return kernels::div_floor(x, y); }, [](T x, T y) { return kernels::div_floor(x, y, S{}); });
          break;
        case DivK::Remainder:
          run2([](T x, T y) { return kernels::remainder(x, y); }, [](T x, T y) { return kernels::remainder(x, y, S{}); });
          break;
        case DivK::Fmod: run2([](T x, T y) { return std::fmod(x, y); }, [](T x, T y) { return S{}(x, y); }); break;
      }
      return;
    }
    switch (op) {
      case DivK::Trunc: run([](T x, T y) { return kernels::div_trunc(x, y); }); break;
      case DivK::Floor: run([](T x, T y) { return kernels::div_floor(x, y); }); break;
      case DivK::Remainder: run([](T x, T y) { return kernels::remainder(x, y); }); break;
      case DivK::Fmod: run([](T x, T y) { return kernels::fmod(x, y); }); break;
    }
  }); });
  return p.out;
}

DivK rounding(std::optional<std::string_view> mode) {
  FT_CHECK(mode && (*mode == "trunc" || *mode == "floor"),
           "div expected rounding_mode to be one of None, 'trunc', or 'floor' but found '",
           std::string(mode ? *mode : ""), "'");
  return *mode == "trunc" ? DivK::Trunc : DivK::Floor;
}

autograd::Bin2 grad_kind(DivK op) {
  switch (op) {
    case DivK::Trunc:
    case DivK::Floor: return autograd::Bin2::DivRounding;
    case DivK::Remainder: return autograd::Bin2::Remainder;
    case DivK::Fmod: return autograd::Bin2::Fmod;
  }
  return autograd::Bin2::DivRounding;
}

Tensor divmod_op(DivK op, const Tensor& a, const Tensor& b, bool floor_divide = false) {
  Tensor out = divmod(op, a, b);
  autograd::record_binary2(floor_divide ? autograd::Bin2::FloorDivide : grad_kind(op), a, b, out);
  return out;
}

}  // namespace binops

// ---- div with rounding_mode -----------------------------------------------------------
Tensor div(const Tensor& a, const Tensor& b, std::optional<std::string_view> mode) {
  FT_OP_SCOPE("div");
  if (!mode) return ft::div(a, b);
  return binops::divmod_op(binops::rounding(mode), a, b);
}
Tensor div(const Tensor& a, const Scalar& b, std::optional<std::string_view> mode) {
  return ft::div(a, binops::wrap(b), mode);
}
Tensor& div_out(Tensor& out, const Tensor& a, const Tensor& b, std::optional<std::string_view> mode) {
  FT_OP_SCOPE("div");
  if (!mode) return ft::div_out(out, a, b);
  return binops::out_of("div", out, {&a, &b}, [&] { return binops::divmod(binops::rounding(mode), a, b); });
}
Tensor Tensor::div(const Tensor& o, std::optional<std::string_view> mode) const { return ft::div(*this, o, mode); }
Tensor Tensor::div(const Scalar& o, std::optional<std::string_view> mode) const { return ft::div(*this, o, mode); }
Tensor& Tensor::div_(const Tensor& o, std::optional<std::string_view> mode) {
  FT_OP_SCOPE("div_");
  return binops::inplace(*this, {&o}, [&](const Tensor& s) { return ft::div(s, o, mode); });
}
Tensor& Tensor::div_(const Scalar& o, std::optional<std::string_view> mode) {
  FT_OP_SCOPE("div_");
  return binops::inplace(*this, {}, [&](const Tensor& s) { return ft::div(s, o, mode); });
}

// ---- floor_divide / remainder / fmod --------------------------------------------------
#define FT_DIVMOD(fn, NAME, K, FLOORDIV)                                                              \
  Tensor fn(const Tensor& a, const Tensor& b) {                                                       \
    FT_OP_SCOPE(NAME);                                                                                \
    return binops::divmod_op(binops::DivK::K, a, b, FLOORDIV);                                        \
  }                                                                                                   \
  Tensor fn(const Tensor& a, const Scalar& b) { return ft::fn(a, binops::wrap(b)); }                  \
  Tensor& fn##_out(Tensor& out, const Tensor& a, const Tensor& b) {                                   \
    FT_OP_SCOPE(NAME);                                                                                \
    return binops::out_of(NAME, out, {&a, &b}, [&] { return binops::divmod(binops::DivK::K, a, b); }); \
  }                                                                                                   \
  Tensor& fn##_out(Tensor& out, const Tensor& a, const Scalar& b) {                                   \
    Tensor w = binops::wrap(b);                                                                       \
    return ft::fn##_out(out, a, w);                                                                   \
  }                                                                                                   \
  Tensor Tensor::fn(const Tensor& o) const { return ft::fn(*this, o); }                               \
  Tensor Tensor::fn(const Scalar& o) const { return ft::fn(*this, o); }                               \
  Tensor& Tensor::fn##_(const Tensor& o) {                                                            \
    FT_OP_SCOPE(NAME "_");                                                                            \
    return binops::inplace(*this, {&o}, [&](const Tensor& s) { return ft::fn(s, o); });               \
  }                                                                                                   \
  Tensor& Tensor::fn##_(const Scalar& o) {                                                            \
    FT_OP_SCOPE(NAME "_");                                                                            \
    return binops::inplace(*this, {}, [&](const Tensor& s) { return ft::fn(s, o); });                 \
  }
FT_DIVMOD(floor_divide, "floor_divide", Floor, true)
FT_DIVMOD(remainder, "remainder", Remainder, false)
FT_DIVMOD(fmod, "fmod", Fmod, false)
#undef FT_DIVMOD

Tensor remainder(const Scalar& a, const Tensor& b) { return ft::remainder(binops::wrap(a), b); }

}  // namespace ft
