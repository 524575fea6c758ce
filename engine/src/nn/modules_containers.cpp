// ModuleList and ModuleDict (ft/nn/containers.h).
#include "ft/nn/containers.h"

namespace ft::nn {

ModuleList::ModuleList(std::initializer_list<ModulePtr> mods) : Module("ModuleList") {
  for (const auto& m : mods) append(m);
}

void ModuleList::append(ModulePtr m) { add_child(std::to_string(size()), std::move(m)); }

void ModuleList::extend(const std::vector<ModulePtr>& mods) {
  for (const auto& m : mods) append(m);
}

ModulePtr ModuleList::operator[](int64_t i) const {
  const int64_t n = int64_t(size());
  FT_CHECK_KIND(ErrorKind::Index, i >= -n && i < n, "index ", i, " is out of range");
  return named_children()[size_t(i < 0 ? i + n : i)].second;
}

std::vector<ModulePtr> ModuleList::modules() const {
  std::vector<ModulePtr> out;
  for (const auto& c : named_children()) out.push_back(c.second);
  return out;
}

ModuleDict::ModuleDict(const std::vector<std::pair<std::string, ModulePtr>>& items) : Module("ModuleDict") {
  update(items);
}

void ModuleDict::insert(const std::string& key, ModulePtr m) { set_child(key, std::move(m)); }

void ModuleDict::update(const std::vector<std::pair<std::string, ModulePtr>>& items) {
  for (const auto& [k, m] : items) insert(k, m);
}

ModulePtr ModuleDict::operator[](const std::string& key) const {
  for (const auto& c : named_children())
    if (c.first == key) return c.second;
  FT_CHECK_KIND(ErrorKind::Index, false, "ModuleDict has no key '", key, "'");
  return nullptr;
}

bool ModuleDict::contains(const std::string& key) const {
  for (const auto& c : named_children())
    if (c.first == key) return true;
  return false;
}

std::vector<std::string> ModuleDict::keys() const {
  std::vector<std::string> out;
  for (const auto& c : named_children()) out.push_back(c.first);
  return out;
}

std::vector<ModulePtr> ModuleDict::values() const {
  std::vector<ModulePtr> out;
  for (const auto& c : named_children()) out.push_back(c.second);
  return out;
}

}  // namespace ft::nn
