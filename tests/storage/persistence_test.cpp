// File stores: reopening, schema migrations, and open failures.
#include <catch2/catch.hpp>

#include <fstream>

#include "storage/schema.h"
#include "tests/storage/store_test_util.h"

namespace stepline::storage {
namespace {

using testing::CommitOk;
using testing::OpenOrDie;

WriteBatch EverythingBatch() {
  WriteBatch batch;
  StateMachineRecord sm = testing::SampleMachine("Sm");
  batch.put_state_machines.push_back(sm);
  batch.put_revisions.push_back({sm.arn, "rev-1", sm.definition, sm.role_arn, 1, Json()});
  batch.put_versions.push_back({sm.arn + ":1", sm.arn, 1, "rev-1", "", 1});
  batch.put_aliases.push_back({sm.arn + ":a", sm.arn, "a", "", Json::array(), 1, 1});
  batch.put_activities.push_back(
      {"arn:aws:states:us-east-1:123456789012:activity:A", "A", 1, Json()});
  batch.put_tags[sm.arn] = {{"k", "v"}};
  auto e = testing::SampleExecution("e1");
  batch.insert_executions.push_back(e);
  batch.append_events.push_back(testing::SampleEvents(e.arn, 1, 4));
  return batch;
}

void CheckEverything(Store& store) {
  std::string sm = testing::kMachineArn;
  CHECK(store.GetStateMachine(sm)->has_value());
  CHECK(store.GetRevision(sm, "rev-1")->has_value());
  CHECK(store.GetVersion(sm + ":1")->has_value());
  CHECK(store.GetAlias(sm + ":a")->has_value());
  CHECK(store.GetActivity("arn:aws:states:us-east-1:123456789012:activity:A")->has_value());
  CHECK(store.GetTags(sm)->size() == 1);
  auto events = store.LoadEvents(testing::ExecutionArn("e1"));
  REQUIRE(events.ok());
  CHECK(events->size() == 4);
  CHECK(store.ListRunningExecutions()->size() == 1);
}

TEST_CASE("a reopened file store has everything committed before", "[storage]") {
  testing::TempDir dir;
  std::string path = dir.File("stepline.db");
  {
    auto store = OpenOrDie(path);
    CommitOk(*store, EverythingBatch());
  }
  auto store = OpenOrDie(path);
  CheckEverything(*store);
  // The event sequence continues across the restart.
  WriteBatch more;
  more.append_events.push_back(testing::SampleEvents(testing::ExecutionArn("e1"), 5, 1));
  CommitOk(*store, std::move(more));
  CHECK(store->LoadEvents(testing::ExecutionArn("e1"))->size() == 5);
}

TEST_CASE("opening an older schema migrates it and keeps its rows", "[storage]") {
  testing::TempDir dir;
  std::string path = dir.File("old.db");
  {
    auto db = Connection::Open(path, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
    REQUIRE(db.ok());
    REQUIRE(MigrateSchema(**db, 1).ok());
    CHECK(*(*db)->QueryInt("PRAGMA user_version") == 1);
    REQUIRE((*db)
                ->Exec("INSERT INTO activities(arn, name, creation_date) "
                       "VALUES('arn:a', 'a', 5)")
                .ok());
  }
  {
    auto store = OpenOrDie(path);
    auto act = store->GetActivity("arn:a");
    REQUIRE(act.ok());
    REQUIRE(act->has_value());
    CHECK((*act)->creation_date == 5);
    CommitOk(*store, EverythingBatch());
  }
  auto db = Connection::Open(path, SQLITE_OPEN_READWRITE);
  REQUIRE(db.ok());
  CHECK(*(*db)->QueryInt("PRAGMA user_version") == LatestSchemaVersion());
  CHECK(*(*db)->QueryInt("SELECT count(*) FROM sqlite_master WHERE name = "
                         "'executions_running'") == 1);
}

TEST_CASE("closed map runs are kept across a reopen and listed per execution, oldest first",
          "[storage]") {
  testing::TempDir dir;
  std::string path = dir.File("runs.db");
  std::string exec = testing::ExecutionArn("e1");
  {
    auto store = OpenOrDie(path);
    WriteBatch batch;
    batch.put_map_runs.push_back({"arn:run:2", exec, 20, Json{{"status", "FAILED"}}});
    batch.put_map_runs.push_back({"arn:run:1", exec, 10, Json{{"status", "RUNNING"}}});
    batch.put_map_runs.push_back({"arn:run:x", "arn:other", 5, Json{{"status", "ABORTED"}}});
    CommitOk(*store, std::move(batch));
    WriteBatch replace;  // insert or replace: the run closes
    replace.put_map_runs.push_back({"arn:run:1", exec, 10, Json{{"status", "SUCCEEDED"}}});
    CommitOk(*store, std::move(replace));
  }
  auto store = OpenOrDie(path);
  auto one = store->GetMapRun("arn:run:1");
  REQUIRE(one.ok());
  REQUIRE(one->has_value());
  CHECK((*one)->execution_arn == exec);
  CHECK((*one)->start_date == 10);
  CHECK((*one)->body == Json{{"status", "SUCCEEDED"}});
  CHECK_FALSE(store->GetMapRun("arn:run:none")->has_value());
  auto listed = store->ListMapRuns(exec);
  REQUIRE(listed.ok());
  REQUIRE(listed->size() == 2);
  CHECK((*listed)[0].arn == "arn:run:1");
  CHECK((*listed)[1].arn == "arn:run:2");
}

TEST_CASE("a database from a newer build is refused", "[storage]") {
  testing::TempDir dir;
  std::string path = dir.File("new.db");
  {
    auto db = Connection::Open(path, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
    REQUIRE(db.ok());
    REQUIRE((*db)->Exec("PRAGMA user_version = 999").ok());
  }
  StoreOptions options;
  options.path = path;
  auto store = OpenSqliteStore(options);
  REQUIRE_FALSE(store.ok());
  CHECK(store.status().code() == ErrorCode::kStorage);
  CHECK(store.status().message().find("999") != std::string::npos);
  CHECK(store.status().message().find(path) != std::string::npos);
}

TEST_CASE("a file that is not a database is reported with its path", "[storage]") {
  testing::TempDir dir;
  std::string path = dir.File("junk.db");
  {
    std::ofstream out(path);
    for (int i = 0; i < 200; ++i) out << "this is not a sqlite database at all\n";
  }
  StoreOptions options;
  options.path = path;
  auto store = OpenSqliteStore(options);
  REQUIRE_FALSE(store.ok());
  CHECK(store.status().code() == ErrorCode::kStorage);
  CHECK(store.status().message().find(path) != std::string::npos);
  CHECK(store.status().message().find("not a database") != std::string::npos);
}

TEST_CASE("a missing directory is reported with the path", "[storage]") {
  testing::TempDir dir;
  std::string path = dir.File("no/such/dir/s.db");
  StoreOptions options;
  options.path = path;
  auto store = OpenSqliteStore(options);
  REQUIRE_FALSE(store.ok());
  CHECK(store.status().code() == ErrorCode::kStorage);
  CHECK(store.status().message().find(path) != std::string::npos);
}

TEST_CASE("the in-memory store supports every operation", "[storage]") {
  auto store = OpenOrDie(":memory:");
  CommitOk(*store, EverythingBatch());
  CheckEverything(*store);
  auto other = OpenOrDie(":memory:");  // each in-memory store is its own database
  CHECK_FALSE(other->GetStateMachine(testing::kMachineArn)->has_value());
}

TEST_CASE("in-memory URIs share one connection between writer and readers", "[storage]") {
  for (const char* path : {"file::memory:", "file:stepline-test?mode=memory"}) {
    auto store = OpenOrDie(path);
    CommitOk(*store, EverythingBatch());
    CheckEverything(*store);
  }
}

}  // namespace
}  // namespace stepline::storage
