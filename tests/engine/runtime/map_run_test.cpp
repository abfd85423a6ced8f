// Distributed Map runs against a fake S3 (a FakeDispatcher answering the
// aws-sdk:s3 requests the ItemReader and ResultWriter make): items read,
// MaxItems, batches, tolerated failures, results written, and the
// MapRun* events AWS records.
#include <algorithm>
#include <catch2/catch.hpp>
#include <chrono>
#include <map>

#include "tests/engine/runtime/task_harness.h"
#include "tests/support/gzip_writer.h"

namespace {

// Objects by "bucket/key"; putObject stores, getObject reads, listObjectsV2
// lists (two keys a page, to exercise ContinuationToken).
struct FakeS3 {
  std::mutex mu;
  std::map<std::string, std::string> objects;

  std::optional<TaskOutcome> Answer(const TaskRequest& r) {
    std::lock_guard<std::mutex> lock(mu);
    const Json& p = r.parameters;
    std::string bucket = p.value("Bucket", "");
    if (r.spec.action == "putObject") {
      objects[bucket + "/" + p.value("Key", "")] = p.value("Body", "");
      return Ok(Json::object());
    }
    if (r.spec.action == "getObject") {
      auto it = objects.find(bucket + "/" + p.value("Key", ""));
      if (it == objects.end()) return Err("S3.NoSuchKey", "The specified key does not exist.");
      return Ok({{"Body", it->second}});
    }
    if (r.spec.action == "listObjectsV2") return List(bucket, p.value("ContinuationToken", ""));
    return Err("States.TaskFailed", "unexpected " + r.spec.action);
  }

  TaskOutcome List(const std::string& bucket, const std::string& after) {
    Json contents = Json::array();
    bool truncated = false;
    std::string last;
    for (const auto& [path, body] : objects) {
      if (path.rfind(bucket + "/", 0) != 0) continue;
      std::string key = path.substr(bucket.size() + 1);
      if (!after.empty() && key <= after) continue;
      if (contents.size() == 2) {
        truncated = true;
        break;
      }
      contents.push_back({{"Key", key},
                          {"ETag", "\"etag\""},
                          {"Size", body.size()},
                          {"LastModified", "2024-01-01T00:00:00.000Z"},
                          {"StorageClass", "STANDARD"}});
      last = key;
    }
    Json page = {{"Contents", contents}, {"IsTruncated", truncated}};
    if (truncated) page["NextContinuationToken"] = last;
    return Ok(page);
  }
};

std::shared_ptr<FakeDispatcher> Dispatcher(FakeS3& s3) {
  return std::make_shared<FakeDispatcher>(
      [&s3](const TaskRequest& r, int) { return s3.Answer(r); });
}

// A distributed Map named M whose iterations run `processor` states.
std::string Machine(const std::string& map_fields,
                    const std::string& processor = R"({"P":{"Type":"Pass","End":true}})") {
  return R"({"StartAt":"M","States":{"M":{"Type":"Map",)" + map_fields +
         R"(,"ItemProcessor":{"ProcessorConfig":{"Mode":"DISTRIBUTED","ExecutionType":"STANDARD"},
         "StartAt":")" +
         Json::parse(processor).begin().key() + R"(","States":)" + processor + R"(},"End":true}}})";
}

std::vector<std::string> Types(Harness& h) {
  std::vector<std::string> out;
  for (const auto& e : h.History()) out.push_back(e.type);
  return out;
}

const char* kReadCsv = R"("ItemReader":{"Resource":"arn:aws:states:::s3:getObject",
    "ReaderConfig":{"InputType":"CSV","CSVHeaderLocation":"FIRST_ROW","MaxItemsPath":"$.max"},
    "Parameters":{"Bucket":"b","Key.$":"$.key"}})";

}  // namespace

TEST_CASE("an ItemReader reads a CSV object from S3 and the Map iterates over its rows") {
  FakeS3 s3;
  s3.objects["b/f.csv"] = "Col1,Col2\n1,2\n3,4\n5,6\n";
  Harness h(Dispatcher(s3));
  auto o = h.Run(Machine(kReadCsv), R"({"key":"f.csv","max":2})");
  REQUIRE(o.status == "SUCCEEDED");
  CHECK(Out(o) == Json::parse(R"([{"Col1":"1","Col2":"2"},{"Col1":"3","Col2":"4"}])"));
  CHECK(h.Shape() == Lines{"1:0:ExecutionStarted", "2:0:MapStateEntered", "3:2:MapStateStarted",
                           "4:3:MapRunStarted", "5:4:MapRunSucceeded", "6:5:MapStateSucceeded",
                           "7:5:MapStateExited", "8:7:ExecutionSucceeded"});
  CHECK(h.History()[2].details["length"] == 0);
}

