// Ledger: opening a ledger file and the batched case writer.
// Queries live in queries.cpp, the schema in schema.cpp.
#include "ft/ledger/ledger.h"

#include <algorithm>
#include <array>
#include <chrono>
#include <cstdio>
#include <ctime>

#include "ft/error.h"
#include "schema.h"
#include "sqlite_util.h"

namespace ft::ledger {

using detail::exec;
using detail::Stmt;

namespace {

// Long enough to ride out another process's batch commit or checkpoint.
constexpr int kBusyTimeoutMs = 10000;

std::string now_iso8601_utc() {
  using namespace std::chrono;
  auto now = system_clock::now();
  std::time_t t = system_clock::to_time_t(now);
  auto ms = duration_cast<milliseconds>(now.time_since_epoch()).count() % 1000;
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[64];  // roomy: the compiler cannot prove tm fields are in range
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900,
                tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, static_cast<int>(ms));
  return buf;
}

// Closes a connection that never became a Ledger (open() failed half-way).
struct DbCloser {
  void operator()(sqlite3* db) const { sqlite3_close_v2(db); }
};

void configure_connection(sqlite3* db, const std::string& path) {
  // WAL + synchronous=NORMAL: a commit survives a process crash (SIGKILL);
  // only an OS crash or power loss may undo the last commits, never corrupt.
  Stmt wal(db, path, "PRAGMA journal_mode = WAL");
  std::string mode = wal.step() ? wal.column_text(0) : std::string();
  FT_CHECK(mode == "wal" || (path == ":memory:" && mode == "memory"), "ledger ", path,
           ": could not switch to WAL journal mode (got '", mode,
           "'): put the ledger on a local filesystem that supports shared memory");
  exec(db, path, "PRAGMA synchronous = NORMAL");
  exec(db, path, "PRAGMA foreign_keys = ON");
}

}  // namespace

