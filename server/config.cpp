#include "server/config.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <cstdlib>
#include <sstream>
#include <string_view>
#include <thread>

namespace stepline::server {
namespace {

using Setter = Status (*)(Config& config, const std::string& value, const std::string& source);
using Shower = std::string (*)(const Config& config);

// One setting: its flag, the environment variables read for it (first set
// one wins), how it is applied, and its --help line.
struct Setting {
  std::string_view flag;
  std::vector<std::string> env;
  Setter set;
  Shower show;  // the value as text (for the defaults in --help)
  std::string_view help;
};

Status Invalid(const std::string& source, const std::string& value, std::string_view expected) {
  return Status(ErrorCode::kValidation, "invalid value '" + value + "' for " + source +
                                            ": expected " + std::string(expected));
}

std::optional<long long> ParseInteger(const std::string& text) {
  long long value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return value;
}

Status SetHost(Config& c, const std::string& v, const std::string& source) {
  if (v.empty()) return Invalid(source, v, "a host name or IP address");
  c.host = v;
  return Status::Ok();
}

Status SetPort(Config& c, const std::string& v, const std::string& source) {
  std::optional<long long> port = ParseInteger(v);
  if (!port || *port < 0 || *port > 65535) return Invalid(source, v, "a port number 0-65535");
  c.port = static_cast<uint16_t>(*port);
  return Status::Ok();
}

Status SetDb(Config& c, const std::string& v, const std::string& source) {
  if (v.empty()) return Invalid(source, v, "a file path or :memory:");
  c.db = v;
  return Status::Ok();
}

Status SetRegion(Config& c, const std::string& v, const std::string& source) {
  bool ok = !v.empty() && std::all_of(v.begin(), v.end(), [](char ch) {
    return (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '-';
  });
  if (!ok) return Invalid(source, v, "a region name such as us-east-1");
  c.region = v;
  return Status::Ok();
}

Status SetAccount(Config& c, const std::string& v, const std::string& source) {
  bool ok = v.size() == 12 &&
            std::all_of(v.begin(), v.end(), [](char ch) { return ch >= '0' && ch <= '9'; });
  if (!ok) return Invalid(source, v, "a 12-digit account id");
  c.account = v;
  return Status::Ok();
}

Status SetLogLevel(Config& c, const std::string& v, const std::string& source) {
  static constexpr std::array<std::string_view, 7> kLevels = {"trace", "debug",    "info", "warn",
                                                              "error", "critical", "off"};
  if (std::find(kLevels.begin(), kLevels.end(), v) == kLevels.end()) {
    return Invalid(source, v, "trace, debug, info, warn, error, critical or off");
  }
  c.log_level = v;
  return Status::Ok();
}

Status SetWaitTimeScale(Config& c, const std::string& v, const std::string& source) {
  double scale = 0;
  auto [end, ec] = std::from_chars(v.data(), v.data() + v.size(), scale);
  if (v.empty() || ec != std::errc() || end != v.data() + v.size() || !(scale >= 0)) {
    return Invalid(source, v, "a number >= 0");
  }
  c.wait_time_scale = scale;
  return Status::Ok();
}

Status SetThreads(Config& c, const std::string& v, const std::string& source) {
  std::optional<long long> n = ParseInteger(v);
  if (!n || *n < 0 || *n > kMaxThreads) {
    return Invalid(source, v, "a thread count 0-" + std::to_string(kMaxThreads));
  }
  c.threads = static_cast<int>(*n);
  return Status::Ok();
}

Status SetMockConfig(Config& c, const std::string& v, const std::string& source) {
  if (v.empty()) return Invalid(source, v, "a mock configuration file path");
  c.mock_config = v;
  return Status::Ok();
}

Status SetHandlers(Config& c, const std::string& v, const std::string& source) {
  if (v.empty()) return Invalid(source, v, "a handler file path");
  c.handlers = v;
  return Status::Ok();
}

std::string ShowPath(const std::string& path) { return path.empty() ? "none" : path; }

std::string ShowScale(const Config& c) {
  std::ostringstream out;
  out << c.wait_time_scale;
  return out.str();
}

const std::vector<Setting>& Settings() {
  static const std::vector<Setting> kSettings = {
      {"--host",
       {"STEPLINE_HOST"},
       SetHost,
       [](const Config& c) { return c.host; },
       "address to listen on (0.0.0.0 in a container)"},
      {"--port",
       {"STEPLINE_PORT", "PORT"},
       SetPort,
       [](const Config& c) { return std::to_string(c.port); },
       "port to listen on; 0 picks a free one"},
      {"--db",
       {"STEPLINE_DB"},
       SetDb,
       [](const Config& c) { return c.db; },
       "SQLite database file, or :memory:"},
      {"--region",
       {"AWS_DEFAULT_REGION"},
       SetRegion,
       [](const Config& c) { return c.region; },
       "region used in ARNs"},
      {"--account",
       {"AWS_ACCOUNT_ID"},
       SetAccount,
       [](const Config& c) { return c.account; },
       "account id used in ARNs"},
      {"--log-level",
       {"STEPLINE_LOG_LEVEL"},
       SetLogLevel,
       [](const Config& c) { return c.log_level; },
       "trace|debug|info|warn|error|critical|off (debug logs every request)"},
      {"--wait-time-scale",
       {"WAIT_TIME_SCALE"},
       SetWaitTimeScale,
       ShowScale,
       "multiplies Wait, Retry and timeouts; 0 makes them instant"},
      {"--threads",
       {"STEPLINE_THREADS"},
       SetThreads,
       [](const Config& c) { return std::to_string(c.threads); },
       "I/O threads; 0 = hardware threads"},
      {"--mock-config",
       {"SFN_MOCK_CONFIG"},
       SetMockConfig,
       [](const Config& c) { return ShowPath(c.mock_config); },
       "Step Functions Local mock configuration (MockConfigFile.json); start executions\n"
       "      as <stateMachineArn>#<TestCase> to use a test case"},
      {"--handlers",
       {"STEPLINE_HANDLERS"},
       SetHandlers,
       [](const Config& c) { return ShowPath(c.handlers); },
       "local Task handlers file (commands run as Lambda functions or integrations)"},
  };
  return kSettings;
}

const Setting* FindSetting(std::string_view flag) {
  for (const Setting& s : Settings()) {
    if (s.flag == flag) return &s;
  }
  return nullptr;
}

Status ApplyEnvironment(Config& config, const EnvLookup& env) {
  for (const Setting& s : Settings()) {
    for (const std::string& name : s.env) {
      std::optional<std::string> value = env(name);
      if (!value) continue;
      RETURN_IF_ERROR(s.set(config, *value, "environment variable " + name));
      break;
    }
  }
  return Status::Ok();
}

std::optional<Command> CommandFlag(std::string_view arg) {
  if (arg == "--help" || arg == "-h") return Command::kHelp;
  if (arg == "--version") return Command::kVersion;
  if (arg == "--health-check") return Command::kHealthCheck;
  return std::nullopt;
}

// Applies the flag at args[i] (consuming its value); advances i past it.
Status ApplyFlag(Invocation& inv, const std::vector<std::string>& args, size_t& i) {
  std::string arg = args[i++];
  if (std::optional<Command> command = CommandFlag(arg)) {
    if (inv.command == Command::kServe || *command == Command::kHelp) inv.command = *command;
    return Status::Ok();
  }
  std::optional<std::string> value;
  if (size_t eq = arg.find('='); eq != std::string::npos && arg.rfind("--", 0) == 0) {
    value = arg.substr(eq + 1);
    arg.resize(eq);
  }
  const Setting* setting = FindSetting(arg);
  if (!setting) return Status(ErrorCode::kValidation, "unknown option '" + arg + "'");
  if (!value) {
    if (i == args.size()) return Status(ErrorCode::kValidation, "option " + arg + " needs a value");
    value = args[i++];
  }
  return setting->set(inv.config, *value, "option " + arg);
}

}  // namespace

std::optional<std::string> GetEnv(const std::string& name) {
  const char* value = std::getenv(name.c_str());
  if (value == nullptr || *value == '\0') return std::nullopt;
  return std::string(value);
}

Result<Invocation> ParseInvocation(const std::vector<std::string>& args, const EnvLookup& env) {
  Invocation inv;
  RETURN_IF_ERROR(ApplyEnvironment(inv.config, env));
  for (size_t i = 0; i < args.size();) RETURN_IF_ERROR(ApplyFlag(inv, args, i));
  return inv;
}

int EffectiveThreads(const Config& config) {
  if (config.threads > 0) return config.threads;
  return static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
}

std::string UsageText() {
  std::string text =
      "Usage: stepline [options]              run the AWS Step Functions emulator\n"
      "       stepline --health-check [--host H] [--port N]\n"
      "                                       GET /health; exit 0 if it answers 200, else 1\n"
      "       stepline jsonata ...            the JSONata evaluator (see stepline jsonata --help)\n"
      "       stepline --version | --help\n\n"
      "Options (flag, then environment variable, then default):\n";
  const Config defaults;
  for (const Setting& s : Settings()) {
    std::string env;
    for (const std::string& name : s.env) env += (env.empty() ? "" : ", ") + name;
    text += "  " + std::string(s.flag) + " <value>\n      " + std::string(s.help) +
            "\n      env: " + env + "; default: " + s.show(defaults) + "\n";
  }
  text +=
      "\nThe API is AWS JSON 1.0 (POST, any path, X-Amz-Target: AWSStepFunctions.<Action>).\n"
      "Example: aws --endpoint-url http://127.0.0.1:8083 stepfunctions list-state-machines\n";
  return text;
}

}  // namespace stepline::server
