#include "integrations/xml.h"

#include <cctype>

namespace stepline::integrations {
namespace {

class Reader {
 public:
  explicit Reader(std::string_view s) : s_(s) {}

  Result<XmlNode> Document() {
    SkipMisc();
    if (!Starts("<")) return Error("expected a root element");
    XmlNode root;
    if (!Element(root, 0)) return Error(error_);
    return root;
  }

 private:
  Status Error(const std::string& what) {
    return Status(ErrorCode::kSerialization,
                  "Invalid XML at offset " + std::to_string(pos_) + ": " + what);
  }
  bool Starts(std::string_view p) const { return s_.substr(pos_, p.size()) == p; }
  bool Fail(const std::string& e) {
    error_ = e;
    return false;
  }

  // Skips whitespace, declarations, comments and processing instructions.
  void SkipMisc() {
    for (;;) {
      while (pos_ < s_.size() && std::isspace(static_cast<unsigned char>(s_[pos_]))) ++pos_;
      if (Starts("<?")) {
        SkipPast("?>");
      } else if (Starts("<!--")) {
        SkipPast("-->");
      } else if (Starts("<!")) {
        SkipPast(">");
      } else {
        return;
      }
    }
  }
  void SkipPast(std::string_view end) {
    size_t at = s_.find(end, pos_);
    pos_ = at == std::string_view::npos ? s_.size() : at + end.size();
  }

  std::string Name() {
    size_t start = pos_;
    while (pos_ < s_.size() && !std::isspace(static_cast<unsigned char>(s_[pos_])) &&
           s_[pos_] != '>' && s_[pos_] != '/') {
      ++pos_;
    }
    std::string name(s_.substr(start, pos_ - start));
    size_t colon = name.find(':');
    return colon == std::string::npos ? name : name.substr(colon + 1);
  }

  bool Element(XmlNode& node, int depth) {
    if (depth > kMaxXmlDepth) return Fail("nesting too deep");
    ++pos_;  // '<'
    node.name = Name();
    if (node.name.empty()) return Fail("empty element name");
    size_t close = s_.find('>', pos_);
    if (close == std::string_view::npos) return Fail("unterminated tag");
    bool self_closing = close > 0 && s_[close - 1] == '/';
    pos_ = close + 1;
    if (self_closing) return true;
    return Content(node, depth);
  }

  bool Content(XmlNode& node, int depth) {
    while (pos_ < s_.size()) {
      if (Starts("</")) {
        SkipPast(">");
        return true;
      }
      if (Starts("<![CDATA[")) {
        size_t end = s_.find("]]>", pos_);
        if (end == std::string_view::npos) return Fail("unterminated CDATA");
        node.text.append(s_.substr(pos_ + 9, end - pos_ - 9));
        pos_ = end + 3;
      } else if (Starts("<!--") || Starts("<?")) {
        SkipPast(Starts("<!--") ? "-->" : "?>");
      } else if (Starts("<")) {
        node.children.emplace_back();
        if (!Element(node.children.back(), depth + 1)) return false;
      } else {
        Text(node.text);
      }
    }
    return Fail("unterminated element " + node.name);
  }

  void Text(std::string& out) {
    while (pos_ < s_.size() && s_[pos_] != '<') {
      if (s_[pos_] == '&') {
        Entity(out);
      } else {
        out.push_back(s_[pos_++]);
      }
    }
  }

  void Entity(std::string& out) {
    size_t semi = s_.find(';', pos_);
    if (semi == std::string_view::npos || semi - pos_ > 10) {
      out.push_back(s_[pos_++]);
      return;
    }
    std::string_view name = s_.substr(pos_ + 1, semi - pos_ - 1);
    pos_ = semi + 1;
    if (name == "lt") return out.push_back('<');
    if (name == "gt") return out.push_back('>');
    if (name == "amp") return out.push_back('&');
    if (name == "quot") return out.push_back('"');
    if (name == "apos") return out.push_back('\'');
    if (!name.empty() && name[0] == '#') {
      bool hex = name.size() > 1 && (name[1] == 'x' || name[1] == 'X');
      unsigned long cp =
          std::strtoul(std::string(name.substr(hex ? 2 : 1)).c_str(), nullptr, hex ? 16 : 10);
      AppendUtf8(out, static_cast<uint32_t>(cp));
      return;
    }
    out.append("&").append(name).append(";");
  }

  static void AppendUtf8(std::string& out, uint32_t cp) {
    if (cp < 0x80) {
      out.push_back(static_cast<char>(cp));
    } else if (cp < 0x800) {
      out.push_back(static_cast<char>(0xC0 | (cp >> 6)));
      out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    } else if (cp < 0x10000) {
      out.push_back(static_cast<char>(0xE0 | (cp >> 12)));
      out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
      out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    } else {
      out.push_back(static_cast<char>(0xF0 | (cp >> 18)));
      out.push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
      out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
      out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    }
  }

  std::string_view s_;
  size_t pos_ = 0;
  std::string error_;
};

}  // namespace

const XmlNode* XmlNode::Child(std::string_view n) const {
  for (const auto& c : children) {
    if (c.name == n) return &c;
  }
  return nullptr;
}

std::vector<const XmlNode*> XmlNode::Children(std::string_view n) const {
  std::vector<const XmlNode*> out;
  for (const auto& c : children) {
    if (c.name == n) out.push_back(&c);
  }
  return out;
}

std::string XmlNode::ChildText(std::string_view n) const {
  const XmlNode* c = Child(n);
  return c ? c->text : "";
}

Result<XmlNode> ParseXml(std::string_view text) { return Reader(text).Document(); }

}  // namespace stepline::integrations