TEST_CASE("a bad object or a negative MaxItems fails the map run with States.ItemReaderFailed") {
  FakeS3 s3;
  s3.objects["b/f.csv"] = "X,X\n1,2\n";
  Harness h(Dispatcher(s3));
  auto o = h.Run(Machine(kReadCsv), R"({"key":"f.csv","max":1})");
  CHECK(o.status == "FAILED");
  CHECK(o.error == "States.ItemReaderFailed");
  CHECK(o.cause == "CSV headers cannot contain duplicates.");
  CHECK(Types(h) == std::vector<std::string>{"ExecutionStarted", "MapStateEntered",
                                             "MapStateStarted", "MapRunStarted", "MapRunFailed",
                                             "MapStateFailed", "ExecutionFailed"});
  CHECK(h.History()[4].details["cause"] == "CSV headers cannot contain duplicates.");

  s3.objects["b/g.csv"] = "A\n1\n";
  auto negative = h.Run(Machine(kReadCsv), R"({"key":"g.csv","max":-1})");
  CHECK(negative.error == "States.ItemReaderFailed");
  CHECK(negative.cause == "field MaxItems must be positive");
}

TEST_CASE("an S3 error reading the items is States.ItemReaderFailed naming the service's error") {
  FakeS3 s3;
  Harness h(Dispatcher(s3));
  auto o = h.Run(Machine(kReadCsv), R"({"key":"missing.csv","max":0})");
  CHECK(o.status == "FAILED");
  CHECK(o.error == "States.ItemReaderFailed");
  CHECK(o.cause == "S3.NoSuchKey: The specified key does not exist.");
}

TEST_CASE("a ResultWriter that cannot write fails the run with States.ResultWriterFailed") {
  auto fake = std::make_shared<FakeDispatcher>(
      [](const TaskRequest&, int) { return Err("S3.NoSuchBucket", "no bucket"); });
  Harness h(fake);
  auto o = h.Run(Machine(R"("ResultWriter":{"Resource":"arn:aws:states:::s3:putObject",
      "Parameters":{"Bucket":"nope","Prefix":"p"}})"),
                 "[1]");
  CHECK(o.status == "FAILED");
  CHECK(o.error == "States.ResultWriterFailed");
  CHECK(o.cause == "S3.NoSuchBucket: no bucket");
  CHECK(Types(h)[4] == "MapRunFailed");
}

TEST_CASE("stopping an execution while its ItemReader reads drops the late answer") {
  auto fake = std::make_shared<FakeDispatcher>(
      [](const TaskRequest&, int) -> std::optional<TaskOutcome> { return std::nullopt; });
  Harness h(fake);
  std::optional<runtime::ExecutionOutcome> outcome;
  std::string arn = h.StartOnly(Machine(kReadCsv), NewRecord(R"({"key":"f.csv","max":0})"),
                                [&](const auto& o) { outcome = o; });
  h.RunUntil([&] { return fake->held().size() == 1; });
  CHECK(fake->requests()[0].spec.action == "getObject");
  CHECK(fake->requests()[0].parameters == Json({{"Bucket", "b"}, {"Key", "f.csv"}}));
  std::optional<Result<EpochMillis>> stopped;
  h.engine().Stop(arn, std::nullopt, std::nullopt,
                  [&](Result<EpochMillis> r) { stopped = std::move(r); });
  h.RunUntil([&] { return stopped.has_value() && outcome.has_value(); });
  CHECK(outcome->status == "ABORTED");
  size_t events = h.Stored();
  auto done = fake->held().at(0);
  std::thread late([&] { done(Ok({{"Body", "A\n1\n"}})); });
  late.join();
  h.Poll();
  CHECK(h.Stored() == events);
  const runtime::MapRunRegistry* runs = h.engine().map_runs();
  REQUIRE(runs != nullptr);
  std::vector<runtime::MapRunInfo> listed = runs->ForExecution(arn);
  REQUIRE(listed.size() == 1);
  CHECK(listed[0].status == "ABORTED");
  CHECK(listed[0].stop_date.has_value());
}

