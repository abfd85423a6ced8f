// Mocked service integrations compatible with AWS Step Functions Local's mock
// configuration file (MockConfigFile.json):
//
//   {"StateMachines": {"<name>": {"TestCases": {"<case>": {"<state>": "<mock>"}}}},
//    "MockedResponses": {"<mock>": {"0": {"Return": {...}},
//                                   "1-2": {"Throw": {"Error": "E", "Cause": "C"}}}}}
//
// An execution started as "<stateMachineArn>#<case>" carries TaskRequest::test_case;
// its Task states listed in the test case answer from the mocked response entry
// whose invocation range holds TaskRequest::invocation (past the last entry, the
// last entry repeats). Anything else falls through to the wrapped dispatcher.
//
// Thread-safety: MockConfig is immutable after Parse; MockDispatcher::Dispatch may
// be called concurrently. Invariant: every test case state names a mocked
// response that exists, and each mocked response has at least one entry with
// disjoint, non-negative invocation ranges.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "common/json.h"
#include "common/status.h"
#include "integrations/task_dispatch.h"

namespace stepline::integrations {

class MockConfig {
 public:
  // kValidation with a description of the first problem found.
  static Result<MockConfig> Parse(const Json& document);
  static Result<MockConfig> LoadFile(const std::string& path);

  // The mocked outcome for `state` in `test_case` of `state_machine` at the
  // 0-based `invocation`, or nullopt when that state is not mocked.
  std::optional<TaskOutcome> Lookup(const std::string& state_machine, const std::string& test_case,
                                    const std::string& state, int64_t invocation) const;

  bool HasTestCase(const std::string& state_machine, const std::string& test_case) const;

 private:
  struct Entry {
    int64_t first = 0;
    int64_t last = 0;
    TaskOutcome outcome;
  };
  using TestCase = std::map<std::string, std::string>;  // state -> mocked response
  std::map<std::string, std::map<std::string, TestCase>> machines_;
  std::map<std::string, std::vector<Entry>> responses_;  // entries sorted by `first`

  static Result<std::vector<Entry>> ParseResponse(const std::string& name, const Json& body);
};

// "arn:aws:states:r:a:stateMachine:Name[:version]" -> "Name"; "Name" -> "Name".
std::string StateMachineNameOf(const std::string& arn);
// "arn...#Case" -> "Case"; "Case" -> "Case".
std::string TestCaseNameOf(const std::string& test_case);

class MockDispatcher : public TaskDispatcher {
 public:
  MockDispatcher(std::shared_ptr<const MockConfig> config,
                 std::shared_ptr<TaskDispatcher> fallback);
  void Dispatch(TaskRequest request, std::function<void(TaskOutcome)> done) override;

 private:
  std::shared_ptr<const MockConfig> config_;
  std::shared_ptr<TaskDispatcher> fallback_;
};

}  // namespace stepline::integrations
