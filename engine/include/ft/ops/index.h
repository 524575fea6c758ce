// Functional API of the indexing op family (included by ft/ops.h): gather /
// scatter (src, value, reduce="add"/"multiply"), scatter_add, scatter_reduce,
// index_select / index_add / index_copy / index_fill, take / put /
// take_along_dim, masked_select / masked_scatter, nonzero / argwhere /
// where(cond), and advanced indexing (index / index_put with lists of
// optional index tensors). Names, argument orders, defaults, accepted index
// dtypes and error messages mirror ATen 1.13 CPU (see NOTE [ One call for
// both sides ] in ft/ops.def). The C++ indexing API (x.index({0, Slice(),
// None, Ellipsis, t})) lives in ft/indexing.h.
//
// Out-of-range indices raise ft::Error (IndexError or RuntimeError as
// PyTorch does); no kernel reads or writes outside its tensors.
#pragma once

#include <optional>
#include <string_view>
#include <vector>

namespace ft {

// Names at:: exposes from c10, so that one op-table call can spell an
// optional-tensor list for both sides: NS::List<NS::optional<NS::Tensor>>.
using std::optional;
template <typename T>
using List = std::vector<T>;
// The dtype constants the op table passes to ft::as_index (ATen's kLong/kBool).
constexpr DType kLong = DType::Int64;
constexpr DType kBool = DType::Bool;

// ---- gather / scatter (index: int64, same rank as self; values at or past
// the indexed dim's size raise, negatives are out of range too)
Tensor gather(const Tensor& self, int64_t dim, const Tensor& index, bool sparse_grad = false);
Tensor& gather_out(Tensor& out, const Tensor& self, int64_t dim, const Tensor& index, bool sparse_grad = false);
Tensor scatter(const Tensor& self, int64_t dim, const Tensor& index, const Tensor& src);
Tensor scatter(const Tensor& self, int64_t dim, const Tensor& index, const Scalar& value);
// reduce: "add" or "multiply" (ATen's scatter.reduce / scatter.value_reduce)
Tensor scatter(const Tensor& self, int64_t dim, const Tensor& index, const Tensor& src, std::string_view reduce);
Tensor scatter(const Tensor& self, int64_t dim, const Tensor& index, const Scalar& value, std::string_view reduce);
Tensor& scatter_out(Tensor& out, const Tensor& self, int64_t dim, const Tensor& index, const Tensor& src);
Tensor& scatter_out(Tensor& out, const Tensor& self, int64_t dim, const Tensor& index, const Scalar& value);
Tensor scatter_add(const Tensor& self, int64_t dim, const Tensor& index, const Tensor& src);
Tensor& scatter_add_out(Tensor& out, const Tensor& self, int64_t dim, const Tensor& index, const Tensor& src);
// reduce: "sum", "prod", "mean", "amax", "amin"
Tensor scatter_reduce(const Tensor& self, int64_t dim, const Tensor& index, const Tensor& src,
                      std::string_view reduce, bool include_self = true);
Tensor& scatter_reduce_out(Tensor& out, const Tensor& self, int64_t dim, const Tensor& index, const Tensor& src,
                           std::string_view reduce, bool include_self = true);

// ---- index along one dim (index: 1-D or 0-dim; int64, int32 where ATen takes it)
Tensor index_select(const Tensor& self, int64_t dim, const Tensor& index);
Tensor& index_select_out(Tensor& out, const Tensor& self, int64_t dim, const Tensor& index);
Tensor index_add(const Tensor& self, int64_t dim, const Tensor& index, const Tensor& source,
                 const Scalar& alpha = 1);
Tensor& index_add_out(Tensor& out, const Tensor& self, int64_t dim, const Tensor& index, const Tensor& source,
                      const Scalar& alpha = 1);
Tensor index_copy(const Tensor& self, int64_t dim, const Tensor& index, const Tensor& source);
Tensor& index_copy_out(Tensor& out, const Tensor& self, int64_t dim, const Tensor& index, const Tensor& source);
Tensor index_fill(const Tensor& self, int64_t dim, const Tensor& index, const Scalar& value);

// ---- flat indexing (negative indices wrap once)
Tensor take(const Tensor& self, const Tensor& index);
Tensor& take_out(Tensor& out, const Tensor& self, const Tensor& index);
Tensor put(const Tensor& self, const Tensor& index, const Tensor& source, bool accumulate = false);
Tensor take_along_dim(const Tensor& self, const Tensor& indices, std::optional<int64_t> dim = std::nullopt);
Tensor& take_along_dim_out(Tensor& out, const Tensor& self, const Tensor& indices,
                           std::optional<int64_t> dim = std::nullopt);

// ---- masks (mask: bool, or uint8 with ATen's deprecation; broadcast with self)
Tensor masked_select(const Tensor& self, const Tensor& mask);
Tensor& masked_select_out(Tensor& out, const Tensor& self, const Tensor& mask);
Tensor masked_scatter(const Tensor& self, const Tensor& mask, const Tensor& source);
Tensor nonzero(const Tensor& self);
Tensor& nonzero_out(Tensor& out, const Tensor& self);
Tensor argwhere(const Tensor& self);
std::vector<Tensor> where(const Tensor& condition);

// ---- advanced indexing: one optional index tensor per leading dim (nullopt
// = the whole dim); int64/uint8/bool index tensors broadcast together.
Tensor index(const Tensor& self, const List<optional<Tensor>>& indices);
Tensor index_put(const Tensor& self, const List<optional<Tensor>>& indices, const Tensor& values,
                 bool accumulate = false);
Tensor& index_put_(Tensor& self, const List<optional<Tensor>>& indices, const Tensor& values,
                   bool accumulate = false);

// ---- op-table helpers: both sides get index tensors from float inputs (so
// that every input of a float case is float and backward parity runs).
// A floating tensor becomes int64 (as_index) or a != 0 mask (as_mask);
// integer and bool tensors pass unchanged (int32 indices reach the op).
template <typename T, typename D>
T as_index(const T& t, D long_dtype) {
  return t.is_floating_point() ? t.to(long_dtype) : t;
}
template <typename T>
T as_mask(const T& t) {
  return t.is_floating_point() ? t.ne(0) : t;
}

// NOTE [ Packed index lists ]
// An op-table call builds its index list from C.ints, one item per code:
//   -1            None in a List<optional<Tensor>> (a whole dim); ft::indexing::None in index_spec
//    0 v          an integer index v                      (index_spec only)
//    1 f a b c    Slice; bit k of f: start/stop/step given (index_spec only)
//    2            Ellipsis                                (index_spec only)
//    3 b          a bool literal                          (index_spec only)
//    4            the next tensor input as an integer index (as_index)
//    5            the next tensor input as a mask (as_mask)
// Tensor inputs are taken in order from C.in[first] on (first = 1 for index,
// 2 for index_put, whose values are X1).
template <typename ListT, typename CallT, typename D>
ListT index_list(const CallT& c, D long_dtype, size_t first) {
  using OptT = typename ListT::value_type;
  ListT list;
  size_t next = first;
  for (int64_t code : c.ints) {
    if (code == -1) list.push_back(OptT());
    else if (code == 4) list.push_back(OptT(as_index(c.in.at(next++), long_dtype)));
    else list.push_back(OptT(as_mask(c.in.at(next++))));
  }
  return list;
}

}  // namespace ft
