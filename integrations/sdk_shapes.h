// Result shapes shared by the integrations: the SdkHttpMetadata /
// SdkResponseMetadata members that optimized integrations (AWS SDK for Java v1)
// add to results, and the AWS error-name conventions.
//
// Thread-safety: pure functions.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "common/json.h"

namespace stepline::integrations {

using HeaderList = std::vector<std::pair<std::string, std::string>>;

// {"AllHttpHeaders": {h: [v]}, "HttpHeaders": {h: v}, "HttpStatusCode": status}
Json SdkHttpMetadata(int status, const HeaderList& headers);

// `members` (an object) plus SdkHttpMetadata and SdkResponseMetadata, with the
// members in alphabetical order as Step Functions prints them.
Json OptimizedResult(const Json& members, int status, const HeaderList& headers,
                     const std::string& request_id);

// How a Lambda function error's payload becomes the cause. AWS passes the
// payload text through for a Lambda function ARN Resource (kVerbatim) and
// re-serialises a JSON payload compactly, member order kept, for lambda:invoke
// (kReserialized): the recordings show {"errorMessage": ...} and
// {"errorMessage":...} for the same function body.
enum class LambdaCause { kVerbatim, kReserialized };

// Lambda's X-Amz-Function-Error payload -> (error, cause): errorType or
// "Lambda.Unknown", and the payload text in the given form (a payload that is
// not JSON is always verbatim).
std::pair<std::string, std::string> LambdaFunctionError(const std::string& payload,
                                                        LambdaCause form);

// Object keys renamed recursively, first letter upper-cased (PascalCase) or
// lower-cased (camelCase): services whose wire members are camelCase (Step
// Functions, ECS, CodeBuild, CloudWatch Logs) take and give PascalCase in ASL.
Json RenameKeys(const Json& value, bool to_pascal);

}  // namespace stepline::integrations
