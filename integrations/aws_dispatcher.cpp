#include "integrations/aws_dispatcher.h"

#include <cstdlib>

#include "integrations/aws_ops.h"
#include "integrations/sdk_shapes.h"
#include "integrations/xml.h"

namespace stepline::integrations {

TaskOutcome Succeeded(Json result) {
  TaskOutcome o;
  o.ok = true;
  o.result = std::move(result);
  return o;
}

TaskOutcome Failed(StatesError error) {
  TaskOutcome o;
  o.error = std::move(error);
  return o;
}

std::string RegionOf(const TaskRequest& request, const AwsContext& ctx) {
  return request.region.empty() ? ctx.default_region : request.region;
}

std::string AsText(const Json& value) {
  return value.is_string() ? value.get<std::string>() : DumpJson(value);
}

namespace {

bool Success(int status) { return status >= 200 && status < 300; }

Json ParsedOrText(const std::string& body) {
  auto parsed = ParseJson(body);
  return parsed.ok() ? *parsed : Json(body);
}

std::string Param(const Json& params, const char* name) {
  if (!params.is_object() || !params.contains(name)) return "";
  return AsText(params[name]);
}

// ---- Lambda Invoke (REST-JSON) ----

HttpRequest LambdaRequest(const AwsContext& ctx, const TaskRequest& req, const ServiceInfo& info) {
  const Json& p = req.parameters;
  std::string fn = req.spec.legacy_lambda ? req.spec.arn : Param(p, "FunctionName");
  HttpRequest http;
  http.method = "POST";
  http.url = ctx.endpoints.Resolve(info, RegionOf(req, ctx)) + "/2015-03-31/functions/" +
             UriEncode(fn, false) + "/invocations";
  std::string qualifier = Param(p, "Qualifier");
  if (!qualifier.empty()) http.url += "?Qualifier=" + UriEncode(qualifier, false);
  if (req.spec.legacy_lambda) {
    http.body = DumpJson(p);
  } else if (p.is_object() && p.contains("Payload") && !p["Payload"].is_null()) {
    http.body = AsText(p["Payload"]);
  }
  for (auto [param, header] : {std::pair{"InvocationType", "X-Amz-Invocation-Type"},
                               std::pair{"LogType", "X-Amz-Log-Type"},
                               std::pair{"ClientContext", "X-Amz-Client-Context"}}) {
    if (req.spec.legacy_lambda) break;
    std::string v = Param(p, param);
    if (!v.empty()) http.headers.emplace_back(header, v);
  }
  http.headers.emplace_back("Content-Type", "application/json");
  return http;
}

TaskOutcome LambdaOutcome(const TaskRequest& req, const HttpResult& r) {
  ErrorStyle style =
      req.spec.aws_sdk ? SdkStyle(LookupService("lambda")) : OptimizedStyle("lambda");
  if (!r.ok()) return Failed(ClientFailure(style, r.error));
  const HttpResponse& res = r.response;
  if (!Success(res.status)) return Failed(ServiceFailure(style, ParseJsonError(res)));
  if (!res.Header("X-Amz-Function-Error").empty()) {
    auto [error, cause] = LambdaFunctionError(
        res.body, req.spec.legacy_lambda ? LambdaCause::kVerbatim : LambdaCause::kReserialized);
    return Failed({error, cause, std::nullopt});
  }
  Json payload = res.body.empty() ? Json("") : ParsedOrText(res.body);
  if (req.spec.legacy_lambda) return Succeeded(std::move(payload));
  Json members = Json::object();
  members["ExecutedVersion"] = res.Header("X-Amz-Executed-Version");
  if (!res.Header("X-Amz-Log-Result").empty()) {
    members["LogResult"] = res.Header("X-Amz-Log-Result");
  }
  members["Payload"] = std::move(payload);
  members["StatusCode"] = res.status;
  if (req.spec.aws_sdk) return Succeeded(std::move(members));
  return Succeeded(OptimizedResult(members, res.status, res.headers, RequestIdOf(res)));
}

// ---- JSON protocol ----

HttpRequest JsonRequest(const std::string& base, const ServiceInfo& info, const std::string& action,
                        const Json& params) {
  Json body = info.camel_case ? RenameKeys(params, false) : params;
  HttpRequest http;
  http.method = "POST";
  http.url = base + "/";
  http.headers = {{"Content-Type", "application/x-amz-json-" + info.json_version},
                  {"X-Amz-Target", info.target_prefix + "." + PascalCase(action)}};
  http.body = DumpJson(body.is_object() ? body : Json::object());
  return http;
}

// Optimized integrations serialize some members to text before calling.
Json OptimizedBody(const TaskRequest& req) {
  Json body = req.parameters.is_object() ? req.parameters : Json::object();
  const std::string& service = req.spec.service;
  if (service == "sqs" && body.contains("MessageBody")) {
    body["MessageBody"] = AsText(body["MessageBody"]);
  } else if (service == "states" && body.contains("Input")) {
    if (body["Input"].is_null()) {
      body.erase("Input");
    } else {
      body["Input"] = AsText(body["Input"]);
    }
  } else if (service == "events" && body.contains("Entries") && body["Entries"].is_array()) {
    for (Json& entry : body["Entries"]) {
      if (entry.is_object() && entry.contains("Detail")) entry["Detail"] = AsText(entry["Detail"]);
    }
  }
  return body;
}

std::string JsonBase(const AwsContext& ctx, const TaskRequest& req, const ServiceInfo& info) {
  if (info.sdk_name == "sqs" && !ctx.endpoints.Overridden(info)) {
    // Like the SDK, send to the queue's own host when no endpoint is configured.
    auto url = ParseUrl(Param(req.parameters, "QueueUrl"));
    if (url.ok()) return url->scheme + "://" + url->HostHeader();
  }
  return ctx.endpoints.Resolve(info, RegionOf(req, ctx));
}

TaskOutcome OptimizedJsonOutcome(const TaskRequest& req, const HttpResult& r) {
  ErrorStyle style = OptimizedStyle(req.spec.service);
  if (!r.ok()) return Failed(ClientFailure(style, r.error));
  const HttpResponse& res = r.response;
  if (!Success(res.status)) return Failed(ServiceFailure(style, ParseJsonError(res)));
  Json body = res.body.empty() ? Json::object() : ParsedOrText(res.body);
  if (LookupService(req.spec.service).camel_case) body = RenameKeys(body, true);
  if (req.spec.service == "events") {
    if (body.is_object() && body.value("FailedEntryCount", 0) > 0) {
      return Failed({"EventBridge.FailedEntry", DumpJson(body), std::nullopt});
    }
    return Succeeded(std::move(body));
  }
  return Succeeded(OptimizedResult(body, res.status, res.headers, RequestIdOf(res)));
}

// ---- SNS Publish (query protocol) ----

void AddForm(std::string& form, const std::string& key, const std::string& value) {
  form += (form.empty() ? "" : "&") + UriEncode(key, false) + "=" + UriEncode(value, false);
}

std::string SnsForm(const Json& p) {
  std::string form;
  AddForm(form, "Action", "Publish");
  AddForm(form, "Version", "2010-03-31");
  for (const char* name : {"TopicArn", "TargetArn", "PhoneNumber", "Message", "Subject",
                           "MessageStructure", "MessageGroupId", "MessageDeduplicationId"}) {
    if (p.is_object() && p.contains(name) && !p[name].is_null()) {
      AddForm(form, name, AsText(p[name]));
    }
  }
  if (!p.is_object() || !p.contains("MessageAttributes") || !p["MessageAttributes"].is_object()) {
    return form;
  }
  int n = 0;
  for (const auto& [name, attr] : p["MessageAttributes"].items()) {
    std::string prefix = "MessageAttributes.entry." + std::to_string(++n) + ".";
    AddForm(form, prefix + "Name", name);
    for (const char* field : {"DataType", "StringValue", "BinaryValue"}) {
      if (attr.is_object() && attr.contains(field)) {
        AddForm(form, prefix + "Value." + field, AsText(attr[field]));
      }
    }
  }
  return form;
}

TaskOutcome SnsOutcome(const TaskRequest& req, const HttpResult& r) {
  ErrorStyle style = req.spec.aws_sdk ? SdkStyle(LookupService("sns")) : OptimizedStyle("sns");
  if (!r.ok()) return Failed(ClientFailure(style, r.error));
  const HttpResponse& res = r.response;
  if (!Success(res.status)) return Failed(ServiceFailure(style, ParseXmlError(res)));
  auto doc = ParseXml(res.body);
  Json members = Json::object();
  const XmlNode* result = doc.ok() ? doc->Child("PublishResult") : nullptr;
  if (result) {
    for (const auto& child : result->children) members[child.name] = child.text;
  }
  std::string request_id = doc.ok() && doc->Child("ResponseMetadata")
                               ? doc->Child("ResponseMetadata")->ChildText("RequestId")
                               : RequestIdOf(res);
  if (req.spec.aws_sdk) return Succeeded(std::move(members));
  return Succeeded(OptimizedResult(members, res.status, res.headers, request_id));
}

TaskOutcome Unsupported(const TaskRequest& req) {
  return Failed({errors::kTaskFailed,
                 "Stepline does not implement the resource " + req.spec.arn +
                     " against AWS endpoints; mock it or map it to a local handler",
                 std::nullopt});
}

bool JsonService(const std::string& service) {
  return service == "sqs" || service == "dynamodb" || service == "events" || service == "states";
}

}  // namespace

void LambdaInvoke(const Ctx& ctx, const TaskRequest& req, OutcomeFn done) {
  ServiceInfo info = LookupService("lambda");
  SendSigned(*ctx, info, RegionOf(req, *ctx), LambdaRequest(*ctx, req, info),
             [req, done = std::move(done)](HttpResult r) { done(LambdaOutcome(req, r)); });
}

void SnsPublish(const Ctx& ctx, const TaskRequest& req, OutcomeFn done) {
  ServiceInfo info = LookupService("sns");
  HttpRequest http;
  http.method = "POST";
  http.url = ctx->endpoints.Resolve(info, RegionOf(req, *ctx)) + "/";
  http.headers = {{"Content-Type", "application/x-www-form-urlencoded; charset=utf-8"}};
  http.body = SnsForm(req.parameters);
  SendSigned(*ctx, info, RegionOf(req, *ctx), std::move(http),
             [req, done = std::move(done)](HttpResult r) { done(SnsOutcome(req, r)); });
}

void OptimizedJsonCall(const Ctx& ctx, const TaskRequest& req, OutcomeFn done) {
  ServiceInfo info = LookupService(req.spec.service);
  HttpRequest http =
      JsonRequest(JsonBase(*ctx, req, info), info, req.spec.action, OptimizedBody(req));
  SendSigned(*ctx, info, RegionOf(req, *ctx), std::move(http),
             [req, done = std::move(done)](HttpResult r) { done(OptimizedJsonOutcome(req, r)); });
}

void AwsSdkJsonCall(const Ctx& ctx, const TaskRequest& req, OutcomeFn done) {
  ServiceInfo info = LookupService(req.spec.service);
  if (info.target_prefix.empty()) return done(Unsupported(req));
  HttpRequest http = JsonRequest(JsonBase(*ctx, req, info), info, req.spec.action, req.parameters);
  SendSigned(*ctx, info, RegionOf(req, *ctx), std::move(http),
             [info, done = std::move(done)](HttpResult r) {
               ErrorStyle style = SdkStyle(info);
               if (!r.ok()) return done(Failed(ClientFailure(style, r.error)));
               if (!Success(r.response.status)) {
                 return done(Failed(ServiceFailure(style, ParseJsonError(r.response))));
               }
               const std::string& body = r.response.body;
               Json result = body.empty() ? Json::object() : ParsedOrText(body);
               done(Succeeded(info.camel_case ? RenameKeys(result, true) : std::move(result)));
             });
}

AwsDispatcher::AwsDispatcher(AwsContext context)
    : ctx_(std::make_shared<const AwsContext>(std::move(context))) {}

void AwsDispatcher::Dispatch(TaskRequest request, std::function<void(TaskOutcome)> done) {
  const ResourceSpec& spec = request.spec;
  Pattern pattern = spec.pattern;
  OutcomeFn finish = [pattern, done = std::move(done)](TaskOutcome o) {
    if (o.ok && pattern == Pattern::kWaitForTaskToken) {
      o.ok = false;
      o.submitted = true;
      o.submitted_output = std::move(o.result);
      o.result = Json();
    }
    done(std::move(o));
  };
  if (spec.activity) return finish(Unsupported(request));
  if (pattern == Pattern::kSync || pattern == Pattern::kSync2) {
    if (spec.service == "states" && spec.action == "startExecution") {
      return StartExecutionSync(ctx_, request, std::move(finish));
    }
    return finish(Unsupported(request));
  }
  if (spec.service == "lambda" && spec.action == "invoke") {
    return LambdaInvoke(ctx_, request, std::move(finish));
  }
  if (spec.service == "sns" && spec.action == "publish") {
    return SnsPublish(ctx_, request, std::move(finish));
  }
  if (spec.service == "s3") return S3Call(ctx_, request, std::move(finish));
  if (spec.service == "http" && spec.action == "invoke") {
    return HttpInvoke(ctx_, request, std::move(finish));
  }
  if (spec.aws_sdk) return AwsSdkJsonCall(ctx_, request, std::move(finish));
  if (JsonService(spec.service)) return OptimizedJsonCall(ctx_, request, std::move(finish));
  finish(Unsupported(request));
}

}  // namespace stepline::integrations
