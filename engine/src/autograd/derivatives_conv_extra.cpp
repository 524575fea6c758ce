// Backward formulas of the conv_extra family: adaptive max pooling. (The
// transposed convolution records the nn family's ConvolutionBackward0 node,
// record_conv2d with transposed = true; the 1-D poolings and bilinear are
// compositions of other ops and record nothing of their own.)
#include "../ops/nn_internal.h"
#include "formula.h"
#include "record_conv_extra.h"

namespace ft::autograd {

// y[o] = x[idx[o]]: dx = scatter-add of g at idx (libtorch's backward
// refuses a gradient with an empty non-batch dim, so this does too).
void record_adaptive_max_pool2d(const Tensor& input, const Tensor& indices, Tensor& out) {
  auto n = make_node(
      "AdaptiveMaxPool2DBackward0",
      [](FormulaNode& n, const Tensor& g) -> std::vector<Tensor> {
        for (int64_t i = 1; i < g.dim(); ++i)
          FT_CHECK(g.size(i) > 0,
                   "adaptive_max_pooling2d_backward(): Expected grad_output to have non-zero size for non-batch "
                   "dimensions, but grad_output has sizes ",
                   shape_str(g.sizes()), " with dimension ", i, " being empty");
        return {nn_detail::max_pool2d_scatter(nn_detail::dense_grad(g), n.saved_at(0), n.input_meta[0].first,
                                              "AdaptiveMaxPool2DBackwardBackward0")};
      },
      {&input});
  if (!n) return;
  n->saved = {SavedTensor(indices, false)};
  set_history(out, n);
}

}  // namespace ft::autograd
