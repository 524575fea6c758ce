// `ftorch ledger runs|cases`: look into a ledger.
#include <filesystem>
#include <iostream>

#include "commands.h"
#include "ft/ledger/ledger.h"

namespace ft::cli {

Command add_ledger(CLI::App& app) {
  auto* sub = app.add_subcommand("ledger", "Inspect a ledger: 'runs' lists runs, 'cases' lists a run's non-passing cases");
  auto ledger = std::make_shared<std::string>(default_ledger_path());
  auto what = std::make_shared<std::string>();
  auto run = std::make_shared<int64_t>(0);
  auto all = std::make_shared<bool>(false);
  sub->add_option("what", *what, "runs | cases")->required()->check(CLI::IsMember({"runs", "cases"}));
  sub->add_option("--ledger", *ledger, "Ledger file (default $FTORCH_LEDGER or ./ftorch-ledger.db)");
  sub->add_option("--run", *run, "Run id for 'cases' (default: the latest)");
  sub->add_flag("--all", *all, "'cases': list passing cases too");
  return {sub, [=] {
            if (!std::filesystem::exists(*ledger))
              return usage_error("ledger", "ledger '" + *ledger + "' does not exist (pass --ledger PATH)");
            auto l = ledger::Ledger::open(*ledger);
            if (*what == "runs") {
              std::printf("%5s  %-20s %-20s %-10s %8s %8s  %s\n", "id", "started", "finished", "mode", "cases", "non-pass", "argv");
              for (const auto& r : l->runs())
                std::printf("%5lld  %-20s %-20s %-10s %8lld %8lld  %s\n", (long long)r.id, r.started.c_str(),
                            r.finished.c_str(), r.info.mode.c_str(), (long long)r.cases, (long long)r.non_pass,
                            r.info.argv.c_str());
              return kExitOk;
            }
            int64_t id = *run ? *run : l->latest_run_id();
            if (!id || !l->run(id)) return usage_error("ledger", "no such run (see 'ftorch ledger runs')");
            for (const auto& c : l->cases(id)) {
              if (!*all && c.outcome == "pass") continue;
              std::printf("%8lld %-8s %-16s %-9s %-14s %-9s %s\n", (long long)c.id, c.suite.c_str(), c.op.c_str(),
                          c.dtype.c_str(), c.outcome.c_str(), c.shapes.c_str(), c.reproduce.c_str());
            }
            return kExitOk;
          }};
}

}  // namespace ft::cli
