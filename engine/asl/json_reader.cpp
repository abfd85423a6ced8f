#include "engine/asl/json_reader.h"

#include <string>
#include <unordered_map>
#include <vector>

namespace stepline::asl::internal {
namespace {

class LinearBuilder : public nlohmann::json_sax<Json> {
 public:
  explicit LinearBuilder(Json& root) : root_(root) {}

  bool null() override { return Put(Json(nullptr)); }
  bool boolean(bool v) override { return Put(Json(v)); }
  bool number_integer(number_integer_t v) override { return Put(Json(v)); }
  bool number_unsigned(number_unsigned_t v) override { return Put(Json(v)); }
  bool number_float(number_float_t v, const string_t&) override { return Put(Json(v)); }
  bool string(string_t& v) override { return Put(Json(std::move(v))); }
  bool binary(binary_t&) override { return false; }
  bool start_object(std::size_t) override { return Open(Json::object()); }
  bool key(string_t& k) override {
    key_ = std::move(k);
    return true;
  }
  bool end_object() override { return Close(); }
  bool start_array(std::size_t) override { return Open(Json::array()); }
  bool end_array() override { return Close(); }
  bool parse_error(std::size_t, const std::string&, const nlohmann::detail::exception&) override {
    return false;
  }

 private:
  struct Frame {
    Json* container;
    std::unordered_map<std::string, size_t> index;  // objects: key -> member position
  };

  // Stores `value` in the innermost open container; returns where it went.
  Json* Store(Json value) {
    if (stack_.empty()) {
      root_ = std::move(value);
      return &root_;
    }
    Frame& top = stack_.back();
    if (top.container->is_array()) {
      auto& array = top.container->get_ref<Json::array_t&>();
      array.push_back(std::move(value));
      return &array.back();
    }
    auto& members = top.container->get_ref<Json::object_t&>();
    auto [it, inserted] = top.index.emplace(key_, members.size());
    if (!inserted) {
      auto slot = members.begin() + static_cast<std::ptrdiff_t>(it->second);
      slot->second = std::move(value);
      return &slot->second;
    }
    members.emplace_back(key_, std::move(value));
    return &members.back().second;
  }

  bool Put(Json value) {
    Store(std::move(value));
    return true;
  }
  bool Open(Json empty) {
    stack_.push_back({Store(std::move(empty)), {}});
    return true;
  }
  bool Close() {
    stack_.pop_back();
    return true;
  }

  Json& root_;
  std::vector<Frame> stack_;
  std::string key_;
};

}  // namespace

std::optional<Json> ReadJson(std::string_view text) {
  Json root;
  LinearBuilder builder(root);
  if (!Json::sax_parse(text.begin(), text.end(), &builder)) return std::nullopt;
  return root;
}

}  // namespace stepline::asl::internal
