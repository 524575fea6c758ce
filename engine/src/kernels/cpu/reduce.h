// Reduction kernel: out[kept...] = sum over reduced dims of in[...].
//
// NOTE [ Deterministic reductions ]
// Each output element is reduced by one thread in a fixed order: reduced
// elements are visited by the strided iterator (innermost fastest) and each
// contiguous run is summed pairwise in blocks, partial sums folded in order
// into an accumulator of type Acc (double for floating types, wrapping int64
// for integers). The result is a pure function of the input values and shape:
// identical for any thread count, and more accurate than a naive loop.
#pragma once

#include <type_traits>

#include "ft/tensor.h"
#include "loops.h"

namespace ft::kernels {

template <typename Acc, typename T>
Acc run_sum(const char* p, int64_t stride, int64_t n) {
  if constexpr (std::is_floating_point_v<Acc>) {
    if (n > 256) {  // pairwise above a block: error grows with log(n), not n
      int64_t h = n / 2;
      return run_sum<Acc, T>(p, stride, h) + run_sum<Acc, T>(p + h * stride, stride, n - h);
    }
    Acc a0 = 0, a1 = 0, a2 = 0, a3 = 0;
    int64_t i = 0;
    for (; i + 4 <= n; i += 4) {
      a0 += Acc(*reinterpret_cast<const T*>(p + (i + 0) * stride));
      a1 += Acc(*reinterpret_cast<const T*>(p + (i + 1) * stride));
      a2 += Acc(*reinterpret_cast<const T*>(p + (i + 2) * stride));
      a3 += Acc(*reinterpret_cast<const T*>(p + (i + 3) * stride));
    }
    for (; i < n; ++i) a0 += Acc(*reinterpret_cast<const T*>(p + i * stride));
    return (a0 + a1) + (a2 + a3);
  } else {
    uint64_t a = 0;  // wrapping integer sum
    for (int64_t i = 0; i < n; ++i) a += uint64_t(int64_t(*reinterpret_cast<const T*>(p + i * stride)));
    return Acc(a);
  }
}

// in: any strides; out: shape = in's shape with reduced dims set to 1 (keepdim
// form), any strides; `mask` bit d set => dim d reduced. R is out's type.
template <typename T, typename Acc, typename R, typename Finish>
void sum_reduce(const Tensor& out_keep, const Tensor& in, uint64_t mask, Finish finish) {
  DimVector kept_sizes, kept_in, kept_out, red_sizes, red_in;
  for (int64_t d = 0; d < in.dim(); ++d) {
    if (mask & (uint64_t(1) << d)) {
      red_sizes.push_back(in.sizes()[size_t(d)]);
      red_in.push_back(in.strides()[size_t(d)]);
    } else {
      kept_sizes.push_back(in.sizes()[size_t(d)]);
      kept_in.push_back(in.strides()[size_t(d)]);
      kept_out.push_back(out_keep.strides()[size_t(d)]);
    }
  }
  auto gr = make_geometry<1>(red_sizes, {IntArrayRef(red_in)}, {int64_t(sizeof(T))});
  auto gk = make_geometry<2>(kept_sizes, {IntArrayRef(kept_out), IntArrayRef(kept_in)},
                             {int64_t(sizeof(R)), int64_t(sizeof(T))});
  run_geometry(gk, {static_cast<char*>(out_keep.data_ptr()), static_cast<char*>(in.data_ptr())},
               [&](char** p, const int64_t* s, int64_t n) {
                 for (int64_t i = 0; i < n; ++i) {
                   Acc acc = 0;
                   run_geometry(gr, {p[1] + i * s[1]}, [&](char** q, const int64_t* qs, int64_t m) {
                     acc += run_sum<Acc, T>(q[0], qs[0], m);
                   });
                   *reinterpret_cast<R*>(p[0] + i * s[0]) = finish(acc);
                 }
               });
}

}  // namespace ft::kernels
