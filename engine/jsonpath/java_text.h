// Text renderings of JSON values the way AWS Step Functions (Java, Jackson)
// prints them inside intrinsic functions:
// - JacksonJson: compact JSON as Jackson writes it (States.JsonToString):
//   doubles as Java's Double.toString ("1.0E10", "1.5"), non-ASCII kept,
//   control characters escaped with upper-case hex.
// - JavaToString: a value as Java's toString prints the decoded object
//   (States.Format arguments): strings unquoted, objects "{a=1, b=[x, y]}".
//
// Thread-safety: pure functions.
#pragma once

#include <string>

#include "common/json.h"

namespace stepline::jsonpath {

std::string JavaDouble(double value);
std::string JacksonJson(const Json& value);
std::string JavaToString(const Json& value);

}  // namespace stepline::jsonpath
