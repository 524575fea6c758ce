// Basic modules: Linear, activations, Flatten, Identity, Sequential.
#pragma once

#include <initializer_list>

#include "ft/nn/module.h"

namespace ft::nn {

// y = x W^T + b. weight (out, in), bias (out). Initialized as PyTorch:
// kaiming_uniform_(a = sqrt(5)) for the weight, U(-1/sqrt(in), 1/sqrt(in)) for the bias.
class Linear : public Module {
 public:
  Linear(int64_t in_features, int64_t out_features, bool bias = true, DType dtype = DType::Float32);
  Tensor forward(const Tensor& x) override;
  void reset_parameters();
  Tensor& weight() { return param("weight"); }
  Tensor& bias() { return param("bias"); }
  int64_t in_features, out_features;

 private:
  bool has_bias_;
};

// inplace=true: forward rewrites its input with relu_ and returns it (as
// torch.nn.ReLU(inplace=True); autograd rules for in-place ops apply).
class ReLU : public Module {
 public:
  explicit ReLU(bool inplace = false) : Module("ReLU"), inplace_(inplace) {}
  Tensor forward(const Tensor& x) override {
    if (!inplace_) return x.relu();
    Tensor y = x;
    return y.relu_();
  }

 private:
  bool inplace_;
};
class Tanh : public Module {
 public:
  Tanh() : Module("Tanh") {}
  Tensor forward(const Tensor& x) override { return x.tanh(); }
};
class Sigmoid : public Module {
 public:
  Sigmoid() : Module("Sigmoid") {}
  Tensor forward(const Tensor& x) override { return x.sigmoid(); }
};
class Identity : public Module {
 public:
  Identity() : Module("Identity") {}
  Tensor forward(const Tensor& x) override { return x; }
};
class Flatten : public Module {
 public:
  explicit Flatten(int64_t start_dim = 1, int64_t end_dim = -1)
      : Module("Flatten"), start_dim_(start_dim), end_dim_(end_dim) {}
  Tensor forward(const Tensor& x) override { return x.flatten(start_dim_, end_dim_); }

 private:
  int64_t start_dim_, end_dim_;
};

// Children named "0", "1", ... run in order.
class Sequential : public Module {
 public:
  Sequential() : Module("Sequential") {}
  Sequential(std::initializer_list<ModulePtr> mods);
  void push_back(ModulePtr m);
  Tensor forward(const Tensor& x) override;
  size_t size() const { return named_children().size(); }
  ModulePtr operator[](size_t i) const;
};

}  // namespace ft::nn

// Convolution and pooling modules.
#include "ft/nn/conv.h"
#include "ft/nn/norm.h"

// Attention and recurrent modules.
#include "ft/nn/attention.h"
#include "ft/nn/rnn.h"
#include "ft/nn/loss.h"
