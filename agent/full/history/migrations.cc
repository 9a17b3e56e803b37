#include "full/history/migrations.h"

#include <string>

namespace guestbackup::history {
namespace {

// The process identity columns come as a second step so that every fresh database goes
// through ALTER TABLE on an existing table: the upgrade path is exercised by every test,
// not only on machines that still have an old file.
constexpr Migration kHistoryMigrations[] = {
    {1, "create the runs table",
     R"sql(
CREATE TABLE runs (
  id INTEGER PRIMARY KEY,
  job TEXT NOT NULL,
  "trigger" TEXT NOT NULL,
  start_ms INTEGER NOT NULL,
  end_ms INTEGER,
  status TEXT NOT NULL CHECK (status IN
      ('running', 'succeeded', 'partial', 'failed', 'skipped', 'interrupted')),
  snapshot_ids TEXT NOT NULL DEFAULT '[]',
  files INTEGER NOT NULL DEFAULT 0,
  bytes INTEGER NOT NULL DEFAULT 0,
  errors INTEGER NOT NULL DEFAULT 0,
  file_errors TEXT NOT NULL DEFAULT '[]',
  message TEXT NOT NULL DEFAULT ''
);
CREATE INDEX runs_job_start ON runs (job, start_ms);
)sql"},
    {2, "record the process of each run",
     R"sql(
ALTER TABLE runs ADD COLUMN pid INTEGER;
ALTER TABLE runs ADD COLUMN boot_id TEXT;
ALTER TABLE runs ADD COLUMN start_ticks INTEGER;
)sql"},
    // Every command's cost independent of the history's size: indexes for each query the
    // history makes (a partial one per status filter, so the planner walks only matching
    // rows), and the per-job, per-status counters the metrics file reports kept by triggers as
    // rows are added and finish. Counters are totals: pruning old rows leaves them alone, as a
    // Prometheus counter must not go down.
    {3, "index every query and keep run counters",
     R"sql(
CREATE INDEX runs_start ON runs (start_ms);
CREATE INDEX runs_running ON runs (job) WHERE status = 'running';
CREATE INDEX runs_job_success ON runs (job, start_ms) WHERE status IN ('succeeded', 'partial');
CREATE INDEX runs_job_finished ON runs (job, start_ms) WHERE status <> 'running';
CREATE TABLE run_counts (
  job TEXT NOT NULL,
  status TEXT NOT NULL,
  count INTEGER NOT NULL,
  PRIMARY KEY (job, status)
) WITHOUT ROWID;
INSERT INTO run_counts (job, status, count) SELECT job, status, COUNT(*) FROM runs GROUP BY job, status;
CREATE TRIGGER run_counts_insert AFTER INSERT ON runs BEGIN
  INSERT INTO run_counts (job, status, count) VALUES (NEW.job, NEW.status, 1)
    ON CONFLICT (job, status) DO UPDATE SET count = count + 1;
END;
CREATE TRIGGER run_counts_update AFTER UPDATE OF status ON runs
  WHEN OLD.status <> NEW.status BEGIN
  UPDATE run_counts SET count = count - 1 WHERE job = OLD.job AND status = OLD.status;
  INSERT INTO run_counts (job, status, count) VALUES (NEW.job, NEW.status, 1)
    ON CONFLICT (job, status) DO UPDATE SET count = count + 1;
END;
)sql"},
    {4, "record whether a run read its files from volume shadow copies",
     R"sql(
ALTER TABLE runs ADD COLUMN shadow_copy TEXT NOT NULL DEFAULT '';
)sql"},
};

Status TooNew(const SqliteDb& db, int found, int known) {
  return Failed(db.path() + ": the database has schema version " + std::to_string(found) +
                " but this guestbackup knows only up to version " + std::to_string(known) +
                "; it was written by a newer guestbackup, which is needed to read it");
}

Status CheckOrder(std::span<const Migration> migrations) {
  for (std::size_t i = 0; i < migrations.size(); ++i) {
    if (migrations[i].version != static_cast<int>(i) + 1) {
      return Internal("migration \"" + std::string(migrations[i].description) + "\" has version " +
                      std::to_string(migrations[i].version) + ", expected " +
                      std::to_string(i + 1));
    }
  }
  return Status::Ok();
}

// Applies `step` if the database is exactly one version behind it, under the write lock so
// that two processes opening a fresh database do not both apply it.
Status ApplyStep(SqliteDb& db, const Migration& step, int latest) {
  Result<Transaction> txn = db.BeginImmediate();
  if (!txn.ok()) return txn.status();
  Result<int> version = SchemaVersionOf(db);
  if (!version.ok()) return version.status();
  if (*version > latest) return TooNew(db, *version, latest);
  if (*version >= step.version) return Status::Ok();  // another process got here first
  GB_RETURN_IF_ERROR(db.Exec(step.sql).WithContext("schema migration " +
                                                   std::to_string(step.version) + " (" +
                                                   std::string(step.description) + ")"));
  GB_RETURN_IF_ERROR(db.Exec("PRAGMA user_version = " + std::to_string(step.version)));
  return txn->Commit();
}

}  // namespace

std::span<const Migration> HistoryMigrations() { return kHistoryMigrations; }

Result<int> SchemaVersionOf(SqliteDb& db) {
  Result<std::int64_t> version = db.QueryInt("PRAGMA user_version");
  if (!version.ok()) return version.status();
  return static_cast<int>(*version);
}

Result<bool> IsCurrent(SqliteDb& db, std::span<const Migration> migrations) {
  const int latest = static_cast<int>(migrations.size());
  Result<int> version = SchemaVersionOf(db);
  if (!version.ok()) return version.status();
  if (*version > latest) return TooNew(db, *version, latest);
  if (*version < 0) {
    return Failed(db.path() + ": the database has an invalid schema version " +
                  std::to_string(*version));
  }
  return *version == latest;
}

Result<int> Migrate(SqliteDb& db, std::span<const Migration> migrations) {
  GB_RETURN_IF_ERROR(CheckOrder(migrations));
  const int latest = static_cast<int>(migrations.size());
  // Checked without a lock first, so the common case (already current) takes no write lock.
  Result<bool> current = IsCurrent(db, migrations);
  if (!current.ok()) return current.status();
  if (*current) return latest;
  Result<int> version = SchemaVersionOf(db);
  if (!version.ok()) return version.status();
  for (const Migration& step : migrations.subspan(static_cast<std::size_t>(*version))) {
    GB_RETURN_IF_ERROR(ApplyStep(db, step, latest));
  }
  return latest;
}

}  // namespace guestbackup::history
