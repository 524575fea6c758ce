// conv1d / conv2d front-ends: ATen 1.13's argument handling (at::conv2d ->
// batchify -> _convolution / convolution_same), its checks and messages in
// its order, its "Empty" backend for zero-batch and zero-channel inputs, and
// then the 2-D primitive (conv1d runs as a conv2d of height 1).
#include <string>

#include "nn_internal.h"
#include "op_helpers.h"

namespace ft {
namespace {

using nn_detail::ConvParams2d;

// caffe2 TypeMeta names, which at::conv2d's bias-dtype message prints.
const char* type_meta_name(DType t) {
  switch (t) {
    case DType::Float32:
      return "float";
    case DType::Float64:
      return "double";
    case DType::Int64:
      return "long int";
    case DType::Int32:
      return "int";
    case DType::Int16:
      return "short int";
    case DType::Int8:
      return "signed char";
    case DType::UInt8:
      return "unsigned char";
    case DType::Bool:
      return "bool";
    case DType::Float16:
      return "c10::Half";
    case DType::BFloat16:
      return "c10::BFloat16";
  }
  return "?";
}

// NOTE [ Convolution arguments ]
// Per spatial dim: stride, padding before and after (equal except for
// 'same' with an odd total), dilation. Lists of one value are expanded
// (expand_param_if_needed); other lengths must equal the spatial rank,
// which is the weight's rank - 2.
struct ConvArgs {
  std::vector<int64_t> stride, pad_lo, pad_hi, dilation;
  int64_t groups = 1;
};

}  // namespace

std::vector<int64_t> nn_detail::conv_expand_param(IntArrayRef v, const char* name, int64_t dim) {
  if (v.size() == 1) return std::vector<int64_t>(size_t(dim), v[0]);
  FT_CHECK(int64_t(v.size()) == dim, "expected ", name, " to be a single integer value or a list of ", dim,
           " values to match the convolution dimensions, but got ", name, "=", shape_str(v));
  return v.vec();
}

// at::native::batchify: an unbatched input gets a batch dim of 1.
Tensor nn_detail::conv_batchify(const Tensor& input, int64_t spatial, const char* fname, bool& batched) {
  const int64_t no_batch = spatial + 1;
  batched = input.dim() == no_batch + 1;
  FT_CHECK(input.dim() == no_batch || batched, "Expected ", no_batch, "D (unbatched) or ", no_batch + 1,
           "D (batched) input to ", fname, ", but got input of size: ", shape_str(input.sizes()));
  return batched ? input : input.unsqueeze(0);
}

// ATen's ConvBackend::Empty (zero batch or zero channels): the result is
// computed the way ATen does it, so its dtype (type promotion of input and
// weight) and its autograd graph (zero gradients) match.
Tensor nn_detail::conv_empty_backend(const Tensor& input, const Tensor& weight, const Tensor& bias,
                                     IntArrayRef out_sizes) {
  // weight.view(-1) raises for a weight whose strides cannot be flattened
  // (libtorch 1.13 does the same here).
  Tensor wv = weight.view({-1});
  Tensor out = input.size(1) == 0 ? input.view({-1}) * wv : input * wv.select(0, 0);
  if (bias.defined()) out.add_(bias.select(0, 0));
  return out.reshape(out_sizes);
}

namespace {
using nn_detail::conv_batchify;
using nn_detail::conv_expand_param;

// The output sizes ATen's calc_output_size gives (0 channels for a
// zero-channel input).
DimVector conv_output_sizes(const Tensor& input, const Tensor& weight, const ConvArgs& a) {
  DimVector out{input.size(0), input.size(1) == 0 ? 0 : weight.size(0)};
  for (size_t d = 0; d < a.stride.size(); ++d)
    out.push_back(ConvParams2d::out_size(input.size(int64_t(d) + 2), weight.size(int64_t(d) + 2), a.pad_lo[d],
                                         a.pad_hi[d], a.stride[d], a.dilation[d]));
  return out;
}

// check_shape_forward of ATen's Convolution.cpp.
void check_shape_forward(const Tensor& input, const Tensor& weight, const Tensor& bias, const ConvArgs& a) {
  auto any_of = [](const std::vector<int64_t>& v, auto pred) {
    for (int64_t x : v)
      if (pred(x)) return true;
    return false;
  };
  FT_CHECK(!any_of(a.pad_lo, [](int64_t x) { return x < 0; }), "negative padding is not supported");
  FT_CHECK(!any_of(a.stride, [](int64_t x) { return x <= 0; }), "non-positive stride is not supported");
  FT_CHECK(!any_of(a.dilation, [](int64_t x) { return x <= 0; }), "non-positive dilation is not supported");
  const int64_t k = input.dim(), wdim = weight.dim(), g = a.groups;
  IntArrayRef ws = weight.sizes();
  FT_CHECK(wdim == k, "Expected ", wdim, "-dimensional input for ", wdim, "-dimensional weight ", shape_str(ws),
           ", but got ", k, "-dimensional input of size ", shape_str(input.sizes()), " instead");
  FT_CHECK(ws[0] >= g, "Given groups=", g, ", expected weight to be at least ", g,
           " at dimension 0, but got weight of size ", shape_str(ws), " instead");
  FT_CHECK(ws[0] % g == 0, "Given groups=", g, ", expected weight to be divisible by ", g,
           " at dimension 0, but got weight of size [", shape_str(ws), "] instead");
  FT_CHECK(input.size(1) == ws[1] * g, "Given groups=", g, ", weight of size ", shape_str(ws), ", expected input",
           shape_str(input.sizes()), " to have ", ws[1] * g, " channels, but got ", input.size(1), " channels instead");
  FT_CHECK(!bias.defined() || (bias.dim() == 1 && bias.size(0) == ws[0]), "Given weight of size ", shape_str(ws),
           ", expected bias to be 1-dimensional with ", ws[0], " elements, but got bias of size ",
           shape_str(bias.defined() ? bias.sizes() : IntArrayRef()), " instead");
  bool fits = true;
  std::string in_s, k_s;
  for (int64_t d = 2; d < k; ++d) {
    const size_t i = size_t(d - 2);
    int64_t padded = input.size(d) + a.pad_lo[i] + a.pad_hi[i];
    int64_t extent = a.dilation[i] * (ws[size_t(d)] - 1) + 1;
    fits = fits && padded >= extent;
    in_s += (d > 2 ? " x " : "") + std::to_string(padded);
    k_s += (d > 2 ? " x " : "") + std::to_string(extent);
  }
  FT_CHECK(fits, "Calculated padded input size per channel: (", in_s, "). Kernel size: (", k_s,
           "). Kernel size can't be greater than actual input size");
}


// The slow_conv2d backend's dtype and kernel checks, then the primitive.
Tensor run_conv(const Tensor& input, const Tensor& weight, const Tensor& bias, const ConvArgs& a) {
  if (input.dtype() != weight.dtype()) {
    FT_CHECK(input.dtype() != DType::Float32, "Input type (", ops::legacy_type_name(input.dtype()), ") and weight type (",
             ops::legacy_type_name(weight.dtype()),
             ") should be the same or input should be a MKLDNN tensor and weight is a dense tensor");
    FT_ERROR("expected scalar type ", dtype_torch_name(input.dtype()), " but found ", dtype_torch_name(weight.dtype()));
  }
  FT_CHECK(!bias.defined() || bias.dtype() == input.dtype(), "Input type (", ops::legacy_type_name(input.dtype()),
           ") and bias type (", ops::legacy_type_name(bias.dtype()), ") should be the same");
  // slow_conv2d has kernels for floats and every integer type, the dilated
  // backend (slow_conv_dilated2d) for floats and int64 only; BFloat16 goes
  // to oneDNN whatever the geometry (NOTE [ BFloat16 convolutions ]).
  const DType dt = input.dtype();
  bool dilated = false;
  for (int64_t d : a.dilation) dilated = dilated || d != 1;
  FT_CHECK_KIND(
      ErrorKind::NotImplemented,
      dt == DType::Float32 || dt == DType::Float64 || dt == DType::Int64 || dt == DType::BFloat16 ||
          (!dilated && is_integral(dt, false)),
      dilated ? "\"slow_conv_dilated<>\"" : "\"slow_conv2d_cpu\"", " not implemented for '", dtype_torch_name(dt), "'");
  const int64_t kh = a.stride.size() == 2 ? weight.size(2) : 1, kw = weight.size(-1);
  FT_CHECK(kh > 0 && kw > 0, "kernel size should be greater than zero, but got kernel_height: ", kh,
           " kernel_width: ", kw);
  ConvParams2d p;
  p.groups = a.groups;
  if (a.stride.size() == 2) {
    p.sh = a.stride[0];
    p.sw = a.stride[1];
    p.pt = a.pad_lo[0];
    p.pb = a.pad_hi[0];
    p.pl = a.pad_lo[1];
    p.pr = a.pad_hi[1];
    p.dh = a.dilation[0];
    p.dw = a.dilation[1];
    return nn_detail::conv2d_primitive(input, weight, bias, p);
  }
  // conv1d: (N, C, L) as (N, C, 1, L).
  p.sw = a.stride[0];
  p.pl = a.pad_lo[0];
  p.pr = a.pad_hi[0];
  p.dw = a.dilation[0];
  return nn_detail::conv2d_primitive(input.unsqueeze(2), weight.unsqueeze(2), bias, p).squeeze(2);
}

// _convolution from the checks on (input already batched).
Tensor convolution(const Tensor& input, const Tensor& weight, const Tensor& bias, const ConvArgs& a) {
  check_shape_forward(input, weight, bias, a);
  if (input.size(0) == 0 || input.size(1) == 0)
    return nn_detail::conv_empty_backend(input, weight, bias, conv_output_sizes(input, weight, a));
  FT_CHECK(input.numel() != 0,
           "Only zero batch or zero channel inputs are supported, but got input shape: ", shape_str(input.sizes()));
  return run_conv(input, weight, bias, a);
}

// Weight rank and groups checks, then parameter expansion (_convolution's start).
ConvArgs conv_args(const Tensor& weight, IntArrayRef stride, IntArrayRef pad_lo, IntArrayRef pad_hi,
                   IntArrayRef dilation, int64_t groups) {
  const int64_t dim = weight.dim() - 2;
  FT_CHECK(dim > 0, "weight should have at least three dimensions");
  FT_CHECK(groups > 0, "non-positive groups is not supported");
  ConvArgs a;
  a.stride = conv_expand_param(stride, "stride", dim);
  a.pad_lo = conv_expand_param(pad_lo, "padding", dim);
  a.pad_hi = conv_expand_param(pad_hi, "padding", dim);
  a.dilation = conv_expand_param(dilation, "dilation", dim);
  a.groups = groups;
  return a;
}

Tensor conv_int_padding(const Tensor& input_, const Tensor& weight, const std::optional<Tensor>& bias_opt,
                        IntArrayRef stride, IntArrayRef padding, IntArrayRef dilation, int64_t groups, int64_t spatial,
                        const char* fname) {
  Tensor bias = bias_opt.value_or(Tensor());
  FT_CHECK(!bias.defined() || bias.dtype() == input_.dtype(), "Input type (", type_meta_name(input_.dtype()),
           ") and bias type (", type_meta_name(bias.dtype()), ") should be the same");
  bool batched = false;
  Tensor input = conv_batchify(input_, spatial, fname, batched);
  Tensor out = convolution(input, weight, bias, conv_args(weight, stride, padding, padding, dilation, groups));
  return batched ? out : out.squeeze(0);
}

// convolution_same: padding dilation*(k-1) in total per dim, the extra one
// (odd totals) after; stride must be 1.
Tensor conv_same(const Tensor& input, const Tensor& weight, const Tensor& bias, IntArrayRef stride,
                 IntArrayRef dilation, int64_t groups) {
  const int64_t k = weight.dim();
  FT_CHECK(k > 2, "weight should have at least three dimensions");
  const size_t dim = size_t(k - 2);
  FT_CHECK(k == input.dim(), "Expected ", k, "-dimensional input for ", k, "-dimensional weight",
           shape_str(weight.sizes()), ", but got ", input.dim(), "-dimensional input of size ",
           shape_str(input.sizes()), " instead");
  FT_CHECK(stride.size() == dim || stride.size() == 1, "stride cannot broadcast to ", dim, " dimensions");
  FT_CHECK(dilation.size() == dim || dilation.size() == 1, "dilation cannot broadcast to ", dim, " dimensions");
  for (int64_t s : stride) FT_CHECK(s == 1, "padding='same' is not supported for strided convolutions");
  std::vector<int64_t> lo, hi;
  for (size_t i = 0; i < dim; ++i) {
    int64_t d = dilation.size() == 1 ? dilation[0] : dilation[i];
    int64_t total = d * (weight.size(int64_t(i) + 2) - 1);
    lo.push_back(total / 2);
    hi.push_back(total - total / 2);
  }
  return convolution(input, weight, bias, conv_args(weight, stride, lo, hi, dilation, groups));
}

Tensor conv_str_padding(const Tensor& input_, const Tensor& weight, const std::optional<Tensor>& bias_opt,
                        IntArrayRef stride, std::string_view padding, IntArrayRef dilation, int64_t groups,
                        int64_t spatial, const char* fname) {
  Tensor bias = bias_opt.value_or(Tensor());
  bool batched = false;
  Tensor input = conv_batchify(input_, spatial, fname, batched);
  Tensor out;
  if (padding == "same") {
    out = conv_same(input, weight, bias, stride, dilation, groups);
  } else if (padding == "valid") {
    const std::vector<int64_t> zero{0};
    out = convolution(input, weight, bias, conv_args(weight, stride, zero, zero, dilation, groups));
  } else {
    FT_ERROR("Invalid padding string: '", padding, "'");
  }
  return batched ? out : out.squeeze(0);
}

}  // namespace

Tensor conv2d(const Tensor& input, const Tensor& weight, const std::optional<Tensor>& bias, IntArrayRef stride,
              IntArrayRef padding, IntArrayRef dilation, int64_t groups) {
  FT_OP_SCOPE("conv2d");
  return conv_int_padding(input, weight, bias, stride, padding, dilation, groups, 2, "conv2d");
}
Tensor detail::conv2d_padding_mode(const Tensor& input, const Tensor& weight, const std::optional<Tensor>& bias,
                                   IntArrayRef stride, std::string_view padding, IntArrayRef dilation, int64_t groups) {
  FT_OP_SCOPE("conv2d");
  return conv_str_padding(input, weight, bias, stride, padding, dilation, groups, 2, "conv2d");
}
Tensor conv1d(const Tensor& input, const Tensor& weight, const std::optional<Tensor>& bias, IntArrayRef stride,
              IntArrayRef padding, IntArrayRef dilation, int64_t groups) {
  FT_OP_SCOPE("conv1d");
  return conv_int_padding(input, weight, bias, stride, padding, dilation, groups, 1, "conv1d");
}
Tensor detail::conv1d_padding_mode(const Tensor& input, const Tensor& weight, const std::optional<Tensor>& bias,
                                   IntArrayRef stride, std::string_view padding, IntArrayRef dilation, int64_t groups) {
  FT_OP_SCOPE("conv1d");
  return conv_str_padding(input, weight, bias, stride, padding, dilation, groups, 1, "conv1d");
}

}  // namespace ft