TEST_CASE("a listObjectsV2 ItemReader iterates over every page of the listing") {
  FakeS3 s3;
  for (const char* k : {"a", "b", "c", "d", "e"}) s3.objects[std::string("bk/") + k] = "xy";
  Harness h(Dispatcher(s3));
  auto o = h.Run(Machine(R"("ItemReader":{"Resource":"arn:aws:states:::s3:listObjectsV2",
      "Parameters":{"Bucket":"bk"}},"ItemSelector":{"k.$":"$$.Map.Item.Value.Key",
      "s.$":"$$.Map.Item.Value.Size"})"));
  REQUIRE(o.status == "SUCCEEDED");
  CHECK(Out(o) == Json::parse(R"([{"k":"a","s":2},{"k":"b","s":2},{"k":"c","s":2},
                                  {"k":"d","s":2},{"k":"e","s":2}])"));
}

TEST_CASE("a MANIFEST ItemReader iterates over every row of every S3 Inventory file") {
  FakeS3 s3;
  s3.objects["dest/inv/manifest.json"] = R"({"sourceBucket":"src",
      "destinationBucket":"arn:aws:s3:::dest","fileFormat":"CSV","fileSchema":"Bucket, Key, Size",
      "files":[{"key":"inv/data/1.csv.gz"},{"key":"inv/data/2.csv.gz"}]})";
  s3.objects["dest/inv/data/1.csv.gz"] =
      stepline::testing::GzipForTest("\"src\",\"a.txt\",\"1\"\n\"src\",\"b.txt\",\"2\"\n");
  s3.objects["dest/inv/data/2.csv.gz"] =
      stepline::testing::GzipForTest("\"src\",\"c.txt\",\"3\"\n");
  Harness h(Dispatcher(s3));
  const std::string reader = R"("ItemReader":{"Resource":"arn:aws:states:::s3:getObject",
      "ReaderConfig":{"InputType":"MANIFEST","MaxItemsPath":"$.max"},
      "Parameters":{"Bucket":"dest","Key":"inv/manifest.json"}},
      "ItemSelector":{"k.$":"$$.Map.Item.Value.Key","s.$":"$$.Map.Item.Value.Size"})";
  auto o = h.Run(Machine(reader), R"({"max":0})");
  REQUIRE(o.status == "SUCCEEDED");
  CHECK(Out(o) == Json::parse(R"([{"k":"a.txt","s":"1"},{"k":"b.txt","s":"2"},
                                  {"k":"c.txt","s":"3"}])"));
  auto two = h.Run(Machine(reader), R"({"max":2})");
  REQUIRE(two.status == "SUCCEEDED");
  CHECK(Out(two) == Json::parse(R"([{"k":"a.txt","s":"1"},{"k":"b.txt","s":"2"}])"));

  s3.objects.erase("dest/inv/data/2.csv.gz");  // a file the manifest names is gone
  auto gone = h.Run(Machine(reader), R"({"max":0})");
  CHECK(gone.status == "FAILED");
  CHECK(gone.error == "States.ItemReaderFailed");
}

TEST_CASE("an ItemBatcher hands each iteration a batch with its BatchInput (JSONata)") {
  FakeS3 s3;
  s3.objects["b/f.json"] = "[1,2,3,4,5]";
  Harness h(Dispatcher(s3));
  storage::ExecutionRecord record = NewRecord("{}");
  auto o = h.Run(R"({"QueryLanguage":"JSONata",)" +
                     Machine(R"("ItemReader":{"Resource":"arn:aws:states:::s3:getObject",
      "ReaderConfig":{"InputType":"JSON","MaxItems":"{% $states.input.max %}"},
      "Arguments":{"Bucket":"b","Key":"{% $states.input.key %}"}},
      "ItemBatcher":{"MaxItemsPerBatch":"{% $states.input.per %}",
                     "BatchInput":{"tag":"{% $states.input.tag %}"}})")
                         .substr(1),
                 R"({"key":"f.json","max":4,"per":3,"tag":"t"})", record);
  REQUIRE(o.status == "SUCCEEDED");
  CHECK(Out(o) == Json::parse(R"([{"BatchInput":{"tag":"t"},"Items":[1,2,3]},
                                  {"BatchInput":{"tag":"t"},"Items":[4]}])"));
  // The run counts items and child executions apart.
  std::vector<runtime::MapRunInfo> runs = h.engine().map_runs()->ForExecution(record.arn);
  REQUIRE(runs.size() == 1);
  CHECK(runs[0].status == "SUCCEEDED");
  CHECK(runs[0].items.total == 4);
  CHECK(runs[0].items.succeeded == 4);
  CHECK(runs[0].executions.total == 2);
  CHECK(runs[0].executions.succeeded == 2);
  CHECK(runs[0].executions.pending == 0);
}

