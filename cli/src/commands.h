// The `ftorch` subcommands. Each returns the process exit code:
// 0 success / no blocking drift, 1 blocking drift, 2 usage error or missing oracle.
#pragma once

#include <string>
#include <vector>

#include <CLI/CLI.hpp>

namespace ft::cli {

constexpr int kExitOk = 0, kExitDrift = 1, kExitUsage = 2;

// Default ledger path: $FTORCH_LEDGER or ./ftorch-ledger.db.
std::string default_ledger_path();
// Prints "ftorch <cmd>: error: <msg>" plus a hint to stderr; returns kExitUsage.
int usage_error(const std::string& cmd, const std::string& msg);

// Each registers its subcommand on `app`; the returned function runs it.
struct Command {
  CLI::App* sub;
  std::function<int()> run;
};
Command add_ops(CLI::App& app);
Command add_conform(CLI::App& app, const std::string& argv_joined);
Command add_report(CLI::App& app);
Command add_replay(CLI::App& app);
Command add_ledger(CLI::App& app);
Command add_gate(CLI::App& app);
Command add_fuzz(CLI::App& app, const std::string& argv_joined);
Command add_bench(CLI::App& app);
// `ftorch checkpoint inspect FILE [--json]` (cmd_checkpoint.cpp).
Command add_checkpoint(CLI::App& app);

}  // namespace ft::cli
