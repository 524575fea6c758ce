// Tests of the schema-v2 report sections: ULP histograms, the ledger-wide
// trend, hardened events, the allowlist ("allowed" drift in every format) and
// attribution next to the replay command, with hostile strings in each.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "ft/reports/report.h"
#include "report_data.h"
#include "report_fixture.h"

namespace ft::reports {
namespace {

using testing::count;
using testing::kHostileDetail;
using testing::kHostileOp;
using testing::kHostileReason;
using testing::ReportTest;
using testing::slurp;
using testing::well_formed_xml;

// Covers add/float64 (case 6) and the hostile op (case 12); one stale entry.
const std::vector<AllowEntry> kAllow = {
    {"add", "*", "forward", "<b>known</b> rounding", "oracle_closer", "alice & <bob>"},
    {"nope", "", "", "stale entry", "engine_closer", "carol"},
    {kHostileOp, "float32", "", "hostile but known", "tie", "dave"},
};

// The text between `from` and the next `to`.
std::string between(const std::string& s, const std::string& from, const std::string& to) {
  size_t a = s.find(from);
  if (a == std::string::npos) return "";
  size_t b = s.find(to, a + from.size());
  return s.substr(a, b == std::string::npos ? std::string::npos : b - a);
}

TEST_F(ReportTest, HtmlHasUlpHistogramsForFloatOpsOnly) {
  std::string h = slurp(write().html);
  std::string sec = between(h, "<h2>Max ULP error histogram", "</section>");
  ASSERT_FALSE(sec.empty());
  // add (float32+float64), mul, the hostile op; not div (int64) nor exp (all skipped).
  EXPECT_EQ(count(sec, "<figure class=\"hist\">"), 3u);
  EXPECT_EQ(count(sec, "<svg "), 3u);
  EXPECT_EQ(count(sec, "class=\"hbar\""), 5u);  // add: 0, 1, 17-256; mul: 0; hostile: inf/nan
  EXPECT_NE(sec.find("<b>add</b> — float32, float64 — 6 cases"), std::string::npos) << sec;
  EXPECT_NE(sec.find("add: 3 cases with max ULP 1<"), std::string::npos);
  EXPECT_NE(sec.find("add: 1 cases with max ULP 17-256<"), std::string::npos);
  EXPECT_NE(sec.find("&lt;script&gt;&amp;&quot;: 1 cases with max ULP inf/nan"), std::string::npos);
  EXPECT_EQ(sec.find("<b>div</b>"), std::string::npos);
  EXPECT_EQ(sec.find("<b>exp</b>"), std::string::npos);
  EXPECT_NE(sec.find(">&gt;256</text>"), std::string::npos);  // the ">256" label is escaped
}

TEST_F(ReportTest, TrendCoversEveryRunOfTheLedger) {
  ReportFiles f = write();
  std::string h = slurp(f.html);
  std::string sec = between(h, "<h2>Trend", "</section>");
  EXPECT_EQ(count(sec, "<g class=\"trend-run"), 2u);
  EXPECT_EQ(count(sec, "<g class=\"trend-run current\">"), 1u);
  EXPECT_NE(sec.find("run 2 (cafef00d, "), std::string::npos);
  EXPECT_NE(sec.find("): 6 non-pass — 2 drift, 1 error_mismatch, 1 crash, 2 skip"),
            std::string::npos)
      << sec;
  EXPECT_NE(sec.find("run 1 (no sha"), std::string::npos);

  auto j = nlohmann::json::parse(slurp(f.json));
  ASSERT_EQ(j["trend"].size(), 2u);
  EXPECT_EQ(j["trend"][0]["run_id"], 1);
  EXPECT_EQ(j["trend"][0]["non_pass"], 0);
  EXPECT_EQ(j["trend"][0]["current"], false);
  EXPECT_EQ(j["trend"][1]["non_pass"], 6);
  EXPECT_EQ(j["trend"][1]["drift"], 2);
  EXPECT_EQ(j["trend"][1]["uid"], "run-uid-2");
  EXPECT_EQ(j["trend"][1]["current"], true);
  EXPECT_EQ(j["run"]["uid"], "run-uid-2");
  EXPECT_EQ(j["ulp_histograms"]["buckets"].size(), 7u);
  ASSERT_EQ(j["ulp_histograms"]["ops"].size(), 3u);
  EXPECT_EQ(j["ulp_histograms"]["ops"][1]["op"], "add");
  EXPECT_EQ(j["ulp_histograms"]["ops"][1]["counts"],
            nlohmann::json::parse("[2, 3, 0, 0, 1, 0, 0]"));

  std::string m = slurp(f.markdown);
  EXPECT_NE(m.find("## Trend"), std::string::npos);
  EXPECT_NE(m.find("| **2** (this run) | "), std::string::npos);
  EXPECT_NE(m.find("| `cafef00d` | 2 | 1 | 1 | 2 | 6 |"), std::string::npos) << m;
}

TEST_F(ReportTest, EventsAreListedAndEscapedInEveryFormat) {
  ReportFiles f = write();
  std::string h = slurp(f.html);
  std::string sec = between(h, "<h2>Hardened events", "</section>");
  EXPECT_EQ(count(sec, "<tr><td>"), 2u);
  EXPECT_NE(sec.find("&lt;img src=x onerror=alert(1)&gt;"), std::string::npos);
  EXPECT_NE(sec.find("&lt;/td&gt;&lt;script&gt;y&lt;/script&gt;|pipe`tick"), std::string::npos);
  EXPECT_NE(sec.find("<a href=\"#case-12\">12</a>"), std::string::npos);  // links to the drift row
  EXPECT_NE(sec.find("zero_division_guarded"), std::string::npos);
  EXPECT_EQ(h.find("<img"), std::string::npos);
  EXPECT_EQ(h.find("<script"), std::string::npos);

  auto j = nlohmann::json::parse(slurp(f.json));
  ASSERT_EQ(j["events"].size(), 2u);
  EXPECT_EQ(j["events"][0]["case_id"], 12);
  EXPECT_EQ(j["events"][0]["reason"], kHostileReason);
  EXPECT_EQ(j["events"][0]["detail"], kHostileDetail);
  EXPECT_EQ(j["events"][1]["case_id"], 0);
  EXPECT_TRUE(j["allowlist"].is_null());  // none given

  std::string m = slurp(f.markdown);
  std::string ms = between(m, "## Hardened events", "\n\n## ");
  EXPECT_NE(ms.find("| `<img src=x onerror=alert(1)>` |"), std::string::npos) << ms;  // code span
  EXPECT_NE(ms.find("\\</td\\>\\<script\\>y\\</script\\>\\|pipe\\`tick | 12 |"), std::string::npos)
      << ms;
  EXPECT_NE(ms.find("| int division by 0 | - |"), std::string::npos);
  EXPECT_EQ(m.find("## Allowlist"), std::string::npos);
  EXPECT_EQ(h.find("<h2>Allowlist"), std::string::npos);
}

TEST_F(ReportTest, AttributionSitsNextToTheReplayCommand) {
  // The fixture's cases have no attribution: "-" right before the command.
  ReportFiles f = write();
  std::string h = slurp(f.html);
  EXPECT_NE(h.find("<td class=\"attribution\">-</td><td><code>ftorch replay 6 --ledger"),
            std::string::npos);
  EXPECT_NE(slurp(f.markdown).find("| - | `ftorch replay 6 --ledger"), std::string::npos);
  EXPECT_NE(slurp(f.junit).find("ftorch replay 6 --ledger " + ledger_path_ +
                                "  [attribution: -]"),
            std::string::npos);
}

TEST_F(ReportTest, AllowlistMarksCoveredDriftInEveryFormat) {
  ReportFiles f = write(&kAllow);

  auto j = nlohmann::json::parse(slurp(f.json));
  EXPECT_EQ(j["result"], "fail");  // mul's error_mismatch and div's crash are not covered
  EXPECT_EQ(j["totals"]["allowed"], 2);
  EXPECT_EQ(j["totals"]["drift"], 2);  // allowed cases are still counted and listed
  ASSERT_EQ(j["failures"].size(), 4u);
  EXPECT_EQ(j["failures"][0]["case_id"], 6);
  EXPECT_EQ(j["failures"][0]["allowed"], true);
  EXPECT_EQ(j["failures"][0]["allowed_by"]["approved_by"], "alice & <bob>");
  EXPECT_EQ(j["failures"][1]["allowed"], false);
  EXPECT_TRUE(j["failures"][1]["allowed_by"].is_null());
  EXPECT_EQ(j["failures"][3]["allowed"], true);
  ASSERT_EQ(j["allowlist"].size(), 3u);
  EXPECT_EQ(j["allowlist"][0]["cases"], 1);
  EXPECT_EQ(j["allowlist"][1]["cases"], 0);  // stale
  EXPECT_EQ(j["allowlist"][2]["cases"], 1);

  std::string h = slurp(f.html);
  EXPECT_NE(h.find("<tr id=\"case-6\" class=\"allowed\">"), std::string::npos);
  EXPECT_NE(h.find("<tr id=\"case-12\" class=\"allowed\">"), std::string::npos);
  EXPECT_NE(h.find("<tr id=\"case-8\"><td"), std::string::npos);  // not covered
  EXPECT_EQ(count(h, "class=\"cell s-allowed\""), 2u);  // add/float64 and the hostile cell
  EXPECT_EQ(count(h, "class=\"cell s-drift\""), 0u);
  EXPECT_EQ(count(h, "class=\"cell s-fail\""), 2u);
  EXPECT_NE(h.find("; 2 of them allowed by the allowlist"), std::string::npos);
  std::string sec = between(h, "<h2>Allowlist", "</section>");
  EXPECT_EQ(count(sec, "<tr><td>"), 3u);
  EXPECT_NE(sec.find("&lt;b&gt;known&lt;/b&gt; rounding"), std::string::npos);
  EXPECT_NE(sec.find("alice &amp; &lt;bob&gt;"), std::string::npos);
  EXPECT_NE(sec.find("<td class=\"num\">0</td>"), std::string::npos);
  EXPECT_EQ(h.find("<b>known"), std::string::npos);

  std::string m = slurp(f.markdown);
  EXPECT_EQ(count(m, " (allowed) |"), 2u);
  EXPECT_NE(m.find("| 6 | `add` | float64 | functional | drift (allowed) |"), std::string::npos);
  EXPECT_NE(m.find("## Allowlist"), std::string::npos);
  EXPECT_NE(m.find("| \\<b\\>known\\</b\\> rounding | oracle\\_closer | alice \\& \\<bob\\> | 1 |"),
            std::string::npos)
      << m;

  std::string x = slurp(f.junit);
  std::string why;
  EXPECT_TRUE(well_formed_xml(x, &why)) << why;
  EXPECT_NE(x.find("tests=\"6\" failures=\"2\" errors=\"0\" skipped=\"1\">"), std::string::npos)
      << x;
  EXPECT_EQ(count(x, "<failure "), 2u);
  EXPECT_EQ(count(x, "<system-out>"), 2u);
  EXPECT_NE(x.find("<system-out>1 failing cases allowed by the allowlist (not failures):\ncase 6 "),
            std::string::npos)
      << x;
  EXPECT_NE(x.find("allowed: &lt;b&gt;known&lt;/b&gt; rounding (attribution oracle_closer, "
                   "approved by alice &amp; &lt;bob&gt;)"),
            std::string::npos);
}

TEST_F(ReportTest, AllFailuresAllowedIsAPass) {
  std::vector<AllowEntry> all = kAllow;
  all.push_back({"mul", "", "", "known", "", "erin"});
  all.push_back({"div", "int64", "*", "known", "", "erin"});
  ReportFiles f = write(&all);
  EXPECT_EQ(nlohmann::json::parse(slurp(f.json))["result"], "pass");
  EXPECT_NE(slurp(f.markdown).find("**Result: PASS**"), std::string::npos);
  EXPECT_NE(slurp(f.html).find("all 4 failing cases are allowed by the allowlist"),
            std::string::npos);
  std::string x = slurp(f.junit);
  EXPECT_EQ(count(x, "<failure "), 0u);
  EXPECT_EQ(count(x, "<system-out>"), 4u);
  EXPECT_NE(x.find("failures=\"0\""), std::string::npos);
}

TEST_F(ReportTest, EmptyAllowlistIsShownAndAllowsNothing) {
  std::vector<AllowEntry> none;
  ReportFiles f = write(&none);
  auto j = nlohmann::json::parse(slurp(f.json));
  EXPECT_TRUE(j["allowlist"].is_array());
  EXPECT_EQ(j["allowlist"].size(), 0u);
  EXPECT_EQ(j["totals"]["allowed"], 0);
  EXPECT_NE(slurp(f.html).find("The allowlist is empty."), std::string::npos);
}

TEST(ReportAllowlist, MatchesLikeTheGate) {
  using detail::allow_matches;
  ft::ledger::CaseRow c;
  c.op = "lgamma";
  c.dtype = "float32";
  c.suite = "forward";
  EXPECT_TRUE(allow_matches({"lgamma", "", "", "", "", ""}, c));
  EXPECT_TRUE(allow_matches({"lgamma", "*", "*", "", "", ""}, c));
  EXPECT_TRUE(allow_matches({"lgamma", "float32", "forward", "", "", ""}, c));
  EXPECT_FALSE(allow_matches({"lgamma", "float64", "", "", "", ""}, c));
  EXPECT_FALSE(allow_matches({"lgamma", "", "backward", "", "", ""}, c));
  EXPECT_FALSE(allow_matches({"*", "", "", "", "", ""}, c));  // op is never a wildcard
  EXPECT_FALSE(allow_matches({"LGAMMA", "", "", "", "", ""}, c));
}

}  // namespace
}  // namespace ft::reports
