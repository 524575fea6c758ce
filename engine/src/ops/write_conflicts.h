// Finding indexed writes whose result depends on the write order, for the
// deterministic_algorithm_forced event (NOTE [ Engine interventions ] in
// ft/hardened.h). Only used while a hardened sink is installed.
#pragma once

#include <algorithm>
#include <cstring>
#include <string>
#include <utility>
#include <vector>

#include "ft/error.h"
#include "ft/hardened.h"

namespace ft::index_detail {

// An index-loop combine functor that records (destination, value) instead of
// writing, so the same loop that does the write can be replayed as a scan.
template <typename T>
struct RecordWrites {
  std::vector<std::pair<const void*, T>>* writes;
  void operator()(T& d, const T& s) const { writes->push_back({&d, s}); }
};

// Reports when one destination receives two different values (bytewise:
// NaN payloads and -0.0 count as different, as they would be observable).
template <typename T>
void report_write_conflicts(const char* op, std::vector<std::pair<const void*, T>>& writes) {
  std::stable_sort(writes.begin(), writes.end(),
                   [](const auto& a, const auto& b) { return std::less<const void*>()(a.first, b.first); });
  int64_t conflicts = 0;
  for (size_t i = 1; i < writes.size(); ++i)
    if (writes[i].first == writes[i - 1].first &&
        std::memcmp(&writes[i].second, &writes[i - 1].second, sizeof(T)) != 0)
      ++conflicts;
  if (conflicts == 0) return;
  hardened::report("deterministic_algorithm_forced",
                   ft::detail::str_cat(op, ": ", conflicts, " duplicate index writes put different values into one ",
                                       "element; PyTorch leaves the winner unspecified, the engine applied the ",
                                       "writes in index order (the last one wins)"));
}

}  // namespace ft::index_detail
