// A small RAII layer over the SQLite C API for the history: one connection, prepared
// statements, BEGIN IMMEDIATE transactions, and errors as Status with the path and SQLite's text.
// A SqliteDb is used by one thread at a time; open one per thread or process.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "lean/base/status.h"

struct sqlite3;
struct sqlite3_stmt;

namespace guestbackup::history {

class SqliteDb;

// A prepared statement. Must not outlive the SqliteDb that prepared it.
class Statement {
 public:
  Statement(Statement&& other) noexcept;
  Statement& operator=(Statement&& other) noexcept;
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;
  ~Statement();

  // Parameters are numbered from 1. A failed bind is reported by the next Step(), so call
  // sites can bind several values without checking each.
  void Bind(int index, std::int64_t value);
  void Bind(int index, std::string_view value);
  void Bind(int index, std::optional<std::int64_t> value);  // nullopt binds NULL
  void Bind(int index, const char* value) { Bind(index, std::string_view(value)); }

  // Returns true when a row is ready to read, false when the statement is done.
  Result<bool> Step();
  // Runs a statement that returns no rows.
  Status Run();
  // Makes the statement ready to run again; bindings are kept until rebound.
  void Reset();

  // Columns are numbered from 0.
  std::int64_t ColumnInt(int column) const;
  std::optional<std::int64_t> ColumnOptionalInt(int column) const;  // NULL -> nullopt
  std::string ColumnText(int column) const;                         // NULL -> ""

 private:
  friend class SqliteDb;
  Statement(SqliteDb* db, sqlite3_stmt* stmt) : db_(db), stmt_(stmt) {}
  void NoteBindError(int rc, int index);

  SqliteDb* db_ = nullptr;
  sqlite3_stmt* stmt_ = nullptr;
  Status bind_error_;
};

// Rolls back on destruction unless Commit() succeeded.
class Transaction {
 public:
  Transaction(Transaction&& other) noexcept;
  Transaction& operator=(Transaction&&) = delete;
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;
  ~Transaction();

  Status Commit();

 private:
  friend class SqliteDb;
  explicit Transaction(SqliteDb* db) : db_(db) {}

  SqliteDb* db_ = nullptr;  // null once committed, rolled back or moved from
};

enum class OpenMode {
  kReadWrite,  // the caller creates the file first, so it can choose the file mode
  kReadOnly,   // never writes the database; a WAL database still needs its -shm file
  // Reads the main file alone, as if nothing could change it: no -shm, no -wal (so changes not
  // yet checkpointed are not seen). For when even a reader's -shm cannot be made.
  kImmutable,
};

class SqliteDb {
 public:
  // Opens an existing database file. Errors are kIo with the path and SQLite's message.
  static Result<std::unique_ptr<SqliteDb>> Open(const std::string& path,
                                                OpenMode mode = OpenMode::kReadWrite);
  ~SqliteDb();
  SqliteDb(const SqliteDb&) = delete;
  SqliteDb& operator=(const SqliteDb&) = delete;

  // How long a statement waits for another connection's lock before failing with SQLITE_BUSY.
  Status SetBusyTimeout(int milliseconds);

  // Runs one or more statements that return no rows (DDL, PRAGMA settings).
  Status Exec(std::string_view sql);
  Result<Statement> Prepare(std::string_view sql);
  // Runs a query and returns the first column of its first row as text.
  Result<std::string> QueryText(std::string_view sql);
  Result<std::int64_t> QueryInt(std::string_view sql);

  // Takes the write lock up front, so a concurrent writer waits on the busy timeout instead of
  // failing when a read transaction would otherwise need to be upgraded.
  Result<Transaction> BeginImmediate();

  std::int64_t LastInsertRowId() const;
  int Changes() const;  // rows changed by the last INSERT/UPDATE/DELETE
  // True when the last failure means the file is damaged or not a database at all.
  bool LastErrorIsCorruption() const;
  // True when the last failure was SQLITE_BUSY (another connection holds a lock).
  bool LastErrorIsBusy() const;

  const std::string& path() const { return path_; }

  // A kIo Status "<path>: <what>: <SQLite's message>" for the last failed call (rc is its code).
  Status Error(int rc, std::string_view what) const;

 private:
  SqliteDb(std::string path, sqlite3* db) : path_(std::move(path)), db_(db) {}

  std::string path_;
  sqlite3* db_ = nullptr;
};

}  // namespace guestbackup::history
