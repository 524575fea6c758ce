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
  Tensor out = empty({s.N, s.Cout, s.Ho, s.Wo}, input.dtype());
  {
    autograd::NoGradGuard ng;
    Tensor b = bias.defined() ? bias.contiguous() : Tensor();
    kernels::conv2d_forward(out, input.contiguous(), weight.contiguous(), b, s);
  }
  autograd::record_conv2d(input, weight, bias, p.pack(), out);
  return out;
}

Tensor conv2d_backward_input(const Tensor& grad_out, const Tensor& weight, IntArrayRef input_sizes,
                             const ConvParams2d& p) {
  const kernels::Conv2dShape s = conv_shape(input_sizes, weight.sizes(), p);
  Tensor gin = empty(input_sizes, grad_out.dtype());
  {
    autograd::NoGradGuard ng;
    kernels::conv2d_backward_input(gin, grad_out.contiguous(), weight.to(grad_out.dtype()).contiguous(), s);
  }
  autograd::record_conv2d_backward_input(grad_out, weight, p.pack(), gin);
  return gin;
}

Tensor conv2d_backward_weight(const Tensor& grad_out, const Tensor& input, IntArrayRef weight_sizes,
                              const ConvParams2d& p) {
  const kernels::Conv2dShape s = conv_shape(input.sizes(), weight_sizes, p);
  Tensor gw = empty(weight_sizes, grad_out.dtype());
  {
    autograd::NoGradGuard ng;
    kernels::conv2d_backward_weight(gw, grad_out.contiguous(), input.to(grad_out.dtype()).contiguous(), s);
  }
  autograd::record_conv2d_backward_weight(grad_out, input, p.pack(), gw);
  return gw;
}

}  // namespace ft::nn_detail
