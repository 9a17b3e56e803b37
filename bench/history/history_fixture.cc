#include "history/history_fixture.h"

#include <sqlite3.h>
#include <stdlib.h>

#include <chrono>
#include <filesystem>
#include <fstream>

#include "full/history/history.h"

namespace guestbackup::bench {
namespace {

Status Exec(sqlite3* db, const std::string& sql) {
  char* error = nullptr;
  if (sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &error) != SQLITE_OK) {
    std::string message = error != nullptr ? error : "unknown error";
    sqlite3_free(error);
    return Failed("sqlite: " + message);
  }
  return Status::Ok();
}

}  // namespace

Result<HistoryFixture> MakeHistoryFixture(const std::string& parent, std::int64_t rows) {
  std::string pattern = parent + "/guestbackup-bench-history.XXXXXX";
  if (mkdtemp(pattern.data()) == nullptr) return IoError("mkdtemp " + pattern);
  HistoryFixture f;
  f.dir = pattern;
  f.policy_path = f.dir + "/policy.yaml";
  std::filesystem::create_directories(f.dir + "/state");
  f.history_path = f.dir + "/state/history.db";
  {
    std::ofstream policy(f.policy_path);
    policy << "version: 1\nstate_dir: " << f.dir << "/state\njobs:\n";
    for (int j = 0; j < kHistoryJobs; ++j) {
      policy << "  job" << j << ":\n    paths: [/srv/data" << j << "]\n    schedule: daily\n";
    }
  }
  std::filesystem::permissions(
      f.policy_path, std::filesystem::perms::owner_read | std::filesystem::perms::owner_write);
  {
    auto history = history::HistoryDb::Open(f.history_path);  // the real schema
    if (!history.ok()) return history.status();
  }
  sqlite3* db = nullptr;
  if (sqlite3_open(f.history_path.c_str(), &db) != SQLITE_OK) {
    sqlite3_close(db);
    return IoError("cannot open " + f.history_path);
  }
  const std::int64_t now_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                                  std::chrono::system_clock::now().time_since_epoch())
                                  .count();
  constexpr std::int64_t kHourMs = 3'600'000;
  const std::int64_t first = now_ms - (rows + 1) * kHourMs;
  const std::string sql =
      "BEGIN; WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i + 1 < " +
      std::to_string(rows) +
      ") INSERT INTO runs (job, \"trigger\", start_ms, end_ms, status, snapshot_ids, files, "
      "bytes, message, pid, boot_id, start_ticks) SELECT 'job' || (i % " +
      std::to_string(kHistoryJobs) + "), 'timer', " + std::to_string(first) + " + i * " +
      std::to_string(kHourMs) + ", " + std::to_string(first) + " + i * " + std::to_string(kHourMs) +
      " + 60000, CASE WHEN i % 50 = 0 THEN 'failed' ELSE 'succeeded' END, "
      "'[\"0123456789abcdef0123456789abcdef\"]', 1200, 52428800, '1 snapshot, 1200 files, 50.0 "
      "MB', 4242, 'boot', 1 FROM n; COMMIT;";
  Status status = Exec(db, sql);
  if (status.ok()) status = Exec(db, "PRAGMA wal_checkpoint(TRUNCATE)");
  sqlite3_close(db);
  if (!status.ok()) return status;
  return f;
}

}  // namespace guestbackup::bench
