// `ftorch ledger runs|cases|diff A B|merge FILES...`: look into and combine ledgers.
#include <filesystem>
#include <iostream>
#include <map>

#include "commands.h"
#include "ft/ledger/ledger.h"

namespace ft::cli {
namespace {

int list_runs(ledger::Ledger& l) {
  std::printf("%5s  %-24s %-24s %-8s %8s %8s  %s\n", "id", "started", "finished", "mode", "cases", "non-pass", "argv");
  for (const auto& r : l.runs())
    std::printf("%5lld  %-24s %-24s %-8s %8lld %8lld  %s\n", (long long)r.id, r.started.c_str(), r.finished.c_str(),
                r.info.mode.c_str(), (long long)r.cases, (long long)r.non_pass, r.info.argv.c_str());
  return kExitOk;
}

int list_cases(ledger::Ledger& l, int64_t run, bool all) {
  int64_t id = run ? run : l.latest_run_id();
  if (!id || !l.run(id)) return usage_error("ledger", "no such run (see 'ftorch ledger runs')");
  for (const auto& c : l.cases(id)) {
    if (!all && c.outcome == "pass") continue;
    std::printf("%8lld %-8s %-16s %-9s %-14s %-9s %s\n", (long long)c.id, c.suite.c_str(), c.op.c_str(),
                c.dtype.c_str(), c.outcome.c_str(), c.shapes.c_str(), c.reproduce.c_str());
  }
  return kExitOk;
}

// Non-pass (suite, op, dtype, outcome) keys that appear, vanish or change count.
int diff_runs(ledger::Ledger& l, int64_t a, int64_t b) {
  if (!l.run(a) || !l.run(b)) return usage_error("ledger", "diff needs two existing run ids (see 'ftorch ledger runs')");
  std::map<std::string, std::pair<int64_t, int64_t>> m;
  for (const auto& k : l.outcome_keys(a)) m[k.outcome + " " + k.op + "[" + k.dtype + "] " + k.suite].first = k.count;
  for (const auto& k : l.outcome_keys(b)) m[k.outcome + " " + k.op + "[" + k.dtype + "] " + k.suite].second = k.count;
  int changes = 0;
  for (const auto& [key, c] : m) {
    if (c.first == c.second) continue;
    ++changes;
    const char* tag = c.first == 0 ? "new " : c.second == 0 ? "gone" : "chg ";
    std::printf("%s %-50s %6lld -> %lld\n", tag, key.c_str(), (long long)c.first, (long long)c.second);
  }
  std::printf("%d difference%s between run %lld and run %lld\n", changes, changes == 1 ? "" : "s", (long long)a,
              (long long)b);
  return kExitOk;
}

}  // namespace

Command add_ledger(CLI::App& app) {
  auto* sub = app.add_subcommand(
      "ledger", "Inspect and combine ledgers: runs | cases [--run ID] [--all] | diff A B | merge FILES...");
  auto ledger = std::make_shared<std::string>(default_ledger_path());
  auto what = std::make_shared<std::string>();
  auto args = std::make_shared<std::vector<std::string>>();
  auto run = std::make_shared<int64_t>(0);
  auto all = std::make_shared<bool>(false);
  sub->add_option("what", *what, "runs | cases | diff | merge")->required()->check(CLI::IsMember({"runs", "cases", "diff", "merge"}));
  sub->add_option("args", *args, "diff: two run ids; merge: ledger files to merge into --ledger");
  sub->add_option("--ledger", *ledger, "Ledger file (default $FTORCH_LEDGER or ./ftorch-ledger.db)");
  sub->add_option("--run", *run, "Run id for 'cases' (default: the latest)");
  sub->add_flag("--all", *all, "'cases': list passing cases too");
  return {sub, [=]() -> int {
            if (*what == "merge") {
              if (args->empty()) return usage_error("ledger", "merge needs at least one ledger file to merge into --ledger");
              for (const auto& f : *args)
                if (!std::filesystem::exists(f)) return usage_error("ledger", "cannot merge '" + f + "': no such file");
              auto l = ledger::Ledger::open(*ledger);
              for (const auto& f : *args) {
                auto st = l->merge_from(f);
                std::printf("%s: %lld runs added, %lld already present, %lld cases, %lld events, %lld benchmark rows\n",
                            f.c_str(), (long long)st.runs_added, (long long)st.runs_skipped, (long long)st.cases_added,
                            (long long)st.events_added, (long long)st.perf_added);
              }
              return kExitOk;
            }
            if (!std::filesystem::exists(*ledger))
              return usage_error("ledger", "ledger '" + *ledger + "' does not exist (pass --ledger PATH)");
            auto l = ledger::Ledger::open(*ledger);
            if (*what == "runs") return list_runs(*l);
            if (*what == "cases") return list_cases(*l, *run, *all);
            if (args->size() != 2) return usage_error("ledger", "diff needs exactly two run ids: ftorch ledger diff A B");
            try {
              return diff_runs(*l, std::stoll((*args)[0]), std::stoll((*args)[1]));
            } catch (const std::invalid_argument&) {
              return usage_error("ledger", "diff takes run ids (numbers), got '" + (*args)[0] + "' '" + (*args)[1] + "'");
            }
          }};
}

}  // namespace ft::cli
