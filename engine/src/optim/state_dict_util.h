// Shared checks and lookups of the optimizers' load_state_dict (one
// parameter group, NOTE [ Parameter groups ]).
#pragma once

#include <initializer_list>
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

// One named per-parameter buffer of an optimizer's state ("exp_avg", ...).
struct StateSlot {
  const char* name;
  std::vector<Tensor>* buffers;
};

// Copies sd's per-parameter state: "step" into `steps` (null: the optimizer
// keeps none) and each slot's entries into its buffers; an unknown name
// raises, naming the optimizer.
inline void load_param_state(const OptimizerStateDict& sd, const std::vector<Tensor>& params,
                             std::vector<int64_t>* steps, std::initializer_list<StateSlot> slots,
                             const char* optimizer) {
  for (const auto& [idx, entries] : sd.state) {
    const size_t i = size_t(idx);
    for (const auto& [name, t] : entries) {
      if (steps && name == "step") {
        (*steps)[i] = step_count(t);
        continue;
      }
      bool known = false;
      for (const StateSlot& s : slots)
        if (name == s.name) {
          (*s.buffers)[i] = state_like(t, params[i], name, idx);
          known = true;
          break;
        }
      FT_CHECK_KIND(ErrorKind::Value, known, "unknown ", optimizer, " state '", name, "'");
    }
  }
}

// [0, n): the parameter indices of the single group.
inline std::vector<int64_t> all_indices(size_t n) {
  std::vector<int64_t> v(n);
  std::iota(v.begin(), v.end(), int64_t(0));
  return v;
}

}  // namespace ft::optim::sd_util
