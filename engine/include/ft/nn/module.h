// nn::Module: parameters, buffers and children in registration order, with
// PyTorch's dotted names ("0.weight", "encoder.layers.1.bias").
//
// NOTE [ Module ownership ]
// Children are held by shared_ptr (a module may be shared, as in PyTorch)
// and registration order is kept in vectors: named_parameters(), the
// optimizer's parameter order and state_dict() order all follow it, which is
// what makes a state dict saved by PyTorch load by name and in order.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "ft/ops.h"
#include "ft/serialize/common.h"

namespace ft::nn {

class Module;
using ModulePtr = std::shared_ptr<Module>;

// load_state_dict(strict=false) result: keys the module has but the dict
// lacks, and keys the dict has but the module lacks.
struct LoadResult {
  std::vector<std::string> missing_keys, unexpected_keys;
};

class Module : public std::enable_shared_from_this<Module> {
 public:
  explicit Module(std::string type_name) : type_name_(std::move(type_name)) {}
  virtual ~Module() = default;
  Module(const Module&) = delete;
  Module& operator=(const Module&) = delete;

  // The forward pass of single-input modules (Sequential chains these).
  virtual Tensor forward(const Tensor& x);
  Tensor operator()(const Tensor& x) { return forward(x); }

  const std::string& type_name() const { return type_name_; }

  // Registration (returns the registered object). A name may not repeat
  // across parameters, buffers and children.
  Tensor& register_parameter(const std::string& name, Tensor t, bool requires_grad = true);
  Tensor& register_buffer(const std::string& name, Tensor t);
  template <typename M>
  std::shared_ptr<M> register_module(const std::string& name, std::shared_ptr<M> m) {
    add_child(name, m);
    return m;
  }

  // Recursive views, in registration order (depth first, own entries first).
  std::vector<std::pair<std::string, Tensor>> named_parameters(bool recurse = true) const;
  std::vector<Tensor> parameters(bool recurse = true) const;
  std::vector<std::pair<std::string, Tensor>> named_buffers(bool recurse = true) const;
  // By reference: Sequential::forward walks it every step (no copy, no allocation).
  const std::vector<std::pair<std::string, ModulePtr>>& named_children() const { return children_; }
  std::vector<std::pair<std::string, ModulePtr>> named_modules(const std::string& prefix = "");

  // Parameters and buffers by name, detached, in state-dict order.
  std::vector<std::pair<std::string, Tensor>> state_dict() const;
  // Copies values in place (under no_grad). strict: raises listing missing
  // and unexpected keys; shape mismatches always raise.
  LoadResult load_state_dict(const std::vector<std::pair<std::string, Tensor>>& dict, bool strict = true);
  // The entries of a checkpoint file (serialize::load_pt_state_dict, load_safetensors, load_native).
  LoadResult load_state_dict(const serialize::TensorEntries& entries, bool strict = true);

  void train(bool on = true);
  void eval() { train(false); }
  bool is_training() const { return training_; }
  // set_to_none (PyTorch 2 default; 1.13's default is false: zeroes in place).
  void zero_grad(bool set_to_none = false);
  // Converts every floating parameter and buffer to dtype (in place of the
  // module's tensors; parameters stay leaves).
  void to(DType dtype);
  // fn(module) for every module, children first, then this one (as PyTorch).
  void apply(const std::function<void(Module&)>& fn);

  // A parameter or buffer of this module by local name (undefined if none).
  Tensor& param(const std::string& name);

 protected:
  void add_child(const std::string& name, ModulePtr m);
  // Replaces the child `name` in its position, or appends it when new
  // (PyTorch's setattr of a module under an existing name; ModuleDict).
  void set_child(const std::string& name, ModulePtr m);
  bool training_ = true;

 private:
  void check_new_name(const std::string& name) const;
  std::string type_name_;
  std::vector<std::pair<std::string, Tensor>> params_, buffers_;
  std::vector<std::pair<std::string, ModulePtr>> children_;
};

}  // namespace ft::nn
