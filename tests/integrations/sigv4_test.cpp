#include <catch2/catch.hpp>

#include "integrations/endpoints.h"
#include "integrations/sigv4.h"
#include "integrations/xml.h"

using namespace stepline;
using namespace stepline::integrations;

namespace {
AwsCredentials ExampleCredentials() {
  AwsCredentials c;
  c.access_key_id = "AKIDEXAMPLE";
  c.secret_access_key = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
  return c;
}
}  // namespace

// AWS SigV4 test suite "get-vanilla": GET / on example.amazonaws.com, 20150830T123600Z.
TEST_CASE("SigV4 signs the get-vanilla test vector") {
  SigningInput in;
  in.method = "GET";
  in.host = "example.amazonaws.com";
  in.path = "/";
  in.region = "us-east-1";
  in.service = "service";
  in.amz_date = "20150830T123600Z";
  in.headers = {{"X-Amz-Date", in.amz_date}};
  std::string signed_headers;
  std::string canonical = CanonicalRequest(in, &signed_headers);
  CHECK(canonical ==
        "GET\n/\n\nhost:example.amazonaws.com\nx-amz-date:20150830T123600Z\n\nhost;x-amz-date\n"
        "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  CHECK(Signature(in, ExampleCredentials()) ==
        "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31");
  CHECK(AuthorizationHeader(in, ExampleCredentials()) ==
        "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, "
        "SignedHeaders=host;x-amz-date, "
        "Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31");
}

// The IAM ListUsers example of the SigV4 documentation (query string, content-type).
TEST_CASE("SigV4 signs the documented IAM ListUsers example") {
  SigningInput in;
  in.method = "GET";
  in.host = "iam.amazonaws.com";
  in.path = "/";
  in.query = "Version=2010-05-08&Action=ListUsers";
  in.region = "us-east-1";
  in.service = "iam";
  in.amz_date = "20150830T123600Z";
  in.headers = {{"Content-Type", "application/x-www-form-urlencoded; charset=utf-8"},
                {"X-Amz-Date", in.amz_date}};
  CHECK(Signature(in, ExampleCredentials()) ==
        "5d672d79c15b13162d9279b0855cfba6789a8edb4c82c400e06b5924a6f2b5d7");
}

TEST_CASE("SigV4 helpers: hashing and URI encoding") {
  CHECK(Sha256Hex("") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  CHECK(UriEncode("a b/c~d:e", false) == "a%20b%2Fc~d%3Ae");
  CHECK(UriEncode("a b/c", true) == "a%20b/c");
  CHECK(UriDecode("a%20b%2F") == "a b/");
}

TEST_CASE(
    "endpoints: Step Functions Local names beat AWS_ENDPOINT_URL_<SERVICE> beat AWS_ENDPOINT_URL") {
  std::map<std::string, std::string> env = {{"AWS_ENDPOINT_URL", "http://all:1/"},
                                            {"AWS_ENDPOINT_URL_SQS", "http://sqs:2"},
                                            {"SQS_ENDPOINT", "http://local-sqs:3"},
                                            {"AWS_ENDPOINT_URL_DYNAMODB", "http://ddb:4"}};
  EndpointResolver r([&](const char* name) -> const char* {
    auto it = env.find(name);
    return it == env.end() ? nullptr : it->second.c_str();
  });
  CHECK(r.Resolve(LookupService("sqs"), "us-east-1") == "http://local-sqs:3");
  CHECK(r.Resolve(LookupService("dynamodb"), "us-east-1") == "http://ddb:4");
  CHECK(r.Resolve(LookupService("s3"), "us-east-1") == "http://all:1");
  EndpointResolver none([](const char*) -> const char* { return nullptr; });
  CHECK(none.Resolve(LookupService("sqs"), "eu-west-1") == "https://sqs.eu-west-1.amazonaws.com");
  CHECK(none.Resolve(LookupService("states"), "us-east-2") ==
        "https://states.us-east-2.amazonaws.com");
  CHECK_FALSE(none.Overridden(LookupService("sns")));
}

TEST_CASE("XML reader handles declarations, namespaces, entities and nesting") {
  auto doc = ParseXml(
      "<?xml version=\"1.0\"?>\n<PublishResponse xmlns=\"http://sns\"><PublishResult>"
      "<MessageId>a&amp;b&#65;</MessageId></PublishResult><x:Meta><![CDATA[<raw>]]></x:Meta>"
      "<Empty/></PublishResponse>");
  REQUIRE(doc.ok());
  CHECK(doc->name == "PublishResponse");
  CHECK(doc->Child("PublishResult")->ChildText("MessageId") == "a&bA");
  CHECK(doc->ChildText("Meta") == "<raw>");
  CHECK(doc->Child("Empty") != nullptr);
  CHECK_FALSE(ParseXml("<a><b></a").ok());
  CHECK_FALSE(ParseXml(std::string(100, '<')).ok());
}
