// topk and kthvalue: selection along one dim, with ATen 1.13's argument
// checks (in its order) and tie order (NOTE [ Sorting ties ] in ft/ops/sort.h).
#include "../kernels/cpu/sort_rows.h"
#include "sort_internal.h"

namespace ft {
namespace {

std::tuple<Tensor, Tensor> topk_compute(const Tensor& self, int64_t k, int64_t dim, bool largest, bool sorted) {
  autograd::NoGradGuard ng;
  const int64_t d = maybe_wrap_dim(dim, self.dim());
  const int64_t n = self.dim() == 0 ? 1 : self.size(d);
  FT_CHECK(k >= 0 && k <= n, "selected index k out of range");
  // A 0-dim input comes back as is for k = 0 and 1 (no dtype dispatch).
  if (self.dim() == 0) return {self.clone(), zeros({}, DType::Int64)};
  DimVector shape;
  for (int64_t s : self.sizes()) shape.push_back(s);
  shape[size_t(d)] = k;
  kernels::Rows rows = sort_detail::along(self, d);
  Tensor rv = empty({rows.m, k}, self.dtype()), ri = empty({rows.m, k}, DType::Int64);
  FT_DISPATCH_ALL_AND_BF16(self.dtype(), "topk_cpu", [&] {
    if (rows.m * k > 0)
      kernels::sorting::topk_rows<scalar_t>(rows.data.data_ptr<scalar_t>(), rows.m, n, k, largest, sorted,
                                            rv.data_ptr<scalar_t>(), ri.data_ptr<int64_t>());
  });
  return {sort_detail::unrows(rv, rows, shape), sort_detail::unrows(ri, rows, shape)};
}

// Checks of kthvalue, in ATen's order; returns the wrapped dim.
int64_t kthvalue_check(const Tensor& self, int64_t k, int64_t dim) {
  const int64_t d = maybe_wrap_dim(dim, self.dim());
  FT_CHECK_INDEX(self.dim() == 0 || self.size(d) != 0, "kthvalue(): Expected reduction dim ", d,
                 " to have non-zero size.");
  const int64_t n = self.dim() == 0 ? 1 : self.size(d);
  FT_CHECK(k >= 1 && k <= n, "kthvalue(): selected number k out of range for dimension ", d);
  return d;
}

std::tuple<Tensor, Tensor> kthvalue_compute(const Tensor& self, int64_t k, int64_t dim, bool keepdim) {
  autograd::NoGradGuard ng;
  const int64_t d = kthvalue_check(self, k, dim);
  if (self.dim() == 0) return {self.clone(), zeros({}, DType::Int64)};
  const uint64_t mask = uint64_t(1) << d;
  DimVector shape = ops::reduced_shape(self.sizes(), mask, keepdim);
  kernels::Rows rows = sort_detail::along(self, d);
  Tensor vals = empty(shape, self.dtype()), idx = empty(shape, DType::Int64);
  FT_DISPATCH_ALL_AND_BF16(self.dtype(), "kthvalue_cpu", [&] {
    // rows are in kept-dims order, which is the (contiguous) result's order
    kernels::sorting::kthvalue_rows<scalar_t>(rows.data.data_ptr<scalar_t>(), rows.m, rows.k, k,
                                              vals.data_ptr<scalar_t>(), idx.data_ptr<int64_t>());
  });
  return {vals, idx};
}

}  // namespace

std::tuple<Tensor, Tensor> topk(const Tensor& self, int64_t k, int64_t dim, bool largest, bool sorted) {
  FT_OP_SCOPE("topk");
  auto [values, indices] = topk_compute(self, k, dim, largest, sorted);
  autograd::record_value_select(self, self.dim() == 0 ? 0 : maybe_wrap_dim(dim, self.dim()), true, values,
                                indices, "TopkBackward0");
  return {values, indices};
}
std::tuple<Tensor&, Tensor&> topk_out(Tensor& values, Tensor& indices, const Tensor& self, int64_t k, int64_t dim,
                                      bool largest, bool sorted) {
  FT_OP_SCOPE("topk");
  return sort_detail::pair_out("topk", values, indices, self,
                               [&] { return topk_compute(self, k, dim, largest, sorted); });
}

std::tuple<Tensor, Tensor> kthvalue(const Tensor& self, int64_t k, int64_t dim, bool keepdim) {
  FT_OP_SCOPE("kthvalue");
  auto [values, indices] = kthvalue_compute(self, k, dim, keepdim);
  autograd::record_value_select(self, self.dim() == 0 ? 0 : maybe_wrap_dim(dim, self.dim()), keepdim, values,
                                indices, "KthvalueBackward0");
  return {values, indices};
}
// Not a structured kernel in ATen: its own dtype messages, checked after
// the argument checks.
std::tuple<Tensor&, Tensor&> kthvalue_out(Tensor& values, Tensor& indices, const Tensor& self, int64_t k,
                                          int64_t dim, bool keepdim) {
  FT_OP_SCOPE("kthvalue");
  ops::check_out_autograd("kthvalue", {&self});
  kthvalue_check(self, k, dim);
  FT_CHECK(values.dtype() == self.dtype(), "output values must be of same type as input");
  FT_CHECK(indices.dtype() == DType::Int64, "output indices must be of scalar type Long");
  autograd::NoGradGuard ng;
  auto [v, i] = kthvalue_compute(self, k, dim, keepdim);
  ops::write_out(values, v);
  ops::write_out(indices, i);
  return {values, indices};
}

std::tuple<Tensor, Tensor> Tensor::topk(int64_t k, int64_t dim, bool largest, bool sorted) const {
  return ft::topk(*this, k, dim, largest, sorted);
}
std::tuple<Tensor, Tensor> Tensor::kthvalue(int64_t k, int64_t dim, bool keepdim) const {
  return ft::kthvalue(*this, k, dim, keepdim);
}

}  // namespace ft
