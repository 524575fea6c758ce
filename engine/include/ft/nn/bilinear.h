// torch.nn.Bilinear: y = x1^T A x2 + b over the last dims.
#pragma once

#include "ft/nn/module.h"

namespace ft::nn {

// weight (out, in1, in2), bias (out). Initialized as PyTorch: U(-1/sqrt(in1),
// 1/sqrt(in1)) for the weight, then the bias, from the default generator.
class Bilinear : public Module {
 public:
  Bilinear(int64_t in1_features, int64_t in2_features, int64_t out_features, bool bias = true,
           DType dtype = DType::Float32);
  // Bilinear takes two inputs; the one-input forward raises.
  Tensor forward(const Tensor& x1, const Tensor& x2);
  using Module::forward;
  void reset_parameters();
  Tensor& weight() { return param("weight"); }
  Tensor& bias() { return param("bias"); }

 private:
  bool has_bias_;
};

}  // namespace ft::nn
