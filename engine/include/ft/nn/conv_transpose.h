// Transposed-convolution modules: ConvTranspose1d, ConvTranspose2d
// (torch.nn's constructors, defaults, checks and default initialization).
#pragma once

#include <vector>

#include "ft/nn/module.h"

namespace ft::nn {

// torch.nn.ConvTranspose{1,2}d's arguments. Lists hold one value (every
// spatial dim) or one per dim.
struct ConvTransposeOptions {
  int64_t in_channels = 1, out_channels = 1;
  std::vector<int64_t> kernel_size{1}, stride{1}, padding{0}, output_padding{0};
  int64_t groups = 1;
  bool bias = true;
  std::vector<int64_t> dilation{1};
  DType dtype = DType::Float32;
};

// weight (in, out / groups, k...), bias (out). Initialized as PyTorch's
// _ConvNd.reset_parameters: kaiming_uniform_(a = sqrt(5)) for the weight,
// then U(-1/sqrt(fan_in), 1/sqrt(fan_in)) for the bias, where fan_in is
// computed from the transposed weight (out / groups * kernel area), so
// manual_seed(s) gives libtorch's parameters bit for bit.
class ConvTranspose2d : public Module {
 public:
  explicit ConvTranspose2d(ConvTransposeOptions options);
  ConvTranspose2d(int64_t in_channels, int64_t out_channels, int64_t kernel_size, int64_t stride = 1,
                  int64_t padding = 0, int64_t output_padding = 0, int64_t groups = 1, bool bias = true,
                  int64_t dilation = 1, DType dtype = DType::Float32);
  Tensor forward(const Tensor& x) override { return run(x, opt_.output_padding); }
  // torch's forward(input, output_size): the output's spatial sizes (or the
  // whole shape, batch and channel dims first) choose the output_padding in
  // place of the module's; sizes outside [min, min + stride - 1] per dim
  // raise PyTorch's ValueError.
  Tensor forward(const Tensor& x, const std::vector<int64_t>& output_size) {
    return run(x, output_padding_for(x, output_size));
  }
  void reset_parameters();
  Tensor& weight() { return param("weight"); }
  Tensor& bias() { return param("bias"); }
  const ConvTransposeOptions& options() const { return opt_; }

 protected:
  ConvTranspose2d(ConvTransposeOptions options, int spatial, const char* type_name);
  // The transposed convolution with this output_padding.
  virtual Tensor run(const Tensor& x, const std::vector<int64_t>& output_padding);
  std::vector<int64_t> output_padding_for(const Tensor& x, std::vector<int64_t> output_size) const;
  ConvTransposeOptions opt_;
  int spatial_;
};

class ConvTranspose1d : public ConvTranspose2d {
 public:
  explicit ConvTranspose1d(ConvTransposeOptions options);
  ConvTranspose1d(int64_t in_channels, int64_t out_channels, int64_t kernel_size, int64_t stride = 1,
                  int64_t padding = 0, int64_t output_padding = 0, int64_t groups = 1, bool bias = true,
                  int64_t dilation = 1, DType dtype = DType::Float32);

 protected:
  Tensor run(const Tensor& x, const std::vector<int64_t>& output_padding) override;
};

}  // namespace ft::nn
