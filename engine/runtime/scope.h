// FrameScope: the workflow variables visible from a frame — its own, then
// its ancestors' (inner Map/Parallel frames read outer variables) — plus the
// JSONata "$states" binding when one is given.
//
// Thread-safety: used on the execution's strand only; borrows the frames.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "engine/expr_context.h"
#include "engine/runtime/execution.h"

namespace stepline::runtime {

// Variables visible from a frame: its own, then its ancestors'; "states"
// resolves to the JSONata $states binding when one is given.
class FrameScope final : public VariableScope {
 public:
  FrameScope(const std::vector<std::unique_ptr<Frame>>& frames, int frame_id, const Json* states)
      : frames_(frames), frame_id_(frame_id), states_(states) {}

  const Json* Find(std::string_view name) const override {
    if (states_ && name == "states") return states_;
    for (int id = frame_id_; id >= 0; id = frames_[id]->parent) {
      const Json& vars = frames_[id]->variables;
      auto it = vars.find(std::string(name));
      if (it != vars.end()) return &*it;
    }
    return nullptr;
  }

 private:
  const std::vector<std::unique_ptr<Frame>>& frames_;
  int frame_id_;
  const Json* states_;
};

}  // namespace stepline::runtime
