// Real calls to moto_server (python3 -m moto.server) on a free loopback port.
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <chrono>
#include <cstdio>
#include <future>
#include <thread>

#include "integrations/aws_dispatcher.h"
#include "integrations/sigv4.h"
#include "tests/integrations/exit_with_parent.h"

extern char** environ;

using namespace stepline;
using namespace stepline::integrations;

namespace {

int FreePort() {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
  socklen_t len = sizeof addr;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  ::close(fd);
  return ntohs(addr.sin_port);
}

bool Accepting(int port) {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  bool ok = ::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0;
  ::close(fd);
  return ok;
}

// One moto_server for the whole test binary, stopped by PID at exit.
class Moto {
 public:
  static Moto& Get() {
    static Moto moto;
    return moto;
  }
  bool up() const { return up_; }
  int port() const { return port_; }
  std::string url() const { return "http://127.0.0.1:" + std::to_string(port_); }

  ~Moto() {
    if (pid_ > 0) {
      ::kill(pid_, SIGTERM);
      ::waitpid(pid_, nullptr, 0);
    }
  }

 private:
  Moto() : port_(FreePort()) {
    std::string port = std::to_string(port_);
    // `python3 -m moto.server -H 127.0.0.1 -p PORT`, ending with this process.
    std::string script = std::string(kExitWithParentPy) +
                         "import sys\nsys.argv = ['moto_server', '-H', '127.0.0.1', '-p', "
                         "sys.argv[1]]\nfrom moto.server import main\nmain()\n";
    const char* argv[] = {"python3", "-c", script.c_str(), port.c_str(), nullptr};
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0);
    posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0);
    int rc = posix_spawnp(&pid_, "python3", &actions, nullptr, const_cast<char**>(argv), environ);
    posix_spawn_file_actions_destroy(&actions);
    if (rc != 0) {
      pid_ = -1;
      return;
    }
    for (int i = 0; i < 300 && !up_; ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
      up_ = Accepting(port_);
      if (::waitpid(pid_, nullptr, WNOHANG) == pid_) {
        pid_ = -1;
        return;
      }
    }
  }
  int port_;
  pid_t pid_ = -1;
  bool up_ = false;
};

AwsContext ContextFor(const std::string& url) {
  AwsContext ctx;
  ctx.http = std::make_shared<HttpClient>(1);
  auto endpoint = std::make_shared<std::string>(url);
  ctx.endpoints = EndpointResolver([endpoint](const char* name) -> const char* {
    return std::string(name) == "AWS_ENDPOINT_URL" ? endpoint->c_str() : nullptr;
  });
  ctx.timeout = std::chrono::seconds(20);
  return ctx;
}

TaskOutcome Call(AwsDispatcher& d, const std::string& resource, Json params) {
  TaskRequest r;
  auto spec = ParseResource(resource);
  REQUIRE(spec.ok());
  r.spec = *spec;
  r.parameters = std::move(params);
  r.region = "us-east-1";
  std::promise<TaskOutcome> p;
  auto f = p.get_future();
  d.Dispatch(std::move(r), [&p](TaskOutcome o) { p.set_value(std::move(o)); });
  REQUIRE(f.wait_for(std::chrono::seconds(30)) == std::future_status::ready);
  return f.get();
}

std::string Describe(const TaskOutcome& o) {
  return o.ok ? DumpJson(o.result) : o.error.error + ": " + o.error.cause.value_or("");
}

#define REQUIRE_MOTO()                                                                \
  if (!Moto::Get().up()) {                                                            \
    WARN("moto_server could not start (python3 -m moto.server); skipping this test"); \
    return;                                                                           \
  }

}  // namespace

