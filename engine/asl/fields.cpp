// Which fields each state type accepts, and which belong to one query language.
#include "engine/asl/state_parsers.h"

namespace stepline::asl::internal {
namespace {

using FieldSet = std::set<std::string_view>;

FieldSet Union(std::initializer_list<FieldSet> sets) {
  FieldSet out;
  for (const FieldSet& s : sets) out.insert(s.begin(), s.end());
  return out;
}

const FieldSet kCommon = {"Type", "Comment", "QueryLanguage"};
const FieldSet kTransition = {"Next", "End"};
const FieldSet kInOut = {"InputPath", "OutputPath", "Output"};
const FieldSet kResult = {"ResultPath", "ResultSelector"};
const FieldSet kErrors = {"Retry", "Catch"};

}  // namespace

const FieldSet& FieldsOf(StateType type) {
  static const FieldSet kPass = Union(
      {kCommon, kTransition, kInOut, FieldSet{"Parameters", "Result", "ResultPath", "Assign"}});
  static const FieldSet kTask = Union(
      {kCommon, kTransition, kInOut, kResult, kErrors,
       FieldSet{"Parameters", "Arguments", "Assign", "Resource", "Credentials", "TimeoutSeconds",
                "TimeoutSecondsPath", "HeartbeatSeconds", "HeartbeatSecondsPath"}});
  static const FieldSet kChoice =
      Union({kCommon, kInOut, FieldSet{"Assign", "Choices", "Default"}});
  static const FieldSet kWait =
      Union({kCommon, kTransition, kInOut,
             FieldSet{"Assign", "Seconds", "Timestamp", "SecondsPath", "TimestampPath"}});
  static const FieldSet kSucceed = Union({kCommon, kInOut});
  static const FieldSet kFail =
      Union({kCommon, FieldSet{"Error", "Cause", "ErrorPath", "CausePath"}});
  static const FieldSet kParallel =
      Union({kCommon, kTransition, kInOut, kResult, kErrors,
             FieldSet{"Parameters", "Arguments", "Assign", "Branches"}});
  static const FieldSet kMap = Union(
      {kCommon, kTransition, kInOut, kResult, kErrors,
       FieldSet{"Parameters", "Assign", "ItemProcessor", "Iterator", "ItemsPath", "Items",
                "ItemSelector", "MaxConcurrency", "MaxConcurrencyPath", "ItemReader", "ItemBatcher",
                "ResultWriter", "ToleratedFailureCount", "ToleratedFailureCountPath",
                "ToleratedFailurePercentage", "ToleratedFailurePercentagePath", "Label"}});
  switch (type) {
    case StateType::kPass:
      return kPass;
    case StateType::kTask:
      return kTask;
    case StateType::kChoice:
      return kChoice;
    case StateType::kWait:
      return kWait;
    case StateType::kSucceed:
      return kSucceed;
    case StateType::kFail:
      return kFail;
    case StateType::kParallel:
      return kParallel;
    case StateType::kMap:
      return kMap;
  }
  return kSucceed;
}

const FieldSet& JsonPathOnlyFields() {
  static const FieldSet kFields = {"InputPath",
                                   "OutputPath",
                                   "Parameters",
                                   "ResultPath",
                                   "ResultSelector",
                                   "Result",
                                   "ItemsPath",
                                   "SecondsPath",
                                   "TimestampPath",
                                   "TimeoutSecondsPath",
                                   "HeartbeatSecondsPath",
                                   "MaxConcurrencyPath",
                                   "ErrorPath",
                                   "CausePath",
                                   "ToleratedFailureCountPath",
                                   "ToleratedFailurePercentagePath"};
  return kFields;
}

const FieldSet& JsonataOnlyFields() {
  static const FieldSet kFields = {"Arguments", "Output", "Items"};
  return kFields;
}

}  // namespace stepline::asl::internal
