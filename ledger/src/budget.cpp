// Parsing the gate's budget file (see ft/ledger/budget.h).
#include "ft/ledger/budget.h"

#include <fstream>
#include <nlohmann/json.hpp>
#include <set>

#include "ft/error.h"

namespace ft::ledger {

bool AllowRule::matches(const std::string& o, const std::string& d, const std::string& s) const {
  auto any = [](const std::string& v) { return v.empty() || v == "*"; };
  return op == o && (any(dtype) || dtype == d) && (any(suite) || suite == s);
}

namespace {
void only_fields(const nlohmann::json& j, const std::set<std::string>& allowed, const std::string& where,
                 const std::string& path) {
  FT_CHECK_VALUE(j.is_object(), path, ": ", where, " must be a JSON object");
  for (auto it = j.begin(); it != j.end(); ++it)
    FT_CHECK_VALUE(allowed.count(it.key()), path, ": unknown field '", it.key(), "' in ", where,
                   " (the gate fails closed on fields it does not know; check the spelling)");
}
std::string str_field(const nlohmann::json& j, const char* k, const std::string& where, const std::string& path, bool required) {
  if (!j.contains(k)) {
    FT_CHECK_VALUE(!required, path, ": ", where, " needs a \"", k, "\" string");
    return "";
  }
  FT_CHECK_VALUE(j[k].is_string(), path, ": ", where, ".", k, " must be a string");
  return j[k].get<std::string>();
}
}  // namespace

BudgetFile load_budget_file(const std::string& path) {
  std::ifstream f(path);
  FT_CHECK_VALUE(bool(f), "cannot read budget file '", path, "'");
  nlohmann::json j;
  try {
    j = nlohmann::json::parse(f);
  } catch (const std::exception& e) {
    FT_CHECK_VALUE(false, path, ": not valid JSON: ", e.what());
  }
  only_fields(j, {"version", "budget", "allow"}, "the top level", path);
  FT_CHECK_VALUE(j.contains("version") && j["version"] == 1, path, ": \"version\" must be 1");
  BudgetFile b;
  if (j.contains("budget")) {
    const auto& bj = j["budget"];
    only_fields(bj, {"drift", "error_mismatch", "crash"}, "\"budget\"", path);
    auto num = [&](const char* k, int64_t& dst) {
      if (!bj.contains(k)) return;
      FT_CHECK_VALUE(bj[k].is_number_integer() && bj[k].get<int64_t>() >= 0, path, ": budget.", k,
                     " must be a non-negative integer");
      dst = bj[k].get<int64_t>();
    };
    num("drift", b.max_drift);
    num("error_mismatch", b.max_error_mismatch);
    num("crash", b.max_crash);
  }
  if (j.contains("allow")) {
    FT_CHECK_VALUE(j["allow"].is_array(), path, ": \"allow\" must be an array");
    int i = 0;
    for (const auto& a : j["allow"]) {
      std::string where = "allow[" + std::to_string(i++) + "]";
      only_fields(a, {"op", "dtype", "suite", "reason", "attribution", "approved_by"}, where, path);
      AllowRule r;
      r.op = str_field(a, "op", where, path, true);
      r.dtype = str_field(a, "dtype", where, path, false);
      r.suite = str_field(a, "suite", where, path, false);
      r.reason = str_field(a, "reason", where, path, true);
      r.attribution = str_field(a, "attribution", where, path, true);
      r.approved_by = str_field(a, "approved_by", where, path, true);
      FT_CHECK_VALUE(!r.reason.empty() && !r.approved_by.empty(), path, ": ", where,
                     " needs a non-empty reason and approved_by");
      b.allow.push_back(r);
    }
  }
  return b;
}

}  // namespace ft::ledger
