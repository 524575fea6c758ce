// The in-place random fills: uniform_, normal_, bernoulli_, exponential_,
// random_. Each is ATen's CPU kernel: a serial loop that draws one value per
// element in TensorIterator order (see NOTE [ RNG parity ] in ft/random.h).
#include <cmath>
#include <limits>

#include "../autograd/record.h"
#include "../ops/op_helpers.h"
#include "sampling.h"

namespace ft::rng {

Generator& resolve(Generator* g) { return g ? *g : default_generator(); }

std::vector<int64_t> iteration_order(IntArrayRef shape, std::initializer_list<IntArrayRef> strides) {
  const int64_t nd = int64_t(shape.size());
  std::vector<int64_t> perm(static_cast<size_t>(nd));
  for (int64_t i = 0; i < nd; ++i) perm[size_t(i)] = nd - 1 - i;
  // 1: dim a goes after dim b; -1: before; 0: undecided (TensorIterator's should_swap).
  auto cmp = [&](int64_t a, int64_t b) {
    for (IntArrayRef st : strides) {
      int64_t sa = st[size_t(a)], sb = st[size_t(b)];
      if (sa == 0 || sb == 0) continue;
      if (sa < sb) return -1;
      if (sa > sb) return 1;
      if (shape[size_t(a)] > shape[size_t(b)]) return 1;
    }
    return 0;
  };
  for (int64_t i = 1; i < nd; ++i) {
    int64_t d1 = i;
    for (int64_t d0 = i - 1; d0 >= 0; --d0) {
      int c = cmp(perm[size_t(d0)], perm[size_t(d1)]);
      if (c > 0) {
        std::swap(perm[size_t(d0)], perm[size_t(d1)]);
        d1 = d0;
      } else if (c < 0) {
        break;
      }
    }
  }
  return perm;
}

void check_fill_target(const Tensor& t) {
  ops::check_inplace_autograd(t);
  if (t.numel() > 0) ops::check_no_internal_overlap(t);
}

void finish_fill(Tensor& t, const char* node_name) {
  t.impl()->bump_version();
  autograd::record_fill(t, node_name);
}

namespace {
// Writes f() into every element of t, in ATen's order.
template <typename T, typename F>
void fill_serial(Tensor& t, F f) {
  T* base = static_cast<T*>(t.data_ptr());
  for_each_element<1>(t.sizes(), {t.strides()}, [&](const std::array<int64_t, 1>& off) { base[off[0]] = f(); });
}

const char* torch_type_name(DType dt) {
  switch (dt) {
    case DType::Float32: return "float";
    case DType::Float64: return "double";
    case DType::Int64: return "long int";
    case DType::Int32: return "int";
    case DType::Int16: return "short int";
    case DType::Int8: return "signed char";
    case DType::UInt8: return "unsigned char";
    case DType::Bool: return "bool";
    default: return dtype_name(dt);
  }
}
}  // namespace

}  // namespace ft::rng

