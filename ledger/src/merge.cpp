// Ledger::merge_from: copies the runs of another ledger file into this one.
//
// NOTE [ Ledger merge ]
// A run is identified across files by runs.uid, so merging is idempotent
// (a run already here is skipped) and shards of one CI job, which have
// different uids, all land. Row ids are local to a file: every copied run,
// case and event gets a new id here, and drift rows and events follow their
// case through an old -> new case id map; perf rows follow their run. All of it is one IMMEDIATE
// transaction: a failure half-way leaves this ledger exactly as it was.
//
// The other file is opened read-only (it may be another job's artifact on a
// read-only mount, and must never be migrated behind its owner's back), and
// read inside one read transaction so a writer there cannot show us half a
// batch. Values are copied as stored (sqlite3_value), so NULL-as-NaN and
// decimal-text seeds survive without a round trip through C++ types.
#include <sqlite3.h>

#include <cstdio>
#include <filesystem>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "ft/error.h"
#include "ft/ledger/ledger.h"
#include "schema.h"
#include "sqlite_util.h"

namespace ft::ledger {

using detail::exec;
using detail::Stmt;

namespace {

struct DbCloser {
  void operator()(sqlite3* db) const { sqlite3_close_v2(db); }
};
using DbPtr = std::unique_ptr<sqlite3, DbCloser>;

DbPtr open_source(const std::string& path) {
  FT_CHECK(std::filesystem::is_regular_file(path), "merge: ledger ", path,
           " does not exist or is not a file: pass the path of a ledger to merge");
  detail::check_file_header(path);
  sqlite3* raw = nullptr;
  int rc = sqlite3_open_v2(path.c_str(), &raw, SQLITE_OPEN_READONLY, nullptr);
  DbPtr db(raw);
  if (rc != SQLITE_OK) {
    std::string msg = raw ? sqlite3_errmsg(raw) : sqlite3_errstr(rc);
    FT_ERROR("merge: cannot open ledger ", path, " read-only: ", msg);
  }
  sqlite3_busy_timeout(db.get(), 10000);  // ride out the other file's writer
  return db;
}

// 64-bit FNV-1a over the fields, each followed by a separator so that
// ("ab","c") and ("a","bc") differ.
uint64_t fnv1a(const std::vector<std::string>& fields, uint64_t h) {
  for (const std::string& f : fields) {
    for (unsigned char c : f) h = (h ^ c) * 1099511628211ull;
    h = (h ^ 0x1f) * 1099511628211ull;
  }
  return h;
}

// The uid of a run from a ledger without one (a v1 file, which we cannot
// migrate read-only): 128 bits hashed from the run's immutable fields, so
// merging the same v1 file twice still adds its runs once. (Once that file is
// itself migrated its runs get random uids and would merge again: merge a v1
// file or its migrated copy, not both.)
std::string derived_uid(const Stmt& run) {
  std::vector<std::string> f;
  for (int c : {0, 1, 3, 4, 5, 6, 7, 8, 9, 10, 11}) f.push_back(run.column_text(c));  // not finished
  char buf[33];
  std::snprintf(buf, sizeof buf, "%016llx%016llx",
                static_cast<unsigned long long>(fnv1a(f, 14695981039346656037ull)),
                static_cast<unsigned long long>(fnv1a(f, 0x9e3779b97f4a7c15ull)));
  return buf;
}

}  // namespace

MergeStats Ledger::merge_from(const std::string& other_path) {
  flush();  // our own buffered rows first, in their own transaction
  DbPtr src_db = open_source(other_path);
  sqlite3* src = src_db.get();
  int version = detail::identify_ledger(src, other_path);  // refuses foreign and newer files
  FT_CHECK(version >= 1, "merge: ", other_path,
           " is an empty SQLite database, not a FrankenTorch ledger: nothing to merge");
  const std::string& p = other_path;
  exec(src, p, "BEGIN");  // one snapshot for every read below

  // Source statements. Column 0 is the source id; the rest are copied in order.
  std::string run_sql =
      "SELECT id, started, finished, git_sha, engine_version, oracle_version, host, threads, "
      "mode, suite, seed, argv, " +
      std::string(version >= 2 ? "uid" : "NULL") + " FROM runs ORDER BY id";
  Stmt s_runs(src, p, run_sql.c_str());
  // v3 added provenance columns; older sources contribute ''.
  const std::string prov = version >= 3 ? "provenance" : "''";
  const std::string prov_rec = version >= 3 ? "d.provenance_record" : "''";
  std::string cases_sql =
      "SELECT id, suite, op, variant, dtype, shapes, strides, mode, outcome, skip_reason, "
      "max_abs, max_rel, max_ulp, atol, rtol, seed, reproduce, duration_ms, attribution, " + prov +
      " FROM cases WHERE run_id = ? ORDER BY id";
  std::string drift_sql =
      "SELECT d.case_id, d.message, d.first_index, d.engine_value, d.oracle_value, "
      "d.minimized_case, d.shrink_steps, " + prov_rec + " FROM drift d JOIN cases c ON c.id = d.case_id "
      "WHERE c.run_id = ? ORDER BY d.case_id";
  Stmt s_cases(src, p, cases_sql.c_str());
  Stmt s_drift(src, p, drift_sql.c_str());
  std::unique_ptr<Stmt> s_events;  // v1 files have no events table
  if (version >= 2)
    s_events = std::make_unique<Stmt>(
        src, p, "SELECT case_id, op, dtype, reason, detail FROM events WHERE run_id = ? ORDER BY id");

  std::unique_ptr<Stmt> s_perf;  // v4 added benchmark results
  if (version >= 4)
    s_perf = std::make_unique<Stmt>(src, p,
                                    "SELECT bench, engine_p50_ns, engine_p99_ns, oracle_p50_ns, oracle_p99_ns, "
                                    "speedup, target, samples, threads FROM perf WHERE run_id = ? ORDER BY id");

  Stmt has_uid(db_, path_, "SELECT 1 FROM runs WHERE uid = ?");
  Stmt i_run(db_, path_,
             "INSERT INTO runs (started, finished, git_sha, engine_version, oracle_version, host, "
             "threads, mode, suite, seed, argv, uid) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)");
  Stmt i_case(db_, path_,
              "INSERT INTO cases (run_id, suite, op, variant, dtype, shapes, strides, mode, "
              "outcome, skip_reason, max_abs, max_rel, max_ulp, atol, rtol, seed, reproduce, "
              "duration_ms, attribution, provenance) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)");
  Stmt i_drift(db_, path_,
               "INSERT INTO drift (case_id, message, first_index, engine_value, oracle_value, "
               "minimized_case, shrink_steps, provenance_record) VALUES (?,?,?,?,?,?,?,?)");
  Stmt i_event(db_, path_,
               "INSERT INTO events (run_id, case_id, op, dtype, reason, detail) "
               "VALUES (?,?,?,?,?,?)");
  Stmt i_perf(db_, path_,
              "INSERT INTO perf (run_id, bench, engine_p50_ns, engine_p99_ns, oracle_p50_ns, oracle_p99_ns, "
              "speedup, target, samples, threads) VALUES (?,?,?,?,?,?,?,?,?,?)");

  MergeStats stats;
  exec(db_, path_, "BEGIN IMMEDIATE");
  try {
    while (s_runs.step()) {
      std::string uid = s_runs.column_text(12);
      if (uid.empty()) uid = derived_uid(s_runs);
      has_uid.bind(1, uid);
      bool present = has_uid.step();
      has_uid.reset();
      if (present) {
        ++stats.runs_skipped;
        continue;
      }
      for (int c = 1; c <= 11; ++c) i_run.bind_column(c, s_runs, c);
      i_run.bind(12, uid).run();
      i_run.reset();
      int64_t old_run = s_runs.column_int(0), new_run = sqlite3_last_insert_rowid(db_);
      ++stats.runs_added;

      std::unordered_map<int64_t, int64_t> case_ids;  // source id -> id here
      s_cases.bind(1, old_run);
      while (s_cases.step()) {
        i_case.bind(1, new_run);
        for (int c = 1; c <= 19; ++c) i_case.bind_column(c + 1, s_cases, c);
        i_case.run();
        i_case.reset();
        case_ids[s_cases.column_int(0)] = sqlite3_last_insert_rowid(db_);
        ++stats.cases_added;
      }
      s_cases.reset();

      s_drift.bind(1, old_run);
      while (s_drift.step()) {
        i_drift.bind(1, case_ids.at(s_drift.column_int(0)));  // joined on this run's cases
        for (int c = 1; c <= 7; ++c) i_drift.bind_column(c + 1, s_drift, c);
        i_drift.run();
        i_drift.reset();
      }
      s_drift.reset();

      if (s_perf) {
        s_perf->bind(1, old_run);
        while (s_perf->step()) {
          i_perf.bind(1, new_run);
          for (int c = 0; c <= 8; ++c) i_perf.bind_column(c + 2, *s_perf, c);
          i_perf.run();
          i_perf.reset();
          ++stats.perf_added;
        }
        s_perf->reset();
      }

      if (!s_events) continue;
      s_events->bind(1, old_run);
      while (s_events->step()) {
        // An event's case is one of its run's cases; anything else (0, or a
        // dangling id in a hand-edited file) is stored as "no case".
        auto it = case_ids.find(s_events->column_int(0));
        i_event.bind(1, new_run).bind(2, it == case_ids.end() ? int64_t{0} : it->second);
        for (int c = 1; c <= 4; ++c) i_event.bind_column(c + 2, *s_events, c);
        i_event.run();
        i_event.reset();
        ++stats.events_added;
      }
      s_events->reset();
    }
    exec(db_, path_, "COMMIT");
  } catch (...) {
    sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
    throw;
  }
  return stats;
}

}  // namespace ft::ledger
