// PyTorch optimizer state dicts (.pt) to OptimizerStateDict.
#include "ft/optim/pt_state_dict.h"

#include "ft/ops.h"

namespace ft::optim {
namespace {

using serialize::PtValue;

const PtValue& require(const PtValue& d, const char* key) {
  const PtValue* v = d.get(key);
  FT_CHECK_KIND(ErrorKind::Value, v != nullptr, "optimizer state dict: missing '", key,
                "' (expected the dict of torch.optim.Optimizer.state_dict())");
  return *v;
}

// A number as a double, or nullopt for anything else (None, strings, ...).
std::optional<double> number(const PtValue& v) {
  switch (v.kind) {
    case PtValue::Kind::Bool: return v.b ? 1.0 : 0.0;
    case PtValue::Kind::Int: return double(v.i);
    case PtValue::Kind::Double: return v.d;
    default: return std::nullopt;
  }
}

Tensor state_tensor(const PtValue& v, const std::string& name) {
  if (v.is_tensor()) return v.tensor;
  if (v.kind == PtValue::Kind::Int) return scalar_tensor(v.i, DType::Int64);
  if (v.kind == PtValue::Kind::Double) return scalar_tensor(v.d, DType::Float64);
  FT_ERROR("optimizer state dict: state '", name, "' is a ", serialize::pt_kind_name(v.kind),
           ", expected a tensor or a number");
}

}  // namespace

OptimizerStateDict optimizer_state_dict_from_pt(const PtValue& v) {
  FT_CHECK_KIND(ErrorKind::Value, v.kind == PtValue::Kind::Dict, "optimizer state dict: expected a dict, got a ",
                serialize::pt_kind_name(v.kind));
  OptimizerStateDict sd;
  const PtValue& state = require(v, "state");
  FT_CHECK_KIND(ErrorKind::Value, state.kind == PtValue::Kind::Dict, "optimizer state dict: 'state' is not a dict");
  for (const auto& [key, entries] : state.dict) {
    FT_CHECK_KIND(ErrorKind::Value, key.kind == PtValue::Kind::Int && entries.kind == PtValue::Kind::Dict,
                  "optimizer state dict: 'state' must map parameter indices to dicts");
    auto& out = sd.state[key.i];
    for (const auto& [name, value] : entries.dict) {
      FT_CHECK_KIND(ErrorKind::Value, name.kind == PtValue::Kind::String, "optimizer state dict: state names must be strings");
      // None is a buffer not made yet (SGD's momentum_buffer in a group with momentum 0).
      if (value.kind == PtValue::Kind::None) continue;
      out.emplace_back(name.s, state_tensor(value, name.s));
    }
  }
  const PtValue& groups = require(v, "param_groups");
  FT_CHECK_KIND(ErrorKind::Value, groups.kind == PtValue::Kind::List, "optimizer state dict: 'param_groups' is not a list");
  for (const PtValue& g : groups.items) {
    FT_CHECK_KIND(ErrorKind::Value, g.kind == PtValue::Kind::Dict, "optimizer state dict: a param group is not a dict");
    std::map<std::string, double> hyper;
    std::vector<int64_t> params;
    for (const auto& [k, val] : g.dict) {
      if (k.kind != PtValue::Kind::String) continue;
      if (k.s == "params") {
        for (const PtValue& i : val.items) {
          FT_CHECK_KIND(ErrorKind::Value, i.kind == PtValue::Kind::Int, "optimizer state dict: 'params' must hold ints");
          params.push_back(i.i);
        }
      } else if (k.s == "betas" && val.items.size() == 2 && number(val.items[0]) && number(val.items[1])) {
        hyper["beta1"] = *number(val.items[0]);
        hyper["beta2"] = *number(val.items[1]);
      } else if (auto d = number(val)) {
        hyper[k.s] = *d;
      }
    }
    sd.param_groups.push_back(std::move(hyper));
    sd.group_params.push_back(std::move(params));
  }
  return sd;
}

OptimizerStateDict load_optimizer_state_dict_pt(const std::string& path) {
  return optimizer_state_dict_from_pt(serialize::load_pt(path));
}

}  // namespace ft::optim
