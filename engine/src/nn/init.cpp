// torch.nn.init, with the arithmetic done in double in PyTorch's order so the
// bounds (and so the drawn values) equal PyTorch's for the same seed.
#include "ft/nn/init.h"

#include <cmath>

#include "ft/autograd.h"
#include "ft/ops.h"
#include "ft/random.h"

namespace ft::nn::init {

std::pair<int64_t, int64_t> calculate_fan_in_and_fan_out(const Tensor& t) {
  FT_CHECK_KIND(ErrorKind::Value, t.dim() >= 2,
                "Fan in and fan out can not be computed for tensor with fewer than 2 dimensions");
  int64_t receptive = 1;
  for (int64_t d = 2; d < t.dim(); ++d) receptive *= t.size(d);
  return {t.size(1) * receptive, t.size(0) * receptive};
}

double calculate_gain(const std::string& nl, double param) {
  if (nl == "linear" || nl == "conv1d" || nl == "conv2d" || nl == "conv3d" || nl == "conv_transpose1d" ||
      nl == "conv_transpose2d" || nl == "conv_transpose3d" || nl == "sigmoid")
    return 1.0;
  if (nl == "tanh") return 5.0 / 3;
  if (nl == "relu") return std::sqrt(2.0);
  if (nl == "leaky_relu") return std::sqrt(2.0 / (1 + param * param));
  if (nl == "selu") return 3.0 / 4;
  FT_CHECK_KIND(ErrorKind::Value, false, "Unsupported nonlinearity ", nl);
  return 1.0;
}

namespace {
int64_t fan_for(const Tensor& t, const std::string& mode) {
  FT_CHECK_KIND(ErrorKind::Value, mode == "fan_in" || mode == "fan_out", "Mode ", mode,
                " not supported, please use one of fan_in, fan_out");
  auto f = calculate_fan_in_and_fan_out(t);
  return mode == "fan_in" ? f.first : f.second;
}
}  // namespace

Tensor& uniform_(Tensor& t, double a, double b, Generator* g) {
  autograd::NoGradGuard ng;
  return ft::uniform_(t, a, b, g);
}

Tensor& normal_(Tensor& t, double mean, double std, Generator* g) {
  autograd::NoGradGuard ng;
  return ft::normal_(t, mean, std, g);
}

Tensor& constant_(Tensor& t, double v) {
  autograd::NoGradGuard ng;
  return t.fill_(v);
}
Tensor& zeros_(Tensor& t) { return constant_(t, 0); }
Tensor& ones_(Tensor& t) { return constant_(t, 1); }

Tensor& xavier_uniform_(Tensor& t, double gain, Generator* g) {
  auto f = calculate_fan_in_and_fan_out(t);
  double std = gain * std::sqrt(2.0 / double(f.first + f.second));
  double a = std::sqrt(3.0) * std;
  return init::uniform_(t, -a, a, g);
}

Tensor& xavier_normal_(Tensor& t, double gain, Generator* g) {
  auto f = calculate_fan_in_and_fan_out(t);
  double std = gain * std::sqrt(2.0 / double(f.first + f.second));
  return init::normal_(t, 0, std, g);
}

Tensor& kaiming_uniform_(Tensor& t, double a, const std::string& mode, const std::string& nonlinearity, Generator* g) {
  if (t.numel() == 0) return t;  // PyTorch warns "Initializing zero-element tensors is a no-op"
  double gain = calculate_gain(nonlinearity, a);
  double std = gain / std::sqrt(double(fan_for(t, mode)));
  double bound = std::sqrt(3.0) * std;
  return init::uniform_(t, -bound, bound, g);
}

Tensor& kaiming_normal_(Tensor& t, double a, const std::string& mode, const std::string& nonlinearity, Generator* g) {
  if (t.numel() == 0) return t;
  double gain = calculate_gain(nonlinearity, a);
  double std = gain / std::sqrt(double(fan_for(t, mode)));
  return init::normal_(t, 0, std, g);
}

Tensor& trunc_normal_(Tensor& t, double mean, double std, double a, double b, Generator* g) {
  // Inverse-CDF method: U(2l-1, 2u-1) -> erfinv -> scale, shift, clamp.
  auto norm_cdf = [](double x) { return (1.0 + std::erf(x / std::sqrt(2.0))) / 2.0; };
  double l = norm_cdf((a - mean) / std), u = norm_cdf((b - mean) / std);
  autograd::NoGradGuard ng;
  ft::uniform_(t, 2 * l - 1, 2 * u - 1, g);
  t.erfinv_();
  t.mul_(scalar_tensor(std * std::sqrt(2.0), t.dtype()));
  t.add_(scalar_tensor(mean, t.dtype()));
  t.clamp_(a, b);
  return t;
}

}  // namespace ft::nn::init
