// Schema v2 tests: a v1 file (forged with v1's own SQL) migrates on open, and
// run uids are generated, unique and kept.
#include <gtest/gtest.h>

#include <set>
#include <string>

#include "ft/error.h"
#include "ft/ledger/ledger.h"
#include "raw_sql.h"
#include "temp_dir.h"
#include "v1_schema.h"

namespace ft::ledger {
namespace {

using testing::raw_exec;
using testing::raw_query;
using testing::kV1Rows;
using testing::kV1Schema;
using testing::TempDir;

bool is_uid(const std::string& s) {
  return s.size() == 32 && s.find_first_not_of("0123456789abcdef") == std::string::npos;
}

TEST(LedgerMigration, V1FileMigratesToCurrentOnOpenKeepingItsRows) {
  TempDir dir;
  std::string path = dir.file("v1.db");
  raw_exec(path, kV1Schema);
  raw_exec(path, kV1Rows);
  ASSERT_EQ(raw_query(path, "PRAGMA user_version"), "1");

  auto l = Ledger::open(path);
  EXPECT_EQ(l->schema_version(), kSchemaVersion);
  EXPECT_EQ(raw_query(path, "PRAGMA user_version"), std::to_string(kSchemaVersion));
  // v3: provenance columns exist and old rows have them empty.
  EXPECT_EQ(raw_query(path, "SELECT COUNT(*) FROM pragma_table_info('cases') WHERE name = 'provenance'"), "1");
  EXPECT_EQ(raw_query(path, "SELECT name FROM sqlite_master WHERE name = 'events'"), "events");
  EXPECT_EQ(raw_query(path, "SELECT name FROM sqlite_master WHERE name = 'runs_uid'"), "runs_uid");

  auto runs = l->runs();
  ASSERT_EQ(runs.size(), 2u);
  EXPECT_TRUE(is_uid(runs[0].info.uid)) << runs[0].info.uid;
  EXPECT_TRUE(is_uid(runs[1].info.uid)) << runs[1].info.uid;
  EXPECT_NE(runs[0].info.uid, runs[1].info.uid);  // randomblob per row, not once
  EXPECT_EQ(runs[0].info.git_sha, "aaa");
  EXPECT_EQ(runs[0].finished, "2024-01-01T00:01:00.000Z");
  EXPECT_EQ(runs[1].info.seed, UINT64_MAX);
  EXPECT_EQ(runs[1].cases, 2);
  EXPECT_EQ(runs[1].non_pass, 1);
  auto c = l->case_by_id(2);
  ASSERT_TRUE(c);
  EXPECT_EQ(c->op, "exp");
  EXPECT_EQ(c->max_ulp, 9);
  EXPECT_EQ(c->attribution, "oracle_closer");
  ASSERT_TRUE(l->drift_for_case(2));
  EXPECT_EQ(l->drift_for_case(2)->message, "mismatch");

  // The new table works on the migrated file, and the uids are stable on reopen.
  l->add_event(EventRow{0, 2, 2, "exp", "float32", "nan_produced", "x"});
  std::string uid1 = runs[0].info.uid;
  l.reset();
  l = Ledger::open(path);
  EXPECT_EQ(l->run(1)->info.uid, uid1);
  ASSERT_EQ(l->events(2).size(), 1u);
  EXPECT_EQ(l->integrity_check(), "ok");
}

TEST(LedgerMigration, BeginRunGeneratesUniqueUidsAndKeepsGivenOnes) {
  TempDir dir;
  auto l = Ledger::open(dir.file("l.db"));
  std::set<std::string> uids;
  for (int i = 0; i < 50; ++i) {
    int64_t id = l->begin_run(RunInfo{});
    std::string uid = l->run(id)->info.uid;
    EXPECT_TRUE(is_uid(uid)) << uid;
    uids.insert(uid);
  }
  EXPECT_EQ(uids.size(), 50u);

  RunInfo given;
  given.uid = "shard-3-of-8";
  int64_t id = l->begin_run(given);
  EXPECT_EQ(l->run(id)->info.uid, "shard-3-of-8");
  try {
    l->begin_run(given);
    FAIL() << "a duplicate uid was accepted";
  } catch (const ft::Error& e) {
    EXPECT_NE(std::string(e.what()).find("uid 'shard-3-of-8' is already run " + std::to_string(id)),
              std::string::npos)
        << e.what();
  }
  EXPECT_EQ(l->runs().size(), 51u);  // the refused run left no row
}

TEST(LedgerProvenance, DigestAndRecordRoundTripAndMerge) {
  TempDir dir;
  std::string a = dir.file("a.db"), b = dir.file("b.db");
  int64_t run = 0;
  {
    auto l = Ledger::open(a);
    run = l->begin_run(RunInfo{});
    CaseRow row;
    row.run_id = run;
    row.suite = "backward";
    row.op = "mul";
    row.variant = "functional";
    row.dtype = "float64";
    row.mode = "strict";
    row.outcome = "drift";
    row.provenance = "abc123";
    DriftRow d;
    d.message = "m";
    d.provenance_record = "{\"digest\":\"abc123\"}";
    l->add_case(row, d);
    l->flush();
    auto back = l->cases(run);
    ASSERT_EQ(back.size(), 1u);
    EXPECT_EQ(back[0].provenance, "abc123");
    auto dr = l->drift_for_case(back[0].id);
    ASSERT_TRUE(dr.has_value());
    EXPECT_EQ(dr->provenance_record, "{\"digest\":\"abc123\"}");
  }
  auto m = Ledger::open(b);
  m->merge_from(a);
  auto cases = m->cases(m->latest_run_id());
  ASSERT_EQ(cases.size(), 1u);
  EXPECT_EQ(cases[0].provenance, "abc123");
  EXPECT_EQ(m->drift_for_case(cases[0].id)->provenance_record, "{\"digest\":\"abc123\"}");
}

}  // namespace
}  // namespace ft::ledger