TEST_CASE("a ResultWriter writes the results to S3 and the Map returns where") {
  FakeS3 s3;
  Harness h(Dispatcher(s3));
  auto o = h.Run(Machine(R"("Label":"L","ResultWriter":{"Resource":"arn:aws:states:::s3:putObject",
      "Parameters":{"Bucket":"out","Prefix":"jobs"}})"),
                 R"(["Hello","World"])");
  REQUIRE(o.status == "SUCCEEDED");
  Json out = Out(o);
  std::string run = out["MapRunArn"];
  CHECK(run.find(":mapRun:tasks/L:") != std::string::npos);
  std::string id = run.substr(run.rfind(':') + 1);
  CHECK(out["ResultWriterDetails"] ==
        Json({{"Bucket", "out"}, {"Key", "jobs/" + id + "/manifest.json"}}));
  Json manifest = Json::parse(s3.objects.at("out/jobs/" + id + "/manifest.json"));
  CHECK(manifest["MapRunArn"] == run);
  CHECK(manifest["ResultFiles"]["SUCCEEDED"][0]["Key"] == "jobs/" + id + "/SUCCEEDED_0.json");
  Json results = Json::parse(s3.objects.at("out/jobs/" + id + "/SUCCEEDED_0.json"));
  REQUIRE(results.size() == 2);
  CHECK(results[0]["Input"] == "\"Hello\"");
  CHECK(results[1]["Output"] == "\"World\"");
  CHECK(results[0]["Status"] == "SUCCEEDED");
}

TEST_CASE("failures within ToleratedFailureCount let the run succeed; beyond, it fails") {
  FakeS3 s3;
  Harness h(Dispatcher(s3));
  std::string processor =
      R"({"C":{"Type":"Choice","Choices":[{"Variable":"$","NumericGreaterThan":2,
      "Next":"F"}],"Default":"P"},"P":{"Type":"Pass","End":true},
      "F":{"Type":"Fail","Error":"Big","Cause":"too big"}})";
  auto ok = h.Run(Machine(R"("ToleratedFailureCount":2)", processor), "[1,2,3,4]");
  REQUIRE(ok.status == "SUCCEEDED");
  // Outputs of the succeeded iterations; a failed one is its execution entry (AWS docs).
  Json out = Out(ok);
  REQUIRE(out.size() == 4);
  CHECK(out[0] == 1);
  CHECK(out[1] == 2);
  CHECK(out[2]["Status"] == "FAILED");
  CHECK(out[2]["Error"] == "Big");
  CHECK(out[3]["Input"] == "4");
  CHECK(Types(h)[4] == "MapRunSucceeded");

  auto over = h.Run(Machine(R"("ToleratedFailureCount":1)", processor), "[1,2,3,4]");
  CHECK(over.status == "FAILED");
  CHECK(over.error == "States.ExceedToleratedFailureThreshold");

  auto pct = h.Run(Machine(R"("ToleratedFailurePercentage":50)", processor), "[1,2,3,4]");
  CHECK(pct.status == "SUCCEEDED");
  auto none = h.Run(Machine(R"("MaxConcurrency":1)", processor), "[1,2,3,4]");
  CHECK(none.error == "States.ExceedToleratedFailureThreshold");
}

TEST_CASE("tolerated failures are written to FAILED_0.json with their error") {
  FakeS3 s3;
  Harness h(Dispatcher(s3));
  auto o = h.Run(Machine(R"("ToleratedFailurePercentage":100,"ResultWriter":{
      "Resource":"arn:aws:states:::s3:putObject","Parameters":{"Bucket":"out"}})",
                         R"({"F":{"Type":"Fail","Error":"E","Cause":"C"}})"),
                 "[1]");
  REQUIRE(o.status == "SUCCEEDED");
  std::string key = Out(o)["ResultWriterDetails"]["Key"];
  std::string dir = key.substr(0, key.rfind('/') + 1);
  Json manifest = Json::parse(s3.objects.at("out/" + key));
  CHECK(manifest["ResultFiles"]["SUCCEEDED"].empty());
  Json failed = Json::parse(s3.objects.at("out/" + dir + "FAILED_0.json"));
  REQUIRE(failed.size() == 1);
  CHECK(failed[0]["Error"] == "E");
  CHECK(failed[0]["Cause"] == "C");
  CHECK(failed[0]["Status"] == "FAILED");
}

