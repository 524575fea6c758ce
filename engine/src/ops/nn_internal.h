// Shared pieces of the nn op family's files (nn_*.cpp) and its backward
// formulas (autograd/derivatives_nn.cpp); not public.
//
// NOTE [ Linear primitives and their adjoints ]
// Convolution and pooling are linear in each argument, so every backward is
// again a linear map whose own derivative is the forward op (or another map
// of the set). Each map below is a differentiable primitive: it runs its
// kernel and records a node whose formula calls the others, so gradients of
// any order work:
//   conv2d_primitive(x, w)        d/dx: conv2d_backward_input  d/dw: conv2d_backward_weight
//   conv2d_backward_input(g, w)   d/dg: conv2d_primitive       d/dw: conv2d_backward_weight
//   conv2d_backward_weight(g, x)  d/dg: conv2d_primitive       d/dx: conv2d_backward_input
//   max_pool2d scatter <-> gather by the saved indices
//   avg_pool2d <-> avg_pool2d_backward; adaptive_avg_pool2d <-> its backward
// (<a, B(g, w)> = <g, conv(a, w)> = <B_w(g, a), w> gives the conv rows.)
// Primitives take checked, non-empty shapes; the public front-ends in
// nn_conv.cpp / nn_pool_*.cpp do the argument checks and empty cases.
#pragma once

#include <optional>

#include "../kernels/cpu/pool2d.h"
#include <tuple>
#include <vector>

#include "../kernels/cpu/conv2d.h"
#include "ft/ops.h"

namespace ft::nn_detail {

// A contiguous version of a gradient for the kernels. The gradient of
// sum() arrives as one value broadcast over every element (all strides 0);
// unless it is itself part of a graph (create_graph), it is filled instead
// of copied element by element.
Tensor dense_grad(const Tensor& g);

// ---- convolution
// Hyper-parameters of a 2-D convolution, after expansion and checks.
struct ConvParams2d {
  int64_t sh = 1, sw = 1;                  // stride
  int64_t pt = 0, pb = 0, pl = 0, pr = 0;  // padding top/bottom/left/right
  int64_t dh = 1, dw = 1;                  // dilation
  int64_t groups = 1;
  std::vector<int64_t> pack() const { return {sh, sw, pt, pb, pl, pr, dh, dw, groups}; }
  static ConvParams2d unpack(const std::vector<int64_t>& v) {
    return {v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7], v[8]};
  }
  // Output extent of one spatial dim.
  static int64_t out_size(int64_t in, int64_t k, int64_t pad_lo, int64_t pad_hi, int64_t stride, int64_t dil) {
    return (in + pad_lo + pad_hi - dil * (k - 1) - 1) / stride + 1;
  }
};
// A convolution kernel's operand (contiguous; BFloat16 as float) and an
// empty result of the kernel's dtype (NOTE [ BFloat16 convolutions ]).
Tensor conv_operand(const Tensor& t);
Tensor conv_result(IntArrayRef sizes, DType dt);
kernels::Conv2dShape conv_shape(IntArrayRef in_sizes, IntArrayRef w_sizes, const ConvParams2d& p);

// Front-end pieces shared by conv and conv_transpose (nn_conv.cpp):
// expand_param_if_needed, batchify, and ATen's ConvBackend::Empty.
std::vector<int64_t> conv_expand_param(IntArrayRef v, const char* name, int64_t dim);
Tensor conv_batchify(const Tensor& input, int64_t spatial, const char* fname, bool& batched);
Tensor conv_empty_backend(const Tensor& input, const Tensor& weight, const Tensor& bias, IntArrayRef out_sizes);

// 4-D NCHW input (N, C >= 1), weight (Cout, C/groups, kh, kw); bias (Cout) or undefined.
Tensor conv2d_primitive(const Tensor& input, const Tensor& weight, const Tensor& bias, const ConvParams2d& p);
Tensor conv2d_backward_input(const Tensor& grad_out, const Tensor& weight, IntArrayRef input_sizes,
                             const ConvParams2d& p);
Tensor conv2d_backward_weight(const Tensor& grad_out, const Tensor& input, IntArrayRef weight_sizes,
                              const ConvParams2d& p);
