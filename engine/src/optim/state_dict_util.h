// Shared pieces of the optimizers' state_dict / load_state_dict in PyTorch's
// layout, any number of parameter groups (NOTE [ Parameter groups ]).
#pragma once

#include <initializer_list>
#include <numeric>
#include <type_traits>

#include "ft/optim/optimizer.h"

namespace ft::optim::sd_util {

using Entries = std::vector<std::pair<std::string, Tensor>>;
using Hyper = std::map<std::string, double>;

// Appends group g's entry: its hyperparameters, initial_lr when a scheduler
// set one, and its parameters' indices in params().
inline void push_group(OptimizerStateDict& sd, const Optimizer& opt, int64_t g, Hyper hyper) {
  if (auto ilr = opt.group_initial_lr(g)) hyper["initial_lr"] = *ilr;
  sd.param_groups.push_back(std::move(hyper));
  std::vector<int64_t> idx(opt.group_end(g) - opt.group_begin(g));
  std::iota(idx.begin(), idx.end(), int64_t(opt.group_begin(g)));
  sd.group_params.push_back(std::move(idx));
}

// Checks that `sd` has the optimizer's groups with the same sizes (PyTorch's
// messages) and returns its state keyed by the index of the parameter it
// belongs to here: the saved ids of the groups' "params", in order, pair with
// params() (as torch.optim's id_map). The entries point into `sd`.
inline std::map<size_t, const Entries*> match_layout(const OptimizerStateDict& sd, const Optimizer& opt) {
  const int64_t groups = opt.num_param_groups();
  FT_CHECK_KIND(ErrorKind::Value,
                int64_t(sd.param_groups.size()) == groups && int64_t(sd.group_params.size()) == groups,
                "loaded state dict has a different number of parameter groups");
  std::map<int64_t, size_t> position;
  for (int64_t g = 0; g < groups; ++g) {
    const auto& ids = sd.group_params[size_t(g)];
    FT_CHECK_KIND(ErrorKind::Value, ids.size() == opt.group_end(g) - opt.group_begin(g),
                  "loaded state dict contains a parameter group that doesn't match the size of optimizer's group");
    for (size_t k = 0; k < ids.size(); ++k) position.emplace(ids[k], opt.group_begin(g) + k);
  }
  std::map<size_t, const Entries*> out;
  for (const auto& [id, entries] : sd.state) {
    auto it = position.find(id);
    FT_CHECK_KIND(ErrorKind::Value, it != position.end(), "loaded state dict has state for parameter ", id,
                  ", which is in none of its parameter groups");
    out[it->second] = &entries;
  }
  return out;
}

// Group g's saved `key`, or `fallback` when the group lacks it.
inline double value(const Hyper& g, const char* key, double fallback) {
  auto it = g.find(key);
  return it == g.end() ? fallback : it->second;
}

// Each optimizer names its group hyperparameters once, as a visitor
// fields(o, f) calling f(key, o.field) for each (PyTorch's keys). hyper_of
// writes a group dict from it; read_hyper reads one back into o (bools as
// 0/1; a key the group lacks keeps the current value).
template <typename Opts, typename Fields>
Hyper hyper_of(const Opts& o, Fields fields) {
  Hyper h;
  fields(o, [&](const char* key, const auto& v) { h[key] = double(v); });
  return h;
}
template <typename Opts, typename Fields>
void read_hyper(const Hyper& h, Opts& o, Fields fields) {
  fields(o, [&](const char* key, auto& v) {
    using V = std::remove_reference_t<decltype(v)>;
    if constexpr (std::is_same_v<V, bool>)
      v = value(h, key, v) != 0;
    else
      v = V(value(h, key, double(v)));
  });
}

// Group g's saved initial_lr replaces the optimizer's (PyTorch replaces
// the whole group dict; absent means none).
inline void load_initial_lr(Optimizer& opt, const OptimizerStateDict& sd, int64_t g) {
  const Hyper& h = sd.param_groups[size_t(g)];
  auto it = h.find("initial_lr");
  opt.set_group_initial_lr(g, it == h.end() ? std::nullopt : std::optional<double>(it->second));
}

// A state tensor for parameter idx, copied into the parameter's dtype.
inline Tensor state_like(const Tensor& t, const Tensor& param, const std::string& name, size_t idx) {
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

// Copies the matched state (match_layout): "step" into `steps` (null: the
// optimizer keeps none) and each slot's entries into its buffers; an unknown
// name raises, naming the optimizer.
inline void load_param_state(const std::map<size_t, const Entries*>& state, const std::vector<Tensor>& params,
                             std::vector<int64_t>* steps, std::initializer_list<StateSlot> slots,
                             const char* optimizer) {
  for (const auto& [i, entries] : state) {
    for (const auto& [name, t] : *entries) {
      if (steps && name == "step") {
        (*steps)[i] = step_count(t);
        continue;
      }
      bool known = false;
      for (const StateSlot& s : slots)
        if (name == s.name) {
          (*s.buffers)[i] = state_like(t, params[i], name, i);
          known = true;
          break;
        }
      FT_CHECK_KIND(ErrorKind::Value, known, "unknown ", optimizer, " state '", name, "'");
    }
  }
}

}  // namespace ft::optim::sd_util
