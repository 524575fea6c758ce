// torch.nn.init: in-place initializers drawing from the engine's generator
// (ft/random.h), so the same seed gives PyTorch's weights.
#pragma once

#include <string>

#include "ft/tensor.h"

namespace ft { class Generator; }

namespace ft::nn::init {

// fan_in = size(1) * receptive field, fan_out = size(0) * receptive field.
std::pair<int64_t, int64_t> calculate_fan_in_and_fan_out(const Tensor& t);
// gain for "linear", "conv*", "sigmoid", "tanh", "relu", "leaky_relu" (param = slope), "selu".
double calculate_gain(const std::string& nonlinearity, double param = 0.01);

Tensor& uniform_(Tensor& t, double a = 0, double b = 1, Generator* g = nullptr);
Tensor& normal_(Tensor& t, double mean = 0, double std = 1, Generator* g = nullptr);
Tensor& constant_(Tensor& t, double v);
Tensor& zeros_(Tensor& t);
Tensor& ones_(Tensor& t);
Tensor& xavier_uniform_(Tensor& t, double gain = 1, Generator* g = nullptr);
Tensor& xavier_normal_(Tensor& t, double gain = 1, Generator* g = nullptr);
// mode: "fan_in" | "fan_out"
Tensor& kaiming_uniform_(Tensor& t, double a = 0, const std::string& mode = "fan_in",
                         const std::string& nonlinearity = "leaky_relu", Generator* g = nullptr);
Tensor& kaiming_normal_(Tensor& t, double a = 0, const std::string& mode = "fan_in",
                        const std::string& nonlinearity = "leaky_relu", Generator* g = nullptr);
// Normal(mean, std) truncated to [a, b] by inverse-CDF sampling, as PyTorch.
Tensor& trunc_normal_(Tensor& t, double mean = 0, double std = 1, double a = -2, double b = 2, Generator* g = nullptr);

}  // namespace ft::nn::init
