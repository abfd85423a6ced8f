// TagResource, UntagResource, ListTagsForResource (state machines and
// activities).
#include <mutex>

#include "common/limits.h"
#include "server/api/actions.h"
#include "server/api/resources.h"

namespace stepline::api {
namespace {

// The tagged resource's ARN, checked to exist.
Result<std::string> ReadResource(const ApiContext& ctx, const Json& request) {
  ASSIGN_OR_RETURN(ParsedArn arn,
                   RequiredArn(request, "resourceArn", {ArnKind::kStateMachine, ArnKind::kActivity},
                               limits::kMaxArnLength));
  if (arn.kind == ArnKind::kActivity) {
    ASSIGN_OR_RETURN(std::optional<storage::ActivityRecord> activity,
                     ctx.deps.store->GetActivity(arn.arn));
    if (!activity) return ResourceNotFound(arn.arn);
  } else {
    ASSIGN_OR_RETURN(std::optional<storage::StateMachineRecord> machine,
                     ctx.deps.store->GetStateMachine(arn.arn));
    if (!machine) return ResourceNotFound(arn.arn);
  }
  return arn.arn;
}

Result<Json> TagResource(const ApiContext& ctx, const Json& request) {
  ConstraintErrors errors;
  ASSIGN_OR_RETURN(const Json* list, OptArray(request, "tags"));
  if (list == nullptr) errors.NotNull("tags");
  RETURN_IF_ERROR(errors.ToStatus());
  std::lock_guard<std::mutex> lock(*ctx.control_mu);
  ASSIGN_OR_RETURN(std::string arn, ReadResource(ctx, request));
  ASSIGN_OR_RETURN(TagMap added, ReadTags(request, arn));
  ASSIGN_OR_RETURN(TagMap tags, ctx.deps.store->GetTags(arn));
  for (const auto& [key, value] : added) tags[key] = value;
  if (tags.size() > static_cast<size_t>(limits::kMaxTagsPerResource)) return TooManyTags(arn);
  storage::WriteBatch batch;
  batch.put_tags[arn] = added;
  RETURN_IF_ERROR(ctx.deps.store->CommitAndWait(std::move(batch)));
  return Json::object();
}

Result<Json> UntagResource(const ApiContext& ctx, const Json& request) {
  ConstraintErrors errors;
  ASSIGN_OR_RETURN(const Json* keys, OptArray(request, "tagKeys"));
  if (keys == nullptr) errors.NotNull("tagKeys");
  RETURN_IF_ERROR(errors.ToStatus());
  std::vector<std::string> removed;
  for (size_t i = 0; i < keys->size(); ++i) {
    const Json& key = (*keys)[i];
    if (!key.is_string()) return Status(ErrorCode::kSerialization, "Unexpected tag key");
    std::string at = "tagKeys." + std::to_string(i + 1) + ".member";
    errors.MinLength(at, key.get<std::string>(), 1);
    errors.MaxLength(at, key.get<std::string>(), 128);
    removed.push_back(key.get<std::string>());
  }
  RETURN_IF_ERROR(errors.ToStatus());
  std::lock_guard<std::mutex> lock(*ctx.control_mu);
  ASSIGN_OR_RETURN(std::string arn, ReadResource(ctx, request));
  storage::WriteBatch batch;
  batch.delete_tags[arn] = removed;
  RETURN_IF_ERROR(ctx.deps.store->CommitAndWait(std::move(batch)));
  return Json::object();
}

Result<Json> ListTagsForResource(const ApiContext& ctx, const Json& request) {
  ASSIGN_OR_RETURN(std::string arn, ReadResource(ctx, request));
  ASSIGN_OR_RETURN(TagMap tags, ctx.deps.store->GetTags(arn));
  Json items = Json::array();
  for (const auto& [key, value] : tags) items.push_back({{"key", key}, {"value", value}});
  return Json{{"tags", std::move(items)}};
}

}  // namespace

void RegisterTagActions(ActionTable& table) {
  table["TagResource"] = Sync(TagResource);
  table["UntagResource"] = Sync(UntagResource);
  table["ListTagsForResource"] = Sync(ListTagsForResource);
}

}  // namespace stepline::api
