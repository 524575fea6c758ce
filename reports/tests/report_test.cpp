// Report tests: a small ledger with mixed outcomes rendered to all four formats.
#include "ft/reports/report.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <limits>
#include <nlohmann/json.hpp>
#include <sstream>
#include <vector>

#include "ft/error.h"
#include "report_data.h"

namespace ft::reports {
namespace {

namespace fs = std::filesystem;
using ft::ledger::CaseRow;
using ft::ledger::DriftRow;
using ft::ledger::Ledger;
using ft::ledger::RunInfo;

const std::string kHostileOp = "<script>&\"";

std::string slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

size_t count(const std::string& hay, const std::string& needle) {
  size_t n = 0;
  for (size_t p = hay.find(needle); p != std::string::npos; p = hay.find(needle, p + 1)) ++n;
  return n;
}

// A minimal XML well-formedness check: balanced elements, quoted attributes,
// no raw '<' or stray '&' in text or attribute values.
bool well_formed_xml(const std::string& x, std::string* why) {
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
    std::string tmpl = (fs::temp_directory_path() / "ft_reports_XXXXXX").string();
    dir_ = mkdtemp(tmpl.data());
    ledger_path_ = (dir_ / "l.db").string();
    auto l = Ledger::open(ledger_path_);
    l->begin_run(RunInfo{});  // an earlier run, must not leak into the report
    RunInfo info{"cafef00d", "0.1.0",   "1.13.1", "ci", "strict", "ops", "ftorch conform --seed 1",
                 4,          UINT64_MAX};
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
    l->finish_run(run_);
  }
  void TearDown() override { fs::remove_all(dir_); }

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
  ReportFiles write() {
    auto l = Ledger::open(ledger_path_);
    return write_reports(*l, run_, (dir_ / "out" / "nested").string());
  }

