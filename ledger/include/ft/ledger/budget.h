// The gate's budget file: how much non-pass a run may have, and the allowlist
// of known, explained drifts (op, dtype, suite, reason, attribution, approver).
//
// {
//   "version": 1,
//   "budget": {"drift": 0, "error_mismatch": 0, "crash": 0},
//   "allow": [{"op": "lgamma", "dtype": "float32", "suite": "forward",
//              "reason": "...", "attribution": "oracle_closer", "approved_by": "..."}]
// }
// Unknown fields fail closed: a typo must not silently allow a drift.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace ft::ledger {

struct AllowRule {
  std::string op;                // op-table id, as the ledger records it (e.g. "sum_dim_out")
  std::string dtype, suite;      // "*" or empty: any
  std::string reason, attribution, approved_by;
  bool matches(const std::string& op_, const std::string& dtype_, const std::string& suite_) const;
};

struct BudgetFile {
  int64_t max_drift = 0, max_error_mismatch = 0, max_crash = 0;
  std::vector<AllowRule> allow;
};

// Throws ft::Error (Value) naming the file, the field and what is expected.
BudgetFile load_budget_file(const std::string& path);

}  // namespace ft::ledger
