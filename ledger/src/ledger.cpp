// Ledger: opening a ledger file and the batched case and event writer.
// Queries live in queries.cpp and report_queries.cpp, merging in merge.cpp,
// the schema in schema.cpp.
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
  Stmt insert_event;
  Statements(sqlite3* db, const std::string& path)
      : insert_case(db, path,
                    "INSERT INTO cases (run_id, suite, op, variant, dtype, shapes, strides, mode, "
                    "outcome, skip_reason, max_abs, max_rel, max_ulp, atol, rtol, seed, reproduce, "
                    "duration_ms, attribution, provenance) "
                    "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                    /*persistent=*/true),
        insert_drift(db, path,
                     "INSERT INTO drift (case_id, message, first_index, engine_value, "
                     "oracle_value, minimized_case, shrink_steps, provenance_record) "
                     "VALUES (?,?,?,?,?,?,?,?)",
                     /*persistent=*/true),
        insert_event(db, path,
                     "INSERT INTO events (run_id, case_id, op, dtype, reason, detail) "
                     "VALUES (?,?,?,?,?,?)",
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
  if (!info.uid.empty()) {
    // Checked here for a readable message; the UNIQUE index is the real guard.
    Stmt dup(db_, path_, "SELECT id FROM runs WHERE uid = ?");
    dup.bind(1, info.uid);
    FT_CHECK(!dup.step(), "begin_run: run uid '", info.uid, "' is already run ", dup.column_int(0),
             " of ledger ", path_, ": leave RunInfo::uid empty to get a fresh one");
  }
  // An empty uid gets 128 random bits from SQLite's CSPRNG, like the v2 migration.
  Stmt ins(db_, path_,
           "INSERT INTO runs (started, git_sha, engine_version, oracle_version, host, threads, "
           "mode, suite, seed, argv, uid) "
           "VALUES (?,?,?,?,?,?,?,?,?,?, COALESCE(NULLIF(?, ''), lower(hex(randomblob(16)))))");
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
      .bind(11, info.uid)
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
  if (static_cast<int>(pending_.size() + pending_events_.size()) >= batch_size_) flush();
}

void Ledger::add_event(const EventRow& ev) {
  // Validated here for the same reason as add_case: a bad row must not poison a batch.
  FT_CHECK(!ev.reason.empty(), "add_event: the event has no reason code: set EventRow::reason");
  FT_CHECK(run_exists(ev.run_id), "add_event: run ", ev.run_id, " is not in ledger ", path_,
           ": call begin_run() and put its id in EventRow::run_id");
  PendingEvent p{ev, -1};
  if (ev.case_id == kLastCase) {
    if (!pending_.empty()) {
      FT_CHECK(pending_.back().row.run_id == ev.run_id, "add_event: the last case belongs to run ",
               pending_.back().row.run_id, ", not run ", ev.run_id);
      p.pending_case = static_cast<int64_t>(pending_.size()) - 1;
    } else {
      // The batch was flushed right after that case (batch full): it has its id.
      FT_CHECK(!last_flush_ids_.empty(),
               "add_event: case_id is kLastCase but no case was added to this ledger yet");
      p.ev.case_id = last_flush_ids_.back();
    }
  } else {
    FT_CHECK(ev.case_id >= 0, "add_event: case_id ", ev.case_id,
             " is invalid: pass 0 (no case), kLastCase or an id from last_flush_ids()");
  }
  if (p.ev.case_id > 0) {
    // Positive ids are committed cases: check they exist and share the run,
    // so a report never links an event to another run's case.
    Stmt q(db_, path_, "SELECT run_id FROM cases WHERE id = ?");
    q.bind(1, p.ev.case_id);
    FT_CHECK(q.step() && q.column_int(0) == ev.run_id, "add_event: case ", p.ev.case_id,
             " is not a case of run ", ev.run_id, " in ledger ", path_);
  }
  pending_events_.push_back(std::move(p));
  if (static_cast<int>(pending_.size() + pending_events_.size()) >= batch_size_) flush();
}

void Ledger::flush() {
  if (pending_.empty() && pending_events_.empty()) return;
  Stmt& ic = stmts_->insert_case;
  Stmt& id = stmts_->insert_drift;
  Stmt& ie = stmts_->insert_event;
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
      ic.bind(17, r.reproduce).bind(18, r.duration_ms).bind(19, r.attribution).bind(20, r.provenance);
      ic.run();
      ic.reset();
      int64_t case_id = sqlite3_last_insert_rowid(db_);
      ids.push_back(case_id);
      if (p.drift) {
        const DriftRow& d = *p.drift;
        id.bind(1, case_id).bind(2, d.message).bind(3, d.first_index).bind(4, d.engine_value);
        id.bind(5, d.oracle_value).bind(6, d.minimized_case).bind(7, d.shrink_steps);
        id.bind(8, d.provenance_record);
        id.run();
        id.reset();
      }
    }
    // Events after the cases, so kLastCase resolves to an id assigned above.
    for (const PendingEvent& p : pending_events_) {
      const EventRow& e = p.ev;
      int64_t case_id = p.pending_case >= 0 ? ids[static_cast<size_t>(p.pending_case)] : e.case_id;
      ie.bind(1, e.run_id).bind(2, case_id).bind(3, e.op).bind(4, e.dtype).bind(5, e.reason);
      ie.bind(6, e.detail);
      ie.run();
      ie.reset();
    }
    exec(db_, path_, "COMMIT");
  } catch (...) {
    // Keep the pending rows: the batch was rolled back as a whole, so a later
    // flush (e.g. after a lock is released) can retry it.
    ic.reset();
    id.reset();
    ie.reset();
    sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
    throw;
  }
  // An events-only flush keeps the previous case ids (see last_flush_ids()).
  if (!pending_.empty()) last_flush_ids_ = std::move(ids);
  pending_.clear();
  pending_events_.clear();
}

}  // namespace ft::ledger
