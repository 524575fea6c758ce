// Cases as JSON files: the regression corpus (fixtures/regressions) stores
// each minimized drift as the case itself, not as a generator path, so it
// stays valid when the generators change.
#pragma once

#include <string>

#include "ft/props/case.h"

namespace ft::props {

// {"format": "ftcase-json", "version": 1, "op": "<op id>", "dtype": "float32",
//  "inputs": [{"shape": [..], "dtype": "..", "layout": "contiguous", "values": [..]}],
//  "params": {...}, "note": "..."}. Non-finite values and -0.0 are strings
//  ("nan", "inf", "-inf", "-0"). Unknown fields are refused (fail closed).
std::string case_to_json(const CaseSpec& c, const std::string& note = "");
CaseSpec case_from_json(const std::string& text, const std::string& origin);  // throws ft::Error naming origin
CaseSpec load_case_file(const std::string& path);
void save_case_file(const CaseSpec& c, const std::string& path, const std::string& note);

}  // namespace ft::props
