// PathImpl: the compiled form behind jsonpath::Path (internal; see path.h).
//
// Thread-safety: immutable after construction.
// Invariant: definite() == IsDefinite(ast()).
#pragma once

#include <string>
#include <utility>

#include "engine/jsonpath/path_ast.h"

namespace stepline::jsonpath {

class PathImpl {
 public:
  PathImpl(std::string text, PathAst ast)
      : text_(std::move(text)), ast_(std::move(ast)), definite_(IsDefinite(ast_)) {}
  const std::string& text() const { return text_; }
  const PathAst& ast() const { return ast_; }
  bool definite() const { return definite_; }

 private:
  std::string text_;
  PathAst ast_;
  bool definite_;
};

}  // namespace stepline::jsonpath
