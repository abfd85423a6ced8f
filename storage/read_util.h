// Helpers shared by the store's read paths (store_reads.cpp,
// execution_reads.cpp): page limits, token keys, and small query runners.
//
// Thread-safety: the runners use the connection or pool they are given.
// Invariants: a paged statement is bound with LIMIT limit+1; CollectPage
// turns the extra row into a next_token and never returns it.
#pragma once

#include <algorithm>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "storage/page_token.h"
#include "storage/reader_pool.h"
#include "storage/store.h"

namespace stepline::storage {

inline constexpr int64_t kMinKey = std::numeric_limits<int64_t>::min();
inline constexpr int64_t kMaxKey = std::numeric_limits<int64_t>::max();

inline int Limit(const PageRequest& page) {
  int n = page.max_results <= 0 ? 100 : page.max_results;
  return std::clamp(n, 1, 1000);
}

inline Status BadToken() { return Status(ErrorCode::kInvalidToken, "Invalid pagination token"); }

// Keyset values decoded from a token.
struct Keys {
  std::vector<int64_t> ints;
  std::vector<std::string> texts;
};

// Decodes a page token whose keys have the given shape ('i' integer,
// 's' string); kInvalidToken when it does not match.
Result<Keys> DecodeKeys(std::string_view query, const PageRequest& page, std::string_view shape);

// Steps `stmt` (bound with LIMIT limit+1) into a page; `key` gives the
// keyset (a Json array) of the current row.
template <typename T, typename ReadFn, typename KeyFn>
Result<Page<T>> CollectPage(Connection& db, Stmt& stmt, int limit, std::string_view query,
                            ReadFn read, KeyFn key) {
  Page<T> page;
  Json last_key;
  int rc;
  while ((rc = stmt.Step()) == SQLITE_ROW) {
    if (static_cast<int>(page.items.size()) == limit) {
      page.next_token = EncodePageToken(query, last_key);
      return page;
    }
    page.items.push_back(read(stmt));
    last_key = key(stmt);
  }
  if (rc != SQLITE_DONE) return db.Error("list");
  return page;
}

template <typename T, typename ReadFn, typename... Args>
Result<std::optional<T>> QueryOne(ReaderPool& pool, const std::string& sql, ReadFn read,
                                  const Args&... args) {
  ASSIGN_OR_RETURN(ReaderPool::Lease lease, pool.Acquire());
  ASSIGN_OR_RETURN(Stmt stmt, lease.db().Prepare(sql));
  stmt.BindAll(args...);
  int rc = stmt.Step();
  if (rc == SQLITE_DONE) return std::optional<T>();
  if (rc != SQLITE_ROW) return lease.db().Error("read");
  return std::optional<T>(read(stmt));
}

template <typename T, typename ReadFn, typename... Args>
Result<std::vector<T>> QueryAll(Connection& db, const std::string& sql, ReadFn read,
                                const Args&... args) {
  ASSIGN_OR_RETURN(Stmt stmt, db.Prepare(sql));
  stmt.BindAll(args...);
  std::vector<T> rows;
  int rc;
  while ((rc = stmt.Step()) == SQLITE_ROW) rows.push_back(read(stmt));
  if (rc != SQLITE_DONE) return db.Error("read");
  return rows;
}

inline std::string Select(const char* columns, const char* rest) {
  return std::string("SELECT ") + columns + " " + rest;
}

}  // namespace stepline::storage
