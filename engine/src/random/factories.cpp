// Random tensor factories: each is an empty tensor plus the matching in-place
// fill, exactly as ATen composes them (so they consume the generator alike).
#include <limits>

#include "ft/autograd.h"
#include "sampling.h"

namespace ft {

Tensor rand(IntArrayRef sizes, TensorOptions opts, Generator* g) {
  FT_OP_SCOPE("rand");
  Tensor t = empty(sizes, opts.dtype);
  uniform_(t, 0, 1, g);
  if (opts.requires_grad) t.requires_grad_(true);
  return t;
}

Tensor randn(IntArrayRef sizes, TensorOptions opts, Generator* g) {
  FT_OP_SCOPE("randn");
  Tensor t = empty(sizes, opts.dtype);
  normal_(t, 0, 1, g);
  if (opts.requires_grad) t.requires_grad_(true);
  return t;
}

Tensor normal(double mean, double std, IntArrayRef sizes, Generator* g, TensorOptions opts) {
  FT_OP_SCOPE("normal");
  Tensor t = empty(sizes, opts.dtype);
  normal_(t, mean, std, g);
  return t;
}

Tensor rand_like(const Tensor& x, Generator* g) { return rand(x.sizes(), x.dtype(), g); }
Tensor randn_like(const Tensor& x, Generator* g) { return randn(x.sizes(), x.dtype(), g); }

Tensor randint(int64_t low, int64_t high, IntArrayRef sizes, TensorOptions opts, Generator* g) {
  FT_OP_SCOPE("randint");
  Tensor t = empty(sizes, opts.dtype);
  random_(t, low, high, g);
  return t;
}

Tensor randint(int64_t high, IntArrayRef sizes, TensorOptions opts, Generator* g) {
  return randint(0, high, sizes, opts, g);
}

// NOTE [ randperm ]
// ATen 1.13's CPU randperm, for every n: write 0..n-1, then a forward
// Fisher-Yates shuffle where step i (0 <= i < n-1) swaps element i with
// element i + (random() % (n - i)), one 32-bit draw per step (no 64-bit draw
// even for huge n). n = 0 and n = 1 draw nothing.
Tensor randperm(int64_t n, TensorOptions opts, Generator* gen) {
  FT_OP_SCOPE("randperm");
  // at::randperm(n) allocates empty({n}) before randperm_out checks n.
  FT_CHECK(n >= 0, "Trying to create tensor with negative dimension ", n, ": [", n, "]");
  if (is_floating(opts.dtype)) {
    const int64_t limit = opts.dtype == DType::Float32 ? (int64_t(1) << 24) : (int64_t(1) << 53);
    FT_CHECK(n <= limit + 1, "n cannot be greater than 2^", opts.dtype == DType::Float32 ? 24 : 53, "+1 for ",
             dtype_torch_name(opts.dtype), " type.");
  }
  Tensor t = empty({n}, opts.dtype);
  FT_DISPATCH_ALL(opts.dtype, "randperm", [&] {
    if (!std::is_floating_point_v<scalar_t>)
      FT_CHECK(n - 1 <= int64_t(std::numeric_limits<scalar_t>::max()), "n is too large for result tensor type: '",
               dtype_torch_name(opts.dtype), "'");
    scalar_t* d = static_cast<scalar_t*>(t.data_ptr());
    for (int64_t i = 0; i < n; ++i) d[i] = scalar_t(i);
    Generator& g = rng::resolve(gen);
    std::lock_guard<std::mutex> lock(g.mutex());
    for (int64_t i = 0; i + 1 < n; ++i) {
      int64_t z = int64_t(g.random() % uint64_t(n - i));
      std::swap(d[i], d[i + z]);
    }
  });
  return t;
}

Tensor bernoulli(const Tensor& p, Generator* g) {
  FT_OP_SCOPE("bernoulli");
  // at::bernoulli(p): empty_like(p) (contiguous), then bernoulli_(p).
  Tensor out = empty(p.sizes(), p.dtype());
  {
    autograd::NoGradGuard ng;
    bernoulli_(out, p, g);
  }
  return out;
}

Tensor bernoulli(const Tensor& self, double p, Generator* g) {
  FT_OP_SCOPE("bernoulli");
  Tensor out = empty(self.sizes(), self.dtype());
  {
    autograd::NoGradGuard ng;
    bernoulli_(out, p, g);
  }
  return out;
}

}  // namespace ft
