// Backward formulas of the conv_extra family. The transposed convolution is
// the input-gradient map of a conv2d (NOTE [ Transposed convolution as an
// adjoint ] in ops/nn_internal.h), so its gradients are the other two maps
// of that conv2d, each a differentiable primitive: gradients of any order
// are recorded under create_graph. (The 1-D poolings are compositions of
// the nn family's 2-D ones and record nothing of their own.)
#include "../ops/nn_internal.h"
#include "formula.h"
#include "record_conv_extra.h"

namespace ft::autograd {

// y = B(x, w) + b with B(g, w) = conv2d_backward_input:
// <y, g> = <x, conv(g, w)> = <B_w(x, g), w>, so dx = conv(g, w),
// dw = conv2d_backward_weight(x, g), db = sum of g over (N, H, W).
void record_conv_transpose2d(const Tensor& input, const Tensor& weight, const Tensor& bias,
                             std::vector<int64_t> params, Tensor& out) {
  FormulaNode::Fn fn = [](FormulaNode& n, const Tensor& g_in) -> std::vector<Tensor> {
    const nn_detail::ConvParams2d p = nn_detail::ConvParams2d::unpack(n.ints);
    const Tensor g = nn_detail::dense_grad(g_in);
    std::vector<Tensor> r(n.next_edges().size());
    if (n.needs(0)) r[0] = nn_detail::conv2d_primitive(g, n.saved_at(1), Tensor(), p);
    if (n.needs(1)) r[1] = nn_detail::conv2d_backward_weight(n.saved_at(0), g, n.input_meta[1].first, p);
    if (n.needs(2)) r[2] = g.sum({0, 2, 3});
    return r;
  };
  auto n = bias.defined() ? make_node("ConvolutionBackward0", fn, {&input, &weight, &bias})
                          : make_node("ConvolutionBackward0", fn, {&input, &weight});
  if (!n) return;
  n->saved = {SavedTensor(input, false), SavedTensor(weight, false)};
  n->ints = std::move(params);
  set_history(out, n);
}

}  // namespace ft::autograd
