// unique_dim (torch.unique(dim=)) and unique_consecutive(dim=): distinct
// slices along a dim.
//
// NOTE [ unique slices ]
// libtorch 1.13 swaps dim with dim 0 (a transpose, not a move: the order of
// the other dims in a row matters), views the input as (n, k) rows and
// (unless consecutive) orders the row indices with std::sort under a
// lexicographic comparator (the first element that compares < or > decides;
// NaN never does). A row starts a new group when it is not equal (==,
// element by element; NaN never equal) to the group's first row, which is the
// group's representative in the output. The inverse indices and counts are
// computed and returned whatever return_inverse/return_counts say. The engine
// runs the same std::sort with the same comparator, so groups, their order
// and representatives (0.0 vs -0.0) come out the same.
#include <algorithm>
#include <numeric>

#include "sort_internal.h"

namespace ft {
namespace sort_detail {
namespace {

template <typename T>
std::tuple<Tensor, Tensor, Tensor> unique_rows(const Tensor& rows, bool consecutive) {
  const int64_t n = rows.size(0), k = n ? rows.numel() / n : 0;
  const T* x = rows.data_ptr<T>();  // (n, k)
  std::vector<int64_t> order(static_cast<size_t>(n));
  std::iota(order.begin(), order.end(), int64_t(0));
  if (!consecutive)
    std::sort(order.begin(), order.end(), [x, k](int64_t a, int64_t b) {
      for (int64_t i = 0; i < k; ++i) {
        const T l = x[a * k + i], r = x[b * k + i];
        if (l < r) return true;
        if (l > r) return false;
      }
      return false;
    });
  auto equal = [x, k](int64_t a, int64_t b) {
    for (int64_t i = 0; i < k; ++i)
      if (!(x[a * k + i] == x[b * k + i])) return false;
    return true;
  };
  Tensor inverse = empty({n}, DType::Int64);
  int64_t* inv = inverse.data_ptr<int64_t>();
  std::vector<int64_t> reps, counts;
  for (int64_t p = 0; p < n; ++p) {
    if (reps.empty() || !equal(order[size_t(p)], reps.back())) {
      reps.push_back(order[size_t(p)]);
      counts.push_back(0);
    }
    ++counts.back();
    inv[order[size_t(p)]] = int64_t(reps.size()) - 1;
  }
  const int64_t u = int64_t(reps.size());
  Tensor out = empty({u, k}, rows.dtype());
  T* o = out.data_ptr<T>();  // (u, k)
  for (int64_t g = 0; g < u; ++g) std::copy(x + reps[size_t(g)] * k, x + (reps[size_t(g)] + 1) * k, o + g * k);
  Tensor cnt = empty({u}, DType::Int64);
  std::copy(counts.begin(), counts.end(), cnt.data_ptr<int64_t>());
  return {out, inverse, cnt};
}

}  // namespace

namespace {
template <typename T>
std::tuple<Tensor, Tensor, Tensor> unique_slices_of(const Tensor& self, int64_t dim, bool consecutive) {
  FT_CHECK_INDEX(self.dim() > 0, "Dimension specified as ", dim, " but tensor has no dimensions");
  const int64_t d = maybe_wrap_dim(dim, self.dim());
  autograd::NoGradGuard ng;
  if (self.numel() == 0) {
    int64_t zero_dims = 0;
    for (int64_t s : self.sizes()) zero_dims += s == 0;
    FT_CHECK(zero_dims == 1, "Number of zero sized dimensions is more than one, so unique cannot be applied ");
    FT_CHECK(self.size(d) == 0, "There are 0 sized dimensions, and they aren't selected, so unique cannot be applied");
    return {empty(self.sizes(), self.dtype()), empty({0}, DType::Int64), empty({0}, DType::Int64)};
  }
  Tensor moved = transpose(self, 0, d).contiguous();  // (n, ...rest)
  std::vector<int64_t> moved_sizes = moved.sizes().vec();
  Tensor rows = moved.view({moved.size(0), -1});
  std::tuple<Tensor, Tensor, Tensor> r = unique_rows<T>(rows, consecutive);
  moved_sizes[0] = std::get<0>(r).size(0);
  std::get<0>(r) = transpose(std::get<0>(r).view(moved_sizes), 0, d);
  return r;
}
}  // namespace

std::tuple<Tensor, Tensor, Tensor> unique_slices(const Tensor& self, int64_t dim, bool consecutive) {
  std::tuple<Tensor, Tensor, Tensor> r;
  // libtorch dispatches first (Half raises even for a 0-d or empty input);
  // its unique_dim kernels take BFloat16 but not Half.
  FT_DISPATCH_ALL_AND_BOOL_BF16(self.dtype(), "unique_dim",
                                [&] { r = unique_slices_of<scalar_t>(self, dim, consecutive); });
  return r;
}

}  // namespace sort_detail

std::tuple<Tensor, Tensor, Tensor> unique_dim(const Tensor& self, int64_t dim, bool sorted, bool return_inverse,
                                              bool return_counts) {
  FT_OP_SCOPE("unique_dim");
  (void)sorted, (void)return_inverse, (void)return_counts;  // NOTE [ unique slices ]: always sorted, all outputs
  return sort_detail::unique_slices(self, dim, false);
}

}  // namespace ft
