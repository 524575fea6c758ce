// Convolution and pooling modules: Conv2d, MaxPool2d, AvgPool2d,
// AdaptiveAvgPool2d (torch.nn's constructors, defaults and checks).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "ft/nn/module.h"

namespace ft::nn {

// torch.nn.Conv2d's arguments. Lists hold one value (both dims) or two.
struct Conv2dOptions {
  int64_t in_channels = 1, out_channels = 1;
  std::vector<int64_t> kernel_size{1}, stride{1}, padding{0}, dilation{1};
  std::string padding_str;  // "same" or "valid": used instead of `padding` when set
  int64_t groups = 1;
  bool bias = true;
  DType dtype = DType::Float32;
};

// weight (out, in / groups, kH, kW), bias (out). Initialized as PyTorch:
// kaiming_uniform_(a = sqrt(5)) for the weight, then U(-1/sqrt(fan_in),
// 1/sqrt(fan_in)) for the bias, drawn in that order from the default
// generator, so manual_seed(s) gives libtorch's parameters bit for bit.
class Conv2d : public Module {
 public:
  explicit Conv2d(Conv2dOptions options);
  Conv2d(int64_t in_channels, int64_t out_channels, int64_t kernel_size, int64_t stride = 1, int64_t padding = 0,
         int64_t dilation = 1, int64_t groups = 1, bool bias = true, DType dtype = DType::Float32);
  Tensor forward(const Tensor& x) override;
  void reset_parameters();
  Tensor& weight() { return param("weight"); }
  Tensor& bias() { return param("bias"); }
  const Conv2dOptions& options() const { return opt_; }

 private:
  Conv2dOptions opt_;
};

// An empty stride means stride = kernel_size (torch's stride=None).
class MaxPool2d : public Module {
 public:
  explicit MaxPool2d(std::vector<int64_t> kernel_size, std::vector<int64_t> stride = {},
                     std::vector<int64_t> padding = {0}, std::vector<int64_t> dilation = {1}, bool ceil_mode = false)
      : Module("MaxPool2d"), kernel_size_(std::move(kernel_size)), stride_(std::move(stride)),
        padding_(std::move(padding)), dilation_(std::move(dilation)), ceil_mode_(ceil_mode) {}
  Tensor forward(const Tensor& x) override;
  // return_indices=True: (values, indices)
  std::tuple<Tensor, Tensor> forward_with_indices(const Tensor& x);

 private:
  std::vector<int64_t> kernel_size_, stride_, padding_, dilation_;
  bool ceil_mode_;
};

class AvgPool2d : public Module {
 public:
  explicit AvgPool2d(std::vector<int64_t> kernel_size, std::vector<int64_t> stride = {},
                     std::vector<int64_t> padding = {0}, bool ceil_mode = false, bool count_include_pad = true,
                     std::optional<int64_t> divisor_override = std::nullopt)
      : Module("AvgPool2d"), kernel_size_(std::move(kernel_size)), stride_(std::move(stride)),
        padding_(std::move(padding)), ceil_mode_(ceil_mode), count_include_pad_(count_include_pad),
        divisor_override_(divisor_override) {}
  Tensor forward(const Tensor& x) override;

 private:
  std::vector<int64_t> kernel_size_, stride_, padding_;
  bool ceil_mode_, count_include_pad_;
  std::optional<int64_t> divisor_override_;
};

class AdaptiveAvgPool2d : public Module {
 public:
  explicit AdaptiveAvgPool2d(std::vector<int64_t> output_size)
      : Module("AdaptiveAvgPool2d"), output_size_(std::move(output_size)) {}
  Tensor forward(const Tensor& x) override;

 private:
  std::vector<int64_t> output_size_;
};

}  // namespace ft::nn
