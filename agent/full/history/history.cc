#include "full/history/history.h"

#include <spdlog/spdlog.h>

#include <chrono>
#include <filesystem>
#include <map>
#include <thread>
#include <tuple>
#include <utility>

#include "full/history/damaged_file.h"
#include "full/history/migrations.h"
#include "full/history/run_encoding.h"
#include "full/history/sqlite_db.h"
#include "lean/platform/file_identity.h"
#include "lean/platform/new_file.h"

namespace guestbackup::history {
namespace {

// Long enough to outwait any other writer: a run writes a handful of small rows.
constexpr int kBusyTimeoutMs = 15'000;

// The row that records a damaged history moved aside: not a job (job names cannot hold
// parentheses), so no job's status or catch-up is affected.
constexpr std::string_view kEventJob = "(history)";
constexpr std::string_view kEventTrigger = "recovery";

constexpr std::string_view kColumns =
    R"(id, job, "trigger", start_ms, end_ms, status, snapshot_ids, files, bytes, errors,
       file_errors, message, pid, boot_id, start_ticks, shadow_copy)";

std::int64_t SystemNowMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// Creates the file ourselves so it is private from the start (0600 whatever the umask on
// Linux); SQLite creates its -wal and -shm files with the mode of the main file. Any failure
// other than "exists" is left for SQLite's open to report, with its own message.
void CreateIfMissing(const std::string& path) { (void)platform::CreateNewPrivateFile(path); }

// Switching a new file to WAL needs an exclusive lock, and SQLite can report SQLITE_BUSY at
// once, without waiting on the busy timeout, while another process opening the same new file
// holds a lock. So retry here, up to the busy timeout.
Result<std::string> SwitchToWal(SqliteDb& db) {
  const auto deadline =
      std::chrono::steady_clock::now() + std::chrono::milliseconds(kBusyTimeoutMs);
  for (;;) {
    Result<std::string> mode = db.QueryText("PRAGMA journal_mode = WAL");
    if (mode.ok() || !db.LastErrorIsBusy() || std::chrono::steady_clock::now() >= deadline) {
      return mode;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
}

Status Configure(SqliteDb& db) {
  GB_RETURN_IF_ERROR(db.SetBusyTimeout(kBusyTimeoutMs));
  Result<std::string> mode = SwitchToWal(db);
  if (!mode.ok()) return mode.status();
  if (*mode != "wal") {
    return IoError(db.path() + ": cannot switch to write-ahead logging (journal mode is \"" +
                   *mode + "\")");
  }
  return db.Exec("PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON;");
}

Result<RunRecord> ReadRecord(const Statement& row) {
  RunRecord record;
  record.id = row.ColumnInt(0);
  record.job = row.ColumnText(1);
  record.trigger = row.ColumnText(2);
  record.start_ms = row.ColumnInt(3);
  record.end_ms = row.ColumnOptionalInt(4);
  const std::string status = row.ColumnText(5);
  const std::optional<RunStatus> parsed = contract::ParseRunStatus(status);
  if (!parsed) return IoError("unknown status \"" + status + "\"");
  record.status = *parsed;
  Result<std::vector<std::string>> ids = DecodeSnapshotIds(row.ColumnText(6));
  if (!ids.ok()) return ids.status();
  record.snapshot_ids = std::move(ids).value();
  record.files = row.ColumnInt(7);
  record.bytes = row.ColumnInt(8);
  record.errors = row.ColumnInt(9);
  Result<std::vector<FileError>> file_errors = DecodeFileErrors(row.ColumnText(10));
  if (!file_errors.ok()) return file_errors.status();
  record.file_errors = std::move(file_errors).value();
  record.message = row.ColumnText(11);
  record.process.pid = static_cast<int>(row.ColumnInt(12));
  record.process.boot_id = row.ColumnText(13);
  record.process.start_ticks = static_cast<std::uint64_t>(row.ColumnInt(14));
  record.shadow_copy = row.ColumnText(15);
  return record;
}

// Every row `stmt` yields; a row that does not decode names its run.
Result<std::vector<RunRecord>> ReadRecords(Statement& stmt, const std::string& path) {
  std::vector<RunRecord> records;
  for (;;) {
    Result<bool> row = stmt.Step();
    if (!row.ok()) return row.status();
    if (!*row) break;
    Result<RunRecord> record = ReadRecord(stmt);
    if (!record.ok()) {
      return record.status().WithContext(path + ": run " + std::to_string(stmt.ColumnInt(0)));
    }
    records.push_back(std::move(record).value());
  }
  return records;
}

std::string InterruptedMessage(const platform::ProcessIdentity& process) {
  const std::string pid = std::to_string(process.pid);
  if (process.pid <= 0) return "interrupted: the run ended without recording a result";
  if (!process.boot_id.empty() && process.boot_id != platform::CurrentBootId()) {
    return "interrupted: the machine restarted while the run (pid " + pid + ") was in progress";
  }
  return "interrupted: the process (pid " + pid + ") ended without recording a result";
}

Status StatusOf(const Status& status) { return status; }
template <typename T>
Status StatusOf(const Result<T>& result) {
  return result.status();
}

}  // namespace

struct HistoryDb::Impl {
  std::string path;
  std::unique_ptr<SqliteDb> db;
  std::uint64_t file = 0;  // the file `db` opened, to move aside only that one
  LivenessCheck is_alive;
  Clock now_ms;
  int schema_version = 0;
  int generation = 0;      // how many times a damaged file was replaced under this object
  bool read_only = false;  // opened by OpenForReading

  // Runs begun here and not finished, so a run begun in a file that was then replaced can
  // still be recorded whole in the new one.
  struct Begun {
    std::string job;
    std::string trigger;
    std::int64_t start_ms = 0;
    int generation = 0;
    std::int64_t row = 0;  // its id in the new history, once re-recorded there
  };
  std::map<std::int64_t, Begun> begun;

  // Opens, configures and migrates `path`; `damaged` tells a failure SQLite blames on the
  // file (not a database, corrupt pages) from others.
  Status Connect(bool& damaged);
  // Moves the damaged file aside, starts a new history in its place and records the event as
  // its first row (unless another process did all that first).
  Status ReplaceDamaged(const Status& cause);
  // `op` once; again on a new history when it failed because the file is damaged.
  template <typename Op>
  auto Retrying(Op op) -> decltype(op()) {
    auto result = op();
    if (result.ok() || read_only || db == nullptr || !db->LastErrorIsCorruption()) return result;
    if (Status replaced = ReplaceDamaged(StatusOf(result)); !replaced.ok()) return replaced;
    return op();
  }
  Result<std::int64_t> Insert(std::string_view job, std::string_view trigger,
                              std::int64_t start_ms);
  Status Finish(std::int64_t id, const RunOutcome& outcome);

  // Rows matching `where` (SQL over the runs table; ?1 is bound to `job` when it is not
  // empty), newest first, at most `limit` (<= 0: all).
  Result<std::vector<RunRecord>> Select(std::string_view where, std::string_view job,
                                        int limit) const;
  // Every `running` row, through the partial index that holds just those: the cost does not
  // grow with the history (sorted by start, the planner would walk all of it).
  Result<std::vector<RunRecord>> Running() const;
  // For a reader, which cannot mark them: `running` rows whose process is gone, shown as
  // RecoverInterrupted would leave them.
  void ShowGoneAsInterrupted(std::vector<RunRecord>& records) const;
  // The newest row of `job` ("" = any) matching `condition`, if any.
  Result<std::optional<RunRecord>> SelectFirst(std::string_view condition, std::string_view job);
};

Result<std::optional<RunRecord>> HistoryDb::Impl::SelectFirst(std::string_view condition,
                                                              std::string_view job) {
  const std::string where =
      job.empty() ? std::string(condition) : "job = ?1 AND " + std::string(condition);
  Result<std::vector<RunRecord>> runs = Select(where, job, 1);
  if (!runs.ok()) return runs.status();
  if (runs->empty()) return std::optional<RunRecord>();
  return std::optional<RunRecord>(std::move(runs->front()));
}

Result<std::vector<RunRecord>> HistoryDb::Impl::Select(std::string_view where, std::string_view job,
                                                       int limit) const {
  std::string sql = "SELECT " + std::string(kColumns) + " FROM runs";
  if (!where.empty()) sql += " WHERE " + std::string(where);
  sql += " ORDER BY start_ms DESC, id DESC LIMIT ?2";
  Result<Statement> stmt = db->Prepare(sql);
  if (!stmt.ok()) return stmt.status();
  if (!job.empty()) stmt->Bind(1, job);
  stmt->Bind(2, std::int64_t{limit > 0 ? limit : -1});
  Result<std::vector<RunRecord>> records = ReadRecords(*stmt, db->path());
  if (records.ok() && read_only) ShowGoneAsInterrupted(*records);
  return records;
}

void HistoryDb::Impl::ShowGoneAsInterrupted(std::vector<RunRecord>& records) const {
  for (RunRecord& run : records) {
    if (run.status != RunStatus::kRunning || is_alive(run.process)) continue;
    run.status = RunStatus::kInterrupted;
    run.end_ms = now_ms();
    run.message = InterruptedMessage(run.process);
  }
}

Result<std::vector<RunRecord>> HistoryDb::Impl::Running() const {
  Result<Statement> stmt =
      db->Prepare("SELECT " + std::string(kColumns) +
                  " FROM runs INDEXED BY runs_running WHERE status = 'running'");
  if (!stmt.ok()) return stmt.status();
  return ReadRecords(*stmt, db->path());
}

HistoryDb::HistoryDb(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
HistoryDb::~HistoryDb() = default;

Status HistoryDb::Impl::Connect(bool& damaged) {
  damaged = false;
  db.reset();
  CreateIfMissing(path);
  file = platform::FileIdentity(path);
  Result<std::unique_ptr<SqliteDb>> opened = SqliteDb::Open(path);
  if (!opened.ok()) return opened.status();
  db = std::move(opened).value();
  Status status = Configure(*db);
  if (status.ok()) {
    Result<int> version = Migrate(*db, HistoryMigrations());
    status = version.status();
    if (version.ok()) schema_version = *version;
  }
  if (!status.ok()) damaged = db->LastErrorIsCorruption();
  return status;
}

Status HistoryDb::Impl::ReplaceDamaged(const Status& cause) {
  db.reset();
  Result<std::string> aside = MoveDamagedAside(path, file, now_ms());
  if (!aside.ok()) return aside.status();
  bool damaged = false;
  GB_RETURN_IF_ERROR(Connect(damaged));
  ++generation;
  if (aside->empty()) return Status::Ok();  // another process replaced it and said so
  const std::string message = "the history " + path + " was damaged (" + cause.message() +
                              "); it was moved aside to " + *aside +
                              " (kept) and a new history started";
  spdlog::warn("{}", message);
  Result<Statement> insert = db->Prepare(
      R"(INSERT INTO runs (job, "trigger", start_ms, end_ms, status, message)
         VALUES (?1, ?2, ?3, ?3, 'failed', ?4))");
  if (!insert.ok()) return insert.status();
  insert->Bind(1, kEventJob);
  insert->Bind(2, kEventTrigger);
  insert->Bind(3, now_ms());
  insert->Bind(4, OneLine(message));
  return insert->Run();
}

Result<std::unique_ptr<HistoryDb>> HistoryDb::Open(const std::string& path, LivenessCheck is_alive,
                                                   Clock now_ms) {
  auto impl = std::make_unique<Impl>();
  impl->path = path;
  impl->is_alive = is_alive ? std::move(is_alive) : LivenessCheck(platform::IsProcessAlive);
  impl->now_ms = now_ms ? std::move(now_ms) : Clock(SystemNowMs);

  bool damaged = false;
  Status status = impl->Connect(damaged);
  if (!status.ok() && damaged) status = impl->ReplaceDamaged(status);
  if (!status.ok()) return status.WithContext("cannot open the history");

  std::unique_ptr<HistoryDb> history(new HistoryDb(std::move(impl)));
  Result<int> recovered = history->RecoverInterrupted();
  if (!recovered.ok()) return recovered.status().WithContext("cannot open the history");
  return history;
}

Result<std::unique_ptr<HistoryDb>> HistoryDb::OpenForReading(const std::string& path,
                                                             LivenessCheck is_alive, Clock now_ms) {
  auto impl = std::make_unique<Impl>();
  impl->path = path;
  impl->is_alive = is_alive ? std::move(is_alive) : LivenessCheck(platform::IsProcessAlive);
  impl->now_ms = now_ms ? std::move(now_ms) : Clock(SystemNowMs);
  impl->read_only = true;
  const auto opened = [&]() -> Result<std::unique_ptr<HistoryDb>> {
    return std::unique_ptr<HistoryDb>(new HistoryDb(std::move(impl)));
  };

  std::error_code ec;
  if (!std::filesystem::exists(path, ec) && !ec) {
    // Nothing recorded yet: an empty history of the current schema, in memory only.
    Result<std::unique_ptr<SqliteDb>> empty = SqliteDb::Open(":memory:");
    if (!empty.ok()) return empty.status().WithContext("cannot read the history");
    Result<int> version = Migrate(**empty, HistoryMigrations());
    if (!version.ok()) return version.status().WithContext("cannot read the history");
    impl->schema_version = *version;
    impl->db = std::move(empty).value();
    return opened();
  }
  for (const OpenMode mode : {OpenMode::kReadOnly, OpenMode::kImmutable}) {
    Result<std::unique_ptr<SqliteDb>> db = SqliteDb::Open(path, mode);
    if (!db.ok()) return db.status().WithContext("cannot read the history");
    if (Status s = (*db)->SetBusyTimeout(kBusyTimeoutMs); !s.ok()) {
      return s.WithContext("cannot read the history");
    }
    // The first read: a WAL database's reader maps (and may have to create) its -shm here.
    Result<bool> current = IsCurrent(**db, HistoryMigrations());
    if (!current.ok()) {
      const bool retry = mode == OpenMode::kReadOnly &&
                         current.status().code() == StatusCode::kIo &&
                         !(*db)->LastErrorIsCorruption() && !(*db)->LastErrorIsBusy();
      if (retry) {
        spdlog::warn("{}: read as of its last checkpoint, the newest runs may be missing ({})",
                     path, current.status().message());
        continue;
      }
      return current.status().WithContext("cannot read the history");
    }
    if (!*current) return Open(path, std::move(impl->is_alive), std::move(impl->now_ms));
    impl->schema_version = static_cast<int>(HistoryMigrations().size());
    impl->db = std::move(db).value();
    return opened();
  }
  return Internal("unreachable");
}

Result<std::int64_t> HistoryDb::BeginRun(std::string_view job, std::string_view trigger,
                                         std::int64_t start_ms) {
  if (job.empty()) return InvalidArgument("a run needs a job name");
  Result<std::int64_t> id = impl_->Retrying([&] { return impl_->Insert(job, trigger, start_ms); });
  if (id.ok()) {
    impl_->begun[*id] = {std::string(job), std::string(trigger), start_ms, impl_->generation};
  }
  return id;
}

Result<std::int64_t> HistoryDb::Impl::Insert(std::string_view job, std::string_view trigger,
                                             std::int64_t start_ms) {
  const platform::ProcessIdentity self = platform::CurrentProcessIdentity();
  Result<Transaction> txn = db->BeginImmediate();
  if (!txn.ok()) return txn.status();
  Result<Statement> insert = db->Prepare(
      R"(INSERT INTO runs (job, "trigger", start_ms, status, pid, boot_id, start_ticks)
         VALUES (?1, ?2, ?3, 'running', ?4, ?5, ?6))");
  if (!insert.ok()) return insert.status();
  insert->Bind(1, job);
  insert->Bind(2, trigger);
  insert->Bind(3, start_ms);
  insert->Bind(4, std::int64_t{self.pid});
  insert->Bind(5, std::string_view(self.boot_id));
  insert->Bind(6, static_cast<std::int64_t>(self.start_ticks));
  GB_RETURN_IF_ERROR(insert->Run());
  const std::int64_t id = db->LastInsertRowId();
  GB_RETURN_IF_ERROR(txn->Commit());
  return id;
}

Status HistoryDb::FinishRun(std::int64_t id, const RunOutcome& outcome) {
  if (outcome.status == RunStatus::kRunning) {
    return InvalidArgument("run " + std::to_string(id) + " cannot finish as \"running\"");
  }
  Status status = impl_->Retrying([&] { return impl_->Finish(id, outcome); });
  impl_->begun.erase(id);
  return status;
}

Status HistoryDb::Impl::Finish(std::int64_t id, const RunOutcome& outcome) {
  // Begun in a file since replaced: the new history gets the whole row.
  if (auto it = begun.find(id); it != begun.end()) {
    Begun& run = it->second;
    if (run.generation != generation) {
      Result<std::int64_t> row = Insert(run.job, run.trigger, run.start_ms);
      if (!row.ok()) return row.status();
      run.generation = generation;
      run.row = *row;
    }
    if (run.row != 0) id = run.row;
  }
  Result<Transaction> txn = db->BeginImmediate();
  if (!txn.ok()) return txn.status();
  Result<Statement> update = db->Prepare(
      R"(UPDATE runs SET status = ?2, end_ms = ?3, snapshot_ids = ?4, files = ?5, bytes = ?6,
                         errors = ?7, file_errors = ?8, message = ?9, shadow_copy = ?10
         WHERE id = ?1)");
  if (!update.ok()) return update.status();
  update->Bind(1, id);
  update->Bind(2, contract::RunStatusName(outcome.status));
  update->Bind(3, outcome.end_ms);
  update->Bind(4, EncodeSnapshotIds(outcome.snapshot_ids));
  update->Bind(5, outcome.files);
  update->Bind(6, outcome.bytes);
  update->Bind(7, outcome.errors);
  update->Bind(8, EncodeFileErrors(outcome.file_errors));
  update->Bind(9, OneLine(outcome.message));
  update->Bind(10, outcome.shadow_copy);
  GB_RETURN_IF_ERROR(update->Run());
  if (db->Changes() == 0) {
    return NotFound(db->path() + ": no run with id " + std::to_string(id));
  }
  return txn->Commit();
}

Result<int> HistoryDb::RecoverInterrupted() {
  if (impl_->read_only) return 0;  // rows read as interrupted instead
  Result<std::vector<RunRecord>> running = impl_->Retrying([&] { return impl_->Running(); });
  if (!running.ok()) return running.status();
  std::vector<const RunRecord*> gone;
  for (const RunRecord& run : *running) {
    if (!impl_->is_alive(run.process)) gone.push_back(&run);
  }
  if (gone.empty()) return 0;

  Result<Transaction> txn = impl_->db->BeginImmediate();
  if (!txn.ok()) return txn.status();
  // The status guard keeps a FinishRun that landed since the SELECT.
  Result<Statement> update = impl_->db->Prepare(
      "UPDATE runs SET status = 'interrupted', end_ms = ?2, message = ?3 "
      "WHERE id = ?1 AND status = 'running'");
  if (!update.ok()) return update.status();
  const std::int64_t now = impl_->now_ms();
  int marked = 0;
  for (const RunRecord* run : gone) {
    update->Reset();
    update->Bind(1, run->id);
    update->Bind(2, now);
    update->Bind(3, InterruptedMessage(run->process));
    GB_RETURN_IF_ERROR(update->Run());
    marked += impl_->db->Changes();
  }
  GB_RETURN_IF_ERROR(txn->Commit());
  return marked;
}

Result<std::vector<RunRecord>> HistoryDb::ListRuns(const RunQuery& query) {
  return impl_->Retrying(
      [&] { return impl_->Select(query.job.empty() ? "" : "job = ?1", query.job, query.limit); });
}

Result<std::optional<RunRecord>> HistoryDb::LastRun(std::string_view job) {
  Result<std::vector<RunRecord>> runs =
      impl_->Retrying([&] { return impl_->Select(job.empty() ? "" : "job = ?1", job, 1); });
  if (!runs.ok()) return runs.status();
  if (runs->empty()) return std::optional<RunRecord>();
  return std::optional<RunRecord>(std::move(runs->front()));
}

Result<std::optional<RunRecord>> HistoryDb::LastSuccess(std::string_view job) {
  return impl_->Retrying(
      [&] { return impl_->SelectFirst("status IN ('succeeded', 'partial')", job); });
}

Result<std::optional<RunRecord>> HistoryDb::LastFinishedRun(std::string_view job) {
  Result<std::optional<RunRecord>> finished =
      impl_->Retrying([&] { return impl_->SelectFirst("status <> 'running'", job); });
  if (!finished.ok() || !impl_->read_only) return finished;
  // A reader also counts the rows it shows as interrupted.
  Result<std::vector<RunRecord>> running = impl_->Running();
  if (!running.ok()) return running.status();
  impl_->ShowGoneAsInterrupted(*running);
  for (RunRecord& run : *running) {
    if (run.status == RunStatus::kRunning || (!job.empty() && run.job != job)) continue;
    const bool newer = !*finished || std::tie(run.start_ms, run.id) >
                                         std::tie((*finished)->start_ms, (*finished)->id);
    if (newer) *finished = std::move(run);
  }
  return finished;
}

Result<std::optional<std::int64_t>> HistoryDb::FirstStartMs(std::string_view job) {
  Result<Statement> stmt = impl_->db->Prepare("SELECT MIN(start_ms) FROM runs WHERE job = ?1");
  if (!stmt.ok()) return stmt.status();
  stmt->Bind(1, job);
  Result<bool> row = stmt->Step();
  if (!row.ok()) return row.status();
  if (!*row || stmt->ColumnText(0).empty()) return std::optional<std::int64_t>();
  return std::optional<std::int64_t>(stmt->ColumnInt(0));
}

Result<std::vector<RunCount>> HistoryDb::CountRuns() {
  // Kept by triggers as rows are added and finish (migration 3), never by counting rows.
  Result<Statement> stmt = impl_->db->Prepare(
      "SELECT job, status, count FROM run_counts WHERE count > 0 ORDER BY job, status");
  if (!stmt.ok()) return stmt.status();
  std::vector<RunCount> counts;
  for (;;) {
    Result<bool> row = stmt->Step();
    if (!row.ok()) return row.status();
    if (!*row) break;
    std::optional<RunStatus> status = contract::ParseRunStatus(stmt->ColumnText(1));
    if (!status) {
      return IoError(impl_->db->path() + ": unknown status \"" + stmt->ColumnText(1) + "\"");
    }
    counts.push_back({stmt->ColumnText(0), *status, stmt->ColumnInt(2)});
  }
  return counts;
}

Result<int> HistoryDb::Prune(std::string_view job, const Retention& retention, int batch) {
  int deleted = 0;
  Result<Transaction> txn = impl_->db->BeginImmediate();
  if (!txn.ok()) return txn.status();
  if (retention.keep_days > 0) {
    constexpr std::int64_t kDayMs = 24LL * 60 * 60 * 1000;
    Result<Statement> old = impl_->db->Prepare(
        "DELETE FROM runs WHERE id IN (SELECT id FROM runs WHERE start_ms < ?1 AND "
        "status <> 'running' ORDER BY start_ms LIMIT ?2)");
    if (!old.ok()) return old.status();
    old->Bind(1, impl_->now_ms() - retention.keep_days * kDayMs);
    old->Bind(2, std::int64_t{batch});
    GB_RETURN_IF_ERROR(old->Run());
    deleted += impl_->db->Changes();
  }
  if (retention.keep_runs > 0 && !job.empty() && deleted < batch) {
    // The job's rows older than its keep_runs-th newest, through the (job, start_ms) index.
    Result<Statement> extra = impl_->db->Prepare(
        "DELETE FROM runs WHERE id IN (SELECT id FROM runs WHERE job = ?1 AND "
        "status <> 'running' AND start_ms < (SELECT start_ms FROM runs WHERE job = ?1 "
        "ORDER BY start_ms DESC, id DESC LIMIT 1 OFFSET ?2) ORDER BY start_ms LIMIT ?3)");
    if (!extra.ok()) return extra.status();
    extra->Bind(1, job);
    extra->Bind(2, std::int64_t{retention.keep_runs - 1});
    extra->Bind(3, std::int64_t{batch - deleted});
    GB_RETURN_IF_ERROR(extra->Run());
    deleted += impl_->db->Changes();
  }
  GB_RETURN_IF_ERROR(txn->Commit());
  return deleted;
}

Result<std::string> HistoryDb::IntegrityCheck() {
  Result<Statement> check = impl_->db->Prepare("PRAGMA integrity_check");
  if (!check.ok()) return check.status();
  std::string text;
  for (;;) {
    Result<bool> row = check->Step();
    if (!row.ok()) return row.status();
    if (!*row) break;
    if (!text.empty()) text += "\n";
    text += check->ColumnText(0);
  }
  return text;
}

int HistoryDb::SchemaVersion() const { return impl_->schema_version; }

}  // namespace guestbackup::history
