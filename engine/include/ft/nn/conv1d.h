// 1-D convolution and pooling modules: Conv1d, MaxPool1d, AvgPool1d,
// AdaptiveAvgPool1d (torch.nn's constructors, defaults and checks).
#pragma once

#include <optional>
#include <string>
#include <tuple>
#include <vector>

#include "ft/nn/module.h"

namespace ft::nn {

struct Conv1dOptions {
  int64_t in_channels = 1, out_channels = 1, kernel_size = 1, stride = 1, padding = 0, dilation = 1;
  std::string padding_str;  // "same" or "valid": used instead of `padding` when set
  int64_t groups = 1;
  bool bias = true;
  DType dtype = DType::Float32;
};

// weight (out, in / groups, k), bias (out); PyTorch's default initialization
// (as Conv2d: the same draws from the default generator).
class Conv1d : public Module {
 public:
  explicit Conv1d(Conv1dOptions options);
  Conv1d(int64_t in_channels, int64_t out_channels, int64_t kernel_size, int64_t stride = 1, int64_t padding = 0,
         int64_t dilation = 1, int64_t groups = 1, bool bias = true, DType dtype = DType::Float32);
  Tensor forward(const Tensor& x) override;
  void reset_parameters();
  Tensor& weight() { return param("weight"); }
  Tensor& bias() { return param("bias"); }
  const Conv1dOptions& options() const { return opt_; }

 private:
  Conv1dOptions opt_;
};

// No stride means stride = kernel_size (torch's stride=None).
class MaxPool1d : public Module {
 public:
  explicit MaxPool1d(int64_t kernel_size, std::optional<int64_t> stride = std::nullopt, int64_t padding = 0, int64_t dilation = 1,
                     bool ceil_mode = false)
      : Module("MaxPool1d"), k_(kernel_size), s_(stride.value_or(kernel_size)), p_(padding), d_(dilation),
        ceil_mode_(ceil_mode) {}
  Tensor forward(const Tensor& x) override;
  // return_indices=True: (values, indices)
  std::tuple<Tensor, Tensor> forward_with_indices(const Tensor& x);

 private:
  int64_t k_, s_, p_, d_;
  bool ceil_mode_;
};

class AvgPool1d : public Module {
 public:
  explicit AvgPool1d(int64_t kernel_size, std::optional<int64_t> stride = std::nullopt, int64_t padding = 0, bool ceil_mode = false,
                     bool count_include_pad = true)
      : Module("AvgPool1d"), k_(kernel_size), s_(stride.value_or(kernel_size)), p_(padding),
        ceil_mode_(ceil_mode), count_include_pad_(count_include_pad) {}
  Tensor forward(const Tensor& x) override;

 private:
  int64_t k_, s_, p_;
  bool ceil_mode_, count_include_pad_;
};

class AdaptiveAvgPool1d : public Module {
 public:
  explicit AdaptiveAvgPool1d(int64_t output_size) : Module("AdaptiveAvgPool1d"), output_size_(output_size) {}
  Tensor forward(const Tensor& x) override;

 private:
  int64_t output_size_;
};

}  // namespace ft::nn
