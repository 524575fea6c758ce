// `ftorch gate`: the CI gate. Exit 1 when a run's non-pass outcomes exceed the
// budget or when any of them is new relative to a baseline run.
#include <filesystem>
#include <iostream>
#include <map>
#include <set>

#include "ft/ledger/budget.h"
#include "commands.h"
#include "ft/error.h"
#include "ft/ledger/ledger.h"

namespace ft::cli {

Command add_gate(CLI::App& app) {
  auto* sub = app.add_subcommand("gate", "CI gate: non-zero exit when drift exceeds the budget or is new versus a baseline run");
  struct Opts {
    std::string ledger = default_ledger_path(), budget;
    int64_t run = 0, baseline = 0;
  };
  auto o = std::make_shared<Opts>();
  sub->add_option("--ledger", o->ledger, "Ledger file (default $FTORCH_LEDGER or ./ftorch-ledger.db)");
  sub->add_option("--run", o->run, "Run to gate (default: the latest)");
  sub->add_option("--baseline", o->baseline, "Baseline run id: any non-pass (suite, op, dtype, outcome) not in it is new");
  sub->add_option("--budget", o->budget, "Budget file (JSON: budget counts and an allowlist; see README)");
  return {sub, [o]() -> int {
            if (!std::filesystem::exists(o->ledger))
              return usage_error("gate", "ledger '" + o->ledger + "' does not exist (pass --ledger PATH)");
            ledger::BudgetFile budget;
            if (!o->budget.empty()) {
              try {
                budget = ledger::load_budget_file(o->budget);
              } catch (const Error& e) {
                return usage_error("gate", e.what());
              }
            }
            auto l = ledger::Ledger::open(o->ledger);
            int64_t run = o->run ? o->run : l->latest_run_id();
            if (!run || !l->run(run)) return usage_error("gate", "no such run (see 'ftorch ledger runs')");
            if (o->baseline && !l->run(o->baseline))
              return usage_error("gate", "no baseline run " + std::to_string(o->baseline) + " in " + o->ledger);

            std::map<std::string, int64_t> counted;  // outcome -> cases not allowed
            int64_t allowed = 0;
            std::vector<std::string> new_keys;
            std::set<std::string> base;
            if (o->baseline)
              for (const auto& k : l->outcome_keys(o->baseline)) base.insert(k.suite + "|" + k.op + "|" + k.dtype + "|" + k.outcome);
            for (const auto& k : l->outcome_keys(run)) {
              if (k.outcome == "skip") continue;
              bool ok = false;
              for (const auto& r : budget.allow) ok = ok || r.matches(k.op, k.dtype, k.suite);
              if (ok) {
                allowed += k.count;
                continue;
              }
              counted[k.outcome] += k.count;
              if (o->baseline && !base.count(k.suite + "|" + k.op + "|" + k.dtype + "|" + k.outcome))
                new_keys.push_back(k.outcome + " " + k.op + "[" + k.dtype + "] " + k.suite + " (" + std::to_string(k.count) + " cases)");
            }
            bool fail = false;
            auto check = [&](const char* what, int64_t n, int64_t max) {
              std::cout << "  " << what << ": " << n << " (budget " << max << ")" << (n > max ? "  OVER" : "") << "\n";
              fail = fail || n > max;
            };
            std::cout << "ftorch gate: run " << run << (o->baseline ? " vs baseline " + std::to_string(o->baseline) : "")
                      << "\n";
            check("drift", counted["drift"], budget.max_drift);
            check("error_mismatch", counted["error_mismatch"], budget.max_error_mismatch);
            check("crash", counted["crash"], budget.max_crash);
            if (allowed) std::cout << "  allowed by the allowlist: " << allowed << " cases\n";
            for (const auto& k : new_keys) std::cout << "  NEW: " << k << "\n";
            fail = fail || !new_keys.empty();
            std::cout << (fail ? "gate: FAIL\n" : "gate: pass\n");
            return fail ? kExitDrift : kExitOk;
          }};
}

}  // namespace ft::cli
