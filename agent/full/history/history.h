// The local job history: one SQLite database (WAL, busy timeout, versioned migrations).
// Every `guestbackup run` writes a `running` row first and a final row last; rows left
// `running` by a process that is gone become `interrupted` the next time it is opened.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "lean/base/status.h"
#include "lean/contract/run_status.h"
#include "lean/platform/process_identity.h"

namespace guestbackup::history {

using contract::RunStatus;

struct FileError {
  std::string path;
  std::string error;
};

// A run's `shadow_copy`: whether kopia read its files from volume shadow copies (Windows).
inline constexpr std::string_view kShadowCopyNotAsked;           // the job's snapshot: none
inline constexpr std::string_view kShadowCopyUsed = "used";      // for every path
inline constexpr std::string_view kShadowCopyPartly = "partly";  // for some paths
inline constexpr std::string_view kShadowCopyUnavailable = "unavailable";  // asked, for no path

struct RunRecord {
  std::int64_t id = 0;
  std::string job;
  std::string trigger;                 // a contract::TriggerName
  std::int64_t start_ms = 0;           // unix epoch milliseconds
  std::optional<std::int64_t> end_ms;  // unset while running
  RunStatus status = RunStatus::kRunning;
  std::vector<std::string> snapshot_ids;  // one per backed-up path
  std::int64_t files = 0;
  std::int64_t bytes = 0;
  std::int64_t errors = 0;
  std::vector<FileError> file_errors;  // the files that failed (at most 100 kept)
  std::string message;                 // one line, human readable; never a secret
  platform::ProcessIdentity process;   // of the process that began the run
  std::string shadow_copy;             // a kShadowCopy* value
};

struct RunOutcome {
  RunStatus status = RunStatus::kFailed;
  std::int64_t end_ms = 0;
  std::vector<std::string> snapshot_ids;
  std::int64_t files = 0;
  std::int64_t bytes = 0;
  std::int64_t errors = 0;
  std::vector<FileError> file_errors;
  std::string message;
  std::string shadow_copy;  // a kShadowCopy* value
};

struct RunQuery {
  std::string job;  // "" = all jobs
  int limit = 20;   // newest first; <= 0 = no limit
};

// Which finished rows are kept; 0 = no limit.
struct Retention {
  int keep_days = 0;  // rows that started longer ago go, whatever their job
  int keep_runs = 0;  // per job: rows beyond its newest keep_runs go
};

// How many rows a job has had with one status (for the metrics' run counters).
struct RunCount {
  std::string job;
  RunStatus status = RunStatus::kRunning;
  std::int64_t count = 0;
};

using LivenessCheck = std::function<bool(const platform::ProcessIdentity&)>;
using Clock = std::function<std::int64_t()>;  // unix epoch milliseconds

// One HistoryDb per thread; any number of objects, threads and processes may share one file.
// Every write takes the write lock up front (BEGIN IMMEDIATE) and waits up to the busy timeout
// for other writers.
class HistoryDb {
 public:
  // Opens (creating with mode 0600 if missing) and migrates the database, then marks
  // `running` rows whose process is gone as `interrupted`. `is_alive` defaults to
  // platform::IsProcessAlive, `now_ms` to the system clock. Errors carry the path and
  // SQLite's message; a database written by a newer guestbackup is refused (kFailed).
  static Result<std::unique_ptr<HistoryDb>> Open(const std::string& path,
                                                 LivenessCheck is_alive = {}, Clock now_ms = {});
  // For commands that only read (history, status): writes nothing, so it works on a full disk
  // or a read-only file system. A missing file reads as an empty history and is not created;
  // `running` rows whose process is gone read as `interrupted`, as Open would mark them. A
  // history of an older schema goes through Open instead (migrating is the one write a reader
  // makes). When not even a reader's -shm file can be made, the file is read as of its last
  // checkpoint, with a warning that the newest runs may be missing. Writes fail.
  static Result<std::unique_ptr<HistoryDb>> OpenForReading(const std::string& path,
                                                           LivenessCheck is_alive = {},
                                                           Clock now_ms = {});
  ~HistoryDb();
  HistoryDb(const HistoryDb&) = delete;
  HistoryDb& operator=(const HistoryDb&) = delete;

  // Inserts a `running` row for the current process; returns its id. kInvalidArgument when
  // `job` is empty.
  Result<std::int64_t> BeginRun(std::string_view job, std::string_view trigger,
                                std::int64_t start_ms);
  // Writes the final state of a row begun by BeginRun (also one already marked `interrupted`,
  // since the real outcome is better). The message is made one line and capped, file_errors
  // keeps its first 100 entries. kInvalidArgument for a `running` outcome, kNotFound for an
  // unknown id.
  Status FinishRun(std::int64_t id, const RunOutcome& outcome);

  // Marks `running` rows whose process is gone as `interrupted`; returns how many. A row
  // without a process identity (pid NULL, written before schema version 2) counts as gone.
  Result<int> RecoverInterrupted();

  // Newest first (start_ms, then id, descending). A job of "" means every job.
  Result<std::vector<RunRecord>> ListRuns(const RunQuery& query);
  Result<std::optional<RunRecord>> LastRun(std::string_view job);
  Result<std::optional<RunRecord>> LastSuccess(std::string_view job);  // succeeded or partial
  // The newest row that is no longer `running`.
  Result<std::optional<RunRecord>> LastFinishedRun(std::string_view job);
  // Start of the job's oldest row of any status: since when the job has been running.
  Result<std::optional<std::int64_t>> FirstStartMs(std::string_view job);
  // Rows per job and status ever recorded (pruned rows still count), ordered by job then
  // status; statuses without rows are left out.
  Result<std::vector<RunCount>> CountRuns();

  // Deletes at most `batch` finished rows beyond `retention` (oldest first): those older than
  // keep_days, and those of `job` beyond its newest keep_runs. A few rows per run, so a long
  // history shrinks over a few runs without one run paying for it all. Returns how many.
  Result<int> Prune(std::string_view job, const Retention& retention, int batch = 200);

  // Runs PRAGMA integrity_check; returns its text ("ok" when healthy).
  Result<std::string> IntegrityCheck();

  // The schema version after migration (the last one this code knows).
  int SchemaVersion() const;

 private:
  struct Impl;
  explicit HistoryDb(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace guestbackup::history
