#include "server/api/definition_cache.h"

#include "engine/asl/parser.h"

namespace stepline::api {

DefinitionCache::Machine DefinitionCache::Find(const std::string& arn,
                                               const std::string& revision_id) const {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = entries_.find(Key(arn, revision_id));
  return it == entries_.end() ? nullptr : it->second;
}

void DefinitionCache::Put(const std::string& arn, const std::string& revision_id, Machine machine) {
  std::lock_guard<std::mutex> lock(mu_);
  Key key(arn, revision_id);
  if (!entries_.emplace(key, std::move(machine)).second) return;
  order_.push_back(std::move(key));
  while (entries_.size() > capacity_ && !order_.empty()) {
    entries_.erase(order_.front());
    order_.pop_front();
  }
}

Result<DefinitionCache::Machine> DefinitionCache::GetOrParse(const std::string& arn,
                                                             const std::string& revision_id,
                                                             const std::string& definition,
                                                             bool express) {
  if (Machine cached = Find(arn, revision_id)) return cached;
  asl::ParseOptions options;
  options.express = express;
  ASSIGN_OR_RETURN(Machine parsed, asl::ParseDefinition(definition, options));
  Put(arn, revision_id, parsed);
  return parsed;
}

size_t DefinitionCache::size() const {
  std::lock_guard<std::mutex> lock(mu_);
  return entries_.size();
}

}  // namespace stepline::api