TEST_CASE("moto: sqs:sendMessage returns the SendMessage members with SDK metadata") {
  REQUIRE_MOTO();
  AwsDispatcher d(ContextFor(Moto::Get().url()));
  auto queue = Call(d, "arn:aws:states:::aws-sdk:sqs:createQueue", {{"QueueName", "q1"}});
  INFO(Describe(queue));
  REQUIRE(queue.ok);
  std::string url = queue.result["QueueUrl"];
  auto sent =
      Call(d, "arn:aws:states:::sqs:sendMessage", {{"QueueUrl", url}, {"MessageBody", {{"a", 1}}}});
  INFO(Describe(sent));
  REQUIRE(sent.ok);
  CHECK(sent.result["MD5OfMessageBody"] == "bb6cb5c68df4652941caf652a366f2d8");  // md5 of {"a":1}
  CHECK(sent.result["MessageId"].is_string());
  CHECK(sent.result["SdkHttpMetadata"]["HttpStatusCode"] == 200);
  CHECK(sent.result["SdkResponseMetadata"].contains("RequestId"));
  auto got = Call(d, "arn:aws:states:::aws-sdk:sqs:receiveMessage", {{"QueueUrl", url}});
  REQUIRE(got.ok);
  CHECK(got.result["Messages"][0]["Body"] == "{\"a\":1}");
}

TEST_CASE("moto: sns:publish parses the XML answer; a missing topic is SNS.NotFoundException") {
  REQUIRE_MOTO();
  AwsDispatcher d(ContextFor(Moto::Get().url()));
  // Topic creation goes through a raw signed query call (SNS has no JSON protocol).
  auto missing = Call(d, "arn:aws:states:::sns:publish",
                      {{"TopicArn", "arn:aws:sns:us-east-1:123456789012:nope"},
                       {"Message", {{"Message", "HelloWorld!"}}}});
  INFO(Describe(missing));
  CHECK_FALSE(missing.ok);
  CHECK(missing.error.error == "SNS.NotFoundException");
  CHECK(missing.error.cause->find("(Service: AmazonSNS; Status Code: 404; Error Code: NotFound;") !=
        std::string::npos);

  AwsContext ctx = ContextFor(Moto::Get().url());
  std::promise<HttpResult> p;
  HttpRequest create;
  create.method = "POST";
  create.url = Moto::Get().url() + "/";
  create.headers = {{"Content-Type", "application/x-www-form-urlencoded; charset=utf-8"}};
  create.body = "Action=CreateTopic&Version=2010-03-31&Name=t1";
  SendSigned(ctx, LookupService("sns"), "us-east-1", create,
             [&p](HttpResult r) { p.set_value(std::move(r)); });
  HttpResult created = p.get_future().get();
  REQUIRE(created.ok());
  REQUIRE(created.response.status == 200);
  auto sent =
      Call(d, "arn:aws:states:::sns:publish",
           {{"TopicArn", "arn:aws:sns:us-east-1:123456789012:t1"},
            {"Message", {{"Message", "HelloWorld!"}}},
            {"MessageAttributes", {{"k", {{"DataType", "String"}, {"StringValue", "v"}}}}}});
  INFO(Describe(sent));
  REQUIRE(sent.ok);
  CHECK(sent.result["MessageId"].get<std::string>().size() > 10);
  CHECK(sent.result["SdkHttpMetadata"]["HttpStatusCode"] == 200);
}

