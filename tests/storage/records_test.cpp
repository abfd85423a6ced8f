// Round trips of every record type through a store, and deletions.
#include <catch2/catch.hpp>

#include <atomic>
#include <future>
#include <thread>

#include "tests/storage/store_test_util.h"

namespace stepline::storage {
namespace {

using testing::CommitOk;
using testing::OpenOrDie;

TEST_CASE("a state machine reads back with every field", "[storage]") {
  auto store = OpenOrDie(":memory:");
  StateMachineRecord sm = testing::SampleMachine("Sm", 1234);
  sm.type = "EXPRESS";
  sm.description = "d";
  sm.update_date = 5678;
  sm.attributes = Json{{"loggingConfiguration", {{"level", "OFF"}}}, {"label", "x"}};
  WriteBatch batch;
  batch.put_state_machines.push_back(sm);
  CommitOk(*store, std::move(batch));

  auto got = store->GetStateMachine(sm.arn);
  REQUIRE(got.ok());
  REQUIRE(got->has_value());
  const StateMachineRecord& r = **got;
  CHECK(r.arn == sm.arn);
  CHECK(r.name == "Sm");
  CHECK(r.type == "EXPRESS");
  CHECK(r.status == "ACTIVE");
  CHECK(r.definition == sm.definition);
  CHECK(r.role_arn == sm.role_arn);
  CHECK(r.revision_id == "rev-1");
  CHECK(r.description == "d");
  CHECK(r.creation_date == 1234);
  CHECK(r.update_date == 5678);
  CHECK(r.attributes == sm.attributes);
  CHECK(r.attributes.begin().key() == "loggingConfiguration");  // member order kept

  auto missing = store->GetStateMachine(sm.arn + "x");
  REQUIRE(missing.ok());
  CHECK_FALSE(missing->has_value());
}

TEST_CASE("putting a state machine again replaces it", "[storage]") {
  auto store = OpenOrDie(":memory:");
  StateMachineRecord sm = testing::SampleMachine("Sm");
  WriteBatch first;
  first.put_state_machines.push_back(sm);
  CommitOk(*store, std::move(first));
  sm.definition = "{}";
  sm.attributes = Json();
  WriteBatch second;
  second.put_state_machines.push_back(sm);
  CommitOk(*store, std::move(second));
  auto got = store->GetStateMachine(sm.arn);
  REQUIRE(got.ok());
  CHECK((*got)->definition == "{}");
  CHECK((*got)->attributes.is_null());
}

// GetStateMachine is served from a cache (MachineCache): a write that was
// acknowledged must be visible to the next read, from any thread.
TEST_CASE("a state machine read after its update or delete sees the write", "[storage]") {
  testing::TempDir dir;
  auto store = OpenOrDie(dir.File("cache.db"));
  StateMachineRecord sm = testing::SampleMachine("Sm");
  WriteBatch put;
  put.put_state_machines.push_back(sm);
  CommitOk(*store, std::move(put));
  REQUIRE((*store->GetStateMachine(sm.arn))->revision_id == "rev-1");  // now cached

  std::atomic<bool> stop{false};
  std::atomic<int> failed_reads{0};
  std::thread reader([&] {  // keeps re-filling the cache while we write
    while (!stop) {
      if (!store->GetStateMachine(sm.arn).ok()) ++failed_reads;
    }
  });
  for (int i = 2; i <= 50; ++i) {
    sm.revision_id = "rev-" + std::to_string(i);
    WriteBatch update;
    update.put_state_machines.push_back(sm);
    std::string seen_in_callback;
    std::promise<void> done;
    store->Commit(std::move(update), [&](Status st) {  // on the writer thread
      auto read = store->GetStateMachine(sm.arn);
      if (st.ok() && read.ok() && read->has_value()) seen_in_callback = (*read)->revision_id;
      done.set_value();
    });
    done.get_future().wait();
    CHECK(seen_in_callback == sm.revision_id);
    CHECK((*store->GetStateMachine(sm.arn))->revision_id == sm.revision_id);
  }
  stop = true;
  reader.join();
  CHECK(failed_reads == 0);

  WriteBatch drop;
  drop.delete_state_machines.push_back(sm.arn);
  CommitOk(*store, std::move(drop));
  auto gone = store->GetStateMachine(sm.arn);
  REQUIRE(gone.ok());
  CHECK_FALSE(gone->has_value());
}

TEST_CASE("revisions, versions and aliases round trip", "[storage]") {
  auto store = OpenOrDie(":memory:");
  RevisionRecord rev{testing::kMachineArn, "rev-2", "{\"a\":1}", "role", 77, Json{{"k", 1}}};
  VersionRecord ver{
      std::string(testing::kMachineArn) + ":1", testing::kMachineArn, 1, "rev-2", "v1", 88};
  AliasRecord alias{std::string(testing::kMachineArn) + ":prod",
                    testing::kMachineArn,
                    "prod",
                    "the alias",
                    Json::array({{{"stateMachineVersionArn", ver.arn}, {"weight", 100}}}),
                    99,
                    100};
  WriteBatch batch;
  batch.put_revisions.push_back(rev);
  batch.put_versions.push_back(ver);
  batch.put_aliases.push_back(alias);
  CommitOk(*store, std::move(batch));

  auto r = store->GetRevision(testing::kMachineArn, "rev-2");
  REQUIRE(r.ok());
  REQUIRE(r->has_value());
  CHECK((*r)->definition == rev.definition);
  CHECK((*r)->role_arn == "role");
  CHECK((*r)->creation_date == 77);
  CHECK((*r)->attributes == rev.attributes);
  CHECK_FALSE(store->GetRevision(testing::kMachineArn, "rev-3")->has_value());

  auto v = store->GetVersion(ver.arn);
  REQUIRE(v.ok());
  REQUIRE(v->has_value());
  CHECK((*v)->version == 1);
  CHECK((*v)->revision_id == "rev-2");
  CHECK((*v)->description == "v1");
  CHECK((*v)->creation_date == 88);
  CHECK((*v)->state_machine_arn == testing::kMachineArn);

  auto a = store->GetAlias(alias.arn);
  REQUIRE(a.ok());
  REQUIRE(a->has_value());
  CHECK((*a)->name == "prod");
  CHECK((*a)->description == "the alias");
  CHECK((*a)->routing_configuration == alias.routing_configuration);
  CHECK((*a)->creation_date == 99);
  CHECK((*a)->update_date == 100);
}

TEST_CASE("an execution reads back with every field, then its update", "[storage]") {
  auto store = OpenOrDie(":memory:");
  ExecutionRecord e = testing::SampleExecution("e1", 4242);
  e.state_machine_version_arn = "v-arn";
  e.state_machine_alias_arn = "a-arn";
  e.map_run_arn = "m-arn";
  e.parent_execution_arn = "p-arn";
  e.trace_header = "Root=1";
  e.attributes = Json{{"extra", true}};
  WriteBatch insert;
  insert.insert_executions.push_back(e);
  CommitOk(*store, std::move(insert));

  auto got = store->GetExecution(e.arn);
  REQUIRE(got.ok());
  REQUIRE(got->has_value());
  const ExecutionRecord& r = **got;
  CHECK(r.name == "e1");
  CHECK(r.status == "RUNNING");
  CHECK(r.input == e.input);
  CHECK_FALSE(r.output.has_value());
  CHECK_FALSE(r.error.has_value());
  CHECK_FALSE(r.stop_date.has_value());
  CHECK(r.start_date == 4242);
  CHECK(r.revision_id == "rev-1");
  CHECK(r.state_machine_version_arn == "v-arn");
  CHECK(r.state_machine_alias_arn == "a-arn");
  CHECK(r.map_run_arn == "m-arn");
  CHECK(r.parent_execution_arn == "p-arn");
  CHECK(r.trace_header == "Root=1");
  CHECK(r.redrive_count == 0);
  CHECK(r.attributes == e.attributes);

  WriteBatch update;
  update.update_executions.push_back(
      {e.arn, "FAILED", std::nullopt, "Boom", "it broke", 5000, std::nullopt, std::nullopt});
  CommitOk(*store, std::move(update));
  auto closed = store->GetExecution(e.arn);
  REQUIRE(closed.ok());
  CHECK((*closed)->status == "FAILED");
  CHECK((*closed)->error == "Boom");
  CHECK((*closed)->cause == "it broke");
  CHECK((*closed)->stop_date == 5000);
  CHECK((*closed)->redrive_count == 0);

  WriteBatch redrive;
  redrive.update_executions.push_back(
      {e.arn, "RUNNING", std::nullopt, std::nullopt, std::nullopt, std::nullopt, 1, 6000});
  CommitOk(*store, std::move(redrive));
  auto again = store->GetExecution(e.arn);
  CHECK((*again)->status == "RUNNING");
  CHECK_FALSE((*again)->stop_date.has_value());
  CHECK_FALSE((*again)->error.has_value());
  CHECK((*again)->redrive_count == 1);
  CHECK((*again)->redrive_date == 6000);
}

TEST_CASE("a child execution is put (insert or replace), updated, and never resumed", "[storage]") {
  auto store = OpenOrDie(":memory:");
  ExecutionRecord child = testing::SampleExecution("child-1");
  child.map_run_arn = "m-arn";
  WriteBatch first;  // started and finished in one batch
  first.put_executions.push_back(child);
  first.update_executions.push_back(testing::Succeeded(child.arn));
  CommitOk(*store, std::move(first));
  CHECK((*store->GetExecution(child.arn))->status == "SUCCEEDED");

  child.redrive_count = 1;  // runs again under the same ARN
  WriteBatch again;
  again.put_executions.push_back(child);
  CommitOk(*store, std::move(again));
  auto got = store->GetExecution(child.arn);
  CHECK((*got)->status == "RUNNING");
  CHECK((*got)->redrive_count == 1);
  CHECK_FALSE((*got)->output.has_value());

  WriteBatch parent;
  parent.insert_executions.push_back(testing::SampleExecution("parent"));
  CommitOk(*store, std::move(parent));
  auto running = store->ListRunningExecutions();
  REQUIRE(running.ok());
  REQUIRE(running->size() == 1);  // the parent resumes its children itself
  CHECK((*running)[0].name == "parent");
  ExecutionQuery query;
  query.map_run_arn = "m-arn";
  auto listed = store->ListExecutions(query);
  REQUIRE(listed.ok());
  REQUIRE(listed->items.size() == 1);
  CHECK(listed->items[0].arn == child.arn);
}

TEST_CASE("updating an unknown execution is ExecutionDoesNotExist", "[storage]") {
  auto store = OpenOrDie(":memory:");
  WriteBatch update;
  update.update_executions.push_back(testing::Succeeded(testing::ExecutionArn("nope")));
  CHECK(store->CommitAndWait(std::move(update)).code() == ErrorCode::kExecutionDoesNotExist);
}

TEST_CASE("history events keep details and engine data", "[storage]") {
  auto store = OpenOrDie(":memory:");
  ExecutionRecord e = testing::SampleExecution("e1");
  WriteBatch batch;
  batch.insert_executions.push_back(e);
  EventAppend append = testing::SampleEvents(e.arn, 1, 3);
  append.events[0].details = Json();  // no details
  append.events[1].engine = Json{{"pc", 7}, {"stack", Json::array({1, 2})}};
  batch.append_events.push_back(append);
  CommitOk(*store, std::move(batch));

  auto events = store->LoadEvents(e.arn);
  REQUIRE(events.ok());
  REQUIRE(events->size() == 3);
  for (size_t i = 0; i < 3; ++i) {
    const HistoryEvent& got = (*events)[i];
    const HistoryEvent& want = append.events[i];
    CHECK(got.id == want.id);
    CHECK(got.previous_event_id == want.previous_event_id);
    CHECK(got.timestamp == want.timestamp);
    CHECK(got.type == want.type);
    CHECK(got.details == want.details);
    CHECK(got.engine == want.engine);
  }
  CHECK((*events)[0].details.is_null());
  CHECK(store->LoadEvents(testing::ExecutionArn("nope")).status().code() ==
        ErrorCode::kExecutionDoesNotExist);
}

TEST_CASE("activities and tags round trip and delete", "[storage]") {
  auto store = OpenOrDie(":memory:");
  ActivityRecord act{"arn:aws:states:us-east-1:123456789012:activity:A", "A", 321,
                     Json{{"encryptionConfiguration", {{"type", "AWS_OWNED_KEY"}}}}};
  WriteBatch batch;
  batch.put_activities.push_back(act);
  batch.put_tags[act.arn] = {{"team", "core"}, {"env", "dev"}};
  CommitOk(*store, std::move(batch));

  auto got = store->GetActivity(act.arn);
  REQUIRE(got.ok());
  REQUIRE(got->has_value());
  CHECK((*got)->name == "A");
  CHECK((*got)->creation_date == 321);
  CHECK((*got)->attributes == act.attributes);
  auto tags = store->GetTags(act.arn);
  REQUIRE(tags.ok());
  CHECK(*tags == std::map<std::string, std::string>{{"env", "dev"}, {"team", "core"}});

  WriteBatch untag;
  untag.delete_tags[act.arn] = {"env", "absent"};
  untag.put_tags[act.arn] = {{"team", "edge"}};
  CommitOk(*store, std::move(untag));
  CHECK(*store->GetTags(act.arn) == std::map<std::string, std::string>{{"team", "edge"}});

  WriteBatch drop;
  drop.delete_activities.push_back(act.arn);
  CommitOk(*store, std::move(drop));
  CHECK_FALSE(store->GetActivity(act.arn)->has_value());
  CHECK(store->GetTags(act.arn)->empty());
}

TEST_CASE(
    "deleting a state machine drops its revisions, versions, aliases and tags but keeps "
    "executions",
    "[storage]") {
  auto store = OpenOrDie(":memory:");
  StateMachineRecord sm = testing::SampleMachine("Sm");
  StateMachineRecord other = testing::SampleMachine("Sm2");
  std::string version_arn = sm.arn + ":1";
  WriteBatch batch;
  batch.put_state_machines = {sm, other};
  batch.put_revisions.push_back({sm.arn, "rev-1", "{}", "role", 1, Json()});
  batch.put_versions.push_back({version_arn, sm.arn, 1, "rev-1", "", 1});
  batch.put_aliases.push_back({sm.arn + ":prod", sm.arn, "prod", "", Json::array(), 1, 1});
  batch.put_tags[sm.arn] = {{"k", "v"}};
  batch.put_tags[other.arn] = {{"k", "v"}};
  batch.insert_executions.push_back(testing::SampleExecution("e1"));
  CommitOk(*store, std::move(batch));

  WriteBatch drop;
  drop.delete_state_machines.push_back(sm.arn);
  CommitOk(*store, std::move(drop));
  CHECK_FALSE(store->GetStateMachine(sm.arn)->has_value());
  CHECK_FALSE(store->GetRevision(sm.arn, "rev-1")->has_value());
  CHECK_FALSE(store->GetVersion(version_arn)->has_value());
  CHECK_FALSE(store->GetAlias(sm.arn + ":prod")->has_value());
  CHECK(store->GetTags(sm.arn)->empty());
  CHECK(store->GetTags(other.arn)->size() == 1);  // "Sm2" shares the prefix but survives
  CHECK(store->GetStateMachine(other.arn)->has_value());
  CHECK(store->GetExecution(testing::ExecutionArn("e1"))->has_value());
}

TEST_CASE("versions and aliases can be deleted one by one", "[storage]") {
  auto store = OpenOrDie(":memory:");
  std::string sm = testing::kMachineArn;
  WriteBatch batch;
  batch.put_versions.push_back({sm + ":1", sm, 1, "r", "", 1});
  batch.put_versions.push_back({sm + ":2", sm, 2, "r", "", 2});
  batch.put_aliases.push_back({sm + ":a", sm, "a", "", Json::array(), 1, 1});
  CommitOk(*store, std::move(batch));
  WriteBatch drop;
  drop.delete_versions.push_back(sm + ":1");
  drop.delete_aliases.push_back(sm + ":a");
  CommitOk(*store, std::move(drop));
  CHECK_FALSE(store->GetVersion(sm + ":1")->has_value());
  CHECK(store->GetVersion(sm + ":2")->has_value());
  CHECK_FALSE(store->GetAlias(sm + ":a")->has_value());
}

TEST_CASE("an empty batch commits and WriteBatch::empty says so", "[storage]") {
  auto store = OpenOrDie(":memory:");
  WriteBatch batch;
  CHECK(batch.empty());
  CommitOk(*store, WriteBatch());
  batch.delete_tags["x"] = {};
  CHECK_FALSE(batch.empty());
}

}  // namespace
}  // namespace stepline::storage
