#include "storage/sequence_cache.h"

namespace stepline::storage {

const SequenceCache::Entry* SequenceCache::Find(const std::string& arn) const {
  auto it = entries_.find(arn);
  return it == entries_.end() ? nullptr : &it->second;
}

void SequenceCache::Set(const std::string& arn, Entry entry) {
  auto [it, inserted] = entries_.try_emplace(arn, entry);
  undo_.push_back(Undo{&*it, !inserted, it->second});
  it->second = entry;
}

void SequenceCache::ForgetAfterCommit(const std::string& arn) { forget_.push_back(arn); }

void SequenceCache::BeginBatch() {
  batch_mark_ = undo_.size();
  forget_mark_ = forget_.size();
}

void SequenceCache::RollbackBatch() {
  UndoTo(batch_mark_);
  forget_.resize(forget_mark_);
}

void SequenceCache::Commit() {
  undo_.clear();
  batch_mark_ = 0;
  for (const std::string& arn : forget_) entries_.erase(arn);
  forget_.clear();
  forget_mark_ = 0;
  if (entries_.size() > kMaxEntries) entries_.clear();
}

void SequenceCache::Rollback() {
  UndoTo(0);
  batch_mark_ = 0;
  forget_.clear();
  forget_mark_ = 0;
}

void SequenceCache::UndoTo(size_t mark) {
  while (undo_.size() > mark) {
    Undo& undo = undo_.back();
    if (undo.existed) {
      undo.node->second = undo.previous;
    } else {
      entries_.erase(undo.node->first);
    }
    undo_.pop_back();
  }
}

}  // namespace stepline::storage
