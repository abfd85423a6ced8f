// CreateActivity, DescribeActivity, DeleteActivity, ListActivities.
#include <mutex>

#include "server/api/actions.h"
#include "server/api/resources.h"

namespace stepline::api {
namespace {

Result<Json> CreateActivity(const ApiContext& ctx, const Json& request) {
  ConstraintErrors errors;
  ASSIGN_OR_RETURN(std::string name, RequiredString(request, "name", errors));
  RETURN_IF_ERROR(errors.ToStatus());
  RETURN_IF_ERROR(CheckName(name));
  std::string arn = ActivityArn(ctx.deps.region, ctx.deps.account, name);
  ASSIGN_OR_RETURN(TagMap tags, ReadTags(request, arn));
  ASSIGN_OR_RETURN(Json encryption, ReadEncryptionConfiguration(request));
  std::lock_guard<std::mutex> lock(*ctx.control_mu);
  ASSIGN_OR_RETURN(std::optional<storage::ActivityRecord> existing,
                   ctx.deps.store->GetActivity(arn));
  if (existing) {
    Json stored = existing->attributes.is_object()
                      ? existing->attributes.value("encryptionConfiguration", Json())
                      : Json();
    if (stored != encryption) {
      return Status(ErrorCode::kActivityAlreadyExists, "Activity already exists: '" + arn + "'");
    }
    return Json{{"activityArn", arn}, {"creationDate", Timestamp(existing->creation_date)}};
  }
  storage::ActivityRecord activity;
  activity.arn = arn;
  activity.name = name;
  activity.creation_date = ctx.Now();
  activity.attributes = Json::object();
  if (!encryption.is_null()) activity.attributes["encryptionConfiguration"] = encryption;
  storage::WriteBatch batch;
  batch.put_activities.push_back(activity);
  if (!tags.empty()) batch.put_tags[arn] = tags;
  RETURN_IF_ERROR(ctx.deps.store->CommitAndWait(std::move(batch)));
  return Json{{"activityArn", arn}, {"creationDate", Timestamp(activity.creation_date)}};
}

Result<Json> DescribeActivity(const ApiContext& ctx, const Json& request) {
  ASSIGN_OR_RETURN(ParsedArn arn, RequiredArn(request, "activityArn", {ArnKind::kActivity}));
  ASSIGN_OR_RETURN(std::optional<storage::ActivityRecord> activity,
                   ctx.deps.store->GetActivity(arn.arn));
  if (!activity) {
    return Status(ErrorCode::kActivityDoesNotExist, "Activity Does Not Exist: '" + arn.arn + "'");
  }
  Json out = {{"activityArn", activity->arn},
              {"name", activity->name},
              {"creationDate", Timestamp(activity->creation_date)}};
  if (activity->attributes.is_object() &&
      activity->attributes.contains("encryptionConfiguration")) {
    out["encryptionConfiguration"] = activity->attributes["encryptionConfiguration"];
  }
  return out;
}

Result<Json> DeleteActivity(const ApiContext& ctx, const Json& request) {
  ASSIGN_OR_RETURN(ParsedArn arn, RequiredArn(request, "activityArn", {ArnKind::kActivity}));
  std::lock_guard<std::mutex> lock(*ctx.control_mu);
  storage::WriteBatch batch;
  batch.delete_activities.push_back(arn.arn);
  RETURN_IF_ERROR(ctx.deps.store->CommitAndWait(std::move(batch)));
  return Json::object();
}

Result<Json> ListActivities(const ApiContext& ctx, const Json& request) {
  ConstraintErrors errors;
  ASSIGN_OR_RETURN(storage::PageRequest page, ReadPage(request, errors));
  RETURN_IF_ERROR(errors.ToStatus());
  ASSIGN_OR_RETURN(storage::Page<storage::ActivityRecord> result,
                   ctx.deps.store->ListActivities(page));
  Json items = Json::array();
  for (const storage::ActivityRecord& activity : result.items) {
    items.push_back({{"activityArn", activity.arn},
                     {"name", activity.name},
                     {"creationDate", Timestamp(activity.creation_date)}});
  }
  Json out = {{"activities", std::move(items)}};
  if (!result.next_token.empty()) out["nextToken"] = result.next_token;
  return out;
}

}  // namespace

void RegisterActivityActions(ActionTable& table) {
  table["CreateActivity"] = Sync(CreateActivity);
  table["DescribeActivity"] = Sync(DescribeActivity);
  table["DeleteActivity"] = Sync(DeleteActivity);
  table["ListActivities"] = Sync(ListActivities);
}

}  // namespace stepline::api
