// Report tests: a small ledger with mixed outcomes rendered to all four formats
// (the fixture is in report_fixture.h; the v2 sections in report_sections_test.cpp).
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
#include "report_fixture.h"

namespace ft::reports {
namespace {

using ft::ledger::Ledger;
using testing::count;
using testing::kHostileOp;
using testing::ReportTest;
using testing::slurp;
using testing::well_formed_xml;
namespace fs = std::filesystem;

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
  // Attributes are always quoted, so a real src/href attribute would show as
  // src=" (the fixture's hostile event text has an escaped, unquoted src=x).
  EXPECT_EQ(h.find("src=\""), std::string::npos);
  EXPECT_EQ(h.find("href=\"/"), std::string::npos);
  EXPECT_EQ(h.find("url("), std::string::npos);
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
  EXPECT_EQ(count(h, "<rect class=\"ulp-bar\""), 5u);  // one bar per op
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
