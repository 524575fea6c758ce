// sort (stable or not, ascending or descending), argsort and msort. The
// kernel sorts (value, index) pairs of each row with ATen's comparator and
// algorithm (NOTE [ Sorting ties ] in ft/ops/sort.h); along the last dim of
// a contiguous tensor the rows are the input itself (no copy in).
// libtorch 1.13's CPU sort with stable=false (the default of sort/argsort)
// is std::sort: stable up to 16 elements (insertion sort), not beyond; the
// engine reproduces that order rather than weakening the comparison.
#include "../kernels/cpu/sort_rows.h"
#include "sort_internal.h"

namespace ft {
namespace {

// (values, indices) without autograd. A 0-dim input is its own sort
// (index 0); any dim in [-1, 0] is accepted there.
std::tuple<Tensor, Tensor> sort_compute(const Tensor& self, bool stable, int64_t dim, bool descending) {
  autograd::NoGradGuard ng;
  const int64_t d = maybe_wrap_dim(dim, self.dim());
  if (self.dim() == 0) return {self.clone(), zeros({}, DType::Int64)};
  kernels::Rows rows = sort_detail::along(self, d);
  Tensor rv = empty({rows.m, rows.k}, self.dtype()), ri = empty({rows.m, rows.k}, DType::Int64);
  if (rows.m * rows.k > 0) {
    FT_DISPATCH_EVERY(self.dtype(), "sort", [&] {
      kernels::sorting::sort_rows<scalar_t>(rows.data.data_ptr<scalar_t>(), rows.m, rows.k, descending, stable,
                                            rv.data_ptr<scalar_t>(), ri.data_ptr<int64_t>());
    });
  }
  return {sort_detail::unrows(rv, rows, self.sizes()), sort_detail::unrows(ri, rows, self.sizes())};
}

bool stable_value(std::optional<bool> stable) {
  FT_CHECK(stable.has_value(), "sort_out(): c10::nullopt is not supported for stable parameter");
  return *stable;
}

}  // namespace

std::tuple<Tensor, Tensor> sort(const Tensor& self, std::optional<bool> stable, int64_t dim, bool descending) {
  FT_OP_SCOPE("sort");
  auto [values, indices] = sort_compute(self, stable_value(stable), dim, descending);
  autograd::record_value_select(self, self.dim() == 0 ? 0 : maybe_wrap_dim(dim, self.dim()), true, values,
                                indices, "SortBackward0");
  return {values, indices};
}
// sort(dim, descending) is sort(stable=false, ...), as in ATen.
std::tuple<Tensor, Tensor> sort(const Tensor& self, int64_t dim, bool descending) {
  return ft::sort(self, std::optional<bool>(false), dim, descending);
}

std::tuple<Tensor&, Tensor&> sort_out(Tensor& values, Tensor& indices, const Tensor& self,
                                      std::optional<bool> stable, int64_t dim, bool descending) {
  FT_OP_SCOPE("sort");
  return sort_detail::pair_out("sort", values, indices, self,
                               [&] { return sort_compute(self, stable_value(stable), dim, descending); });
}
std::tuple<Tensor&, Tensor&> sort_out(Tensor& values, Tensor& indices, const Tensor& self, int64_t dim,
                                      bool descending) {
  return ft::sort_out(values, indices, self, std::optional<bool>(false), dim, descending);
}

Tensor argsort(const Tensor& self, int64_t dim, bool descending) {
  FT_OP_SCOPE("argsort");
  return std::get<1>(sort_compute(self, false, dim, descending));
}
Tensor argsort(const Tensor& self, bool stable, int64_t dim, bool descending) {
  FT_OP_SCOPE("argsort");
  return std::get<1>(sort_compute(self, stable, dim, descending));
}

// msort(x) = sort(x, dim=0).values; its grad_fn is sort's.
Tensor msort(const Tensor& self) { return std::get<0>(ft::sort(self, 0, false)); }
Tensor& msort_out(Tensor& out, const Tensor& self) {
  Tensor indices = empty({0}, DType::Int64);
  ft::sort_out(out, indices, self, 0, false);
  return out;
}

std::tuple<Tensor, Tensor> Tensor::sort(int64_t dim, bool descending) const { return ft::sort(*this, dim, descending); }
std::tuple<Tensor, Tensor> Tensor::sort(std::optional<bool> stable, int64_t dim, bool descending) const {
  return ft::sort(*this, stable, dim, descending);
}
Tensor Tensor::argsort(int64_t dim, bool descending) const { return ft::argsort(*this, dim, descending); }
Tensor Tensor::argsort(bool stable, int64_t dim, bool descending) const {
  return ft::argsort(*this, stable, dim, descending);
}
Tensor Tensor::msort() const { return ft::msort(*this); }

}  // namespace ft
