// Activation modules beyond modules.h's ReLU/Tanh/Sigmoid: GELU, SiLU,
// LeakyReLU, ELU, Hardtanh, ReLU6, Hardswish, Hardsigmoid, Mish, Softmax,
// LogSoftmax (torch.nn's constructors and defaults). Each forward is the op of
// the same name; with inplace=true (the modules that take it in torch.nn) it
// is the in-place op on the input, which it returns, as torch.nn.functional
// does: the input must not be a leaf that requires grad, and its old values
// are gone.
#pragma once

#include <string>

#include "ft/nn/module.h"

namespace ft::nn {

// approximate: "none" (erf) or "tanh"; other strings raise in forward, as the op does.
class GELU : public Module {
 public:
  explicit GELU(std::string approximate = "none") : Module("GELU"), approximate_(std::move(approximate)) {}
  Tensor forward(const Tensor& x) override { return gelu(x, approximate_); }

 private:
  std::string approximate_;
};

// The forward of an activation module with an inplace flag: `inplace_op`
// on a handle to x, else `op`.
template <typename Op, typename InplaceOp>
Tensor activation_forward(const Tensor& x, bool inplace, Op op, InplaceOp inplace_op) {
  if (!inplace) return op(x);
  Tensor y = x;
  return inplace_op(y);
}

class SiLU : public Module {
 public:
  explicit SiLU(bool inplace = false) : Module("SiLU"), inplace_(inplace) {}
  Tensor forward(const Tensor& x) override {
    return activation_forward(x, inplace_, [](const Tensor& t) { return silu(t); },
                              [](Tensor& t) -> Tensor { return silu_(t); });
  }

 private:
  bool inplace_;
};

class LeakyReLU : public Module {
 public:
  explicit LeakyReLU(double negative_slope = 0.01, bool inplace = false)
      : Module("LeakyReLU"), negative_slope_(negative_slope), inplace_(inplace) {}
  Tensor forward(const Tensor& x) override {
    return activation_forward(x, inplace_, [&](const Tensor& t) { return leaky_relu(t, negative_slope_); },
                              [&](Tensor& t) -> Tensor { return leaky_relu_(t, negative_slope_); });
  }

 private:
  double negative_slope_;
  bool inplace_;
};

class ELU : public Module {
 public:
  explicit ELU(double alpha = 1.0, bool inplace = false) : Module("ELU"), alpha_(alpha), inplace_(inplace) {}
  Tensor forward(const Tensor& x) override {
    return activation_forward(x, inplace_, [&](const Tensor& t) { return elu(t, alpha_); },
                              [&](Tensor& t) -> Tensor { return elu_(t, alpha_); });
  }

 private:
  double alpha_;
  bool inplace_;
};

// Clamps to [min_val, max_val]; torch.nn.Hardtanh raises when max < min.
class Hardtanh : public Module {
 public:
  explicit Hardtanh(double min_val = -1.0, double max_val = 1.0, bool inplace = false)
      : Hardtanh("Hardtanh", min_val, max_val, inplace) {}
  Tensor forward(const Tensor& x) override {
    return activation_forward(x, inplace_, [&](const Tensor& t) { return hardtanh(t, min_val_, max_val_); },
                              [&](Tensor& t) -> Tensor { return hardtanh_(t, min_val_, max_val_); });
  }

 protected:
  Hardtanh(const char* name, double min_val, double max_val, bool inplace)
      : Module(name), min_val_(min_val), max_val_(max_val), inplace_(inplace) {
    FT_CHECK_KIND(ErrorKind::Value, max_val > min_val, "max_val must be larger than min_val");
  }

 private:
  double min_val_, max_val_;
  bool inplace_;
};

// Hardtanh(0, 6), as torch.nn.ReLU6.
class ReLU6 : public Hardtanh {
 public:
  explicit ReLU6(bool inplace = false) : Hardtanh("ReLU6", 0.0, 6.0, inplace) {}
};

class Hardswish : public Module {
 public:
  explicit Hardswish(bool inplace = false) : Module("Hardswish"), inplace_(inplace) {}
  Tensor forward(const Tensor& x) override {
    return activation_forward(x, inplace_, [](const Tensor& t) { return hardswish(t); },
                              [](Tensor& t) -> Tensor { return hardswish_(t); });
  }

 private:
  bool inplace_;
};

class Hardsigmoid : public Module {
 public:
  explicit Hardsigmoid(bool inplace = false) : Module("Hardsigmoid"), inplace_(inplace) {}
  Tensor forward(const Tensor& x) override {
    return activation_forward(x, inplace_, [](const Tensor& t) { return hardsigmoid(t); },
                              [](Tensor& t) -> Tensor { return hardsigmoid_(t); });
  }

 private:
  bool inplace_;
};

class Mish : public Module {
 public:
  explicit Mish(bool inplace = false) : Module("Mish"), inplace_(inplace) {}
  Tensor forward(const Tensor& x) override {
    return activation_forward(x, inplace_, [](const Tensor& t) { return mish(t); },
                              [](Tensor& t) -> Tensor { return mish_(t); });
  }

 private:
  bool inplace_;
};

// torch.nn.Softmax(dim) / LogSoftmax(dim); the dim is required here (torch's
// dim=None picks one by a deprecated rule).
class Softmax : public Module {
 public:
  explicit Softmax(int64_t dim) : Module("Softmax"), dim_(dim) {}
  Tensor forward(const Tensor& x) override { return softmax(x, dim_); }

 private:
  int64_t dim_;
};

class LogSoftmax : public Module {
 public:
  explicit LogSoftmax(int64_t dim) : Module("LogSoftmax"), dim_(dim) {}
  Tensor forward(const Tensor& x) override { return log_softmax(x, dim_); }

 private:
  int64_t dim_;
};

}  // namespace ft::nn
