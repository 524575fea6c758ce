// The training-trace and benchmark sections: drawn from the ledger's newest
// training / bench run when the reported run has none, in HTML, Markdown and
// JSON, with hostile names escaped and an empty ledger explained.
#include <gtest/gtest.h>

#include <cmath>
#include <nlohmann/json.hpp>
#include <string>

#include "ft/reports/report.h"
#include "report_fixture.h"

namespace ft::reports {
namespace {

using testing::count;
using testing::kHostileOp;
using testing::ReportTest;
using testing::slurp;

std::string section(const std::string& s, const std::string& heading) {
  size_t a = s.find(heading);
  if (a == std::string::npos) return "";
  size_t b = s.find("</section>", a);
  return s.substr(a, b == std::string::npos ? std::string::npos : b - a);
}

class TrainingBenchReport : public ReportTest {
 protected:
  void add_training_and_bench() {
    auto l = ft::ledger::Ledger::open(ledger_path_);
    ft::ledger::RunInfo info;
    info.suite = "training";
    training_run_ = l->begin_run(info);
    for (int step = 0; step < 5; ++step) {
      // mlp: within the bound; the hostile trace goes over it at step 3 (NaN param drift).
      l->add_case(point("mlp_sgd", step, step == 0 ? 0.0 : 1e-16 * step, 2e-16, "pass"));
      bool bad = step == 3;
      l->add_case(point(kHostileOp, step, bad ? 1e-6 : 1e-15, bad ? std::nan("") : 1e-15, bad ? "drift" : "pass"));
    }
    l->finish_run(training_run_);
    info.suite = "bench";
    int64_t old_bench = l->begin_run(info);
    l->add_perf({perf(old_bench, "mm_256_f32", 0.98, 0.95)});
    bench_run_ = l->begin_run(info);
    l->add_perf({perf(bench_run_, "mm_256_f32", 1.02, 0.95), perf(bench_run_, "add_tiny_f32", 3.5, 5.0)});
  }
  ft::ledger::CaseRow point(const std::string& trace, int64_t step, double loss, double param,
                            const std::string& outcome) {
    ft::ledger::CaseRow c;
    c.run_id = training_run_;
    c.suite = "training";
    c.op = trace;
    c.variant = "step";
    c.dtype = "float64";
    c.shapes = "step=" + std::to_string(step);
    c.mode = "strict";
    c.outcome = outcome;
    c.max_rel = loss;
    c.max_abs = param;
    c.rtol = 1e-10;
    return c;
  }
  static ft::ledger::PerfRow perf(int64_t run, const std::string& bench, double speedup, double target) {
    ft::ledger::PerfRow p;
    p.run_id = run;
    p.bench = bench;
    p.engine_p50_ns = 1000;
    p.oracle_p50_ns = 1000 * speedup;
    p.engine_p99_ns = p.oracle_p99_ns = 2000;
    p.speedup = speedup;
    p.target = target;
    p.samples = 10;
    p.threads = 1;
    return p;
  }
  int64_t training_run_ = 0, bench_run_ = 0;
};

TEST_F(TrainingBenchReport, HtmlChartsTheNewestTrainingAndBenchRuns) {
  add_training_and_bench();
  std::string h = slurp(write().html);
  std::string tr = section(h, "<h2>Training traces");
  ASSERT_FALSE(tr.empty());
  EXPECT_NE(tr.find("Run " + std::to_string(training_run_) + " (the ledger's newest training run)"), std::string::npos);
  EXPECT_EQ(count(tr, "<figure class=\"hist training\""), 2u);
  EXPECT_EQ(count(tr, "data-status=\"drift\""), 1u);  // the hostile trace only
  EXPECT_EQ(count(tr, "<polyline"), 4u);               // loss and parameter drift per trace
  EXPECT_EQ(count(tr, "class=\"bound\""), 2u);
  EXPECT_NE(tr.find("1 over the bound"), std::string::npos);
  EXPECT_EQ(tr.find("<script>"), std::string::npos);  // the hostile trace name is escaped
  EXPECT_NE(tr.find("&lt;script&gt;"), std::string::npos);

  std::string b = section(h, "<h2>Benchmarks");
  ASSERT_FALSE(b.empty());
  EXPECT_NE(b.find("Run " + std::to_string(bench_run_) + " (the ledger's newest bench run)"), std::string::npos);
  EXPECT_NE(b.find("1 of 2 benchmarks meet their target"), std::string::npos);
  EXPECT_EQ(count(b, "class=\"bench-row meets\""), 1u);
  EXPECT_EQ(count(b, "class=\"bench-row below\""), 1u);
  EXPECT_EQ(count(b, "<circle"), 2u);  // the reported bench run marked in each history
  std::string why;
  EXPECT_TRUE(testing::well_formed_xml(tr, &why)) << why;  // balanced, escaped markup
  EXPECT_TRUE(testing::well_formed_xml(b, &why)) << why;
}

TEST_F(TrainingBenchReport, MarkdownAndJsonCarryTheSameFigures) {
  add_training_and_bench();
  ReportFiles f = write();
  std::string md = slurp(f.markdown);
  EXPECT_NE(md.find("## Training traces"), std::string::npos);
  EXPECT_NE(md.find("| `mlp_sgd` | float64 | 5 | 1e-10 | 4e-16 | 2e-16 | 0 |"), std::string::npos) << md;
  EXPECT_NE(md.find("| **1** |"), std::string::npos);
  EXPECT_NE(md.find("| `add_tiny_f32` | **3.5x** | 5x |"), std::string::npos) << md;

  auto j = nlohmann::json::parse(slurp(f.json));
  EXPECT_EQ(j["training"]["run_id"], training_run_);
  ASSERT_EQ(j["training"]["traces"].size(), 2u);
  const auto& hostile = j["training"]["traces"][0];  // '<' sorts before 'm'
  EXPECT_EQ(hostile["trace"], kHostileOp);
  EXPECT_EQ(hostile["steps_over_bound"], 1);
  EXPECT_TRUE(hostile["worst_param_drift"].is_null());  // NaN is the worst, written as null
  EXPECT_EQ(hostile["steps"].size(), 5u);
  EXPECT_EQ(j["bench"]["run_id"], bench_run_);
  EXPECT_EQ(j["bench"]["benchmarks"].size(), 2u);
  EXPECT_EQ(j["bench"]["history"].size(), 3u);
  EXPECT_DOUBLE_EQ(j["bench"]["benchmarks"][1]["speedup"].get<double>(), 3.5);
}

TEST_F(TrainingBenchReport, ALedgerWithoutThemSaysHowToRecordThem) {
  ReportFiles f = write();
  std::string h = slurp(f.html);
  EXPECT_NE(section(h, "<h2>Training traces").find("ftorch conform --suite training"), std::string::npos);
  EXPECT_NE(section(h, "<h2>Benchmarks").find("ftorch bench --ledger"), std::string::npos);
  auto j = nlohmann::json::parse(slurp(f.json));
  EXPECT_TRUE(j["training"]["run_id"].is_null());
  EXPECT_TRUE(j["bench"]["run_id"].is_null());
}

}  // namespace
}  // namespace ft::reports
