// `ftorch replay CASE_ID`: re-run a ledger case from its reproduce string.
#include <filesystem>
#include <iostream>

#include "commands.h"
#include "ft/ledger/ledger.h"
#ifdef FT_HAVE_ORACLE
#include "ft/props/conform.h"
#endif

namespace ft::cli {

Command add_replay(CLI::App& app) {
  auto* sub = app.add_subcommand("replay", "Re-run one ledger case (its minimized form) and say whether it still drifts");
  auto id = std::make_shared<int64_t>(0);
  auto ledger = std::make_shared<std::string>(default_ledger_path());
  sub->add_option("case_id", *id, "Case id (from the report or 'ftorch ledger cases')")->required();
  sub->add_option("--ledger", *ledger, "Ledger file (default $FTORCH_LEDGER or ./ftorch-ledger.db)");
  return {sub, [=]() -> int {
#ifndef FT_HAVE_ORACLE
            return usage_error("replay", "this ftorch was built without the libtorch oracle (FT_WITH_ORACLE=OFF)");
#else
            if (!std::filesystem::exists(*ledger))
              return usage_error("replay", "ledger '" + *ledger + "' does not exist (pass --ledger PATH)");
            auto l = ledger::Ledger::open(*ledger);
            auto row = l->case_by_id(*id);
            if (!row) return usage_error("replay", "ledger has no case " + std::to_string(*id) + " (see 'ftorch ledger cases')");
            if (row->reproduce.empty()) return usage_error("replay", "case " + std::to_string(*id) + " has no reproduce string (" + row->outcome + ")");
            props::Reproduce rep = props::parse_reproduce(row->reproduce);
            props::CaseSpec spec = props::regenerate(rep);
            std::cout << "case " << *id << " (" << row->outcome << " when recorded): " << row->reproduce << "\n  "
                      << props::describe(spec) << "\n";
            auto outs = props::run_case(spec);
            bool bad = false;
            for (const auto& o : outs) {
              std::cout << "  " << o.suite << ": " << o.outcome;
              if (!o.ok()) std::cout << " - " << o.message;
              std::cout << " (max abs " << o.cmp.max_abs << ", max ulp " << o.cmp.max_ulp << ")\n";
              bad = bad || !o.ok();
            }
            std::cout << (bad ? "still drifts\n" : "no longer drifts\n");
            return bad ? kExitDrift : kExitOk;
#endif
          }};
}

}  // namespace ft::cli
