// Parsing of the --ops and --dtypes selections shared by conform and fixtures export.
#include <sstream>

#include "commands.h"
#include "ft/error.h"
#include "ft/op_table.h"

namespace ft::cli {

std::vector<std::string> split_csv(const std::string& s) {
  std::vector<std::string> out;
  std::stringstream ss(s);
  std::string item;
  while (std::getline(ss, item, ','))
    if (!item.empty()) out.push_back(item);
  return out;
}

// Op ids, or op names (selecting all of a name's variants).
std::vector<int> resolve_ops(const std::vector<std::string>& names, std::string& err) {
  std::vector<int> out;
  for (const auto& n : names) {
    bool any = false;
    for (int i = 0; i < kNumOps; ++i) {
      const OpInfo& op = op_table()[i];
      std::string base = op.name;
      base = base.substr(0, base.find('.'));
      if (n == op.id || n == op.name || n == base) {
        out.push_back(i);
        any = true;
      }
    }
    if (!any) {
      err = "unknown op '" + n + "': use an op id or name from 'ftorch ops'";
      return {};
    }
  }
  return out;
}

std::vector<DType> resolve_dtypes(const std::string& csv, std::string& err) {
  std::vector<DType> out;
  try {
    for (const auto& d : split_csv(csv)) {
      if (d == "all") {  // every dtype the engine has: refused ones are checked for error parity
        for (int i = 0; i < kNumDTypes; ++i) out.push_back(DType(i));
        continue;
      }
      out.push_back(parse_dtype(d));
    }
  } catch (const Error& e) {
    err = e.what();
    return {};
  }
  if (out.empty()) err = "--dtypes is empty";
  return out;
}

}  // namespace ft::cli
