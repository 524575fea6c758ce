// Ledger schema tests: creation, reopen, refusing newer schemas and foreign files.
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <fstream>

#include "ft/error.h"
#include "ft/ledger/ledger.h"
#include "raw_sql.h"
#include "temp_dir.h"

namespace ft::ledger {
namespace {

using testing::raw_exec;
using testing::raw_query;
using testing::TempDir;

std::string open_error(const std::string& path) {
  try {
    Ledger::open(path);
  } catch (const ft::Error& e) {
    return e.what();
  }
  return "";
}

TEST(LedgerSchema, CreatesSchemaAndStoresVersion) {
  TempDir dir;
  std::string path = dir.file("l.db");
  {
    auto l = Ledger::open(path);
    EXPECT_EQ(l->schema_version(), kSchemaVersion);
    EXPECT_EQ(l->latest_run_id(), 0);
    EXPECT_TRUE(l->runs().empty());
  }
  EXPECT_EQ(raw_query(path, "SELECT value FROM meta WHERE key='app'"), "frankentorch-ledger");
  EXPECT_EQ(raw_query(path, "SELECT value FROM meta WHERE key='schema_version'"),
            std::to_string(kSchemaVersion));
  EXPECT_EQ(raw_query(path, "PRAGMA user_version"), std::to_string(kSchemaVersion));
  EXPECT_EQ(raw_query(path, "PRAGMA journal_mode"), "wal");
  for (const char* t : {"runs", "cases", "drift", "events"})
    EXPECT_EQ(raw_query(path, std::string("SELECT name FROM sqlite_master WHERE name='") + t + "'"),
              t);
  for (const char* i : {"cases_run_op_dtype", "cases_run_outcome", "runs_uid", "events_run"})
    EXPECT_EQ(raw_query(path, std::string(
                                  "SELECT name FROM sqlite_master WHERE type='index' AND name='") +
                                  i + "'"),
              i);
}

TEST(LedgerSchema, ReopenKeepsData) {
  TempDir dir;
  std::string path = dir.file("l.db");
  int64_t run_id = 0;
  {
    auto l = Ledger::open(path);
    RunInfo info;
    info.git_sha = "abc123";
    run_id = l->begin_run(info);
  }
  auto l = Ledger::open(path);
  EXPECT_EQ(l->schema_version(), kSchemaVersion);
  ASSERT_EQ(l->runs().size(), 1u);
  EXPECT_EQ(l->latest_run_id(), run_id);
  EXPECT_EQ(l->run(run_id)->info.git_sha, "abc123");
}

TEST(LedgerSchema, EmptyFileIsInitialized) {
  TempDir dir;
  std::string path = dir.file("empty.db");
  std::ofstream(path).close();
  auto l = Ledger::open(path);
  EXPECT_EQ(l->schema_version(), kSchemaVersion);
}

TEST(LedgerSchema, NewerSchemaIsRefused) {
  TempDir dir;
  std::string path = dir.file("l.db");
  Ledger::open(path).reset();
  raw_exec(path, "UPDATE meta SET value='99' WHERE key='schema_version'");
  std::string msg = open_error(path);
  EXPECT_NE(msg.find("has schema version 99 but this ftorch understands up to " +
                     std::to_string(kSchemaVersion)),
            std::string::npos)
      << msg;
  EXPECT_NE(msg.find("upgrade ftorch or use a new ledger path"), std::string::npos) << msg;
  EXPECT_NE(msg.find(path), std::string::npos) << msg;
  // Only user_version forged: still refused.
  raw_exec(path, "UPDATE meta SET value='1' WHERE key='schema_version'; PRAGMA user_version=7");
  EXPECT_NE(open_error(path).find("schema version 7"), std::string::npos);
}

TEST(LedgerSchema, NonSqliteFileIsRefused) {
  TempDir dir;
  std::string path = dir.file("notes.txt");
  std::ofstream(path) << "these are not the rows you are looking for\n";
  std::string msg = open_error(path);
  EXPECT_NE(msg.find("is not a SQLite database"), std::string::npos) << msg;
  // And it is left untouched.
  std::ifstream in(path);
  std::string line;
  std::getline(in, line);
  EXPECT_EQ(line, "these are not the rows you are looking for");
}

TEST(LedgerSchema, ForeignSqliteDatabaseIsRefusedUntouched) {
  TempDir dir;
  std::string path = dir.file("other.db");
  raw_exec(path, "CREATE TABLE customers(id INTEGER PRIMARY KEY, name TEXT)");
  std::string msg = open_error(path);
  EXPECT_NE(msg.find("not a FrankenTorch ledger"), std::string::npos) << msg;
  EXPECT_NE(msg.find("customers"), std::string::npos) << msg;
  EXPECT_EQ(raw_query(path, "SELECT COUNT(*) FROM sqlite_master WHERE name='meta'"), "0");
  EXPECT_EQ(raw_query(path, "PRAGMA journal_mode"), "delete");  // not switched to WAL

  std::string path2 = dir.file("other_meta.db");
  raw_exec(path2,
           "CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT);"
           "INSERT INTO meta VALUES ('app', 'someone-else')");
  msg = open_error(path2);
  EXPECT_NE(msg.find("app = 'someone-else'"), std::string::npos) << msg;
}

TEST(LedgerSchema, MissingDirectoryGivesHint) {
  TempDir dir;
  std::string msg = open_error(dir.file("no/such/dir/l.db"));
  EXPECT_NE(msg.find("cannot open ledger"), std::string::npos) << msg;
  EXPECT_NE(msg.find("directory exists"), std::string::npos) << msg;
}

}  // namespace
}  // namespace ft::ledger
