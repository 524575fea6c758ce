// The SQLite ledger: every conformance case, drift and run, durable.
//
// NOTE [ Ledger durability ]
// WAL journal, one transaction per batch of cases: add_case() buffers rows and
// flush() commits them in one transaction (also done automatically every
// `batch_size` rows and by the destructor). A process killed mid-run therefore
// loses at most the uncommitted batch, never a committed case, and the file is
// always a valid database.
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

struct sqlite3;

namespace ft::ledger {

// Schema version written by this build. A ledger with a newer version is
// refused (ft::Error with a hint); an older one is migrated on open.
constexpr int kSchemaVersion = 1;

// Every value CaseRow::outcome may take; anything else is refused.
inline constexpr std::array<std::string_view, 5> kOutcomes = {"pass", "drift", "error_mismatch",
                                                              "crash", "skip"};

struct RunInfo {
  std::string git_sha;
  std::string engine_version;
  std::string oracle_version;
  std::string host;
  std::string mode;   // "strict" | "hardened" | "both"
  std::string suite;  // e.g. "ops"
  std::string argv;   // the command line, joined with spaces
  int threads = 1;
  uint64_t seed = 0;
};

struct CaseRow {
  int64_t id = 0;  // assigned by the ledger (rowid) once committed
  int64_t run_id = 0;
  std::string suite;    // "forward" | "backward" | "error" | ...
  std::string op;       // op-table name, e.g. "add"
  std::string variant;  // "functional" | "method" | "inplace" | "out"
  std::string dtype;    // "float32", ...
  std::string shapes;   // e.g. "[2,3];[3]"
  std::string strides;  // e.g. "[3,1];[0]"
  std::string mode;     // "strict" | "hardened"
  std::string outcome;  // "pass" | "drift" | "error_mismatch" | "crash" | "skip"
  std::string skip_reason;
  double max_abs = 0, max_rel = 0, max_ulp = 0;
  double atol = 0, rtol = 0;  // the comparator tolerance that applied
  uint64_t seed = 0;
  std::string reproduce;  // replay string (see properties/)
  double duration_ms = 0;
  std::string attribution;  // "" | "engine_closer" | "oracle_closer" | "tie" | "n/a"
};

// Extra detail stored for a case whose outcome is not "pass".
struct DriftRow {
  int64_t case_id = 0;
  std::string message;       // human summary, e.g. "value mismatch at index [1,0]"
  std::string first_index;   // e.g. "[1,0]"
  std::string engine_value;  // printed value (or error text)
  std::string oracle_value;
  std::string minimized_case;  // description of the shrunk counterexample
  int shrink_steps = 0;
};

// Aggregate per (op, dtype) for reports. worst_* are the max over the cases,
// NaN ignored (0 when no case has a number).
struct OpSummary {
  std::string op, dtype;
  int64_t cases = 0, passed = 0, drifted = 0, error_mismatch = 0, crashed = 0, skipped = 0;
  double worst_abs = 0, worst_rel = 0, worst_ulp = 0;
};

struct RunRow {
  int64_t id = 0;
  std::string started, finished;  // ISO-8601 UTC
  RunInfo info;
  int64_t cases = 0, non_pass = 0;  // non_pass: outcome != "pass" (skips included)
};

// Not thread-safe: give each thread its own Ledger (its own connection; WAL
// and busy_timeout let several connections and processes share one file).
// NaN doubles are stored as NULL and read back as NaN (NOTE [ NaN in the ledger ]).
class Ledger {
 public:
  // Opens (creating if needed) the ledger at `path`. Throws ft::Error when the
  // file is not a FrankenTorch ledger, is corrupt, or has a newer schema.
  static std::unique_ptr<Ledger> open(const std::string& path, int batch_size = 256);
  ~Ledger();
  Ledger(const Ledger&) = delete;
  Ledger& operator=(const Ledger&) = delete;

  int64_t begin_run(const RunInfo& info);  // commits immediately
  void finish_run(int64_t run_id);         // flushes, stamps the finish time

  // Buffers a case (and its drift detail, if any). Rows become durable at flush().
  void add_case(const CaseRow& row, const std::optional<DriftRow>& drift = std::nullopt);
  void flush();

  // Queries (flush first so they see buffered rows).
  std::vector<RunRow> runs();
  std::optional<RunRow> run(int64_t run_id);
  int64_t latest_run_id();  // 0 when the ledger has no run
  std::vector<OpSummary> summary(int64_t run_id);
  std::vector<CaseRow> cases(int64_t run_id, const std::string& outcome_filter = "");
  std::optional<CaseRow> case_by_id(int64_t case_id);
  std::optional<DriftRow> drift_for_case(int64_t case_id);
  int schema_version();

  // Ids assigned by the most recent flush() that wrote rows, in
  // add_case() order (so a caller can print `ftorch replay <id>`).
  const std::vector<int64_t>& last_flush_ids() const { return last_flush_ids_; }
  // Every drift row of a run, ordered by case_id (one query for reports).
  std::vector<DriftRow> drifts(int64_t run_id);
  // PRAGMA integrity_check; "ok" when the file is sound.
  std::string integrity_check();
  size_t pending_count() const { return pending_.size(); }

  const std::string& path() const { return path_; }

 private:
  Ledger(sqlite3* db, std::string path, int batch_size);
  struct Pending {
    CaseRow row;
    std::optional<DriftRow> drift;
  };
  struct Statements;  // prepared once, reused by every flush (ledger.cpp)
  bool run_exists(int64_t run_id);
  sqlite3* db_;
  std::string path_;
  int batch_size_;
  std::vector<Pending> pending_;
  std::unique_ptr<Statements> stmts_;
  std::vector<int64_t> last_flush_ids_;
  std::vector<int64_t> known_runs_;  // run ids already checked to exist (add_case)
};

}  // namespace ft::ledger
