// The three 2-D convolution kernels (see conv2d.h), parallel over the batch.
//
// NOTE [ Convolution work split ]
// Forward and input-gradient work items are (sample, group) pairs; each item
// writes a disjoint slice of the output, so any chunking gives the same bits.
// With fewer than 8 such pairs (batch-1 inference) the forward also splits
// the output rows into blocks, so both cores get work; the block size is a
// function of the shape only, never of the thread count.
// The weight gradient sums over the batch: samples are cut into a number of
// chunks that depends only on N (never on the thread count), each chunk sums
// its samples in order into its own partial, and the partials are added in
// chunk order. 1 or 2 threads therefore give bitwise-identical gradients.
#include "conv2d.h"

#include <algorithm>
#include <memory>
#include <type_traits>
#include <vector>

#include "conv_gemm.h"
#include "ft/parallel.h"
#include "im2col.h"

namespace ft::kernels {
namespace {

// Chunks of work items for kernels whose result does not depend on chunking:
// about two per thread, for balance.
int64_t balanced_grain(int64_t items) {
  const int64_t parts = std::max<int64_t>(1, 2 * get_num_threads());
  return std::max<int64_t>(1, (items + parts - 1) / parts);
}

// An uninitialized buffer (im2col overwrites every element; a std::vector
// would zero-fill it first).
template <typename T>
struct Scratch {
  std::unique_ptr<T[]> p;
  explicit Scratch(int64_t n) : p(n > 0 ? new T[size_t(n)] : nullptr) {}
  T* data() { return p.get(); }
};

// a + b, wrapping for integer types (no signed-overflow UB).
template <typename T>
T add_wrap(T a, T b) {
  if constexpr (std::is_integral_v<T>)
    return T(uint64_t(int64_t(a)) + uint64_t(int64_t(b)));
  else
    return a + b;
}

// Weight-gradient chunks: a function of N only (NOTE [ Convolution work split ]).
constexpr int64_t kWeightGradChunks = 8;

// Output rows per forward work item (NOTE [ Convolution work split ]).
int64_t forward_rows_per_block(const Conv2dShape& s) {
  constexpr int64_t kMinItems = 8;
  const int64_t pairs = s.N * s.groups;
  if (pairs >= kMinItems) return s.Ho;
  const int64_t blocks = (kMinItems + pairs - 1) / pairs;
  return std::max<int64_t>(1, (s.Ho + blocks - 1) / blocks);
}

template <typename T>
void forward_impl(T* out, const T* in, const T* w, const T* bias, const Conv2dShape& s) {
  const int64_t G = s.groups, Cg = s.cin_g(), Cog = s.cout_g(), K = s.col_rows(), L = s.col_cols();
  const bool direct = s.pointwise();
  const int64_t rows = forward_rows_per_block(s), RB = (s.Ho + rows - 1) / rows;
  const int64_t items = s.N * G * RB;
  parallel_for(0, items, balanced_grain(items), [&](int64_t b, int64_t e) {
    Scratch<T> col(direct ? 0 : K * rows * s.Wo);
    for (int64_t item = b; item < e; ++item) {
      const int64_t n = item / (G * RB), g = item / RB % G, rb = item % RB;
      const int64_t oh0 = rb * rows, oh1 = std::min(s.Ho, oh0 + rows), Lb = (oh1 - oh0) * s.Wo;
      const T* x = in + (n * s.C + g * Cg) * s.H * s.W;      // (Cg, H, W)
      T* y = out + (n * s.Cout + g * Cog) * L + oh0 * s.Wo;  // (Cog, Lb) with row stride L
      const T* cols = x + oh0 * s.Wo;                        // (K, Lb) with row stride ldc
      int64_t ldc = L;
      if (!direct) {
        im2col(x, col.data(), Cg, s, oh0, oh1);
        cols = col.data();
        ldc = Lb;
      }
      gemm_rm<T>(false, false, Cog, Lb, K, w + g * Cog * K, K, cols, ldc, false, y, L);
      if (bias)
        for (int64_t co = 0; co < Cog; ++co) {
          const T bv = bias[g * Cog + co];
          T* yr = y + co * L;
          for (int64_t l = 0; l < Lb; ++l) yr[l] = add_wrap(yr[l], bv);
        }
    }
  });
}

template <typename T>
void backward_input_impl(T* gin, const T* gout, const T* w, const Conv2dShape& s) {
  const int64_t G = s.groups, Cg = s.cin_g(), Cog = s.cout_g(), K = s.col_rows(), L = s.col_cols();
  const bool direct = s.pointwise();
  parallel_for(0, s.N * G, balanced_grain(s.N * G), [&](int64_t b, int64_t e) {
    Scratch<T> col(direct ? 0 : K * L);
    for (int64_t item = b; item < e; ++item) {
      const int64_t n = item / G, g = item % G;
      T* gx = gin + (n * s.C + g * Cg) * s.H * s.W;     // (Cg, H, W)
      const T* gy = gout + (n * s.Cout + g * Cog) * L;  // (Cog, L)
      // col (K, L) = W_g^T (K, Cog) @ gy (Cog, L)
      if (direct) {
        gemm_rm<T>(true, false, K, L, Cog, w + g * Cog * K, K, gy, L, false, gx, L);
        continue;
      }
      gemm_rm<T>(true, false, K, L, Cog, w + g * Cog * K, K, gy, L, false, col.data(), L);
      std::fill(gx, gx + Cg * s.H * s.W, T(0));
      col2im(col.data(), gx, Cg, s);
    }
  });
}

template <typename T>
void backward_weight_impl(T* gw, const T* gout, const T* in, const Conv2dShape& s) {
  const int64_t G = s.groups, Cg = s.cin_g(), Cog = s.cout_g(), K = s.col_rows(), L = s.col_cols();
  const int64_t wnumel = s.Cout * K;
  const bool direct = s.pointwise();
  const int64_t per = (s.N + kWeightGradChunks - 1) / kWeightGradChunks;  // samples per chunk
  const int64_t nchunks = (s.N + per - 1) / per;                          // every chunk non-empty
  std::vector<T> partial(size_t(nchunks * wnumel));
  // One chunk per parallel_for element: grain 1 over the chunk index.
  parallel_for(0, nchunks, 1, [&](int64_t cb, int64_t ce) {
    Scratch<T> col(direct ? 0 : K * L);
    for (int64_t c = cb; c < ce; ++c) {
      T* acc = partial.data() + c * wnumel;  // (Cout, K)
      const int64_t n0 = c * per, n1 = std::min(s.N, n0 + per);
      for (int64_t n = n0; n < n1; ++n)
        for (int64_t g = 0; g < G; ++g) {
          const T* x = in + (n * s.C + g * Cg) * s.H * s.W;
          const T* gy = gout + (n * s.Cout + g * Cog) * L;  // (Cog, L)
          const T* cols = x;
          if (!direct) {
            im2col(x, col.data(), Cg, s);
            cols = col.data();
          }
          // acc_g (Cog, K) (+)= gy (Cog, L) @ cols^T (L, K)
          gemm_rm<T>(false, true, Cog, K, L, gy, L, cols, L, n > n0, acc + g * Cog * K, K);
        }
    }
  });
  std::copy(partial.begin(), partial.begin() + wnumel, gw);
  for (int64_t c = 1; c < nchunks; ++c) {
    const T* p = partial.data() + c * wnumel;
    for (int64_t i = 0; i < wnumel; ++i) gw[i] += p[i];
  }
}

}  // namespace

void conv2d_forward(const Tensor& out, const Tensor& in, const Tensor& w, const Tensor& bias, const Conv2dShape& s) {
  BlasSingleThreaded blas1;
  FT_DISPATCH_ALL(in.dtype(), "slow_conv2d_cpu", [&] {
    using T = scalar_t;
    forward_impl<T>(static_cast<T*>(out.data_ptr()), static_cast<const T*>(in.data_ptr()),
                    static_cast<const T*>(w.data_ptr()),
                    bias.defined() ? static_cast<const T*>(bias.data_ptr()) : nullptr, s);
  });
}

void conv2d_backward_input(const Tensor& gin, const Tensor& gout, const Tensor& w, const Conv2dShape& s) {
  BlasSingleThreaded blas1;
  FT_DISPATCH_FLOATING(gout.dtype(), "slow_conv2d_backward_cpu", [&] {
    using T = scalar_t;
    backward_input_impl<T>(static_cast<T*>(gin.data_ptr()), static_cast<const T*>(gout.data_ptr()),
                           static_cast<const T*>(w.data_ptr()), s);
  });
}

void conv2d_backward_weight(const Tensor& gw, const Tensor& gout, const Tensor& in, const Conv2dShape& s) {
  BlasSingleThreaded blas1;
  FT_DISPATCH_FLOATING(gout.dtype(), "slow_conv2d_backward_cpu", [&] {
    using T = scalar_t;
    backward_weight_impl<T>(static_cast<T*>(gw.data_ptr()), static_cast<const T*>(gout.data_ptr()),
                            static_cast<const T*>(in.data_ptr()), s);
  });
}

void conv_transpose2d_forward(const Tensor& out, const Tensor& in, const Tensor& w, const Tensor& bias,
                              const Conv2dShape& s) {
  BlasSingleThreaded blas1;
  FT_DISPATCH_ALL(in.dtype(), "slow_conv_transpose2d_out_cpu", [&] {
    using T = scalar_t;
    T* y = static_cast<T*>(out.data_ptr());
    backward_input_impl<T>(y, static_cast<const T*>(in.data_ptr()), static_cast<const T*>(w.data_ptr()), s);
    if (!bias.defined()) return;
    const T* b = static_cast<const T*>(bias.data_ptr());
    const int64_t plane = s.H * s.W;
    parallel_for(0, s.N * s.C, balanced_grain(s.N * s.C), [&](int64_t lo, int64_t hi) {
      for (int64_t i = lo; i < hi; ++i) {
        T* p = y + i * plane;
        const T bv = b[i % s.C];
        for (int64_t k = 0; k < plane; ++k) p[k] = add_wrap(p[k], bv);
      }
    });
  });
}

}  // namespace ft::kernels
