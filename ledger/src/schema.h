// Ledger file identification and schema migrations, private to the ledger.
#pragma once

#include <sqlite3.h>

#include <string>

namespace ft::ledger::detail {

// The value of meta.app that marks a file as ours.
inline constexpr const char* kLedgerApp = "frankentorch-ledger";

// Refuses (ft::Error) a non-empty file that does not start with the SQLite
// header, before SQLite touches it. A missing or empty file is fine.
void check_file_header(const std::string& path);

// Reads the schema version of an open database without writing to it:
// 0 for an empty database. Refuses a SQLite database that is not a ledger
// and a ledger whose schema is newer than kSchemaVersion.
int identify_ledger(sqlite3* db, const std::string& path);

// Brings the database up to kSchemaVersion, one migration step per version,
// each step in its own IMMEDIATE transaction (so concurrent openers of a new
// file serialize and the second one sees the first one's work).
void migrate(sqlite3* db, const std::string& path);

}  // namespace ft::ledger::detail
