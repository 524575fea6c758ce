// Conv2d and the pooling modules (ft/nn/conv.h).
#include <cmath>

#include "ft/autograd.h"
#include "ft/nn/conv.h"
#include "ft/nn/init.h"
#include "module_internal.h"

namespace ft::nn {
namespace {

// A one-value list means both spatial dims (torch.nn's _pair).
std::vector<int64_t> pair_of(const std::vector<int64_t>& v, const char* what) {
  FT_CHECK_KIND(ErrorKind::Value, v.size() == 1 || v.size() == 2, "Conv2d: ", what,
                " must be one int or a pair of ints, got ", v.size(), " values");
  return v.size() == 1 ? std::vector<int64_t>{v[0], v[0]} : v;
}

}  // namespace

Conv2d::Conv2d(int64_t in, int64_t out, int64_t k, int64_t stride, int64_t padding, int64_t dilation, int64_t groups,
               bool bias, DType dtype)
    : Conv2d(Conv2dOptions{in, out, {k}, {stride}, {padding}, {dilation}, "", groups, bias, dtype}) {}

// The checks of torch.nn.modules.conv._ConvNd.__init__, with its ValueErrors.
Conv2d::Conv2d(Conv2dOptions o) : Module("Conv2d"), opt_(std::move(o)) {
  opt_.kernel_size = pair_of(opt_.kernel_size, "kernel_size");
  opt_.stride = pair_of(opt_.stride, "stride");
  opt_.padding = pair_of(opt_.padding, "padding");
  opt_.dilation = pair_of(opt_.dilation, "dilation");
  FT_CHECK_KIND(ErrorKind::Value, opt_.groups > 0, "groups must be a positive integer");
  FT_CHECK_KIND(ErrorKind::Value, opt_.in_channels % opt_.groups == 0, "in_channels must be divisible by groups");
  FT_CHECK_KIND(ErrorKind::Value, opt_.out_channels % opt_.groups == 0, "out_channels must be divisible by groups");
  if (!opt_.padding_str.empty()) {
    FT_CHECK_KIND(ErrorKind::Value, opt_.padding_str == "same" || opt_.padding_str == "valid",
                  "Invalid padding string '", opt_.padding_str, "', should be one of {'valid', 'same'}");
    FT_CHECK_KIND(ErrorKind::Value, opt_.padding_str != "same" || (opt_.stride[0] == 1 && opt_.stride[1] == 1),
                  "padding='same' is not supported for strided convolutions");
  }
  register_parameter(
      "weight",
      empty({opt_.out_channels, opt_.in_channels / opt_.groups, opt_.kernel_size[0], opt_.kernel_size[1]}, opt_.dtype));
  register_parameter("bias", opt_.bias ? empty({opt_.out_channels}, opt_.dtype) : Tensor());
  reset_parameters();
}

void reset_conv_parameters(const Tensor& weight, const Tensor& bias) {
  autograd::NoGradGuard ng;
  // Weight first, then bias: the order PyTorch draws from the generator.
  Tensor w = weight.detach();
  init::kaiming_uniform_(w, std::sqrt(5.0));
  if (!bias.defined()) return;
  Tensor b = bias.detach();
  const int64_t fan_in = init::calculate_fan_in_and_fan_out(weight).first;
  // PyTorch leaves the bias uninitialized (and draws nothing) when fan_in is
  // 0; zeros here, so no garbage, with the same generator state afterwards.
  if (fan_in == 0) {
    init::zeros_(b);
    return;
  }
  const double bound = 1.0 / std::sqrt(double(fan_in));
  init::uniform_(b, -bound, bound);
}

void Conv2d::reset_parameters() { reset_conv_parameters(weight(), opt_.bias ? bias() : Tensor()); }

Tensor Conv2d::forward(const Tensor& x) {
  const Tensor& b = opt_.bias ? bias() : Tensor();
  std::optional<Tensor> bo = b.defined() ? std::optional<Tensor>(b) : std::nullopt;
  if (!opt_.padding_str.empty())
    return conv2d(x, weight(), bo, opt_.stride, std::string_view(opt_.padding_str), opt_.dilation, opt_.groups);
  return conv2d(x, weight(), bo, opt_.stride, IntArrayRef(opt_.padding), opt_.dilation, opt_.groups);
}

Tensor MaxPool2d::forward(const Tensor& x) {
  return max_pool2d(x, kernel_size_, stride_, padding_, dilation_, ceil_mode_);
}

std::tuple<Tensor, Tensor> MaxPool2d::forward_with_indices(const Tensor& x) {
  return max_pool2d_with_indices(x, kernel_size_, stride_, padding_, dilation_, ceil_mode_);
}

Tensor AvgPool2d::forward(const Tensor& x) {
  return avg_pool2d(x, kernel_size_, stride_, padding_, ceil_mode_, count_include_pad_, divisor_override_);
}

Tensor AdaptiveAvgPool2d::forward(const Tensor& x) {
  // One value means a square output (torch's _pair).
  std::vector<int64_t> os =
      output_size_.size() == 1 ? std::vector<int64_t>{output_size_[0], output_size_[0]} : output_size_;
  return adaptive_avg_pool2d(x, os);
}

}  // namespace ft::nn
