// Distributed Map items: what an ItemReader's S3 answer turns into (JSON,
// JSONL and CSV objects, ListObjectsV2 listings, S3 Inventory manifests and
// their files), ReaderConfig.MaxItems, and ItemBatcher batches.
//
// Pure functions, thread-safe. Bad data throws StatesException with
// States.ItemReaderFailed and AWS's cause (the interpreter records it as the
// map run's failure); nothing here performs I/O.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/json.h"

namespace stepline::runtime::map_items {

// Items of an s3:getObject body read as ReaderConfig says (InputType JSON
// when absent): JSON (a list), JSONL (one value a line) or CSV (objects of
// strings keyed by CSVHeaders or by the first row).
Json ParseObject(const std::string& body, const Json& reader_config);

// An S3 Inventory manifest.json (ReaderConfig.InputType MANIFEST): where
// its CSV files are and the column names their rows take.
struct InventoryManifest {
  std::string bucket;                // destinationBucket, without "arn:aws:s3:::"
  std::vector<std::string> keys;     // files[].key, in order
  std::vector<std::string> columns;  // fileSchema, split on commas
};
InventoryManifest ParseManifest(const std::string& body);

// The items of one inventory file (gzip-compressed or not): objects of
// strings keyed by the manifest's columns, e.g. {"Bucket", "Key", "Size"}.
Json InventoryItems(const std::string& body, const std::vector<std::string>& columns);

// CSV rows (RFC 4180 quoting) split on `delimiter`; blank lines are skipped.
Json ParseCsvRows(const std::string& text, char delimiter);

// The ListObjectsV2 "Contents" entries as the iterations see them:
// {Etag, Key, LastModified (epoch seconds), Size, StorageClass}.
Json ListingItems(const Json& contents);

// MaxItems: 0 (or absent) reads everything; negative values are an error;
// more than limits::kMaxItemReaderItems is clamped.
Json LimitItems(Json items, std::optional<double> max_items);

// ItemBatcher: consecutive items grouped into {"Items": [...]} (plus
// "BatchInput" when given) of at most `max_items` items (0: unbounded) and
// at most `max_bytes` serialized bytes (0: unbounded; an item larger than
// that is a batch on its own).
Json BatchItems(const Json& items, int64_t max_items, int64_t max_bytes,
                const std::optional<Json>& batch_input);

}  // namespace stepline::runtime::map_items
