// SqliteStore: the read side. Every read leases a connection from the pool
// and runs one statement, so it sees one consistent snapshot.
//
// Pagination is keyset-based: a page is fetched with LIMIT n+1 after the
// position carried by the token; the extra row only says that a next page
// exists. The first page uses sentinel keys so each listing has one SQL text.
#include "storage/read_util.h"
#include "storage/rows.h"
#include "storage/sqlite_store.h"

namespace stepline::storage {

// Decodes `token` whose keys have the given shape ('i' integer, 's' string).
Result<Keys> DecodeKeys(std::string_view query, const PageRequest& page, std::string_view shape) {
  ASSIGN_OR_RETURN(Json keys, DecodePageToken(query, page.next_token, shape.size()));
  Keys out;
  for (size_t i = 0; i < shape.size(); ++i) {
    if (shape[i] == 'i') {
      if (!keys[i].is_number_integer()) return BadToken();
      out.ints.push_back(keys[i].get<int64_t>());
    } else {
      if (!keys[i].is_string()) return BadToken();
      out.texts.push_back(keys[i].get<std::string>());
    }
  }
  return out;
}

namespace {

// A listing ordered by (creation_date, arn) ascending, optionally within
// one state machine; columns 0 and `date_col` are the arn and creation date.
template <typename T, typename ReadFn>
Result<Page<T>> ListByCreation(ReaderPool& pool, const char* table, const char* columns,
                               int date_col, const std::string& parent, const PageRequest& page,
                               ReadFn read) {
  std::string query = std::string(table) + "|" + parent;
  Keys keys{{kMinKey}, {""}};
  if (!page.next_token.empty()) {
    ASSIGN_OR_RETURN(keys, DecodeKeys(query, page, "is"));
  }
  std::string sql = Select(columns, "FROM ") + table + " WHERE " +
                    (parent.empty() ? "?1 = ''" : "state_machine_arn = ?1") +
                    " AND (creation_date, arn) > (?2, ?3) ORDER BY creation_date, arn LIMIT ?4";
  int limit = Limit(page);
  ASSIGN_OR_RETURN(ReaderPool::Lease lease, pool.Acquire());
  ASSIGN_OR_RETURN(Stmt stmt, lease.db().Prepare(sql));
  stmt.BindAll(parent, keys.ints[0], keys.texts[0], limit + 1);
  return CollectPage<T>(lease.db(), stmt, limit, query, read, [date_col](const Stmt& row) {
    return Json::array({row.Int(date_col), row.Text(0)});
  });
}

}  // namespace

Result<std::optional<StateMachineRecord>> SqliteStore::GetStateMachine(const std::string& arn) {
  if (std::optional<StateMachineRecord> cached = machines_.Get(arn)) return cached;
  uint64_t generation = machines_.Generation();
  ASSIGN_OR_RETURN(std::optional<StateMachineRecord> record,
                   QueryOne<StateMachineRecord>(
                       readers_, Select(kStateMachineColumns, "FROM state_machines WHERE arn = ?"),
                       ReadStateMachine, arn));
  if (record) machines_.Put(generation, *record);
  return record;
}

Result<Page<StateMachineRecord>> SqliteStore::ListStateMachines(const PageRequest& page) {
  return ListByCreation<StateMachineRecord>(readers_, "state_machines", kStateMachineColumns, 8, "",
                                            page, ReadStateMachine);
}

Result<std::optional<RevisionRecord>> SqliteStore::GetRevision(const std::string& state_machine_arn,
                                                               const std::string& revision_id) {
  return QueryOne<RevisionRecord>(
      readers_,
      Select(kRevisionColumns, "FROM revisions WHERE state_machine_arn = ? AND revision_id = ?"),
      ReadRevision, state_machine_arn, revision_id);
}

Result<std::optional<VersionRecord>> SqliteStore::GetVersion(const std::string& arn) {
  return QueryOne<VersionRecord>(readers_, Select(kVersionColumns, "FROM versions WHERE arn = ?"),
                                 ReadVersion, arn);
}

Result<Page<VersionRecord>> SqliteStore::ListVersions(const std::string& state_machine_arn,
                                                      const PageRequest& page) {
  std::string query = "versions|" + state_machine_arn;
  Keys keys{{kMaxKey}, {}};
  if (!page.next_token.empty()) {
    ASSIGN_OR_RETURN(keys, DecodeKeys(query, page, "i"));
  }
  int limit = Limit(page);
  ASSIGN_OR_RETURN(ReaderPool::Lease lease, readers_.Acquire());
  ASSIGN_OR_RETURN(Stmt stmt, lease.db().Prepare(Select(
                                  kVersionColumns,
                                  "FROM versions WHERE state_machine_arn = ? AND version < ? "
                                  "ORDER BY version DESC LIMIT ?")));
  stmt.BindAll(state_machine_arn, keys.ints[0], limit + 1);
  return CollectPage<VersionRecord>(lease.db(), stmt, limit, query, ReadVersion,
                                    [](const Stmt& row) { return Json::array({row.Int(2)}); });
}

Result<std::optional<AliasRecord>> SqliteStore::GetAlias(const std::string& arn) {
  return QueryOne<AliasRecord>(readers_, Select(kAliasColumns, "FROM aliases WHERE arn = ?"),
                               ReadAlias, arn);
}

Result<Page<AliasRecord>> SqliteStore::ListAliases(const std::string& state_machine_arn,
                                                   const PageRequest& page) {
  return ListByCreation<AliasRecord>(readers_, "aliases", kAliasColumns, 5, state_machine_arn, page,
                                     ReadAlias);
}

Result<std::optional<MapRunRecord>> SqliteStore::GetMapRun(const std::string& arn) {
  return QueryOne<MapRunRecord>(readers_, Select(kMapRunColumns, "FROM map_runs WHERE arn = ?"),
                                ReadMapRun, arn);
}

Result<std::vector<MapRunRecord>> SqliteStore::ListMapRuns(const std::string& execution_arn) {
  ASSIGN_OR_RETURN(ReaderPool::Lease lease, readers_.Acquire());
  return QueryAll<MapRunRecord>(
      lease.db(),
      Select(kMapRunColumns, "FROM map_runs WHERE execution_arn = ? ORDER BY start_date, arn"),
      ReadMapRun, execution_arn);
}

Result<std::optional<ActivityRecord>> SqliteStore::GetActivity(const std::string& arn) {
  return QueryOne<ActivityRecord>(
      readers_, Select(kActivityColumns, "FROM activities WHERE arn = ?"), ReadActivity, arn);
}

Result<Page<ActivityRecord>> SqliteStore::ListActivities(const PageRequest& page) {
  return ListByCreation<ActivityRecord>(readers_, "activities", kActivityColumns, 2, "", page,
                                        ReadActivity);
}

Result<std::map<std::string, std::string>> SqliteStore::GetTags(const std::string& arn) {
  ASSIGN_OR_RETURN(ReaderPool::Lease lease, readers_.Acquire());
  using Tag = std::pair<std::string, std::string>;
  ASSIGN_OR_RETURN(std::vector<Tag> rows,
                   QueryAll<Tag>(
                       lease.db(), "SELECT key, value FROM tags WHERE resource_arn = ?",
                       [](const Stmt& row) { return Tag(row.Text(0), row.Text(1)); }, arn));
  return std::map<std::string, std::string>(rows.begin(), rows.end());
}

}  // namespace stepline::storage