TEST_CASE("moto: dynamodb putItem/getItem, and a missing table's error as AWS names it") {
  REQUIRE_MOTO();
  AwsDispatcher d(ContextFor(Moto::Get().url()));
  auto table = Call(d, "arn:aws:states:::aws-sdk:dynamodb:createTable",
                    Json::parse(R"({"TableName": "t1", "BillingMode": "PAY_PER_REQUEST",
                      "AttributeDefinitions": [{"AttributeName": "id", "AttributeType": "S"}],
                      "KeySchema": [{"AttributeName": "id", "KeyType": "HASH"}]})"));
  INFO(Describe(table));
  REQUIRE(table.ok);
  Json item = Json::parse(R"({"data": {"S": "HelloWorld"}, "id": {"S": "id1"}})");
  auto put = Call(d, "arn:aws:states:::dynamodb:putItem", {{"TableName", "t1"}, {"Item", item}});
  INFO(Describe(put));
  REQUIRE(put.ok);
  CHECK(put.result["SdkHttpMetadata"]["HttpStatusCode"] == 200);
  auto get = Call(d, "arn:aws:states:::dynamodb:getItem",
                  {{"TableName", "t1"}, {"Key", {{"id", {{"S", "id1"}}}}}});
  REQUIRE(get.ok);
  CHECK(get.result["Item"]["data"]["S"] == "HelloWorld");
  auto sdk_get = Call(d, "arn:aws:states:::aws-sdk:dynamodb:getItem",
                      {{"TableName", "t1"}, {"Key", {{"id", {{"S", "id1"}}}}}});
  REQUIRE(sdk_get.ok);
  CHECK(sdk_get.result == Json{{"Item", sdk_get.result["Item"]}});
  auto missing =
      Call(d, "arn:aws:states:::dynamodb:putItem", {{"TableName", "nope"}, {"Item", item}});
  CHECK(missing.error.error == "DynamoDB.ResourceNotFoundException");
  CHECK(missing.error.cause->find("(Service: AmazonDynamoDBv2; Status Code: 400; Error Code: "
                                  "ResourceNotFoundException; Request ID: ") != std::string::npos);
  auto sdk_missing =
      Call(d, "arn:aws:states:::aws-sdk:dynamodb:putItem", {{"TableName", "nope"}, {"Item", item}});
  CHECK(sdk_missing.error.error == "DynamoDb.ResourceNotFoundException");
  CHECK(sdk_missing.error.cause->find("(Service: DynamoDb, Status Code: 400, Request ID: ") !=
        std::string::npos);
}

TEST_CASE("moto: S3 putObject, listObjectsV2, copyObject, getObject and NoSuchKey") {
  REQUIRE_MOTO();
  AwsDispatcher d(ContextFor(Moto::Get().url()));
  auto bucket = Call(d, "arn:aws:states:::aws-sdk:s3:createBucket", {{"Bucket", "bucket-1"}});
  INFO(Describe(bucket));
  REQUIRE(bucket.ok);
  auto put = Call(d, "arn:aws:states:::aws-sdk:s3:putObject",
                  {{"Bucket", "bucket-1"}, {"Key", "dir/file key"}, {"Body", {{"Dict", "Value"}}}});
  INFO(Describe(put));
  REQUIRE(put.ok);
  CHECK(put.result["ETag"] == "\"49e31cee5aec8faf3345893addb14346\"");
  // The CRC-32 the request carried, echoed by the service (AWS recorded hnEfWw==).
  CHECK(put.result["ChecksumCRC32"] == "hnEfWw==");
  // A string Body is stored as JSON text, quotes included, as AWS does.
  auto text = Call(d, "arn:aws:states:::aws-sdk:s3:putObject",
                   {{"Bucket", "bucket-1"}, {"Key", "text"}, {"Body", "text data"}});
  REQUIRE(text.ok);
  CHECK(text.result["ETag"] == "\"2b5df3712557f503a9977a8ea893b2c9\"");
  CHECK(text.result["ChecksumCRC32"] == "KUmHvQ==");
  auto list = Call(d, "arn:aws:states:::aws-sdk:s3:listObjectsV2",
                   {{"Bucket", "bucket-1"}, {"Prefix", "dir/"}});
  INFO(Describe(list));
  REQUIRE(list.ok);
  CHECK(list.result["KeyCount"] == 1);
  CHECK(list.result["IsTruncated"] == false);
  CHECK(list.result["Contents"][0]["Key"] == "dir/file key");
  CHECK(list.result["Contents"][0]["Size"] == 16);
  auto copy =
      Call(d, "arn:aws:states:::aws-sdk:s3:copyObject",
           {{"Bucket", "bucket-1"}, {"Key", "copy.json"}, {"CopySource", "bucket-1/dir/file key"}});
  INFO(Describe(copy));
  REQUIRE(copy.ok);
  CHECK(copy.result["CopyObjectResult"]["ETag"] == "\"49e31cee5aec8faf3345893addb14346\"");
  auto get =
      Call(d, "arn:aws:states:::s3:getObject", {{"Bucket", "bucket-1"}, {"Key", "copy.json"}});
  REQUIRE(get.ok);
  CHECK(get.result["Body"] == "{\"Dict\":\"Value\"}");
  CHECK(get.result["ContentLength"] == 16);
  auto missing =
      Call(d, "arn:aws:states:::aws-sdk:s3:getObject", {{"Bucket", "bucket-1"}, {"Key", "nope"}});
  CHECK(missing.error.error == "S3.NoSuchKeyException");
  CHECK(missing.error.cause->find("(Service: S3, Status Code: 404, Request ID: ") !=
        std::string::npos);
  auto no_bucket = Call(d, "arn:aws:states:::aws-sdk:s3:listObjects", {{"Bucket", "nobucket"}});
  CHECK(no_bucket.error.error == "S3.NoSuchBucketException");
}

