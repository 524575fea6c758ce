// `ftorch report`: Markdown, JSON, HTML and JUnit from a ledger run.
#include <filesystem>
#include <iostream>

#include "ft/ledger/budget.h"
#include "commands.h"
#include "ft/ledger/ledger.h"
#include "ft/reports/report.h"

namespace ft::cli {

int write_report_for(const std::string& ledger_path, int64_t run_id, const std::string& out_dir,
                     const std::string& budget_path) {
  if (!std::filesystem::exists(ledger_path))
    return usage_error("report", "ledger '" + ledger_path + "' does not exist: run 'ftorch conform' first or pass --ledger PATH");
  auto ledger = ledger::Ledger::open(ledger_path);
  if (run_id == 0) run_id = ledger->latest_run_id();
  if (run_id == 0) return usage_error("report", "ledger '" + ledger_path + "' has no runs yet: run 'ftorch conform' first");
  if (!ledger->run(run_id)) return usage_error("report", "ledger has no run " + std::to_string(run_id) + " (see 'ftorch ledger runs')");
  // The budget file's allowlist marks explained drifts as allowed in the report.
  std::vector<reports::AllowEntry> allow;
  if (!budget_path.empty()) {
    try {
      for (const ledger::AllowRule& r : ledger::load_budget_file(budget_path).allow)
        allow.push_back({r.op, r.dtype, r.suite, r.reason, r.attribution, r.approved_by});
    } catch (const Error& e) {
      return usage_error("report", e.what());
    }
  }
  auto files = budget_path.empty() ? reports::write_reports(*ledger, run_id, out_dir)
                                   : reports::write_reports(*ledger, run_id, out_dir, &allow);
  std::cout << "report for run " << run_id << ":\n  " << files.html << "\n  " << files.markdown << "\n  " << files.json
            << "\n  " << files.junit << "\n";
  return kExitOk;
}

Command add_report(CLI::App& app) {
  auto* sub = app.add_subcommand("report", "Write the parity report (HTML, Markdown, JSON, JUnit XML) for a run");
  auto ledger = std::make_shared<std::string>(default_ledger_path());
  auto run = std::make_shared<int64_t>(0);
  auto out = std::make_shared<std::string>("ftorch-report");
  auto budget = std::make_shared<std::string>();
  sub->add_option("--ledger", *ledger, "Ledger file (default $FTORCH_LEDGER or ./ftorch-ledger.db)");
  sub->add_option("--run", *run, "Run id (default: the latest run)")->check(CLI::NonNegativeNumber);
  sub->add_option("--out", *out, "Output folder (default ./ftorch-report)");
  sub->add_option("--budget", *budget, "Budget file whose allowlist marks explained drifts (e.g. ci/budget.json)");
  return {sub, [=] { return write_report_for(*ledger, *run, *out, *budget); }};
}

}  // namespace ft::cli