TEST_CASE("WriterConfig shapes the results: FLATTEN in the state output, COMPACT JSONL in S3") {
  FakeS3 s3;
  Harness h(Dispatcher(s3));
  std::string pair = R"({"P":{"Type":"Pass","Parameters":{"v.$":"$"},"OutputPath":"$.v",
      "End":true}})";
  auto flat = h.Run(Machine(R"("ItemSelector":{"a.$":"$$.Map.Item.Value"},
      "ResultWriter":{"WriterConfig":{"Transformation":"FLATTEN","OutputType":"JSON"}})",
                            R"({"P":{"Type":"Pass","Parameters":["x",{"k.$":"$.a"}],
                               "End":true}})"),
                    "[1,2]");
  REQUIRE(flat.status == "SUCCEEDED");
  CHECK(Out(flat) == Json::parse(R"(["x",{"k":1},"x",{"k":2}])"));

  auto jsonl = h.Run(Machine(R"("ResultWriter":{"Resource":"arn:aws:states:::s3:putObject",
      "Parameters":{"Bucket":"out"},
      "WriterConfig":{"Transformation":"COMPACT","OutputType":"JSONL"}})",
                             pair),
                     R"([{"a":1},"b"])");
  REQUIRE(jsonl.status == "SUCCEEDED");
  std::string key = Out(jsonl)["ResultWriterDetails"]["Key"];
  std::string dir = key.substr(0, key.rfind('/') + 1);
  CHECK(s3.objects.at("out/" + dir + "SUCCEEDED_0.json") == "{\"a\":1}\n\"b\"\n");
}

namespace {

// A distributed Map reading [1,2,3] from S3, each iteration a Lambda Task,
// then a Task after the Map (T).
const char* kRecoverDef = R"({"StartAt":"M","States":{
    "M":{"Type":"Map","ItemReader":{"Resource":"arn:aws:states:::s3:getObject",
           "ReaderConfig":{"InputType":"JSON"},"Parameters":{"Bucket":"b","Key":"items.json"}},
         "ItemSelector":{"v.$":"$$.Map.Item.Value"},"ResultSelector":{"all.$":"$"},
         "ItemProcessor":{"ProcessorConfig":{"Mode":"DISTRIBUTED","ExecutionType":"STANDARD"},
           "StartAt":"I","States":{"I":{"Type":"Task",
             "Resource":"arn:aws:lambda:us-east-1:123456789012:function:fn","End":true}}},
         "Next":"T"},
    "T":{"Type":"Task","Resource":"arn:aws:lambda:us-east-1:123456789012:function:after",
         "End":true}}})";

// S3 from `s3`; Lambda echoes its input, unless `hold` says to keep it in flight.
std::shared_ptr<FakeDispatcher> S3AndLambda(FakeS3& s3,
                                            std::function<bool(const TaskRequest&)> hold) {
  return std::make_shared<FakeDispatcher>(
      [&s3, hold](const TaskRequest& r, int) -> std::optional<TaskOutcome> {
        if (r.spec.service == "s3") return s3.Answer(r);
        if (hold && hold(r)) return std::nullopt;
        return Ok(r.parameters);
      });
}

bool IsAfter(const TaskRequest& r) {
  return r.spec.arn.find(":function:after") != std::string::npos;
}

int Count(const std::vector<TaskRequest>& requests,
          const std::function<bool(const TaskRequest&)>& p) {
  int n = 0;
  for (const auto& r : requests) n += p(r) ? 1 : 0;
  return n;
}

// Recovers the executions of `store` on a fresh engine and runs it until
// `arn` closes; returns the stored record.
storage::ExecutionRecord RecoverUntilClosed(storage::Store& store,
                                            std::shared_ptr<FakeDispatcher> dispatcher,
                                            const std::string& arn) {
  Harness h(std::move(dispatcher), 0.0, &store);
  REQUIRE(h.engine().Recover().ok());
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (store.GetExecution(arn).value()->status == "RUNNING") {
    REQUIRE(std::chrono::steady_clock::now() < deadline);
    h.Poll();
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  return *store.GetExecution(arn).value();
}

const char* kExpected = R"({"all":[{"v":1},{"v":2},{"v":3}]})";

}  // namespace

