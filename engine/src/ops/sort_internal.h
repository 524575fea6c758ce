// Internal plumbing of the sorting family (src/ops/sort*.cpp): the row
// layout along one dim, the out= forms that return (values, indices), and
// the family's autograd recorder.
#pragma once

#include <tuple>

#include "../kernels/cpu/reduce_rows.h"
#include "op_helpers.h"

namespace ft::binops {
const char* meta_name(DType t);  // caffe2::TypeMeta names ("float", "long int"), binary_ternary.cpp
}

namespace ft::sort_detail {

// self with dim d moved last, copied contiguous: (m, k) rows. A 0-dim
// tensor is one row of one.
inline kernels::Rows along(const Tensor& self, int64_t d) {
  return kernels::to_rows(self, self.dim() == 0 ? 0 : uint64_t(1) << d);
}

// An (m, kk) row result back in self's dim order, with `shape` (self's
// shape with the sorted dim's new size) as its final shape.
inline Tensor unrows(const Tensor& res, const kernels::Rows& rows, IntArrayRef shape) {
  autograd::NoGradGuard ng;
  DimVector ps, inv(rows.perm.size());
  for (int64_t d : rows.perm) ps.push_back(shape[size_t(d)]);
  for (size_t i = 0; i < rows.perm.size(); ++i) inv[size_t(rows.perm[i])] = int64_t(i);
  return res.view(ps).permute(inv).contiguous();
}

// Writes a (values, indices) result computed without autograd into the out=
// pair; ATen's structured kernels want each out's dtype exactly (values:
// self's, indices: int64) and resize an out of another shape.
template <typename F>
std::tuple<Tensor&, Tensor&> pair_out(const char* name, Tensor& values, Tensor& indices, const Tensor& self,
                                      F compute) {
  ops::check_out_autograd(name, {&self});
  std::tuple<Tensor, Tensor> r;
  {
    autograd::NoGradGuard ng;
    r = compute();
  }
  for (auto [out, res] : {std::pair<Tensor*, Tensor*>{&values, &std::get<0>(r)}, {&indices, &std::get<1>(r)}})
    FT_CHECK(out->dtype() == res->dtype(), "Expected out tensor to have dtype ", binops::meta_name(res->dtype()),
             ", but got ", binops::meta_name(out->dtype()), " instead");
  ops::write_out(values, std::get<0>(r));
  ops::write_out(indices, std::get<1>(r));
  return {values, indices};
}

// unique_dim / unique_consecutive(dim=): the distinct slices of self along
// dim (sorted lexicographically unless consecutive), inverse indices, counts.
std::tuple<Tensor, Tensor, Tensor> unique_slices(const Tensor& self, int64_t dim, bool consecutive);

}  // namespace ft::sort_detail

namespace ft::autograd {
// sort / topk / kthvalue (PyTorch's value_selecting_reduction_backward):
// the gradient of `values` lands at `indices` along `dim` (wrapped) in
// zeros shaped like `in`; keepdim=false when dim was reduced away.
void record_value_select(const Tensor& in, int64_t dim, bool keepdim, Tensor& values, const Tensor& indices,
                         const char* name);
}  // namespace ft::autograd
