// Kernels of layer_norm, group_norm and batch_norm (ops/nn_norm.cpp).
//
// NOTE [ Normalization groups ]
// All three normalize groups of elements by the group's mean and biased
// variance. In a contiguous input a group is `nblocks` runs of `blen`
// elements, `bstride` apart, starting at `start(g)`:
//   layer_norm: group = row of K = prod(normalized_shape): 1 run;
//   group_norm: group = (n, g): the C/G channels' planes, 1 run;
//   batch_norm: group = channel c: N runs of the plane size S, C*S apart.
// Statistics are two-pass in double (mean, then squared deviations), so
// constant groups give a variance of exactly 0. Groups are independent:
// parallel chunks give the same bits for any thread count.
#pragma once

#include <cmath>
#include <cstdint>

#include "ft/parallel.h"

namespace ft::kernels {

struct NormGroups {
  int64_t count = 0;      // groups
  int64_t nblocks = 1;    // runs per group
  int64_t blen = 0;       // elements per run
  int64_t bstride = 0;    // distance between runs
  int64_t gstride = 0;    // distance between the starts of groups g and g + 1
  int64_t start(int64_t g) const { return g * gstride; }
  int64_t size() const { return nblocks * blen; }
};

// mean[g] and the biased variance var[g] in double.
template <typename T>
void norm_group_moments(const T* x, const NormGroups& s, double* mean, double* var) {
  const int64_t grain = std::max<int64_t>(1, (int64_t(1) << 15) / std::max<int64_t>(1, s.size()));
  parallel_for(0, s.count, grain, [&](int64_t b, int64_t e) {
    for (int64_t g = b; g < e; ++g) {
      const T* p = x + s.start(g);
      double sum = 0;
      for (int64_t k = 0; k < s.nblocks; ++k)
        for (int64_t j = 0; j < s.blen; ++j) sum += double(p[k * s.bstride + j]);
      const double n = double(s.size());
      const double m = n > 0 ? sum / n : 0.0;
      double sq = 0;
      for (int64_t k = 0; k < s.nblocks; ++k)
        for (int64_t j = 0; j < s.blen; ++j) {
          double d = double(p[k * s.bstride + j]) - m;
          sq += d * d;
        }
      mean[g] = n > 0 ? m : std::nan("");
      var[g] = n > 0 ? sq / n : std::nan("");
    }
  });
}

}  // namespace ft::kernels
