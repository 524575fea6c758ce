// conv_transpose1d / conv_transpose2d: ATen 1.13's front-end (batchify ->
// _convolution with transposed=true), its checks in its order, its Empty
// backend for zero-batch inputs, then slow_conv_transpose2d's checks and the
// primitive (NOTE [ Transposed convolution as an adjoint ] in nn_internal.h).
// conv_transpose1d runs as a conv_transpose2d of height 1.
#include <string>

#include "../autograd/record_nn.h"
#include "nn_internal.h"

namespace ft {
namespace nn_detail {

Tensor conv_transpose2d_primitive(const Tensor& input, const Tensor& weight, const Tensor& bias,
                                  const ConvParams2d& p, IntArrayRef out_sizes) {
  const kernels::Conv2dShape s = conv_shape(out_sizes, weight.sizes(), p);
  Tensor out;
  {
    // BFloat16 in float, rounded once (NOTE [ BFloat16 convolutions ] in nn_conv_prims.cpp)
    autograd::NoGradGuard ng;
    out = conv_result(out_sizes, input.dtype());
    kernels::conv_transpose2d_forward(out, conv_operand(input), conv_operand(weight), conv_operand(bias), s);
    out = out.to(input.dtype());
  }
  autograd::record_conv2d(input, weight, bias, p.pack(), out, /*transposed=*/true);
  return out;
}

}  // namespace nn_detail

namespace {

// Per spatial dim, after expansion (lists of one value repeat).
struct ConvTArgs {
  std::vector<int64_t> stride, padding, output_padding, dilation;
  int64_t groups = 1;
};

// (in - 1) * stride - 2 * padding + dilation * (k - 1) + output_padding + 1
// (ATen's conv_input_size).
DimVector conv_transpose_sizes(const Tensor& input, const Tensor& weight, const ConvTArgs& a) {
  DimVector out{input.size(0), weight.size(1) * a.groups};
  for (size_t d = 0; d < a.stride.size(); ++d) {
    const int64_t k = weight.size(int64_t(d) + 2);
    out.push_back((input.size(int64_t(d) + 2) - 1) * a.stride[d] - 2 * a.padding[d] + a.dilation[d] * (k - 1) +
                  a.output_padding[d] + 1);
  }
  return out;
}

// check_shape_forward of ATen's Convolution.cpp for transposed=true.
void check_shape_transposed(const Tensor& input, const Tensor& weight, const Tensor& bias, const ConvTArgs& a) {
  for (int64_t v : a.padding) FT_CHECK(v >= 0, "negative padding is not supported");
  for (int64_t v : a.stride) FT_CHECK(v > 0, "non-positive stride is not supported");
  for (int64_t v : a.output_padding) FT_CHECK(v >= 0, "negative output_padding is not supported");
  const int64_t g = a.groups;
  IntArrayRef ws = weight.sizes();
  FT_CHECK(weight.dim() == input.dim(), "Expected ", weight.dim(), "-dimensional input for ", weight.dim(),
           "-dimensional weight ", shape_str(ws), ", but got ", input.dim(), "-dimensional input of size ",
           shape_str(input.sizes()), " instead");
  FT_CHECK(ws[0] >= g, "Given groups=", g, ", expected weight to be at least ", g,
           " at dimension 0, but got weight of size ", shape_str(ws), " instead");
  FT_CHECK(ws[0] % g == 0, "Given groups=", g, ", expected weight to be divisible by ", g,
           " at dimension 0, but got weight of size [", shape_str(ws), "] instead");
  FT_CHECK(input.size(1) == ws[0], "Given transposed=1, weight of size ", shape_str(ws), ", expected input",
           shape_str(input.sizes()), " to have ", ws[0], " channels, but got ", input.size(1), " channels instead");
  FT_CHECK(!bias.defined() || (bias.dim() == 1 && bias.size(0) == ws[1] * g), "Given transposed=1, weight of size ",
           shape_str(ws), ", expected bias to be 1-dimensional with ", ws[1] * g, " elements, but got bias of size ",
           shape_str(bias.defined() ? bias.sizes() : IntArrayRef()), " instead");
}

// slow_conv_transpose2d's dtype and shape checks (4-D input), then the primitive.
Tensor run_conv_transpose(const Tensor& input, const Tensor& weight, const Tensor& bias, const ConvTArgs& a,
                          const DimVector& out_sizes) {
  const DType dt = input.dtype();
  FT_CHECK(weight.dtype() == dt, "expected scalar type ", dtype_torch_name(dt), " but found ",
           dtype_torch_name(weight.dtype()));
  FT_CHECK(!bias.defined() || bias.dtype() == dt, "expected scalar type ", dtype_torch_name(dt), " but found ",
           dtype_torch_name(bias.dtype()));
  const bool two = a.stride.size() == 2;
  const int64_t kh = two ? weight.size(2) : 1, kw = weight.size(-1);
  const int64_t sh = two ? a.stride[0] : 1, sw = a.stride.back();
  const int64_t dh = two ? a.dilation[0] : 1, dw = a.dilation.back();
  const int64_t oph = two ? a.output_padding[0] : 0, opw = a.output_padding.back();
  FT_CHECK(kh > 0 && kw > 0, "kernel size should be greater than zero, but got kernel_height: ", kh,
           " kernel_width: ", kw);
  FT_CHECK(dh > 0 && dw > 0, "dilation should be greater than zero, but got dilation_height: ", dh,
           ", dilation_width: ", dw);
  FT_CHECK((opw < sw || opw < dw) && (oph < sh || oph < dh),
           "output padding must be smaller than either stride or dilation, but got output_padding_height: ", oph,
           " output_padding_width: ", opw, " stride_height: ", sh, " stride_width: ", sw,
           " dilation_height: ", dh, " dilation_width: ", dw);
  FT_CHECK(weight.numel() != 0, "non-empty 2D or 4D weight tensor expected, but got: ", shape_str(weight.sizes()));
  const int64_t ho = two ? out_sizes[2] : 1, wo = out_sizes.back();
  FT_CHECK(ho >= 1 && wo >= 1, "Given input size per channel: (", two ? input.size(2) : 1, " x ", input.size(-1),
           "). Calculated output size per channel: (", ho, " x ", wo, "). Output size is too small");
  FT_CHECK_KIND(ErrorKind::NotImplemented,
                dt == DType::Float32 || dt == DType::Float64 || dt == DType::Int64 || dt == DType::BFloat16,
                "\"slow_conv_transpose2d_out_cpu\" not implemented for '", dtype_torch_name(dt), "'");
  nn_detail::ConvParams2d p;
  p.groups = a.groups;
  p.sw = sw, p.pl = a.padding.back(), p.pr = a.padding.back() - opw, p.dw = dw;
  if (!two) {
    const DimVector os{out_sizes[0], out_sizes[1], 1, wo};
    return nn_detail::conv_transpose2d_primitive(input.unsqueeze(2), weight.unsqueeze(2), bias, p, os).squeeze(2);
  }
  p.sh = sh, p.pt = a.padding[0], p.pb = a.padding[0] - oph, p.dh = dh;
  return nn_detail::conv_transpose2d_primitive(input, weight, bias, p, out_sizes);
}

Tensor conv_transpose(const Tensor& input_, const Tensor& weight, const std::optional<Tensor>& bias_opt,
                      IntArrayRef stride, IntArrayRef padding, IntArrayRef output_padding, int64_t groups,
                      IntArrayRef dilation, int64_t spatial, const char* fname) {
  Tensor bias = bias_opt.value_or(Tensor());
  bool batched = false;
  Tensor input = nn_detail::conv_batchify(input_, spatial, fname, batched);
  const int64_t dim = weight.dim() - 2;
  FT_CHECK(dim > 0, "weight should have at least three dimensions");
  FT_CHECK(groups > 0, "non-positive groups is not supported");
  ConvTArgs a;
  a.stride = nn_detail::conv_expand_param(stride, "stride", dim);
  a.padding = nn_detail::conv_expand_param(padding, "padding", dim);
  a.output_padding = nn_detail::conv_expand_param(output_padding, "output_padding", dim);
  a.dilation = nn_detail::conv_expand_param(dilation, "dilation", dim);
  a.groups = groups;
  check_shape_transposed(input, weight, bias, a);
  const DimVector out_sizes = conv_transpose_sizes(input, weight, a);
  Tensor out;
  if (input.size(0) == 0 || input.size(1) == 0) {
    out = nn_detail::conv_empty_backend(input, weight, bias, out_sizes);
  } else {
    FT_CHECK(input.numel() != 0,
             "Only zero batch or zero channel inputs are supported, but got input shape: ", shape_str(input.sizes()));
    out = run_conv_transpose(input, weight, bias, a, out_sizes);
  }
  return batched ? out : out.squeeze(0);
}

}  // namespace

Tensor conv_transpose2d(const Tensor& input, const Tensor& weight, const std::optional<Tensor>& bias,
                        IntArrayRef stride, IntArrayRef padding, IntArrayRef output_padding, int64_t groups,
                        IntArrayRef dilation) {
  FT_OP_SCOPE("conv_transpose2d");
  return conv_transpose(input, weight, bias, stride, padding, output_padding, groups, dilation, 2,
                        "conv_transpose2d");
}

Tensor conv_transpose1d(const Tensor& input, const Tensor& weight, const std::optional<Tensor>& bias,
                        IntArrayRef stride, IntArrayRef padding, IntArrayRef output_padding, int64_t groups,
                        IntArrayRef dilation) {
  FT_OP_SCOPE("conv_transpose1d");
  return conv_transpose(input, weight, bias, stride, padding, output_padding, groups, dilation, 1,
                        "conv_transpose1d");
}

}  // namespace ft
