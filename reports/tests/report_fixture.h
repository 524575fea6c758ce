// The report test fixture: a ledger with an earlier empty run and a run with
// every outcome, a hostile op name, a hostile drift message and two events,
// plus helpers to read and check the written files.
#pragma once

#include <gtest/gtest.h>

#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <limits>
#include <sstream>
#include <string>
#include <vector>

#include "ft/reports/report.h"

namespace ft::reports::testing {

using ft::ledger::CaseRow;
using ft::ledger::DriftRow;
using ft::ledger::Ledger;
using ft::ledger::RunInfo;

inline const std::string kHostileOp = "<script>&\"";
inline const std::string kHostileReason = "<img src=x onerror=alert(1)>";
inline const std::string kHostileDetail = "</td><script>y</script>|pipe`tick";

inline std::string slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

inline size_t count(const std::string& hay, const std::string& needle) {
  size_t n = 0;
  for (size_t p = hay.find(needle); p != std::string::npos; p = hay.find(needle, p + 1)) ++n;
  return n;
}

// A minimal XML well-formedness check: balanced elements, quoted attributes,
// no raw '<' or stray '&' in text or attribute values.
inline bool well_formed_xml(const std::string& x, std::string* why) {
  std::vector<std::string> stack;
  auto entity_ok = [&](size_t i) {
    for (const char* e : {"&amp;", "&lt;", "&gt;", "&quot;", "&#39;"})
      if (x.compare(i, std::strlen(e), e) == 0) return true;
    return false;
  };
  for (size_t i = 0; i < x.size();) {
    if (x[i] == '&') {
      if (!entity_ok(i)) return *why = "bad entity at " + std::to_string(i), false;
      ++i;
    } else if (x[i] == '<') {
      if (x.compare(i, 2, "<?") == 0) {
        i = x.find("?>", i) + 2;
        continue;
      }
      size_t end = i + 1;
      bool in_quote = false;
      for (; end < x.size() && (in_quote || x[end] != '>'); ++end) {
        if (x[end] == '"') in_quote = !in_quote;
        if (x[end] == '<') return *why = "'<' inside a tag at " + std::to_string(end), false;
        if (in_quote && x[end] == '&' && !entity_ok(end))
          return *why = "bad entity in attribute", false;
      }
      if (end >= x.size()) return *why = "unterminated tag", false;
      std::string tag = x.substr(i + 1, end - i - 1);
      if (tag[0] == '/') {
        if (stack.empty() || stack.back() != tag.substr(1))
          return *why = "mismatched </" + tag, false;
        stack.pop_back();
      } else if (tag.back() != '/') {
        stack.push_back(tag.substr(0, tag.find(' ')));
      }
      i = end + 1;
    } else {
      ++i;
    }
  }
  if (!stack.empty()) return *why = "unclosed <" + stack.back() + ">", false;
  return true;
}

class ReportTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string tmpl = (std::filesystem::temp_directory_path() / "ft_reports_XXXXXX").string();
    dir_ = mkdtemp(tmpl.data());
    ledger_path_ = (dir_ / "l.db").string();
    auto l = Ledger::open(ledger_path_);
    l->begin_run(RunInfo{});  // an earlier run, must not leak into the report
    RunInfo info{"cafef00d", "0.1.0",   "1.13.1", "ci", "strict", "ops", "ftorch conform --seed 1",
                 4,          UINT64_MAX, "run-uid-2"};
    run_ = l->begin_run(info);
    add(*l, "add", "float32", "pass", 3, 0.5);
    add(*l, "add", "float64", "pass", 2, 0);
    add_drift(*l, "add", "float64", "drift", "value mismatch at [1]", 40);
    add(*l, "mul", "float32", "pass", 1, 0);
    add_drift(*l, "mul", "float32", "error_mismatch", "engine raised, oracle did not", 0);
    add_drift(*l, "div", "int64", "crash", "InternalError", 0);
    add(*l, "exp", "float32", "skip", 2, 0);
    add_drift(*l, kHostileOp, "float32", "drift", "</td><script>alert(\"x\")</script>",
              std::numeric_limits<double>::quiet_NaN());
    // One event on the hostile drift case (id 12), one on no case.
    l->add_event({0, run_, ft::ledger::kLastCase, kHostileOp, "float32", kHostileReason,
                  kHostileDetail});
    l->add_event({0, run_, 0, "div", "int64", "zero_division_guarded", "int division by 0"});
    l->finish_run(run_);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  CaseRow row(const std::string& op, const std::string& dtype, const std::string& outcome,
              double ulp) {
    CaseRow c;
    c.run_id = run_;
    c.suite = "forward";
    c.op = op;
    c.variant = "functional";
    c.dtype = dtype;
    c.shapes = "[2,3]";
    c.strides = "[3,1]";
    c.mode = "strict";
    c.outcome = outcome;
    c.skip_reason = outcome == "skip" ? "no kernel" : "";
    c.max_ulp = ulp;
    c.max_abs = ulp;
    return c;
  }
  void add(Ledger& l, const std::string& op, const std::string& dtype, const std::string& outcome,
           int n, double ulp) {
    for (int i = 0; i < n; ++i) l.add_case(row(op, dtype, outcome, ulp));
  }
  void add_drift(Ledger& l, const std::string& op, const std::string& dtype,
                 const std::string& outcome, const std::string& message, double ulp) {
    DriftRow d;
    d.message = message;
    d.engine_value = "1.5";
    d.oracle_value = "1.25";
    l.add_case(row(op, dtype, outcome, ulp), d);
  }
  // Without an allowlist through the old 3-argument overload.
  ReportFiles write(const std::vector<AllowEntry>* allow = nullptr) {
    auto l = Ledger::open(ledger_path_);
    std::string out = (dir_ / "out" / "nested").string();
    return allow ? write_reports(*l, run_, out, allow) : write_reports(*l, run_, out);
  }

  std::filesystem::path dir_;
  std::string ledger_path_;
  int64_t run_ = 0;
};

}  // namespace ft::reports::testing