TEST_CASE("moto: events:putEvents returns Entries without SDK metadata") {
  REQUIRE_MOTO();
  AwsDispatcher d(ContextFor(Moto::Get().url()));
  auto put = Call(d, "arn:aws:states:::events:putEvents",
                  Json::parse(R"({"Entries": [{"Detail": {"Message": "hi"}, "DetailType": "t",
                                                "Source": "some.source"}]})"));
  INFO(Describe(put));
  REQUIRE(put.ok);
  CHECK(put.result["FailedEntryCount"] == 0);
  CHECK(put.result["Entries"][0]["EventId"].is_string());
  CHECK_FALSE(put.result.contains("SdkHttpMetadata"));
}

TEST_CASE("an endpoint that is down is an SdkClientException naming the address") {
  AwsDispatcher d(ContextFor("http://127.0.0.1:" + std::to_string(FreePort())));
  auto o = Call(d, "arn:aws:states:::sqs:sendMessage",
                {{"QueueUrl", "http://127.0.0.1:1/123456789012/q"}, {"MessageBody", "m"}});
  CHECK(o.error.error == "SQS.SdkClientException");
  CHECK(o.error.cause->find("Unable to execute HTTP request: Connect to 127.0.0.1:") == 0);
  CHECK(o.error.cause->find("Connection refused") != std::string::npos);
}

TEST_CASE("moto: many concurrent calls reuse connections") {
  REQUIRE_MOTO();
  AwsDispatcher d(ContextFor(Moto::Get().url()));
  auto queue = Call(d, "arn:aws:states:::aws-sdk:sqs:createQueue", {{"QueueName", "q2"}});
  REQUIRE(queue.ok);
  std::string url = queue.result["QueueUrl"];
  constexpr int kCalls = 50;
  std::vector<std::future<TaskOutcome>> futures;
  auto start = std::chrono::steady_clock::now();
  for (int i = 0; i < kCalls; ++i) {
    auto p = std::make_shared<std::promise<TaskOutcome>>();
    futures.push_back(p->get_future());
    TaskRequest r;
    r.spec = *ParseResource("arn:aws:states:::sqs:sendMessage");
    r.parameters = {{"QueueUrl", url}, {"MessageBody", "m" + std::to_string(i)}};
    d.Dispatch(r, [p](TaskOutcome o) { p->set_value(std::move(o)); });
  }
  int ok = 0;
  for (auto& f : futures) ok += f.get().ok ? 1 : 0;
  auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() -
                                                                  start)
                .count();
  CHECK(ok == kCalls);
  WARN(kCalls << " concurrent sqs:sendMessage calls against moto took " << ms << " ms");
}
