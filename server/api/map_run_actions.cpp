// DescribeMapRun, ListMapRuns, UpdateMapRun: the map runs of distributed Map
// states, read from the engine's MapRunRegistry.
#include <cmath>

#include "common/limits.h"
#include "engine/runtime/engine.h"
#include "server/api/actions.h"
#include "server/api/resources.h"
#include "storage/page_token.h"

namespace stepline::api {
namespace {

using runtime::MapRunCounts;
using runtime::MapRunInfo;

constexpr size_t kMaxMapRunArnLength = 2000;  // mapRunArn members of the API model

Json Counts(const MapRunCounts& c) {
  return {{"pending", c.pending},       {"running", c.running},
          {"succeeded", c.succeeded},   {"failed", c.failed},
          {"timedOut", c.timed_out},    {"aborted", c.aborted},
          {"total", c.total},           {"resultsWritten", c.results_written},
          {"failuresNotRedrivable", 0}, {"pendingRedrive", 0}};
}

Result<MapRunInfo> LoadMapRun(const ApiContext& ctx, const std::string& arn) {
  const runtime::MapRunRegistry* runs = ctx.deps.engine->map_runs();
  std::optional<MapRunInfo> info = runs ? runs->Get(arn) : std::nullopt;
  if (!info) return ResourceNotFound(arn);
  return *info;
}

Result<Json> DescribeMapRun(const ApiContext& ctx, const Json& request) {
  ASSIGN_OR_RETURN(ParsedArn arn,
                   RequiredArn(request, "mapRunArn", {ArnKind::kMapRun}, kMaxMapRunArnLength));
  ASSIGN_OR_RETURN(MapRunInfo run, LoadMapRun(ctx, arn.arn));
  Json out = {{"mapRunArn", run.arn},
              {"executionArn", run.execution_arn},
              {"status", run.status},
              {"startDate", Timestamp(run.start_date)},
              {"maxConcurrency", run.max_concurrency},
              {"toleratedFailurePercentage", run.tolerated_failure_percentage},
              {"toleratedFailureCount", run.tolerated_failure_count},
              {"itemCounts", Counts(run.items)},
              {"executionCounts", Counts(run.executions)},
              {"redriveCount", run.redrive_count}};
  if (run.stop_date) out["stopDate"] = Timestamp(*run.stop_date);
  if (run.redrive_date) out["redriveDate"] = Timestamp(*run.redrive_date);
  return out;
}

// Pages are offsets into the execution's runs (oldest first).
Result<Json> ListMapRuns(const ApiContext& ctx, const Json& request) {
  ConstraintErrors errors;
  ASSIGN_OR_RETURN(ParsedArn arn, RequiredArn(request, "executionArn", {ArnKind::kExecution}));
  ASSIGN_OR_RETURN(storage::PageRequest page,
                   ReadPage(request, errors, limits::kMaxResultsPerPage));
  RETURN_IF_ERROR(errors.ToStatus());
  RETURN_IF_ERROR(LoadExecution(ctx, arn.arn).status());
  std::string query = "mapruns|" + arn.arn;
  size_t offset = 0;
  if (!page.next_token.empty()) {
    ASSIGN_OR_RETURN(Json keys, storage::DecodePageToken(query, page.next_token, 1));
    if (!keys[0].is_number_unsigned()) {
      return Status(ErrorCode::kInvalidToken, "Invalid pagination token");
    }
    offset = keys[0].get<size_t>();
  }
  const runtime::MapRunRegistry* registry = ctx.deps.engine->map_runs();
  std::vector<MapRunInfo> runs =
      registry ? registry->ForExecution(arn.arn) : std::vector<MapRunInfo>();
  Json items = Json::array();
  size_t end = std::min(runs.size(), offset + static_cast<size_t>(page.max_results));
  for (size_t i = offset; i < end; ++i) {
    Json item = {{"executionArn", runs[i].execution_arn},
                 {"mapRunArn", runs[i].arn},
                 {"stateMachineArn", runs[i].state_machine_arn},
                 {"startDate", Timestamp(runs[i].start_date)}};
    if (runs[i].stop_date) item["stopDate"] = Timestamp(*runs[i].stop_date);
    items.push_back(std::move(item));
  }
  Json out = {{"mapRuns", std::move(items)}};
  if (end < runs.size()) out["nextToken"] = storage::EncodePageToken(query, Json::array({end}));
  return out;
}

// AWS's float constraint wording shows Java's Float text ("101.0").
std::string FloatText(double v) {
  if (std::floor(v) == v && std::fabs(v) < 1e15) return std::to_string(int64_t(v)) + ".0";
  return DumpJson(Json(v));
}

void PercentageRange(double v, ConstraintErrors& errors) {
  const char* member = "toleratedFailurePercentage";
  if (v > 100) {
    errors.Add("'" + FloatText(v) + "'", member,
               "Member must have value less than or equal to 100");
  } else if (v < 0) {
    errors.Add("'" + FloatText(v) + "'", member,
               "Member must have value greater than or equal to 0");
  }
}

Result<runtime::MapRunUpdate> ReadUpdate(const Json& request) {
  ConstraintErrors errors;
  runtime::MapRunUpdate update;
  ASSIGN_OR_RETURN(update.max_concurrency, OptInt(request, "maxConcurrency"));
  ASSIGN_OR_RETURN(update.tolerated_failure_percentage,
                   OptDouble(request, "toleratedFailurePercentage"));
  ASSIGN_OR_RETURN(update.tolerated_failure_count, OptInt(request, "toleratedFailureCount"));
  if (update.max_concurrency) {
    errors.Range("maxConcurrency", *update.max_concurrency, 0, INT32_MAX);
  }
  if (update.tolerated_failure_percentage) {
    PercentageRange(*update.tolerated_failure_percentage, errors);
  }
  if (update.tolerated_failure_count) {
    errors.Range("toleratedFailureCount", *update.tolerated_failure_count, 0, INT64_MAX);
  }
  RETURN_IF_ERROR(errors.ToStatus());
  return update;
}

void UpdateMapRun(const ApiContext& ctx, const Json& request, Reply reply) {
  Result<ParsedArn> arn =
      RequiredArn(request, "mapRunArn", {ArnKind::kMapRun}, kMaxMapRunArnLength);
  if (!arn.ok()) return reply(arn.status());
  Result<runtime::MapRunUpdate> update = ReadUpdate(request);
  if (!update.ok()) return reply(update.status());
  Result<MapRunInfo> run = LoadMapRun(ctx, arn->arn);
  if (!run.ok()) return reply(run.status());
  ctx.deps.engine->UpdateMapRun(arn->arn, *update, [reply](Status st) {
    if (!st.ok()) return reply(st);
    reply(Json::object());
  });
}

}  // namespace

void RegisterMapRunActions(ActionTable& table) {
  table["DescribeMapRun"] = Sync(DescribeMapRun);
  table["ListMapRuns"] = Sync(ListMapRuns);
  table["UpdateMapRun"] = UpdateMapRun;
}

}  // namespace stepline::api
