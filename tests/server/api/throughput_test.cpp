// Hidden measurement (run with `api_tests [.bench]`): how many requests per
// second the API layer itself answers over an in-memory store and the fake
// engine, one caller thread. Prints the figures; asserts only correctness.
#include <catch2/catch.hpp>

#include <chrono>
#include <cstdio>

#include "api_test_util.h"

using namespace stepline;
using namespace stepline::api::testing;

namespace {

double Seconds(std::chrono::steady_clock::time_point since) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - since).count();
}

}  // namespace

TEST_CASE("API throughput with an in-memory store", "[.bench]") {
  Harness h;
  std::string sm = h.CreateMachine("bench");
  constexpr int kCount = 2000;
  auto start = std::chrono::steady_clock::now();
  for (int i = 0; i < kCount; ++i) h.Start(sm, "e" + std::to_string(i), "{\"i\":1}");
  double start_s = Seconds(start);
  start = std::chrono::steady_clock::now();
  for (int i = 0; i < kCount; ++i) {
    h.Ok("DescribeExecution", {{"executionArn", ExecArn("bench", "e" + std::to_string(i))}});
  }
  double describe_s = Seconds(start);
  start = std::chrono::steady_clock::now();
  int listed = 0;
  Json request = {{"stateMachineArn", sm}, {"maxResults", 100}};
  while (true) {
    Json page = h.Ok("ListExecutions", request);
    listed += static_cast<int>(page["executions"].size());
    if (!page.contains("nextToken")) break;
    request["nextToken"] = page["nextToken"];
  }
  double list_s = Seconds(start);
  CHECK(listed == kCount);
  std::printf(
      "StartExecution: %.0f/s, DescribeExecution: %.0f/s, ListExecutions: %d items in %.3f s\n",
      kCount / start_s, kCount / describe_s, listed, list_s);
}
