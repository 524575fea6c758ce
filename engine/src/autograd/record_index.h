// Autograd recording hooks of the indexing op family (implemented with their
// backward formulas in derivatives_index.cpp). Same contract as record.h:
// each attaches a grad_fn to `out` when grad mode is on and an input requires
// grad, and costs one check otherwise. `dim` is already wrapped.
#pragma once

#include <optional>
#include <vector>

#include "ft/autograd.h"

namespace ft::autograd {

void record_gather(const Tensor& self, int64_t dim, const Tensor& index, Tensor& out);
// src null: the value overload (ScatterBackward1).
void record_scatter(const Tensor& self, int64_t dim, const Tensor& index, const Tensor* src, Tensor& out);
void record_scatter_add(const Tensor& self, int64_t dim, const Tensor& index, const Tensor& src, Tensor& out);
// reduce: int(index_detail::Reduce).
void record_scatter_reduce(const Tensor& self, int64_t dim, const Tensor& index, const Tensor& src, int reduce,
                           bool include_self, Tensor& out);
void record_index_select(const Tensor& self, int64_t dim, const Tensor& index, Tensor& out);
void record_index_add(const Tensor& self, int64_t dim, const Tensor& index, const Tensor& source,
                      const Scalar& alpha, Tensor& out);
void record_index_copy(const Tensor& self, int64_t dim, const Tensor& index, const Tensor& source, Tensor& out);
void record_index_fill(const Tensor& self, int64_t dim, const Tensor& index, Tensor& out);
void record_take(const Tensor& self, const Tensor& index, Tensor& out);
void record_put(const Tensor& self, const Tensor& index, const Tensor& source, bool accumulate, Tensor& out);
void record_masked_select(const Tensor& self, const Tensor& mask, Tensor& out);
void record_masked_scatter(const Tensor& self, const Tensor& mask, const Tensor& source, Tensor& out);
void record_index(const Tensor& self, const std::vector<std::optional<Tensor>>& indices, Tensor& out);
void record_index_put(const Tensor& self, const std::vector<std::optional<Tensor>>& indices, const Tensor& values,
                      bool accumulate, Tensor& out);

}  // namespace ft::autograd
