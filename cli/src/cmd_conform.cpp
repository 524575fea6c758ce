// `ftorch conform`: the differential conformance run (engine vs libtorch).
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <iostream>
#include <random>
#include <sstream>

#include "commands.h"
#include "ft/ledger/ledger.h"
#include "ft/op_table.h"
#include "ft/oracle/bridge.h"
#include "ft/props/checkpoint_suite.h"
#include "ft/props/conform.h"
#include "ft/props/training.h"
#include "fixture_source.h"

namespace ft::cli {

int write_report_for(const std::string& ledger_path, int64_t run_id, const std::string& out_dir,
                     const std::string& budget_path);


namespace {

struct ConformArgs {
  std::string suite = "ops", ops, dtypes, mode = "strict", ledger = default_ledger_path(), report,
              budget_file, oracle = "libtorch", fixtures;
  int cases = 100, jobs = 1, steps = 50;
  uint64_t seed = 0;
  bool seed_set = false, cases_set = false, double_backward = false, gradcheck = false;
  double budget = 0;
  std::vector<int> corpus_ops;  // --oracle fixtures without --ops: the corpus's entries, exactly
};

// --oracle fixtures: installs the corpus as the oracle and makes the run ask
// exactly what it can answer (NOTE [ Fixture corpus ]): the export's seed,
// at most its cases, its ops and dtypes (the defaults), or a usage error.
int apply_fixture_corpus(ConformArgs& o) {
  if (o.fixtures.empty()) return usage_error("conform", "--oracle fixtures needs --fixtures CORPUS (written by 'ftorch fixtures export')");
  if (o.suite != "ops")
    return usage_error("conform", "the " + o.suite + " suite runs libtorch itself; a fixture corpus holds op answers only");
  const oracle::CorpusInfo* info = nullptr;
  try {
    info = &use_fixture_corpus(o.fixtures);
  } catch (const Error& e) {
    return usage_error("conform", e.what());
  }
  if (o.seed_set && o.seed != info->seed)
    return usage_error("conform", "--seed " + std::to_string(o.seed) + " differs from the corpus's seed " +
                                      std::to_string(info->seed) + ": the corpus answers only that seed's cases");
  o.seed = info->seed;
  o.seed_set = true;
  if (o.cases_set && o.cases > info->cases)
    return usage_error("conform", "--cases " + std::to_string(o.cases) + " exceeds the corpus's " +
                                      std::to_string(info->cases) + " cases per op x dtype");
  if (!o.cases_set) o.cases = info->cases;
  if (o.double_backward && !info->double_backward)
    return usage_error("conform", "the corpus was exported without --double-backward: export it again with it");
  // The selection must stay inside the corpus; by default it is the corpus's.
  auto join = [](const std::vector<std::string>& v) {
    std::string j;
    for (const auto& x : v) j += (j.empty() ? "" : ",") + x;
    return j;
  };
  auto has = [](const std::vector<std::string>& v, const std::string& x) {
    return std::find(v.begin(), v.end(), x) != v.end();
  };
  std::string err;
  if (o.ops.empty()) {
    for (const auto& id : info->ops) {
      const OpInfo* op = find_op(id);
      if (!op) return usage_error("conform", "the corpus has op '" + id + "', which this build's op table lacks: export it again");
      o.corpus_ops.push_back(int(op - op_table()));
    }
  } else {
    for (int i : resolve_ops(split_csv(o.ops), err))
      if (!has(info->ops, op_table()[i].id))
        return usage_error("conform", std::string("op '") + op_table()[i].id + "' is not in the corpus (export it with that op)");
    if (!err.empty()) return usage_error("conform", err);
  }
  if (o.dtypes.empty()) {
    o.dtypes = join(info->dtypes);
  } else {
    for (DType d : resolve_dtypes(o.dtypes, err))
      if (!has(info->dtypes, dtype_name(d)))
        return usage_error("conform", std::string("dtype '") + dtype_name(d) + "' is not in the corpus (it has " +
                                          join(info->dtypes) + ")");
    if (!err.empty()) return usage_error("conform", err);
  }
  return kExitOk;
}

}  // namespace

Command add_conform(CLI::App& app, const std::string& argv_joined) {
  auto* sub = app.add_subcommand("conform", "Run the differential conformance suite and record every case in the ledger");
  auto o = std::make_shared<ConformArgs>();
  sub->add_option("--suite", o->suite,
                  "Suite to run: ops (forward, backward and error parity of every op-table entry), training "
                  "(engine vs libtorch training traces, drift per step) or checkpoint (safetensors, native and .pt "
                  "files: round trips, libtorch's pickler reading and writing, corrupted copies; --cases per dtype)")
      ->check(CLI::IsMember({"ops", "training", "checkpoint"}));
  sub->add_option("--steps", o->steps, "training suite: steps per trace (default 50)")->check(CLI::PositiveNumber);
  sub->add_option("--ops", o->ops, "Comma-separated op ids or names (default: all; see 'ftorch ops')");
  sub->add_option("--dtypes", o->dtypes, "Comma-separated dtypes, or all (every dtype: an op's unsupported ones check that engine and libtorch both refuse them); default f32,f64,i64,i32,bool");
  sub->add_flag("--double-backward", o->double_backward,
                "Also check second-order gradients against libtorch (suite backward2, float64 cases)");
  sub->add_flag("--gradcheck", o->gradcheck,
                "Also check the engine's first and second derivatives against finite differences (suites gradcheck "
                "and gradgradcheck, float64 cases of differentiable entries)");
  sub->add_option("--mode", o->mode, "strict (PyTorch behaviour), hardened (plus defensive checks, each an event in the ledger) or both")->check(CLI::IsMember({"strict", "hardened", "both"}));
  sub->add_option_function<int>("--cases", [o](int n) { o->cases = n; o->cases_set = true; },
                                "Cases per op variant x supported dtype (default 100)")
      ->check(CLI::PositiveNumber);
  sub->add_option("--oracle", o->oracle,
                  "libtorch (default) or fixtures: answers from a corpus written by 'ftorch fixtures export' "
                  "(--fixtures), for machines without libtorch; seed, ops and dtypes default to the corpus's")
      ->check(CLI::IsMember({"libtorch", "fixtures"}));
  sub->add_option("--fixtures", o->fixtures, "The fixture corpus file for --oracle fixtures");
  sub->add_option_function<uint64_t>("--seed", [o](uint64_t s) { o->seed = s; o->seed_set = true; }, "Run seed (default: random, printed)");
  sub->add_option("--time-budget", o->budget, "Stop starting new op x dtype batches after S seconds (0: none)")->check(CLI::NonNegativeNumber);
  sub->add_option("--jobs", o->jobs, "Worker processes, e.g. 2 to use both cores (default 1)")->check(CLI::Range(1, 64));
  sub->add_option("--ledger", o->ledger, "Ledger file (default $FTORCH_LEDGER or ./ftorch-ledger.db)");
  sub->add_option("--report", o->report, "Also write the report into this folder when the run ends");
  sub->add_option("--budget", o->budget_file, "Budget file whose allowlist the report shows (with --report)");
  return {sub, [o, argv_joined]() -> int {
            if (o->oracle == "libtorch" && !oracle::libtorch_available())
              return usage_error("conform", "this ftorch was built without libtorch (FT_WITH_ORACLE=OFF): run against a fixture "
                                            "corpus with --oracle fixtures --fixtures FILE (`ftorch fixtures export` writes one "
                                            "where libtorch is installed), or install libtorch-dev and rebuild");
            props::ConformOptions co;
            std::string err;
            if (o->oracle == "fixtures") {
              int rc = apply_fixture_corpus(*o);
              if (rc != kExitOk) return rc;
            } else if (!o->fixtures.empty()) {
              return usage_error("conform", "--fixtures needs --oracle fixtures");
            }
            if (!o->ops.empty()) {
              co.ops = resolve_ops(split_csv(o->ops), err);
              if (!err.empty()) return usage_error("conform", err);
            } else {
              co.ops = o->corpus_ops;
            }
            co.dtypes = resolve_dtypes(o->dtypes.empty() ? "f32,f64,i64,i32,bool" : o->dtypes, err);
            if (!err.empty()) return usage_error("conform", err);
            co.cases = o->cases;
            co.seed = o->seed_set ? o->seed : std::random_device{}();
            co.time_budget_s = o->budget;
            co.mode = o->mode;
            co.run.double_backward = o->double_backward;
            co.run.gradcheck = o->gradcheck;

            auto ledger = ledger::Ledger::open(o->ledger);
            ledger::RunInfo info = new_run_info(o->suite, o->mode, argv_joined, co.seed, o->jobs, oracle::version());
            int64_t run_id = ledger->begin_run(info);
            std::cout << "ftorch conform: run " << run_id << ", seed " << co.seed << ", " << info.oracle_version
                      << ", ledger " << o->ledger << "\n";
            std::vector<bool> modes;  // the hardened flag of each mode to run
            if (o->mode != "hardened") modes.push_back(false);
            if (o->mode != "strict") modes.push_back(true);
            if (o->suite == "checkpoint") {
              props::CheckpointSummary s = props::run_checkpoint_suite(
                  *ledger, run_id, co.seed, o->cases, modes, [](const std::string& line) { std::cout << line << "\n" << std::flush; });
              ledger->finish_run(run_id);
              std::printf("%lld cases (%lld ledger rows): %lld pass, %lld drift, %lld crash\n", (long long)s.cases,
                          (long long)s.rows, (long long)s.passed, (long long)s.drift, (long long)s.crash);
              if (!o->report.empty()) write_report_for(o->ledger, run_id, o->report, o->budget_file);
              return s.drift || s.crash ? kExitDrift : kExitOk;
            }
            if (o->suite == "training") {
              int64_t drifted = 0;
              props::run_training_suite(*ledger, run_id, co.seed, o->steps, [&](const props::TrainingTrace& t) {
                double worst_loss = 0, worst_param = 0;
                for (const auto& st : t.steps) {
                  worst_loss = std::max(worst_loss, st.loss_rel_drift);
                  worst_param = std::max(worst_param, st.param_rel_drift);
                }
                bool ok = t.within_bound() && t.hardened_diff.empty();
                drifted += !ok;
                std::printf("%-22s %-8s %3zu steps  final loss %.6f / %.6f  max loss drift %.3g  max param drift %.3g  "
                            "(bound %.0e) %s%s\n",
                            t.name.c_str(), dtype_name(t.dtype), t.steps.size(), t.steps.back().engine_loss,
                            t.steps.back().oracle_loss, worst_loss, worst_param, t.bound, ok ? "pass" : "DRIFT",
                            t.hardened_diff.empty() ? "" : (" (hardened: " + t.hardened_diff + ")").c_str());
                std::fflush(stdout);
              }, modes);
              ledger->finish_run(run_id);
              if (!o->report.empty()) write_report_for(o->ledger, run_id, o->report, o->budget_file);
              return drifted ? kExitDrift : kExitOk;
            }
            const bool tty = isatty(STDOUT_FILENO);
            auto on_batch = [tty](int64_t done, int64_t total, const std::string& line) {
              if (!tty) {
                std::cout << "[" << done << "/" << total << "] " << line << "\n" << std::flush;
                return;
              }
              // One redrawn line: a bar plus the latest batch.
              const int width = 30;
              int filled = int(width * done / std::max<int64_t>(total, 1));
              std::cout << "\r\033[K[" << std::string(size_t(filled), '#') << std::string(size_t(width - filled), '.')
                        << "] " << done << "/" << total << "  " << line.substr(0, 60) << std::flush;
              if (done == total) std::cout << "\n";
            };
            const auto t0 = std::chrono::steady_clock::now();
            props::ConformSummary s = props::run_conform_jobs(o->ledger, run_id, co, o->jobs, on_batch);
            s.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
            ledger->finish_run(run_id);
            std::printf("\n%lld cases (%lld ledger rows): %lld pass, %lld drift, %lld error_mismatch, %lld crash, %lld skip "
                        "in %.1f s (%.0f cases/s)\n",
                        (long long)s.cases, (long long)s.rows, (long long)s.passed, (long long)s.drift,
                        (long long)s.error_mismatch, (long long)s.crash, (long long)s.skipped, s.seconds,
                        s.seconds > 0 ? double(s.cases) / s.seconds : 0.0);
            int shown = 0;
            for (const auto& c : ledger->cases(run_id)) {
              if (c.outcome == "pass" || c.outcome == "skip") continue;
              if (shown++ == 20) { std::cout << "  ... (see 'ftorch ledger cases')\n"; break; }
              auto d = ledger->drift_for_case(c.id);
              std::cout << "  " << c.outcome << " " << c.op << "[" << c.dtype << "] " << c.suite << ": "
                        << (d ? d->message : "") << "\n    replay: ftorch replay " << c.id << " --ledger " << o->ledger << "\n";
            }
            if (!o->report.empty()) write_report_for(o->ledger, run_id, o->report, o->budget_file);
            return s.blocking() ? kExitDrift : kExitOk;
          }};
}

}  // namespace ft::cli
