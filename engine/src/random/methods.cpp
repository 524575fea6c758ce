// Tensor methods of the random family (declared in ft/methods/random.inc):
// thin forwards to the functional forms in random/fills.cpp and friends.
#include "ft/random.h"

namespace ft {

Tensor& Tensor::uniform_(double from, double to, Generator* g) { return ft::uniform_(*this, from, to, g); }
Tensor& Tensor::normal_(double mean, double std, Generator* g) { return ft::normal_(*this, mean, std, g); }
Tensor& Tensor::bernoulli_(double p, Generator* g) { return ft::bernoulli_(*this, p, g); }
Tensor& Tensor::bernoulli_(const Tensor& p, Generator* g) { return ft::bernoulli_(*this, p, g); }
Tensor& Tensor::exponential_(double lambd, Generator* g) { return ft::exponential_(*this, lambd, g); }
Tensor& Tensor::random_(int64_t from, std::optional<int64_t> to, Generator* g) { return ft::random_(*this, from, to, g); }
Tensor& Tensor::random_(int64_t to, Generator* g) { return ft::random_(*this, 0, to, g); }
Tensor& Tensor::random_(Generator* g) { return ft::random_(*this, g); }
Tensor Tensor::bernoulli(Generator* g) const { return ft::bernoulli(*this, g); }
Tensor Tensor::multinomial(int64_t num_samples, bool replacement, Generator* g) const {
  return ft::multinomial(*this, num_samples, replacement, g);
}

}  // namespace ft
