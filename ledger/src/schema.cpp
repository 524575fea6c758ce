// Ledger schema: file identification and the ordered list of migrations.
//
// NOTE [ Ledger migrations ]
// kMigrations[i] takes a ledger from version i to version i+1. To change the
// schema: append one step (never edit a shipped one) and bump kSchemaVersion
// in ledger.h; the static_assert below keeps the two in step. The version is
// stored twice: meta.schema_version (the truth, readable by anyone with the
// sqlite3 shell) and PRAGMA user_version (cheap to read; a newer build that
// forgot the meta row is still refused). We take the larger of the two.
#include "schema.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <cstring>
#include <fstream>

#include "ft/error.h"
#include "ft/ledger/ledger.h"
#include "sqlite_util.h"

namespace ft::ledger::detail {
namespace {

struct Migration {
  const char* name;
  const char* sql;
};

// Doubles are REAL, NULL meaning NaN (NOTE [ NaN in the ledger ]); uint64 seeds
// are decimal TEXT (sqlite_util.h). No CHECK on outcome: the writer validates
// it, and a CHECK could only be changed later by rebuilding the table.
constexpr const char* kV1 = R"sql(
CREATE TABLE meta (
  key   TEXT PRIMARY KEY,
  value TEXT NOT NULL
);
INSERT INTO meta(key, value) VALUES ('app', 'frankentorch-ledger');
CREATE TABLE runs (
  id             INTEGER PRIMARY KEY,
  started        TEXT NOT NULL,
  finished       TEXT,
  git_sha        TEXT NOT NULL DEFAULT '',
  engine_version TEXT NOT NULL DEFAULT '',
  oracle_version TEXT NOT NULL DEFAULT '',
  host           TEXT NOT NULL DEFAULT '',
  threads        INTEGER NOT NULL DEFAULT 1,
  mode           TEXT NOT NULL DEFAULT '',
  suite          TEXT NOT NULL DEFAULT '',
  seed           TEXT NOT NULL DEFAULT '0',
  argv           TEXT NOT NULL DEFAULT ''
);
CREATE TABLE cases (
  id          INTEGER PRIMARY KEY,
  run_id      INTEGER NOT NULL REFERENCES runs(id),
  suite       TEXT NOT NULL,
  op          TEXT NOT NULL,
  variant     TEXT NOT NULL,
  dtype       TEXT NOT NULL,
  shapes      TEXT NOT NULL,
  strides     TEXT NOT NULL,
  mode        TEXT NOT NULL,
  outcome     TEXT NOT NULL,
  skip_reason TEXT NOT NULL DEFAULT '',
  max_abs     REAL,
  max_rel     REAL,
  max_ulp     REAL,
  atol        REAL,
  rtol        REAL,
  seed        TEXT NOT NULL DEFAULT '0',
  reproduce   TEXT NOT NULL DEFAULT '',
  duration_ms REAL,
  attribution TEXT NOT NULL DEFAULT ''
);
CREATE INDEX cases_run_op_dtype ON cases(run_id, op, dtype);
CREATE INDEX cases_run_outcome ON cases(run_id, outcome);
CREATE TABLE drift (
  case_id        INTEGER PRIMARY KEY REFERENCES cases(id),
  message        TEXT NOT NULL DEFAULT '',
  first_index    TEXT NOT NULL DEFAULT '',
  engine_value   TEXT NOT NULL DEFAULT '',
  oracle_value   TEXT NOT NULL DEFAULT '',
  minimized_case TEXT NOT NULL DEFAULT '',
  shrink_steps   INTEGER NOT NULL DEFAULT 0
);
)sql";

// runs.uid identifies a run across ledger files (merge_from); rows written
// before v2 get a random one, like begin_run gives new runs. It stays nullable
// because ALTER TABLE cannot add a NOT NULL column without a constant default.
// events.case_id is 0 for "no case", so it cannot REFERENCE cases(id).
// No index is added for the trend: it counts (run_id, outcome IN non-pass)
// through cases_run_outcome, which never touches the passing entries.
constexpr const char* kV2 = R"sql(
ALTER TABLE runs ADD COLUMN uid TEXT;
UPDATE runs SET uid = lower(hex(randomblob(16))) WHERE uid IS NULL;
CREATE UNIQUE INDEX runs_uid ON runs(uid);
CREATE TABLE events (
  id      INTEGER PRIMARY KEY,
  run_id  INTEGER NOT NULL REFERENCES runs(id),
  case_id INTEGER NOT NULL DEFAULT 0,
  op      TEXT NOT NULL DEFAULT '',
  dtype   TEXT NOT NULL DEFAULT '',
  reason  TEXT NOT NULL,
  detail  TEXT NOT NULL DEFAULT ''
);
CREATE INDEX events_run ON events(run_id);
)sql";

