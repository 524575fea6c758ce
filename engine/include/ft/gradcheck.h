// gradcheck / gradgradcheck: analytical gradients (autograd) against
// central finite differences, in float64, as torch.autograd.gradcheck.
//
// Slow mode compares full Jacobians column by column. Fast mode compares one
// random projection: v^T J u numerically (a directional derivative along a
// random u) and analytically (grad(f, x, v) . u), which costs two forward
// evaluations per input instead of two per input element.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "ft/tensor.h"

namespace ft::autograd {

using DiffFn = std::function<std::vector<Tensor>(const std::vector<Tensor>&)>;

struct GradcheckOptions {
  double eps = 1e-6, atol = 1e-5, rtol = 1e-3;
  double nondet_tol = 0.0;  // allowed difference between two analytical evaluations
  bool fast_mode = false;
  uint64_t seed = 0;        // fast mode's random projections
};

struct GradcheckResult {
  bool ok = true;
  std::string message;      // which input/output/element failed and by how much
  double max_abs_err = 0;
};

// `inputs`: float64 tensors; those with requires_grad are checked.
GradcheckResult gradcheck(const DiffFn& f, const std::vector<Tensor>& inputs, const GradcheckOptions& opt = {});
// gradcheck of the map (inputs, v) -> grad(f(inputs), inputs, v, create_graph).
GradcheckResult gradgradcheck(const DiffFn& f, const std::vector<Tensor>& inputs, const GradcheckOptions& opt = {});

}  // namespace ft::autograd
