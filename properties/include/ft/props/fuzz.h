// `ftorch fuzz autograd`: random autograd programs (DAGs of op-table calls
// with shared subexpressions, detach, transposed views, in-place writes,
// no_grad regions, several losses, retain_graph and double backward) run on
// the engine and on libtorch; values, every leaf gradient, second-order
// gradients and error parity are compared. Failures shrink (RapidCheck) and
// are saved as regression programs.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include <rapidcheck.h>

#include "ft/hardened.h"
#include "ft/ledger/ledger.h"
#include "ft/oracle/program.h"

namespace ft::props {

rc::Gen<oracle::Program> gen_program();
oracle::ProgramResult run_program_engine(const oracle::Program& p);

struct FuzzVerdict {
  std::string outcome;  // pass | drift | error_mismatch
  std::string message;
};
// Compares both sides. False-alarm filters: NaN on both sides is equal, values
// beyond 1e100 are not compared (precision loss), and relative error is
// judged with a float64 tolerance that grows with the program length.
FuzzVerdict judge(const oracle::Program& p, const oracle::ProgramResult& e, const oracle::ProgramResult& o);
FuzzVerdict check_program(const oracle::Program& p);
// Hardened mode (NOTE [ Hardened mode ] in runner.cpp): the engine runs with
// a hardened sink installed (its interventions are appended to `events`) and
// must give bit for bit the result of its strict run, else a drift; then the
// hardened result is judged against the oracle as in check_program.
FuzzVerdict check_program_hardened(const oracle::Program& p, std::vector<hardened::Event>* events);

struct FuzzSummary {
  int64_t programs = 0, passed = 0, failed = 0, both_raised = 0;
  double seconds = 0;
};
struct FuzzOptions {
  double seconds = 10;
  uint64_t seed = 0;
  std::string save_dir;  // minimized failures are written here as program files ("" = don't)
  std::function<void(const std::string&)> log;
  // Called about every progress_interval_s with the running totals
  // (seconds = elapsed so far), and once at the end.
  std::function<void(const FuzzSummary&)> progress;
  double progress_interval_s = 0.5;
  // Modes to run each program in, in order: strict (false) and/or hardened (true).
  std::vector<bool> modes{false};
};
FuzzSummary run_fuzz(ledger::Ledger& ledger, int64_t run_id, const FuzzOptions& opt);

// Replay: the program a fuzz ledger row's reproduce string ("ftprog1:SEED:SIZE")
// names, and a report of both sides' results on a program (for `ftorch replay`).
bool is_program_reproduce(const std::string& reproduce);
oracle::Program program_from_reproduce(const std::string& reproduce);
std::string explain_program(const oracle::Program& p, const FuzzVerdict& v);
bool is_program_json(const std::string& text);

std::string program_to_json(const oracle::Program& p);
oracle::Program program_from_json(const std::string& text, const std::string& origin);

}  // namespace ft::props
