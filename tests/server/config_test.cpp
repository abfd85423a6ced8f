#include "server/config.h"

#include <catch2/catch.hpp>
#include <map>

using namespace stepline;
using namespace stepline::server;

namespace {

EnvLookup Env(std::map<std::string, std::string> vars) {
  return [vars = std::move(vars)](const std::string& name) -> std::optional<std::string> {
    auto it = vars.find(name);
    if (it == vars.end()) return std::nullopt;
    return it->second;
  };
}

Result<Invocation> Parse(std::vector<std::string> args,
                         std::map<std::string, std::string> env = {}) {
  return ParseInvocation(args, Env(std::move(env)));
}

}  // namespace

TEST_CASE("without flags or environment the defaults apply", "[config]") {
  auto inv = Parse({});
  REQUIRE(inv.ok());
  CHECK(inv->command == Command::kServe);
  CHECK(inv->config.host == "127.0.0.1");
  CHECK(inv->config.port == 8083);
  CHECK(inv->config.db == "./stepline.db");
  CHECK(inv->config.region == "us-east-1");
  CHECK(inv->config.account == "123456789012");
  CHECK(inv->config.log_level == "info");
  CHECK(inv->config.wait_time_scale == 1.0);
  CHECK(inv->config.threads == 0);
}

TEST_CASE("flags take a separate or an '=' value", "[config]") {
  auto inv = Parse({"--host", "0.0.0.0", "--port=9000", "--db", ":memory:", "--region=eu-west-1",
                    "--account", "000000000000", "--log-level", "debug", "--wait-time-scale", "0",
                    "--threads=3"});
  REQUIRE(inv.ok());
  CHECK(inv->config.host == "0.0.0.0");
  CHECK(inv->config.port == 9000);
  CHECK(inv->config.db == ":memory:");
  CHECK(inv->config.region == "eu-west-1");
  CHECK(inv->config.account == "000000000000");
  CHECK(inv->config.log_level == "debug");
  CHECK(inv->config.wait_time_scale == 0.0);
  CHECK(inv->config.threads == 3);
}

TEST_CASE("environment variables apply, and a flag beats its variable", "[config]") {
  auto inv = Parse({"--port", "7000"}, {{"STEPLINE_PORT", "6000"},
                                        {"STEPLINE_DB", "/tmp/x.db"},
                                        {"AWS_DEFAULT_REGION", "ap-south-1"},
                                        {"AWS_ACCOUNT_ID", "111122223333"},
                                        {"STEPLINE_LOG_LEVEL", "warn"},
                                        {"WAIT_TIME_SCALE", "0.5"},
                                        {"STEPLINE_HOST", "::1"}});
  REQUIRE(inv.ok());
  CHECK(inv->config.port == 7000);
  CHECK(inv->config.db == "/tmp/x.db");
  CHECK(inv->config.region == "ap-south-1");
  CHECK(inv->config.account == "111122223333");
  CHECK(inv->config.log_level == "warn");
  CHECK(inv->config.wait_time_scale == 0.5);
  CHECK(inv->config.host == "::1");
}

TEST_CASE("PORT is read when STEPLINE_PORT is not set", "[config]") {
  CHECK(Parse({}, {{"PORT", "5000"}})->config.port == 5000);
  CHECK(Parse({}, {{"PORT", "5000"}, {"STEPLINE_PORT", "5001"}})->config.port == 5001);
}

TEST_CASE("--help, --version and --health-check select their command", "[config]") {
  CHECK(Parse({"--help"})->command == Command::kHelp);
  CHECK(Parse({"-h"})->command == Command::kHelp);
  CHECK(Parse({"--version"})->command == Command::kVersion);
  auto health = Parse({"--health-check", "--port", "9001"});
  REQUIRE(health.ok());
  CHECK(health->command == Command::kHealthCheck);
  CHECK(health->config.port == 9001);
}

TEST_CASE("bad values are errors that name the flag or variable", "[config]") {
  auto bad_port = Parse({"--port", "70000"});
  REQUIRE_FALSE(bad_port.ok());
  CHECK(bad_port.status().message().find("--port") != std::string::npos);
  auto bad_env = Parse({}, {{"WAIT_TIME_SCALE", "fast"}});
  REQUIRE_FALSE(bad_env.ok());
  CHECK(bad_env.status().message().find("WAIT_TIME_SCALE") != std::string::npos);
  CHECK_FALSE(Parse({"--log-level", "loud"}).ok());
  CHECK_FALSE(Parse({"--account", "12"}).ok());
  CHECK_FALSE(Parse({"--wait-time-scale", "-1"}).ok());
  CHECK_FALSE(Parse({"--threads", "100000"}).ok());
  CHECK_FALSE(Parse({"--port"}).ok());
  CHECK_FALSE(Parse({"--bogus"}).ok());
}

TEST_CASE("--help documents every flag and its variable", "[config]") {
  std::string usage = UsageText();
  for (const char* word : {"--host", "--port", "--db", "--region", "--account", "--log-level",
                           "--wait-time-scale", "--threads", "--health-check", "--version",
                           "STEPLINE_PORT", "PORT", "STEPLINE_DB", "AWS_DEFAULT_REGION",
                           "AWS_ACCOUNT_ID", "STEPLINE_LOG_LEVEL", "WAIT_TIME_SCALE", "jsonata"}) {
    CHECK(usage.find(word) != std::string::npos);
  }
}

TEST_CASE("zero threads means the hardware's", "[config]") {
  Config config;
  CHECK(EffectiveThreads(config) >= 1);
  config.threads = 3;
  CHECK(EffectiveThreads(config) == 3);
}

TEST_CASE("--mock-config and --handlers beat SFN_MOCK_CONFIG and STEPLINE_HANDLERS", "[config]") {
  auto env =
      Parse({}, {{"SFN_MOCK_CONFIG", "/env/mocks.json"}, {"STEPLINE_HANDLERS", "/env/h.json"}});
  REQUIRE(env.ok());
  CHECK(env->config.mock_config == "/env/mocks.json");
  CHECK(env->config.handlers == "/env/h.json");
  auto flags = Parse({"--mock-config", "m.json", "--handlers=h.json"},
                     {{"SFN_MOCK_CONFIG", "/env/mocks.json"}});
  REQUIRE(flags.ok());
  CHECK(flags->config.mock_config == "m.json");
  CHECK(flags->config.handlers == "h.json");
  CHECK(Parse({}).value().config.mock_config.empty());
  CHECK_FALSE(Parse({"--mock-config="}).ok());
  std::string usage = UsageText();
  CHECK(usage.find("--mock-config") != std::string::npos);
  CHECK(usage.find("STEPLINE_HANDLERS") != std::string::npos);
}