TEST_CASE("a restart while the map run's iterations are in flight reads the items again") {
  FakeS3 s3;
  s3.objects["b/items.json"] = "[1,2,3]";
  auto store = StoreWith(kRecoverDef);
  storage::ExecutionRecord record = NewRecord("{}");
  {
    auto first = S3AndLambda(s3, [](const TaskRequest&) { return true; });
    Harness h(first, 0.0, store.get());
    h.StartOnly(kRecoverDef, record, nullptr);
    h.RunUntil([&] { return first->held().size() == 3; });  // every iteration in flight
  }
  auto second = S3AndLambda(s3, nullptr);
  storage::ExecutionRecord rec = RecoverUntilClosed(*store, second, record.arn);
  REQUIRE(rec.status == "SUCCEEDED");
  CHECK(Json::parse(*rec.output) == Json::parse(kExpected));
  auto requests = second->requests();
  CHECK(Count(requests, [](const auto& r) { return r.spec.action == "getObject"; }) == 1);
  CHECK(Count(requests, [](const auto& r) { return r.spec.service != "s3" && !IsAfter(r); }) == 3);
  std::vector<std::string> types;
  auto events = store->LoadEvents(record.arn).value();
  for (const auto& e : events) types.push_back(e.type);
  CHECK(std::count(types.begin(), types.end(), "MapRunStarted") == 1);
  CHECK(types.back() == "ExecutionSucceeded");
  // The child executions ran again under their ARNs; each history started over.
  std::string run;
  for (const auto& e : events) {
    if (e.type == "MapRunStarted") run = e.details["mapRunArn"];
  }
  storage::ExecutionQuery query;
  query.map_run_arn = run;
  std::vector<storage::ExecutionRecord> children = store->ListExecutions(query).value().items;
  REQUIRE(children.size() == 3);
  for (const auto& child : children) {
    CHECK(child.status == "SUCCEEDED");
    std::vector<storage::HistoryEvent> history = store->LoadEvents(child.arn).value();
    REQUIRE(!history.empty());
    CHECK(history.front().type == "ExecutionStarted");
    CHECK(history.back().type == "ExecutionSucceeded");
    for (size_t i = 0; i < history.size(); ++i) CHECK(history[i].id == static_cast<int64_t>(i + 1));
  }
  CHECK(store->ListRunningExecutions().value().empty());
  store->Close();
}

TEST_CASE("a restart after the map run closed replays it from the history, without re-running it") {
  FakeS3 s3;
  s3.objects["b/items.json"] = "[1,2,3]";
  auto store = StoreWith(kRecoverDef);
  storage::ExecutionRecord record = NewRecord("{}");
  std::string run_arn;
  {
    auto first = S3AndLambda(s3, IsAfter);
    Harness h(first, 0.0, store.get());
    h.StartOnly(kRecoverDef, record, nullptr);
    h.RunUntil([&] { return first->held().size() == 1; });  // T in flight
    h.RunUntil([&] { return h.History().back().type == "LambdaFunctionStarted"; });
    run_arn = h.History()[3].details["mapRunArn"];
  }
  s3.objects.clear();  // a second read would fail the run
  auto second = S3AndLambda(s3, nullptr);
  storage::ExecutionRecord rec = RecoverUntilClosed(*store, second, record.arn);
  REQUIRE(rec.status == "SUCCEEDED");
  CHECK(Json::parse(*rec.output) == Json::parse(kExpected));
  auto requests = second->requests();
  REQUIRE(requests.size() == 1);  // only T, answered again (at least once)
  CHECK(IsAfter(requests[0]));
  auto events = store->LoadEvents(record.arn).value();
  for (size_t i = 0; i < events.size(); ++i) CHECK(events[i].id == static_cast<int64_t>(i + 1));
  CHECK(events[3].type == "MapRunStarted");
  CHECK(events[3].details["mapRunArn"] == run_arn);
  CHECK(events[4].type == "MapRunSucceeded");
  CHECK(events.back().type == "ExecutionSucceeded");
  // The run as the first process closed it, from the store (DescribeMapRun).
  Harness later(nullptr, 0.0, store.get());
  std::optional<runtime::MapRunInfo> run = later.engine().map_runs()->Get(run_arn);
  REQUIRE(run.has_value());
  CHECK(run->status == "SUCCEEDED");
  CHECK(run->execution_arn == record.arn);
  CHECK(run->items.total == 3);
  CHECK(run->items.succeeded == 3);
  CHECK(run->executions.running == 0);
  CHECK(run->stop_date.has_value());
  CHECK(later.engine().map_runs()->ForExecution(record.arn).size() == 1);
  store->Close();
}

