// Versioned schema changes for the history database. The version lives in PRAGMA user_version;
// each step runs in its own transaction, and a database newer than the code is refused.
#pragma once

#include <span>
#include <string_view>

#include "full/history/sqlite_db.h"
#include "lean/base/status.h"

namespace guestbackup::history {

struct Migration {
  int version;                   // 1, 2, 3, ... in order; the user_version after this step
  std::string_view description;  // shown in errors
  std::string_view sql;          // one or more statements
};

// The history schema, oldest step first. Append new steps; never edit a released one.
std::span<const Migration> HistoryMigrations();

// Brings `db` up to the last version in `migrations` and returns that version. Safe to call
// from several processes at once: each step re-reads the version under the write lock.
// Fails (kFailed) when the database is newer than `migrations` knows, leaving it untouched.
Result<int> Migrate(SqliteDb& db, std::span<const Migration> migrations);

// Without writing anything: true when `db` is at the last version of `migrations`, false when
// older (Migrate would bring it up); fails like Migrate when it is newer or invalid.
Result<bool> IsCurrent(SqliteDb& db, std::span<const Migration> migrations);

// The database's PRAGMA user_version.
Result<int> SchemaVersionOf(SqliteDb& db);

}  // namespace guestbackup::history
