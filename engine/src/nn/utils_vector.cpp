// parameters_to_vector / vector_to_parameters (torch/nn/utils/convert_parameters.py).
#include "ft/autograd.h"
#include "ft/nn/utils.h"

namespace ft::nn::utils {

Tensor parameters_to_vector(const std::vector<Tensor>& parameters) {
  std::vector<Tensor> flat;
  flat.reserve(parameters.size());
  for (const Tensor& p : parameters) flat.push_back(p.view({-1}));
  return cat(flat);
}

void vector_to_parameters(const Tensor& vec, const std::vector<Tensor>& parameters) {
  FT_CHECK(vec.dim() == 1, "vector_to_parameters: expected a 1-D vector, got ", vec.dim(), " dims");
  int64_t total = 0;
  for (const Tensor& p : parameters) total += p.numel();
  FT_CHECK(total == vec.numel(), "vector_to_parameters: the vector has ", vec.numel(),
           " elements but the parameters need ", total);
  autograd::NoGradGuard ng;
  int64_t offset = 0;
  for (const Tensor& p : parameters) {
    const int64_t n = p.numel();
    Tensor dst = p.detach();
    dst.copy_(vec.detach().narrow(0, offset, n).view(p.sizes()));
    offset += n;
  }
}

}  // namespace ft::nn::utils
