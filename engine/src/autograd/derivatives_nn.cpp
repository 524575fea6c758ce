// Backward formulas of the nn family: convolution and 2-D pooling. Every op
// here is linear in each argument, so each formula is another differentiable
// primitive of the family (NOTE [ Linear primitives and their adjoints ] in
// ops/nn_internal.h) and gradients of any order are recorded under
// create_graph. Node names follow PyTorch 1.13's.
#include "../ops/nn_internal.h"
#include "formula.h"
#include "record_nn.h"

namespace ft::autograd {
namespace {

using nn_detail::ConvParams2d;
using nn_detail::PoolParams2d;

// Last two dims of a recorded input's shape.
std::pair<int64_t, int64_t> spatial_of(const DimVector& s) { return {s[s.size() - 2], s[s.size() - 1]}; }

}  // namespace

// ---- convolution -------------------------------------------------------------------------
// y = conv(x, w) + b:  dx = conv_backward_input(g, w),  dw = conv_backward_weight(g, x),
// db = sum of g over (N, H, W).
// Transposed, y = B(x, w) + b with B = conv_backward_input (NOTE [ Transposed
// convolution as an adjoint ]): <y, g> = <x, conv(g, w)> = <B_w(x, g), w>, so
// dx = conv(g, w), dw = conv_backward_weight(x, g); the flag rides in ints[9].
void record_conv2d(const Tensor& input, const Tensor& weight, const Tensor& bias, std::vector<int64_t> params,
                   Tensor& out, bool transposed) {
  FormulaNode::Fn fn = [](FormulaNode& n, const Tensor& g_in) -> std::vector<Tensor> {
    const ConvParams2d p = ConvParams2d::unpack(n.ints);
    const bool t = n.ints[9] != 0;
    const Tensor g = nn_detail::dense_grad(g_in);  // once for both kernels
    const Tensor &x = n.saved_at(0), &w = n.saved_at(1);
    std::vector<Tensor> r(n.next_edges().size());
    if (n.needs(0))
      r[0] = t ? nn_detail::conv2d_primitive(g, w, Tensor(), p)
               : nn_detail::conv2d_backward_input(g, w, n.input_meta[0].first, p);
    if (n.needs(1))
      r[1] = t ? nn_detail::conv2d_backward_weight(x, g, n.input_meta[1].first, p)
               : nn_detail::conv2d_backward_weight(g, x, n.input_meta[1].first, p);
    if (n.needs(2)) r[2] = g.sum({0, 2, 3});
    return r;
  };
  params.push_back(transposed);
  auto n = bias.defined() ? make_node("ConvolutionBackward0", fn, {&input, &weight, &bias})
                          : make_node("ConvolutionBackward0", fn, {&input, &weight});
  if (!n) return;
  n->saved = {SavedTensor(input, false), SavedTensor(weight, false)};
  n->ints = std::move(params);
  set_history(out, n);
}

// gx = B(g, w) (bilinear): d/dg <a, B(g, w)> = conv(a, w); d/dw = conv_backward_weight(g, a).
void record_conv2d_backward_input(const Tensor& grad_out, const Tensor& weight, std::vector<int64_t> params,
                                  Tensor& out) {
  auto n = make_node("ConvolutionBackwardBackward0",
                     [](FormulaNode& n, const Tensor& a) -> std::vector<Tensor> {
                       const ConvParams2d p = ConvParams2d::unpack(n.ints);
                       Tensor g = n.saved_at(0), w = n.saved_at(1);
                       return {n.needs(0) ? nn_detail::conv2d_primitive(a, w, Tensor(), p) : Tensor(),
                               n.needs(1) ? nn_detail::conv2d_backward_weight(g, a, w.sizes(), p) : Tensor()};
                     },
                     {&grad_out, &weight});
  if (!n) return;
  n->saved = {SavedTensor(grad_out, false), SavedTensor(weight, false)};
  n->ints = std::move(params);
  set_history(out, n);
}

// gw = B_w(g, x) (bilinear): d/dg <a, B_w(g, x)> = conv(x, a); d/dx = conv_backward_input(g, a).
void record_conv2d_backward_weight(const Tensor& grad_out, const Tensor& input, std::vector<int64_t> params,
                                   Tensor& out) {
  auto n = make_node("ConvolutionBackwardBackward0",
                     [](FormulaNode& n, const Tensor& a) -> std::vector<Tensor> {
                       const ConvParams2d p = ConvParams2d::unpack(n.ints);
                       Tensor g = n.saved_at(0), x = n.saved_at(1);
                       return {n.needs(0) ? nn_detail::conv2d_primitive(x, a, Tensor(), p) : Tensor(),
                               n.needs(1) ? nn_detail::conv2d_backward_input(g, a, x.sizes(), p) : Tensor()};
                     },
                     {&grad_out, &input});
  if (!n) return;
  n->saved = {SavedTensor(grad_out, false), SavedTensor(input, false)};
  n->ints = std::move(params);
  set_history(out, n);
}

// ---- max pooling -------------------------------------------------------------------------
// y[o] = x[idx[o]]: dx = scatter-add of g at idx; the scatter's derivative is
// the gather at idx, and the gather's is the scatter again.
void record_max_pool2d(const Tensor& input, const Tensor& indices, Tensor& out) {
  auto n = make_node(
      "MaxPool2DWithIndicesBackward0",
      [](FormulaNode& n, const Tensor& g) -> std::vector<Tensor> {
        return {nn_detail::max_pool2d_scatter(nn_detail::dense_grad(g), n.saved_at(0), n.input_meta[0].first)};
      },
      {&input});
  if (!n) return;
  n->saved = {SavedTensor(indices, false)};
  set_history(out, n);
}

void record_max_pool2d_scatter(const Tensor& grad, const Tensor& indices, Tensor& out, const char* name) {
  auto n = make_node(name,
                     [](FormulaNode& n, const Tensor& a) -> std::vector<Tensor> {
                       return {nn_detail::max_pool2d_gather(a, n.saved_at(0))};
                     },
                     {&grad});
  if (!n) return;
  n->saved = {SavedTensor(indices, false)};
  set_history(out, n);
}

void record_max_pool2d_gather(const Tensor& grad_input_like, const Tensor& indices, Tensor& out) {
  auto n = make_node("MaxPoolDoubleBackwardBackward0",
                     [](FormulaNode& n, const Tensor& a) -> std::vector<Tensor> {
                       return {nn_detail::max_pool2d_scatter(a, n.saved_at(0), n.input_meta[0].first)};
                     },
                     {&grad_input_like});
  if (!n) return;
  n->saved = {SavedTensor(indices, false)};
  set_history(out, n);
}

// ---- average pooling -----------------------------------------------------------------------
// avg_pool2d and its backward are adjoint linear maps of each other.
void record_avg_pool2d(const Tensor& input, std::vector<int64_t> params, Tensor& out) {
  auto n = make_node("AvgPool2DBackward0",
                     [](FormulaNode& n, const Tensor& g) -> std::vector<Tensor> {
                       return {nn_detail::avg_pool2d_backward(nn_detail::dense_grad(g), n.input_meta[0].first,
                                                              PoolParams2d::unpack(n.ints))};
                     },
                     {&input});
  if (!n) return;
  n->ints = std::move(params);
  set_history(out, n);
}

void record_avg_pool2d_backward(const Tensor& grad, std::vector<int64_t> params, Tensor& out) {
  auto n = make_node("AvgPool2DBackwardBackward0",
                     [](FormulaNode& n, const Tensor& a) -> std::vector<Tensor> {
                       auto [ho, wo] = spatial_of(n.input_meta[0].first);
                       return {nn_detail::avg_pool2d_primitive(a, PoolParams2d::unpack(n.ints), ho, wo)};
                     },
                     {&grad});
  if (!n) return;
  n->ints = std::move(params);
  set_history(out, n);
}

void record_adaptive_avg_pool2d(const Tensor& input, Tensor& out) {
  auto n =
      make_node("AdaptiveAvgPool2DBackward0",
                [](FormulaNode& n, const Tensor& g) -> std::vector<Tensor> {
                  return {nn_detail::adaptive_avg_pool2d_backward(nn_detail::dense_grad(g), n.input_meta[0].first)};
                },
                {&input});
  if (n) set_history(out, n);
}

void record_adaptive_avg_pool2d_backward(const Tensor& grad, Tensor& out) {
  auto n = make_node("AdaptiveAvgPool2DBackwardBackward0",
                     [](FormulaNode& n, const Tensor& a) -> std::vector<Tensor> {
                       auto [ho, wo] = spatial_of(n.input_meta[0].first);
                       return {nn_detail::adaptive_avg_pool2d_primitive(a, ho, wo)};
                     },
                     {&grad});
  if (n) set_history(out, n);
}

}  // namespace ft::autograd
