// Distributed Map item parsing, MaxItems and batching (engine/runtime/map_items.h).
#include "engine/runtime/map_items.h"

#include <catch2/catch.hpp>

#include "engine/states_error.h"
#include "tests/support/gzip_writer.h"

using namespace stepline;
using namespace stepline::runtime::map_items;

namespace {

// The cause of the States.ItemReaderFailed that `fn` throws.
template <typename Fn>
std::string ReaderCause(Fn fn) {
  try {
    fn();
  } catch (const StatesException& e) {
    CHECK(e.error().error == "States.ItemReaderFailed");
    return e.error().cause.value_or("");
  }
  FAIL("no StatesException");
  return "";
}

}  // namespace

TEST_CASE("a JSON object holding a list is read as its items") {
  Json items = ParseObject(R"([{"a":1},"b",[2]])", Json{{"InputType", "JSON"}});
  CHECK(items == Json::parse(R"([{"a":1},"b",[2]])"));
}

TEST_CASE("a JSON object that is not a list fails the reader as AWS records") {
  CHECK(ReaderCause([] {
          ParseObject(R"({"Hello":"world"})", Json{{"InputType", "JSON"}});
        }) == "Attempting to map over non-iterable node.");
  CHECK(!ReaderCause([] { ParseObject("[1,", Json::object()); }).empty());
}

TEST_CASE("JSONL has one item a line and skips blank lines") {
  Json items = ParseObject("{\"a\":1}\r\n\n  \n[1,2]\n\"x\"", Json{{"InputType", "JSONL"}});
  CHECK(items == Json::parse(R"([{"a":1},[1,2],"x"])"));
}

TEST_CASE("CSV with the first row as headers gives objects of strings") {
  Json items = ParseObject("Col1,Col2\nValue1,Value2\n,\ntrue,1\n",
                           Json{{"InputType", "CSV"}, {"CSVHeaderLocation", "FIRST_ROW"}});
  CHECK(items == Json::parse(R"([{"Col1":"Value1","Col2":"Value2"},{"Col1":"","Col2":""},
                                 {"Col1":"true","Col2":"1"}])"));
}

TEST_CASE("CSV with given headers drops extra fields and fills missing ones") {
  Json config = {{"InputType", "CSV"},
                 {"CSVHeaderLocation", "GIVEN"},
                 {"CSVHeaders", Json::array({"H1", "H2"})}};
  Json items = ParseObject("a,b,c\nd\n", config);
  CHECK(items == Json::parse(R"([{"H1":"a","H2":"b"},{"H1":"d","H2":""}])"));
}

TEST_CASE("duplicate CSV headers fail the reader") {
  Json given = {{"InputType", "CSV"},
                {"CSVHeaderLocation", "GIVEN"},
                {"CSVHeaders", Json::array({"H1", "H1"})}};
  CHECK(ReaderCause([&] { ParseObject("a,b\n", given); }) ==
        "CSV headers cannot contain duplicates.");
  CHECK(ReaderCause([] {
          ParseObject("X,X\n1,2\n", Json{{"InputType", "CSV"}});
        }) == "CSV headers cannot contain duplicates.");
}

TEST_CASE("CSV quoting and the other delimiters") {
  CHECK(ParseCsvRows("\"a,b\",\"say \"\"hi\"\"\"\r\nc,d", ',') ==
        Json::parse(R"([["a,b","say \"hi\""],["c","d"]])"));
  Json config = {{"InputType", "CSV"}, {"CSVDelimiter", "SEMICOLON"}};
  CHECK(ParseObject("K;V\n1;2\n", config) == Json::parse(R"([{"K":"1","V":"2"}])"));
  config["CSVDelimiter"] = "TAB";
  CHECK(ParseObject("K\tV\n1\t2\n", config) == Json::parse(R"([{"K":"1","V":"2"}])"));
}

TEST_CASE("ListObjectsV2 contents become AWS's item shape") {
  Json contents = Json::parse(R"([{"Key":"a.jpg","ETag":"\"e1\"","Size":12,
      "LastModified":"2023-09-21T12:16:41.000Z","StorageClass":"STANDARD"}])");
  Json items = ListingItems(contents);
  REQUIRE(items.size() == 1);
  CHECK(items[0]["Key"] == "a.jpg");
  CHECK(items[0]["Etag"] == "\"e1\"");
  CHECK(items[0]["Size"] == 12);
  CHECK(items[0]["LastModified"] == 1695298601);
  CHECK(items[0]["StorageClass"] == "STANDARD");
}

