#include "full/history/sqlite_db.h"

#include <sqlite3.h>

#include <cstring>
#include <utility>

namespace guestbackup::history {
namespace {

// SQLite's own message, plus the OS error behind it (e.g. "No such file or directory") when
// there is one, since "unable to open database file" alone does not say why.
std::string DescribeError(sqlite3* db, int rc) {
  std::string message = db != nullptr ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
  const int system_errno = db != nullptr ? sqlite3_system_errno(db) : 0;
  const int primary = rc & 0xff;
  if (system_errno != 0 && (primary == SQLITE_CANTOPEN || primary == SQLITE_IOERR)) {
    message += " (";
    message += std::strerror(system_errno);
    message += ")";
  }
  return message;
}

// SQL as quoted in an error: one line, whitespace collapsed, long statements shortened, so a
// failed migration does not produce a many-line message.
std::string Abbreviate(std::string_view sql) {
  constexpr std::size_t kMaxBytes = 80;
  std::string out;
  for (const char c : sql) {
    const bool space = c == ' ' || c == '\n' || c == '\t' || c == '\r';
    if (space && (out.empty() || out.back() == ' ')) continue;
    out.push_back(space ? ' ' : c);
  }
  while (!out.empty() && out.back() == ' ') out.pop_back();
  if (out.size() > kMaxBytes) out = out.substr(0, kMaxBytes - 3) + "...";
  return '"' + out + '"';
}

// `path` as an SQLite URI filename with `query`: the characters a URI gives a meaning to are
// escaped, so any path names the file it names.
std::string FileUri(const std::string& path, std::string_view query) {
  std::string uri = "file:";
  for (const char c : path) {
    if (c == '%' || c == '?' || c == '#') {
      static constexpr char kHex[] = "0123456789ABCDEF";
      const auto byte = static_cast<unsigned char>(c);
      uri += '%';
      uri += kHex[byte >> 4];
      uri += kHex[byte & 0xf];
    } else {
      uri += c;
    }
  }
  return uri + "?" + std::string(query);
}

}  // namespace

// ---- Statement ----

Statement::Statement(Statement&& other) noexcept
    : db_(std::exchange(other.db_, nullptr)),
      stmt_(std::exchange(other.stmt_, nullptr)),
      bind_error_(std::move(other.bind_error_)) {}

Statement& Statement::operator=(Statement&& other) noexcept {
  if (this != &other) {
    sqlite3_finalize(stmt_);
    db_ = std::exchange(other.db_, nullptr);
    stmt_ = std::exchange(other.stmt_, nullptr);
    bind_error_ = std::move(other.bind_error_);
  }
  return *this;
}

Statement::~Statement() { sqlite3_finalize(stmt_); }

void Statement::NoteBindError(int rc, int index) {
  if (rc != SQLITE_OK && bind_error_.ok()) {
    bind_error_ = db_->Error(rc, "cannot bind parameter " + std::to_string(index));
  }
}

void Statement::Bind(int index, std::int64_t value) {
  NoteBindError(sqlite3_bind_int64(stmt_, index, value), index);
}

void Statement::Bind(int index, std::string_view value) {
  NoteBindError(
      sqlite3_bind_text64(stmt_, index, value.data(), value.size(), SQLITE_TRANSIENT, SQLITE_UTF8),
      index);
}

void Statement::Bind(int index, std::optional<std::int64_t> value) {
  if (value) {
    Bind(index, *value);
  } else {
    NoteBindError(sqlite3_bind_null(stmt_, index), index);
  }
}

Result<bool> Statement::Step() {
  if (!bind_error_.ok()) return bind_error_;
  const int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  return db_->Error(rc, "cannot run " + Abbreviate(sqlite3_sql(stmt_)));
}

Status Statement::Run() {
  Result<bool> row = Step();
  if (!row.ok()) return row.status();
  return Status::Ok();
}

void Statement::Reset() {
  sqlite3_reset(stmt_);
  bind_error_ = Status::Ok();
}

std::int64_t Statement::ColumnInt(int column) const { return sqlite3_column_int64(stmt_, column); }

std::optional<std::int64_t> Statement::ColumnOptionalInt(int column) const {
  if (sqlite3_column_type(stmt_, column) == SQLITE_NULL) return std::nullopt;
  return ColumnInt(column);
}

std::string Statement::ColumnText(int column) const {
  const unsigned char* text = sqlite3_column_text(stmt_, column);
  if (text == nullptr) return "";
  const int size = sqlite3_column_bytes(stmt_, column);
  return {reinterpret_cast<const char*>(text), static_cast<std::size_t>(size)};
}

// ---- Transaction ----

Transaction::Transaction(Transaction&& other) noexcept : db_(std::exchange(other.db_, nullptr)) {}

Transaction::~Transaction() {
  // A failed rollback leaves nothing better to do here: SQLite rolls back the open
  // transaction itself when the connection closes.
  if (db_ != nullptr) (void)db_->Exec("ROLLBACK");
}

Status Transaction::Commit() {
  if (db_ == nullptr) return Internal("commit of a transaction that is no longer open");
  Status status = db_->Exec("COMMIT");
  // After a failed COMMIT the transaction may still be open; the destructor rolls it back.
  if (status.ok()) db_ = nullptr;
  return status;
}

// ---- SqliteDb ----

Result<std::unique_ptr<SqliteDb>> SqliteDb::Open(const std::string& path, OpenMode mode) {
  sqlite3* db = nullptr;
  std::string name = path;
  int flags = SQLITE_OPEN_FULLMUTEX;
  switch (mode) {
    case OpenMode::kReadWrite:
      flags |= SQLITE_OPEN_READWRITE;
      break;
    case OpenMode::kReadOnly:
      flags |= SQLITE_OPEN_READONLY;
      break;
    case OpenMode::kImmutable:
      flags |= SQLITE_OPEN_READONLY | SQLITE_OPEN_URI;
      name = FileUri(path, "immutable=1");
      break;
  }
  const int rc = sqlite3_open_v2(name.c_str(), &db, flags, nullptr);
  if (rc != SQLITE_OK) {
    Status status = IoError(path + ": cannot open: " + DescribeError(db, rc));
    sqlite3_close(db);  // SQLite returns a handle even on failure; close accepts null
    return status;
  }
  sqlite3_extended_result_codes(db, 1);
  // Every CLI command opens and closes the database once. Left to itself the last connection
  // to close checkpoints (an fsync of the database) and deletes the WAL, which the next
  // command creates again (more fsyncs): about 15 ms a run. Keeping the WAL between runs
  // costs nothing in safety; SQLite still checkpoints it automatically as it grows.
  sqlite3_db_config(db, SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, 1, nullptr);
  return std::unique_ptr<SqliteDb>(new SqliteDb(path, db));
}

SqliteDb::~SqliteDb() { sqlite3_close_v2(db_); }

Status SqliteDb::SetBusyTimeout(int milliseconds) {
  const int rc = sqlite3_busy_timeout(db_, milliseconds);
  if (rc != SQLITE_OK) return Error(rc, "cannot set the busy timeout");
  return Status::Ok();
}

Status SqliteDb::Exec(std::string_view sql) {
  const std::string text(sql);
  const int rc = sqlite3_exec(db_, text.c_str(), nullptr, nullptr, nullptr);
  if (rc != SQLITE_OK) return Error(rc, "cannot run " + Abbreviate(sql));
  return Status::Ok();
}

Result<Statement> SqliteDb::Prepare(std::string_view sql) {
  sqlite3_stmt* stmt = nullptr;
  const int rc = sqlite3_prepare_v2(db_, sql.data(), static_cast<int>(sql.size()), &stmt, nullptr);
  if (rc != SQLITE_OK) {
    sqlite3_finalize(stmt);
    return Error(rc, "cannot prepare " + Abbreviate(sql));
  }
  return Statement(this, stmt);
}

Result<std::string> SqliteDb::QueryText(std::string_view sql) {
  Result<Statement> stmt = Prepare(sql);
  if (!stmt.ok()) return stmt.status();
  Result<bool> row = stmt->Step();
  if (!row.ok()) return row.status();
  if (!*row) return IoError(path_ + ": " + Abbreviate(sql) + " returned no row");
  return stmt->ColumnText(0);
}

Result<std::int64_t> SqliteDb::QueryInt(std::string_view sql) {
  Result<Statement> stmt = Prepare(sql);
  if (!stmt.ok()) return stmt.status();
  Result<bool> row = stmt->Step();
  if (!row.ok()) return row.status();
  if (!*row) return IoError(path_ + ": " + Abbreviate(sql) + " returned no row");
  return stmt->ColumnInt(0);
}

Result<Transaction> SqliteDb::BeginImmediate() {
  GB_RETURN_IF_ERROR(Exec("BEGIN IMMEDIATE"));
  return Transaction(this);
}

std::int64_t SqliteDb::LastInsertRowId() const { return sqlite3_last_insert_rowid(db_); }

int SqliteDb::Changes() const { return sqlite3_changes(db_); }

bool SqliteDb::LastErrorIsCorruption() const {
  const int primary = sqlite3_errcode(db_) & 0xff;
  return primary == SQLITE_NOTADB || primary == SQLITE_CORRUPT;
}

bool SqliteDb::LastErrorIsBusy() const { return (sqlite3_errcode(db_) & 0xff) == SQLITE_BUSY; }

Status SqliteDb::Error(int rc, std::string_view what) const {
  return IoError(path_ + ": " + std::string(what) + ": " + DescribeError(db_, rc));
}

}  // namespace guestbackup::history