// v3: the Deterministic Autograd Contract's provenance: every backward case
// records the digest of the engine's provenance record; drift rows of
// backward cases keep the whole record.
constexpr const char* kV3 = R"sql(
ALTER TABLE cases ADD COLUMN provenance TEXT NOT NULL DEFAULT '';
ALTER TABLE drift ADD COLUMN provenance_record TEXT NOT NULL DEFAULT '';
)sql";

// v4: benchmark results (`ftorch bench --ledger`): one row per benchmark of a
// run, the medians and tails of both sides as measured in one process, so the
// report can chart speedups and their history next to the conformance runs.
constexpr const char* kV4 = R"sql(
CREATE TABLE perf (
  id            INTEGER PRIMARY KEY,
  run_id        INTEGER NOT NULL REFERENCES runs(id),
  bench         TEXT NOT NULL,
  engine_p50_ns REAL,
  engine_p99_ns REAL,
  oracle_p50_ns REAL,
  oracle_p99_ns REAL,
  speedup       REAL,
  target        REAL,
  samples       INTEGER NOT NULL DEFAULT 0,
  threads       INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX perf_run ON perf(run_id);
CREATE INDEX perf_bench ON perf(bench, run_id);
)sql";

constexpr std::array<Migration, 4> kMigrations = {{
    {"v0 -> v1: meta, runs, cases, drift", kV1},
    {"v1 -> v2: runs.uid, events", kV2},
    {"v2 -> v3: cases.provenance, drift.provenance_record", kV3},
    {"v3 -> v4: perf", kV4},
}};
static_assert(kMigrations.size() == kSchemaVersion,
              "append one migration per schema version (NOTE [ Ledger migrations ])");

bool table_exists(sqlite3* db, const std::string& path, const char* name) {
  Stmt q(db, path, "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?");
  q.bind(1, std::string(name));
  return q.step();
}

int parse_version(const std::string& text, const std::string& path) {
  int v = -1;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  FT_CHECK(ec == std::errc() && end == text.data() + text.size() && v >= 0, "ledger ", path,
           " has an unreadable schema_version '", text,
           "' in its meta table: the file was edited or corrupted; start a new ledger");
  return v;
}

int user_version(sqlite3* db, const std::string& path) {
  Stmt q(db, path, "PRAGMA user_version");
  return q.step() ? static_cast<int>(q.column_int(0)) : 0;
}

}  // namespace

void check_file_header(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  if (!f) return;  // missing: SQLite creates it (or reports why it cannot)
  char header[16] = {};
  f.read(header, sizeof header);
  std::streamsize n = f.gcount();
  if (n == 0) return;  // an empty file is a new ledger
  FT_CHECK(n == 16 && std::memcmp(header, "SQLite format 3", 16) == 0, "ledger ", path,
           " is not a SQLite database (wrong file header): pass a different --ledger path, or "
           "move this file aside if it is meant to be a ledger");
}

int identify_ledger(sqlite3* db, const std::string& path) {
  int version = 0;
  if (table_exists(db, path, "meta")) {
    Stmt app(db, path, "SELECT value FROM meta WHERE key = 'app'");
    std::string app_value = app.step() ? app.column_text(0) : std::string();
    FT_CHECK(app_value == kLedgerApp, "ledger ", path,
             " is a SQLite database but not a FrankenTorch ledger (its meta table has app = '",
             app_value, "', expected '", kLedgerApp,
             "'): pass a different --ledger path so this database is not modified");
    Stmt ver(db, path, "SELECT value FROM meta WHERE key = 'schema_version'");
    if (ver.step()) version = parse_version(ver.column_text(0), path);
  } else {
    Stmt other(db, path,
               "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
               "ORDER BY name LIMIT 1");
    FT_CHECK(!other.step(), "ledger ", path,
             " is a SQLite database but not a FrankenTorch ledger (it has tables such as '",
             other.column_text(0),
             "' and no ledger meta table): pass a different --ledger path so this database is "
             "not modified");
  }
  version = std::max(version, user_version(db, path));
  FT_CHECK(version <= kSchemaVersion, "ledger ", path, " has schema version ", version,
           " but this ftorch understands up to ", kSchemaVersion,
           ": upgrade ftorch or use a new ledger path");
  return version;
}

void migrate(sqlite3* db, const std::string& path) {
  for (;;) {
    exec(db, path, "BEGIN IMMEDIATE");
    try {
      // Re-identify under the write lock: another process may have migrated.
      int version = identify_ledger(db, path);
      if (version == kSchemaVersion) {
        exec(db, path, "COMMIT");
        return;
      }
      exec(db, path, kMigrations[version].sql);
      int next = version + 1;
      Stmt set(db, path, "INSERT OR REPLACE INTO meta(key, value) VALUES ('schema_version', ?)");
      set.bind(1, std::to_string(next)).run();
      std::string pragma = "PRAGMA user_version = " + std::to_string(next);
      exec(db, path, pragma.c_str());
      exec(db, path, "COMMIT");
    } catch (...) {
      sqlite3_exec(db, "ROLLBACK", nullptr, nullptr, nullptr);
      throw;
    }
  }
}

}  // namespace ft::ledger::detail
