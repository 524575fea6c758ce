// Conv1d, ConvTranspose1d/2d and the 1-D pooling modules (ft/nn/conv1d.h,
// ft/nn/conv_transpose.h).
#include <string>

#include "ft/nn/conv1d.h"
#include "ft/nn/conv_transpose.h"
#include "module_internal.h"

namespace ft::nn {
namespace {

// torch.nn's _single/_pair: one value repeats over the spatial dims.
std::vector<int64_t> per_dim(const std::vector<int64_t>& v, int spatial, const char* module, const char* what) {
  FT_CHECK_KIND(ErrorKind::Value, v.size() == 1 || int(v.size()) == spatial, module, ": ", what, " must be one int",
                spatial == 2 ? " or a pair of ints" : "", ", got ", v.size(), " values");
  return v.size() == 1 ? std::vector<int64_t>(size_t(spatial), v[0]) : v;
}

// The checks of torch.nn.modules.conv._ConvNd.__init__, with its ValueErrors.
void check_groups(int64_t in, int64_t out, int64_t groups) {
  FT_CHECK_KIND(ErrorKind::Value, groups > 0, "groups must be a positive integer");
  FT_CHECK_KIND(ErrorKind::Value, in % groups == 0, "in_channels must be divisible by groups");
  FT_CHECK_KIND(ErrorKind::Value, out % groups == 0, "out_channels must be divisible by groups");
}

std::optional<Tensor> bias_or_none(bool has, Tensor& b) { return has ? std::optional<Tensor>(b) : std::nullopt; }

}  // namespace

// ---- Conv1d --------------------------------------------------------------------------------
Conv1d::Conv1d(int64_t in, int64_t out, int64_t k, int64_t stride, int64_t padding, int64_t dilation, int64_t groups,
               bool bias, DType dtype)
    : Conv1d(Conv1dOptions{in, out, k, stride, padding, dilation, "", groups, bias, dtype}) {}

Conv1d::Conv1d(Conv1dOptions o) : Module("Conv1d"), opt_(std::move(o)) {
  check_groups(opt_.in_channels, opt_.out_channels, opt_.groups);
  if (!opt_.padding_str.empty()) {
    FT_CHECK_KIND(ErrorKind::Value, opt_.padding_str == "same" || opt_.padding_str == "valid",
                  "Invalid padding string '", opt_.padding_str, "', should be one of {'valid', 'same'}");
    FT_CHECK_KIND(ErrorKind::Value, opt_.padding_str != "same" || opt_.stride == 1,
                  "padding='same' is not supported for strided convolutions");
  }
  register_parameter("weight", empty({opt_.out_channels, opt_.in_channels / opt_.groups, opt_.kernel_size}, opt_.dtype));
  register_parameter("bias", opt_.bias ? empty({opt_.out_channels}, opt_.dtype) : Tensor());
  reset_parameters();
}

void Conv1d::reset_parameters() { reset_conv_parameters(weight(), opt_.bias ? bias() : Tensor()); }

Tensor Conv1d::forward(const Tensor& x) {
  std::optional<Tensor> b = bias_or_none(opt_.bias, bias());
  if (!opt_.padding_str.empty())
    return conv1d(x, weight(), b, {opt_.stride}, std::string_view(opt_.padding_str), {opt_.dilation}, opt_.groups);
  return conv1d(x, weight(), b, {opt_.stride}, {opt_.padding}, {opt_.dilation}, opt_.groups);
}

// ---- ConvTranspose1d / ConvTranspose2d --------------------------------------------------------
ConvTranspose2d::ConvTranspose2d(ConvTransposeOptions o, int spatial, const char* type_name)
    : Module(type_name), opt_(std::move(o)), spatial_(spatial) {
  opt_.kernel_size = per_dim(opt_.kernel_size, spatial, type_name, "kernel_size");
  opt_.stride = per_dim(opt_.stride, spatial, type_name, "stride");
  opt_.padding = per_dim(opt_.padding, spatial, type_name, "padding");
  opt_.output_padding = per_dim(opt_.output_padding, spatial, type_name, "output_padding");
  opt_.dilation = per_dim(opt_.dilation, spatial, type_name, "dilation");
  check_groups(opt_.in_channels, opt_.out_channels, opt_.groups);
  std::vector<int64_t> ws{opt_.in_channels, opt_.out_channels / opt_.groups};
  ws.insert(ws.end(), opt_.kernel_size.begin(), opt_.kernel_size.end());
  register_parameter("weight", empty(ws, opt_.dtype));
  register_parameter("bias", opt_.bias ? empty({opt_.out_channels}, opt_.dtype) : Tensor());
  reset_parameters();
}

ConvTranspose2d::ConvTranspose2d(ConvTransposeOptions o) : ConvTranspose2d(std::move(o), 2, "ConvTranspose2d") {}

ConvTranspose2d::ConvTranspose2d(int64_t in, int64_t out, int64_t k, int64_t stride, int64_t padding,
                                 int64_t output_padding, int64_t groups, bool bias, int64_t dilation, DType dtype)
    : ConvTranspose2d(ConvTransposeOptions{in, out, {k}, {stride}, {padding}, {output_padding}, groups, bias,
                                           {dilation}, dtype}) {}

void ConvTranspose2d::reset_parameters() { reset_conv_parameters(weight(), opt_.bias ? bias() : Tensor()); }

Tensor ConvTranspose2d::run(const Tensor& x, const std::vector<int64_t>& output_padding) {
  return conv_transpose2d(x, weight(), bias_or_none(opt_.bias, bias()), opt_.stride, opt_.padding, output_padding,
                          opt_.groups, opt_.dilation);
}

// torch.nn's _ConvTransposeNd._output_padding: each spatial output size is
// reachable from min = (in - 1) * stride - 2 * padding + dilation * (k - 1) + 1
// up to min + stride - 1, and the output_padding is size - min.
std::vector<int64_t> ConvTranspose2d::output_padding_for(const Tensor& x, std::vector<int64_t> output_size) const {
  const int64_t spatial = spatial_, non_spatial = x.dim() == spatial + 2 ? 2 : 1;
  if (int64_t(output_size.size()) == non_spatial + spatial)
    output_size.erase(output_size.begin(), output_size.begin() + non_spatial);
  FT_CHECK_KIND(ErrorKind::Value, int64_t(output_size.size()) == spatial, "ConvTranspose", spatial, "D: for ", x.dim(),
                "D input, output_size must have ", spatial, " or ", non_spatial + spatial, " elements (got ",
                output_size.size(), ")");
  std::vector<int64_t> min_sizes, max_sizes, padding;
  for (int64_t d = 0; d < spatial; ++d) {
    FT_CHECK_KIND(ErrorKind::Index, d + non_spatial < x.dim(), "ConvTranspose", spatial, "D: the input has ",
                  x.dim(), " dims, too few for ", spatial, " spatial dims");
    const size_t k = size_t(d);
    min_sizes.push_back((x.size(d + non_spatial) - 1) * opt_.stride[k] - 2 * opt_.padding[k] +
                        opt_.dilation[k] * (opt_.kernel_size[k] - 1) + 1);
    max_sizes.push_back(min_sizes[k] + opt_.stride[k] - 1);
  }
  auto list = [](const std::vector<int64_t>& v, size_t from = 0) {
    std::string s = "[";
    for (size_t i = from; i < v.size(); ++i) s += (i > from ? ", " : "") + std::to_string(v[i]);
    return s + "]";
  };
  for (size_t k = 0; k < output_size.size(); ++k)
    FT_CHECK_KIND(ErrorKind::Value, output_size[k] >= min_sizes[k] && output_size[k] <= max_sizes[k],
                  "requested an output size of ", list(output_size), ", but valid sizes range from ", list(min_sizes),
                  " to ", list(max_sizes), " (for an input of torch.Size(", list(x.sizes().vec(), 2), "))");
  for (size_t k = 0; k < output_size.size(); ++k) padding.push_back(output_size[k] - min_sizes[k]);
  return padding;
}

ConvTranspose1d::ConvTranspose1d(ConvTransposeOptions o) : ConvTranspose2d(std::move(o), 1, "ConvTranspose1d") {}

ConvTranspose1d::ConvTranspose1d(int64_t in, int64_t out, int64_t k, int64_t stride, int64_t padding,
                                 int64_t output_padding, int64_t groups, bool bias, int64_t dilation, DType dtype)
    : ConvTranspose1d(ConvTransposeOptions{in, out, {k}, {stride}, {padding}, {output_padding}, groups, bias,
                                           {dilation}, dtype}) {}

Tensor ConvTranspose1d::run(const Tensor& x, const std::vector<int64_t>& output_padding) {
  return conv_transpose1d(x, weight(), bias_or_none(opt_.bias, bias()), opt_.stride, opt_.padding, output_padding,
                          opt_.groups, opt_.dilation);
}

// ---- 1-D pooling -----------------------------------------------------------------------------
Tensor MaxPool1d::forward(const Tensor& x) { return max_pool1d(x, {k_}, {s_}, {p_}, {d_}, ceil_mode_); }

std::tuple<Tensor, Tensor> MaxPool1d::forward_with_indices(const Tensor& x) {
  return max_pool1d_with_indices(x, {k_}, {s_}, {p_}, {d_}, ceil_mode_);
}

Tensor AvgPool1d::forward(const Tensor& x) { return avg_pool1d(x, {k_}, {s_}, {p_}, ceil_mode_, count_include_pad_); }

Tensor AdaptiveAvgPool1d::forward(const Tensor& x) { return adaptive_avg_pool1d(x, {output_size_}); }

}  // namespace ft::nn
