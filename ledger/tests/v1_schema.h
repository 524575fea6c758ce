// The v1 ledger schema as it shipped, and a few v1 rows, for tests that forge v1 files.
#pragma once

namespace ft::ledger::testing {

// The v1 schema exactly as it shipped (schema.cpp kV1), frozen here so that a
// later edit of the shipped step cannot silently change what this test forges.
inline constexpr const char* kV1Schema = R"sql(
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
INSERT INTO meta(key, value) VALUES ('app', 'frankentorch-ledger');
CREATE TABLE runs (
  id INTEGER PRIMARY KEY, started TEXT NOT NULL, finished TEXT,
  git_sha TEXT NOT NULL DEFAULT '', engine_version TEXT NOT NULL DEFAULT '',
  oracle_version TEXT NOT NULL DEFAULT '', host TEXT NOT NULL DEFAULT '',
  threads INTEGER NOT NULL DEFAULT 1, mode TEXT NOT NULL DEFAULT '',
  suite TEXT NOT NULL DEFAULT '', seed TEXT NOT NULL DEFAULT '0', argv TEXT NOT NULL DEFAULT '');
CREATE TABLE cases (
  id INTEGER PRIMARY KEY, run_id INTEGER NOT NULL REFERENCES runs(id), suite TEXT NOT NULL,
  op TEXT NOT NULL, variant TEXT NOT NULL, dtype TEXT NOT NULL, shapes TEXT NOT NULL,
  strides TEXT NOT NULL, mode TEXT NOT NULL, outcome TEXT NOT NULL,
  skip_reason TEXT NOT NULL DEFAULT '', max_abs REAL, max_rel REAL, max_ulp REAL, atol REAL,
  rtol REAL, seed TEXT NOT NULL DEFAULT '0', reproduce TEXT NOT NULL DEFAULT '',
  duration_ms REAL, attribution TEXT NOT NULL DEFAULT '');
CREATE INDEX cases_run_op_dtype ON cases(run_id, op, dtype);
CREATE INDEX cases_run_outcome ON cases(run_id, outcome);
CREATE TABLE drift (
  case_id INTEGER PRIMARY KEY REFERENCES cases(id), message TEXT NOT NULL DEFAULT '',
  first_index TEXT NOT NULL DEFAULT '', engine_value TEXT NOT NULL DEFAULT '',
  oracle_value TEXT NOT NULL DEFAULT '', minimized_case TEXT NOT NULL DEFAULT '',
  shrink_steps INTEGER NOT NULL DEFAULT 0);
INSERT INTO meta(key, value) VALUES ('schema_version', '1');
PRAGMA user_version = 1;
)sql";

// Two v1 runs; run 2 has a pass and a drift with its drift row.
inline constexpr const char* kV1Rows = R"sql(
INSERT INTO runs (id, started, finished, git_sha, seed) VALUES
  (1, '2024-01-01T00:00:00.000Z', '2024-01-01T00:01:00.000Z', 'aaa', '7'),
  (2, '2024-01-02T00:00:00.000Z', NULL, 'bbb', '18446744073709551615');
INSERT INTO cases (id, run_id, suite, op, variant, dtype, shapes, strides, mode, outcome, max_ulp,
                   seed, attribution) VALUES
  (1, 2, 'forward', 'add', 'functional', 'float32', '[2]', '[1]', 'strict', 'pass', 0, '1', ''),
  (2, 2, 'forward', 'exp', 'functional', 'float32', '[2]', '[1]', 'strict', 'drift', 9, '2',
   'oracle_closer');
INSERT INTO drift (case_id, message, engine_value, oracle_value) VALUES (2, 'mismatch', '1', '2');
)sql";

}  // namespace ft::ledger::testing