struct Ledger::Statements {
  Stmt insert_case;
  Stmt insert_drift;
  Statements(sqlite3* db, const std::string& path)
      : insert_case(db, path,
                    "INSERT INTO cases (run_id, suite, op, variant, dtype, shapes, strides, mode, "
                    "outcome, skip_reason, max_abs, max_rel, max_ulp, atol, rtol, seed, reproduce, "
                    "duration_ms, attribution) "
                    "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                    /*persistent=*/true),
        insert_drift(db, path,
                     "INSERT INTO drift (case_id, message, first_index, engine_value, "
                     "oracle_value, minimized_case, shrink_steps) VALUES (?,?,?,?,?,?,?)",
                     /*persistent=*/true) {}
};

std::unique_ptr<Ledger> Ledger::open(const std::string& path, int batch_size) {
  FT_CHECK(!path.empty(), "ledger path is empty: pass --ledger PATH or set FTORCH_LEDGER");
  FT_CHECK(batch_size >= 1, "ledger ", path, ": batch_size must be >= 1, got ", batch_size);
  detail::check_file_header(path);

  sqlite3* raw = nullptr;
  int rc = sqlite3_open_v2(path.c_str(), &raw, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr);
  std::unique_ptr<sqlite3, DbCloser> db(raw);
  if (rc != SQLITE_OK) {
    std::string msg = raw ? sqlite3_errmsg(raw) : sqlite3_errstr(rc);
    FT_ERROR("cannot open ledger ", path, ": ", msg,
             ": check that the directory exists and is writable");
  }
  sqlite3_busy_timeout(db.get(), kBusyTimeoutMs);

  // Identify before writing anything (even the journal mode): a database
  // that is not ours must be refused untouched.
  detail::identify_ledger(db.get(), path);
  configure_connection(db.get(), path);
  detail::migrate(db.get(), path);
  return std::unique_ptr<Ledger>(new Ledger(db.release(), path, batch_size));
}

Ledger::Ledger(sqlite3* db, std::string path, int batch_size)
    : db_(db), path_(std::move(path)), batch_size_(batch_size) {
  try {
    stmts_ = std::make_unique<Statements>(db_, path_);
  } catch (...) {
    sqlite3_close_v2(db_);
    throw;
  }
  pending_.reserve(static_cast<size_t>(batch_size_));
}

Ledger::~Ledger() {
  // A destructor must not throw; a failed final flush loses only that batch,
  // which the durability contract already allows.
  try {
    flush();
  } catch (...) {
  }
  stmts_.reset();  // statements must be finalized before the connection closes
  sqlite3_close_v2(db_);
}

int64_t Ledger::begin_run(const RunInfo& info) {
  Stmt ins(db_, path_,
           "INSERT INTO runs (started, git_sha, engine_version, oracle_version, host, threads, "
           "mode, suite, seed, argv) VALUES (?,?,?,?,?,?,?,?,?,?)");
  ins.bind(1, now_iso8601_utc())
      .bind(2, info.git_sha)
      .bind(3, info.engine_version)
      .bind(4, info.oracle_version)
      .bind(5, info.host)
      .bind(6, info.threads)
      .bind(7, info.mode)
      .bind(8, info.suite)
      .bind(9, detail::u64_to_text(info.seed))
      .bind(10, info.argv)
      .run();  // autocommit: the run row is durable before any case refers to it
  int64_t id = sqlite3_last_insert_rowid(db_);
  known_runs_.push_back(id);
  return id;
}

void Ledger::finish_run(int64_t run_id) {
  flush();
  Stmt upd(db_, path_, "UPDATE runs SET finished = ? WHERE id = ?");
  upd.bind(1, now_iso8601_utc()).bind(2, run_id).run();
  FT_CHECK(sqlite3_changes(db_) == 1, "finish_run: run ", run_id, " is not in ledger ", path_,
           ": pass the id returned by begin_run()");
}

bool Ledger::run_exists(int64_t run_id) {
  if (std::find(known_runs_.begin(), known_runs_.end(), run_id) != known_runs_.end()) return true;
  Stmt q(db_, path_, "SELECT 1 FROM runs WHERE id = ?");
  q.bind(1, run_id);
  if (!q.step()) return false;
  known_runs_.push_back(run_id);
  return true;
}

void Ledger::add_case(const CaseRow& row, const std::optional<DriftRow>& drift) {
  // Validate here, not at flush: one bad row would otherwise fail (and
  // roll back) the whole batch, and every later flush with it.
  FT_CHECK(std::find(kOutcomes.begin(), kOutcomes.end(), row.outcome) != kOutcomes.end(),
           "add_case: unknown outcome '", row.outcome, "' for op '", row.op,
           "': expected one of pass, drift, error_mismatch, crash, skip");
  FT_CHECK(!row.op.empty(), "add_case: the case has no op name: set CaseRow::op");
  FT_CHECK(run_exists(row.run_id), "add_case: run ", row.run_id, " is not in ledger ", path_,
           ": call begin_run() and put its id in CaseRow::run_id");
  pending_.push_back(Pending{row, drift});
  if (static_cast<int>(pending_.size()) >= batch_size_) flush();
}

void Ledger::flush() {
  if (pending_.empty()) return;
  Stmt& ic = stmts_->insert_case;
  Stmt& id = stmts_->insert_drift;
  std::vector<int64_t> ids;
  ids.reserve(pending_.size());
  exec(db_, path_, "BEGIN IMMEDIATE");
  try {
    for (const Pending& p : pending_) {
      const CaseRow& r = p.row;
      ic.bind(1, r.run_id).bind(2, r.suite).bind(3, r.op).bind(4, r.variant).bind(5, r.dtype);
      ic.bind(6, r.shapes).bind(7, r.strides).bind(8, r.mode).bind(9, r.outcome);
      ic.bind(10, r.skip_reason).bind(11, r.max_abs).bind(12, r.max_rel).bind(13, r.max_ulp);
      ic.bind(14, r.atol).bind(15, r.rtol).bind(16, detail::u64_to_text(r.seed));
      ic.bind(17, r.reproduce).bind(18, r.duration_ms).bind(19, r.attribution);
      ic.run();
      ic.reset();
      int64_t case_id = sqlite3_last_insert_rowid(db_);
      ids.push_back(case_id);
      if (p.drift) {
        const DriftRow& d = *p.drift;
        id.bind(1, case_id).bind(2, d.message).bind(3, d.first_index).bind(4, d.engine_value);
        id.bind(5, d.oracle_value).bind(6, d.minimized_case).bind(7, d.shrink_steps);
        id.run();
        id.reset();
      }
    }
    exec(db_, path_, "COMMIT");
  } catch (...) {
    // Keep pending_: the batch was rolled back as a whole, so a later flush
    // (e.g. after a lock is released) can retry it.
    ic.reset();
    id.reset();
    sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
    throw;
  }
  last_flush_ids_ = std::move(ids);
  pending_.clear();
}

}  // namespace ft::ledger
