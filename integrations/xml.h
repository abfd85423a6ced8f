// A minimal XML reader for AWS query/REST-XML responses (SNS, S3): elements,
// text and the predefined/numeric entities; attributes, comments, processing
// instructions and CDATA are read and ignored (CDATA text is kept).
//
// Thread-safety: values. Invariant: depth is capped (kMaxXmlDepth) so hostile
// input cannot exhaust the stack.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"

namespace stepline::integrations {

inline constexpr int kMaxXmlDepth = 64;

struct XmlNode {
  std::string name;  // local name (namespace prefix removed)
  std::string text;  // concatenated character data directly inside the element
  std::vector<XmlNode> children;

  const XmlNode* Child(std::string_view name) const;  // first child with that name
  std::vector<const XmlNode*> Children(std::string_view name) const;
  std::string ChildText(std::string_view name) const;  // "" when absent
};

Result<XmlNode> ParseXml(std::string_view text);

}  // namespace stepline::integrations
