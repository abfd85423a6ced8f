// Thin RAII wrappers over the SQLite C API used by the store: a Connection
// (one sqlite3 handle plus its cache of prepared statements) and a Stmt
// handle that binds, steps and reads columns, resetting itself when it goes
// out of scope so the cached statement can be reused.
//
// Thread-safety: a Connection and its statements belong to one thread at a
// time (the store hands connections out under a lease or a mutex). SQLite is
// opened with SQLITE_OPEN_NOMUTEX for that reason.
// Invariants: a cached statement is always reset (no bindings, not running)
// when no Stmt refers to it; text bound with Bind() must outlive the step
// (rvalue strings are rejected at compile time for that reason).
#pragma once

#include <sqlite3.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include "common/status.h"

namespace stepline::storage {

// A cached prepared statement in use. Resets (and clears bindings) on destruction.
class Stmt {
 public:
  Stmt(sqlite3_stmt* stmt, sqlite3* db) : stmt_(stmt), db_(db) {}
  Stmt(Stmt&& other) noexcept : stmt_(other.stmt_), db_(other.db_) { other.stmt_ = nullptr; }
  Stmt(const Stmt&) = delete;
  Stmt& operator=(const Stmt&) = delete;
  ~Stmt();

  void Bind(int index, int64_t value);
  void Bind(int index, int value) { Bind(index, static_cast<int64_t>(value)); }
  void Bind(int index, const std::string& value);  // bound without copying
  void Bind(int index, std::string&& value) = delete;
  void Bind(int index, const std::optional<std::string>& value);
  void Bind(int index, const std::optional<int64_t>& value);
  void Bind(int index, std::nullptr_t);
  void BindCopy(int index, std::string_view value);  // SQLite copies the text

  // Binds arguments to parameters 1..N.
  template <typename... Args>
  void BindAll(const Args&... args) {
    int index = 0;
    (Bind(++index, args), ...);
  }

  // SQLITE_ROW, SQLITE_DONE or an error code.
  int Step();
  // Steps a statement that returns no rows; kStorage on error.
  Status Run(const char* what);

  bool IsNull(int col) const;
  int64_t Int(int col) const;
  std::string Text(int col) const;
  std::optional<std::string> OptText(int col) const;
  std::optional<int64_t> OptInt(int col) const;

  sqlite3_stmt* raw() const { return stmt_; }

 private:
  sqlite3_stmt* stmt_;
  sqlite3* db_;
};

class Connection {
 public:
  // Opens `path` (a file name, ":memory:" or a file: URI) with `flags`.
  static Result<std::unique_ptr<Connection>> Open(const std::string& path, int flags);
  ~Connection();
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  // Runs one or more SQL statements that return no rows of interest.
  Status Exec(const std::string& sql);
  // A cached prepared statement for `sql`.
  Result<Stmt> Prepare(const std::string& sql);
  // The same for SQL with static storage duration (a string literal): cached
  // by address, which saves hashing the text on hot paths. Never pass a
  // pointer into a temporary buffer.
  Result<Stmt> PrepareStatic(const char* sql);
  // Runs a single-value query (e.g. "PRAGMA user_version").
  Result<int64_t> QueryInt(const std::string& sql);

  // kStorage status: "<what>: <sqlite message> (<path>)".
  Status Error(std::string_view what) const;
  // The extended result code of the last failure.
  int LastErrorCode() const { return sqlite3_extended_errcode(db_); }
  bool InTransaction() const { return sqlite3_get_autocommit(db_) == 0; }
  sqlite3* raw() const { return db_; }
  const std::string& path() const { return path_; }

 private:
  Connection(sqlite3* db, std::string path) : db_(db), path_(std::move(path)) {}

  sqlite3* db_;
  std::string path_;
  std::unordered_map<std::string, sqlite3_stmt*> cache_;
  std::unordered_map<const char*, sqlite3_stmt*> static_cache_;  // statements owned by cache_
};

}  // namespace stepline::storage
