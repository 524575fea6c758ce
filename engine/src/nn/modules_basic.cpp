// Linear and Sequential.
#include <cmath>

#include "ft/autograd.h"
#include "ft/nn/functional.h"
#include "ft/nn/init.h"
#include "ft/nn/modules.h"

namespace ft::nn {

Linear::Linear(int64_t in, int64_t out, bool bias, DType dtype)
    : Module("Linear"), in_features(in), out_features(out), has_bias_(bias) {
  FT_CHECK_KIND(ErrorKind::Value, in >= 0 && out >= 0, "Linear: in_features and out_features must be >= 0, got ",
                in, " and ", out);
  register_parameter("weight", empty({out, in}, dtype));
  register_parameter("bias", bias ? empty({out}, dtype) : Tensor());
  reset_parameters();
}

void Linear::reset_parameters() {
  autograd::NoGradGuard ng;
  // PyTorch draws the weight first, then the bias, from the default generator.
  Tensor w = weight().detach();
  init::kaiming_uniform_(w, std::sqrt(5.0));
  if (has_bias_) {
    int64_t fan_in = init::calculate_fan_in_and_fan_out(weight()).first;
    double bound = fan_in > 0 ? 1.0 / std::sqrt(double(fan_in)) : 0.0;
    Tensor b = bias().detach();
    init::uniform_(b, -bound, bound);
  }
}

Tensor Linear::forward(const Tensor& x) { return functional::linear(x, weight(), has_bias_ ? bias() : Tensor()); }

Sequential::Sequential(std::initializer_list<ModulePtr> mods) : Module("Sequential") {
  for (auto& m : mods) push_back(m);
}

void Sequential::push_back(ModulePtr m) { add_child(std::to_string(named_children().size()), std::move(m)); }

Tensor Sequential::forward(const Tensor& x) {
  Tensor h = x;
  for (auto& c : named_children()) h = c.second->forward(h);
  return h;
}

ModulePtr Sequential::operator[](size_t i) const {
  auto kids = named_children();
  FT_CHECK_KIND(ErrorKind::Index, i < kids.size(), "index ", i, " is out of range for a Sequential of ", kids.size(),
                " modules");
  return kids[i].second;
}

}  // namespace ft::nn
