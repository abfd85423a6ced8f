// Config: the settings of the `stepline` binary, from command-line flags,
// then environment variables, then defaults (a flag beats its variable).
//
//   --host H            STEPLINE_HOST                    127.0.0.1
//   --port N            STEPLINE_PORT, then PORT         8083
//   --db PATH           STEPLINE_DB                      ./stepline.db (":memory:" allowed)
//   --region R          AWS_DEFAULT_REGION               us-east-1
//   --account ID        AWS_ACCOUNT_ID                   123456789012
//   --log-level L       STEPLINE_LOG_LEVEL               info
//   --wait-time-scale X WAIT_TIME_SCALE                  1.0
//   --threads N         STEPLINE_THREADS                 0 (= hardware threads)
//   --mock-config PATH  SFN_MOCK_CONFIG                  none (Step Functions Local mocks)
//   --handlers PATH     STEPLINE_HANDLERS                none (local Task handlers)
//   --health-check, --help, --version select another command.
//
// Thread-safety: pure functions over their arguments (GetEnv reads the
// process environment).
// Invariants: a parsed Config is valid (port in range, known log level,
// scale >= 0, threads in [0, kMaxThreads], 12-digit account).
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "common/status.h"

namespace stepline::server {

inline constexpr int kMaxThreads = 256;

struct Config {
  std::string host = "127.0.0.1";
  uint16_t port = 8083;
  std::string db = "./stepline.db";
  std::string region = "us-east-1";
  std::string account = "123456789012";
  std::string log_level = "info";  // trace|debug|info|warn|error|critical|off
  double wait_time_scale = 1.0;
  int threads = 0;          // I/O threads; 0 picks the number of hardware threads.
  std::string mock_config;  // mocked Task responses file; empty: none
  std::string handlers;     // local Task handler file; empty: none
};

enum class Command {
  kServe,        // run the server
  kHealthCheck,  // GET /health on host:port, exit 0 when it answers 200
  kHelp,
  kVersion,
};

struct Invocation {
  Command command = Command::kServe;
  Config config;
};

// Looks up an environment variable; nullopt when unset.
using EnvLookup = std::function<std::optional<std::string>(const std::string& name)>;

// The process environment (empty values count as unset).
std::optional<std::string> GetEnv(const std::string& name);

// Parses `args` (without the program name). Flags take their value as the
// next argument or after '='. Fails with kValidation and a message naming the
// flag or variable at fault.
Result<Invocation> ParseInvocation(const std::vector<std::string>& args, const EnvLookup& env);

// The I/O thread count to use for `config` (resolves 0).
int EffectiveThreads(const Config& config);

// The --help text.
std::string UsageText();

}  // namespace stepline::server
