// The writer's sequence cache: batch and transaction rollbacks restore it.
#include <catch2/catch.hpp>

#include "storage/sequence_cache.h"

namespace stepline::storage {
namespace {

int64_t LastId(const SequenceCache& cache, const std::string& arn) {
  const SequenceCache::Entry* entry = cache.Find(arn);
  return entry == nullptr ? -1 : entry->last_event_id;
}

TEST_CASE("a rolled-back batch leaves the sequence cache as it was", "[storage]") {
  SequenceCache cache;
  cache.BeginBatch();
  cache.Set("a", {1, 3});
  cache.Commit();

  cache.BeginBatch();
  cache.Set("a", {1, 5});
  cache.BeginBatch();
  cache.Set("a", {1, 7});
  cache.Set("b", {2, 1});
  cache.Set("b", {2, 2});
  cache.RollbackBatch();
  CHECK(LastId(cache, "a") == 5);
  CHECK(LastId(cache, "b") == -1);
  cache.Rollback();
  CHECK(LastId(cache, "a") == 3);
  CHECK(cache.Find("a")->row_id == 1);
}

TEST_CASE("finished executions are forgotten only when the transaction commits", "[storage]") {
  SequenceCache cache;
  cache.BeginBatch();
  cache.Set("a", {1, 3});
  cache.Set("b", {2, 3});
  cache.Commit();

  cache.BeginBatch();
  cache.ForgetAfterCommit("a");
  cache.RollbackBatch();
  cache.BeginBatch();
  cache.ForgetAfterCommit("b");
  CHECK(LastId(cache, "b") == 3);
  cache.Commit();
  CHECK(LastId(cache, "a") == 3);
  CHECK(LastId(cache, "b") == -1);
}

}  // namespace
}  // namespace stepline::storage
