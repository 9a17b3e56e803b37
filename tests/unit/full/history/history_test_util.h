// Helpers shared by the history tests: open a database or fail the test, and reach the raw
// SQLite file to set up states the API cannot produce (old schemas, other boots).
#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "full/history/history.h"
#include "full/history/sqlite_db.h"

namespace guestbackup::history {

inline std::unique_ptr<HistoryDb> OpenOrFail(const std::string& path, LivenessCheck is_alive = {},
                                             Clock now_ms = {}) {
  Result<std::unique_ptr<HistoryDb>> db = HistoryDb::Open(path, std::move(is_alive), now_ms);
  EXPECT_TRUE(db.ok()) << db.status().ToString();
  return db.ok() ? std::move(db).value() : nullptr;
}

inline std::unique_ptr<SqliteDb> RawOpenOrFail(const std::string& path) {
  Result<std::unique_ptr<SqliteDb>> db = SqliteDb::Open(path);
  EXPECT_TRUE(db.ok()) << db.status().ToString();
  return db.ok() ? std::move(db).value() : nullptr;
}

inline void ExecOrFail(SqliteDb& db, const std::string& sql) {
  Status status = db.Exec(sql);
  ASSERT_TRUE(status.ok()) << status.ToString();
}

inline LivenessCheck AlwaysAlive() {
  return [](const platform::ProcessIdentity&) { return true; };
}

inline LivenessCheck NeverAlive() {
  return [](const platform::ProcessIdentity&) { return false; };
}

}  // namespace guestbackup::history