// NOTE [ Transposed convolution as an adjoint ]
// conv_transpose2d(x, w) is conv2d_backward_input(x, w) for the conv2d whose
// input has the transposed output's sizes (same weight layout: (C_in of the
// transposed conv, C_out / groups, kh, kw)), plus a bias. The params p give
// that conv2d with pb = pad - output_padding (and pr likewise), so that
// ConvParams2d::out_size maps out_sizes back to x's sizes exactly; only
// out_size reads pb/pr. Its gradients: dx = conv2d_primitive(g, w),
// dw = conv2d_backward_weight(x, g), db = sum of g.
Tensor conv_transpose2d_primitive(const Tensor& input, const Tensor& weight, const Tensor& bias,
                                  const ConvParams2d& p, IntArrayRef out_sizes);

// ---- pooling
// Window geometry of a 2-D pooling, after checks.
struct PoolParams2d {
  int64_t kh = 1, kw = 1, sh = 1, sw = 1, ph = 0, pw = 0, dh = 1, dw = 1;
  bool ceil_mode = false;
  bool count_include_pad = true;   // avg_pool2d
  std::optional<int64_t> divisor;  // avg_pool2d's divisor_override
  std::vector<int64_t> pack() const {
    return {kh, kw, sh, sw, ph, pw, dh, dw, ceil_mode, count_include_pad, divisor.has_value(), divisor.value_or(0)};
  }
  static PoolParams2d unpack(const std::vector<int64_t>& v) {
    PoolParams2d p{v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7], v[8] != 0, v[9] != 0, std::nullopt};
    if (v[10]) p.divisor = v[11];
    return p;
  }
};

// PyTorch's pooling_output_shape (checks stride != 0 and 0 <= pad <= k/2).
int64_t pooling_output_shape(int64_t in, int64_t k, int64_t pad, int64_t stride, int64_t dil, bool ceil_mode);
// PyTorch's pool2d_shape_check (kernel/stride/dilation > 0, 3-D/4-D input
// with non-empty C, H, W, pad <= k/2, output at least 1x1).
void pool2d_shape_check(const Tensor& input, const PoolParams2d& p, int64_t Ho, int64_t Wo);

// Sizes with the last two dims replaced.
DimVector with_spatial(IntArrayRef sizes, int64_t h, int64_t w);

// max pooling: (values, indices into each H*W plane); input 3-D/4-D, contiguous or not.
std::tuple<Tensor, Tensor> max_pool2d_primitive(const Tensor& input, const PoolParams2d& p, int64_t Ho, int64_t Wo);
// grad_input (input_sizes) = scatter-add of grad at indices; gather is its adjoint.
// (node_name: the scatter's grad_fn, which adaptive max pooling names its own.)
Tensor max_pool2d_scatter(const Tensor& grad, const Tensor& indices, IntArrayRef input_sizes,
                          const char* node_name = "MaxPool2DWithIndicesBackwardBackward0");
Tensor max_pool2d_gather(const Tensor& grad_input_like, const Tensor& indices);

// adaptive max pooling: (values, indices into each H*W plane); 3-D/4-D, checked.
std::tuple<Tensor, Tensor> adaptive_max_pool2d_primitive(const Tensor& input, int64_t Ho, int64_t Wo);

Tensor avg_pool2d_primitive(const Tensor& input, const PoolParams2d& p, int64_t Ho, int64_t Wo);
Tensor avg_pool2d_backward(const Tensor& grad, IntArrayRef input_sizes, const PoolParams2d& p);
Tensor adaptive_avg_pool2d_primitive(const Tensor& input, int64_t Ho, int64_t Wo);
Tensor adaptive_avg_pool2d_backward(const Tensor& grad, IntArrayRef input_sizes);

// The kernels' view of a pooling: planes P = prod(leading dims), the input's
// last two dims, the output size and the window (avg pooling has dh = dw = 1).
inline kernels::Pool2dShape pool_shape(IntArrayRef in_sizes, int64_t Ho, int64_t Wo, const PoolParams2d& p) {
  kernels::Pool2dShape s;
  s.H = in_sizes[in_sizes.size() - 2];
  s.W = in_sizes[in_sizes.size() - 1];
  s.P = 1;
  for (size_t d = 0; d + 2 < in_sizes.size(); ++d) s.P *= in_sizes[d];
  s.Ho = Ho;
  s.Wo = Wo;
  s.kh = p.kh, s.kw = p.kw, s.sh = p.sh, s.sw = p.sw, s.ph = p.ph, s.pw = p.pw, s.dh = p.dh, s.dw = p.dw;
  return s;
}

}  // namespace ft::nn_detail