  fs::path dir_;
  std::string ledger_path_;
  int64_t run_ = 0;
};

TEST_F(ReportTest, WritesAllFilesIntoANewDirectory) {
  ReportFiles f = write();
  for (const auto& p : {f.markdown, f.json, f.html, f.junit}) {
    EXPECT_TRUE(fs::exists(p)) << p;
    EXPECT_GT(fs::file_size(p), 100u) << p;
  }
  EXPECT_EQ(fs::path(f.html).filename(), "index.html");
  EXPECT_EQ(fs::path(f.json).parent_path(), dir_ / "out" / "nested");
}

TEST_F(ReportTest, JsonHasTheRightCounts) {
  auto j = nlohmann::json::parse(slurp(write().json));
  EXPECT_EQ(j["result"], "fail");
  EXPECT_EQ(j["run"]["id"], run_);
  EXPECT_EQ(j["run"]["seed"], "18446744073709551615");
  EXPECT_EQ(j["run"]["git_sha"], "cafef00d");
  EXPECT_EQ(j["totals"]["cases"], 12);
  EXPECT_EQ(j["totals"]["passed"], 6);
  EXPECT_EQ(j["totals"]["drift"], 2);
  EXPECT_EQ(j["totals"]["error_mismatch"], 1);
  EXPECT_EQ(j["totals"]["crash"], 1);
  EXPECT_EQ(j["totals"]["skip"], 2);
  ASSERT_EQ(j["ops"].size(), 6u);
  ASSERT_EQ(j["failures"].size(), 4u);
  EXPECT_EQ(j["skips"].size(), 1u);
  EXPECT_EQ(j["skips"][0]["cases"], 2);
  for (const auto& o : j["ops"]) {
    if (o["op"] == "add" && o["dtype"] == "float64") {
      EXPECT_EQ(o["status"], "drift");
      EXPECT_EQ(o["worst_ulp"], 40.0);
    }
    if (o["op"] == "exp") {
      EXPECT_EQ(o["status"], "not_run");
    }
  }
  const auto& hostile = j["failures"][3];
  EXPECT_EQ(hostile["op"], kHostileOp);
  EXPECT_TRUE(hostile["max_ulp"].is_null());  // NaN -> null, still valid JSON
  EXPECT_EQ(hostile["drift"]["message"], "</td><script>alert(\"x\")</script>");
  EXPECT_NE(hostile["replay"].get<std::string>().find("--ledger " + ledger_path_),
            std::string::npos);
}

TEST_F(ReportTest, HtmlIsSelfContainedWithMatrixChartAndReplay) {
  std::string h = slurp(write().html);
  EXPECT_EQ(h.find("http"), std::string::npos) << "external reference in index.html";
  EXPECT_EQ(h.find("<script"), std::string::npos);
  EXPECT_EQ(h.find("src="), std::string::npos);
  EXPECT_NE(h.find("&lt;script&gt;&amp;&quot;"), std::string::npos);
  EXPECT_NE(h.find("&lt;/td&gt;&lt;script&gt;alert(&quot;x&quot;)"), std::string::npos);
  // Matrix: one green, two amber (add/float64 and the hostile op), two red, greys.
  EXPECT_EQ(count(h, "class=\"cell s-pass\""), 1u);
  EXPECT_EQ(count(h, "class=\"cell s-drift\""), 2u);
  EXPECT_EQ(count(h, "class=\"cell s-fail\""), 2u);
  EXPECT_GE(count(h, "class=\"cell s-not_run\""), 1u);
  EXPECT_NE(h.find("<b>3/3</b><small>ulp 0.5</small>"), std::string::npos);
  EXPECT_NE(h.find("2/3</a></b><small>ulp 40</small>"), std::string::npos);
  EXPECT_NE(h.find("<svg"), std::string::npos);
  EXPECT_EQ(count(h, "<rect "), 5u);  // one bar per op
  for (int64_t id : {int64_t{6}, int64_t{8}, int64_t{9}, int64_t{12}})
    EXPECT_NE(h.find("ftorch replay " + std::to_string(id) + " --ledger " + ledger_path_),
              std::string::npos)
        << id;
}

TEST_F(ReportTest, JunitCountsFailuresAndIsWellFormed) {
  std::string x = slurp(write().junit);
  std::string why;
  EXPECT_TRUE(well_formed_xml(x, &why)) << why;
  EXPECT_NE(x.find("<testsuites name=\"frankentorch parity run 2\" tests=\"6\" failures=\"4\" "
                   "errors=\"0\" skipped=\"1\">"),
            std::string::npos)
      << x;
  EXPECT_EQ(count(x, "<testsuite "), 5u);
  EXPECT_EQ(count(x, "<testcase "), 6u);
  EXPECT_EQ(count(x, "<failure "), 4u);
  EXPECT_NE(x.find("name=\"add[float64]\""), std::string::npos);
  EXPECT_NE(x.find("1 of 3 cases failed (1 drift, 0 error_mismatch, 0 crash); first drift: case 6"),
            std::string::npos);
  EXPECT_NE(x.find("type=\"crash\""), std::string::npos);
  EXPECT_NE(x.find("name=\"&lt;script&gt;&amp;&quot;[float32]\""), std::string::npos);
  EXPECT_EQ(x.find("<script"), std::string::npos);
}

TEST_F(ReportTest, MarkdownHasTablesAndReplayCommands) {
  std::string m = slurp(write().markdown);
  EXPECT_NE(m.find("# FrankenTorch parity report — run 2"), std::string::npos);
  EXPECT_NE(m.find("**Result: FAIL**"), std::string::npos);
  EXPECT_NE(m.find("| `add` | float32 | ✅ pass | 3 | 3 | 0 | 0 | 0 | 0 | 0.5 |"), std::string::npos)
      << m;
  EXPECT_NE(m.find("| `add` | float64 | ⚠️ drift | 3 | 2 | 1 | 0 | 0 | 0 | 40 |"),
            std::string::npos);
  EXPECT_NE(m.find("| `div` | int64 | ❌ fail | 1 |"), std::string::npos);
  EXPECT_NE(m.find("## Drift"), std::string::npos);
  EXPECT_NE(m.find("`ftorch replay 8 --ledger " + ledger_path_ + "`"), std::string::npos);
  EXPECT_NE(m.find("| 18446744073709551615 |"), std::string::npos);
  // The hostile message is inert text, not markup.
  EXPECT_EQ(m.find("<script>alert"), std::string::npos);
  EXPECT_NE(m.find("\\<script\\>alert"), std::string::npos);
  EXPECT_NE(m.find("## Skipped"), std::string::npos);
}

TEST_F(ReportTest, MissingRunIsAnErrorAndWritesNothing) {
  auto l = Ledger::open(ledger_path_);
  std::string out = (dir_ / "never").string();
  try {
    write_reports(*l, 77, out);
    FAIL() << "no error for a missing run";
  } catch (const ft::Error& e) {
    EXPECT_NE(std::string(e.what()).find("run 77 is not in ledger"), std::string::npos);
  }
  EXPECT_FALSE(fs::exists(out));
}

TEST(ReportText, EscapingAndQuoting) {
  using namespace ft::reports::detail;
  EXPECT_EQ(escape_markup("<a href=\"x\">&'"), "&lt;a href=&quot;x&quot;&gt;&amp;&#39;");
  EXPECT_EQ(sanitize_text(std::string("a\x01"
                                      "b\tc\xff"
                                      "d")),
            "ab\tc\xEF\xBF\xBD"
            "d");
  EXPECT_EQ(sanitize_text("é✓"), "é✓");  // valid multibyte kept
  EXPECT_EQ(replay_command(3, "/tmp/l.db"), "ftorch replay 3 --ledger /tmp/l.db");
  EXPECT_EQ(replay_command(3, "my dir/it's.db"), "ftorch replay 3 --ledger 'my dir/it'\\''s.db'");
  EXPECT_EQ(format_number(std::numeric_limits<double>::infinity()), "inf");
  EXPECT_EQ(format_number(std::nan("")), "nan");
  EXPECT_EQ(format_number(1.0 / 3.0), "0.3333");
}

}  // namespace
}  // namespace ft::reports