TEST_CASE("MaxItems keeps the first items; 0 keeps all; negative fails") {
  Json items = Json::array({1, 2, 3});
  CHECK(LimitItems(items, 2.0) == Json::array({1, 2}));
  CHECK(LimitItems(items, 0.0) == items);
  CHECK(LimitItems(items, 100000001.0) == items);
  CHECK(LimitItems(items, std::nullopt) == items);
  CHECK(ReaderCause([&] { LimitItems(items, -1.0); }) == "field MaxItems must be positive");
}

TEST_CASE("batches hold at most MaxItemsPerBatch items and carry BatchInput") {
  Json batches = BatchItems(Json::array({1, 2, 3}), 2, 0, Json{{"k", "v"}});
  CHECK(batches == Json::parse(R"([{"BatchInput":{"k":"v"},"Items":[1,2]},
                                   {"BatchInput":{"k":"v"},"Items":[3]}])"));
  CHECK(BatchItems(Json::array(), 2, 0, std::nullopt) == Json::array());
}

TEST_CASE("batches stay within MaxInputBytesPerBatch; a larger item is a batch alone") {
  Json items = Json::array({"aaaaaaaaaa", "bbbbbbbbbb", "cccccccccccccccccccccccccccccc"});
  // {"Items":[]} is 12 bytes, each 10-letter string 12 bytes, plus a comma.
  Json batches = BatchItems(items, 0, 37, std::nullopt);
  REQUIRE(batches.size() == 2);
  CHECK(batches[0]["Items"].size() == 2);
  CHECK(DumpJson(batches[0]).size() <= 37);
  CHECK(batches[1]["Items"] == Json::array({items[2]}));
}

TEST_CASE("an S3 Inventory manifest names the destination bucket, the files and the columns") {
  InventoryManifest m = ParseManifest(R"({"sourceBucket":"src",
      "destinationBucket":"arn:aws:s3:::inv-dest","version":"2016-11-30",
      "fileFormat":"CSV","fileSchema":"Bucket, Key, Size, LastModifiedDate",
      "files":[{"key":"inv/data/a.csv.gz","size":10,"MD5checksum":"x"},
               {"key":"inv/data/b.csv.gz","size":10,"MD5checksum":"y"}]})");
  CHECK(m.bucket == "inv-dest");
  CHECK(m.keys == std::vector<std::string>{"inv/data/a.csv.gz", "inv/data/b.csv.gz"});
  CHECK(m.columns == std::vector<std::string>{"Bucket", "Key", "Size", "LastModifiedDate"});
  CHECK(ReaderCause([] {
          ParseManifest(R"({"destinationBucket":"arn:aws:s3:::d","fileFormat":"ORC",
              "fileSchema":"Bucket, Key","files":[]})");
        }).find("must be CSV") != std::string::npos);
  CHECK(!ReaderCause([] { ParseManifest("not json"); }).empty());
  CHECK(!ReaderCause([] {
           ParseManifest(R"({"destinationBucket":"arn:aws:s3:::d","fileFormat":"CSV",
              "fileSchema":"Bucket, Key"})");
         }).empty());
}

TEST_CASE("an inventory file's rows (gzip or plain) become objects keyed by the columns") {
  std::string csv =
      "\"src\",\"csvDataset/\",\"0\",\"2022-11-16T00:27:19.000Z\"\n"
      "\"src\",\"csvDataset/titles.csv\",\"3399671\",\"2022-11-16T00:29:32.000Z\"\n";
  std::vector<std::string> columns = {"Bucket", "Key", "Size", "LastModifiedDate"};
  Json expected = Json::parse(R"([
      {"Bucket":"src","Key":"csvDataset/","Size":"0","LastModifiedDate":"2022-11-16T00:27:19.000Z"},
      {"Bucket":"src","Key":"csvDataset/titles.csv","Size":"3399671",
       "LastModifiedDate":"2022-11-16T00:29:32.000Z"}])");
  CHECK(InventoryItems(stepline::testing::GzipForTest(csv), columns) == expected);
  CHECK(InventoryItems(csv, columns) == expected);
  CHECK(ReaderCause([] {
          InventoryItems(std::string("\x1f\x8b\x08\x00garbage", 12), {"Bucket"});
        }).find("could not be read") != std::string::npos);
}
