// SQLite RAII helpers for the ledger (see sqlite_util.h).
#include "sqlite_util.h"

#include <charconv>
#include <cmath>
#include <limits>

#include "ft/error.h"

namespace ft::ledger::detail {

void check_sqlite(sqlite3* db, int rc, const std::string& path, const char* what) {
  if (rc == SQLITE_OK || rc == SQLITE_ROW || rc == SQLITE_DONE) return;
  const char* msg = db ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
  if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED) {
    FT_ERROR("ledger ", path, ": database is locked while running `", what, "` (", msg,
             "): another process holds a write lock; wait for it to finish or use a different "
             "--ledger path");
  }
  if (rc == SQLITE_FULL) {
    FT_ERROR("ledger ", path, ": disk full while running `", what, "`: free space and retry");
  }
  if (rc == SQLITE_CORRUPT || rc == SQLITE_NOTADB) {
    FT_ERROR("ledger ", path, " is corrupt or not a SQLite database (", msg, " during `", what,
             "`): move it aside and start a new ledger");
  }
  FT_ERROR("ledger ", path, ": SQLite error ", rc, " (", msg, ") during `", what,
           "`: check that the file is writable and not on a network filesystem without locking");
}

void exec(sqlite3* db, const std::string& path, const char* sql) {
  char* err = nullptr;
  int rc = sqlite3_exec(db, sql, nullptr, nullptr, &err);
  if (err) sqlite3_free(err);  // check_sqlite reads sqlite3_errmsg instead
  check_sqlite(db, rc, path, sql);
}

Stmt::Stmt(sqlite3* db, const std::string& path, const char* sql, bool persistent)
    : db_(db), path_(path), sql_(sql) {
  // PERSISTENT hints SQLite that the statement is kept and reused (flush()).
  unsigned flags = persistent ? SQLITE_PREPARE_PERSISTENT : 0;
  check_sqlite(db_, sqlite3_prepare_v3(db_, sql, -1, flags, &stmt_, nullptr), path_, sql);
}

Stmt::~Stmt() { sqlite3_finalize(stmt_); }

Stmt& Stmt::bind(int i, const std::string& v) {
  check_sqlite(db_,
               sqlite3_bind_text(stmt_, i, v.data(), static_cast<int>(v.size()), SQLITE_TRANSIENT),
               path_, sql_);
  return *this;
}

Stmt& Stmt::bind(int i, int64_t v) {
  check_sqlite(db_, sqlite3_bind_int64(stmt_, i, v), path_, sql_);
  return *this;
}

Stmt& Stmt::bind(int i, double v) {
  if (std::isnan(v)) return bind_null(i);
  check_sqlite(db_, sqlite3_bind_double(stmt_, i, v), path_, sql_);
  return *this;
}

Stmt& Stmt::bind_null(int i) {
  check_sqlite(db_, sqlite3_bind_null(stmt_, i), path_, sql_);
  return *this;
}

Stmt& Stmt::bind_column(int i, const Stmt& from, int c) {
  check_sqlite(db_, sqlite3_bind_value(stmt_, i, sqlite3_column_value(from.stmt_, c)), path_,
               sql_);
  return *this;
}

bool Stmt::step() {
  int rc = sqlite3_step(stmt_);
  check_sqlite(db_, rc, path_, sql_);
  return rc == SQLITE_ROW;
}

void Stmt::run() {
  int rc = sqlite3_step(stmt_);
  check_sqlite(db_, rc, path_, sql_);
  FT_INTERNAL_ASSERT(rc == SQLITE_DONE, "statement returned rows: ", sql_);
}

void Stmt::reset() {
  // reset() returns the error of the last step, which was already reported.
  sqlite3_reset(stmt_);
  sqlite3_clear_bindings(stmt_);
}

std::string Stmt::column_text(int c) const {
  const unsigned char* p = sqlite3_column_text(stmt_, c);
  if (!p) return {};
  return std::string(reinterpret_cast<const char*>(p), sqlite3_column_bytes(stmt_, c));
}

int64_t Stmt::column_int(int c) const { return sqlite3_column_int64(stmt_, c); }

double Stmt::column_double(int c) const {
  if (column_is_null(c)) return std::numeric_limits<double>::quiet_NaN();
  return sqlite3_column_double(stmt_, c);
}

bool Stmt::column_is_null(int c) const { return sqlite3_column_type(stmt_, c) == SQLITE_NULL; }

std::string u64_to_text(uint64_t v) { return std::to_string(v); }

uint64_t text_to_u64(const std::string& s, const std::string& path) {
  uint64_t v = 0;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  FT_CHECK(ec == std::errc() && end == s.data() + s.size() && !s.empty(), "ledger ", path,
           " holds a seed '", s,
           "' that is not an unsigned 64-bit decimal: the file was edited "
           "or corrupted; start a new ledger");
  return v;
}

}  // namespace ft::ledger::detail
