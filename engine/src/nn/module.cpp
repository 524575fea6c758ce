// nn::Module: registration, recursive traversal, state dicts, modes.
#include "ft/nn/module.h"

#include <algorithm>
#include <set>
#include <sstream>

#include "ft/autograd.h"

namespace ft::nn {

Tensor Module::forward(const Tensor&) {
  FT_CHECK(false, "Module [", type_name_, "] is missing the required \"forward\" function");
  return Tensor();
}

void Module::check_new_name(const std::string& name) const {
  FT_CHECK_KIND(ErrorKind::Value, !name.empty() && name.find('.') == std::string::npos,
                "module name can't contain \".\" or be empty, got \"", name, "\"");
  auto has = [&](const auto& v) {
    return std::any_of(v.begin(), v.end(), [&](const auto& e) { return e.first == name; });
  };
  FT_CHECK_KIND(ErrorKind::Value, !has(params_) && !has(buffers_) && !has(children_), "attribute '", name,
                "' already exists in ", type_name_);
}

Tensor& Module::register_parameter(const std::string& name, Tensor t, bool requires_grad) {
  check_new_name(name);
  if (t.defined()) t.requires_grad_(requires_grad);
  params_.emplace_back(name, std::move(t));
  return params_.back().second;
}

Tensor& Module::register_buffer(const std::string& name, Tensor t) {
  check_new_name(name);
  buffers_.emplace_back(name, std::move(t));
  return buffers_.back().second;
}

void Module::add_child(const std::string& name, ModulePtr m) {
  check_new_name(name);
  FT_CHECK(m != nullptr, "register_module: module '", name, "' is null");
  children_.emplace_back(name, std::move(m));
}

void Module::set_child(const std::string& name, ModulePtr m) {
  for (auto& c : children_)
    if (c.first == name) {
      FT_CHECK(m != nullptr, "register_module: module '", name, "' is null");
      c.second = std::move(m);
      return;
    }
  add_child(name, std::move(m));
}

Tensor& Module::param(const std::string& name) {
  for (auto& p : params_)
    if (p.first == name) return p.second;
  for (auto& b : buffers_)
    if (b.first == name) return b.second;
  FT_CHECK_KIND(ErrorKind::Value, false, type_name_, " has no parameter or buffer named '", name, "'");
  return params_.front().second;
}

namespace {
void collect(const Module& m, const std::string& prefix, bool recurse, bool buffers,
             std::vector<std::pair<std::string, Tensor>>& out,
             const std::vector<std::pair<std::string, Tensor>>& own,
             const std::vector<std::pair<std::string, ModulePtr>>& kids) {
  (void)m;
  for (const auto& p : own)
    if (p.second.defined()) out.emplace_back(prefix + p.first, p.second);
  if (!recurse) return;
  for (const auto& c : kids) {
    auto sub = buffers ? c.second->named_buffers(true) : c.second->named_parameters(true);
    for (auto& e : sub) out.emplace_back(prefix + c.first + "." + e.first, e.second);
  }
}
}  // namespace

std::vector<std::pair<std::string, Tensor>> Module::named_parameters(bool recurse) const {
  std::vector<std::pair<std::string, Tensor>> out;
  collect(*this, "", recurse, false, out, params_, children_);
  // A parameter shared by two submodules is listed once (PyTorch dedups).
  std::set<const TensorImpl*> seen;
  std::vector<std::pair<std::string, Tensor>> uniq;
  for (auto& e : out)
    if (seen.insert(e.second.impl()).second) uniq.push_back(std::move(e));
  return uniq;
}

std::vector<Tensor> Module::parameters(bool recurse) const {
  std::vector<Tensor> v;
  for (auto& e : named_parameters(recurse)) v.push_back(e.second);
  return v;
}

std::vector<std::pair<std::string, Tensor>> Module::named_buffers(bool recurse) const {
  std::vector<std::pair<std::string, Tensor>> out;
  collect(*this, "", recurse, true, out, buffers_, children_);
  return out;
}

std::vector<std::pair<std::string, ModulePtr>> Module::named_modules(const std::string& prefix) {
  std::vector<std::pair<std::string, ModulePtr>> out{{prefix, shared_from_this()}};
  for (auto& c : children_) {
    auto sub = c.second->named_modules(prefix.empty() ? c.first : prefix + "." + c.first);
    out.insert(out.end(), sub.begin(), sub.end());
  }
  return out;
}

std::vector<std::pair<std::string, Tensor>> Module::state_dict() const {
  // PyTorch order: per module, its parameters, then its buffers, then children.
  std::vector<std::pair<std::string, Tensor>> out;
  for (const auto& p : params_)
    if (p.second.defined()) out.emplace_back(p.first, p.second.detach());
  for (const auto& b : buffers_)
    if (b.second.defined()) out.emplace_back(b.first, b.second.detach());
  for (const auto& c : children_)
    for (auto& e : c.second->state_dict()) out.emplace_back(c.first + "." + e.first, e.second);
  return out;
}

LoadResult Module::load_state_dict(const std::vector<std::pair<std::string, Tensor>>& dict, bool strict) {
  auto own = state_dict();
  std::map<std::string, Tensor> given;
  for (const auto& e : dict) given[e.first] = e.second;
  LoadResult r;
  std::vector<std::string> shape_errors;
  std::set<std::string> own_names;
  for (const auto& e : own) {
    own_names.insert(e.first);
    auto it = given.find(e.first);
    if (it == given.end()) {
      r.missing_keys.push_back(e.first);
      continue;
    }
    if (it->second.sizes().vec() != e.second.sizes().vec()) {
      std::ostringstream os;
      os << "size mismatch for " << e.first << ": copying a param with shape "
         << "[";
      for (size_t i = 0; i < it->second.sizes().size(); ++i) os << (i ? ", " : "") << it->second.sizes()[i];
      os << "] from checkpoint, the shape in current model is [";
      for (size_t i = 0; i < e.second.sizes().size(); ++i) os << (i ? ", " : "") << e.second.sizes()[i];
      os << "].";
      shape_errors.push_back(os.str());
    }
  }
  for (const auto& e : dict)
    if (!own_names.count(e.first)) r.unexpected_keys.push_back(e.first);
  std::ostringstream err;
  if (strict && !r.unexpected_keys.empty()) {
    err << "Unexpected key(s) in state_dict: ";
    for (size_t i = 0; i < r.unexpected_keys.size(); ++i) err << (i ? ", " : "") << '"' << r.unexpected_keys[i] << '"';
    err << ". ";
  }
  if (strict && !r.missing_keys.empty()) {
    err << "Missing key(s) in state_dict: ";
    for (size_t i = 0; i < r.missing_keys.size(); ++i) err << (i ? ", " : "") << '"' << r.missing_keys[i] << '"';
    err << ". ";
  }
  for (const auto& s : shape_errors) err << s << " ";
  FT_CHECK(err.str().empty(), "Error(s) in loading state_dict for ", type_name_, ":\n\t", err.str());
  // Copy values in place: the module's tensors keep identity (optimizers
  // holding them see the new values), as PyTorch's param.copy_(input_param).
  autograd::NoGradGuard ng;
  for (auto& e : own) {
    auto it = given.find(e.first);
    if (it == given.end()) continue;
    Tensor dst = e.second;  // detached alias of the module's tensor
    dst.copy_(it->second);
  }
  return r;
}

LoadResult Module::load_state_dict(const serialize::TensorEntries& entries, bool strict) {
  std::vector<std::pair<std::string, Tensor>> dict;
  for (const auto& e : entries) dict.emplace_back(e.name, e.tensor);
  return load_state_dict(dict, strict);
}

void Module::train(bool on) {
  training_ = on;
  for (auto& c : children_) c.second->train(on);
}

void Module::zero_grad(bool set_to_none) { autograd::zero_grad(parameters(), set_to_none); }

void Module::to(DType dtype) {
  autograd::NoGradGuard ng;
  auto convert = [dtype](Tensor& t, bool is_param) {
    if (!t.defined() || !is_floating(t.dtype()) || t.dtype() == dtype) return;
    bool rg = t.requires_grad();
    Tensor c = t.detach().to(dtype);
    if (is_param) c.requires_grad_(rg);
    t = c;
  };
  for (auto& p : params_) convert(p.second, true);
  for (auto& b : buffers_) convert(b.second, false);
  for (auto& c : children_) c.second->to(dtype);
}

void Module::apply(const std::function<void(Module&)>& fn) {
  for (auto& c : children_) c.second->apply(fn);
  fn(*this);
}

}  // namespace ft::nn
