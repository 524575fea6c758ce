// merge_from tests: runs copied once by uid, ids remapped, drift rows and
// events following their cases, shards, v1 sources, refusals, atomicity.
#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <limits>

#include "ft/error.h"
#include "ft/ledger/ledger.h"
#include "raw_sql.h"
#include "temp_dir.h"
#include "v1_schema.h"

namespace ft::ledger {
namespace {

using testing::raw_exec;
using testing::raw_query;
using testing::TempDir;

CaseRow make_case(int64_t run, const std::string& op, const std::string& outcome) {
  CaseRow c;
  c.run_id = run;
  c.suite = "forward";
  c.op = op;
  c.variant = "functional";
  c.dtype = "float32";
  c.mode = "hardened";
  c.outcome = outcome;
  return c;
}

DriftRow drift(const std::string& message) {
  DriftRow d;
  d.message = message;
  d.engine_value = "1";
  d.oracle_value = "2";
  d.shrink_steps = 3;
  return d;
}

// Source: run "a" (pass, drift + 2 events, one on the drift) and run "b"
// (crash with drift row, pass + an event on it).
void write_source(const std::string& path) {
  auto l = Ledger::open(path);
  RunInfo a;
  a.git_sha = "a";
  a.seed = UINT64_MAX;
  int64_t ra = l->begin_run(a);
  l->add_case(make_case(ra, "add", "pass"));
  CaseRow weird = make_case(ra, "exp", "drift");
  weird.max_ulp = std::numeric_limits<double>::quiet_NaN();
  weird.max_abs = std::numeric_limits<double>::infinity();
  weird.seed = UINT64_MAX;
  l->add_case(weird, drift("dA"));
  l->add_event(EventRow{0, ra, kLastCase, "exp", "float32", "nan_produced", "in exp"});
  l->add_event(EventRow{0, ra, 0, "", "", "run_note", "not tied to a case"});
  l->finish_run(ra);
  RunInfo b;
  b.git_sha = "b";
  int64_t rb = l->begin_run(b);
  l->add_case(make_case(rb, "div", "crash"), drift("dB"));
  l->add_case(make_case(rb, "div", "pass"));
  l->add_event(EventRow{0, rb, kLastCase, "div", "float32", "zero_division", "in div"});
}

TEST(LedgerMerge, CopiesRunsWithRemappedIdsAndIsIdempotent) {
  TempDir dir;
  std::string src = dir.file("src.db"), dst = dir.file("dst.db");
  write_source(src);
  auto l = Ledger::open(dst);
  int64_t own = l->begin_run(RunInfo{});
  l->add_case(make_case(own, "mul", "pass"));
  l->add_case(make_case(own, "mul", "drift"), drift("own"));  // cases 1, 2 here (pending)

  MergeStats s = l->merge_from(src);
  EXPECT_EQ(s.runs_added, 2);
  EXPECT_EQ(s.runs_skipped, 0);
  EXPECT_EQ(s.cases_added, 4);
  EXPECT_EQ(s.events_added, 3);

  auto src_runs = Ledger::open(src)->runs();
  auto runs = l->runs();
  ASSERT_EQ(runs.size(), 3u);
  const RunRow &a = runs[1], &b = runs[2];
  EXPECT_EQ(a.id, 2);
  EXPECT_EQ(a.info.git_sha, "a");
  EXPECT_EQ(a.info.uid, src_runs[0].info.uid);
  EXPECT_EQ(a.info.seed, UINT64_MAX);
  EXPECT_EQ(a.started, src_runs[0].started);
  EXPECT_EQ(a.finished, src_runs[0].finished);
  EXPECT_EQ(b.finished, "");  // an unfinished run stays unfinished
  EXPECT_EQ(b.info.uid, src_runs[1].info.uid);

  // Source cases 1..4 became 3..6 here; drift rows and events followed.
  auto ca = l->cases(a.id);
  ASSERT_EQ(ca.size(), 2u);
  EXPECT_EQ(ca[0].id, 3);
  EXPECT_EQ(ca[1].id, 4);
  EXPECT_EQ(ca[1].op, "exp");
  EXPECT_TRUE(std::isnan(ca[1].max_ulp));
  EXPECT_TRUE(std::isinf(ca[1].max_abs));
  EXPECT_EQ(ca[1].seed, UINT64_MAX);
  ASSERT_TRUE(l->drift_for_case(4));
  EXPECT_EQ(l->drift_for_case(4)->message, "dA");
  EXPECT_EQ(l->drift_for_case(4)->shrink_steps, 3);
  EXPECT_EQ(l->drift_for_case(2)->message, "own");  // ours untouched
  ASSERT_TRUE(l->drift_for_case(5));
  EXPECT_EQ(l->drift_for_case(5)->message, "dB");
  EXPECT_FALSE(l->drift_for_case(3));
  EXPECT_EQ(l->drifts(b.id).size(), 1u);

  auto ea = l->events(a.id);
  ASSERT_EQ(ea.size(), 2u);
  EXPECT_EQ(ea[0].case_id, 4);
  EXPECT_EQ(ea[0].reason, "nan_produced");
  EXPECT_EQ(ea[1].case_id, 0);
  auto eb = l->events(b.id);
  ASSERT_EQ(eb.size(), 1u);
  EXPECT_EQ(eb[0].case_id, 6);
  EXPECT_EQ(eb[0].run_id, b.id);

  // Twice: nothing new.
  MergeStats again = l->merge_from(src);
  EXPECT_EQ(again.runs_added, 0);
  EXPECT_EQ(again.runs_skipped, 2);
  EXPECT_EQ(again.cases_added, 0);
  EXPECT_EQ(again.events_added, 0);
  EXPECT_EQ(l->runs().size(), 3u);
  EXPECT_EQ(l->integrity_check(), "ok");
  EXPECT_EQ(raw_query(dst, "PRAGMA foreign_key_check"), "");
}

TEST(LedgerMerge, ShardsOfOneCiJobAllLand) {
  TempDir dir;
  std::vector<std::string> shards = {dir.file("shard0.db"), dir.file("shard1.db")};
  for (size_t i = 0; i < shards.size(); ++i) {
    auto l = Ledger::open(shards[i]);
    RunInfo info;
    info.git_sha = "same-sha";
    info.argv = "ftorch conform --shard " + std::to_string(i) + "/2";
    int64_t run = l->begin_run(info);
    for (int k = 0; k <= static_cast<int>(i); ++k) l->add_case(make_case(run, "add", "pass"));
    l->finish_run(run);
  }
  auto l = Ledger::open(dir.file("all.db"));
  EXPECT_EQ(l->merge_from(shards[0]).runs_added, 1);
  MergeStats s = l->merge_from(shards[1]);
  EXPECT_EQ(s.runs_added, 1);
  EXPECT_EQ(s.cases_added, 2);
  EXPECT_EQ(l->merge_from(shards[0]).runs_added, 0);
  auto runs = l->runs();
  ASSERT_EQ(runs.size(), 2u);
  EXPECT_EQ(runs[0].cases, 1);
  EXPECT_EQ(runs[1].cases, 2);
  EXPECT_NE(runs[0].info.uid, runs[1].info.uid);
}

TEST(LedgerMerge, MergingItselfAddsNothing) {
  TempDir dir;
  auto l = Ledger::open(dir.file("l.db"));
  int64_t run = l->begin_run(RunInfo{});
  l->add_case(make_case(run, "add", "pass"));  // pending: flushed by the merge
  MergeStats s = l->merge_from(l->path());
  EXPECT_EQ(s.runs_added, 0);
  EXPECT_EQ(s.runs_skipped, 1);
  EXPECT_EQ(l->cases(run).size(), 1u);
}

TEST(LedgerMerge, V1SourceIsReadInPlaceAndMergesOnce) {
  TempDir dir;
  std::string v1 = dir.file("v1.db");
  raw_exec(v1, testing::kV1Schema);
  raw_exec(v1, testing::kV1Rows);
  auto l = Ledger::open(dir.file("l.db"));
  MergeStats s = l->merge_from(v1);
  EXPECT_EQ(s.runs_added, 2);
  EXPECT_EQ(s.cases_added, 2);
  EXPECT_EQ(s.events_added, 0);
  EXPECT_EQ(l->merge_from(v1).runs_added, 0);  // derived uids are deterministic
  auto runs = l->runs();
  ASSERT_EQ(runs.size(), 2u);
  EXPECT_EQ(runs[0].info.uid.size(), 32u);
  EXPECT_NE(runs[0].info.uid, runs[1].info.uid);
  EXPECT_EQ(l->drift_for_case(2)->message, "mismatch");
  EXPECT_EQ(raw_query(v1, "PRAGMA user_version"), "1");  // the source was not migrated
}

std::string merge_error(Ledger& l, const std::string& path) {
  try {
    l.merge_from(path);
  } catch (const ft::Error& e) {
    return e.what();
  }
  return "";
}

TEST(LedgerMerge, RefusesWhatIsNotAMergeableLedger) {
  TempDir dir;
  auto l = Ledger::open(dir.file("l.db"));
  l->begin_run(RunInfo{});
  EXPECT_NE(merge_error(*l, dir.file("missing.db")).find("does not exist"), std::string::npos);
  std::ofstream(dir.file("notes.txt")) << "hello\n";
  EXPECT_NE(merge_error(*l, dir.file("notes.txt")).find("not a SQLite database"),
            std::string::npos);
  std::ofstream(dir.file("empty.db")).close();
  EXPECT_NE(merge_error(*l, dir.file("empty.db")).find("empty SQLite database"), std::string::npos);
  raw_exec(dir.file("foreign.db"), "CREATE TABLE customers(id INTEGER)");
  EXPECT_NE(merge_error(*l, dir.file("foreign.db")).find("not a FrankenTorch ledger"),
            std::string::npos);
  std::string newer = dir.file("newer.db");
  Ledger::open(newer)->begin_run(RunInfo{});
  const std::string too_new = std::to_string(kSchemaVersion + 1);
  raw_exec(newer, "UPDATE meta SET value = '" + too_new + "' WHERE key = 'schema_version'");
  std::string msg = merge_error(*l, newer);
  EXPECT_NE(msg.find("has schema version " + too_new), std::string::npos) << msg;
  EXPECT_EQ(l->runs().size(), 1u);
}

TEST(LedgerMerge, AFailureHalfWayLeavesTheLedgerUntouched) {
  TempDir dir;
  // A forged v2 source whose second run has a case our schema refuses (NULL op).
  std::string bad = dir.file("bad.db");
  raw_exec(bad, R"sql(
    CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT);
    INSERT INTO meta VALUES ('app', 'frankentorch-ledger'), ('schema_version', '2');
    PRAGMA user_version = 2;
    CREATE TABLE runs (id INTEGER PRIMARY KEY, started, finished, git_sha, engine_version,
      oracle_version, host, threads, mode, suite, seed, argv, uid);
    CREATE TABLE cases (id INTEGER PRIMARY KEY, run_id, suite, op, variant, dtype, shapes, strides,
      mode, outcome, skip_reason, max_abs, max_rel, max_ulp, atol, rtol, seed, reproduce,
      duration_ms, attribution);
    CREATE TABLE drift (case_id INTEGER PRIMARY KEY, message, first_index, engine_value,
      oracle_value, minimized_case, shrink_steps);
    CREATE TABLE events (id INTEGER PRIMARY KEY, run_id, case_id, op, dtype, reason, detail);
    INSERT INTO runs VALUES (1, 't', NULL, '', '', '', '', 1, '', '', '0', '', 'u1'),
                            (2, 't', NULL, '', '', '', '', 1, '', '', '0', '', 'u2');
    INSERT INTO cases VALUES
      (1, 1, 'forward', 'add', 'f', 'float32', '', '', 'strict', 'pass', '', 0, 0, 0, 0, 0, '0', '', 0, ''),
      (2, 2, 'forward', NULL, 'f', 'float32', '', '', 'strict', 'pass', '', 0, 0, 0, 0, 0, '0', '', 0, '');
  )sql");
  auto l = Ledger::open(dir.file("l.db"));
  l->begin_run(RunInfo{});
  EXPECT_THROW(l->merge_from(bad), ft::Error);
  EXPECT_EQ(l->runs().size(), 1u);  // run u1 was rolled back with the rest
  EXPECT_EQ(raw_query(l->path(), "SELECT COUNT(*) FROM cases"), "0");
  l->begin_run(RunInfo{});  // no transaction was left open
  EXPECT_EQ(l->runs().size(), 2u);
}

}  // namespace
}  // namespace ft::ledger