TEST_CASE("a restart after a map run failed replays the failure and its Catch") {
  FakeS3 s3;
  s3.objects["b/items.json"] = "[1,2,3]";
  std::string def = kRecoverDef;
  std::string map_next = R"("Next":"T"},)";
  def.replace(def.find(map_next), map_next.size(),
              R"("Catch":[{"ErrorEquals":["States.ALL"],"ResultPath":"$.err","Next":"T"}],
              "Next":"T"},)");
  auto store = StoreWith(def);
  storage::ExecutionRecord record = NewRecord("{}");
  {
    auto first = std::make_shared<FakeDispatcher>(
        [&s3](const TaskRequest& r, int) -> std::optional<TaskOutcome> {
          if (r.spec.service == "s3") return s3.Answer(r);
          if (IsAfter(r)) return std::nullopt;
          return Err("Boom", "iteration failed");
        });
    Harness h(first, 0.0, store.get());
    h.StartOnly(def, record, nullptr);
    h.RunUntil([&] { return first->held().size() == 1; });
    h.RunUntil([&] { return h.History().back().type == "LambdaFunctionStarted"; });
  }
  auto second = S3AndLambda(s3, nullptr);
  storage::ExecutionRecord rec = RecoverUntilClosed(*store, second, record.arn);
  REQUIRE(rec.status == "SUCCEEDED");
  Json out = Json::parse(*rec.output);
  CHECK(out["err"]["Error"] == "States.ExceedToleratedFailureThreshold");
  REQUIRE(second->requests().size() == 1);
  CHECK(IsAfter(second->requests()[0]));
  store->Close();
}

TEST_CASE("the map-run registry keeps a bounded number of closed runs; the store has them all") {
  auto store = std::move(storage::OpenSqliteStore({":memory:"})).value();
  runtime::MapRunRegistry registry(store.get(), 2);
  for (int i = 0; i < 4; ++i) {
    runtime::MapRunInfo info;
    info.arn = "arn:run:" + std::to_string(i);
    info.execution_arn = "arn:exec";
    info.start_date = i;
    registry.Put(info);
    registry.Update(info.arn, [](runtime::MapRunInfo& r) { r.status = "SUCCEEDED"; });
    storage::WriteBatch batch;
    batch.put_map_runs.push_back(runtime::ToRecord(*registry.Get(info.arn)));
    REQUIRE(store->CommitAndWait(std::move(batch)).ok());
    registry.Closed(info.arn);
  }
  runtime::MapRunInfo running;
  running.arn = "arn:run:live";
  running.execution_arn = "arn:exec";
  running.start_date = 9;
  registry.Put(running);
  CHECK(registry.InMemory() == 3);  // two closed, one running
  REQUIRE(registry.Get("arn:run:0").has_value());
  CHECK(registry.Get("arn:run:0")->status == "SUCCEEDED");
  std::vector<runtime::MapRunInfo> all = registry.ForExecution("arn:exec");
  REQUIRE(all.size() == 5);
  CHECK(all[0].arn == "arn:run:0");
  CHECK(all[4].status == "RUNNING");
  store->Close();
}

