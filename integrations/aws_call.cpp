#include "integrations/aws_call.h"

#include <ctime>
#include <set>

#include "integrations/xml.h"

namespace stepline::integrations {
namespace {

std::string AmzDate() {
  std::time_t now = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&now, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y%m%dT%H%M%SZ", &tm);
  return buf;
}

// Codes the SDKs do not model per service: they surface as the service's
// generic exception class.
bool GenericCode(const std::string& code) {
  static const std::set<std::string> generic = {
      "ValidationException",       "SerializationException",     "InternalFailure",
      "InternalServerError",       "ServiceUnavailable",         "UnrecognizedClientException",
      "InvalidSignatureException", "MissingAuthenticationToken", "IncompleteSignature",
      "InvalidClientTokenId",      "UnknownOperationException",  "InvalidAction",
      "AccessDeniedException",     "ThrottlingException",        "ValidationError",
      "InvalidParameterValue",     "MissingParameter",           "MalformedQueryString"};
  return generic.count(code) > 0;
}

std::string StripNamespace(std::string code) {
  size_t hash = code.rfind('#');
  if (hash != std::string::npos) code = code.substr(hash + 1);
  size_t colon = code.find(':');
  if (colon != std::string::npos) code = code.substr(0, colon);
  return code;
}

}  // namespace

std::string RequestIdOf(const HttpResponse& response) {
  for (const char* h : {"x-amzn-RequestId", "x-amz-request-id", "x-amzn-requestid"}) {
    std::string v = response.Header(h);
    if (!v.empty()) return v;
  }
  return "";
}

ServiceError ParseJsonError(const HttpResponse& response) {
  ServiceError e;
  e.status = response.status;
  e.request_id = RequestIdOf(response);
  auto body = ParseJson(response.body);
  if (body.ok() && body->is_object()) {
    for (const char* k : {"__type", "code", "Code"}) {
      if (body->contains(k) && (*body)[k].is_string()) {
        e.code = (*body)[k].get<std::string>();
        break;
      }
    }
    for (const char* k : {"message", "Message", "errorMessage"}) {
      if (body->contains(k) && (*body)[k].is_string()) {
        e.message = (*body)[k].get<std::string>();
        break;
      }
    }
  }
  std::string header = response.Header("x-amzn-ErrorType");
  if (!header.empty()) e.code = header;
  e.code = StripNamespace(e.code);
  if (e.code.empty()) e.code = "HTTP " + std::to_string(response.status);
  if (e.message.empty()) e.message = response.body;
  return e;
}

ServiceError ParseXmlError(const HttpResponse& response) {
  ServiceError e;
  e.status = response.status;
  e.request_id = RequestIdOf(response);
  e.extended_request_id = response.Header("x-amz-id-2");
  auto doc = ParseXml(response.body);
  if (doc.ok()) {
    const XmlNode* err = doc->name == "Error" ? &*doc : doc->Child("Error");
    if (err) {
      e.code = err->ChildText("Code");
      e.message = err->ChildText("Message");
    }
    std::string id = doc->ChildText("RequestId");
    if (id.empty() && err) id = err->ChildText("RequestId");
    if (!id.empty()) e.request_id = id;
    if (err && !err->ChildText("HostId").empty()) e.extended_request_id = err->ChildText("HostId");
  }
  if (e.code.empty()) {
    e.code = response.status == 404 ? "NotFound" : "HTTP " + std::to_string(response.status);
  }
  return e;
}

ErrorStyle OptimizedStyle(const std::string& service) {
  if (service == "lambda") return {"Lambda", "AWSLambda", "AWSLambdaException"};
  if (service == "sqs") return {"SQS", "AmazonSQS", "AmazonSQSException"};
  if (service == "sns") return {"SNS", "AmazonSNS", "AmazonSNSException"};
  if (service == "dynamodb") return {"DynamoDB", "AmazonDynamoDBv2", "AmazonDynamoDBException"};
  if (service == "events") {
    return {"EventBridge", "AmazonEventBridge", "AmazonEventBridgeException"};
  }
  if (service == "states") {
    return {"StepFunctions", "AWSStepFunctions", "AWSStepFunctionsException"};
  }
  if (service == "s3") return {"S3", "Amazon S3", "AmazonS3Exception"};
  std::string name = service;
  if (!name.empty()) name[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(name[0])));
  return {name, name, name + "Exception"};
}

ErrorStyle SdkStyle(const ServiceInfo& service) {
  return {service.sdk_error_prefix, "", service.sdk_error_prefix + "Exception"};
}

StatesError ServiceFailure(const ErrorStyle& style, const ServiceError& e) {
  std::string cls = e.code;
  if (GenericCode(cls) || cls.rfind("HTTP ", 0) == 0) {
    cls = style.generic_class;
  } else if (cls.size() < 9 || cls.substr(cls.size() - 9) != "Exception") {
    cls += "Exception";
  }
  std::string cause;
  if (!style.sdk_service.empty()) {
    cause = e.message + " (Service: " + style.sdk_service +
            "; Status Code: " + std::to_string(e.status) + "; Error Code: " + e.code +
            "; Request ID: " + e.request_id + "; Proxy: null)";
  } else {
    cause = e.message + " (Service: " + style.prefix +
            ", Status Code: " + std::to_string(e.status) + ", Request ID: " + e.request_id +
            (style.prefix == "S3" ? ", Extended Request ID: " + e.extended_request_id : "") + ")";
  }
  return {style.prefix + "." + cls, cause, std::nullopt};
}

StatesError ClientFailure(const ErrorStyle& style, const std::string& transport_error) {
  return {style.prefix + ".SdkClientException",
          "Unable to execute HTTP request: " + transport_error, std::nullopt};
}

std::string PascalCase(const std::string& action) {
  std::string out = action;
  if (!out.empty()) out[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(out[0])));
  return out;
}

void SendSigned(const AwsContext& ctx, const ServiceInfo& service, const std::string& region,
                HttpRequest request, std::function<void(HttpResult)> done) {
  auto url = ParseUrl(request.url);
  if (!url.ok()) {
    HttpResult r;
    r.error = url.status().message();
    return done(std::move(r));
  }
  SigningInput in;
  in.method = request.method;
  in.host = url->HostHeader();
  in.path = url->path;
  in.query = url->query;
  in.headers = request.headers;
  in.body = request.body;
  in.region = region;
  in.service = service.signing_name;
  in.amz_date = AmzDate();
  AddSigningHeaders(in, ctx.credentials);
  request.headers = in.headers;
  request.headers.emplace_back("Authorization", AuthorizationHeader(in, ctx.credentials));
  request.headers.emplace_back("User-Agent", "stepline/0.1");
  request.timeout = ctx.timeout;
  ctx.http->Send(std::move(request), std::move(done));
}

}  // namespace stepline::integrations
