// The `ftorch` subcommands. Each returns the process exit code:
// 0 success / no blocking drift, 1 blocking drift, 2 usage error or missing oracle.
#pragma once

#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "ft/dtype.h"
#include "ft/ledger/ledger.h"

namespace ft::cli {

constexpr int kExitOk = 0, kExitDrift = 1, kExitUsage = 2;

// Default ledger path: $FTORCH_LEDGER or ./ftorch-ledger.db.
std::string default_ledger_path();
// Prints "ftorch <cmd>: error: <msg>" plus a hint to stderr; returns kExitUsage.
int usage_error(const std::string& cmd, const std::string& msg);

// Comma-separated lists (op_select.cpp). resolve_ops takes op ids or names
// (a name selects all its variants); both set `err` and return {} on a bad entry.
std::vector<std::string> split_csv(const std::string& s);
std::vector<int> resolve_ops(const std::vector<std::string>& names, std::string& err);
std::vector<DType> resolve_dtypes(const std::string& csv, std::string& err);

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
// `ftorch fixtures export` (cmd_fixtures.cpp).
Command add_fixtures(CLI::App& app, const std::string& argv_joined);

}  // namespace ft::cli
