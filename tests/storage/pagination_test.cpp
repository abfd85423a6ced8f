// Keyset pagination of every listing: order, tokens, last page, bad tokens.
#include <catch2/catch.hpp>

#include <set>

#include "storage/page_token.h"
#include "tests/storage/store_test_util.h"

namespace stepline::storage {
namespace {

using testing::CommitOk;
using testing::OpenOrDie;

// Walks every page of `list(page)`, collecting items and checking tokens.
template <typename T, typename ListFn>
std::vector<T> Drain(ListFn list, int page_size, std::set<std::string>* tokens) {
  std::vector<T> all;
  PageRequest page{page_size, ""};
  for (int guard = 0; guard < 1000; ++guard) {
    auto result = list(page);
    INFO(result.status().ToString());
    REQUIRE(result.ok());
    CHECK(static_cast<int>(result->items.size()) <= page_size);
    for (auto& item : result->items) all.push_back(std::move(item));
    if (result->next_token.empty()) break;
    CHECK(tokens->insert(result->next_token).second);  // never the same token twice
    page.next_token = result->next_token;
  }
  return all;
}

std::unique_ptr<Store> StoreWithExecutions(int count) {
  auto store = OpenOrDie(":memory:");
  WriteBatch batch;
  for (int i = 0; i < count; ++i) {
    // Pairs of executions share a start date; ties go newest-inserted first.
    auto e = testing::SampleExecution("e" + std::to_string(i), 1000 + i / 2);
    if (i % 3 == 0) e.status = "SUCCEEDED";
    batch.insert_executions.push_back(e);
  }
  CommitOk(*store, std::move(batch));
  return store;
}

TEST_CASE("ListExecutions pages newest first and the last page has no token", "[storage]") {
  auto store = StoreWithExecutions(25);
  std::set<std::string> tokens;
  ExecutionQuery query;
  query.state_machine_arn = testing::kMachineArn;
  auto all = Drain<ExecutionRecord>(
      [&](const PageRequest& p) {
        query.page = p;
        return store->ListExecutions(query);
      },
      10, &tokens);
  REQUIRE(all.size() == 25);
  CHECK(tokens.size() == 2);
  for (size_t i = 0; i < all.size(); ++i) CHECK(all[i].name == "e" + std::to_string(24 - i));
}

TEST_CASE("a page that exactly fits has no next token", "[storage]") {
  auto store = StoreWithExecutions(10);
  ExecutionQuery query;
  query.state_machine_arn = testing::kMachineArn;
  query.page.max_results = 10;
  auto page = store->ListExecutions(query);
  REQUIRE(page.ok());
  CHECK(page->items.size() == 10);
  CHECK(page->next_token.empty());
}

TEST_CASE("ListExecutions filters by status, version, alias, map run and redrive", "[storage]") {
  auto store = OpenOrDie(":memory:");
  WriteBatch batch;
  auto plain = testing::SampleExecution("plain", 1);
  auto versioned = testing::SampleExecution("versioned", 2);
  versioned.state_machine_version_arn = std::string(testing::kMachineArn) + ":1";
  versioned.status = "SUCCEEDED";
  auto aliased = testing::SampleExecution("aliased", 3);
  aliased.state_machine_alias_arn = std::string(testing::kMachineArn) + ":prod";
  aliased.redrive_count = 2;
  auto child = testing::SampleExecution("child", 4);
  child.map_run_arn = "arn:aws:states:us-east-1:123456789012:mapRun:Sm/x:y";
  batch.insert_executions = {plain, versioned, aliased, child};
  CommitOk(*store, std::move(batch));

  auto names = [&](ExecutionQuery q) {
    auto page = store->ListExecutions(q);
    REQUIRE(page.ok());
    std::vector<std::string> out;
    for (auto& e : page->items) out.push_back(e.name);
    return out;
  };
  ExecutionQuery q;
  q.state_machine_arn = testing::kMachineArn;
  using V = std::vector<std::string>;
  CHECK(names(q) == V{"child", "aliased", "versioned", "plain"});
  q.status_filter = "RUNNING";
  CHECK(names(q) == V{"child", "aliased", "plain"});
  q = ExecutionQuery();
  q.version_arn = versioned.state_machine_version_arn;
  CHECK(names(q) == V{"versioned"});
  q = ExecutionQuery();
  q.alias_arn = aliased.state_machine_alias_arn;
  CHECK(names(q) == V{"aliased"});
  q = ExecutionQuery();
  q.map_run_arn = child.map_run_arn;
  CHECK(names(q) == V{"child"});
  q = ExecutionQuery();
  q.state_machine_arn = testing::kMachineArn;
  q.redrive_filter = "REDRIVEN";
  CHECK(names(q) == V{"aliased"});
  q.redrive_filter = "NOT_REDRIVEN";
  CHECK(names(q) == V{"child", "versioned", "plain"});
  q = ExecutionQuery();
  q.state_machine_arn = "arn:aws:states:us-east-1:123456789012:stateMachine:Other";
  CHECK(names(q).empty());
}

TEST_CASE("an invalid or foreign token is InvalidToken", "[storage]") {
  auto store = StoreWithExecutions(5);
  ExecutionQuery query;
  query.state_machine_arn = testing::kMachineArn;
  query.page.max_results = 2;
  auto first = store->ListExecutions(query);
  REQUIRE(first.ok());
  REQUIRE_FALSE(first->next_token.empty());

  for (const std::string& bad :
       std::vector<std::string>{"garbage!", "e30", "AAAA", first->next_token + "x"}) {
    ExecutionQuery q = query;
    q.page.next_token = bad;
    CHECK(store->ListExecutions(q).status().code() == ErrorCode::kInvalidToken);
  }
  // A token from one listing is refused by another.
  ExecutionQuery other = query;
  other.status_filter = "RUNNING";
  other.page.next_token = first->next_token;
  CHECK(store->ListExecutions(other).status().code() == ErrorCode::kInvalidToken);
  PageRequest page{10, first->next_token};
  CHECK(store->ListStateMachines(page).status().code() == ErrorCode::kInvalidToken);
  CHECK(store->GetHistory(testing::ExecutionArn("e1"), false, page).status().code() ==
        ErrorCode::kInvalidToken);
}

TEST_CASE("the same position yields a different token each time", "[storage]") {
  auto store = StoreWithExecutions(5);
  ExecutionQuery query;
  query.state_machine_arn = testing::kMachineArn;
  query.page.max_results = 2;
  auto a = store->ListExecutions(query);
  auto b = store->ListExecutions(query);
  REQUIRE(a.ok());
  REQUIRE(b.ok());
  CHECK(a->next_token != b->next_token);
  query.page.next_token = b->next_token;
  auto next = store->ListExecutions(query);
  REQUIRE(next.ok());
  CHECK(next->items.front().name == "e2");
}

TEST_CASE("history pages forward and in reverse", "[storage]") {
  auto store = OpenOrDie(":memory:");
  auto e = testing::SampleExecution("e1");
  WriteBatch batch;
  batch.insert_executions.push_back(e);
  batch.append_events.push_back(testing::SampleEvents(e.arn, 1, 7));
  CommitOk(*store, std::move(batch));
  std::set<std::string> tokens;
  for (bool reverse : {false, true}) {
    auto all = Drain<HistoryEvent>(
        [&](const PageRequest& p) { return store->GetHistory(e.arn, reverse, p); }, 3, &tokens);
    REQUIRE(all.size() == 7);
    for (size_t i = 0; i < all.size(); ++i) {
      CHECK(all[i].id == (reverse ? 7 - static_cast<int64_t>(i) : static_cast<int64_t>(i) + 1));
    }
  }
  // A forward token does not work in reverse.
  auto forward = store->GetHistory(e.arn, false, PageRequest{3, ""});
  REQUIRE(forward.ok());
  CHECK(store->GetHistory(e.arn, true, PageRequest{3, forward->next_token}).status().code() ==
        ErrorCode::kInvalidToken);
  CHECK(store->GetHistory(testing::ExecutionArn("nope"), false, PageRequest{}).status().code() ==
        ErrorCode::kExecutionDoesNotExist);
}

TEST_CASE("state machines and activities list by creation date, then arn", "[storage]") {
  auto store = OpenOrDie(":memory:");
  WriteBatch batch;
  batch.put_state_machines = {testing::SampleMachine("c", 1), testing::SampleMachine("a", 2),
                              testing::SampleMachine("b", 2), testing::SampleMachine("d", 3)};
  for (int i = 0; i < 5; ++i) {
    std::string name = "act" + std::to_string(i);
    batch.put_activities.push_back(
        {"arn:aws:states:us-east-1:123456789012:activity:" + name, name, 10 - i, Json()});
  }
  CommitOk(*store, std::move(batch));
  std::set<std::string> tokens;
  auto machines = Drain<StateMachineRecord>(
      [&](const PageRequest& p) { return store->ListStateMachines(p); }, 3, &tokens);
  std::vector<std::string> names;
  for (auto& m : machines) names.push_back(m.name);
  CHECK(names == std::vector<std::string>{"c", "a", "b", "d"});
  auto activities = Drain<ActivityRecord>(
      [&](const PageRequest& p) { return store->ListActivities(p); }, 2, &tokens);
  REQUIRE(activities.size() == 5);
  CHECK(activities.front().name == "act4");
  CHECK(activities.back().name == "act0");
}

TEST_CASE("versions list newest first and aliases by creation", "[storage]") {
  auto store = OpenOrDie(":memory:");
  std::string sm = testing::kMachineArn;
  WriteBatch batch;
  for (int v = 1; v <= 5; ++v) {
    batch.put_versions.push_back({sm + ":" + std::to_string(v), sm, v, "r", "", v});
  }
  batch.put_versions.push_back({sm + "X:1", sm + "X", 1, "r", "", 1});
  batch.put_aliases.push_back({sm + ":b", sm, "b", "", Json::array(), 1, 1});
  batch.put_aliases.push_back({sm + ":a", sm, "a", "", Json::array(), 2, 2});
  CommitOk(*store, std::move(batch));
  std::set<std::string> tokens;
  auto versions = Drain<VersionRecord>(
      [&](const PageRequest& p) { return store->ListVersions(sm, p); }, 2, &tokens);
  REQUIRE(versions.size() == 5);
  for (int i = 0; i < 5; ++i) CHECK(versions[i].version == 5 - i);
  auto aliases = Drain<AliasRecord>([&](const PageRequest& p) { return store->ListAliases(sm, p); },
                                    1, &tokens);
  REQUIRE(aliases.size() == 2);
  CHECK(aliases[0].name == "b");
  CHECK(aliases[1].name == "a");
}

TEST_CASE("page sizes outside 1..1000 are clamped", "[storage]") {
  auto store = StoreWithExecutions(3);
  ExecutionQuery query;
  query.state_machine_arn = testing::kMachineArn;
  query.page.max_results = 0;
  auto page = store->ListExecutions(query);
  REQUIRE(page.ok());
  CHECK(page->items.size() == 3);
  query.page.max_results = 5000;
  CHECK(store->ListExecutions(query)->items.size() == 3);
}

TEST_CASE("base64url round trips arbitrary bytes", "[storage]") {
  for (std::string bytes : {std::string(""), std::string("a"), std::string("ab"),
                            std::string("abc"), std::string("\0\xff\x10 z", 5)}) {
    std::string decoded;
    REQUIRE(Base64UrlDecode(Base64UrlEncode(bytes), &decoded));
    CHECK(decoded == bytes);
  }
}

}  // namespace
}  // namespace stepline::storage
