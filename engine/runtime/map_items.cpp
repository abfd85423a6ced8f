// Distributed Map items: parsing, MaxItems and batching (see map_items.h).
#include "engine/runtime/map_items.h"

#include <set>
#include <sstream>

#include "common/gzip.h"
#include "common/limits.h"
#include "common/timefmt.h"
#include "common/utf8.h"
#include "engine/states_error.h"

namespace stepline::runtime::map_items {
namespace {

constexpr std::string_view kS3BucketArnPrefix = "arn:aws:s3:::";

[[noreturn]] void ReaderFailed(const std::string& cause) {
  throw StatesException(errors::kItemReaderFailed, cause);
}

std::string ConfigString(const Json& config, const char* key, const char* fallback) {
  if (config.is_object() && config.contains(key) && config[key].is_string()) {
    return config[key].get<std::string>();
  }
  return fallback;
}

char Delimiter(const Json& config) {
  std::string name = ConfigString(config, "CSVDelimiter", "COMMA");
  if (name == "PIPE") return '|';
  if (name == "SEMICOLON") return ';';
  if (name == "SPACE") return ' ';
  if (name == "TAB") return '\t';
  return ',';
}

Json ParseJsonList(const std::string& body) {
  Result<Json> parsed = ParseJson(body);
  if (!parsed.ok()) ReaderFailed("The JSON in the S3 object could not be parsed.");
  if (!parsed->is_array()) ReaderFailed("Attempting to map over non-iterable node.");
  return std::move(*parsed);
}

Json ParseJsonLines(const std::string& body) {
  Json items = Json::array();
  std::istringstream in(body);
  std::string line;
  while (std::getline(in, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.find_first_not_of(" \t") == std::string::npos) continue;
    Result<Json> parsed = ParseJson(line);
    if (!parsed.ok()) ReaderFailed("The JSONL in the S3 object could not be parsed.");
    items.push_back(std::move(*parsed));
  }
  return items;
}

std::vector<std::string> Headers(const Json& row) {
  std::vector<std::string> out;
  for (const Json& h : row) out.push_back(h.is_string() ? h.get<std::string>() : DumpJson(h));
  return out;
}

Json ParseCsv(const std::string& body, const Json& config) {
  Json rows = ParseCsvRows(body, Delimiter(config));
  size_t first = 0;
  std::vector<std::string> headers;
  if (ConfigString(config, "CSVHeaderLocation", "FIRST_ROW") == "GIVEN") {
    if (!config.contains("CSVHeaders") || !config["CSVHeaders"].is_array()) {
      ReaderFailed("CSVHeaders must be provided when CSVHeaderLocation is GIVEN.");
    }
    headers = Headers(config["CSVHeaders"]);
  } else {
    if (rows.empty()) return Json::array();
    headers = Headers(rows[0]);
    first = 1;
  }
  if (std::set<std::string>(headers.begin(), headers.end()).size() != headers.size()) {
    ReaderFailed("CSV headers cannot contain duplicates.");
  }
  Json items = Json::array();
  for (size_t r = first; r < rows.size(); ++r) {
    Json item = Json::object();
    for (size_t c = 0; c < headers.size(); ++c) {
      item[headers[c]] = c < rows[r].size() ? rows[r][c] : Json("");
    }
    items.push_back(std::move(item));
  }
  return items;
}

// One CSV field starting at `pos`; leaves `pos` on the delimiter, newline or end.
std::string CsvField(const std::string& text, size_t& pos, char delimiter) {
  std::string field;
  if (pos < text.size() && text[pos] == '"') {
    ++pos;
    while (pos < text.size()) {
      if (text[pos] == '"' && pos + 1 < text.size() && text[pos + 1] == '"') {
        field += '"';
        pos += 2;
      } else if (text[pos] == '"') {
        ++pos;
        break;
      } else {
        field += text[pos++];
      }
    }
  }
  while (pos < text.size() && text[pos] != delimiter && text[pos] != '\n' && text[pos] != '\r') {
    field += text[pos++];
  }
  return field;
}

}  // namespace

Json ParseCsvRows(const std::string& text, char delimiter) {
  Json rows = Json::array();
  size_t pos = 0;
  while (pos < text.size()) {
    if (text[pos] == '\n' || text[pos] == '\r') {  // blank line
      ++pos;
      continue;
    }
    Json row = Json::array();
    while (true) {
      row.push_back(CsvField(text, pos, delimiter));
      if (pos < text.size() && text[pos] == delimiter) {
        ++pos;
        continue;
      }
      break;
    }
    rows.push_back(std::move(row));
  }
  return rows;
}

Json ParseObject(const std::string& body, const Json& reader_config) {
  std::string type = ConfigString(reader_config, "InputType", "JSON");
  if (type == "JSON") return ParseJsonList(body);
  if (type == "JSONL") return ParseJsonLines(body);
  if (type == "CSV") return ParseCsv(body, reader_config);
  ReaderFailed("InputType " + type + " is not supported by Stepline's ItemReader.");
}

InventoryManifest ParseManifest(const std::string& body) {
  Result<Json> parsed = ParseJson(body);
  if (!parsed.ok() || !parsed->is_object()) {
    ReaderFailed("The S3 inventory manifest could not be parsed.");
  }
  const Json& m = *parsed;
  std::string format = m.value("fileFormat", "");
  if (format != "CSV") {
    ReaderFailed("The S3 inventory manifest's fileFormat " + format +
                 " is not supported; the inventory report must be CSV.");
  }
  InventoryManifest out;
  out.bucket = m.value("destinationBucket", "");
  if (out.bucket.rfind(kS3BucketArnPrefix, 0) == 0) out.bucket.erase(0, kS3BucketArnPrefix.size());
  std::string schema = m.value("fileSchema", "");
  for (size_t start = 0; start <= schema.size();) {
    size_t comma = std::min(schema.find(',', start), schema.size());
    std::string column = schema.substr(start, comma - start);
    size_t first = column.find_first_not_of(" \t");
    if (first != std::string::npos) {
      out.columns.push_back(column.substr(first, column.find_last_not_of(" \t") - first + 1));
    }
    start = comma + 1;
  }
  if (out.bucket.empty() || out.columns.empty() || !m.contains("files") || !m["files"].is_array()) {
    ReaderFailed("The S3 inventory manifest needs destinationBucket, fileSchema and files.");
  }
  for (const Json& file : m["files"]) {
    if (!file.is_object() || !file.contains("key") || !file["key"].is_string()) {
      ReaderFailed("Every file of the S3 inventory manifest needs a key.");
    }
    out.keys.push_back(file["key"].get<std::string>());
  }
  return out;
}

Json InventoryItems(const std::string& body, const std::vector<std::string>& columns) {
  std::string text = body;
  if (LooksGzipped(body)) {
    Result<std::string> plain = Gunzip(body, limits::kMaxInventoryFileBytes);
    if (!plain.ok())
      ReaderFailed("The S3 inventory file could not be read: " + plain.status().message());
    text = std::move(*plain);
  }
  Json items = Json::array();
  for (Json& row : ParseCsvRows(ToWellFormedUtf8(text), ',')) {
    Json item = Json::object();
    for (size_t c = 0; c < columns.size(); ++c) {
      item[columns[c]] = c < row.size() ? std::move(row[c]) : Json("");
    }
    items.push_back(std::move(item));
  }
  return items;
}

Json ListingItems(const Json& contents) {
  Json items = Json::array();
  if (!contents.is_array()) return items;
  for (const Json& c : contents) {
    Json item = Json::object();
    item["Etag"] = c.value("ETag", "");
    item["Key"] = c.value("Key", "");
    std::optional<EpochMillis> modified = ParseRfc3339(c.value("LastModified", ""));
    item["LastModified"] = modified ? *modified / 1000 : 0;
    item["Size"] = c.value("Size", 0);
    item["StorageClass"] = c.value("StorageClass", "STANDARD");
    items.push_back(std::move(item));
  }
  return items;
}

Json LimitItems(Json items, std::optional<double> max_items) {
  if (!max_items) return items;
  if (*max_items < 0) ReaderFailed("field MaxItems must be positive");
  auto limit = static_cast<size_t>(
      std::min<double>(*max_items, static_cast<double>(limits::kMaxItemReaderItems)));
  if (limit == 0 || items.size() <= limit) return items;
  Json out = Json::array();
  for (size_t i = 0; i < limit; ++i) out.push_back(std::move(items[i]));
  return out;
}

Json BatchItems(const Json& items, int64_t max_items, int64_t max_bytes,
                const std::optional<Json>& batch_input) {
  Json batches = Json::array();
  Json current = Json::array();
  // {"Items":[]} plus the BatchInput member, then each item and its comma.
  size_t base = DumpJson(Json::object({{"Items", Json::array()}})).size();
  if (batch_input) base += DumpJson(*batch_input).size() + 14;
  size_t bytes = base;
  auto close = [&] {
    if (current.empty()) return;
    Json batch = Json::object();
    if (batch_input) batch["BatchInput"] = *batch_input;
    batch["Items"] = std::move(current);
    batches.push_back(std::move(batch));
    current = Json::array();
    bytes = base;
  };
  for (const Json& item : items) {
    size_t size = DumpJson(item).size() + (current.empty() ? 0 : 1);
    bool full_count = max_items > 0 && current.size() >= static_cast<size_t>(max_items);
    bool full_bytes =
        max_bytes > 0 && !current.empty() && bytes + size > static_cast<size_t>(max_bytes);
    if (full_count || full_bytes) close();
    bytes += DumpJson(item).size() + (current.empty() ? 0 : 1);
    current.push_back(item);
  }
  close();
  return batches;
}

}  // namespace stepline::runtime::map_items
