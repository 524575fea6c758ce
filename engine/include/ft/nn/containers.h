// Module containers: ModuleList and ModuleDict (torch.nn's). Their children
// are registered under "0", "1", ... or under the dict's keys, in insertion
// order, so named_parameters() and state_dict() use PyTorch's names
// ("layers.0.weight" for a ModuleList registered as "layers"). Neither has
// a forward of its own (calling it raises, as in PyTorch).
#pragma once

#include <initializer_list>
#include <string>
#include <utility>
#include <vector>

#include "ft/nn/module.h"

namespace ft::nn {

class ModuleList : public Module {
 public:
  ModuleList() : Module("ModuleList") {}
  ModuleList(std::initializer_list<ModulePtr> mods);
  void append(ModulePtr m);
  void extend(const std::vector<ModulePtr>& mods);
  // A negative index counts from the end; out of range raises IndexError.
  ModulePtr operator[](int64_t i) const;
  size_t size() const { return named_children().size(); }
  std::vector<ModulePtr> modules() const;
};

class ModuleDict : public Module {
 public:
  ModuleDict() : Module("ModuleDict") {}
  explicit ModuleDict(const std::vector<std::pair<std::string, ModulePtr>>& items);
  // Inserts or (for an existing key, in its position) replaces.
  void insert(const std::string& key, ModulePtr m);
  void update(const std::vector<std::pair<std::string, ModulePtr>>& items);
  // A missing key raises (KeyError in PyTorch).
  ModulePtr operator[](const std::string& key) const;
  bool contains(const std::string& key) const;
  size_t size() const { return named_children().size(); }
  std::vector<std::string> keys() const;
  std::vector<ModulePtr> values() const;
  std::vector<std::pair<std::string, ModulePtr>> items() const { return named_children(); }
};

}  // namespace ft::nn
