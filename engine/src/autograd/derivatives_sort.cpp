// Backward formulas of the sorting family (sort, topk, kthvalue), matching
// PyTorch 1.13's derivatives.yaml: value_selecting_reduction_backward.
// argsort, searchsorted, bucketize and unique return integers and have none.
#include "../ops/sort_internal.h"
#include "formula.h"

namespace ft::autograd {

// d values / d self: zeros(self.sizes()).scatter(dim, indices, grad), with
// grad and indices unsqueezed at dim when it was reduced away (kthvalue
// without keepdim). Built from the differentiable scatter, so the double
// backward is grad's part of scatter (a gather at the same indices).
void record_value_select(const Tensor& in, int64_t dim, bool keepdim, Tensor& values, const Tensor& indices,
                         const char* name) {
  auto n = make_node(name,
                     [](FormulaNode& n, const Tensor& g) -> std::vector<Tensor> {
                       const DimVector& shape = n.input_meta[0].first;
                       // A 0-dim input selected itself: the gradient passes through.
                       if (shape.empty()) return {g.reshape({})};
                       Tensor idx = n.saved_at(0), grad = g;
                       if (!n.keepdim) {
                         idx = idx.unsqueeze(n.dim);
                         grad = grad.unsqueeze(n.dim);
                       }
                       return {zeros(shape, g.dtype()).scatter(n.dim, idx, grad)};
                     },
                     {&in});
  if (!n) return;
  n->dim = dim;
  n->keepdim = keepdim;
  n->saved = {SavedTensor(indices, false)};
  set_history(values, n, 0);
}

}  // namespace ft::autograd
