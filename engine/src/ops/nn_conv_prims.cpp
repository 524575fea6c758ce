// The three differentiable convolution primitives (NOTE [ Linear primitives
// and their adjoints ] in nn_internal.h): forward, input gradient and weight
// gradient, each one kernel call (kernels/cpu/conv2d.cpp) plus its autograd
// node. Inputs are made contiguous here; results are fresh contiguous tensors.
#include "../autograd/record_nn.h"
#include "nn_internal.h"

namespace ft::nn_detail {

Tensor dense_grad(const Tensor& g) {
  if (g.is_contiguous() || g.requires_grad() || g.numel() == 0) return g.contiguous();
  for (int64_t d = 0; d < g.dim(); ++d)
    if (g.stride(d) != 0 && g.size(d) != 1) return g.contiguous();
  autograd::NoGradGuard ng;
  return full(g.sizes(), g.as_strided({1}, {1}).item(), g.dtype());
}

// NOTE [ BFloat16 convolutions ]
// libtorch 1.13 sends every BFloat16 convolution on an AVX-512 CPU to oneDNN,
// which multiplies and accumulates in float and rounds each result once
// (bias included). The engine runs its float kernels on float copies and
// rounds the result once, which gives the same values.
Tensor conv_operand(const Tensor& t) {
  if (!t.defined()) return t;
  return t.dtype() == DType::BFloat16 ? t.to(DType::Float32).contiguous() : t.contiguous();
}
Tensor conv_result(IntArrayRef sizes, DType dt) {
  return empty(sizes, dt == DType::BFloat16 ? DType::Float32 : dt);
}

kernels::Conv2dShape conv_shape(IntArrayRef in, IntArrayRef w, const ConvParams2d& p) {
  kernels::Conv2dShape s;
  s.N = in[0]; s.C = in[1]; s.H = in[2]; s.W = in[3];
  s.Cout = w[0]; s.kh = w[2]; s.kw = w[3];
  s.sh = p.sh; s.sw = p.sw; s.pt = p.pt; s.pl = p.pl; s.dh = p.dh; s.dw = p.dw;
  s.groups = p.groups;
  s.Ho = ConvParams2d::out_size(s.H, s.kh, p.pt, p.pb, p.sh, p.dh);
  s.Wo = ConvParams2d::out_size(s.W, s.kw, p.pl, p.pr, p.sw, p.dw);
  return s;
}

Tensor conv2d_primitive(const Tensor& input, const Tensor& weight, const Tensor& bias, const ConvParams2d& p) {
  const kernels::Conv2dShape s = conv_shape(input.sizes(), weight.sizes(), p);
  Tensor out;
  {
    autograd::NoGradGuard ng;
    out = conv_result({s.N, s.Cout, s.Ho, s.Wo}, input.dtype());
    kernels::conv2d_forward(out, conv_operand(input), conv_operand(weight), conv_operand(bias), s);
    out = out.to(input.dtype());
  }
  autograd::record_conv2d(input, weight, bias, p.pack(), out);
  return out;
}

Tensor conv2d_backward_input(const Tensor& grad_out, const Tensor& weight, IntArrayRef input_sizes,
                             const ConvParams2d& p) {
  const kernels::Conv2dShape s = conv_shape(input_sizes, weight.sizes(), p);
  Tensor gin;
  {
    autograd::NoGradGuard ng;
    gin = conv_result(input_sizes, grad_out.dtype());
    kernels::conv2d_backward_input(gin, conv_operand(grad_out), conv_operand(weight.to(grad_out.dtype())), s);
    gin = gin.to(grad_out.dtype());
  }
  autograd::record_conv2d_backward_input(grad_out, weight, p.pack(), gin);
  return gin;
}

Tensor conv2d_backward_weight(const Tensor& grad_out, const Tensor& input, IntArrayRef weight_sizes,
                              const ConvParams2d& p) {
  const kernels::Conv2dShape s = conv_shape(input.sizes(), weight_sizes, p);
  Tensor gw;
  {
    autograd::NoGradGuard ng;
    gw = conv_result(weight_sizes, grad_out.dtype());
    kernels::conv2d_backward_weight(gw, conv_operand(grad_out), conv_operand(input.to(grad_out.dtype())), s);
    gw = gw.to(grad_out.dtype());
  }
  autograd::record_conv2d_backward_weight(grad_out, input, p.pack(), gw);
  return gw;
}

}  // namespace ft::nn_detail
