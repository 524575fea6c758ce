// Row kernels of the sorting family: sort, topk and kthvalue over the rows of
// an (m, k) contiguous buffer (the sorted dim last, NOTE [ Row reductions ]),
// and the binary searches of searchsorted. Each row is one thread's work and
// a pure function of its values, so results do not depend on the thread count.
// Tie order: NOTE [ Sorting ties ] in ft/ops/sort.h.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <type_traits>
#include <utility>
#include <vector>

#include "ft/dtype.h"
#include "ft/parallel.h"
#include "loops.h"

namespace ft::kernels::sorting {

template <typename T>
inline bool nan_v(T v) {
  if constexpr (std::is_floating_point_v<T>) return std::isnan(v);
  else if constexpr (is_reduced_float_v<T>) return std::isnan(float(v));  // Half, BFloat16
  else return false;
}

// ATen's value-only comparators (indices never break ties): NaN counts as
// larger than every number, so ascending order puts NaNs last and
// descending order first.
template <typename T>
struct AscNanLast {
  bool operator()(const std::pair<T, int64_t>& a, const std::pair<T, int64_t>& b) const {
    return (!nan_v(a.first) && nan_v(b.first)) || a.first < b.first;
  }
};
template <typename T>
struct DescNanFirst {
  bool operator()(const std::pair<T, int64_t>& a, const std::pair<T, int64_t>& b) const {
    return (nan_v(a.first) && !nan_v(b.first)) || a.first > b.first;
  }
};

// Rows per parallel chunk: about kParallelGrain elements of work.
inline int64_t row_grain(int64_t k) { return std::max<int64_t>(1, kParallelGrain / std::max<int64_t>(k, 1)); }

// x (m, k) -> vals (m, k), idx (m, k): each row sorted, idx the source
// positions. One (value, index) buffer per chunk of rows, reused row to row.
template <typename T>
void sort_rows(const T* x, int64_t m, int64_t k, bool descending, bool stable, T* vals, int64_t* idx) {
  parallel_for(0, k > 0 ? m : 0, row_grain(k), [&](int64_t r0, int64_t r1) {
    std::vector<std::pair<T, int64_t>> buf(static_cast<size_t>(k));
    for (int64_t r = r0; r < r1; ++r) {
      const T* row = x + r * k;
      for (int64_t j = 0; j < k; ++j) buf[size_t(j)] = {row[j], j};
      if (descending) {
        if (stable) std::stable_sort(buf.begin(), buf.end(), DescNanFirst<T>());
        else std::sort(buf.begin(), buf.end(), DescNanFirst<T>());
      } else {
        if (stable) std::stable_sort(buf.begin(), buf.end(), AscNanLast<T>());
        else std::sort(buf.begin(), buf.end(), AscNanLast<T>());
      }
      for (int64_t j = 0; j < k; ++j) {
        vals[r * k + j] = buf[size_t(j)].first;
        idx[r * k + j] = buf[size_t(j)].second;
      }
    }
  });
}

// x (m, n) -> vals (m, kk), idx (m, kk): the kk largest (or smallest) of
// each row. ATen's choice of algorithm, which fixes the order of ties: a
// partial sort when kk is small next to n, else nth_element, then (when
// `sorted`) a sort of the kk-1 elements before the k-th.
template <typename T, typename Cmp>
void topk_row(std::vector<std::pair<T, int64_t>>& q, int64_t kk, bool sorted, Cmp cmp) {
  if (kk * 64 <= int64_t(q.size())) {
    std::partial_sort(q.begin(), q.begin() + kk, q.end(), cmp);
  } else {
    std::nth_element(q.begin(), q.begin() + (kk - 1), q.end(), cmp);
    if (sorted) std::sort(q.begin(), q.begin() + (kk - 1), cmp);
  }
}

template <typename T>
void topk_rows(const T* x, int64_t m, int64_t n, int64_t kk, bool largest, bool sorted, T* vals, int64_t* idx) {
  if (kk == 0) return;
  parallel_for(0, m, row_grain(n), [&](int64_t r0, int64_t r1) {
    std::vector<std::pair<T, int64_t>> q(static_cast<size_t>(n));
    for (int64_t r = r0; r < r1; ++r) {
      const T* row = x + r * n;
      for (int64_t j = 0; j < n; ++j) q[size_t(j)] = {row[j], j};
      if (largest) topk_row(q, kk, sorted, DescNanFirst<T>());
      else topk_row(q, kk, sorted, AscNanLast<T>());
      for (int64_t j = 0; j < kk; ++j) {
        vals[r * kk + j] = q[size_t(j)].first;
        idx[r * kk + j] = q[size_t(j)].second;
      }
    }
  });
}

// Quickselect with a median-of-three pivot (Sedgewick's partitioning, the
// scheme of ATen's quick_select_template): on return v[k] is the k-th
// smallest under `gt` (greater, NaN largest) and ix moved along with v.
template <typename T, typename Gt>
void quick_select(T* v, int64_t* ix, int64_t n, int64_t k, Gt gt) {
  auto swap2 = [&](int64_t a, int64_t b) {
    std::swap(v[a], v[b]);
    std::swap(ix[a], ix[b]);
  };
  int64_t lo = 0, hi = n - 1;
  while (hi > lo) {
    if (hi == lo + 1) {
      if (gt(v[lo], v[hi])) swap2(lo, hi);
      return;
    }
    // Order v[lo+1] <= v[lo] <= v[hi]: v[lo] is the pivot, the outer two
    // stop the scans without bounds checks.
    swap2((lo + hi) >> 1, lo + 1);
    if (gt(v[lo + 1], v[hi])) swap2(lo + 1, hi);
    if (gt(v[lo], v[hi])) swap2(lo, hi);
    if (gt(v[lo + 1], v[lo])) swap2(lo + 1, lo);
    const T piv = v[lo];
    int64_t i = lo + 1, j = hi;
    while (true) {
      do ++i; while (gt(piv, v[i]));
      do --j; while (gt(v[j], piv));
      if (j < i) break;
      swap2(i, j);
    }
    swap2(lo, j);
    if (j <= k) lo = i;
    if (j >= k) hi = j - 1;
  }
}

// x (m, n) -> vals (m), idx (m): the kk-th smallest (1-based) of each row.
template <typename T>
void kthvalue_rows(const T* x, int64_t m, int64_t n, int64_t kk, T* vals, int64_t* idx) {
  auto gt = [](T a, T b) { return (nan_v(a) && !nan_v(b)) || a > b; };
  parallel_for(0, n > 0 ? m : 0, row_grain(n), [&](int64_t r0, int64_t r1) {
    std::vector<T> v(static_cast<size_t>(n));
    std::vector<int64_t> ix(static_cast<size_t>(n));
    for (int64_t r = r0; r < r1; ++r) {
      std::copy(x + r * n, x + (r + 1) * n, v.begin());
      for (int64_t j = 0; j < n; ++j) ix[size_t(j)] = j;
      quick_select(v.data(), ix.data(), n, kk - 1, gt);
      vals[r] = v[size_t(kk - 1)];
      idx[r] = ix[size_t(kk - 1)];
    }
  });
}

// First position in bd[0, n) (read through `sorter` when given) whose value
// is not below val (right: above val). Written as ATen's loop, so an
// unsorted sequence or NaNs give the same answer on both sides.
template <typename T>
int64_t search_row(const T* bd, const int64_t* sorter, int64_t n, T val, bool right) {
  int64_t lo = 0, hi = n;
  while (lo < hi) {
    const int64_t mid = lo + ((hi - lo) >> 1);
    const T mv = sorter ? bd[sorter[mid]] : bd[mid];
    const bool go_right = right ? !(mv > val) : !(mv >= val);
    if (go_right) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

}  // namespace ft::kernels::sorting
