// Selection kernels over rows (see NOTE [ Row reductions ]): max/min with the
// index PyTorch's CPU kernels report, and the running (cumulative) variant.
//
// Tie and NaN rules (PyTorch CPU, checked against 1.13):
//  - max/min/argmax/argmin: the first extremum wins; NaN is "more extreme"
//    than any number, so the first NaN wins and ends the row.
//  - cummax/cummin: ties move to the later index (>=, <=); every NaN moves
//    the index, and once the running value is NaN it stays NaN.
#pragma once

#include <cstdint>

#include "reduce_rows.h"

namespace ft::kernels {

// x: (m, k) contiguous, k >= 1; vals, idx: (m) (either may be null).
template <typename T, bool IsMax>
void select_rows(const T* x, int64_t m, int64_t k, T* vals, int64_t* idx) {
  for (int64_t i = 0; i < m; ++i) {
    const T* r = x + i * k;
    T best = r[0];
    int64_t bi = 0;
    if (!is_nan_v(best)) {
      for (int64_t j = 1; j < k; ++j) {
        T v = r[j];
        if (is_nan_v(v)) { best = v; bi = j; break; }
        if (IsMax ? (v > best) : (v < best)) { best = v; bi = j; }
      }
    }
    if (vals) vals[i] = best;
    if (idx) idx[i] = bi;
  }
}

// Running extremum: vals, idx: (m, k).
template <typename T, bool IsMax>
void cum_select_rows(const T* x, int64_t m, int64_t k, T* vals, int64_t* idx) {
  for (int64_t i = 0; i < m; ++i) {
    const T* r = x + i * k;
    T out = r[0];
    int64_t oi = 0;
    for (int64_t j = 0; j < k; ++j) {
      T v = r[j];
      if (is_nan_v(v) || (!is_nan_v(out) && (IsMax ? (v >= out) : (v <= out)))) { out = v; oi = j; }
      vals[i * k + j] = out;
      idx[i * k + j] = oi;
    }
  }
}

}  // namespace ft::kernels
