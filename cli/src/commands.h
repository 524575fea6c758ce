// The `ftorch` subcommands. Each returns the process exit code:
// 0 success / no blocking drift, 1 blocking drift, 2 usage error or missing oracle.
#pragma once

#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "ft/ledger/ledger.h"

namespace ft::cli {

constexpr int kExitOk = 0, kExitDrift = 1, kExitUsage = 2;

// Default ledger path: $FTORCH_LEDGER or ./ftorch-ledger.db.
std::string default_ledger_path();
// Prints "ftorch <cmd>: error: <msg>" plus a hint to stderr; returns kExitUsage.
int usage_error(const std::string& cmd, const std::string& msg);

// A run's identification for the ledger: git sha, versions, host, and the given fields.
ledger::RunInfo new_run_info(const std::string& suite, const std::string& mode, const std::string& argv,
                             uint64_t seed, int threads, const std::string& oracle_version);

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
Command add_bench(CLI::App& app, const std::string& argv_joined);
// `ftorch checkpoint inspect FILE [--json]` (cmd_checkpoint.cpp).
Command add_checkpoint(CLI::App& app);

}  // namespace ft::cli
