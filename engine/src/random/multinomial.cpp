// multinomial: ATen 1.13's two CPU algorithms.
//
// NOTE [ multinomial algorithms ]
// * Without replacement: the exponential race (Gumbel-max in
//   multiplicative form). q = empty_like(p).exponential_(1) (drawn in q's
//   memory order; empty_like keeps p's strides when p is dense), s = p / q in
//   p's dtype, then argmax along the last dim (first index among ties) for
//   one sample, else topk(s, n) (descending). topk is ATen's CPU loop: pairs
//   (value as double, index) ordered by "x > y", std::partial_sort when
//   64k <= n, else std::nth_element at k-1 then std::sort of the first k-1;
//   using the same standard-library algorithms keeps even ties identical.
// * With replacement (even for a single sample: 1.13 has no n == 1 shortcut,
//   verified against libtorch): per row, a running sum of the
//   probabilities in p's dtype (the cumulative distribution), divided by the
//   total, the last bucket forced to 1; each sample draws one double uniform
//   (53 bits) and binary-searches the first bucket with cum >= u.
#include <algorithm>
#include <cmath>
#include <numeric>
#include <utility>

#include "ft/autograd.h"
#include "sampling.h"

namespace ft {
namespace {

bool dense_layout(const Tensor& t) {
  std::vector<int64_t> dims;
  for (int64_t d = 0; d < t.dim(); ++d)
    if (t.size(d) != 1) dims.push_back(d);
  std::sort(dims.begin(), dims.end(), [&](int64_t a, int64_t b) { return t.stride(a) < t.stride(b); });
  int64_t expected = 1;
  for (int64_t d : dims) {
    if (t.stride(d) != expected) return false;
    expected *= t.size(d);
  }
  return true;
}

template <typename T>
void exponential_race(const Tensor& p, Tensor& result, int64_t n_sample, Generator* gen) {
  Tensor q = dense_layout(p) ? empty_strided(p.sizes(), p.strides(), p.dtype()) : empty(p.sizes(), p.dtype());
  exponential_(q, 1.0, gen);
  const int64_t rows = p.dim() == 2 ? p.size(0) : 1;
  const int64_t cats = p.size(-1);
  const int64_t ps0 = p.dim() == 2 ? p.stride(0) : 0, ps1 = p.stride(-1);
  const int64_t qs0 = q.dim() == 2 ? q.stride(0) : 0, qs1 = q.stride(-1);
  const T* pd = static_cast<const T*>(p.data_ptr());
  const T* qd = static_cast<const T*>(q.data_ptr());
  int64_t* out = static_cast<int64_t*>(result.data_ptr());
  using elem = std::pair<double, int64_t>;
  auto greater = [](const elem& x, const elem& y) { return (std::isnan(x.first) && !std::isnan(y.first)) || x.first > y.first; };
  std::vector<elem> queue(static_cast<size_t>(cats));
  for (int64_t r = 0; r < rows; ++r) {
    for (int64_t j = 0; j < cats; ++j) queue[size_t(j)] = {double(T(pd[r * ps0 + j * ps1] / qd[r * qs0 + j * qs1])), j};
    if (n_sample == 1) {
      int64_t best = 0;
      for (int64_t j = 1; j < cats; ++j)
        if (queue[size_t(j)].first > queue[size_t(best)].first) best = j;
      out[r] = best;
      continue;
    }
    const int64_t k = n_sample;
    if (k * 64 <= cats) {
      std::partial_sort(queue.begin(), queue.begin() + k, queue.end(), greater);
    } else {
      std::nth_element(queue.begin(), queue.begin() + k - 1, queue.end(), greater);
      std::sort(queue.begin(), queue.begin() + k - 1, greater);
    }
    for (int64_t j = 0; j < k; ++j) out[r * k + j] = queue[size_t(j)].second;
  }
}

template <typename T>
void cumulative_search(const Tensor& p, Tensor& result, int64_t n_sample, Generator* gen) {
  Generator& g = rng::resolve(gen);
  std::lock_guard<std::mutex> lock(g.mutex());
  const int64_t rows = p.dim() == 2 ? p.size(0) : 1;
  const int64_t cats = p.size(-1);
  const int64_t ps0 = p.dim() == 2 ? p.stride(0) : 0, ps1 = p.stride(-1);
  const T* pd = static_cast<const T*>(p.data_ptr());
  int64_t* out = static_cast<int64_t*>(result.data_ptr());
  std::vector<T> cum(static_cast<size_t>(cats));
  for (int64_t r = 0; r < rows; ++r) {
    T sum = 0;
    for (int64_t j = 0; j < cats; ++j) {
      T v = pd[r * ps0 + j * ps1];
      FT_CHECK(v >= 0, "invalid multinomial distribution (encountering probability entry < 0)");
      FT_CHECK(std::isfinite(v), "invalid multinomial distribution (encountering probability entry = infinity or NaN)");
      sum += v;
      cum[size_t(j)] = sum;
    }
    FT_CHECK(sum > 0, "invalid multinomial distribution (sum of probabilities <= 0)");
    for (int64_t j = 0; j < cats; ++j) cum[size_t(j)] /= sum;
    cum[size_t(cats - 1)] = 1;
    for (int64_t s = 0; s < n_sample; ++s) {
      double u = rng::uniform_double(g, 0.0, 1.0);
      int64_t lo = 0, hi = cats;
      while (hi > lo) {
        int64_t mid = lo + (hi - lo) / 2;
        if (double(cum[size_t(mid)]) < u) lo = mid + 1;
        else hi = mid;
      }
      out[r * n_sample + s] = lo;
    }
  }
}

}  // namespace

Tensor multinomial(const Tensor& probs, int64_t n_sample, bool replacement, Generator* gen) {
  FT_OP_SCOPE("multinomial");
  FT_CHECK(probs.dim() > 0 && probs.dim() <= 2, "prob_dist must be 1 or 2 dim");
  FT_CHECK(is_floating(probs.dtype()), "multinomial only supports floating-point dtypes for input, got: ",
           dtype_torch_name(probs.dtype()));
  FT_CHECK(n_sample > 0, "cannot sample n_sample <= 0 samples");
  const int64_t cats = probs.size(-1);
  FT_CHECK(replacement || n_sample <= cats, "cannot sample n_sample > prob_dist.size(-1) samples without replacement");
  FT_CHECK(cats <= (int64_t(1) << 24), "number of categories cannot exceed 2^24");
  Tensor result = probs.dim() == 1 ? empty({n_sample}, DType::Int64) : empty({probs.size(0), n_sample}, DType::Int64);
  if (result.numel() == 0) return result;
  autograd::NoGradGuard ng;
  FT_DISPATCH_FLOATING(probs.dtype(), "multinomial", [&] {
    using T = scalar_t;
    if (!replacement) {
      // Sanity checks of the fast path: finite, non-negative, no all-zero row.
      const int64_t rows = probs.dim() == 2 ? probs.size(0) : 1;
      const int64_t s0 = probs.dim() == 2 ? probs.stride(0) : 0, s1 = probs.stride(-1);
      const T* pd = static_cast<const T*>(probs.data_ptr());
      bool valid = true, zero_row = false;
      for (int64_t r = 0; r < rows; ++r) {
        T row_sum = 0;
        for (int64_t j = 0; j < cats; ++j) {
          T v = pd[r * s0 + j * s1];
          valid = valid && v < T(INFINITY) && v >= 0;
          row_sum += v;
        }
        zero_row = zero_row || row_sum == 0;
      }
      FT_CHECK(valid, "probability tensor contains either `inf`, `nan` or element < 0");
      FT_CHECK(!zero_row, "invalid multinomial distribution (sum of probabilities <= 0)");
      exponential_race<T>(probs, result, n_sample, gen);
    } else {
      cumulative_search<T>(probs, result, n_sample, gen);
    }
  });
  return result;
}

}  // namespace ft
