// _unique2 (torch.unique without dim) and unique_consecutive (its dim= form
// is in sort_unique_dim.cpp).
//
// NOTE [ unique's order ]
// libtorch 1.13's CPU unique collects the elements into a
// std::unordered_set built from the flattened input; sorted=false returns
// the set's iteration order, sorted=true that order passed through
// std::sort with operator<. Both are deterministic functions of the input
// sequence under libstdc++, so the engine builds the same set the same way
// to get the same order. Consequences kept on purpose, as libtorch has them:
// NaN != NaN, so every NaN is its own element, its inverse index is 0 and
// its count 0 (lookups of NaN miss); 0.0 and -0.0 are one element (the
// first one seen). With return_counts the inverse indices are computed
// (and returned) even when return_inverse is false. Bool inputs take
// libtorch's counting path instead: always [false, true] (those present).
// BFloat16 hashes its 16 bits (libtorch's hash there), so 0.0 and -0.0 land
// in different buckets and stay two elements; equality still compares values.
#include <algorithm>
#include <unordered_map>
#include <unordered_set>

#include "sort_internal.h"

namespace ft {
namespace {

// Element storage of the result vectors: bytes for bool (no vector<bool>;
// the set itself is unordered_set<bool>, as in libtorch).
template <typename T>
using Elem = std::conditional_t<std::is_same_v<T, bool>, uint8_t, T>;

template <typename T>
struct UniqueHash {
  size_t operator()(T v) const {
    if constexpr (is_reduced_float_v<T>) return std::hash<uint16_t>()(v.x);
    else return std::hash<T>()(v);
  }
};

template <typename T>
std::tuple<Tensor, Tensor, Tensor> unique_impl(const Tensor& input, bool sorted, bool return_inverse,
                                               bool return_counts) {
  const int64_t n = input.numel();
  const T* x = n ? input.data_ptr<T>() : nullptr;
  std::unordered_set<T, UniqueHash<T>> set(x, x + n);
  std::vector<Elem<T>> vals(set.begin(), set.end());
  if (sorted) std::sort(vals.begin(), vals.end());
  const int64_t u = int64_t(vals.size());
  Tensor out = empty({u}, input.dtype());
  std::copy(vals.begin(), vals.end(), u ? out.data_ptr<T>() : nullptr);
  Tensor inverse = empty({0}, DType::Int64), counts = empty({0}, DType::Int64);
  if (return_inverse || return_counts) {
    // position of each (non-NaN) element in the output; NaN misses -> 0
    std::unordered_map<T, int64_t, UniqueHash<T>> pos;  // keyed like the set
    pos.reserve(size_t(u));
    for (int64_t i = 0; i < u; ++i) pos[T(vals[size_t(i)])] = i;
    inverse = empty(input.sizes(), DType::Int64);
    int64_t* ip = n ? inverse.data_ptr<int64_t>() : nullptr;
    for (int64_t i = 0; i < n; ++i) {
      auto it = pos.find(x[i]);
      ip[i] = it == pos.end() ? 0 : it->second;
    }
    if (return_counts) {
      counts = zeros({u}, DType::Int64);
      int64_t* cp = u ? counts.data_ptr<int64_t>() : nullptr;
      for (int64_t i = 0; i < n; ++i)
        if (pos.count(x[i])) ++cp[ip[i]];
    }
  }
  return {out, inverse, counts};
}

template <typename T>
std::tuple<Tensor, Tensor, Tensor> unique_consecutive_impl(const Tensor& input, bool return_inverse,
                                                           bool return_counts) {
  const int64_t n = input.numel();
  const T* x = n ? input.data_ptr<T>() : nullptr;
  std::vector<Elem<T>> vals;
  std::vector<int64_t> cnt;
  Tensor inverse = return_inverse ? empty(input.sizes(), DType::Int64) : empty({0}, DType::Int64);
  int64_t* ip = return_inverse && n ? inverse.data_ptr<int64_t>() : nullptr;
  for (int64_t i = 0; i < n; ++i) {
    // a new run starts where the value differs from the run's (NaN always does)
    if (vals.empty() || x[i] != T(vals.back())) {
      vals.push_back(x[i]);
      cnt.push_back(0);
    }
    ++cnt.back();
    if (ip) ip[i] = int64_t(vals.size()) - 1;
  }
  const int64_t u = int64_t(vals.size());
  Tensor out = empty({u}, input.dtype());
  std::copy(vals.begin(), vals.end(), u ? out.data_ptr<T>() : nullptr);
  Tensor counts = empty({return_counts ? u : 0}, DType::Int64);
  if (return_counts) std::copy(cnt.begin(), cnt.end(), u ? counts.data_ptr<int64_t>() : nullptr);
  return {out, inverse, counts};
}

}  // namespace

std::tuple<Tensor, Tensor, Tensor> _unique2(const Tensor& self, bool sorted, bool return_inverse, bool return_counts) {
  FT_OP_SCOPE("_unique2");
  autograd::NoGradGuard ng;
  Tensor input = self.contiguous();
  std::tuple<Tensor, Tensor, Tensor> r;
  FT_DISPATCH_ALL_AND_BOOL_BF16(self.dtype(), "unique",
                           [&] {
                             const bool sort_out = sorted || std::is_same_v<scalar_t, bool>;
                             r = unique_impl<scalar_t>(input, sort_out, return_inverse, return_counts);
                           });
  return r;
}

std::tuple<Tensor, Tensor, Tensor> unique_consecutive(const Tensor& self, bool return_inverse, bool return_counts,
                                                      std::optional<int64_t> dim) {
  FT_OP_SCOPE("unique_consecutive");
  // libtorch takes the flat path for dim=None and for a literal dim=0 of a 1-D input.
  if (dim.has_value() && !(*dim == 0 && self.dim() == 1)) return sort_detail::unique_slices(self, *dim, true);
  autograd::NoGradGuard ng;
  Tensor input = self.contiguous();
  std::tuple<Tensor, Tensor, Tensor> r;
  FT_DISPATCH_ALL_AND_BOOL_BF16(self.dtype(), "unique",
                           [&] { r = unique_consecutive_impl<scalar_t>(input, return_inverse, return_counts); });
  return r;
}

}  // namespace ft