namespace ft {
using namespace rng;

Tensor& uniform_(Tensor& t, double from, double to, Generator* gen) {
  FT_OP_SCOPE("uniform_");
  check_fill_target(t);
  FT_DISPATCH_FLOATING(t.dtype(), "check_uniform_bounds", [&] {
    const double lo = double(std::numeric_limits<scalar_t>::lowest());
    const double hi = double(std::numeric_limits<scalar_t>::max());
    FT_CHECK(from >= lo && from <= hi, "from is out of bounds for ", torch_type_name(t.dtype()));
    FT_CHECK(to >= lo && to <= hi, "to is out of bounds for ", torch_type_name(t.dtype()));
    FT_CHECK(from <= to, "uniform_ expects to return a [from, to) range, but found from=", from, " > to=", to);
    FT_CHECK(to - from <= hi, "uniform_ expects to-from <= std::numeric_limits<", dtype_torch_name(t.dtype()),
             ">::max(), but found to=", to, " and from=", from, " which result in to-from to exceed the limit");
    Generator& g = resolve(gen);
    std::lock_guard<std::mutex> lock(g.mutex());
    const scalar_t a = scalar_t(from), b = scalar_t(to);
    fill_serial<scalar_t>(t, [&] { return uniform_real<scalar_t>(g, a, b); });
  });
  finish_fill(t, "UniformBackward0");
  return t;
}

Tensor& normal_(Tensor& t, double mean, double std, Generator* gen) {
  FT_OP_SCOPE("normal_");
  FT_CHECK(std >= 0.0, "normal expects std >= 0.0, but found std ", std);
  check_fill_target(t);
  FT_DISPATCH_FLOATING(t.dtype(), "normal_kernel_cpu", [&] {
    Generator& g = resolve(gen);
    std::lock_guard<std::mutex> lock(g.mutex());
    const int64_t n = t.numel();
    if (n >= 16 && t.is_contiguous()) {
      // NOTE [ Vectorized normal_ ] (normal_fill.cpp).
      if constexpr (std::is_same_v<scalar_t, float>)
        normal_fill_float(static_cast<float*>(t.data_ptr()), n, float(mean), float(std), g);
      else
        normal_fill_double(static_cast<double*>(t.data_ptr()), n, mean, std, g);
    } else {
      // NOTE [ Scalar normal path ] (sampling.h): always the double sampler.
      fill_serial<scalar_t>(t, [&] { return scalar_t(normal_double(g, mean, std)); });
    }
  });
  finish_fill(t, "NormalBackward0");
  return t;
}

Tensor& bernoulli_(Tensor& t, double p, Generator* gen) {
  FT_OP_SCOPE("bernoulli_");
  FT_CHECK(0 <= p && p <= 1, "bernoulli_ expects p to be in [0, 1], but got p=", p);
  check_fill_target(t);
  FT_DISPATCH_ALL_AND_BOOL(t.dtype(), "bernoulli_scalar_cpu_", [&] {
    Generator& g = resolve(gen);
    std::lock_guard<std::mutex> lock(g.mutex());
    // at::bernoulli_distribution<double>: one 53-bit uniform, success when u < p.
    fill_serial<scalar_t>(t, [&] { return scalar_t(uniform_double(g, 0.0, 1.0) < p); });
  });
  finish_fill(t, "BernoulliBackward1");
  return t;
}

Tensor& bernoulli_(Tensor& t, const Tensor& p, Generator* gen) {
  FT_OP_SCOPE("bernoulli_");
  check_fill_target(t);
  FT_CHECK(is_floating(p.dtype()), "\"bernoulli_tensor_cpu_p_\" not implemented for '", dtype_torch_name(p.dtype()), "'");
  // p is expanded to self's shape (expand_inplace).
  Tensor pe = p.expand(t.sizes());
  FT_DISPATCH_ALL_AND_BOOL(t.dtype(), "bernoulli_tensor_cpu_self_", [&] {
    using self_t = scalar_t;
    Generator& g = resolve(gen);
    std::lock_guard<std::mutex> lock(g.mutex());
    self_t* out = static_cast<self_t*>(t.data_ptr());
    FT_DISPATCH_FLOATING(pe.dtype(), "bernoulli_tensor_cpu_p_", [&] {
      const scalar_t* pp = static_cast<const scalar_t*>(pe.data_ptr());
      for_each_element<2>(t.sizes(), {t.strides(), pe.strides()}, [&](const std::array<int64_t, 2>& off) {
        // A double p draws a 53-bit uniform; a float p a 24-bit float uniform.
        if constexpr (std::is_same_v<scalar_t, double>)
          out[off[0]] = self_t(uniform_double(g, 0.0, 1.0) < pp[off[1]]);
        else
          out[off[0]] = self_t(uniform_float(g, 0.0f, 1.0f) < pp[off[1]]);
      });
    });
  });
  finish_fill(t, "BernoulliBackward2");
  return t;
}

Tensor& exponential_(Tensor& t, double lambd, Generator* gen) {
  FT_OP_SCOPE("exponential_");
  FT_CHECK(lambd >= 0.0, "exponential_ expects lambda >= 0.0, but found lambda=", lambd);
  check_fill_target(t);
  FT_DISPATCH_FLOATING(t.dtype(), "exponential_cpu", [&] {
    Generator& g = resolve(gen);
    std::lock_guard<std::mutex> lock(g.mutex());
    // at::exponential_distribution<double>: -1/lambda * log(1 - u).
    fill_serial<scalar_t>(t, [&] { return scalar_t(-1.0 / lambd * std::log(1.0 - uniform_double(g, 0.0, 1.0))); });
  });
  finish_fill(t, "ExponentialBackward0");
  return t;
}

Tensor& random_(Tensor& t, int64_t from, std::optional<int64_t> to_opt, Generator* gen) {
  FT_OP_SCOPE("random_");
  check_fill_target(t);
  uint64_t range = 0;
  if (to_opt) {
    int64_t to = *to_opt;
    FT_CHECK(from < to, "random_ expects 'from' to be less than 'to', but got from=", from, " >= to=", to);
    range = uint64_t(to) - uint64_t(from);
    // Bounds of the dtype (ATen's check_from_to_in_range for [from, to - 1]).
    FT_DISPATCH_ALL_AND_BOOL(t.dtype(), "check_random_bounds", [&] {
      double lo, hi;
      if constexpr (std::is_floating_point_v<scalar_t>) {
        lo = double(std::numeric_limits<scalar_t>::lowest());
        hi = double(std::numeric_limits<scalar_t>::max());
      } else {
        lo = double(int64_t(std::numeric_limits<scalar_t>::lowest()));
        hi = double(int64_t(std::numeric_limits<scalar_t>::max()));
      }
      FT_CHECK(double(from) >= lo && double(from) <= hi, "from is out of bounds for ", torch_type_name(t.dtype()));
      FT_CHECK(double(to - 1) >= lo && double(to - 1) <= hi, "to - 1 is out of bounds for ",
               torch_type_name(t.dtype()));
    });
  } else {
    int64_t to_inc = 0;
    FT_DISPATCH_ALL_AND_BOOL(t.dtype(), "random_from_to_range_calc", [&] {
      if constexpr (std::is_floating_point_v<scalar_t>)
        to_inc = int64_t(1) << std::numeric_limits<scalar_t>::digits;
      else if constexpr (std::is_same_v<scalar_t, bool>)
        to_inc = 1;
      else
        to_inc = int64_t(std::numeric_limits<scalar_t>::max());
    });
    FT_CHECK(from <= to_inc, "random_ expects 'from' casted to dtype to be less than or equal to 'to_inc' casted to dtype, but got from=", from, " > to_inc=", to_inc);
    range = uint64_t(to_inc) - uint64_t(from) + 1;
  }
  FT_DISPATCH_ALL_AND_BOOL(t.dtype(), "random_from_to_kernel_cpu", [&] {
    Generator& g = resolve(gen);
    std::lock_guard<std::mutex> lock(g.mutex());
    if (range == 0) {
      // [int64 min, int64 max]: the full 64-bit range.
      fill_serial<scalar_t>(t, [&] { return static_cast<scalar_t>(static_cast<int64_t>(g.random64())); });
    } else {
      fill_serial<scalar_t>(t, [&] { return int_from_to<scalar_t>(g, range, from); });
    }
  });
  finish_fill(t, "RandomBackward0");  // random_.from (both overloads with a from)
  return t;
}

Tensor& random_(Tensor& t, Generator* gen) {
  FT_OP_SCOPE("random_");
  check_fill_target(t);
  FT_DISPATCH_ALL_AND_BOOL(t.dtype(), "random_kernel_cpu", [&] {
    Generator& g = resolve(gen);
    std::lock_guard<std::mutex> lock(g.mutex());
    // at::uniform_int_distribution: [0, 2^digits] for floats, [0, max] for integers.
    fill_serial<scalar_t>(t, [&]() -> scalar_t {
      if constexpr (std::is_same_v<scalar_t, bool>) {
        return static_cast<bool>(g.random() & 1u);
      } else if constexpr (std::is_floating_point_v<scalar_t>) {
        uint64_t v = std::is_same_v<scalar_t, double> ? g.random64() : uint64_t(g.random());
        return static_cast<scalar_t>(v % ((uint64_t(1) << std::numeric_limits<scalar_t>::digits) + 1));
      } else {
        uint64_t v = std::is_same_v<scalar_t, int64_t> ? g.random64() : uint64_t(g.random());
        return static_cast<scalar_t>(v % (uint64_t(std::numeric_limits<scalar_t>::max()) + 1));
      }
    });
  });
  finish_fill(t, "RandomBackward2");
  return t;
}

}  // namespace ft
