// Thin RAII helpers over the SQLite C API, private to the ledger.
//
// Every failing SQLite call becomes an ft::Error naming the ledger path, the
// statement that failed and SQLite's own message, so a user sees what broke
// and where instead of a bare return code.
#pragma once

#include <sqlite3.h>

#include <cstdint>
#include <optional>
#include <string>

namespace ft::ledger::detail {

// Throws ft::Error when `rc` is not one of the success codes.
void check_sqlite(sqlite3* db, int rc, const std::string& path, const char* what);

// Runs one or more SQL statements that return no rows.
void exec(sqlite3* db, const std::string& path, const char* sql);

// A prepared statement. Binding indices are 1-based (SQLite's convention),
// column indices 0-based. reset() makes it reusable without re-preparing.
class Stmt {
 public:
  Stmt(sqlite3* db, const std::string& path, const char* sql, bool persistent = false);
  ~Stmt();
  Stmt(const Stmt&) = delete;
  Stmt& operator=(const Stmt&) = delete;

  Stmt& bind(int i, const std::string& v);
  Stmt& bind(int i, int64_t v);
  Stmt& bind(int i, int v) { return bind(i, static_cast<int64_t>(v)); }
  // NOTE [ NaN in the ledger ]
  // SQLite cannot store a NaN REAL: binding one stores NULL. The ledger
  // therefore binds NaN as NULL on purpose and every double column reads NULL
  // back as NaN (column_double). +-inf are stored as REAL and survive as is.
  Stmt& bind(int i, double v);
  Stmt& bind_null(int i);
  // Binds column `c` of `from`'s current row as stored (type and NULL kept),
  // even across connections: merge_from copies rows without reinterpreting them.
  Stmt& bind_column(int i, const Stmt& from, int c);

  // Steps once: true when a row is available, false when done.
  bool step();
  // Steps a statement that must not return rows (INSERT/UPDATE).
  void run();
  void reset();

  std::string column_text(int c) const;
  int64_t column_int(int c) const;
  double column_double(int c) const;  // NULL -> NaN, see NOTE [ NaN in the ledger ]
  bool column_is_null(int c) const;

 private:
  sqlite3* db_;
  std::string path_;  // copied: a Stmt may outlive the caller's string
  sqlite3_stmt* stmt_ = nullptr;
  const char* sql_;
};

// uint64 values (seeds) are stored as decimal TEXT so that values >= 2^63 stay
// exact and readable in the sqlite3 shell.
std::string u64_to_text(uint64_t v);
uint64_t text_to_u64(const std::string& s, const std::string& path);

}  // namespace ft::ledger::detail
