// Shared checks and lookups of the optimizers' load_state_dict (one
// parameter group, NOTE [ Parameter groups ]).
#pragma once

#include <numeric>

#include "ft/optim/optimizer.h"

namespace ft::optim::sd_util {

// Throws unless `sd` has one group holding exactly n parameters.
inline void check_layout(const OptimizerStateDict& sd, size_t n) {
  FT_CHECK_KIND(ErrorKind::Value, sd.param_groups.size() == 1 && sd.group_params.size() == 1 &&
                                      sd.group_params[0].size() == n,
                "loaded state dict has a different number of parameter groups or parameters");
  for (const auto& kv : sd.state)
    FT_CHECK_KIND(ErrorKind::Value, kv.first >= 0 && size_t(kv.first) < n, "state for unknown parameter ", kv.first);
}

// Group 0's value of `key`, or `fallback` when the dict lacks it.
inline double group_value(const OptimizerStateDict& sd, const char* key, double fallback) {
  const auto& g = sd.param_groups.at(0);
  auto it = g.find(key);
  return it == g.end() ? fallback : it->second;
}

// A state tensor for parameter idx, copied into the parameter's dtype.
inline Tensor state_like(const Tensor& t, const Tensor& param, const std::string& name, int64_t idx) {
  FT_CHECK(t.sizes().vec() == param.sizes().vec(), name, " shape mismatch for parameter ", idx);
  return t.to(param.dtype()).contiguous().clone();
}

// The state's "step" entry as an integer count.
inline int64_t step_count(const Tensor& t) { return int64_t(t.to_double_vector().at(0)); }

// [0, n): the parameter indices of the single group.
inline std::vector<int64_t> all_indices(size_t n) {
  std::vector<int64_t> v(n);
  std::iota(v.begin(), v.end(), int64_t(0));
  return v;
}

}  // namespace ft::optim::sd_util