TEST_CASE("a STANDARD map run's iterations are child executions with records of their own") {
  FakeS3 s3;
  Harness h(Dispatcher(s3));
  std::string processor = R"({"C":{"Type":"Choice","Choices":[{"Variable":"$","NumericEquals":2,
      "Next":"F"}],"Default":"P"},"P":{"Type":"Pass","End":true},
      "F":{"Type":"Fail","Error":"Two","Cause":"no twos"}})";
  auto o = h.Run(Machine(R"("Label":"L","ToleratedFailureCount":1,
      "ResultWriter":{"Resource":"arn:aws:states:::s3:putObject","Parameters":{"Bucket":"out"}})",
                         processor),
                 "[1,2,3]");
  REQUIRE(o.status == "SUCCEEDED");
  std::string run = Out(o)["MapRunArn"];
  storage::ExecutionQuery query;
  query.map_run_arn = run;
  auto page = h.store().ListExecutions(query);
  REQUIRE(page.ok());
  REQUIRE(page->items.size() == 3);
  std::map<std::string, storage::ExecutionRecord> by_input;
  for (const auto& r : page->items) by_input[r.input] = r;
  const auto& failed = by_input.at("2");
  CHECK(failed.status == "FAILED");
  CHECK(failed.error == std::optional<std::string>("Two"));
  CHECK(failed.cause == std::optional<std::string>("no twos"));
  CHECK(by_input.at("3").status == "SUCCEEDED");
  CHECK(by_input.at("3").output == std::optional<std::string>("3"));
  for (const auto& [input, r] : by_input) {
    CHECK(r.map_run_arn == run);
    CHECK(r.parent_execution_arn == h.arn());
    CHECK(r.state_machine_arn.find(":stateMachine:tasks/L") != std::string::npos);
    CHECK(r.arn.find(":execution:tasks/L:" + r.name) != std::string::npos);
    CHECK(r.stop_date.has_value());
  }
  // Each has a history of its own, numbered from 1.
  auto shape = [&](const std::string& arn) {
    Lines out;
    std::vector<storage::HistoryEvent> events = h.store().LoadEvents(arn).value();
    for (const auto& e : events) {
      out.push_back(std::to_string(e.id) + ":" + std::to_string(e.previous_event_id) + ":" +
                    e.type);
    }
    return out;
  };
  CHECK(shape(by_input.at("3").arn) == Lines{"1:0:ExecutionStarted", "2:1:ChoiceStateEntered",
                                             "3:2:ChoiceStateExited", "4:3:PassStateEntered",
                                             "5:4:PassStateExited", "6:5:ExecutionSucceeded"});
  CHECK(shape(failed.arn) == Lines{"1:0:ExecutionStarted", "2:1:ChoiceStateEntered",
                                   "3:2:ChoiceStateExited", "4:3:FailStateEntered",
                                   "5:4:ExecutionFailed"});
  auto failed_events = h.store().LoadEvents(failed.arn).value();
  CHECK(failed_events.back().details == Json({{"error", "Two"}, {"cause", "no twos"}}));
  CHECK(failed_events.front().details["input"] == "2");
  // The parent's history has the run, not the iterations.
  for (const auto& e : h.History()) CHECK(e.type.rfind("MapIteration", 0) == std::string::npos);
  // The ResultWriter names the same child executions.
  std::string id = run.substr(run.rfind(':') + 1);
  Json failures = Json::parse(s3.objects.at("out/" + id + "/FAILED_0.json"));
  REQUIRE(failures.size() == 1);
  CHECK(failures[0]["ExecutionArn"] == failed.arn);
  // Children are not executions of their own to resume after a restart.
  auto running = h.store().ListRunningExecutions();
  REQUIRE(running.ok());
  CHECK(running->empty());
}

TEST_CASE("child executions still running when their map run fails end ABORTED") {
  FakeS3 s3;
  Harness h(Dispatcher(s3), 1.0);
  std::string processor = R"({"C":{"Type":"Choice","Choices":[{"Variable":"$","NumericEquals":2,
      "Next":"F"}],"Default":"W"},"W":{"Type":"Wait","Seconds":3600,"End":true},
      "F":{"Type":"Fail","Error":"Two"}})";
  auto o = h.Run(Machine(R"("MaxConcurrency":2)", processor), "[1,2,3]");
  REQUIRE(o.status == "FAILED");
  std::string run;
  for (const auto& e : h.History()) {
    if (e.type == "MapRunStarted") run = e.details["mapRunArn"];
  }
  storage::ExecutionQuery query;
  query.map_run_arn = run;
  auto page = h.store().ListExecutions(query);
  REQUIRE(page.ok());
  std::map<std::string, std::string> status;
  for (const auto& r : page->items) status[r.input] = r.status;
  // Item 3 never started (MaxConcurrency 2): no child execution for it.
  CHECK(status == std::map<std::string, std::string>{{"1", "ABORTED"}, {"2", "FAILED"}});
  for (const auto& r : page->items) {
    if (r.input != "1") continue;
    std::vector<std::string> types;
    std::vector<storage::HistoryEvent> events = h.store().LoadEvents(r.arn).value();
    for (const auto& e : events) types.push_back(e.type);
    CHECK(types == std::vector<std::string>{"ExecutionStarted", "ChoiceStateEntered",
                                            "ChoiceStateExited", "WaitStateEntered",
                                            "ExecutionAborted"});
  }
}
