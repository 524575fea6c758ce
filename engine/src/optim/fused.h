// Shared plumbing of the fused optimizer loops (NOTE [ Fused optimizer updates ]).
#pragma once

#include <algorithm>
#include <cmath>

#include "ft/autograd.h"
#include "ft/ops.h"
#include "ft/parallel.h"

namespace ft::optim::fused {

// ATen's add(x, y, alpha) for floats: y * alpha + x as one fma, except alpha
// == 1 which is a plain add.
template <typename T>
inline T add_alpha(T x, T y, T alpha) {
  return alpha == T(1) ? x + y : std::fma(y, alpha, x);
}

// ATen's addcmul(self, t1, t2, value) for floats: the CPU kernel computes
// self + value * t1 * t2, and the PyTorch build we match (Debian's 1.13,
// built with FMA enabled and GCC's default contraction) fuses the last
// multiply with the add; measured against torch: one rounding for
// (value * t1), then fma. NOTE [ No FMA contraction in optim ] keeps our
// own compiler from fusing anything else.
template <typename T>
inline T addcmul(T self, T value_t1, T t2) {
  return std::fma(value_t1, t2, self);
}

// Runs f(begin, end) over [0, n) in fixed chunks (thread-count independent).
template <typename F>
void for_chunks(int64_t n, F f) {
  parallel_for(0, n, 1 << 15, f);
}

// Runs f(begin, count) over [0, n) in blocks of at most kBlock elements
// (threads take whole chunks of blocks; deterministic for any thread count).
// Update loops use blocks so that each stage is a simple vectorizable loop
// over a small stack buffer.
constexpr int64_t kBlock = 512;
template <typename F>
void for_blocks(int64_t n, F f) {
  for_chunks(n, [&](int64_t b, int64_t e) {
    for (int64_t s = b; s < e; s += kBlock) f(s, std::min(kBlock, e - s));
  });
}

// The parameter's data as a contiguous tensor plus a write-back step when
// the parameter itself is not contiguous.
struct ParamView {
  Tensor data;  // contiguous, aliasing the parameter when possible
  Tensor param;
  bool copied = false;
  explicit ParamView(const Tensor& p) : param(p) {
    data = p.detach();
    if (!data.is_contiguous()) {
      data = data.contiguous();
      copied = true;
    }
  }
  void finish() {
    autograd::NoGradGuard ng;
    if (copied) {
      Tensor d = param.detach();
      d.copy_(data);
    } else {
      param.impl()->bump_version();
    }
  }
};

inline Tensor grad_of(const Tensor& p) {
  Tensor g = p.grad();
  if (!g.defined()) return g;
  FT_CHECK(g.dtype() == p.dtype(), "optimizer: grad dtype ", dtype_torch_name(g.dtype()),
           " differs from the parameter's ", dtype_torch_name(p.dtype()));
  FT_CHECK(g.sizes().equals(p.sizes()), "optimizer: grad shape differs from the parameter's");
  return g.detach().contiguous();
}

inline void check_float(const Tensor& p, const char* opt) {
  FT_CHECK_KIND(ErrorKind::NotImplemented, p.dtype() == DType::Float32 || p.dtype() == DType::Float64, opt,
                ": parameters must be float32 or float64, got ", dtype_torch_name(p.dtype()));
}

}  // namespace ft::optim::fused
